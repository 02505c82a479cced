"""Validation of staffing: who works each stage, whether they can, and whether they keep up.

Rules:
- ``stage-without-team`` (error): no team lists the review stage.
- ``stage-unstaffed`` (error): teams list it but none has anyone rostered, or none ever has a reviewer
  available after shrinkage (one reviewer at 60 % shrinkage is 0.4, which the engine rounds to nobody —
  see :func:`flowmodel.teams.available_reviewers`).
- ``stage-skills-gap`` (error): items of some language × category reach the stage that no rostered team
  working it can review (skills).
- ``loop-without-exit`` (error) also when the loop is closed only for some items (a classifier's
  per-category probabilities), which the traffic equations find.
- Load, from the traffic equations (:mod:`flowmodel.traffic`), checked only when the model has no
  errors (otherwise the numbers mean nothing):
  ``stage-overloaded`` (warning) offered load ≥ the stage's staffed capacity: the backlog grows without
  bound; ``stage-near-capacity`` (warning) load ≥ 95 % of capacity. For groups of stages that share
  teams (pools), ``pool-overloaded`` / ``pool-near-capacity`` compare total load with total capacity,
  unless one of the pool's stages already has a load warning. The hint says how many full-time
  reviewers (40 h a week, at the teams' shrinkage) bring utilisation to 85 %.
  ``sla-infeasible`` (warning) a time-to-decision SLA limit shorter than the stage's mean handle time.
- Expiry needs no "expired" outcome: expired items leave the workflow as expired implicitly.
- Load by hour (:mod:`flowmodel.validation_intervals`, from the interval estimate of
  :mod:`flowmodel.interval_load`), after the weekly checks: ``stage-uncovered-hours`` (warning) items
  arrive in hours when nobody able to review them is on shift and wait longer than the stage's SLA;
  ``stage-overloaded-hours`` (warning) hours with more work than reviewers build a backlog whose wait
  matters, reported only for pools without a weekly load warning (a weekly overload grows without bound
  whatever the hours do, and says so).
"""

from __future__ import annotations

import math

from flowmodel.distributions import to_seconds
from flowmodel.nodes import ReviewStage
from flowmodel.teams import HOURS_PER_WEEK, Team, available_reviewers
from flowmodel.traffic import (
    ClassRates,
    ClosedLoopError,
    StaffingPool,
    class_rates,
    classes_reaching,
    mean_handle_seconds,
    offered_load,
    staffed_capacity,
    staffing_pools,
)
from flowmodel.validation_intervals import check_interval_load
from flowmodel.validation_issues import Issue, listing, node_issue, node_label, number, team_label
from flowmodel.workflow import Workflow

NEAR_CAPACITY = 0.95
TARGET_UTILISATION = 0.85
FULL_TIME_HOURS_PER_WEEK = 40.0
DEFAULT_SHRINKAGE = 0.3


def _rostered(team: Team) -> bool:
    return any(number(s.hours) and any(isinstance(c, int) and c > 0 for c in s.headcount) for s in team.shifts)


def _ever_available(team: Team) -> bool:
    """Whether the simulation ever puts one of the team's reviewers on the floor: the most rostered at once
    (found at some shift's start) × (1 − shrinkage), rounded as the engine rounds it, is at least 1."""
    shrinkage = number(team.shrinkage)
    if shrinkage is None or not 0 <= shrinkage < 1:
        return True  # reported as invalid-shrinkage
    starts = [day * 24 + s.start_hour for s in team.shifts for day in range(7) if number(s.start_hour) is not None]
    return any(available_reviewers(team.rostered_at(start), shrinkage) > 0 for start in starts)


def check_staffing(workflow: Workflow) -> list[Issue]:
    issues: list[Issue] = []
    reaching = classes_reaching(workflow)
    for node in workflow.nodes.values():
        if not isinstance(node, ReviewStage):
            continue
        teams = workflow.teams_for_stage(node.id)
        rostered = [t for t in teams if _rostered(t)]
        working = [t for t in rostered if _ever_available(t)]
        if not teams:
            issues.append(node_issue("error", "stage-without-team", node, "no team works this stage",
                                     "add this stage to a team's stage list in the teams panel"))
        elif not rostered:
            issues.append(node_issue("error", "stage-unstaffed", node,
                                     f"nobody is rostered in {listing([team_label(t) for t in teams])}",
                                     "give a shift of one of these teams a headcount above 0"))
        elif not working:
            issues.append(node_issue("error", "stage-unstaffed", node,
                                     f"after shrinkage nobody in {listing([team_label(t) for t in teams])} is "
                                     "ever available: the rostered headcount × (1 − shrinkage) rounds to 0 "
                                     "reviewers at every hour", "roster more reviewers at once or lower the "
                                     "shrinkage"))
        else:
            gaps = {f"{c.language}/{c.category}" for c in reaching[node.id]
                    if not any(t.can_review(c.language, c.category) for t in working)}
            if gaps:
                issues.append(node_issue(
                    "error", "stage-skills-gap", node,
                    f"no rostered team working it can review items in language/category {listing(gaps)}",
                    "add the language or category to a team's skills, or add a team that has them"))
    return issues


