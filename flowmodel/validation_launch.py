"""Validation of launch plans (:mod:`flowmodel.launch`): what the engine's compile would refuse, said first and
in planner words, and what would make a plan change nothing.

Every message names the scenario and the change (:func:`flowmodel.scenarios.describe_change`), backfill or
training at fault. Rules (errors unless stated; an error blocks runs, as the engine would refuse the plan):
- ``launch-instant-invalid``: the launch, or a change's, backfill's or training's start or end, is not an
  instant (``launch``, ``+7d``, ``2027-01-11 09:00``).
- ``launch-recovery-days-invalid``: recovery counted after fewer than 1 or more than
  :data:`MAX_RECOVERY_DAYS` days in SLA, or not a whole number.
- ``launch-end-before-start``: a timed change or a training whose end is not after its start.
- ``launch-ramp-invalid``: a ramp with an unknown shape, hours not above 0, or a launch value of another kind
  than the change's value (a number for a number, a list of as many numbers for a list).
- ``launch-target-missing``: a timed or scoped change addressing a node, edge or team that does not exist (a
  static one is ``scenario-does-not-apply``).
- ``launch-field-not-timeable``: a timed or scoped change on a field that cannot vary during a run, or a scope
  on a part that cannot be scoped (:func:`flowmodel.launch_fields.timing_problem`).
- ``launch-scope-unknown`` (warning): a scope naming a category, language or priority that no source's mix
  (nor the plan's backfills) has: the change applies to no item.
- ``backfill-target-invalid``: the target does not exist, or is a source or an outcome.
- ``backfill-items-invalid``: items not a whole number from 1 to :data:`flowmodel.limits.MAX_BACKFILL_ITEMS`;
  ``backfill-spread-invalid``: spread hours below 0 or past :data:`flowmodel.limits.MAX_HORIZON_HOURS`;
  ``backfill-mix-invalid``: an empty mix, a negative share, or no share above 0.
- ``backfill-skills-gap``: items of the backfill's mix reach a review stage (from its target, by the routing of
  the scenario's static model) that no rostered team working it can review — the rule of ``stage-skills-gap``.
- ``backfill-unrouted``: a node the backfill's items reach, or any attribute router (the engine routes every item
  class of the run at every router), has no branch for some class of the backfill's mix; the engine refuses it.
- ``training-team-missing``; ``training-hours-invalid``: hours per person not above 0; ``training-people-invalid``:
  people not a whole number ≥ 0 (0 means the team's head count).
- ``training-over-capacity``: the training needs more reviewer-hours than the team has on the floor (after
  shrinkage) in its period, estimated hour by hour from the weekly roster of the scenario's static model (the
  period's part before the run's start does not count; its part past the run's end does, as in the engine) — the
  engine refuses such a training (:mod:`simulations.launch_capacity`).
- ``launch-after-horizon`` (warning): the launch, or a change's, backfill's or training's start, at or after the
  run's end: it changes nothing in this run.
- ``launch-value-invalid`` (warning, like ``scenario-invalid``): a timed change applied (as a static change, to
  the scenario's static model) at its launch value or at its settled value leaves the model with errors the
  static model does not have, or cannot apply at all (a ramp that takes a share past 100 %).

Only scenarios that are launch plans are checked, so a model without one gets exactly the issues it got before.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flowmodel.errors import ModelError
from flowmodel.interval_grid import HOURS, horizon_start, team_available
from flowmodel.launch import (
    RAMP_SHAPES,
    Backfill,
    Training,
    describe_instant,
    instant_seconds,
    launch_seconds,
    ramp_values_match,
)
from flowmodel.launch_fields import NOT_TIMEABLE_HINT, timing_problem
from flowmodel.limits import MAX_BACKFILL_ITEMS, MAX_HORIZON_HOURS, MAX_RECOVERY_DAYS
from flowmodel.nodes import Outcome, ReviewStage, Router, Source
from flowmodel.scenarios import Change, Scenario, apply_change, apply_scenario, describe_change
from flowmodel.teams import Team
from flowmodel.traffic import ItemClass, outgoing_edges, routing
from flowmodel.validation_issues import Issue, Severity, listing, number
from flowmodel.validation_limits import fmt
from flowmodel.workflow import Workflow

#: The model's blocking issues (validation's structural checks), passed in so that this module need not import
#: :mod:`flowmodel.validation`, which imports it.
ModelErrors = Callable[[Workflow], list[Issue]]
#: What an issue is about: its words, or a function giving them (a change's words copy the model, so they are
#: made only for a change that has an issue).
Words = str | Callable[[], str]
INSTANT_HINT = "write launch, an offset from the launch such as +7d, +36h or +2w, or a date-time such as " \
               "2027-01-11 09:00 (UTC)"


class _Plan:
    """One launch plan under check: its scenario, its static model and the run's clock."""

    def __init__(self, workflow: Workflow, scenario: Scenario) -> None:
        self.workflow = workflow
        self.scenario = scenario
        self.name = f"Launch plan “{scenario.name or 'unnamed'}”"
        self.issues: list[Issue] = []
        self.run_start: datetime = horizon_start(workflow.run_settings)
        self.horizon_s = float(workflow.run_settings.horizon_hours) * 3600.0
        self.launch_s: float | None = None
        try:
            self.model: Workflow | None = apply_scenario(workflow, scenario)
        except ModelError:
            self.model = None  # reported as scenario-does-not-apply
        else:
            self.model.scenarios.clear()

    def add(self, severity: Severity, rule: str, what: Words, message: str, hint: str, *,
            node_id: str | None = None, team_id: str | None = None) -> None:
        words = what if isinstance(what, str) else what()
        self.issues.append(Issue(severity, f"{self.name} · {words}: {message}", hint, node_id=node_id,
                                 team_id=team_id, field="scenarios", rule=rule))

    def instant(self, text: str, what: Words, which: str, **where: Any) -> float | None:
        """Seconds from the run's start of an instant (None, reported, when it does not parse)."""
        try:
            return instant_seconds(text, self.launch_s or 0.0, self.run_start, which)
        except ModelError:
            self.add("error", "launch-instant-invalid", what, f"its {which} {text.strip()!r} is not an instant",
                     INSTANT_HINT, **where)
            return None

    def after_horizon(self, at_s: float | None, what: Words, which: str, text: str, **where: Any) -> None:
        if at_s is not None and at_s >= self.horizon_s:
            self.add("warning", "launch-after-horizon", what,
                     f"its {which} ({describe_instant(text)}) is at or after the end of the run "
                     f"({fmt(self.horizon_s / 3600.0)} h): it changes nothing in this run",
                     "move it earlier, or lengthen the run's horizon", **where)


