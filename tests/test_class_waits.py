"""Waits and time to decision per priority and per category at a review stage (``stage_priority`` and
``stage_category`` records, :mod:`simulations.collect`).

Statistical tolerance: with fixed seeds, the Student-t 95 % confidence interval over 30 replications must
contain the analytic value, and its half-width must be at most 8 % of it, so the agreement is tight. Runs drain
(arrivals stop at the horizon, every item finishes) against end-of-run censoring and skip a warm-up of 10 % of
the horizon against the empty-start bias; reviewers are staffed round the clock with shrinkage 0.

Analytic values: the non-preemptive priority M/M/c queue with one service rate μ for every class (Cobham 1954):
the mean wait of class k is W_k = C / (cμ (1 − σ_{k−1})(1 − σ_k)), σ_k the utilisation of classes 1..k and C
Erlang C's P(wait) at the total load; for c = 1, C = ρ and this is Cobham's W₀ / ((1 − σ_{k−1})(1 − σ_k)),
W₀ = ρ/μ. The time to decision at a single stage fed straight by its source is W_k + 1/μ.
"""

from __future__ import annotations

import math
import statistics

import pytest
from engine_models import confidence_interval, metric_values, replicate, settings, single_stage

from flowmodel import Distribution, MixEntry, SlaTarget
from simulations import dispatcher
from simulations.analytic import mmc
from simulations.engine import run_replication
from simulations.results import ReplicationResult
from simulations.spec import compile_run
from simulations.statistics import Summary

REPLICATIONS = 30
MAX_RELATIVE_HALF_WIDTH = 0.08


def cobham_waits(per_minute: float, shares: list[float], servers: int) -> list[float]:
    """Mean waits (minutes) by priority, highest first, at mean handle time 1 minute."""
    p_wait = mmc(per_minute, 1.0, servers).p_wait
    waits, above = [], 0.0
    for share in shares:
        through = above + per_minute * share / servers
        waits.append(p_wait / (servers * (1.0 - above) * (1.0 - through)))
        above = through
    return waits


def assert_covers(values: list[float], expected: float) -> None:
    mean, half = confidence_interval(values)
    assert abs(mean - expected) <= half, f"95 % CI {mean:.5g} ± {half:.3g} misses {expected:.5g}"
    assert half <= MAX_RELATIVE_HALF_WIDTH * expected, f"half-width {half:.3g} > 8 % of {expected:.5g}"


def minutes(results: list[ReplicationResult], kind: str, scope: str, metric: str) -> list[float]:
    return [v / 60 for v in metric_values(results, kind, scope, metric)]


@pytest.mark.statistical
@pytest.mark.parametrize(("servers", "utilisation", "shares", "hours"), [
    (1, 0.8, [0.2, 0.3, 0.5], 400),
    (3, 0.85, [0.4, 0.6], 200),
])
def test_priority_waits_agree_with_cobham(servers: int, utilisation: float, shares: list[float],
                                          hours: float) -> None:
    per_minute = utilisation * servers
    names = [f"P{k}" for k in range(len(shares))]
    # listed lowest priority first, so the records' order must come from the stage's priority order
    mix = [MixEntry(priority=name, share=share) for name, share in reversed(list(zip(names, shares, strict=True)))]
    workflow = single_stage(per_minute * 60, Distribution.exponential(1, "min"), servers, discipline="priority",
                            mix=mix)
    results = replicate(compile_run(workflow, None, settings(hours, warmup=hours / 10), drain=True), REPLICATIONS)
    expected = cobham_waits(per_minute, shares, servers)
    for name, wait in zip(names, expected, strict=True):
        assert_covers(minutes(results, "stage_priority", f"review:{name}", "wait_mean_s"), wait)
        assert_covers(minutes(results, "stage_priority", f"Review · {name}", "time_to_decision_mean_s"), wait + 1.0)
    kinds = [m.scope_id for m in results[0].metrics if m.scope_kind == "stage_priority" and m.metric == "wait_mean_s"]
    assert kinds == [f"review:{name}" for name in names]


@pytest.mark.statistical
def test_fifo_priorities_wait_alike() -> None:
    """Under FIFO the priority is only a label: every priority's mean wait is Erlang C's, and the paired
    difference between two priorities' means has a 95 % CI that contains 0."""
    mix = [MixEntry(priority="P0", share=0.3), MixEntry(priority="P1", share=0.7)]
    workflow = single_stage(2 * 0.85 * 60, Distribution.exponential(1, "min"), 2, mix=mix)
    results = replicate(compile_run(workflow, None, settings(300, warmup=30), drain=True), REPLICATIONS)
    expected = mmc(2 * 0.85, 1.0, 2).mean_wait
    p0 = minutes(results, "stage_priority", "review:P0", "wait_mean_s")
    p1 = minutes(results, "stage_priority", "review:P1", "wait_mean_s")
    assert_covers(p0, expected)
    assert_covers(p1, expected)
    mean, half = confidence_interval([a - b for a, b in zip(p0, p1, strict=True)])
    assert abs(mean) <= half, f"P0 − P1: 95 % CI {mean:.4g} ± {half:.3g} excludes 0"


MIX = [MixEntry(category=category, language=language, priority=priority, share=share)
       for category, language, priority, share in [
           ("spam", "en", "P1", 0.3), ("spam", "es", "P1", 0.1), ("spam", "en", "P2", 0.2),
           ("hate", "en", "P0", 0.15), ("hate", "es", "P2", 0.25)]]


