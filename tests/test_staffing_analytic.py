"""Staffing, analytic part and infeasibility: Erlang known values, the SLA clock to the end of the review,
rounding after aggregating, profiles and overlapping shifts, and infeasible targets found without simulating."""

from __future__ import annotations

import math
import time

import pytest

from flowmodel import ArrivalProfile, Distribution, Edge, Outcome, ReviewStage, Shift, SlaTarget, Source, Team, Workflow
from simulations.analytic.erlang import mmc, service_level
from simulations.staffing import (
    DAY_GROUPS_ALL_WEEK,
    analytic_guess,
    infeasible_targets,
    recommend_staffing,
    required_reviewers,
    targets_from_model,
)
from simulations.staffing.handle_times import mixed_quantiles


def single_stage(rate: float = 200.0, handle: Distribution | None = None, sla: list[SlaTarget] | None = None,
                 teams: list[Team] | None = None, expiry: Distribution | None = None) -> Workflow:
    """Source → Review → Done; by default 10 erlangs (200/h × 3 min) and one round-the-clock team.

    Ids are fixed: the engine keys its random streams by them, so every build of this model simulates the same
    numbers and a borderline staffing decision cannot flip between test runs."""
    workflow = Workflow(name="Single stage", id="single-stage")
    source = workflow.add_node(Source(name="Reports", id="reports", rate_per_hour=rate))
    stage = workflow.add_node(ReviewStage(name="Review", id="review",
                                          handle_time=handle or Distribution.exponential(3, "min"),
                                          sla=sla if sla is not None else [SlaTarget("P2", 6, "min", 0.85)],
                                          expiry=expiry))
    done = workflow.add_node(Outcome(name="Done", id="done"))
    workflow.add_edge(Edge(source.id, stage.id, id="e-in", probability=1.0))
    workflow.add_edge(Edge(stage.id, done.id, id="e-out", probability=1.0))
    for team in teams if teams is not None else [Team(name="Reviewers", id="reviewers", shrinkage=0.0,
                                                      shifts=[Shift("all day", 0, 24, [10] * 7)])]:
        team.stages = [stage.id]
        workflow.add_team(team)
    return workflow


def test_known_erlang_c_values_ten_erlangs_three_minutes_80_percent_in_20_seconds() -> None:
    assert service_level(14, 10.0, 180.0, 20.0) == pytest.approx(0.888, abs=5e-4)
    assert service_level(13, 10.0, 180.0, 20.0) == pytest.approx(0.796, abs=5e-4)
    assert required_reviewers(10.0, 180.0, 0.8, 20.0) == 14


def test_the_sla_clock_to_the_end_of_the_review_matches_the_exact_mmc_sojourn_time() -> None:
    """With exponential handle times P(wait + handle ≤ T) has a closed form (erlang.mmc.sojourn_quantile):
    the smallest c whose 85 % sojourn quantile is within 6 min must be what the recommender computes."""
    law = mixed_quantiles([(Distribution.exponential(3, "min"), 1.0)])
    exact = next(c for c in range(11, 40) if mmc(200 / 3600, 180.0, c).sojourn_quantile(0.85) <= 360.0)
    assert exact == 14
    assert required_reviewers(10.0, 180.0, 0.85, 360.0, handle_law=law) == exact


def test_expiry_needs_erlang_a_and_occupancy_caps_add_reviewers() -> None:
    law = mixed_quantiles([(Distribution.exponential(3, "min"), 1.0)])
    plain = required_reviewers(10.0, 180.0, 0.85, 360.0, handle_law=law)
    assert required_reviewers(10.0, 180.0, 0.99, 3600.0, handle_law=law, patience_s=120.0) > \
        required_reviewers(10.0, 180.0, 0.99, 3600.0, handle_law=law)
    assert required_reviewers(10.0, 180.0, 0.85, 360.0, handle_law=law, max_occupancy=0.5) == 20 > plain


def test_the_guess_for_the_single_stage_model_is_fourteen_round_the_clock() -> None:
    workflow = single_stage()
    guess = analytic_guess(workflow, targets_from_model(workflow, day_groups=DAY_GROUPS_ALL_WEEK),
                           workflow.run_settings)
    stage = workflow.node_by_name("Review")
    assert set(guess.stage_reviewers[stage.id]) == {14}
    assert [(g.fractional, g.rounded) for g in guess.shifts] == [(14.0, 14)]


