"""Launch metrics of one replication: daily SLA attainment, backlog peaks, time to recover, extra hours.

Recorded for every run with a launch instant (a launch plan, and the baseline it is compared with), so a paired
comparison has both sides. All per replication; across replications they get means, confidence intervals and
paired deltas like every other metric (:mod:`simulations.aggregate`). Definitions (times in hours):
- Series ``priority`` · ``sla_attainment_daily_share`` and ``sla_due_daily_count``: per SLA target and run day
  (24 h from the run's start, stamped at the day's end), the share of the items due that day that met the
  target (:mod:`simulations.daily_sla`); NaN on a day nothing fell due. Only days that end by the end of the run.
- ``stage`` · ``backlog_peak_count``: the most items waiting at any reporting instant from the launch on, and
  ``backlog_peak_after_launch_h`` the first instant it was reached, counted from the launch (reporting
  instants are the ends of the run's reporting intervals).
- ``priority`` · ``recovery_h``: with L the launch and D the run day holding it, 0 when no day from D on is
  below the target (a day nothing fell due counts as met); else, with B the first day from D on below it, the
  first day d > B from which daily attainment is at or above the target on ``recovery_days`` consecutive days,
  as the time from L to d's start; NaN when no such run of days fits inside the run — "not recovered within
  the horizon", which ``recovered_share`` (1 or 0; its mean is the share of replications that recovered) says.
  ``days_below_target_count``: days from D on below the target (a later dip, once recovered, counts here).
- ``system`` · ``paid_hours_h``, ``on_floor_hours_h`` (reviewer-hours available to review, after shrinkage and
  training) and ``cost``: totals over teams in the statistics window — their paired deltas against the baseline
  are the launch's extra hours and cost. ``launch_at_h`` is L.
- ``phase`` · ``phase_at_h``: one record per dated step of the plan (its label as the scope's name), for charts.
- ``source`` · ``arrivals_count`` for each backfill (scope id the backfill's, name "Backfill · <name>").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simulations.daily_sla import DAY_S
from simulations.results import MetricRecord, SeriesRecord

if TYPE_CHECKING:
    from simulations.engine import Replication

_MET_SLACK = 1e-12


def launch_records(run: Replication, end: float, metrics: list[MetricRecord],
                   series: list[SeriesRecord]) -> None:
    """Add the launch metrics and series of ``run`` (ended at ``end``) to ``metrics`` and ``series``."""
    spec = run.spec
    launch_s = spec.launch_s
    assert launch_s is not None
    launch_h = launch_s / 3600.0
    days = int(end // DAY_S + 1e-9)
    day_times = tuple((d + 1) * 24.0 for d in range(days))
    launch_day = max(0, int(launch_s // DAY_S))
    for stage in run.stages:
        s = stage.spec
        if hasattr(stage, "daily_counts"):
            counts = stage.daily_counts(end)
            for position, (priority, _within, target) in enumerate(s.sla_targets):
                due = [counts.get((position, d), [0, 0]) for d in range(days)]
                shares = tuple(met / total if total else math.nan for met, total in due)
                scope_id = f"{s.id}:{priority}"
                scope = _priority_scope(metrics, scope_id) or f"{s.name} · {priority}"
                series.append(SeriesRecord("priority", scope_id, scope, "sla_attainment_daily_share", day_times,
                                           shares))
                series.append(SeriesRecord("priority", scope_id, scope, "sla_due_daily_count", day_times,
                                           tuple(float(total) for _, total in due)))
                metrics.extend(MetricRecord("priority", scope_id, scope, name, value) for name, value in
                               recovery_measures(shares, target, launch_day, launch_h, spec.recovery_days))
        peak, peak_at = _peak(stage.series_queue, spec.interval_s / 3600.0, launch_h)
        metrics.append(MetricRecord("stage", s.id, s.name, "backlog_peak_count", peak))
        metrics.append(MetricRecord("stage", s.id, s.name, "backlog_peak_after_launch_h", peak_at))

    paid = sum(r.value for r in metrics if r.scope_kind == "team" and r.metric == "paid_hours_h")
    cost = sum(r.value for r in metrics if r.scope_kind == "team" and r.metric == "cost")
    on_floor = sum(team.available.integral(end) for team in run.teams) / 3600.0
    metrics.extend(MetricRecord("system", "system", "System", name, value) for name, value in (
        ("paid_hours_h", paid), ("on_floor_hours_h", on_floor), ("cost", cost), ("launch_at_h", launch_h)))
    for i, (at_s, label) in enumerate(spec.launch_marks):
        metrics.append(MetricRecord("phase", f"phase:{i}", label, "phase_at_h", at_s / 3600.0))
    launch = run.launch
    if launch is not None:
        for backfill, counted in zip(launch.plan.backfills, launch.counted, strict=True):
            metrics.append(MetricRecord("source", backfill.id, f"Backfill · {backfill.name}", "arrivals_count",
                                        float(counted)))


def _priority_scope(metrics: list[MetricRecord], scope_id: str) -> str:
    return next((r.scope_name for r in metrics if r.scope_kind == "priority" and r.scope_id == scope_id), "")


def _peak(values: object, interval_h: float, launch_h: float) -> tuple[float, float]:
    """(most waiting from the launch on, hours from the launch to its first instant); NaNs without samples."""
    best, best_at = -1, math.nan
    for k, value in enumerate(values):  # type: ignore[call-overload]
        at = (k + 1) * interval_h
        if at >= launch_h - 1e-9 and value > best:
            best, best_at = value, at - launch_h
    return (float(best), best_at) if best >= 0 else (math.nan, math.nan)


def recovery_measures(shares: tuple[float, ...], target: float, launch_day: int, launch_h: float,
                      run_of_days: int) -> list[tuple[str, float]]:
    """recovery_h, recovered_share and days_below_target_count (see the module rules)."""
    met = [math.isnan(share) or share >= target - _MET_SLACK for share in shares]
    missed = [d for d in range(launch_day, len(shares)) if not met[d]]
    if not missed:
        return [("recovery_h", 0.0), ("recovered_share", 1.0), ("days_below_target_count", 0.0)]
    below = len(missed)
    need = max(1, run_of_days)
    for d in range(missed[0] + 1, len(shares) - need + 1):
        if all(met[d:d + need]):
            return [("recovery_h", max(0.0, d * 24.0 - launch_h)), ("recovered_share", 1.0),
                    ("days_below_target_count", float(below))]
    return [("recovery_h", math.nan), ("recovered_share", 0.0), ("days_below_target_count", float(below))]