def check_launch_plans(workflow: Workflow, model_errors: ModelErrors) -> list[Issue]:
    """The issues of every launch-plan scenario of ``workflow`` (see the module rules); call on a baseline
    without errors, so that the run settings and the roster can be trusted."""
    issues: list[Issue] = []
    for scenario in workflow.scenarios.values():
        if scenario.is_launch_plan():
            issues += _check_plan(_Plan(workflow, scenario), model_errors)
    return issues


def _check_plan(plan: _Plan, model_errors: ModelErrors) -> list[Issue]:
    scenario = plan.scenario
    if scenario.launch.strip():
        try:
            plan.launch_s = launch_seconds(scenario.launch, plan.run_start, "launch")
        except ModelError:
            plan.add("error", "launch-instant-invalid", "launch", f"{scenario.launch.strip()!r} is not an instant",
                     INSTANT_HINT)
        else:
            plan.after_horizon(plan.launch_s, "launch", "date", scenario.launch)
    days = scenario.recovery_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_RECOVERY_DAYS:
        plan.add("error", "launch-recovery-days-invalid", "recovery days",
                 f"recovery counts after {days!r} days in SLA; it must be a whole number from 1 to "
                 f"{MAX_RECOVERY_DAYS}", "set how many days in a row back in SLA count as recovered, e.g. 3")
    known = _known_values(plan)
    for change in scenario.changes:
        if not change.is_static():
            _change(plan, change, known)
    for backfill in scenario.backfills:
        _backfill(plan, backfill)
    for training in scenario.trainings:
        _training(plan, training)
    if plan.model is not None:
        _at_values(plan, model_errors)
    return plan.issues


def _change_words(plan: _Plan, change: Change) -> str:
    words = f"change “{describe_change(plan.workflow, change)}”"
    scope = change.scope.describe() if change.scope is not None else ""
    return f"{words} (for {scope})" if scope else words


def _target_ids(plan: _Plan, target: str) -> dict[str, str]:
    if target in plan.workflow.teams:
        return {"team_id": target}
    item = plan.workflow.find(target)
    node = getattr(item, "source", target) if item is not None else None
    return {"node_id": node} if node in plan.workflow.nodes else {}