def check_load(workflow: Workflow) -> list[Issue]:
    """Load warnings; call only on a model without errors."""
    try:
        rates = class_rates(workflow)
    except ClosedLoopError as error:
        return [Issue("error", f"{error.message}: {error.where}", error.hint,
                      node_id=error.node_ids[0] if error.node_ids else None, rule="loop-without-exit")]
    load = offered_load(workflow, rates)
    capacity = staffed_capacity(workflow)
    issues: list[Issue] = []
    flagged: set[str] = set()
    for stage_id, stage_load in load.items():
        teams = tuple(t.id for t in workflow.teams_for_stage(stage_id))
        issue = _load_issue(workflow, StaffingPool((stage_id,), teams, stage_load, capacity[stage_id]), "stage")
        if issue is not None:
            issues.append(issue)
            flagged.add(stage_id)
        stage = workflow.nodes[stage_id]
        if isinstance(stage, ReviewStage):
            issues += _sla_feasibility(stage, rates)
    for pool in staffing_pools(workflow, load):
        if len(pool.stage_ids) > 1 and not flagged.intersection(pool.stage_ids):
            issue = _load_issue(workflow, pool, "pool")
            if issue is not None:
                issues.append(issue)
    weekly = {i.node_id for i in issues if i.rule.endswith(("-overloaded", "-near-capacity"))}
    flagged_pools = {s for pool in staffing_pools(workflow, load) if weekly.intersection(pool.stage_ids)
                     for s in pool.stage_ids}
    return issues + check_interval_load(workflow, flagged_pools)


def reviewers_to_add(pool: StaffingPool, shrinkage: float) -> tuple[int, float]:
    """(full-time reviewers, average available reviewers) to add so that utilisation is 85 %."""
    available = max(pool.offered_load / TARGET_UTILISATION - pool.capacity, 0.0)
    per_person = FULL_TIME_HOURS_PER_WEEK / HOURS_PER_WEEK * (1.0 - shrinkage)
    return math.ceil(available / per_person - 1e-9), available


def _load_issue(workflow: Workflow, pool: StaffingPool, scope: str) -> Issue | None:
    if pool.capacity <= 0 or pool.offered_load < NEAR_CAPACITY * pool.capacity:
        return None
    teams = [workflow.teams[t] for t in pool.team_ids]
    shrinkages = [s for s in (number(t.shrinkage) for t in teams) if s is not None and 0 <= s < 1]
    shrinkage = sum(shrinkages) / len(shrinkages) if shrinkages else DEFAULT_SHRINKAGE
    people, available = reviewers_to_add(pool, shrinkage)
    overloaded = pool.offered_load >= pool.capacity
    stages = [workflow.nodes[s] for s in pool.stage_ids]
    figures = (f"offered load {pool.offered_load:.1f} erlangs vs {pool.capacity:.1f} reviewers available on "
               f"average (utilisation {pool.utilisation:.0%})")
    if overloaded:
        consequence = f"the backlog will grow without bound; add {people} reviewers or reduce load"
    else:
        consequence = "too close to capacity: queues and waits will be long and unstable"
    hint = (f"add about {people} full-time reviewers ({FULL_TIME_HOURS_PER_WEEK:g} h a week at {shrinkage:.0%} "
            f"shrinkage, {available:.1f} more available on average) to bring utilisation to "
            f"{TARGET_UTILISATION:.0%}, or reduce the volume or handle time")
    rule = f"{scope}-{'overloaded' if overloaded else 'near-capacity'}"
    if scope == "stage":
        return node_issue("warning", rule, stages[0], f"{figures} — {consequence}", hint)
    names = listing([node_label(s) for s in stages])
    return Issue("warning", f"Stages {names} sharing {listing([team_label(t) for t in teams])}: {figures} — "
                 f"{consequence}", hint, node_id=stages[0].id, team_id=teams[0].id if teams else None, rule=rule)


def _sla_feasibility(stage: ReviewStage, rates: ClassRates) -> list[Issue]:
    issues: list[Issue] = []
    arriving = rates.get(stage.id, {})
    for target in (t for t in stage.sla if t.clock != "wait"):  # a wait ends when review starts
        mix = {c: r for c, r in arriving.items() if c.priority == target.priority} or arriving
        handle = mean_handle_seconds(stage, mix)
        limit = to_seconds(target.within, target.unit)
        if limit < handle:
            issues.append(node_issue(
                "warning", "sla-infeasible", stage,
                f"SLA for {target.priority} ({target.within:g} {target.unit}) is shorter than the mean handle "
                f"time ({handle / 60:.1f} min), so it cannot be met",
                "lengthen the SLA time limit or shorten the handle time", field=f"sla.{target.priority}.within"))
    return issues