def test_shares_and_shrinkage_are_rounded_after_aggregating_not_before() -> None:
    """Three equal teams share 14 reviewers with 30 % shrinkage: 14 / 3 / 0.7 = 6.67 rostered → 7 each.
    Rounding the split first (14 / 3 → 5, then 5 / 0.7 = 7.14 → 8) would ask for a reviewer too many per team."""
    teams = [Team(name=name, shrinkage=0.3, shifts=[Shift("all day", 0, 24, [5] * 7)]) for name in ("A", "B", "C")]
    workflow = single_stage(teams=teams)
    guess = analytic_guess(workflow, targets_from_model(workflow, day_groups=DAY_GROUPS_ALL_WEEK),
                           workflow.run_settings)
    assert [g.fractional for g in guess.shifts] == pytest.approx([14 / 3 / 0.7] * 3)
    assert [g.rounded for g in guess.shifts] == [7, 7, 7]


def test_a_daily_profile_and_overlapping_shifts_shape_the_guess() -> None:
    """Arrivals twice as high 08–20 as at night; a day shift 08–20 and a night shift 20–08 plus an overlap
    shift 12–16: the day shift covers the peak, the overlap halves what each needs in its hours."""
    peak = [2.0 if 8 <= h < 20 else 1.0 for h in range(24)]
    team = Team(name="Reviewers", shrinkage=0.0, shifts=[Shift("day", 8, 12, [5] * 7), Shift("night", 20, 12, [5] * 7)])
    workflow = single_stage(teams=[team])
    workflow.node_by_name("Reports").profile = ArrivalProfile("daily", peak)  # type: ignore[attr-defined]
    targets = targets_from_model(workflow, day_groups=DAY_GROUPS_ALL_WEEK)
    by_shift = {g.team_shift.shift_name: g for g in analytic_guess(workflow, targets, workflow.run_settings).shifts}
    high = 200.0 * 2 / (sum(peak) / 24)
    low = high / 2
    law = mixed_quantiles([(Distribution.exponential(3, "min"), 1.0)])
    assert by_shift["day"].rounded == required_reviewers(high * 3 / 60, 180.0, 0.85, 360.0, handle_law=law)
    assert by_shift["night"].rounded == required_reviewers(low * 3 / 60, 180.0, 0.85, 360.0, handle_law=law)
    team.shifts.append(Shift("overlap", 8, 12, [5] * 7))
    overlapped = {g.team_shift.shift_name: g for g in analytic_guess(workflow, targets, workflow.run_settings).shifts}
    assert overlapped["day"].fractional == pytest.approx(by_shift["day"].fractional / 2)
    assert overlapped["overlap"].fractional == pytest.approx(by_shift["day"].fractional / 2)


def test_weekday_and_weekend_groups_follow_a_weekly_profile() -> None:
    weekly = [1.0] * 120 + [0.5] * 48
    workflow = single_stage()
    workflow.node_by_name("Reports").profile = ArrivalProfile("weekly", weekly)  # type: ignore[attr-defined]
    guess = analytic_guess(workflow, targets_from_model(workflow), workflow.run_settings)
    weekday, weekend = (g.rounded for g in guess.shifts)
    assert weekday > weekend >= 1


@pytest.mark.parametrize(("handle", "target", "reason"), [
    (Distribution.fixed(3, "min"), SlaTarget("P0", 2, "min", 0.95), "only 0.0% of reviews end within 2 min"),
    (Distribution.lognormal(3, 1.5, "min"), SlaTarget("P0", 2, "min", 0.5), "below the handle time"),
])
def test_a_target_below_the_handle_time_is_infeasible_and_nothing_is_simulated(handle, target, reason) -> None:
    workflow = single_stage(handle=handle, sla=[target])
    workflow.node_by_name("Reports").mix[0].priority = "P0"  # type: ignore[attr-defined]
    started = time.monotonic()
    plan = recommend_staffing(workflow, None)
    assert time.monotonic() - started < 2.0
    assert plan.status == "infeasible" and plan.evaluations == 0 and not plan.achieved
    assert len(plan.infeasible) == 1 and plan.infeasible[0].where == f"Review · {target.priority}"
    assert reason in plan.infeasible[0].reason


def test_a_stage_no_team_works_is_infeasible_and_a_reachable_target_is_not() -> None:
    assert infeasible_targets(single_stage(), targets_from_model(single_stage())) == []
    nobody = single_stage(teams=[])
    problems = infeasible_targets(nobody, targets_from_model(nobody))
    assert [p.render() for p in problems] == ["Review: no team works this stage, so its items are never reviewed"]
    skills = single_stage(teams=[Team(name="French only", languages=["fr"], shifts=[Shift()])])
    assert "no team working it can review en/general items" in infeasible_targets(
        skills, targets_from_model(skills))[0].reason
    assert math.isclose(targets_from_model(skills).sla[0].within_s, 360.0)
