"""The staffing search: a pooled analytic first guess, cheap screening simulations to raise and trim it,
then a full-length confirmation with sequential stopping.

Rules:
- Decision variables: heads on shift per team × shift × day group (:class:`TeamShift`; weekdays and weekends
  by default). Targets no staffing can meet (:func:`infeasible_targets`) are reported with the reason and left
  out; every other target is still staffed, so a plan always has a staffing table.
- First guess: :func:`pooled_guess` — the cheapest whole-number roster covering every stage's Erlang need
  hour by hour, with credit for teams that share stages and for a few hours of carry-over. The per-team
  Erlang figure (:func:`analytic_guess`, no pooling) is kept beside it for comparison.
- Screening (:func:`screen_settings`): one week after the warm-up (every weekday and the weekend seen once),
  or twice the longest goal window if longer, never past the horizon; :data:`SCREEN_FIRST` replications, up
  to :data:`SCREEN_MOST` while a target's interval is unclear, judged at :data:`SCREEN_CONFIDENCE`. All
  candidates of a step run in one batch on the executor (common random numbers,
  :mod:`simulations.staffing.evaluation`), on workers kept for the whole search.
- Raise: while a target is missed, add reviewers — max(1, 10 % of its headcount) — to the team-shift serving
  the failing stage whose hours hold most of the stage's mean queue, or to every team-shift serving it when
  the goal is missed by more than :data:`WIDE_GAP` (an occupancy miss raises every
  team-shift of that team; a backlog miss counts as a miss at the stage with the largest end backlog). A
  team-shift whose raise did not close a tenth of a missed goal's gap is not raised again for that goal; when
  none is left the search says why (items wait when no able team is on shift; headcount cannot fix that).
- Trim: from a roster meeting every target, try a removal on each team-shift in one batch — 10 % of its
  heads (at least one), then single reviewers once a larger cut failed there; keep all removals that held
  if together they still hold, else the most expensive one; stop when no single-reviewer removal holds (that
  batch is the plan's ``trim_checks``, the proof of minimality at screening length). The trim stops early,
  with a note, when the next batch would run past ``time_budget_s`` (measured cost per simulated hour). The
  budget is wall time, so where it stops the trim the plan depends on the machine's speed and load; a plan
  is a pure function of (model, targets, settings) only when the budget does not bind.
- Confirmation: the trimmed roster at the run settings' full horizon, :data:`CONFIRM_FIRST` replications and
  more in steps of the executor's workers while a target is unclear, up to the settings' replications, at
  the targets' confidence. When screening ran at the full horizon, the replications it ran for that roster
  (same seeds) count towards the confirmation and are not run again. A confirmed miss raises as above and
  confirms again (not bounded by the time budget: a plan that meets its targets matters more than the minute).
- Team-shifts with no hour in the statistics window keep their first-guess figure and a note says so.
- ``max_evaluations`` bounds the rosters simulated (screened and confirmed); when it stops the search with a
  target missed, the plan is ``not_met``.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable

from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import apply_scenario
from flowmodel.workflow import Workflow
from simulations.executors import Executor, make_executor
from simulations.runner import BASELINE_NAME, resolve_scenarios
from simulations.staffing.analytic import HOURS, AnalyticGuess, analytic_guess
from simulations.staffing.evaluation import Evaluation, Evaluator, Roster, SearchProgress
from simulations.staffing.plan import StaffingPlan, StaffingRow, TrimCheck
from simulations.staffing.pools import pooled_guess
from simulations.staffing.targets import (
    StaffingTargets,
    TeamShift,
    feasible_targets,
    infeasible_targets,
    targets_from_model,
)
from simulations.timebase import HOUR_S, horizon_start, load_zone, local_hour_of_week

__all__ = ["SearchProgress", "recommend_staffing"]

DEFAULT_MAX_EVALUATIONS = 60
DEFAULT_TIME_BUDGET_S = 45.0
GAP_CLOSED = 0.1
#: A goal missed by more than this share raises every team-shift serving its stage at once, not just one.
WIDE_GAP = 0.05
COARSE_TRIM = 0.1
SCREEN_FIRST, SCREEN_MOST, SCREEN_CONFIDENCE = 2, 4, 0.8
CONFIRM_FIRST = 2
Key = tuple[str, int, tuple[int, ...]]


def screen_settings(settings: RunSettings, targets: StaffingTargets | None = None) -> RunSettings:
    """The settings screening runs with: after the warm-up one week, or twice the longest goal window when that is
    longer (an item must have time to miss its goal inside the run), never past the horizon; fewer replications."""
    longest = max((g.within_s / HOUR_S for g in targets.sla), default=0.0) if targets is not None else 0.0
    horizon = min(settings.horizon_hours, settings.warmup_hours + max(HOURS, 2.0 * longest))
    return dataclasses.replace(settings, horizon_hours=horizon, replications=min(settings.replications, SCREEN_MOST))


class _Search:
    def __init__(self, base: Workflow, targets: StaffingTargets, settings: RunSettings, evaluator: Evaluator,
                 variables: list[TeamShift], jobs: int, time_budget_s: float) -> None:
        self.base, self.targets, self.settings, self.evaluator = base, targets, settings, evaluator
        self.screen = screen_settings(settings, targets)
        self.jobs, self.time_budget_s, self.started = jobs, time_budget_s, time.monotonic()
        self.observed = _observed_hours(base, variables, self.screen)
        self.judged = [v for v in variables if self.observed[v.key]]

    def screen_batch(self, rosters: list[Roster], phase: str) -> list[Evaluation]:
        return self.evaluator.evaluate(rosters, self.screen, phase, first=min(SCREEN_FIRST, self.screen.replications),
                                       most=self.screen.replications, step=2, confidence=SCREEN_CONFIDENCE)

    def confirm(self, roster: Roster) -> Evaluation:
        return self.evaluator.evaluate([dict(roster)], self.settings, "confirm",
                                       first=min(max(CONFIRM_FIRST, self.jobs), self.settings.replications),
                                       most=self.settings.replications, step=max(self.jobs, 1),
                                       confidence=self.targets.confidence)[0]

    def left(self) -> int:
        return self.evaluator.max_evaluations - self.evaluator.evaluations

    def fits_budget(self, candidates: int) -> bool:
        """Whether screening ``candidates`` rosters and one confirmation still fit the time budget (estimated)."""
        per_hour = self.evaluator.seconds_per_hour()
        batch = candidates * SCREEN_FIRST * self.screen.horizon_hours * per_hour / max(self.jobs, 1)
        confirm = CONFIRM_FIRST * self.settings.horizon_hours * per_hour
        return time.monotonic() - self.started + batch + confirm <= self.time_budget_s


def _observed_hours(workflow: Workflow, variables: list[TeamShift], settings: RunSettings) -> dict[Key, list[float]]:
    """Per team-shift: the simulated hours (from the horizon start) in the statistics window it is under way."""
    start = horizon_start(settings)
    first, last = math.floor(settings.warmup_hours), math.ceil(settings.horizon_hours)
    zones = {t.id: load_zone(t.timezone, t.name) for t in workflow.teams.values()}
    hours: dict[Key, list[float]] = {v.key: [] for v in variables}
    for h in range(first, last):
        for v in variables:
            if v.covers(workflow, local_hour_of_week(start, (h + 0.5) * HOUR_S, zones[v.team_id])):
                hours[v.key].append(float(h))
    return hours


def _on_shift(workflow: Workflow, variables: list[TeamShift], settings: RunSettings) -> dict[tuple[Key, int], bool]:
    start = horizon_start(settings)
    zones = {t.id: load_zone(t.timezone, t.name) for t in workflow.teams.values()}
    return {(v.key, k): v.covers(workflow, local_hour_of_week(start, (k + 0.5) * HOUR_S, zones[v.team_id]))
            for v in variables for k in range(HOURS)}


def _reviewer_cost(workflow: Workflow, targets: StaffingTargets, variable: TeamShift) -> tuple[float, float]:
    """(cost per week, paid hours per week) of one reviewer on ``variable``: the trim's order."""
    hours = workflow.teams[variable.team_id].shifts[variable.shift_index].hours * len(variable.days)
    return targets.cost_per_hour(workflow, variable.team_id) * hours, hours


