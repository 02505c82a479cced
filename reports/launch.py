"""A launch plan's results in a planner's words: recovery per SLA target, peak backlog, extra hours and cost.

Read from a :class:`~simulations.runner.RunResult` alone (its summaries and paired deltas; the definitions are
the engine's launch metrics, :mod:`simulations.launch_metrics`), so the app, the exports and the command line
say the same thing. No Qt.

Rules:
- A run has launch results when its summaries hold ``system`` · ``launch_at_h``; a run without them gets an
  empty :func:`launch_results` and every view of it looks as it did before launch plans.
- A scenario is a *plan* when its stored document is a launch plan (a launch instant, timed, ramped or scoped
  changes, backfills or trainings) or has dated steps (``phase`` records); the others (the baseline) carry the
  plan's launch instant only so that their figures pair with it.
- Recovery is counted over replications: ``recovered_share`` × n is "recovered in k of n"; the time to recover
  is the mean (and 95 % CI) over the replications that recovered, since a replication that did not has no time.
- Times after the launch are written in days from 2 days on, in hours below (:func:`after_launch_text`).
- Extra paid hours, hours on the floor and cost are the paired deltas of the system totals against the run's
  reference scenario (its first).
- A day's SLA attainment across replications (:func:`daily_interval`) is the mean over the replications with
  items due that day and its Student-t 95 % CI, clipped to 0–100 %; a day nothing fell due anywhere is NaN.
- :func:`launch_figure_rows` is the one list of launch figures the exports' launch tables show, in order.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import t as student_t

from reports.formatting import number
from simulations.aggregate import MetricDelta, MetricSummary
from simulations.runner import RunResult

LAUNCH_METRIC = "launch_at_h"
DAILY_SLA = "sla_attainment_daily_share"
DAILY_DUE = "sla_due_daily_count"
PHASE_LABEL_CHARS = 28
CONFIDENCE = 0.95


@dataclass(frozen=True)
class TargetRecovery:
    """One SLA target (stage · priority) after the launch, across replications."""

    scope_id: str
    scope_name: str
    target: float | None
    recovery: MetricSummary | None  # hours from the launch, over the replications that recovered
    recovered: int
    replications: int
    days_below: MetricSummary | None
    days_below_delta: MetricDelta | None

    @property
    def dipped(self) -> bool:
        """Some replication had a day below the target from the launch day on."""
        return self.days_below is not None and self.days_below.mean > 0


@dataclass(frozen=True)
class BacklogPeak:
    scope_id: str
    scope_name: str
    peak: MetricSummary
    after_launch: MetricSummary | None  # hours from the launch to the peak's first instant
    delta: MetricDelta | None


@dataclass(frozen=True)
class LaunchResults:
    """Launch figures of one scenario; deltas are against the run's reference (None for the reference)."""

    scenario_id: str
    scenario_name: str
    is_plan: bool
    is_reference: bool
    launch_at_h: float
    phases: tuple[tuple[str, float], ...]
    recoveries: tuple[TargetRecovery, ...]
    peaks: tuple[BacklogPeak, ...]
    totals: dict[str, MetricSummary]
    total_deltas: dict[str, MetricDelta]
    backfills: tuple[tuple[str, MetricSummary], ...]

    @property
    def highest_peak(self) -> BacklogPeak | None:
        finite = [p for p in self.peaks if math.isfinite(p.peak.mean)]
        return max(finite, key=lambda p: p.peak.mean) if finite else None


def has_launch(run: RunResult | None) -> bool:
    return run is not None and any(s.metric == LAUNCH_METRIC and s.scope_kind == "system" for s in run.summaries)


def is_plan_document(document: dict[str, Any]) -> bool:
    """The stored scenario is a launch plan (see the module rules; the engine's own test is on the model)."""
    if str(document.get("launch") or "").strip() or document.get("backfills") or document.get("trainings"):
        return True
    return any(isinstance(c, dict) and (c.get("start") or c.get("end") or c.get("ramp") or c.get("scope"))
               for c in document.get("changes", []))