def _change(plan: _Plan, change: Change, known: dict[str, set[str]]) -> None:
    def what() -> str:
        return _change_words(plan, change)

    where = _target_ids(plan, change.target)
    if plan.workflow.find(change.target) is None:
        plan.add("error", "launch-target-missing", what, "it addresses a node, edge or team that does not exist",
                 "remove the change or point it at an existing node or team in the scenario editor")
    elif problem := timing_problem(plan.workflow, change):
        hint = NOT_TIMEABLE_HINT if "cannot change" in problem else "remove the change's scope"
        plan.add("error", "launch-field-not-timeable", what, problem, hint, **where)
    start = plan.instant(change.start, what, "start", **where) if change.start.strip() else 0.0
    end = plan.instant(change.end, what, "end", **where) if change.end.strip() else math.inf
    if start is not None and end is not None and end <= start:
        plan.add("error", "launch-end-before-start", what,
                 f"it ends ({describe_instant(change.end)}) before it starts ({describe_instant(change.start)})",
                 "move its end after its start, or clear the end so it holds to the end of the run", **where)
    if change.start.strip():
        plan.after_horizon(start, what, "start", change.start, **where)
    if change.ramp is not None:
        _ramp(plan, change, what, where)
    if change.scope is not None:
        for attribute, values in (("category", change.scope.categories), ("language", change.scope.languages),
                                  ("priority", change.scope.priorities)):
            unknown = [v for v in values if v not in known[attribute]]
            if unknown:
                plan.add("warning", "launch-scope-unknown", what,
                         f"its scope names {attribute} {listing(unknown)}, which no source's mix has, so it "
                         "applies to no such item", f"pick a {attribute} from the mixes: "
                         f"{listing(known[attribute]) or 'none'}", **where)


def _ramp(plan: _Plan, change: Change, what: Words, where: dict[str, str]) -> None:
    ramp = change.ramp
    assert ramp is not None
    if ramp.shape not in RAMP_SHAPES:
        plan.add("error", "launch-ramp-invalid", what, f"its ramp shape {ramp.shape!r} is unknown",
                 "pick linear (a straight line over the hours) or learning (the gap halves every hours)", **where)
    hours = number(ramp.hours)
    if hours is None or hours <= 0 or hours > MAX_HORIZON_HOURS:
        plan.add("error", "launch-ramp-invalid", what,
                 f"its ramp lasts {ramp.hours!r} h; it must be above 0 and at most {fmt(MAX_HORIZON_HOURS)} h",
                 "enter how many hours the ramp takes (a learning curve: hours for the gap to halve)", **where)
    if not ramp_values_match(ramp.launch_value, change.value):
        kind = f"a list of {len(change.value)} numbers" if isinstance(change.value, list) else "a number"
        plan.add("error", "launch-ramp-invalid", what,
                 f"its ramp starts from {ramp.launch_value!r}, but the change's value is {kind}",
                 f"give the ramp's launch value as {kind}, like the value it settles at", **where)


def _known_values(plan: _Plan) -> dict[str, set[str]]:
    """Per item attribute: the values some source's mix (or one of the plan's backfills) has."""
    entries = [e for node in plan.workflow.nodes.values() if isinstance(node, Source) for e in node.mix]
    entries += [e for backfill in plan.scenario.backfills for e in backfill.mix]
    return {"category": {str(e.category) for e in entries}, "language": {str(e.language) for e in entries},
            "priority": {str(e.priority) for e in entries}}


def _backfill(plan: _Plan, backfill: Backfill) -> None:
    what = f"backfill “{backfill.name}”"
    target = plan.workflow.nodes.get(backfill.target)
    where = {"node_id": target.id} if target is not None else {}
    if target is None:
        plan.add("error", "backfill-target-invalid", what, "it enters a node that does not exist",
                 "pick the stage the items enter (usually a review stage)")
    elif isinstance(target, (Source, Outcome)):
        kind = "source" if isinstance(target, Source) else "outcome"
        plan.add("error", "backfill-target-invalid", what,
                 f"it enters “{target.name}”, which is {'a source' if kind == 'source' else 'an outcome'}",
                 "pick the stage the items enter (usually a review stage); a source's items are its arrivals",
                 **where)
    items = backfill.items
    if isinstance(items, bool) or not isinstance(items, int) or not 1 <= items <= MAX_BACKFILL_ITEMS:
        plan.add("error", "backfill-items-invalid", what,
                 f"{items!r} items; a backfill has a whole number of items from 1 to {MAX_BACKFILL_ITEMS:,}",
                 "enter how many existing items are re-reviewed", **where)
    spread = number(backfill.spread_hours)
    if spread is None or not 0 <= spread <= MAX_HORIZON_HOURS:
        plan.add("error", "backfill-spread-invalid", what,
                 f"spread over {backfill.spread_hours!r} h; it must be from 0 (all at once) to "
                 f"{fmt(MAX_HORIZON_HOURS)} h", "enter the hours over which the items arrive evenly", **where)
    shares = [number(e.share) for e in backfill.mix]
    if not backfill.mix or any(s is None or s < 0 for s in shares) or not any(s and s > 0 for s in shares):
        problem = "its mix is empty" if not backfill.mix else \
            "its mix needs shares of at least 0, one of them above 0"
        plan.add("error", "backfill-mix-invalid", what, problem,
                 "give the category, language and priority of the items, with shares", **where)
    start = plan.instant(backfill.start, what, "start", **where)
    plan.after_horizon(start, what, "start", backfill.start, **where)
    if plan.model is not None and target is not None and not isinstance(target, (Source, Outcome)):
        _backfill_paths(plan, backfill, what, plan.model)


