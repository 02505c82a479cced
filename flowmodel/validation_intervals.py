"""Validation by interval: the hours a weekly average hides (:mod:`flowmodel.interval_load`).

Rules (warnings, checked with the load warnings, only on a model without errors):
- ``stage-uncovered-hours``: items arrive at the stage in hours when no team that works it, has the skills
  for them and has a reviewer available is on shift, and the wait until the next shift is longer than the
  stage's tightest SLA time limit (or the stage has no SLA). The message names the hours in the time zone of
  the stage's first team and when the items get reviewed. An uncovered night before a 3-day appeal SLA is no
  problem and is not reported.
- ``stage-overloaded-hours``: in some hours the stage's staffing pool has more work than available reviewers,
  and that matters: the estimate misses one of the stage's SLA targets, or — for a stage without SLA targets —
  an arrival at the worst hour waits ``MATERIAL_WAIT_H`` or more. A backlog that every SLA absorbs is shown on
  the canvas badge, not warned about. The message names the hours, the
  peak utilisation, the backlog and when it clears (or that it is carried into the next week, or grows
  without bound). A stage whose pool already has a weekly load warning (:mod:`flowmodel.validation_capacity`)
  or that has the uncovered-hours warning (whose message gives the backlog) does not get this one.
- Hours are grouped as planners read a roster: "22:00–06:00 (Mon–Sun, Europe/Dublin)".
"""

from __future__ import annotations

import math
from datetime import datetime

from flowmodel.distributions import to_seconds
from flowmodel.errors import ModelError
from flowmodel.interval_grid import HOURS, clock_label, describe_hours, horizon_start, hour_label, runs
from flowmodel.interval_load import StageInterval, interval_estimates
from flowmodel.nodes import ReviewStage
from flowmodel.validation_issues import Issue, listing, node_issue, node_label, team_label
from flowmodel.workflow import Workflow

#: The wait at the worst hour from which an overloaded stretch of a stage without SLA targets is worth a warning.
MATERIAL_WAIT_H = 2.0


def check_interval_load(workflow: Workflow, weekly_flagged: set[str] | frozenset[str] = frozenset()) -> list[Issue]:
    """Uncovered and overloaded hours per stage (rules above); ``weekly_flagged``: stages whose pool has a weekly
    load warning already."""
    try:
        estimates = interval_estimates(workflow)
        start = horizon_start(workflow.run_settings)
    except (ModelError, ValueError, ZeroDivisionError):
        return []  # the parameter checks report what makes the estimate impossible
    issues: list[Issue] = []
    for stage_id, estimate in estimates.items():
        stage = workflow.nodes[stage_id]
        teams = workflow.teams_for_stage(stage_id)
        if not isinstance(stage, ReviewStage) or not teams:
            continue
        zone = teams[0].timezone
        issue = _uncovered(workflow, stage, estimate, start, zone)
        if issue is None and stage_id not in weekly_flagged:
            issue = _overloaded(workflow, stage, estimate, start, zone)
        if issue is not None:
            issues.append(issue)
    return issues


def _tightest_limit_h(stage: ReviewStage) -> tuple[float, str]:
    limits = [(to_seconds(t.within, t.unit) / 3600.0, f"{t.within:g} {t.unit} SLA for {t.priority}") for t in stage.sla]
    return min(limits) if limits else (math.inf, "")


def _uncovered(workflow: Workflow, stage: ReviewStage, estimate: StageInterval, start: datetime,
               zone: str) -> Issue | None:
    gaps = runs(estimate.uncovered_hours)
    if not gaps:
        return None
    longest = max(length for _, length in gaps)
    limit_h, limit_text = _tightest_limit_h(stage)
    if longest < limit_h:
        return None
    ends = {clock_label(start, first + length, zone) for first, length in gaps}
    until = f"until {ends.pop()}" if len(ends) == 1 else "until the next shift starts"
    beyond = f", longer than the {limit_text}" if math.isfinite(limit_h) else ""
    backlog = f"; {_backlog_text(estimate, start, zone)}" if estimate.peak_backlog >= 0.5 else ""
    teams = listing([team_label(t) for t in workflow.teams_for_stage(stage.id)])
    return node_issue(
        "warning", "stage-uncovered-hours", stage,
        f"items arrive {describe_hours(start, estimate.uncovered_hours, zone)} and no team able to review them "
        f"is on shift; they wait {until} (up to {longest} h{beyond}){backlog}",
        f"roster a shift of {teams} over these hours, or give a team that is on shift then this stage and the "
        "skills for its items")


def _overloaded(workflow: Workflow, stage: ReviewStage, estimate: StageInterval, start: datetime,
                zone: str) -> Issue | None:
    if not estimate.overloaded_hours and not estimate.unbounded:
        return None
    missed = [p for p, share in estimate.sla.items() if any(t.priority == p and share < t.share for t in stage.sla)]
    slow = not stage.sla and estimate.longest_wait_s >= MATERIAL_WAIT_H * 3600.0
    if not (estimate.unbounded or missed or slow):
        return None
    where = describe_hours(start, estimate.overloaded_hours, zone) if estimate.overloaded_hours else "in every hour"
    others = [node_label(workflow.nodes[s]) for s in estimate.pool_stage_ids if s != stage.id]
    pool = f" (its reviewers are shared with {listing(others)})" if others else ""
    peak = f"peak {estimate.busiest_utilisation:.0%} {hour_label(start, estimate.busiest_hour, zone)}"
    if estimate.unbounded:
        consequence = f"the backlog grows by about {estimate.growth_per_week:,.0f} items a week without bound"
    else:
        consequence = _backlog_text(estimate, start, zone)
    if missed:
        consequence += "; estimated SLA " + ", ".join(f"{p} {estimate.sla[p]:.0%}" for p in missed)
    return node_issue(
        "warning", "stage-overloaded-hours", stage, f"overloaded {where}{pool} ({peak}): {consequence}",
        "roster more reviewers in these hours (move a shift's start or headcount), or lower the load then")



def _backlog_text(estimate: StageInterval, start: datetime, zone: str) -> str:
    """``a backlog of about 340 items builds by Mon 13:00 (waits up to 2.5 h) and clears by Mon 16:00``."""
    text = (f"a backlog of about {estimate.peak_backlog:,.0f} items builds by "
            f"{hour_label(start, (estimate.peak_backlog_hour + 1) % HOURS, zone)}")
    if math.isfinite(estimate.longest_wait_s) and estimate.longest_wait_s >= 1800:
        text += f" (waits up to {estimate.longest_wait_s / 3600:.1f} h)"
    if estimate.clears_hour is not None:
        return text + f" and clears by {hour_label(start, (estimate.clears_hour + 1) % HOURS, zone)}"
    if estimate.end_backlog >= 0.5:
        return text + f"; about {estimate.end_backlog:,.0f} are still waiting at the end of the week"
    return text