def launch_results(run: RunResult | None) -> list[LaunchResults]:
    """The launch figures of each scenario of ``run`` that has them, in the run's order (see the module rules)."""
    if not has_launch(run):
        return []
    assert run is not None
    reference = run.baseline_id
    by_key: dict[tuple[str, str, str, str], MetricSummary] = {
        (s.scenario_id, s.scope_kind, s.scope_id, s.metric): s for s in run.summaries}
    deltas: dict[tuple[str, str, str, str], MetricDelta] = {
        (d.scenario_id, d.scope_kind, d.scope_id, d.metric): d for d in run.deltas}
    out: list[LaunchResults] = []
    for document in run.scenarios:
        sid = str(document["id"])
        launch = by_key.get((sid, "system", "system", LAUNCH_METRIC))
        if launch is None:
            continue
        mine = [s for s in run.summaries if s.scenario_id == sid]
        phases = tuple(sorted(((s.scope_name, s.mean) for s in mine if s.metric == "phase_at_h"),
                              key=lambda p: p[1]))
        recoveries = []
        for scope_id, scope_name in dict.fromkeys((s.scope_id, s.scope_name) for s in mine
                                                  if s.scope_kind == "priority" and s.metric == "recovered_share"):
            share = by_key[(sid, "priority", scope_id, "recovered_share")]
            target = by_key.get((sid, "priority", scope_id, "sla_target_share"))
            recoveries.append(TargetRecovery(
                scope_id, scope_name, target.mean if target is not None else None,
                by_key.get((sid, "priority", scope_id, "recovery_h")), round(share.mean * share.n), share.n,
                by_key.get((sid, "priority", scope_id, "days_below_target_count")),
                deltas.get((sid, "priority", scope_id, "days_below_target_count"))))
        peaks = tuple(BacklogPeak(s.scope_id, s.scope_name, s,
                                  by_key.get((sid, "stage", s.scope_id, "backlog_peak_after_launch_h")),
                                  deltas.get((sid, "stage", s.scope_id, "backlog_peak_count")))
                      for s in mine if s.scope_kind == "stage" and s.metric == "backlog_peak_count")
        totals = {m: by_key[(sid, "system", "system", m)] for m in ("paid_hours_h", "on_floor_hours_h", "cost")
                  if (sid, "system", "system", m) in by_key}
        total_deltas = {m: deltas[(sid, "system", "system", m)] for m in totals
                        if (sid, "system", "system", m) in deltas}
        backfills = tuple((s.scope_name, s) for s in mine if s.scope_kind == "source" and s.metric == "arrivals_count"
                          and s.scope_name.startswith("Backfill · "))
        out.append(LaunchResults(sid, str(document["name"]), is_plan_document(document) or bool(phases),
                                 sid == reference, launch.mean, phases, tuple(recoveries), peaks, totals,
                                 total_deltas, backfills))
    return out


def after_launch_text(hours: float) -> str:
    """``9 d`` or ``36 h``: days from 2 days on, hours below."""
    if not math.isfinite(hours):
        return "n/a"
    return f"{number(hours / 24.0)} d" if abs(hours) >= 48 else f"{number(hours)} h"


def _range_text(summary: MetricSummary) -> str:
    """`` (7–11 d)``: the 95 % CI in the unit of the mean (never below 0); "" without an interval."""
    if not summary.ci_defined or summary.half_width == 0:
        return ""
    low, high = max(summary.ci_low, 0.0), summary.ci_high
    if abs(summary.mean) >= 48:
        return f" ({number(low / 24.0)}–{number(high / 24.0)} d)"
    return f" ({number(low)}–{number(high)} h)"


def recovery_text(recovery: TargetRecovery) -> str:
    """``Tier 1 · P1 back in SLA 9 d after launch (7–11 d)``, ``… stayed in SLA after launch``, or ``… not back in
    SLA within the horizon in 3 of 5 replications`` (then what the others did)."""
    name = recovery.scope_name
    if not recovery.dipped:
        return f"{name} stayed in SLA after launch"
    missed = recovery.replications - recovery.recovered
    time = recovery.recovery
    back = ""
    if time is not None and recovery.recovered:
        stayed = time.mean == 0 and (not time.ci_defined or time.half_width == 0)
        back = "stayed in SLA" if stayed else \
            f"back in SLA {after_launch_text(time.mean)} after launch{_range_text(time)}"
    if missed == 0:
        return f"{name} {back}" if back else f"{name} back in SLA"
    not_back = f"not back in SLA within the horizon in {missed} of {recovery.replications} replications"
    others = recovery.replications - missed
    if not back:
        return f"{name} {not_back}"
    return f"{name} {not_back}; " + (f"the other {others} " if others > 1 else "the other ") + back


def peak_text(peak: BacklogPeak) -> str:
    """``peak backlog 4,690 at Policy specialists, 12 d after launch``."""
    when = f", {after_launch_text(peak.after_launch.mean)} after launch" if peak.after_launch is not None else ""
    return f"peak backlog {number(peak.peak.mean)} at {peak.scope_name}{when}"


def extra_text(results: LaunchResults) -> str:
    """``+120 paid hours, staff cost +3,600`` (or "no extra paid hours, same staff cost"), with the change of hours
    on the floor when it differs from the paid one (training), against the reference; "" for the reference."""
    parts = []
    hours, cost = results.total_deltas.get("paid_hours_h"), results.total_deltas.get("cost")
    if hours is not None:
        parts.append(f"{number(hours.delta_mean, signed=True)} paid hours" if hours.delta_mean
                     else "no extra paid hours")
    floor = results.total_deltas.get("on_floor_hours_h")
    if floor is not None and (hours is None or abs(floor.delta_mean - hours.delta_mean) > 1e-9):
        parts.append(f"{number(floor.delta_mean, signed=True)} hours on the floor")  # training, not reviewing
    if cost is not None:
        parts.append(f"staff cost {number(cost.delta_mean, signed=True)}" if cost.delta_mean else "same staff cost")
    return ", ".join(parts)