def _backfill_paths(plan: _Plan, backfill: Backfill, what: str, model: Workflow) -> None:
    """``backfill-skills-gap`` and ``backfill-unrouted`` for the backfill's classes, from its target on."""
    outgoing = outgoing_edges(model)
    gaps: dict[str, set[str]] = {}
    lost: dict[str, set[str]] = {}
    classes = {ItemClass(str(e.category), str(e.language), str(e.priority)) for e in backfill.mix
               if (number(e.share) or 0.0) > 0}
    for item_class in sorted(classes):
        queue, seen = [backfill.target], {backfill.target}
        for node_id in queue:
            node = model.nodes[node_id]
            if isinstance(node, ReviewStage):
                teams = [t for t in model.teams_for_stage(node_id)
                         if any(isinstance(c, int) and c > 0 for s in t.shifts for c in s.headcount)]
                if not any(t.can_review(item_class.language, item_class.category) for t in teams):
                    gaps.setdefault(node_id, set()).add(f"{item_class.language}/{item_class.category}")
            steps = [target for target, probability in routing(model, node_id, item_class, outgoing)
                     if probability > 0]
            if not steps and not isinstance(node, Outcome):
                lost.setdefault(node_id, set()).add("/".join(item_class))
            for target in steps:
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        for node in model.nodes.values():  # the engine routes every class of the run at every router
            if isinstance(node, Router) and node.mode == "attribute" and not routing(model, node.id, item_class,
                                                                                     outgoing):
                lost.setdefault(node.id, set()).add("/".join(item_class))
    for stage_id, cells in gaps.items():
        plan.add("error", "backfill-skills-gap", what,
                 f"its items in language/category {listing(cells)} reach “{model.nodes[stage_id].name}”, where no "
                 "rostered team working it can review them",
                 "add the language or category to a team's skills, or change the backfill's mix", node_id=stage_id)
    for node_id, cells in lost.items():
        plan.add("error", "backfill-unrouted", what,
                 f"“{model.nodes[node_id].name}” has no branch for its items in category/language/priority "
                 f"{listing(cells)} (a run routes every item class at every router, even one its items never pass)",
                 "give the node a branch (or an otherwise branch) for them, or change the backfill's mix",
                 node_id=node_id)


def _training(plan: _Plan, training: Training) -> None:
    what = f"training “{training.name}”"
    team = plan.workflow.teams.get(training.team)
    where = {"team_id": team.id} if team is not None else {}
    if team is None:
        plan.add("error", "training-team-missing", what, "it trains a team that does not exist",
                 "pick the team whose reviewers are trained")
    hours = number(training.hours_per_person)
    if hours is None or hours <= 0 or hours > MAX_HORIZON_HOURS:
        plan.add("error", "training-hours-invalid", what,
                 f"{training.hours_per_person!r} hours per person; it must be above 0",
                 "enter the hours each person spends in training", **where)
    people = training.people
    people_ok = not isinstance(people, bool) and isinstance(people, int) and people >= 0
    if not people_ok:
        plan.add("error", "training-people-invalid", what, f"{people!r} people; it must be a whole number ≥ 0",
                 "enter how many people are trained, or 0 for the whole team", **where)
    start = plan.instant(training.start, what, "start", **where)
    end = plan.instant(training.end, what, "end", **where)
    if start is not None and end is not None and end <= start:
        plan.add("error", "launch-end-before-start", what,
                 f"it ends ({describe_instant(training.end)}) before it starts ({describe_instant(training.start)})",
                 "move its end after its start", **where)
        return
    plan.after_horizon(start, what, "start", training.start, **where)
    if start is None or end is None or start >= plan.horizon_s or plan.model is None or team is None \
            or hours is None or hours <= 0 or not people_ok:
        return
    _training_capacity(plan, training, what, plan.model.teams[team.id], start, end, hours)


