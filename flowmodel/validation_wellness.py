"""Validation of wellness caps (``Team.wellness_caps``: category → most hours per reviewer per shift-day).

Rules:
- ``wellness-cap-range`` (error): a cap is a number of hours above 0 and at most 24.
- ``wellness-cap-category`` (warning): a capped category that no source's mix has, or that the team cannot review
  (its skills), caps nothing.
- ``wellness-cap-short`` (warning, only on a model without errors): the hours a day that the team's stages can
  get on a capped category — cap × the team's people per day, plus what other teams working those stages and
  able to review the category give (their cap × people, or all their available hours when they do not cap it)
  — are below that category's expected work there per day (traffic equations: arrival rate × mean handle
  time). Its items would then queue up day after day. People per day = the available reviewers of each shift
  instance (``available_reviewers`` of the weekday's headcount), summed over the week ÷ 7.
"""

from __future__ import annotations

import math

from flowmodel.errors import ModelError
from flowmodel.nodes import ReviewStage, Source
from flowmodel.teams import Team, available_reviewers
from flowmodel.traffic import class_rates, offered_load
from flowmodel.validation_issues import Issue, team_label
from flowmodel.validation_limits import fmt
from flowmodel.workflow import Workflow

MAX_CAP_HOURS = 24.0


def check_wellness_caps(workflow: Workflow) -> list[Issue]:
    """Range errors and categories that cap nothing."""
    issues: list[Issue] = []
    categories = {entry.category for node in workflow.nodes.values() if isinstance(node, Source) for entry in node.mix}
    for team in workflow.teams.values():
        for category, hours in team.wellness_caps.items():
            where = f"wellness_caps.{category}"
            if isinstance(hours, bool) or not isinstance(hours, int | float) or not math.isfinite(hours) \
                    or not 0.0 < hours <= MAX_CAP_HOURS:
                issues.append(Issue(
                    "error", f"The wellness cap of {team_label(team)} on “{category}” is {hours!r} h: a cap is "
                    f"above 0 and at most {fmt(MAX_CAP_HOURS)} hours per reviewer per shift-day",
                    "enter the most hours one reviewer may spend on the category in a shift-day, or remove the cap",
                    team_id=team.id, field=where, rule="wellness-cap-range"))
            elif category not in categories:
                issues.append(Issue(
                    "warning", f"{team_label(team).capitalize()} caps “{category}”, a category no source sends",
                    "check the category's spelling against the sources' item mixes, or remove the cap",
                    team_id=team.id, field=where, rule="wellness-cap-category"))
            elif team.categories and category not in team.categories:
                issues.append(Issue(
                    "warning", f"{team_label(team).capitalize()} caps “{category}”, a category it does not review",
                    "remove the cap, or add the category to the team's skills",
                    team_id=team.id, field=where, rule="wellness-cap-category"))
    return issues


def people_per_day(team: Team) -> float:
    """Available people starting a shift per day, on average over the week (see the module rules)."""
    return sum(available_reviewers(count, team.shrinkage) for shift in team.shifts for count in shift.headcount) / 7


def _daily_hours(team: Team, category: str) -> float:
    """Reviewer-hours a day ``team`` can give ``category``: its cap × people, or all its available hours."""
    cap = team.wellness_caps.get(category)
    return cap * people_per_day(team) if cap is not None else team.mean_available_reviewers() * 24.0


def check_wellness_load(workflow: Workflow) -> list[Issue]:
    """``wellness-cap-short`` warnings; call only on a model without errors."""
    capped = [team for team in workflow.teams.values() if team.wellness_caps]
    if not capped:
        return []
    try:
        rates = class_rates(workflow)
    except ModelError:
        return []  # a loop without exit: the load check reports it
    issues: list[Issue] = []
    for team in capped:
        stages = [s for s in team.stages if isinstance(workflow.nodes.get(s), ReviewStage)]
        for category, cap in team.wellness_caps.items():
            mine = {s: {c: r for c, r in rates.get(s, {}).items()
                        if c.category == category and team.can_review(c.language, category)} for s in stages}
            work_h = sum(offered_load(workflow, mine).get(s, 0.0) for s in stages) * 24.0
            if work_h <= 0.0:
                continue
            others = {t.id: t for s in stages for t in workflow.teams_for_stage(s)
                      if t.id != team.id and (not t.categories or category in t.categories)}
            own_h = _daily_hours(team, category)
            other_h = sum(_daily_hours(t, category) for t in others.values())
            if own_h + other_h < work_h:
                helped = f", plus {fmt(round(other_h, 1))} h from other teams" if others else ""
                issues.append(Issue(
                    "warning", f"{team_label(team).capitalize()} can give “{category}” about {fmt(round(own_h, 1))} "
                    f"reviewer-hours a day (cap {fmt(cap)} h × {fmt(round(people_per_day(team), 1))} people a day"
                    f"{helped}), below its expected {fmt(round(work_h, 1))} h of work a day: its items will queue "
                    "up day after day",
                    "raise the cap, add people to the team's shifts, or let another team review the category",
                    team_id=team.id, field=f"wellness_caps.{category}", rule="wellness-cap-short"))
    return issues
