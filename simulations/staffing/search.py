"""The simulation-verified staffing search: start from the analytic guess, raise until every target holds,
then trim to a minimal roster.

Rules:
- Decision variables: headcount per team × shift × day group (:class:`TeamShift`; weekdays and weekends by
  default). A candidate roster is a scenario on top of the scenario being staffed; every candidate of a search
  runs the same replications with the same base seed (common random numbers, :func:`run_scenarios`), in
  parallel through the given executor, with progress and cancel.
- Met: every target of :class:`StaffingTargets` by its confidence rule (lower CI bound of SLA attainment ≥ the
  share; upper CI bounds of occupancy and backlog ≤ their maxima).
- Raise: while a target is missed, add reviewers — max(1, 10 % of its headcount) — to the team-shift that
  serves the failing stage where its queue was longest: the team-shift (of teams working the stage) whose
  hours in the statistics window hold the largest sum of the stage's mean queue length. An occupancy miss
  raises every team-shift of that team; a backlog miss is treated as a miss at the stage with the largest
  end backlog. One candidate is simulated per step.
- A team-shift whose raise did not close at least a tenth of a missed goal's gap (target − mean attainment)
  is not raised again for that goal;
  when no team-shift is left for a missed goal the search stops (``not_met``) and says why: the items most
  likely wait for hours when no team able to review them is on shift, which headcount cannot fix.
- Trim: from a roster that meets every target, simulate a removal on each team-shift (all in one parallel
  batch, on the same random numbers): first 10 % of its headcount (at least one), and one reviewer once a
  larger cut has failed there. When several removals hold, try them all at once (one more simulation) and
  keep them if every target still holds; otherwise keep the most expensive removal that holds (cost per
  week of one reviewer; paid hours when teams have no cost). Repeat; stop when no single-reviewer removal
  keeps every target — the roster is then minimal in that sense, and that last batch is reported as its
  proof (``trim_checks``, empty when the bound stopped the trim).
- Team-shifts with no hour inside the statistics window (e.g. weekends in a 3-day horizon) cannot be judged
  by the simulation: they keep their analytic figure and a note says so.
- The number of simulated candidates is bounded by ``max_evaluations``; when the bound stops the raise, the
  plan is ``not_met``; when it stops the trim, the plan meets the targets and a note says it may not be minimal.
- Infeasible targets (:func:`infeasible_targets`) stop the search before anything is simulated.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Scenario, apply_scenario
from flowmodel.validation import validate
from flowmodel.validation_issues import errors
from flowmodel.workflow import Workflow
from simulations.aggregate import MetricSummary, summarise_metrics
from simulations.executors import Executor, Progress, make_executor
from simulations.results import ReplicationResult
from simulations.runner import BASELINE_NAME, resolve_scenarios, run_scenarios
from simulations.staffing.analytic import AnalyticGuess, analytic_guess
from simulations.staffing.plan import StaffingPlan, StaffingRow, TargetResult, TrimCheck, roster_changes
from simulations.staffing.targets import StaffingTargets, TeamShift, infeasible_targets, targets_from_model
from simulations.timebase import HOUR_S, horizon_start, load_zone, local_hour_of_week

DEFAULT_MAX_EVALUATIONS = 60
#: A raise helped a missed goal only if it closed at least this share of the gap to the target.
GAP_CLOSED = 0.1
#: The trim first removes this share of a team-shift's headcount at a time, then single reviewers.
COARSE_TRIM = 0.1
Roster = dict[tuple[str, int, tuple[int, ...]], int]


@dataclass(frozen=True)
class SearchProgress:
    """``phase``: ``raise`` or ``trim``; ``batch_fraction``: how far the current batch of simulations is."""

    phase: str
    evaluations: int
    max_evaluations: int
    batch_fraction: float
    message: str


@dataclass
class _Evaluation:
    results: list[TargetResult]
    queue_by_stage: dict[str, list[tuple[float, float]]]
    backlog_by_stage: dict[str, float]

    @property
    def met(self) -> bool:
        return all(r.met for r in self.results)

    @property
    def failing(self) -> tuple[str, ...]:
        return tuple(f"{r.kind}:{r.where}" for r in self.results if not r.met)


class _Search:
    def __init__(self, base: Workflow, targets: StaffingTargets, settings: RunSettings, executor: Executor,
                 on_progress: Callable[[SearchProgress], None] | None, cancel: threading.Event | None,
                 max_evaluations: int) -> None:
        self.base, self.targets, self.settings = base, targets, settings
        self.executor, self.on_progress, self.cancel = executor, on_progress, cancel
        self.max_evaluations = max_evaluations
        self.evaluations = 0

    def evaluate(self, rosters: list[Roster], phase: str) -> list[_Evaluation]:
        """Simulate ``rosters`` side by side (same seeds) and judge every target for each.

        A roster that makes the model invalid (a team with nobody rostered) fails without being simulated.
        """
        trial = self.base.copy()
        ids: list[str | None] = []
        for number, roster in enumerate(rosters):
            scenario = Scenario(name=f"{phase} {self.evaluations + number + 1}",
                                changes=roster_changes(self.base, roster))
            blocking = errors(validate(apply_scenario(self.base, scenario)))
            if blocking:
                ids.append(None)
                continue
            trial.put_scenario(scenario)
            ids.append(scenario.id)
        done = self.evaluations

        def progress(p: Progress) -> None:
            if self.on_progress is not None:
                self.on_progress(SearchProgress(phase, done, self.max_evaluations, p.fraction,
                                                f"{phase}: simulating {len(rosters)} roster(s)"))

        runnable = [i for i in ids if i is not None]
        run = run_scenarios(trial, runnable, self.settings, executor=self.executor, on_progress=progress,
                            cancel=self.cancel) if runnable else None
        self.evaluations += len(rosters)
        invalid = _Evaluation([TargetResult("model", "the roster leaves the model invalid", math.nan, math.nan,
                                            math.nan, math.nan, 0, False)], {}, {})
        return [invalid if i is None or run is None else
                self._judge([r for r in run.replications if r.scenario_id == i]) for i in ids]

    def _judge(self, replications: list[ReplicationResult]) -> _Evaluation:
        summaries = {(s.scope_kind, s.scope_id, s.metric): s
                     for s in summarise_metrics(replications, self.targets.confidence)}
        results: list[TargetResult] = []
        for goal in self.targets.sla:
            summary = summaries.get(("priority", goal.key, "sla_attainment_share"))
            results.append(_result("sla", goal.describe(), goal.share, summary, lower_is_better=False))
        if self.targets.max_occupancy is not None:
            for team in self.base.teams.values():
                summary = summaries.get(("team", team.id, "utilisation_share"))
                results.append(_result("occupancy", team.name, self.targets.max_occupancy, summary, True))
        if self.targets.max_backlog is not None:
            summary = summaries.get(("system", "system", "in_queue_end_count"))
            results.append(_result("backlog", "all queues at the end", self.targets.max_backlog, summary, True))
        queues: dict[str, list[list[tuple[float, float]]]] = {}
        for replication in replications:
            for series in replication.series:
                if series.scope_kind == "stage" and series.metric == "queue_length":
                    queues.setdefault(series.scope_id, []).append(list(zip(series.times_h, series.values,
                                                                           strict=True)))
        mean_queue = {stage: [(runs[0][k][0], sum(run[k][1] for run in runs) / len(runs))
                              for k in range(min(len(run) for run in runs))] for stage, runs in queues.items()}
        backlog = {key[1]: s.mean for key, s in summaries.items()
                   if key[0] == "stage" and key[2] == "backlog_end_count"}
        return _Evaluation(results, mean_queue, backlog)


def _result(kind: str, where: str, target: float, summary: MetricSummary | None, lower_is_better: bool
            ) -> TargetResult:
    """Judge one target by the safe-side CI bound (the mean when the interval is undefined)."""
    if summary is None or not math.isfinite(summary.mean):
        return TargetResult(kind, where, target, math.nan, math.nan, math.nan, 0, True)
    low = summary.ci_low if summary.ci_defined else summary.mean
    high = summary.ci_high if summary.ci_defined else summary.mean
    met = high <= target + 1e-12 if lower_is_better else low >= target - 1e-12
    return TargetResult(kind, where, target, summary.mean, low, high, summary.n, met)


def _observed_hours(workflow: Workflow, variables: list[TeamShift], settings: RunSettings
                    ) -> dict[tuple[str, int, tuple[int, ...]], list[float]]:
    """Per team-shift: the simulated hours (from the horizon start) in the statistics window it is under way."""
    start = horizon_start(settings)
    first, last = math.floor(settings.warmup_hours), math.ceil(settings.horizon_hours)
    zones = {t.id: load_zone(t.timezone, t.name) for t in workflow.teams.values()}
    hours: dict[tuple[str, int, tuple[int, ...]], list[float]] = {v.key: [] for v in variables}
    for h in range(first, last):
        for v in variables:
            if v.covers(workflow, local_hour_of_week(start, (h + 0.5) * HOUR_S, zones[v.team_id])):
                hours[v.key].append(float(h))
    return hours


def _reviewer_cost(workflow: Workflow, targets: StaffingTargets, variable: TeamShift) -> tuple[float, float]:
    """(cost per week, paid hours per week) of one reviewer on ``variable``: the trim's order."""
    hours = workflow.teams[variable.team_id].shifts[variable.shift_index].hours * len(variable.days)
    return targets.cost_per_hour(workflow, variable.team_id) * hours, hours