def launch_headline(results: LaunchResults, reference_name: str = "") -> str:
    """One line of a plan's launch, e.g. ``Launch: Tier 1 · P1 back in SLA 9 d after launch (7–11 d); peak backlog
    951 at Tier 1, 3.7 d after launch; +0 paid hours, cost +0 against Baseline``."""
    dipped = _grouped([r for r in results.recoveries if r.dipped])
    held = sum(not r.dipped for r in results.recoveries)
    parts = dipped or (["every SLA target stayed in SLA after launch"] if results.recoveries else [])
    if dipped and held:
        parts.append(f"{held} other target{'s' if held != 1 else ''} stayed in SLA")
    peak = results.highest_peak
    if peak is not None:
        parts.append(peak_text(peak))
    extra = extra_text(results)
    if extra:
        parts.append(extra + (f" against {reference_name}" if reference_name else ""))
    return f"{results.scenario_name}: " + "; ".join(parts)


def _grouped(recoveries: list[TargetRecovery]) -> list[str]:
    """Recovery sentences, the priorities of one stage with the same outcome said once (``Tier 1 · P1 and P2 not
    back in SLA …``)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for recovery in recoveries:
        outcome = recovery_text(recovery)[len(recovery.scope_name):]
        stage, _, priority = recovery.scope_name.rpartition(" · ")
        groups.setdefault((stage, outcome), []).append(priority if stage else recovery.scope_name)
    out = []
    for (stage, outcome), names in groups.items():
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        out.append(f"{stage} · {listed}{outcome}" if stage else f"{listed}{outcome}")
    return out


def short_label(label: str, chars: int = PHASE_LABEL_CHARS) -> str:
    """A phase label short enough for a chart mark (its full text stays in the tables)."""
    return label if len(label) <= chars else label[: chars - 1].rstrip(" ;,·") + "…"


def daily_interval(run: RunResult, scenario_id: str, scope_id: str,
                   metric: str = DAILY_SLA) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(day ends in hours, mean, CI low, CI high) of a daily series across the scenario's replications."""
    rows = [s for r in run.replications if r.scenario_id == scenario_id for s in r.series
            if s.scope_kind == "priority" and s.scope_id == scope_id and s.metric == metric]
    if not rows:
        empty = np.array([])
        return empty, empty, empty, empty
    length = min(len(s.values) for s in rows)
    matrix = np.array([s.values[:length] for s in rows], dtype=float).reshape(len(rows), length)
    counts = np.sum(np.isfinite(matrix), axis=0)
    with warnings.catch_warnings():  # a day nothing fell due is NaN in every replication
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(matrix, axis=0)
        sd = np.nanstd(matrix, axis=0, ddof=1)
    factor = np.array([student_t.ppf((1 + CONFIDENCE) / 2, n - 1) / math.sqrt(n) if n > 1 else math.nan
                       for n in counts])
    half = np.where(np.isfinite(sd) & (counts > 1), sd * factor, 0.0)
    return np.asarray(rows[0].times_h[:length], dtype=float), mean, np.clip(mean - half, 0, 1), \
        np.clip(mean + half, 0, 1)


def launch_figure_rows(run: RunResult) -> Iterator[tuple[str, str, str, str, MetricSummary | None,
                                                          MetricDelta | None, str]]:
    """(scenario, figure, scope, metric, summary, delta, "k of n" recovered) of every launch figure: the rows of
    the exports' launch tables, in their order."""
    deltas = {(d.scenario_id, d.scope_kind, d.scope_id, d.metric): d for d in run.deltas}
    for results in launch_results(run):
        sid, name = results.scenario_id, results.scenario_name
        for peak in results.peaks:
            yield name, "Peak backlog after launch", peak.scope_name, "backlog_peak_count", peak.peak, peak.delta, ""
            yield (name, "Peak reached, after launch", peak.scope_name, "backlog_peak_after_launch_h",
                   peak.after_launch, deltas.get((sid, "stage", peak.scope_id, "backlog_peak_after_launch_h")), "")
        for recovery in results.recoveries:
            yield (name, "Back in SLA, after launch", recovery.scope_name, "recovery_h", recovery.recovery,
                   deltas.get((sid, "priority", recovery.scope_id, "recovery_h")),
                   f"{recovery.recovered} of {recovery.replications}")
            yield (name, "Days below target", recovery.scope_name, "days_below_target_count", recovery.days_below,
                   recovery.days_below_delta, "")
        for metric, figure in (("paid_hours_h", "Paid hours"), ("on_floor_hours_h", "Hours on the floor"),
                               ("cost", "Staff cost")):
            if metric in results.totals:
                yield name, figure, "All teams", metric, results.totals[metric], results.total_deltas.get(metric), ""
        for backfill, summary in results.backfills:
            yield (name, "Backfill items", backfill.removeprefix("Backfill · "), "arrivals_count", summary,
                   deltas.get((sid, "source", summary.scope_id, "arrivals_count")), "")