def recorded_run(monkeypatch: pytest.MonkeyPatch, discipline: str, sla: list[SlaTarget] | None = None
                 ) -> tuple[ReplicationResult, dict[str, Summary], dict[str, Summary]]:
    """One replication, with every counted wait and time to decision at the stage also recorded on the side,
    by category and in total, the way the stage kept its one total before (one stream, zeros included)."""
    waits: dict[str, Summary] = {"": Summary()}
    decisions: dict[str, Summary] = {"": Summary()}
    start, finish = dispatcher.StageRuntime.start, dispatcher.StageRuntime.finish

    def recording_start(stage, item, team, now, wait):  # type: ignore[no-untyped-def]
        if item.counted:
            category = stage.run.spec.item_classes[item.cls].category
            for key in ("", category):
                waits.setdefault(key, Summary()).add(wait)
        start(stage, item, team, now, wait)

    def recording_finish(stage, event):  # type: ignore[no-untyped-def]
        item = event._value
        if item.counted:
            category = stage.run.spec.item_classes[item.cls].category
            for key in ("", category):
                decisions.setdefault(key, Summary()).add(stage.env.now - item.created)
        finish(stage, event)

    monkeypatch.setattr(dispatcher.StageRuntime, "start", recording_start)
    monkeypatch.setattr(dispatcher.StageRuntime, "finish", recording_finish)
    workflow = single_stage(0.9 * 4 * 60, Distribution.lognormal(1, 0.8, "min"), 4, discipline=discipline, mix=MIX,
                            sla=sla)
    result = run_replication(compile_run(workflow, None, settings(24, warmup=2, seed=5)), 0)
    return result, waits, decisions


def records(result: ReplicationResult, kind: str) -> dict[str, dict[str, float]]:
    by_scope: dict[str, dict[str, float]] = {}
    for m in result.metrics:
        if m.scope_kind == kind:
            by_scope.setdefault(m.scope_name, {})[m.metric] = m.value
    return by_scope


QUANTILES = (("p50", 0.5), ("p90", 0.9), ("p99", 0.99))


@pytest.mark.parametrize("discipline", ["fifo", "priority", "earliest_deadline"])
def test_categories_and_priorities_add_up_to_the_stage(monkeypatch: pytest.MonkeyPatch, discipline: str) -> None:
    sla = [SlaTarget("P0", 10, "min", 0.9), SlaTarget("P1", 30, "min", 0.9), SlaTarget("P2", 2, "h", 0.9)]
    result, waits, decisions = recorded_run(monkeypatch, discipline, sla)
    stage = records(result, "stage")["Review"]
    for kind, names in (("stage_category", ["Review · spam", "Review · hate"]),
                        ("stage_priority", ["Review · P0", "Review · P1", "Review · P2"])):
        scopes = records(result, kind)
        assert list(scopes) == names
        for metric in ("arrivals_count", "throughput_count"):
            assert sum(scope[metric] for scope in scopes.values()) == stage[metric] > 1000
    # the stage's waits are still the whole stream's: quantiles exactly, the mean to float rounding
    for name, q in QUANTILES:
        assert stage[f"wait_{name}_s"] == waits[""].quantile(q)
    assert stage["wait_mean_s"] == pytest.approx(waits[""].mean(), rel=1e-12)
    for category in ("spam", "hate"):
        scope = records(result, "stage_category")[f"Review · {category}"]
        assert scope["throughput_count"] == decisions[category].count
        assert scope["wait_mean_s"] == pytest.approx(waits[category].mean(), rel=1e-12)
        assert scope["time_to_decision_mean_s"] == pytest.approx(decisions[category].mean(), rel=1e-12)
        for name, q in QUANTILES:
            assert scope[f"wait_{name}_s"] == waits[category].quantile(q)
            assert scope[f"time_to_decision_{name}_s"] == decisions[category].quantile(q)


def test_a_wait_clock_stage_reports_per_priority_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wait-clock stage (a subclass with its own ``wait_by_class``) keeps the same per-priority records."""
    sla = [SlaTarget("P0", 10, "min", 0.9, clock="wait"), SlaTarget("P2", 2, "h", 0.9)]
    result, _, decisions = recorded_run(monkeypatch, "priority", sla)
    scopes = records(result, "stage_priority")
    assert sum(scope["throughput_count"] for scope in scopes.values()) == decisions[""].count
    assert scopes["Review · P0"]["wait_mean_s"] < scopes["Review · P2"]["wait_mean_s"]


def test_a_priority_no_item_has_gets_no_record() -> None:
    mix = [MixEntry(priority="P1", share=1.0)]
    workflow = single_stage(30, Distribution.exponential(1, "min"), 1, discipline="priority", mix=mix)
    result = run_replication(compile_run(workflow, None, settings(4)), 0)
    assert sorted({m.scope_id for m in result.metrics if m.scope_kind == "stage_priority"}) == ["review:P1"]
    assert result.metric("stage_category", "Review · general", "arrivals_count") == \
        result.metric("stage", "Review", "arrivals_count")
    times = [m.value for m in result.metrics if m.scope_kind == "stage_priority"]
    assert not any(math.isnan(v) for v in times)
    assert statistics.fmean(times) > 0
