"""One test per launch-plan rule (:mod:`flowmodel.validation_launch`): a clean plan broken in one way reports exactly
that rule, and its message names the scenario and the change, backfill or training in planner words."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowmodel import (
    Change,
    Condition,
    Distribution,
    Edge,
    MixEntry,
    Outcome,
    ReviewStage,
    Router,
    RunSettings,
    Scenario,
    Shift,
    Source,
    Team,
    Workflow,
)
from flowmodel import validation as validation_module
from flowmodel.jsonfile import read_workflow_json
from flowmodel.launch import Backfill, Ramp, Scope, Training
from flowmodel.limits import MAX_BACKFILL_ITEMS
from flowmodel.validation import Issue, validate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PLAN = "Policy launch"


def day_shift(count: int) -> list[Shift]:
    return [Shift(name="day", start_hour=8, hours=8, headcount=[count] * 7)]


def launch_model() -> Workflow:
    """Reports (EN hate P1, ES spam P2) → language router → EN / ES review → outcomes; EN escalates to specialists.

    30/h → 15/h per language at 2 min: 0.5 erlangs on each stage; the teams work round the clock."""
    workflow = Workflow(name="Launch model", run_settings=RunSettings(horizon_hours=14 * 24.0))
    add = workflow.add_node
    reports = add(Source(name="Reports", rate_per_hour=30.0, mix=[MixEntry("hate", "en", "P1", 0.5),
                                                                    MixEntry("spam", "es", "P2", 0.5)]))
    router = add(Router(name="By language", mode="attribute", attribute="language"))
    english = add(ReviewStage(name="EN review", handle_time=Distribution.fixed(2, "min")))
    spanish = add(ReviewStage(name="ES review", handle_time=Distribution.fixed(2, "min")))
    specialists = add(ReviewStage(name="Specialist review", handle_time=Distribution.fixed(5, "min")))
    kept, removed = (add(Outcome(name=n, label=n.lower())) for n in ("Kept", "Removed"))
    edge = workflow.add_edge
    edge(Edge(reports.id, router.id, probability=1.0))
    edge(Edge(router.id, english.id, condition=Condition("language", ["en"])))
    edge(Edge(router.id, spanish.id, condition=Condition("language", ["es"])))
    edge(Edge(english.id, kept.id, label="keep", probability=0.6))
    edge(Edge(english.id, removed.id, label="remove", probability=0.3))
    edge(Edge(english.id, specialists.id, label="escalate", probability=0.1))
    edge(Edge(spanish.id, kept.id, label="keep", probability=1.0))
    edge(Edge(specialists.id, removed.id, label="decide", probability=1.0))
    around = [Shift(name="all day", start_hour=0, hours=24, headcount=[4] * 7)]
    workflow.add_team(Team(name="EN team", languages=["en"], shrinkage=0.0, shifts=around,
                           stages=[english.id, specialists.id]))
    workflow.add_team(Team(name="ES team", languages=["es"], shrinkage=0.0, shifts=list(around),
                           stages=[spanish.id]))
    workflow.put_scenario(Scenario(name=PLAN, launch="+7d"))
    return workflow


def node_id(workflow: Workflow, name: str) -> str:
    return workflow.node_by_name(name).id


def plan(workflow: Workflow) -> Scenario:
    return workflow.scenario_by_name(PLAN)


def handle_change(workflow: Workflow, **timing) -> Change:
    change = Change(node_id(workflow, "EN review"), "handle_time.mean", "add", 0.5, **timing)
    plan(workflow).changes.append(change)
    return change


def launch_issues(workflow: Workflow) -> list[Issue]:
    return [issue for issue in validate(workflow) if issue.field == "scenarios"]


def only(workflow: Workflow, rule: str, severity: str = "error") -> Issue:
    """The one issue of ``workflow``, which must be ``rule`` and name the plan."""
    issues = launch_issues(workflow)
    assert [(i.rule, i.severity) for i in issues] == [(rule, severity)], [i.render() for i in issues]
    assert f"Launch plan “{PLAN}”" in issues[0].message
    return issues[0]


def test_a_clean_plan_with_every_part_validates_without_issues():
    workflow = launch_model()
    handle_change(workflow, start="launch", ramp=Ramp(launch_value=1.0, shape="learning", hours=48))
    scenario = plan(workflow)
    scenario.changes.append(Change(node_id(workflow, "Reports"), "rate_per_hour", "scale", 1.5, start="+2d",
                                   scope=Scope(languages=["es"])))
    scenario.backfills.append(Backfill(name="Old reports", target=node_id(workflow, "EN review"), items=2000,
                                       mix=[MixEntry("hate", "en", "P1", 1.0)], spread_hours=48))
    scenario.trainings.append(Training(name="Policy training", team=workflow.team_by_name("EN team").id,
                                       hours_per_person=2, start="launch", end="+2d"))
    assert [i.render() for i in validate(workflow)] == []


@pytest.mark.parametrize("name", ["user_report_triage", "follow_the_sun_multilingual", "classifier_rollout_appeals"])
def test_models_without_launch_plans_get_exactly_the_issues_they_got_before(name, monkeypatch):
    workflow = read_workflow_json(EXAMPLES / f"{name}.flow.json")
    broken = next(iter(workflow.scenarios.values()))
    broken.changes.append(Change(next(iter(workflow.teams)), "shrinkage", "set", 1.5))  # scenario-invalid
    assert not any(s.is_launch_plan() for s in workflow.scenarios.values())
    with_hook = validate(workflow)
    monkeypatch.setattr(validation_module, "check_launch_plans", lambda w, errors: [])
    assert with_hook == validate(workflow)
    assert "scenario-invalid" in {i.rule for i in with_hook}


def test_a_launch_that_is_not_an_instant():
    workflow = launch_model()
    plan(workflow).launch = "next tuesday"
    issue = only(workflow, "launch-instant-invalid")
    assert "launch" in issue.message and "'next tuesday'" in issue.message
    assert "+7d" in issue.hint


def test_a_change_start_that_is_not_an_instant_names_the_change():
    workflow = launch_model()
    handle_change(workflow, start="+7x")
    issue = only(workflow, "launch-instant-invalid")
    assert "change “EN review · handle time +30 s”" in issue.message and "'+7x'" in issue.message
    assert issue.node_id == node_id(workflow, "EN review")


def test_a_change_that_ends_before_it_starts():
    workflow = launch_model()
    handle_change(workflow, start="+3d", end="+1d")
    issue = only(workflow, "launch-end-before-start")
    assert "EN review · handle time +30 s" in issue.message and "launch + 1 d" in issue.message


def test_an_unknown_ramp_shape():
    workflow = launch_model()
    handle_change(workflow, start="launch", ramp=Ramp(launch_value=1.0, shape="s-curve", hours=24))
    issue = only(workflow, "launch-ramp-invalid")
    assert "'s-curve'" in issue.message and "EN review · handle time" in issue.message


def test_a_ramp_of_no_hours():
    workflow = launch_model()
    handle_change(workflow, start="launch", ramp=Ramp(launch_value=1.0, hours=0))
    assert "0 h" in only(workflow, "launch-ramp-invalid").message


def test_a_ramp_from_a_list_to_a_number():
    workflow = launch_model()
    handle_change(workflow, start="launch", ramp=Ramp(launch_value=[1.0, 2.0], hours=24))
    issue = only(workflow, "launch-ramp-invalid")
    assert "[1.0, 2.0]" in issue.message and "a number" in issue.message


def test_a_headcount_ramp_needs_seven_numbers():
    workflow = launch_model()
    team = workflow.team_by_name("ES team")
    plan(workflow).changes.append(Change(team.id, "shifts.all day.headcount", "set", [6] * 7, start="launch",
                                         ramp=Ramp(launch_value=4, hours=24)))
    issue = only(workflow, "launch-ramp-invalid")
    assert "a list of 7 numbers" in issue.message and issue.team_id == team.id


def test_a_timed_change_on_a_field_that_cannot_vary():
    workflow = launch_model()
    plan(workflow).changes.append(Change(workflow.team_by_name("ES team").id, "hourly_cost", "set", 30.0,
                                         start="+1d"))
    issue = only(workflow, "launch-field-not-timeable")
    assert "ES team · " in issue.message and "cannot change during a run" in issue.message


def test_a_scoped_roster_change():
    workflow = launch_model()
    plan(workflow).changes.append(Change(workflow.team_by_name("ES team").id, "shrinkage", "set", 0.1,
                                         scope=Scope(languages=["es"])))
    issue = only(workflow, "launch-field-not-timeable")
    assert "cannot be scoped" in issue.message and "(for es)" in issue.message


def test_a_timed_change_on_a_deleted_node():
    workflow = launch_model()
    plan(workflow).changes.append(Change("gone", "handle_time.mean", "add", 0.5, start="+1d"))
    assert "does not exist" in only(workflow, "launch-target-missing").message


def test_a_scope_no_mix_has_is_a_warning():
    workflow = launch_model()
    plan(workflow).changes.append(Change(node_id(workflow, "Reports"), "rate_per_hour", "scale", 1.2,
                                         scope=Scope(languages=["pt"])))
    issue = only(workflow, "launch-scope-unknown", "warning")
    assert "Reports · arrival rate ×1.2" in issue.message and "language pt" in issue.message
    assert "en, es" in issue.hint


def test_a_backfill_into_a_missing_node():
    workflow = launch_model()
    plan(workflow).backfills.append(Backfill(name="Old reports", target="gone", mix=[MixEntry("hate", "en", "P1")]))
    assert "backfill “Old reports”" in only(workflow, "backfill-target-invalid").message


@pytest.mark.parametrize("target", ["Reports", "Kept"])
def test_a_backfill_into_a_source_or_an_outcome(target):
    workflow = launch_model()
    plan(workflow).backfills.append(Backfill(name="Old reports", target=node_id(workflow, target),
                                             mix=[MixEntry("hate", "en", "P1")]))
    issue = only(workflow, "backfill-target-invalid")
    assert f"“{target}”" in issue.message and "backfill “Old reports”" in issue.message


@pytest.mark.parametrize("items", [0, MAX_BACKFILL_ITEMS + 1, 2.5])
def test_backfill_items_out_of_range(items):
    workflow = launch_model()
    plan(workflow).backfills.append(Backfill(name="Old reports", target=node_id(workflow, "EN review"), items=items,
                                             mix=[MixEntry("hate", "en", "P1")]))
    issue = only(workflow, "backfill-items-invalid")
    assert "backfill “Old reports”" in issue.message and f"{MAX_BACKFILL_ITEMS:,}" in issue.message


def test_a_backfill_spread_below_zero():
    workflow = launch_model()
    plan(workflow).backfills.append(Backfill(name="Old reports", target=node_id(workflow, "EN review"),
                                             spread_hours=-1, mix=[MixEntry("hate", "en", "P1")]))
    assert "-1" in only(workflow, "backfill-spread-invalid").message


@pytest.mark.parametrize("mix", [[], [MixEntry("hate", "en", "P1", 0.0)]])
def test_a_backfill_with_no_share(mix):
    workflow = launch_model()
    plan(workflow).backfills.append(Backfill(name="Old reports", target=node_id(workflow, "EN review"), mix=mix))
    assert "backfill “Old reports”" in only(workflow, "backfill-mix-invalid").message


def test_a_backfill_nobody_can_review_where_it_goes():
    workflow = launch_model()
    plan(workflow).backfills.append(Backfill(name="Old reports", target=node_id(workflow, "EN review"),
                                             mix=[MixEntry("hate", "en", "P1", 0.5),
                                                  MixEntry("hate", "pt", "P1", 0.5)]))
    issues = launch_issues(workflow)
    assert [i.rule for i in issues] == ["backfill-skills-gap", "backfill-skills-gap", "backfill-unrouted"]
    issues = issues[:2]  # the router has no PT branch either
    assert {i.node_id for i in issues} == {node_id(workflow, "EN review"), node_id(workflow, "Specialist review")}
    assert all("backfill “Old reports”" in i.message and "pt/hate" in i.message for i in issues)


def test_a_backfill_no_branch_takes():
    workflow = launch_model()
    plan(workflow).backfills.append(Backfill(name="Old reports", target=node_id(workflow, "By language"),
                                             mix=[MixEntry("hate", "pt", "P1")]))
    issue = only(workflow, "backfill-unrouted")
    assert "backfill “Old reports”" in issue.message and "hate/pt/P1" in issue.message
    assert "“By language”" in issue.message and issue.node_id == node_id(workflow, "By language")


def test_a_backfill_class_a_router_it_never_passes_cannot_route():
    """The engine compiles every router for every item class of the run, so it refuses this plan too."""
    workflow = launch_model()
    workflow.team_by_name("ES team").languages = ["es", "pt"]
    plan(workflow).backfills.append(Backfill(name="Old reports", target=node_id(workflow, "ES review"),
                                             mix=[MixEntry("spam", "pt", "P2")]))
    issue = only(workflow, "backfill-unrouted")
    assert "backfill “Old reports”" in issue.message and "spam/pt/P2" in issue.message
    assert issue.node_id == node_id(workflow, "By language")


def test_training_of_a_missing_team():
    workflow = launch_model()
    plan(workflow).trainings.append(Training(name="Policy training", team="gone"))
    assert "training “Policy training”" in only(workflow, "training-team-missing").message


def test_training_of_no_hours():
    workflow = launch_model()
    plan(workflow).trainings.append(Training(name="Policy training", team=workflow.team_by_name("EN team").id,
                                             hours_per_person=0))
    assert "training “Policy training”" in only(workflow, "training-hours-invalid").message


def test_training_of_negative_people():
    workflow = launch_model()
    plan(workflow).trainings.append(Training(name="Policy training", team=workflow.team_by_name("EN team").id,
                                             people=-3))
    assert "-3 people" in only(workflow, "training-people-invalid").message


def test_training_needing_more_hours_than_the_team_has_on_the_floor():
    """EN team: 4 on the floor round the clock = 96 reviewer-hours a day; 20 people × 6 h = 120 > 96."""
    workflow = launch_model()
    team = workflow.team_by_name("EN team")
    plan(workflow).trainings.append(Training(name="Policy training", team=team.id, people=20, hours_per_person=6,
                                             start="launch", end="+1d"))
    issue = only(workflow, "training-over-capacity")
    assert "training “Policy training”" in issue.message and "120 reviewer-hours" in issue.message
    assert "about 96 on the floor" in issue.message and issue.team_id == team.id


def test_training_with_the_whole_team_counts_its_head_count():
    """people 0: 4 round the clock is 672 paid hours a week ÷ 40 = 17 people; 17 × 6 h = 102 > 96 in a day."""
    workflow = launch_model()
    plan(workflow).trainings.append(Training(name="Policy training", team=workflow.team_by_name("EN team").id,
                                             hours_per_person=6, start="launch", end="+1d"))
    assert "17 people × 6 h need 102" in only(workflow, "training-over-capacity").message


def test_training_that_ends_before_it_starts():
    workflow = launch_model()
    plan(workflow).trainings.append(Training(name="Policy training", team=workflow.team_by_name("EN team").id,
                                             start="+2d", end="+1d"))
    assert "training “Policy training”" in only(workflow, "launch-end-before-start").message


def test_a_launch_after_the_horizon_changes_nothing():
    workflow = launch_model()
    plan(workflow).launch = "+15d"
    issue = only(workflow, "launch-after-horizon", "warning")
    assert "changes nothing in this run" in issue.message and "336 h" in issue.message


def test_a_change_starting_after_the_horizon_changes_nothing():
    workflow = launch_model()
    handle_change(workflow, start="+8d")
    issue = only(workflow, "launch-after-horizon", "warning")
    assert "EN review · handle time +30 s" in issue.message and "launch + 8 d" in issue.message


def test_a_dated_backfill_after_the_horizon_changes_nothing():
    workflow = launch_model()
    plan(workflow).launch = ""
    plan(workflow).backfills.append(Backfill(name="Old reports", target=node_id(workflow, "EN review"),
                                             start="2026-02-01", mix=[MixEntry("hate", "en", "P1")]))
    assert "backfill “Old reports”" in only(workflow, "launch-after-horizon", "warning").message


def test_a_ramp_that_takes_a_share_past_one_hundred_percent():
    workflow = launch_model()
    plan(workflow).changes.append(Change(node_id(workflow, "EN review"), "route.escalate", "add", 0.1,
                                         start="launch", ramp=Ramp(launch_value=1.2, hours=24)))
    issue = only(workflow, "launch-value-invalid", "warning")
    assert "EN review · escalate share" in issue.message and "at its launch value (1.2)" in issue.message
    assert "between 0 and 1" in issue.message


def test_a_settled_value_that_breaks_the_model():
    workflow = launch_model()
    plan(workflow).changes.append(Change(workflow.team_by_name("ES team").id, "shrinkage", "set", 1.5,
                                         start="+1d"))
    issue = only(workflow, "launch-value-invalid", "warning")
    assert "ES team · " in issue.message and "once settled (1.5)" in issue.message and "shrinkage" in issue.message


@pytest.mark.parametrize("days", [0, -5, 61])
def test_recovery_days_outside_one_to_sixty(days):
    workflow = launch_model()
    plan(workflow).recovery_days = days
    issue = only(workflow, "launch-recovery-days-invalid")
    assert f"{days!r} days" in issue.message and PLAN in issue.message


def test_a_far_training_end_is_refused_at_once_and_a_long_one_is_summed_by_weeks():
    workflow = launch_model()
    team = workflow.team_by_name("EN team").id
    plan(workflow).trainings.append(Training(name="Forever", team=team, hours_per_person=1, start="launch",
                                             end="+10000000w"))
    assert only(workflow, "launch-instant-invalid")
    plan(workflow).trainings[0].end = "2190-01-01"  # a date far past the run: summed by whole weeks, no hang
    plan(workflow).trainings[0].hours_per_person = 1e9
    assert "training-over-capacity" in {i.rule for i in validate(workflow)}