def recommend_staffing(workflow: Workflow, scenario_id: str | None = None, targets: StaffingTargets | None = None,
                       settings: RunSettings | None = None, *, executor: Executor | None = None,
                       on_progress: Callable[[SearchProgress], None] | None = None,
                       cancel: threading.Event | None = None,
                       max_evaluations: int = DEFAULT_MAX_EVALUATIONS) -> StaffingPlan:
    """The cheapest roster (in the trim's sense) meeting every target for ``scenario_id`` (None = baseline).

    Raises :class:`simulations.spec.SimulationError` for a model that cannot run and
    :class:`simulations.spec.RunCancelled` when ``cancel`` is set.
    """
    scenario = resolve_scenarios(workflow, [scenario_id])[0]
    base = apply_scenario(workflow, scenario)
    base.scenarios = {}  # the candidates are the only scenarios; the workflow's others are not staffed here
    settings = settings if settings is not None else workflow.run_settings
    base.run_settings = settings  # candidates are checked with the settings they run with, not the saved ones
    targets = targets if targets is not None else targets_from_model(base)
    plan = StaffingPlan(workflow.id, workflow.name, scenario.id if scenario else None,
                        scenario.name if scenario else BASELINE_NAME, settings, targets.confidence, "infeasible",
                        max_evaluations=max_evaluations)
    plan.infeasible = infeasible_targets(base, targets)
    if plan.infeasible:
        plan.notes.append("nothing was simulated: relax or fix the infeasible targets and recommend again")
        return plan
    guess = analytic_guess(base, targets, settings)
    variables = [g.team_shift for g in guess.shifts]
    roster: Roster = {g.team_shift.key: g.rounded for g in guess.shifts}

    for stage_id, hours in guess.uncovered_hours.items():
        plan.notes.append(f"{base.nodes[stage_id].name}: {hours} h a week with work and no team able to review it on "
                          "shift; those items wait for the next shift whatever the headcount")
    search = _Search(base, targets, settings, executor or make_executor(), on_progress, cancel, max_evaluations)
    observed = _observed_hours(base, variables, settings)
    for v in variables:
        if not observed[v.key]:
            plan.notes.append(f"{v.describe()} has no hour in the statistics window: kept at the analytic guess")
    judged = [v for v in variables if observed[v.key]]
    final = _raise(search, base, roster, judged, observed, plan)
    if final is not None:
        final = _trim(search, base, targets, roster, judged, plan, final)
        plan.status = "met"
    plan.evaluations = search.evaluations
    plan.achieved = final.results if final is not None else plan.achieved
    plan.rows = _rows(base, targets, guess, roster)
    return plan


