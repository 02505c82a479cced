"""Staffing, the trim: paired judgement on common random numbers, the estimate's stability guard, and the
minimality check that replays the trim's rule on a finished plan.

The guard matters where goal windows are long: 10 erlangs on 10 reviewers (or fewer) meets "90 % within 3 days"
inside a 72-hour run while the backlog grows without bound, so a trim judged by short runs alone would cut
below the load; the plan must stop at 11 (Erlang's stable minimum) and say that 10 never catches up."""

from __future__ import annotations

import math

import pytest

from flowmodel import RunSettings, Shift, SlaTarget, Team, Workflow
from simulations.aggregate import summarise_metrics
from simulations.executors import make_executor
from simulations.runner import run_scenarios
from simulations.staffing import DAY_GROUPS_ALL_WEEK, recommend_staffing, targets_from_model
from simulations.staffing.evaluation import Evaluation, paired
from simulations.staffing.plan import TargetResult
from simulations.staffing.search import check_minimality
from simulations.staffing.stability import stability_verdict, unstable_stages
from tests.test_staffing_analytic import single_stage

SETTINGS = RunSettings(horizon_hours=72.0, warmup_hours=2.0, replications=4, seed=5)
KEY = ("reviewers", 0, tuple(range(7)))
ALL_WEEK = targets_from_model(single_stage(sla=[SlaTarget("P2", 3, "d", 0.9)]), day_groups=DAY_GROUPS_ALL_WEEK)


def long_window(heads: int = 14) -> Workflow:
    """10 erlangs (200/h × 3 min), one round-the-clock team, a 3-day goal."""
    return single_stage(sla=[SlaTarget("P2", 3, "d", 0.9)],
                        teams=[Team(name="Reviewers", id="reviewers", shrinkage=0.0,
                                    shifts=[Shift("all day", 0, 24, [heads] * 7)])])


def _sla(mean: float, low: float, high: float, n: int = 1) -> TargetResult:
    return TargetResult("sla", "Review · P2", 0.9, mean, low, high, n, low >= 0.9)


def test_paired_moves_the_reference_interval_by_the_difference_in_the_same_replications() -> None:
    reference = Evaluation([_sla(0.93, 0.91, 0.95, 4)])
    reference_first = Evaluation([_sla(0.94, 0.94, 0.94)])
    worse = paired(reference, reference_first, Evaluation([_sla(0.91, 0.91, 0.91)]))
    better = paired(reference, reference_first, Evaluation([_sla(0.95, 0.95, 0.95)]))
    [w], [b] = worse.results, better.results
    assert (w.mean, w.ci_low, w.ci_high) == pytest.approx((0.90, 0.88, 0.92))
    assert not w.met and worse.failing == ("sla:Review · P2",)
    assert (b.ci_low, b.met) == (pytest.approx(0.92), True) and better.met
    # a candidate alone would pass on its own mean (0.91 ≥ 0.9): the pairing is what catches it
    assert _sla(0.91, 0.91, 0.91).met


def test_paired_judges_caps_by_the_upper_bound() -> None:
    cap = TargetResult("occupancy", "Reviewers", 0.85, 0.80, 0.78, 0.82, 4, True)
    first = TargetResult("occupancy", "Reviewers", 0.85, 0.80, 0.80, 0.80, 1, True)
    moved = paired(Evaluation([cap]), Evaluation([first]),
                   Evaluation([TargetResult("occupancy", "Reviewers", 0.85, 0.84, 0.84, 0.84, 1, True)]))
    assert moved.results[0].ci_high == pytest.approx(0.86) and not moved.met


def test_the_guard_refuses_a_roster_whose_backlog_never_catches_up() -> None:
    workflow = long_window()
    assert stability_verdict(workflow, {KEY: 11}) is None
    [(name, share)] = unstable_stages(workflow, {KEY: 10})
    assert name == "Review" and share == pytest.approx(1.0, abs=1e-9)
    verdict = stability_verdict(workflow, {KEY: 9})
    assert verdict is not None and not verdict.met and verdict.failing[0].startswith("stability:Review")
    assert verdict.results[0].mean == pytest.approx(10 / 9)


@pytest.fixture(scope="module")
def long_window_plan():
    workflow = long_window()
    return workflow, recommend_staffing(workflow, None, ALL_WEEK, SETTINGS, executor=make_executor(2),
                                        time_budget_s=3600.0)


def test_the_trim_stops_at_the_stable_minimum_when_short_runs_would_allow_less(long_window_plan) -> None:
    workflow, plan = long_window_plan
    assert plan.status == "met"
    [row] = plan.rows
    assert (row.current_max, row.recommended) == (14, 11)
    [check] = plan.trim_checks
    assert (check.headcount_tried, check.met, check.phase) == (10, False, "trim")
    assert check.failing[0].startswith("stability:Review")
    [achieved] = plan.achieved
    assert achieved.met and achieved.ci_low >= 0.9
    # what the guard saves: the short run itself would have passed 10 reviewers (unstable, yet on time in 72 h)
    [unstable] = check_minimality(workflow, None, {KEY: 11}, SETTINGS, targets=ALL_WEEK, executor=make_executor(2))
    assert not unstable.met and unstable.failing == check.failing


def test_without_the_guard_ten_reviewers_would_pass_the_short_run() -> None:
    workflow = long_window(heads=10)
    run = run_scenarios(workflow, [None], SETTINGS, executor=make_executor(2))
    [sla] = [s for s in summarise_metrics(run.replications) if s.metric == "sla_attainment_share"]
    assert sla.mean >= 0.9 and math.isfinite(sla.ci_low)


def test_the_minimality_check_replays_the_trim_rule_on_a_finished_plan(long_window_plan) -> None:
    workflow, _ = long_window_plan
    [check] = check_minimality(workflow, None, {KEY: 12}, SETTINGS, targets=ALL_WEEK, executor=make_executor(2))
    assert check.headcount_tried == 11 and check.met  # 12 is not minimal: one fewer still holds
