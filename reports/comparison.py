"""The comparison every export shows: the run's scenarios × key figures, with 95 % CIs and paired deltas.

Rules:
- Built from a :class:`~simulations.runner.RunResult` alone; the figures are the run's own summaries and
  deltas (:mod:`simulations.aggregate`), so an export agrees with the app and with the stored results. The
  workflow is optional: with it, scenario changes read as diff lines (a launch plan's with their timing, and
  its launch, backfills and trainings as lines of their own: :mod:`reports.launch_words`) and the analytic estimates
  (:func:`simulations.analytic.stage_estimates`) can name unstable stages — unless the workflow changed since
  the run (its fingerprint differs from the stored one), when the estimates would describe another model.
- The run's first scenario (normally the baseline) is the reference; every other scenario has a delta
  paired on the replication index, "clear" when its 95 % interval excludes 0.
- Key figures, in order: for a run with launch results first the launch (time back in SLA, share of
  replications back in SLA and days below target per stage × priority, peak backlog per stage and when, paid
  hours and hours on the floor; :mod:`reports.launch`), then for a run started from today's backlog its group
  (all stages, then per stage: items at the start, when the backlog was cleared and its last review done — with
  the replications that did not get there by the end, :mod:`reports.start_backlog` — items left at the end and
  expired, and the SLA attainment of its items per stage × priority), then for a run with decision-quality
  results its figures over all categories (removals right and wrong, missed violations, precision, recall,
  appeals, overturns, exposure, time to action; :mod:`reports.quality` has them per category and stage) and
  wellness hours, then items completed, backlog at the end (all stages, then per stage), end-to-end time to
  decision (mean, p50, p90, p99), SLA attainment per stage × priority, utilisation per team, total staff cost
  (the sum of the teams' costs per replication, derived here and aggregated with the same code) and cost per
  team.
- A figure's display unit is chosen once per row (the same for every scenario): durations in s, min or h
  by the largest mean, times after a launch in h (d from 2 days on), amounts of work in h, shares in %,
  counts in items. Raw values stay in the record's units (s, 0–1 share).
- The assumptions are the run's settings and, when the workflow is given, where its imported values came from
  (a "Data: <node or team>" row per non-empty provenance) and the backlog a run starts from ("Today's backlog":
  its items, stages and note) — unless the workflow changed since the run.
- A staffing table (from the staffing optimiser) is plain data handed in by the caller; exports show it
  when present and leave it out otherwise.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flowmodel.change_words import describe_change_alone
from flowmodel.errors import FlowmodelError
from flowmodel.fingerprint import workflow_fingerprint
from flowmodel.scenarios import Change, Scenario, apply_scenario, describe_scenario
from flowmodel.workflow import Workflow
from reports.about import flowmodel_version
from reports.launch_words import plan_lines, timing_text
from reports.start_backlog import ALL, INSTANTS, KIND, backlog_scopes, not_reached
from simulations.aggregate import MetricDelta, MetricSummary, paired_deltas, summarise_metrics
from simulations.analytic import StageEstimate, stage_estimates
from simulations.results import MetricRecord, ReplicationResult
from simulations.runner import RunResult


@dataclass(frozen=True)
class DisplayUnit:
    """How a figure is shown: ``per`` raw units make one display unit; ``excel`` is the cell number format."""

    name: str
    per: float
    excel: str


SHARE = DisplayUnit("%", 1.0, "0.0%")
ITEMS = DisplayUnit("items", 1.0, "#,##0")
MONEY = DisplayUnit("cost", 1.0, "#,##0")
SECONDS = DisplayUnit("s", 1.0, "0.0")
MINUTES = DisplayUnit("min", 60.0, "0.0")
HOURS = DisplayUnit("h", 3600.0, "0.00")
#: Figures stored in hours (``_h``): times after a launch and amounts of work.
STORED_HOURS = DisplayUnit("h", 1.0, "#,##0.0")
STORED_DAYS = DisplayUnit("d", 24.0, "0.0")
OVERALL_QUALITY = "quality"  # the scope id of a run's decision quality over all categories
WORK_HOURS = frozenset(("paid_hours_h", "on_floor_hours_h", "overtime_h", "exposure_h", "hours_per_day_mean_h",
                        "hours_per_day_p90_h", "hours_per_day_max_h"))


def duration_unit(seconds: float) -> DisplayUnit:
    """Seconds below 2 min, minutes below 3 h, hours above: readable without being rounded to nothing."""
    return SECONDS if seconds < 120 else MINUTES if seconds < 3 * 3600 else HOURS


def unit_for(metric: str, largest: float) -> DisplayUnit:
    if metric.endswith("_share"):
        return SHARE
    if metric.endswith("_s"):
        return duration_unit(largest)
    if metric.endswith("_h"):
        return STORED_DAYS if metric not in WORK_HOURS and largest >= 48 else STORED_HOURS
    if metric == "cost":
        return MONEY
    return ITEMS


@dataclass(frozen=True)
class KeyFigure:
    """One row of the comparison: a metric of one scope, per scenario (in the run's order)."""

    group: str
    label: str
    scope_kind: str
    scope_id: str
    scope_name: str
    metric: str
    unit: DisplayUnit
    summaries: tuple[MetricSummary | None, ...]
    deltas: tuple[MetricDelta | None, ...]
    target: float | None = None
    within_s: float | None = None
    #: the SLA target's clock, "decision" or "wait" (runs stored before clocks have only decision targets)
    clock: str = "decision"
    #: today's backlog instants only: per scenario (replications that did not get there by the end, replications)
    not_reached: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class ScenarioInfo:
    id: str
    name: str
    description: str
    changes: tuple[str, ...]
    is_reference: bool


@dataclass(frozen=True)
class StaffingTable:
    """The staffing optimiser's answer as a plain table (the seam the exports read; nothing else is assumed)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | float, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Comparison:
    run: RunResult
    run_id: str
    workflow_name: str
    scenarios: tuple[ScenarioInfo, ...]
    figures: tuple[KeyFigure, ...]
    assumptions: tuple[tuple[str, str | float], ...]
    estimates: dict[str, dict[str, StageEstimate]] = field(default_factory=dict)
    staffing: StaffingTable | None = None
    created: str = ""

    @property
    def reference(self) -> ScenarioInfo:
        return self.scenarios[0]

    def figure(self, scope_kind: str, scope: str, metric: str) -> KeyFigure:
        """The row for ``metric`` of a scope (by id or name)."""
        for row in self.figures:
            if row.scope_kind == scope_kind and row.metric == metric and scope in (row.scope_id, row.scope_name):
                return row
        raise KeyError(f"no key figure {metric!r} for {scope_kind} {scope!r}")


#: (group, scope kind, metric, label) in report order; per-scope rows get the scope's name after the label.
#: Decision quality is summed over all categories here (:mod:`reports.quality` has the figures per category).
KEY_FIGURES: tuple[tuple[str, str, str, str], ...] = (
    ("Launch", "priority", "recovery_h", "Back in SLA after launch"),
    ("Launch", "priority", "recovered_share", "Replications back in SLA"),
    ("Launch", "priority", "days_below_target_count", "Days below SLA target"),
    ("Launch", "stage", "backlog_peak_count", "Peak backlog after launch"),
    ("Launch", "stage", "backlog_peak_after_launch_h", "Peak backlog reached after launch"),
    ("Launch", "system", "paid_hours_h", "Paid hours, all teams"),
    ("Launch", "system", "on_floor_hours_h", "Hours on the floor, all teams"),
    ("Today's backlog", "start_backlog", "start_count", "Backlog at start"),
    ("Today's backlog", "start_backlog", "cleared_h", "Backlog cleared after start"),
    ("Today's backlog", "start_backlog", "reviewed_h", "Last backlog review done after start"),
    ("Today's backlog", "start_backlog", "left_end_count", "Backlog left at end"),
    ("Today's backlog", "start_backlog", "expired_count", "Backlog items expired"),
    ("Today's backlog", "start_backlog", "sla_attainment_share", "Backlog SLA met"),
    ("Decision quality", "quality", "correct_removals_count", "Correct removals"),
    ("Decision quality", "quality", "wrongful_removals_count", "Wrongful removals"),
    ("Decision quality", "quality", "missed_violations_count", "Missed violations"),
    ("Decision quality", "quality", "precision_share", "Precision"),
    ("Decision quality", "quality", "recall_share", "Recall"),
    ("Decision quality", "quality", "appeals_count", "Appeals"),
    ("Decision quality", "quality", "overturns_count", "Overturns"),
    ("Decision quality", "quality", "overturn_rate_share", "Overturn rate"),
    ("Decision quality", "quality", "exposure_h", "Exposure of violating items"),
    ("Decision quality", "quality", "time_to_action_p90_s", "Time to action, p90"),
    ("Wellness", "wellness", "hours_per_day_p90_h", "Review hours a day, p90"),
    ("Wellness", "wellness", "hours_per_day_max_h", "Review hours a day, max"),
    ("Wellness", "wellness", "capped_share", "Reviewer-days at the cap"),
    ("Volume", "system", "completed_count", "Items completed"),
    ("Backlog", "system", "in_queue_end_count", "Backlog at end, all stages"),
    ("Backlog", "stage", "backlog_end_count", "Backlog at end"),
    ("Time to decision", "system", "time_to_decision_mean_s", "Time to decision, mean"),
    ("Time to decision", "system", "time_to_decision_p50_s", "Time to decision, p50"),
    ("Time to decision", "system", "time_to_decision_p90_s", "Time to decision, p90"),
    ("Time to decision", "system", "time_to_decision_p99_s", "Time to decision, p99"),
    ("SLA attainment", "priority", "sla_attainment_share", "SLA met"),
    ("Utilisation", "team", "utilisation_share", "Utilisation"),
    ("Cost", "system", "cost", "Total staff cost"),
    ("Cost", "team", "cost", "Staff cost"),
)


def build_comparison(run: RunResult, workflow: Workflow | None = None, *, run_id: str = "",
                     run_created: str = "", fingerprint: str = "",
                     staffing: StaffingTable | None = None) -> Comparison:
    """The comparison of ``run`` (see the module rules); ``fingerprint`` is the one stored with the run."""
    summaries = list(run.summaries)
    deltas = list(run.deltas)
    cost_summaries, cost_deltas = _total_cost(run)
    summaries += cost_summaries
    deltas += cost_deltas
    order = [str(s["id"]) for s in run.scenarios]
    by_key = {(s.scenario_id, s.scope_kind, s.scope_id, s.metric): s for s in summaries}
    delta_by_key = {(d.scenario_id, d.scope_kind, d.scope_id, d.metric): d for d in deltas}
    targets = {s.scope_id: s.mean for s in summaries if s.metric == "sla_target_share"}
    within = {s.scope_id: s.mean for s in summaries if s.metric == "sla_within_s"}
    on_wait = {s.scope_id for s in summaries if s.metric == "sla_clock_wait" and s.mean > 0.5}
    figures: list[KeyFigure] = []
    for group, kind, metric, label in KEY_FIGURES:
        scopes = dict.fromkeys((s.scope_id, s.scope_name) for s in summaries
                               if s.scope_kind == kind and s.metric == metric
                               and (kind != "quality" or s.scope_id == OVERALL_QUALITY))
        if kind == KIND and metric != "sla_attainment_share":
            scopes = dict.fromkeys(backlog_scopes(run))  # a row even where no replication cleared the backlog
        for scope_id, scope_name in scopes:
            row = tuple(by_key.get((i, kind, scope_id, metric)) for i in order)
            means = [abs(s.mean) for s in row if s is not None and math.isfinite(s.mean)]
            shown = "all stages" if kind == KIND and scope_id == ALL else scope_name
            figures.append(KeyFigure(
                group, label if kind == "system" else f"{label}: {shown}", kind, scope_id, scope_name, metric,
                unit_for(metric, max(means, default=0.0)), row,
                tuple(delta_by_key.get((i, kind, scope_id, metric)) for i in order),
                targets.get(scope_id) if kind == "priority" else None,
                within.get(scope_id) if kind in ("priority", KIND) else None,
                "wait" if kind == "priority" and scope_id in on_wait else "decision",
                tuple(not_reached(run, i, scope_id, metric) for i in order) if metric in INSTANTS else ()))
    stale = bool(workflow is not None and fingerprint and fingerprint != workflow_fingerprint(workflow))
    scenarios = tuple(_scenario_info(document, workflow, position == 0)
                      for position, document in enumerate(run.scenarios))
    estimates = {} if workflow is None or stale else _estimates(workflow, run.scenarios)
    if not fingerprint and workflow is not None:
        fingerprint = workflow_fingerprint(workflow)
    return Comparison(run, run_id, run.workflow_name or (workflow.name if workflow else ""), scenarios,
                      tuple(figures), _assumptions(run, run_id, run_created, fingerprint, stale, workflow), estimates,
                      staffing, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))


def restrict_run(run: RunResult, scenario_ids: list[str]) -> RunResult:
    """``run`` with only ``scenario_ids`` (the first becomes the reference), aggregates and deltas recomputed.

    For a comparison of some of a run's scenarios, e.g. the ones ticked in the app's comparison view.
    """
    documents = {str(s["id"]): s for s in run.scenarios}
    unknown = [i for i in scenario_ids if i not in documents]
    if unknown or not scenario_ids:
        raise KeyError(f"the run has no scenario {', '.join(map(repr, unknown)) or 'to compare'}")
    return RunResult.from_replications(run.workflow_id, run.workflow_name, run.options,
                                       [documents[i] for i in scenario_ids],
                                       [r for r in run.replications if r.scenario_id in scenario_ids])


def _total_cost(run: RunResult) -> tuple[list[MetricSummary], list[MetricDelta]]:
    """Total staff cost per replication (sum over teams), aggregated like every stored metric."""
    derived: list[ReplicationResult] = []
    for result in run.replications:
        costs = [m.value for m in result.metrics if m.scope_kind == "team" and m.metric == "cost"]
        if costs:
            derived.append(ReplicationResult(result.scenario_id, result.scenario_name, result.replication,
                                             result.seed, [MetricRecord("system", "system", "System", "cost",
                                                                        math.fsum(costs))]))
    if not derived or not any(m.value for r in derived for m in r.metrics):
        return [], []
    return summarise_metrics(derived), paired_deltas(derived, run.baseline_id)


def scenario_from_document(document: dict[str, Any]) -> Scenario:
    """The scenario a run stored (a plain dict) as a :class:`Scenario`, ignoring fields it does not know."""
    known = {f.name for f in dataclasses.fields(Change)}
    changes = [Change(**{k: v for k, v in c.items() if k in known}) for c in document.get("changes", [])
               if isinstance(c, dict)]
    return Scenario(name=str(document.get("name", "")), id=str(document.get("id", "")),
                    description=str(document.get("description", "")), changes=changes)


def _scenario_info(document: dict[str, Any], workflow: Workflow | None, is_reference: bool) -> ScenarioInfo:
    scenario = scenario_from_document(document)
    if workflow is not None:
        lines = describe_scenario(workflow, scenario)
    else:
        lines = [describe_change_alone(c) for c in scenario.changes]
    lines = [f"{line} — {c.note}" if c.note else line for line, c in zip(lines, scenario.changes, strict=True)]
    stored = [c for c in document.get("changes", []) if isinstance(c, dict)]
    if len(stored) == len(lines):  # a launch plan's timing, ramps and scopes (nothing for a plain change)
        lines = [f"{line} · {timing}" if (timing := timing_text(c, workflow)) else line
                 for line, c in zip(lines, stored, strict=True)]
    lines = plan_lines(document, workflow) + lines
    return ScenarioInfo(scenario.id, scenario.name, scenario.description, tuple(lines), is_reference)


def _estimates(workflow: Workflow, documents: list[dict[str, Any]]) -> dict[str, dict[str, StageEstimate]]:
    """Analytic per-stage estimates for each scenario's version of the workflow (skipped where they fail)."""
    out: dict[str, dict[str, StageEstimate]] = {}
    for document in documents:
        scenario = scenario_from_document(document)
        try:
            out[scenario.id] = stage_estimates(apply_scenario(workflow, scenario if scenario.changes else None))
        except FlowmodelError:
            continue
    return out


def _assumptions(run: RunResult, run_id: str, created: str, fingerprint: str, stale: bool,
                 workflow: Workflow | None = None) -> tuple[tuple[str, str | float], ...]:
    s = run.options.settings
    rows: list[tuple[str, str | float]] = [
        ("Workflow", run.workflow_name), ("Run id", run_id or "not stored"), ("Run created", created or "—"),
        ("Horizon (h)", s.horizon_hours), ("Warm-up (h)", s.warmup_hours), ("Replications", s.replications),
        ("Base seed", s.seed), ("Time-series interval (min)", s.interval_minutes),
        ("Horizon starts", f"{s.start_date} (weekday {s.start_weekday}, 0 = Monday)"),
        ("Arrival limit", "none" if run.options.arrival_limit is None else run.options.arrival_limit),
        ("Drain after the horizon", "yes" if run.options.drain else "no"),
        ("Confidence intervals", "95 %, Student t across replications"),
        ("Deltas", "paired by replication with the reference (common random numbers); clear = CI excludes 0"),
        ("Model fingerprint (sha256)", fingerprint or "unknown"),
        ("Flowmodel version", flowmodel_version()),
    ]
    if workflow is not None and not stale:  # a changed workflow's data rows would describe another model
        rows += _data_rows(workflow)
    if stale:
        rows.append(("Note", "the workflow changed since this run; the results describe the model as it was"))
    return tuple(rows)


def _data_rows(workflow: Workflow) -> list[tuple[str, str | float]]:
    """Where the model's imported values came from: one row per node or team with a provenance, then today's
    backlog the runs start from (nothing for a model typed by hand that starts empty)."""
    rows: list[tuple[str, str | float]] = [
        (f"Data: {part.name}", part.provenance)
        for part in (*workflow.nodes.values(), *workflow.teams.values()) if getattr(part, "provenance", "")]
    state = workflow.start_state
    if state is not None and state.total() > 0:
        stages = len([count for count in state.by_stage().values() if count > 0])
        text = f"{state.total():,} items at {stages} stage{'s' if stages != 1 else ''}"
        rows.append(("Today's backlog", f"{text}; {state.note}" if state.note else text))
    return rows