def recommend_staffing(workflow: Workflow, scenario_id: str | None = None, targets: StaffingTargets | None = None,
                       settings: RunSettings | None = None, *, executor: Executor | None = None,
                       on_progress: Callable[[SearchProgress], None] | None = None,
                       cancel: threading.Event | None = None, max_evaluations: int = DEFAULT_MAX_EVALUATIONS,
                       time_budget_s: float = DEFAULT_TIME_BUDGET_S) -> StaffingPlan:
    """The cheapest roster (in the trim's sense) meeting every feasible target for ``scenario_id`` (None = baseline).

    Raises :class:`simulations.spec.SimulationError` for a model that cannot run and
    :class:`simulations.spec.RunCancelled` when ``cancel`` is set.
    """
    began = time.monotonic()
    scenario = resolve_scenarios(workflow, [scenario_id])[0]
    base = apply_scenario(workflow, scenario)
    base.scenarios = {}  # the candidates are the only scenarios; the workflow's others are not staffed here
    settings = settings if settings is not None else workflow.run_settings
    base.run_settings = settings  # candidates are checked with the settings they run with, not the saved ones
    targets = targets if targets is not None else targets_from_model(base)
    plan = StaffingPlan(workflow.id, workflow.name, scenario.id if scenario else None,
                        scenario.name if scenario else BASELINE_NAME, settings, targets.confidence, "met",
                        max_evaluations=max_evaluations)
    plan.infeasible = infeasible_targets(base, targets)
    staffed = feasible_targets(base, targets, plan.infeasible)
    erlang = analytic_guess(base, staffed, settings)
    variables = [g.team_shift for g in erlang.shifts]
    on_shift = _on_shift(base, variables, settings)
    weekly = {v.key: _reviewer_cost(base, staffed, v)[0] or _reviewer_cost(base, staffed, v)[1] for v in variables}
    first_guess = pooled_guess(base, staffed, erlang, on_shift, weekly)
    roster: Roster = dict(first_guess)
    for stage_id, hours in erlang.uncovered_hours.items():
        plan.notes.append(f"{base.nodes[stage_id].name}: {hours} h a week with work and no team able to review it on "
                          "shift; those items wait for the next shift whatever the headcount")
    if plan.infeasible:
        plan.notes.append(f"{len(plan.infeasible)} target(s) no staffing can meet are left out (reasons listed); "
                          "the other targets are staffed")
    executor = executor or make_executor()
    evaluator = Evaluator(base, staffed, executor, on_progress, cancel, max_evaluations)
    search = _Search(base, staffed, settings, evaluator, variables, getattr(executor, "jobs", 1), time_budget_s)
    plan.screen_settings = search.screen
    for v in variables:
        if not search.observed[v.key]:
            plan.notes.append(f"{v.describe()} has no hour in the statistics window: kept at the first guess")
    if staffed.sla or staffed.max_occupancy is not None or staffed.max_backlog is not None:
        with executor.kept_workers():
            _search(search, roster, plan)
    else:
        plan.notes.append("no target left to simulate: the table shows the analytic first guess (stable queues)")
    if plan.infeasible:
        plan.status = "infeasible"
    plan.evaluations = evaluator.evaluations
    plan.replications_run = evaluator.replications_run
    plan.rosters_by_phase = dict(evaluator.by_phase)
    plan.wall_seconds = time.monotonic() - began
    plan.rows = _rows(base, staffed, erlang, first_guess, roster)
    return plan


