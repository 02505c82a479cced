"""Staffing in people and with infeasible targets: FTE arithmetic (paid hours ÷ contract hours) per row and per
team; a target no headcount can meet is reported with its reason while every other target is still staffed and
met; the pooled first guess gives credit for a team that can help on a shared stage."""

from __future__ import annotations

import pytest

from flowmodel import RunSettings, SlaTarget
from simulations.executors import make_executor
from simulations.staffing import (
    DAY_GROUPS_ALL_WEEK,
    StaffingRow,
    analytic_guess,
    recommend_staffing,
    targets_from_model,
)
from simulations.staffing.plan import StaffingPlan
from simulations.staffing.pools import pooled_guess
from simulations.staffing.search import _on_shift, _reviewer_cost
from tests.test_staffing_search import two_tier


def _row(recommended: int, days: tuple[int, ...], contract: float) -> StaffingRow:
    return StaffingRow("t", "Team", 0, "day", days, tuple(5 for _ in days), recommended, 0.0, 0, 8.0, 30.0,
                       recommended, 0.3, contract)


def test_fte_is_paid_hours_over_contract_hours_per_row_and_team() -> None:
    weekdays, weekend = _row(10, (0, 1, 2, 3, 4), 40.0), _row(6, (5, 6), 40.0)
    assert weekdays.paid_hours_recommended_per_week == 400.0 and weekdays.fte_recommended == 10.0
    assert weekend.paid_hours_recommended_per_week == 96.0 and weekend.fte_recommended == pytest.approx(2.4)
    assert weekdays.fte_current == 5.0  # 5 heads × 8 h × 5 days ÷ 40 h
    assert _row(10, (0, 1, 2, 3, 4), 32.0).fte_recommended == 12.5  # shorter contracts, more people
    plan = StaffingPlan("w", "W", None, "Baseline", RunSettings(), 0.95, "met", rows=[weekdays, weekend])
    [team] = plan.team_totals()
    assert (team.paid_hours_recommended, team.fte_recommended, team.shrinkage) == (496.0, 12.4, 0.3)
    assert team.cost_recommended == pytest.approx(496.0 * 30.0) == plan.cost_recommended_per_week
    assert plan.to_dict()["fte"] == {"current": pytest.approx(7.0), "recommended": pytest.approx(12.4)}


def test_an_infeasible_target_is_reported_and_the_rest_is_still_staffed() -> None:
    workflow = two_tier()
    tier2 = workflow.node_by_name("Tier 2")
    tier2.sla = [SlaTarget("P2", 1, "min", 0.95)]  # type: ignore[attr-defined]  # 8-min reviews: impossible
    settings = RunSettings(horizon_hours=24.0, warmup_hours=2.0, replications=4, seed=5)
    plan = recommend_staffing(workflow, None, targets_from_model(workflow, day_groups=DAY_GROUPS_ALL_WEEK), settings,
                              executor=make_executor(1))  # serial: no worker start-up for a small model
    [problem] = plan.infeasible
    assert problem.where == "Tier 2 · P2" and "below the handle time" in problem.reason
    assert plan.status == "infeasible" and len(plan.rows) == 3 and all(r.recommended > 0 for r in plan.rows)
    [tier1] = plan.achieved
    assert tier1.where.startswith("Tier 1 · P2") and tier1.met and tier1.n >= 2
    assert plan.evaluations >= 2 and plan.replications_run >= 4


def test_the_pooled_guess_credits_a_team_that_helps_on_a_shared_stage() -> None:
    workflow = two_tier()
    specialists = workflow.team_by_name("Specialists")
    tier1 = workflow.node_by_name("Tier 1")
    specialists.stages.append(tier1.id)  # specialists help tier 1 after their own queue
    targets = targets_from_model(workflow, day_groups=DAY_GROUPS_ALL_WEEK)
    guess = analytic_guess(workflow, targets, workflow.run_settings)
    variables = [g.team_shift for g in guess.shifts]
    weekly = {v.key: _reviewer_cost(workflow, targets, v)[0] for v in variables}
    pooled = pooled_guess(workflow, targets, guess, _on_shift(workflow, variables, workflow.run_settings), weekly)
    per_team = {g.team_shift.key: g.rounded for g in guess.shifts}
    assert sum(weekly[k] * pooled[k] for k in pooled) <= sum(weekly[k] * per_team[k] for k in per_team)
    assert all(count >= 0 for count in pooled.values()) and any(pooled[v.key] for v in variables
                                                                if v.team_id == specialists.id)
