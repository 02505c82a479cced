"""The engine against queueing theory (Erlang C, Jackson tandem, Erlang A, Little's law).

Tolerance: with fixed seeds, the Student-t 95 % confidence interval over replications must contain the
analytic value; for P(wait) and time in system its half-width must also be at most 5 % of the value, so
the agreement is tight, not merely "within a wide interval". Run sizes were chosen for that: 30
replications, horizons long enough for the 5 % claim, a warm-up of 10 % of the horizon against the
empty-start bias, and the REFERENCE protocol's drain (arrivals stop at the horizon, then every item
finishes) against end-of-run censoring, which would drop the longest sojourns. Reviewers are staffed round
the clock with shrinkage 0, so headcount = servers.
"""

from __future__ import annotations

import pytest
from engine_models import confidence_interval, metric_values, replicate, settings, single_stage

from benchmarks.engine_throughput import reference_workflow
from flowmodel import Distribution
from simulations.analytic import erlang_a, mmc
from simulations.spec import compile_run

REPLICATIONS = 30


def assert_covers(values: list[float], expected: float, max_relative_half_width: float | None = None) -> None:
    mean, half = confidence_interval(values)
    assert abs(mean - expected) <= half, f"95 % CI {mean:.5g} ± {half:.3g} misses {expected:.5g}"
    if max_relative_half_width is not None:
        assert half <= max_relative_half_width * expected, f"half-width {half:.3g} > 5 % of {expected:.5g}"


@pytest.mark.statistical
@pytest.mark.parametrize(("servers", "utilisation", "hours"), [(1, 0.6, 100), (5, 0.8, 40), (50, 0.9, 8)])
def test_mmc_agrees_with_erlang_c(servers: int, utilisation: float, hours: float) -> None:
    per_minute = utilisation * servers  # mean handle time 1 minute
    workflow = single_stage(per_minute * 60, Distribution.exponential(1, "min"), servers)
    results = replicate(compile_run(workflow, None, settings(hours, warmup=hours / 10), drain=True), REPLICATIONS)
    expected = mmc(per_minute, 1.0, servers)
    assert_covers(metric_values(results, "stage", "Review", "waited_share"), expected.p_wait, 0.05)
    assert_covers([v / 60 for v in metric_values(results, "stage", "Review", "wait_mean_s")], expected.mean_wait)
    assert_covers([v / 60 for v in metric_values(results, "system", "system", "time_to_decision_mean_s")],
                  expected.mean_time_in_system, 0.05)
    assert_covers(metric_values(results, "stage", "Review", "queue_length_mean"), expected.mean_queue_length)


# REFERENCE tandem values (minutes): Jackson network, each tier an M/M/c queue.
TANDEM = {"wq1": 0.0843429, "wq2": 1.490361, "sojourn": 7.233379, "pwait1": 0.151817, "pwait2": 0.298072}


@pytest.mark.statistical
def test_tandem_network_agrees_with_jackson_values() -> None:
    results = replicate(compile_run(reference_workflow(), None, settings(30, warmup=3), drain=True), 20)
    minutes = [lambda r, s=stage: r.metric("stage", s, "wait_mean_s") / 60 for stage in ("Tier 1", "Tier 2")]
    assert_covers([minutes[0](r) for r in results], TANDEM["wq1"])
    assert_covers([minutes[1](r) for r in results], TANDEM["wq2"])
    assert_covers(metric_values(results, "stage", "Tier 1", "waited_share"), TANDEM["pwait1"])
    assert_covers(metric_values(results, "stage", "Tier 2", "waited_share"), TANDEM["pwait2"])
    assert_covers([r.metric("system", "system", "time_to_decision_mean_s") / 60 for r in results],
                  TANDEM["sojourn"], 0.05)


@pytest.mark.statistical
def test_abandonment_agrees_with_erlang_a() -> None:
    """M/M/5+M, overloaded (6 erlangs on 5 reviewers), exponential patience of mean 2 minutes."""
    workflow = single_stage(6 * 60, Distribution.exponential(1, "min"), 5,
                            expiry=Distribution.exponential(2, "min"))
    results = replicate(compile_run(workflow, None, settings(40, warmup=4), drain=True), REPLICATIONS)
    expected = erlang_a(6.0, 1.0, 5, 2.0)
    abandoned = [r.metric("stage", "Review", "expired_count") / r.metric("stage", "Review", "arrivals_count")
                 for r in results]
    assert_covers(abandoned, expected.p_abandon, 0.05)
    assert_covers(metric_values(results, "stage", "Review", "queue_length_mean"), expected.mean_queue_length)
    assert_covers(metric_values(results, "team", "Team", "utilisation_share"), expected.utilisation)


@pytest.mark.statistical
def test_littles_law_holds_per_stage() -> None:
    """L = λW for the queue and for service at each tier of one long run (within 2 %)."""
    result = replicate(compile_run(reference_workflow(), None, settings(200, warmup=10)), 1)[0]
    window_s = (200 - 10) * 3600.0
    for stage in ("Tier 1", "Tier 2"):
        rate = result.metric("stage", stage, "arrivals_count") / window_s
        queue = result.metric("stage", stage, "queue_length_mean")
        in_service = result.metric("stage", stage, "in_service_mean")
        assert queue == pytest.approx(rate * result.metric("stage", stage, "wait_mean_s"), rel=0.02)
        assert in_service == pytest.approx(rate * result.metric("stage", stage, "handle_time_mean_s"), rel=0.02)
