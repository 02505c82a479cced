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
- Trim: from the roster the raise ended on (the *reference*, met at screening length), each round tries a removal
  on every team-shift — first 10 % of its heads (at least one), then twice the last cut where it held (at most
  a quarter of the heads) and half where it missed. A removal whose interval estimate's backlog grows week after
  week is refused without a simulation (:mod:`.stability`: a screen is too short to see it). The stable
  removals are packed, most expensive reviewer first, while the estimate stays bounded, and the pack is tried
  as one roster; when it misses, each stable removal is tried alone in one batch and the holding ones are
  packed again (else the most expensive holding one is kept). Every roster tried runs its first replication
  only (two when it runs alone) and is judged paired with the reference
  (:func:`simulations.staffing.evaluation.paired`). A single-reviewer
  removal that missed is settled: staffing is monotone (fewer reviewers elsewhere never help), so it would
  miss again from any smaller roster and is not tried again. The trim ends when every team-shift with heads
  is settled; those misses are the plan's ``trim_checks``, the proof of minimality at screening length. It
  stops early, with a note, when the next batch would run past ``time_budget_s`` (measured cost per simulated
  hour). The budget is wall time, so where it stops the trim the plan depends on the machine's speed and load;
  a plan is a pure function of (model, targets, settings) only when the budget does not bind.
