"""Staffing recommendation: how many reviewers, in which team and shift, keep every target.

:func:`recommend_staffing` (a pooled analytic first guess, raised and trimmed by short screening
simulations, then confirmed at full length) returns a :class:`StaffingPlan`; :func:`plan_to_scenario`
turns it into a scenario the app can apply.
"""

from simulations.staffing.analytic import AnalyticGuess, analytic_guess, required_reviewers
from simulations.staffing.evaluation import SearchProgress
from simulations.staffing.plan import StaffingPlan, StaffingRow, TargetResult, TeamTotal, plan_to_scenario
from simulations.staffing.search import recommend_staffing
from simulations.staffing.targets import (
    DAY_GROUPS_ALL_WEEK,
    DAY_GROUPS_EACH_DAY,
    DAY_GROUPS_WEEKDAY_WEEKEND,
    Infeasibility,
    SlaGoal,
    StaffingTargets,
    feasible_targets,
    infeasible_targets,
    targets_from_model,
)

__all__ = [
    "DAY_GROUPS_ALL_WEEK", "DAY_GROUPS_EACH_DAY", "DAY_GROUPS_WEEKDAY_WEEKEND", "AnalyticGuess", "Infeasibility",
    "SearchProgress", "SlaGoal", "StaffingPlan", "StaffingRow", "StaffingTargets", "TargetResult", "TeamTotal",
    "analytic_guess", "feasible_targets", "infeasible_targets", "plan_to_scenario", "recommend_staffing",
    "required_reviewers", "targets_from_model",
]