def _raise(search: _Search, base: Workflow, roster: Roster, judged: list[TeamShift],
           observed: dict[tuple[str, int, tuple[int, ...]], list[float]], plan: StaffingPlan) -> _Evaluation | None:
    """Add reviewers until every target holds; the met evaluation, or None when the bound or a dead end stops it.

    A team-shift whose raise did not close a tenth of a missed goal's gap is not raised for that goal again
    (more reviewers do not help where items wait for hours when nobody able is on shift).
    """
    exhausted: dict[str, set[tuple[str, int, tuple[int, ...]]]] = {}
    previous: _Evaluation | None = None
    raised: set[tuple[str, int, tuple[int, ...]]] = set()
    while True:
        evaluation = search.evaluate([dict(roster)], "raise")[0]
        if evaluation.met:
            return evaluation
        if any(r.kind == "model" for r in evaluation.results):
            plan.status = "not_met"
            plan.notes.append("the roster leaves a team with nobody rostered, so the model cannot run; give the "
                              "team a stage with work or a shift under way when work arrives")
            return None
        plan.status, plan.achieved = "not_met", evaluation.results
        if previous is not None:
            for goal, before, after in zip(search.targets.sla, previous.results, evaluation.results, strict=False):
                if not after.met and not after.mean - before.mean >= GAP_CLOSED * (goal.share - before.mean):
                    exhausted.setdefault(goal.stage_id, set()).update(raised)
        if search.evaluations >= search.max_evaluations:
            plan.notes.append(f"stopped at the bound of {search.max_evaluations} simulated rosters with targets "
                              f"still missed: {', '.join(evaluation.failing)}")
            return None
        raised = _to_raise(base, search.targets, evaluation, judged, observed, exhausted)
        if not raised:
            plan.notes.append("more reviewers on the team-shifts serving these targets no longer improved them: "
                              f"{', '.join(evaluation.failing)}; items probably wait for hours when no team able "
                              "to review them is on shift — add or move a shift")
            return None
        for key in raised:
            roster[key] += max(1, round(0.1 * roster[key]))
        previous = evaluation


