"""Staffing a launch plan: candidates run with the plan, and the launch period is staffed apart from the settled
state (flowmodel.launch_period, simulations.staffing.evaluation.candidate_scenario)."""

from __future__ import annotations

import pytest

from flowmodel import Distribution, MixEntry, RunSettings, SlaTarget
from flowmodel.documents import save_document
from flowmodel.errors import ModelError
from flowmodel.launch import Backfill
from flowmodel.launch_period import period_settings, settled_hours
from flowmodel.scenarios import Change, Scenario
from main import main
from simulations.executors import SerialExecutor
from simulations.staffing.search import recommend_staffing
from tests.engine_models import single_stage

RUN = RunSettings(horizon_hours=120, warmup_hours=0, replications=4, seed=3, interval_minutes=60.0)


def launch_workflow():
    """30 reports an hour of 2 min each (1 reviewer busy), then a day of re-review (+60 an hour) from launch."""
    workflow = single_stage(30.0, Distribution(kind="exponential", mean=2.0, unit="min"), 3,
                            sla=[SlaTarget(priority="P2", within=10.0, unit="min", share=0.9)])
    workflow.put_scenario(Scenario(name="Launch", id="launch", launch="+2d", backfills=[
        Backfill(name="Re-review", id="rr", target="review", items=1440, mix=[MixEntry()], spread_hours=24.0)]))
    return workflow


def test_periods_are_statistics_windows_of_the_run():
    scenario = launch_workflow().scenarios["launch"]
    launch = period_settings(scenario, RUN, "launch", days=1)
    assert (launch.warmup_hours, launch.horizon_hours) == (48.0, 72.0)
    assert settled_hours(scenario, RUN) == 72.0
    settled = period_settings(scenario, RUN, "settled")
    assert (settled.warmup_hours, settled.horizon_hours) == (72.0, 120.0)
    assert period_settings(scenario, RUN, "run") == RUN


def test_a_period_needs_a_launch_plan_and_room_in_the_run():
    workflow = launch_workflow()
    with pytest.raises(ModelError, match="needs a launch plan"):
        period_settings(None, RUN, "launch")
    late = Scenario(name="Late", launch="+119h", changes=[Change("reports", "rate_per_hour", "scale", 2.0,
                                                                 start="launch")])
    with pytest.raises(ModelError, match="at least a day"):
        period_settings(late, RUN, "launch")
    del workflow


def test_the_launch_period_needs_more_reviewers_than_the_settled_state():
    workflow = launch_workflow()
    scenario = workflow.scenarios["launch"]
    plans = {period: recommend_staffing(workflow, "launch", None, period_settings(scenario, RUN, period, days=1),
                                        executor=SerialExecutor(), time_budget_s=60)
             for period in ("launch", "settled")}
    weekday = {period: next(r.recommended for r in plan.rows if 2 in r.days) for period, plan in plans.items()}
    assert all(plan.status == "met" for plan in plans.values())
    # 90 an hour of 2 min (3 busy) during the backfill against 30 an hour (1 busy) after it
    assert weekday["launch"] >= weekday["settled"] + 1
    assert weekday["launch"] >= 4


def test_staff_cli_staffs_the_launch_period(tmp_path, capsys):
    path = tmp_path / "launch.flow.json"
    save_document([launch_workflow()], path)
    arguments = ["staff", str(path), "--scenario", "Launch", "--horizon", "5d", "--replications", "4", "--seed", "3",
                 "--jobs", "1", "--period", "launch", "--launch-days", "1"]
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert "Staffing the launch period: targets judged on items created from hour 48 to hour 72" in out
    assert main(["staff", str(path), "--horizon", "5d", "--period", "launch"]) == 2
    assert "needs a launch plan" in capsys.readouterr().err


def test_the_first_guess_staffs_where_the_plan_settles():
    from flowmodel.launch import Ramp, Scope
    from flowmodel.scenarios import apply_scenario
    from simulations.staffing.search import screen_settings, settled_model

    workflow = launch_workflow()
    scenario = Scenario(name="Plan", launch="+1d", changes=[
        Change("reports", "rate_per_hour", "scale", 2.0, start="launch", ramp=Ramp(3.0, "linear", 24)),
        Change("review", "handle_time.mean", "add", 5.0, start="launch", end="+2d"),
        Change("reports", "rate_per_hour", "scale", 10.0, start="launch", scope=Scope(languages=["xx"]))])
    base = apply_scenario(workflow, scenario)
    guess = settled_model(workflow, scenario, base)
    assert guess.nodes["reports"].rate_per_hour == 60.0  # the lasting change at its settled value only
    assert guess.nodes["review"].handle_time.mean == base.nodes["review"].handle_time.mean
    assert settled_model(workflow, None, base) is base
    short = RunSettings(horizon_hours=400, warmup_hours=0, replications=4)
    assert screen_settings(short).horizon_hours == 168
    assert screen_settings(short, settled_h=300.0).horizon_hours == 300.0


def test_language_teams_of_one_stage_each_get_their_share_of_the_first_guess():
    """One stage worked by an EN and an ES team (skills): the pooled first guess staffs both, each for its own
    items, instead of pooling the stage onto whichever team is cheaper."""
    from flowmodel import Shift, Team
    from simulations.staffing import targets_from_model
    from simulations.staffing.analytic import analytic_guess
    from simulations.staffing.pools import pooled_guess
    from simulations.staffing.search import _on_shift, _reviewer_cost

    mix = [MixEntry(language="en", share=0.5), MixEntry(language="es", share=0.5)]
    workflow = single_stage(120.0, Distribution(kind="exponential", mean=3.0, unit="min"), 3, mix=mix,
                            sla=[SlaTarget(priority="P2", within=10.0, unit="min", share=0.9)])
    del workflow.teams["team"]
    for language, cost in (("en", 10.0), ("es", 50.0)):
        workflow.add_team(Team(name=language.upper(), id=language, languages=[language], shrinkage=0.0,
                               hourly_cost=cost, stages=["review"],
                               shifts=[Shift(name="all day", start_hour=0, hours=24, headcount=[4] * 7)]))
    targets = targets_from_model(workflow)
    guess = analytic_guess(workflow, targets, RUN)
    variables = [g.team_shift for g in guess.shifts]
    weekly = {v.key: _reviewer_cost(workflow, targets, v)[0] for v in variables}
    heads = pooled_guess(workflow, targets, guess, _on_shift(workflow, variables, RUN), weekly)
    by_team = {v.team_id: heads[v.key] for v in variables}
    assert guess.skill_needs and by_team["es"] >= 3 and by_team["en"] >= 3  # 3 erlangs each, on their own