- Confirmation: the trimmed roster at the run settings' full horizon, :data:`CONFIRM_FIRST` replications and
  :data:`CONFIRM_STEP` more while a target is unclear, up to the settings' replications, at the targets'
  confidence (fixed steps, not the executor's worker count, so every executor reaches the same plan). When
  screening ran at the full horizon, the replications it ran for that roster (same seeds) count towards the
  confirmation and are not run again. A confirmed miss raises one reviewer at a
  time on the team-shift chosen as above and confirms again (not bounded by the time budget: a plan that meets
  its targets matters more than the minute); the raised team-shift's minimality proof is then the confirmed
  miss one reviewer below.
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

from flowmodel.errors import ModelError
from flowmodel.launch_period import settled_hours
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Scenario, apply_scenario
from flowmodel.workflow import Workflow
from simulations.executors import Executor, make_executor
from simulations.runner import BASELINE_NAME, resolve_scenarios
from simulations.staffing.analytic import HOURS, AnalyticGuess, analytic_guess
from simulations.staffing.evaluation import Evaluation, Evaluator, Roster, SearchProgress, launch_remainder, paired
from simulations.staffing.plan import StaffingPlan, StaffingRow, TrimCheck
from simulations.staffing.pools import pooled_guess
from simulations.staffing.stability import stability_verdict
from simulations.staffing.targets import (
    StaffingTargets,
    TeamShift,
    feasible_targets,
    infeasible_targets,
    targets_from_model,
    team_shifts,
)
from simulations.timebase import HOUR_S, horizon_start, load_zone, local_hour_of_week

__all__ = ["SearchProgress", "check_minimality", "recommend_staffing"]

DEFAULT_MAX_EVALUATIONS = 60
DEFAULT_TIME_BUDGET_S = 50.0
GAP_CLOSED = 0.1
#: A goal missed by more than this share raises every team-shift serving its stage at once, not just one.
WIDE_GAP = 0.05
COARSE_TRIM, MAX_TRIM = 0.1, 0.25
SCREEN_FIRST, SCREEN_MOST, SCREEN_CONFIDENCE = 2, 4, 0.8
CONFIRM_FIRST = CONFIRM_STEP = 2
PAIRED_ALONE = 2
Key = tuple[str, int, tuple[int, ...]]


def screen_settings(settings: RunSettings, targets: StaffingTargets | None = None,
                    settled_h: float = 0.0) -> RunSettings:
    """The settings screening runs with: after the warm-up one week, or twice the longest goal window when that is
    longer (an item must have time to miss its goal inside the run), never past the horizon; fewer replications.
    A launch plan's screen runs at least until it has settled (``settled_h``) and its items' goals have passed, so
    the screen sees the launch the confirmation will judge."""
    longest = max((g.within_s / HOUR_S for g in targets.sla), default=0.0) if targets is not None else 0.0
    horizon = min(settings.horizon_hours, max(settings.warmup_hours + max(HOURS, 2.0 * longest),
                                              settled_h + 2.0 * longest if settled_h > 0 else 0.0))
    return dataclasses.replace(settings, horizon_hours=horizon, replications=min(settings.replications, SCREEN_MOST))


class _Search:
    def __init__(self, base: Workflow, targets: StaffingTargets, settings: RunSettings, evaluator: Evaluator,
                 variables: list[TeamShift], jobs: int, time_budget_s: float, settled_h: float = 0.0) -> None:
        self.base, self.targets, self.settings, self.evaluator = base, targets, settings, evaluator
        self.screen = screen_settings(settings, targets, settled_h)
        self.jobs, self.time_budget_s, self.started = jobs, time_budget_s, time.monotonic()
        self.observed = _observed_hours(base, variables, self.screen)
        self.judged = [v for v in variables if self.observed[v.key]]

    def screen_batch(self, rosters: list[Roster], phase: str) -> list[Evaluation]:
        return self.evaluator.evaluate(rosters, self.screen, phase, first=min(SCREEN_FIRST, self.screen.replications),
                                       most=self.screen.replications, step=2, confidence=SCREEN_CONFIDENCE)

    def confirm(self, roster: Roster) -> Evaluation:
        return self.evaluator.evaluate([dict(roster)], self.settings, "confirm",
                                       first=min(CONFIRM_FIRST, self.settings.replications),
                                       most=self.settings.replications, step=CONFIRM_STEP,
                                       confidence=self.targets.confidence)[0]

    def left(self) -> int:
        return self.evaluator.max_evaluations - self.evaluator.evaluations

    def fits_budget(self, candidates: int, replications: int = 1) -> bool:
        """Whether ``candidates`` rosters × ``replications`` at screening length and one confirmation still fit the
        time budget (estimated from the cost per simulated hour so far)."""
        per_hour = self.evaluator.seconds_per_hour()  # wall seconds per replication-hour, workers busy together
        jobs = max(self.jobs, 1)

        def wall(tasks: int, hours: float) -> float:  # whole waves of one replication per worker
            return math.ceil(tasks / jobs) * jobs * hours * per_hour

        batch = wall(candidates * replications, self.screen.horizon_hours)
        confirm = wall(CONFIRM_FIRST + CONFIRM_STEP, self.settings.horizon_hours)  # room for one more step
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


def _staffed_base(workflow: Workflow, scenario_id: str | None, settings: RunSettings | None
                  ) -> tuple[Scenario | None, Workflow, RunSettings]:
    """The scenario, the workflow with it applied (the candidates' base) and the settings the search runs with."""
    scenario = resolve_scenarios(workflow, [scenario_id])[0]
    base = apply_scenario(workflow, scenario)
    base.scenarios = {}  # the candidates are the only scenarios; the workflow's others are not staffed here
    settings = settings if settings is not None else workflow.run_settings
    base.run_settings = settings  # candidates are checked with the settings they run with, not the saved ones
    return scenario, base, settings


def _settled_h(scenario: Scenario | None, settings: RunSettings) -> float:
    """When a launch plan has settled (its screens run at least that long); 0 for a static scenario."""
    return settled_hours(scenario, settings) if scenario is not None and scenario.is_launch_plan() else 0.0


def settled_model(workflow: Workflow, scenario: Scenario | None, base: Workflow) -> Workflow:
    """What the analytic first guess staffs: for a launch plan, its static model with every lasting, unscoped timed
    change applied at its settled value (a launch is staffed from where it settles, and the simulation raises
    from there); ``base`` itself otherwise. Changes that end, scoped ones, backfills and trainings are left to
    the simulation."""
    if scenario is None or not scenario.is_launch_plan():
        return base
    lasting = [dataclasses.replace(c, start="", end="", ramp=None) for c in scenario.changes
               if not c.is_static() and not c.end.strip() and not c.is_scoped()]
    if not lasting:
        return base
    try:
        model = apply_scenario(base, Scenario(name=scenario.name, changes=lasting))
    except ModelError:
        return base  # a change that does not apply statically: the simulation will say so
    model.scenarios = {}
    model.run_settings = base.run_settings
    return model


def check_minimality(workflow: Workflow, scenario_id: str | None, roster: Roster, settings: RunSettings | None = None,
                     *, targets: StaffingTargets | None = None, executor: Executor | None = None) -> list[TrimCheck]:
    """One reviewer fewer on each team-shift of ``roster`` with heads, judged by the trim's own rule
    (:func:`judge_removals`, with ``roster`` screened as the reference): a minimal roster misses on every one.
    ``targets`` (and their day groups) must be the ones the roster was recommended for."""
    scenario, base, settings = _staffed_base(workflow, scenario_id, settings)
    targets = targets if targets is not None else targets_from_model(base)
    targets = feasible_targets(base, targets, infeasible_targets(base, targets))
    executor = executor or make_executor()
    evaluator = Evaluator(base, targets, executor, None, None, 10_000, launch_remainder(scenario))
    search = _Search(base, targets, settings, evaluator, team_shifts(base, targets.day_groups),
                     getattr(executor, "jobs", 1), math.inf, _settled_h(scenario, settings))
    staffed = [v for v in search.judged if roster[v.key] > 0]
    with executor.kept_workers():
        reference = search.screen_batch([dict(roster)], "minimality")[0]
        verdicts = judge_removals(search, reference, roster, [{**roster, v.key: roster[v.key] - 1} for v in staffed])
    return [TrimCheck(v.describe(), roster[v.key] - 1, e.met, e.failing) for v, e in zip(staffed, verdicts,
                                                                                           strict=True)]


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
    scenario, base, settings = _staffed_base(workflow, scenario_id, settings)
    targets = targets if targets is not None else targets_from_model(base)
    plan = StaffingPlan(workflow.id, workflow.name, scenario.id if scenario else None,
                        scenario.name if scenario else BASELINE_NAME, settings, targets.confidence, "met",
                        max_evaluations=max_evaluations)
    plan.infeasible = infeasible_targets(base, targets)
    staffed = feasible_targets(base, targets, plan.infeasible)
    guess_base = settled_model(workflow, scenario, base)
    erlang = analytic_guess(guess_base, staffed, settings)
    variables = [g.team_shift for g in erlang.shifts]
    on_shift = _on_shift(base, variables, settings)
    weekly = {v.key: _reviewer_cost(base, staffed, v)[0] or _reviewer_cost(base, staffed, v)[1] for v in variables}
    first_guess = pooled_guess(guess_base, staffed, erlang, on_shift, weekly)
    roster: Roster = dict(first_guess)
    for stage_id, hours in erlang.uncovered_hours.items():
        plan.notes.append(f"{base.nodes[stage_id].name}: {hours} h a week with work and no team able to review it on "
                          "shift; those items wait for the next shift whatever the headcount")
    if plan.infeasible:
        plan.notes.append(f"{len(plan.infeasible)} target(s) no staffing can meet are left out (reasons listed); "
                          "the other targets are staffed")
    executor = executor or make_executor()
    evaluator = Evaluator(base, staffed, executor, on_progress, cancel, max_evaluations, launch_remainder(scenario))
    search = _Search(base, staffed, settings, evaluator, variables, getattr(executor, "jobs", 1), time_budget_s,
                     _settled_h(scenario, settings))
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
    """Screen, raise, trim, then confirm at full length (raising one reviewer at a time on a confirmed miss)."""
    screened = _raise(search, roster, plan, search.screen_batch, "screen")
    if screened is None:
        plan.status = "not_met"
        return
    _trim(search, roster, plan, screened)
    missed: dict[tuple, tuple[str, ...]] = {}

    def confirm(rosters: list[Roster], phase: str) -> list[Evaluation]:
        evaluation = search.confirm(rosters[0])
        if not evaluation.met:
            missed[tuple(sorted(rosters[0].items()))] = evaluation.failing
        return [evaluation]

    confirmed = confirm([roster], "confirm")[0]
    plan.achieved = confirmed.results
    if not confirmed.met:
        plan.notes.append(f"the full-length confirmation missed {', '.join(confirmed.failing)}: raised one reviewer "
                          "at a time and confirmed again")
        trimmed = dict(roster)
        if _raise(search, roster, plan, confirm, "confirm", start=confirmed, fine=True) is None:
            plan.status = "not_met"
            return
        _recheck_raised(search, roster, trimmed, missed, plan)
    plan.status = "met"


def _recheck_raised(search: _Search, roster: Roster, trimmed: Roster, missed: dict[tuple, tuple[str, ...]],
                    plan: StaffingPlan) -> None:
    """After confirmation raises, a raised team-shift's minimality proof is the confirmed miss one reviewer below,
    when that roster was confirmed; otherwise its screening proof no longer applies and is dropped."""
    checks = {c.team_shift: c for c in plan.trim_checks}
    for v in search.judged:
        if roster[v.key] == trimmed[v.key]:
            continue
        below = tuple(sorted({**roster, v.key: roster[v.key] - 1}.items()))
        if below in missed:
            checks[v.describe()] = TrimCheck(v.describe(), roster[v.key] - 1, False, missed[below], "confirm")
        else:
            checks.pop(v.describe(), None)
    plan.trim_checks = [checks[v.describe()] for v in search.judged if v.describe() in checks]


def _raise(search: _Search, roster: Roster, plan: StaffingPlan,
           run: Callable[[list[Roster], str], list[Evaluation]], phase: str,
           start: Evaluation | None = None, fine: bool = False) -> Evaluation | None:
    """Add reviewers (one at a time when ``fine``) until every target holds; the met evaluation, or None when the
    bound or a dead end stops it."""
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
        if previous is not None and not fine:  # one reviewer may close little of a gap: no dead end then
            for goal, before, after in zip(search.targets.sla, previous.results, evaluation.results, strict=False):
                if not after.met and not after.mean - before.mean >= GAP_CLOSED * (goal.share - before.mean):
                    exhausted.setdefault(goal.stage_id, set()).update(raised)
        if search.left() <= 0:
            plan.notes.append(f"stopped at the bound of {search.evaluator.max_evaluations} simulated rosters with "
                              f"targets still missed: {', '.join(evaluation.failing)}")
            return None
        raised = _to_raise(search, evaluation, exhausted, fine)
        if not raised:
            plan.notes.append("more reviewers on the team-shifts serving these targets no longer improved them: "
                              f"{', '.join(evaluation.failing)}; items probably wait for hours when no team able "
                              "to review them is on shift — add or move a shift")
            return None
        for key in raised:
            roster[key] += 1 if fine else max(1, round(0.1 * roster[key]))
        previous, evaluation = evaluation, None


def _to_raise(search: _Search, evaluation: Evaluation, exhausted: dict[str, set[Key]], fine: bool = False
              ) -> set[Key]:
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
        if gaps.get(stage_id, 0.0) > WIDE_GAP and not fine:
            chosen.update(v.key for v in serving)  # far from the goal: raise every team-shift serving it
            continue
        queue = {math.floor(t - 1e-9): q for t, q in evaluation.queue_by_stage.get(stage_id, [])}
        chosen.add(max(serving, key=lambda v: (sum(queue.get(int(h), 0.0) for h in search.observed[v.key]),
                                               len(search.observed[v.key]))).key)
    return chosen


def _trim(search: _Search, roster: Roster, plan: StaffingPlan, reference: Evaluation) -> None:
    """Remove reviewers, most expensive first, while every target still holds at screening length (rules above)."""
    evaluator = search.evaluator
    reference_roster = dict(roster)
    steps = {v.key: max(1, round(COARSE_TRIM * roster[v.key])) for v in search.judged}
    settled: dict[Key, TrimCheck] = {}

    def trial(rosters: list[Roster]) -> list[Evaluation]:
        return judge_removals(search, reference, reference_roster, rosters)

    def missed(v: TeamShift, cut: int, evaluation: Evaluation) -> None:
        if cut == 1:
            settled[v.key] = TrimCheck(v.describe(), roster[v.key] - 1, False, evaluation.failing)
        steps[v.key] = max(1, cut // 2)

    def held(chosen: list[TeamShift], cuts: dict[Key, int]) -> None:
        for v in chosen:  # a cut that held is tried twice as large next time, up to a quarter of the heads
            roster[v.key] -= cuts[v.key]
            steps[v.key] = max(1, min(2 * cuts[v.key], round(MAX_TRIM * roster[v.key])))

    def stopped(why: str) -> None:
        plan.notes.append(f"{why} stopped the trim: the roster meets every target but one reviewer fewer somewhere "
                          "may still do")

    while True:
        candidates = sorted((v for v in search.judged if roster[v.key] > 0 and v.key not in settled),
                            key=lambda v: _reviewer_cost(search.base, search.targets, v), reverse=True)
        if not candidates:
            plan.trim_checks = [settled[v.key] for v in search.judged if v.key in settled and roster[v.key] > 0]
            return
        cuts = {v.key: min(steps[v.key], roster[v.key]) for v in candidates}
        stable = []
        for v in candidates:  # the estimate's guard first: it costs milliseconds, a simulation seconds
            verdict = stability_verdict(search.base, _without(roster, [v], cuts))
            if verdict is None:
                stable.append(v)
            else:
                missed(v, cuts[v.key], verdict)
        if not stable:
            continue
        if search.left() < len(stable) + 2:
            stopped(f"the bound of {evaluator.max_evaluations} simulated rosters")
            return
        pack = _stable_pack(search, roster, stable, cuts)
        if len(pack) > 1:
            if not search.fits_budget(1):
                stopped(f"the time budget of {search.time_budget_s:g} s")
                return
            if trial([_without(roster, pack, cuts)])[0].met:
                held(pack, cuts)
                continue
        if not search.fits_budget(len(stable)):
            stopped(f"the time budget of {search.time_budget_s:g} s")
            return
        verdicts = trial([_without(roster, [v], cuts) for v in stable])
        holding = [v for v, e in zip(stable, verdicts, strict=True) if e.met]
        for v, e in zip(stable, verdicts, strict=True):
            if not e.met:
                missed(v, cuts[v.key], e)
        together = _stable_pack(search, roster, holding, cuts)
        if len(together) > 1 and together != pack and search.left() > 1 \
                and trial([_without(roster, together, cuts)])[0].met:
            held(together, cuts)
            continue
        held(holding[:1], cuts)


def _without(roster: Roster, removed: list[TeamShift], cuts: dict[Key, int]) -> Roster:
    return {**roster, **{v.key: roster[v.key] - cuts[v.key] for v in removed}}


def _stable_pack(search: _Search, roster: Roster, order: list[TeamShift], cuts: dict[Key, int]) -> list[TeamShift]:
    """The removals of ``order`` taken in turn while the estimate still says every backlog stays bounded."""
    chosen: list[TeamShift] = []
    for v in order:
        if stability_verdict(search.base, _without(roster, [*chosen, v], cuts)) is None:
            chosen.append(v)
    return chosen


def judge_removals(search: _Search, reference: Evaluation, reference_roster: Roster, rosters: list[Roster]
                   ) -> list[Evaluation]:
    """The trim's verdicts on smaller rosters: refused when the estimate's backlog grows week after week
    (:mod:`simulations.staffing.stability`), else their first replications judged paired with the reference's:
    one each, :data:`PAIRED_ALONE` for a roster tried alone (on two workers the same wall time, less noise; a
    fixed count, not the worker count, so every executor reaches the same plan)."""
    guarded = [stability_verdict(search.base, roster) for roster in rosters]
    to_run = [roster for roster, verdict in zip(rosters, guarded, strict=True) if verdict is None]
    if not to_run:
        return [v for v in guarded if v is not None]
    alone = PAIRED_ALONE if len(to_run) == 1 else 1
    count = max(1, min(alone, search.evaluator.kept_replications(reference_roster, search.screen)))
    firsts = iter(search.evaluator.evaluate(to_run, search.screen, "trim", first=count, most=count, step=1,
                                            confidence=SCREEN_CONFIDENCE))
    reference_first = search.evaluator.judge_first(reference_roster, search.screen, count)
    return [verdict if verdict is not None else paired(reference, reference_first, next(firsts))
            for verdict in guarded]


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