def _to_raise(base: Workflow, targets: StaffingTargets, evaluation: _Evaluation, judged: list[TeamShift],
              observed: dict[tuple[str, int, tuple[int, ...]], list[float]],
              exhausted: dict[str, set[tuple[str, int, tuple[int, ...]]]]) -> set[tuple[str, int, tuple[int, ...]]]:
    stages: list[str] = [g.stage_id for g, r in zip(targets.sla, evaluation.results, strict=False) if not r.met]
    chosen: set[tuple[str, int, tuple[int, ...]]] = set()
    for result in evaluation.results:
        if result.met:
            continue
        if result.kind == "occupancy":
            chosen.update(v.key for v in judged if base.teams[v.team_id].name == result.where)
        elif result.kind == "backlog" and evaluation.backlog_by_stage:
            stages.append(max(evaluation.backlog_by_stage, key=evaluation.backlog_by_stage.__getitem__))
    for stage_id in dict.fromkeys(stages):
        serving = [v for v in judged if stage_id in base.teams[v.team_id].stages
                   and v.key not in exhausted.get(stage_id, set())]
        if not serving:
            continue
        queue = {math.floor(t - 1e-9): q for t, q in evaluation.queue_by_stage.get(stage_id, [])}
        chosen.add(max(serving, key=lambda v: (sum(queue.get(int(h), 0.0) for h in observed[v.key]),
                                               len(observed[v.key]))).key)
    return chosen


def _trim(search: _Search, base: Workflow, targets: StaffingTargets, roster: Roster, judged: list[TeamShift],
          plan: StaffingPlan, final: _Evaluation) -> _Evaluation:
    """Remove reviewers, most expensive first, while every target still holds (rules in the module docstring)."""
    steps = {v.key: max(1, round(COARSE_TRIM * roster[v.key])) for v in judged}
    while True:
        candidates = sorted((v for v in judged if roster[v.key] > 0),
                            key=lambda v: _reviewer_cost(base, targets, v), reverse=True)
        if not candidates:
            return final
        if search.evaluations + len(candidates) > search.max_evaluations:
            plan.notes.append(f"the bound of {search.max_evaluations} simulated rosters stopped the trim: the "
                              "roster meets every target but one reviewer fewer somewhere may still do")
            return final
        cuts = {v.key: min(steps[v.key], roster[v.key]) for v in candidates}
        trials = [{**roster, v.key: roster[v.key] - cuts[v.key]} for v in candidates]
        evaluations = search.evaluate(trials, "trim")
        holding = [(v, e) for v, e in zip(candidates, evaluations, strict=True) if e.met]
        for v, e in zip(candidates, evaluations, strict=True):
            if not e.met:
                steps[v.key] = 1
        if not holding:
            if all(cut == 1 for cut in cuts.values()):
                plan.trim_checks = [TrimCheck(v.describe(), roster[v.key] - 1, e.met, e.failing)
                                    for v, e in zip(candidates, evaluations, strict=True)]
                return final
            continue
        if len(holding) > 1 and search.evaluations < search.max_evaluations:
            together = {**roster, **{v.key: roster[v.key] - cuts[v.key] for v, _ in holding}}
            evaluation = search.evaluate([together], "trim")[0]
            if evaluation.met:
                roster.update(together)
                final = evaluation
                continue
        roster[holding[0][0].key] -= cuts[holding[0][0].key]
        final = holding[0][1]


def _rows(base: Workflow, targets: StaffingTargets, guess: AnalyticGuess, roster: Roster) -> list[StaffingRow]:
    rows = []
    for g in guess.shifts:
        v = g.team_shift
        shift = base.teams[v.team_id].shifts[v.shift_index]
        rows.append(StaffingRow(v.team_id, v.team_name, v.shift_index, v.shift_name, v.days,
                                tuple(shift.headcount[d] for d in v.days), roster[v.key], g.fractional, g.rounded,
                                shift.hours, targets.cost_per_hour(base, v.team_id)))
    return rows