def _training_capacity(plan: _Plan, training: Training, what: str, team: Team, start_s: float, end_s: float,
                       hours: float) -> None:
    people = training.people if training.people > 0 else team.head_count()
    wanted = people * hours
    if wanted <= 0:
        return
    on_floor = _on_floor_hours(team, plan.run_start, max(0.0, start_s) / 3600.0, end_s / 3600.0)
    if wanted > on_floor + 1e-9:
        plan.add("error", "training-over-capacity", what,
                 f"{fmt(people)} people × {fmt(hours)} h need {fmt(wanted)} reviewer-hours, but {team.name} has "
                 f"about {fmt(round(on_floor, 1))} on the floor (after shrinkage) from "
                 f"{describe_instant(training.start)} to {describe_instant(training.end)}",
                 "lengthen the period, or train fewer hours or people", team_id=team.id)


def _on_floor_hours(team: Team, run_start: datetime, start_h: float, end_h: float) -> float:
    """Reviewer-hours available to review in ``[start_h, end_h)`` hours of the run, from the weekly roster."""
    available = team_available(team, run_start)
    total = 0.0
    hour = math.floor(start_h)
    weeks = max(0, math.floor((end_h - hour) / HOURS) - 1)  # whole weeks at once: a far end costs no loop
    if weeks:
        total += weeks * float(sum(available[h % HOURS] for h in range(hour, hour + HOURS)))
        total -= max(0.0, start_h - hour) * float(available[hour % HOURS])
        start_h = hour = hour + weeks * HOURS
    while hour < end_h:
        overlap = min(end_h, hour + 1) - max(start_h, hour)
        total += float(available[hour % HOURS]) * max(0.0, overlap)
        hour += 1
    return total


def _at_values(plan: _Plan, model_errors: ModelErrors) -> None:
    """``launch-value-invalid``: each timed change at its launch and its settled value, on the static model."""
    assert plan.model is not None
    before = {issue.message for issue in model_errors(plan.model)}
    checked: set[tuple[str, str, str, str]] = set()
    for change in plan.scenario.changes:
        if change.is_static() or plan.workflow.find(change.target) is None or timing_problem(plan.workflow, change):
            continue
        values = [("once settled", change.value)]
        if change.ramp is not None and ramp_values_match(change.ramp.launch_value, change.value):
            values.insert(0, ("at its launch value", change.ramp.launch_value))
        for when, value in values:
            key = (change.target, change.path, change.op, repr(value))
            if key in checked:
                continue
            checked.add(key)
            found = _errors_at(plan.model, change, value, model_errors, before)
            if found:
                listed = "; ".join(found[:3]) + (f" (and {len(found) - 3} more)" if len(found) > 3 else "")
                plan.add("warning", "launch-value-invalid", lambda c=change: _change_words(plan, c),
                         f"{when} ({fmt(value)}) it makes the model invalid: {listed}",
                         "change the value or the ramp's launch value in the scenario editor; the baseline can "
                         "still run", **_target_ids(plan, change.target))


def _errors_at(model: Workflow, change: Change, value: Any, model_errors: ModelErrors, before: set[str]) -> list[str]:
    """The new errors of ``model`` with ``change`` applied for the whole run at ``value``."""
    changed = _copy_for(model, change.target)
    static = dataclasses.replace(change, value=value, start="", end="", ramp=None, scope=None)
    try:
        apply_change(changed, static)
    except ModelError as error:
        return [error.message]
    return [issue.message for issue in model_errors(changed) if issue.message not in before]


def _copy_for(model: Workflow, target: str) -> Workflow:
    """``model`` with fresh copies of just what a change to ``target`` can write (the item, and a node's outgoing
    edges for ``route.*``): the checks read the rest, and copying a whole model per value is most of their cost."""
    changed = dataclasses.replace(model, nodes=dict(model.nodes), edges=dict(model.edges), teams=dict(model.teams),
                                  scenarios={})
    if target in changed.teams:
        changed.teams[target] = copy.deepcopy(model.teams[target])
    elif target in changed.nodes:
        changed.nodes[target] = copy.deepcopy(model.nodes[target])
        for edge in model.outgoing(target):
            changed.edges[edge.id] = copy.deepcopy(edge)
    elif target in changed.edges:
        changed.edges[target] = copy.deepcopy(model.edges[target])
    return changed