def _search(search: _Search, roster: Roster, plan: StaffingPlan) -> None:
    """Screen, raise, trim, then confirm at full length (raising again on a confirmed miss)."""
    screened = _raise(search, roster, plan, search.screen_batch, "screen")
    if screened is None:
        plan.status = "not_met"
        return
    _trim(search, roster, plan)
    confirmed = search.confirm(roster)
    plan.achieved = confirmed.results
    if not confirmed.met:
        plan.notes.append(f"the full-length confirmation missed {', '.join(confirmed.failing)}: raised and confirmed "
                          "again")
        if _raise(search, roster, plan, lambda rosters, phase: [search.confirm(rosters[0])], "confirm",
                  start=confirmed) is None:
            plan.status = "not_met"
            return
    plan.status = "met"


def _raise(search: _Search, roster: Roster, plan: StaffingPlan,
           run: Callable[[list[Roster], str], list[Evaluation]], phase: str,
           start: Evaluation | None = None) -> Evaluation | None:
    """Add reviewers until every target holds; the met evaluation, or None when the bound or a dead end stops it."""
    exhausted: dict[str, set[Key]] = {}
    previous: Evaluation | None = None
    raised: set[Key] = set()
    evaluation = start
    while True:
        if evaluation is None:
            evaluation = run([dict(roster)], phase)[0]
        if evaluation.met:
            plan.achieved = evaluation.results
            return evaluation
        plan.achieved = evaluation.results
        if evaluation.invalid:
            plan.notes.append("the roster leaves a team with nobody rostered, so the model cannot run; give the "
                              "team a stage with work or a shift under way when work arrives")
            return None
        if previous is not None:
            for goal, before, after in zip(search.targets.sla, previous.results, evaluation.results, strict=False):
                if not after.met and not after.mean - before.mean >= GAP_CLOSED * (goal.share - before.mean):
                    exhausted.setdefault(goal.stage_id, set()).update(raised)
        if search.left() <= 0:
            plan.notes.append(f"stopped at the bound of {search.evaluator.max_evaluations} simulated rosters with "
                              f"targets still missed: {', '.join(evaluation.failing)}")
            return None
        raised = _to_raise(search, evaluation, exhausted)
        if not raised:
            plan.notes.append("more reviewers on the team-shifts serving these targets no longer improved them: "
                              f"{', '.join(evaluation.failing)}; items probably wait for hours when no team able "
                              "to review them is on shift — add or move a shift")
            return None
        for key in raised:
            roster[key] += max(1, round(0.1 * roster[key]))
        previous, evaluation = evaluation, None


def _to_raise(search: _Search, evaluation: Evaluation, exhausted: dict[str, set[Key]]) -> set[Key]:
    base, targets = search.base, search.targets
    stages: list[str] = [g.stage_id for g, r in zip(targets.sla, evaluation.results, strict=False) if not r.met]
    chosen: set[Key] = set()
    for result in evaluation.results:
        if result.met:
            continue
        if result.kind == "occupancy":
            chosen.update(v.key for v in search.judged if base.teams[v.team_id].name == result.where)
        elif result.kind == "backlog" and evaluation.backlog_by_stage:
            stages.append(max(evaluation.backlog_by_stage, key=evaluation.backlog_by_stage.__getitem__))
    gaps = {g.stage_id: g.share - r.mean for g, r in zip(targets.sla, evaluation.results, strict=False)
            if not r.met and math.isfinite(r.mean)}
    for stage_id in dict.fromkeys(stages):
        serving = [v for v in search.judged if stage_id in base.teams[v.team_id].stages
                   and v.key not in exhausted.get(stage_id, set())]
        if not serving:
            continue
        if gaps.get(stage_id, 0.0) > WIDE_GAP:
            chosen.update(v.key for v in serving)  # far from the goal: raise every team-shift serving it
            continue
        queue = {math.floor(t - 1e-9): q for t, q in evaluation.queue_by_stage.get(stage_id, [])}
        chosen.add(max(serving, key=lambda v: (sum(queue.get(int(h), 0.0) for h in search.observed[v.key]),
                                               len(search.observed[v.key]))).key)
    return chosen


def _trim(search: _Search, roster: Roster, plan: StaffingPlan) -> None:
    """Remove reviewers, most expensive first, while every target still holds at screening length."""
    steps = {v.key: max(1, round(COARSE_TRIM * roster[v.key])) for v in search.judged}
    while True:
        candidates = sorted((v for v in search.judged if roster[v.key] > 0),
                            key=lambda v: _reviewer_cost(search.base, search.targets, v), reverse=True)
        if not candidates:
            return
        if search.left() < len(candidates) + 1:
            plan.notes.append(f"the bound of {search.evaluator.max_evaluations} simulated rosters stopped the trim: "
                              "the roster meets every target but one reviewer fewer somewhere may still do")
            return
        if not search.fits_budget(len(candidates)):
            plan.notes.append(f"the time budget of {search.time_budget_s:g} s stopped the trim: the roster meets "
                              "every target but one reviewer fewer somewhere may still do")
            return
        cuts = {v.key: min(steps[v.key], roster[v.key]) for v in candidates}
        trials = [{**roster, v.key: roster[v.key] - cuts[v.key]} for v in candidates]
        evaluations = search.screen_batch(trials, "trim")
        holding = [(v, e) for v, e in zip(candidates, evaluations, strict=True) if e.met]
        for v, e in zip(candidates, evaluations, strict=True):
            if not e.met:
                steps[v.key] = 1
        if not holding:
            if all(cut == 1 for cut in cuts.values()):
                plan.trim_checks = [TrimCheck(v.describe(), roster[v.key] - 1, e.met, e.failing)
                                    for v, e in zip(candidates, evaluations, strict=True)]
                return
            continue
        if len(holding) > 1 and search.left() > 1:
            together = {**roster, **{v.key: roster[v.key] - cuts[v.key] for v, _ in holding}}
            if search.screen_batch([together], "trim")[0].met:
                roster.update(together)
                continue
        roster[holding[0][0].key] -= cuts[holding[0][0].key]


def _rows(base: Workflow, targets: StaffingTargets, erlang: AnalyticGuess, first_guess: Roster, roster: Roster
          ) -> list[StaffingRow]:
    rows = []
    for g in erlang.shifts:
        v = g.team_shift
        team = base.teams[v.team_id]
        shift = team.shifts[v.shift_index]
        rows.append(StaffingRow(v.team_id, v.team_name, v.shift_index, v.shift_name, v.days,
                                tuple(shift.headcount[d] for d in v.days), roster[v.key], g.fractional, g.rounded,
                                shift.hours, targets.cost_per_hour(base, v.team_id), first_guess[v.key],
                                team.shrinkage, team.contract_hours))
    return rows
