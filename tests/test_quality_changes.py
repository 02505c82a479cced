"""Scenario changes on decision quality: the fields offered (:mod:`flowmodel.change_fields`), their paths
(:mod:`flowmodel.paths`: a category without an entry starts from the general value; an unset part is a clear
error), applying them (:mod:`flowmodel.scenarios`), their planner words, and what a launch plan may time."""

from __future__ import annotations

import pytest

from flowmodel import Change, Edge, Scenario, Workflow
from flowmodel.change_fields import field_for, fields_for, to_stored
from flowmodel.errors import ModelError
from flowmodel.launch_fields import timing_problem
from flowmodel.paths import get_path, set_path
from flowmodel.quality import Accuracy, Split
from flowmodel.scenarios import apply_scenario, describe_change
from flowmodel.validation import validate
from tests.test_validation import clean_workflow
from tests.test_validation_quality import edge, quality_workflow

QUALITY_PATHS = ("truth.", "by_truth.", "accuracy", "qa_share", "wellness_caps.")


def paths(workflow: Workflow, target_id: str) -> list[str]:
    return [f.path for f in fields_for(workflow, target_id)]


def labels(workflow: Workflow, target_id: str) -> dict[str, str]:
    return {f.path: f.label for f in fields_for(workflow, target_id)}


def applied(workflow: Workflow, *changes: Change) -> Workflow:
    return apply_scenario(workflow, Scenario(name="Policy v2", changes=list(changes)))


def team(workflow: Workflow):
    return next(iter(workflow.teams.values()))


# -- the catalogue ------------------------------------------------------------------------------------------------
def test_a_model_without_quality_offers_no_quality_field() -> None:
    workflow = clean_workflow()
    for target in [*workflow.nodes, *workflow.edges, *workflow.teams]:
        assert not [p for p in paths(workflow, target) if p.startswith(QUALITY_PATHS)], target


def test_a_source_offers_its_prevalence_overall_and_per_category_of_its_mix() -> None:
    workflow = quality_workflow()
    offered = labels(workflow, workflow.node_by_name("Reports").id)
    assert offered["truth.prevalence"] == "prevalence (share truly violating)"
    assert offered["truth.by_category.hate"] == "prevalence of hate (share truly violating)"  # no entry: from 30 %
    assert offered["truth.by_category.spam"] == "prevalence of spam (share truly violating)"
    assert field_for(workflow, workflow.node_by_name("Reports").id, "truth.prevalence").family == "share"


def test_a_branch_split_by_truth_offers_its_shares_by_truth_and_no_plain_share() -> None:
    workflow = quality_workflow()
    band = edge(workflow, "Classifier", "review")
    offered = labels(workflow, band.id)
    assert offered["by_truth.violating"] == "share of violating items taking this band"
    assert offered["by_truth.benign"] == "share of benign items taking this band"
    assert offered["by_truth.by_category.spam.violating"] == "share of violating spam items taking this band"
    assert offered["by_truth.by_category.hate.benign"] == "share of benign hate items taking this band"
    assert "probability" not in offered
    assert not [p for p in paths(workflow, workflow.node_by_name("Classifier").id) if p.startswith("route.")]


def test_a_deciding_stage_offers_shares_only_of_its_other_branches() -> None:
    workflow = quality_workflow()
    stage = workflow.node_by_name("Review")
    assert not [p for p in paths(workflow, stage.id) if p.startswith("route.")]
    escalated = workflow.add_node(type(stage)(name="Specialists"))
    workflow.add_edge(Edge(stage.id, escalated.id, label="escalate", probability=0.1))
    assert [p for p in paths(workflow, stage.id) if p.startswith("route.")] == ["route.escalate"]


def test_a_team_offers_its_accuracy_in_planner_words() -> None:
    workflow = quality_workflow()
    offered = labels(workflow, team(workflow).id)
    assert offered["accuracy.remove_violating"] == "reviewers remove violating items (recall)"
    assert offered["accuracy.keep_benign"] == "reviewers keep benign items (specificity)"
    assert offered["accuracy_by_category.hate.remove_violating"] == "reviewers remove violating hate items (recall)"
    assert offered["accuracy_by_category.spam.keep_benign"] == "reviewers keep benign spam items (specificity)"


def test_a_team_offers_its_wellness_caps_in_hours() -> None:
    workflow = quality_workflow()
    team(workflow).wellness_caps["hate"] = 4.0
    entry = field_for(workflow, team(workflow).id, "wellness_caps.hate")
    assert (entry.label, entry.family, entry.unit) == ("wellness cap for hate (hours a reviewer a shift-day)",
                                                       "duration", "h")


def test_a_stage_offers_its_own_accuracy_only_when_it_states_one_and_its_qa_share() -> None:
    workflow = quality_workflow()
    stage = workflow.node_by_name("Review")
    assert "accuracy.remove_violating" not in paths(workflow, stage.id)  # its team's applies
    assert labels(workflow, stage.id)["qa_share"] == "share of decisions re-reviewed by QA"
    stage.accuracy = Accuracy(0.8, 0.9)
    assert {"accuracy.remove_violating", "accuracy.keep_benign", "accuracy_by_category.spam.keep_benign"} <= set(
        paths(workflow, stage.id))
    assert "qa_share" not in paths(workflow, workflow.node_by_name("QA").id)


def test_a_category_with_a_dot_is_not_offered() -> None:
    workflow = quality_workflow()
    workflow.node_by_name("Reports").mix[0].category = "hate.v2"
    assert not [p for p in paths(workflow, workflow.node_by_name("Reports").id) if "hate" in p]


# -- applying -----------------------------------------------------------------------------------------------------
def test_a_category_without_an_entry_starts_from_the_general_prevalence() -> None:
    workflow = quality_workflow()
    reports = workflow.node_by_name("Reports").id
    changed = applied(workflow, Change(reports, "truth.by_category.hate", "add", 0.1))
    assert changed.nodes[reports].truth.by_category == {"spam": 0.6, "hate": pytest.approx(0.4)}
    assert changed.nodes[reports].truth.prevalence == 0.3
    assert workflow.nodes[reports].truth.by_category == {"spam": 0.6}  # the baseline is untouched


def test_a_category_without_a_split_starts_from_the_branch_shares() -> None:
    workflow = quality_workflow()
    band = edge(workflow, "Classifier", "auto-remove")
    changed = applied(workflow, Change(band.id, "by_truth.by_category.hate.violating", "scale", 1.2))
    assert changed.edges[band.id].by_truth.by_category == {"hate": Split(pytest.approx(0.6), 0.02)}
    assert band.by_truth.by_category == {}


def test_shares_by_truth_that_no_longer_sum_to_1_make_the_scenario_invalid() -> None:
    workflow = quality_workflow()
    workflow.scenarios.clear()
    scenario = Scenario(name="Classifier v2", changes=[
        Change(edge(workflow, "Classifier", "auto-remove").id, "by_truth.violating", "set", 0.6)])
    workflow.scenarios[scenario.id] = scenario
    issues = [i for i in validate(workflow) if i.rule == "scenario-invalid"]
    assert len(issues) == 1 and "violating items over its branches sum to 110.0%" in issues[0].message
    review = edge(workflow, "Classifier", "review").id
    scenario.changes.append(Change(review, "by_truth.violating", "set", 0.35))
    assert "violating spam items" in next(i.message for i in validate(workflow) if i.rule == "scenario-invalid")
    scenario.changes.append(Change(review, "by_truth.by_category.spam.violating", "set", 0.2))
    assert validate(workflow) == []


def test_a_team_without_accuracy_starts_from_always_right() -> None:
    workflow = quality_workflow()
    team(workflow).accuracy = None
    changed = applied(workflow, Change(team(workflow).id, "accuracy.keep_benign", "set", 0.9))
    assert team(changed).accuracy == Accuracy(1.0, 0.9)
    per_category = applied(workflow, Change(team(workflow).id, "accuracy_by_category.spam.remove_violating",
                                            "add", -0.2))
    assert team(per_category).accuracy_by_category == {"spam": Accuracy(pytest.approx(0.8), 1.0)}
    assert team(per_category).accuracy is None


def test_a_team_category_starts_from_the_team_accuracy() -> None:
    workflow = quality_workflow()
    changed = applied(workflow, Change(team(workflow).id, "accuracy_by_category.hate.remove_violating", "set", 0.7))
    assert team(changed).accuracy_by_category == {"hate": Accuracy(0.7, 0.95)}
    assert team(changed).accuracy == Accuracy(0.9, 0.95)


def test_a_stage_without_its_own_accuracy_says_to_state_one_first() -> None:
    workflow = quality_workflow()
    stage = workflow.node_by_name("Review").id
    with pytest.raises(ModelError) as raised:
        applied(workflow, Change(stage, "accuracy.keep_benign", "set", 0.8))
    assert "Review · reviewers keep benign items (specificity)" in raised.value.where
    assert "accuracy is not set" in raised.value.message and "stage's own accuracy" in raised.value.hint
    with pytest.raises(ModelError, match="states no accuracy for spam"):
        applied(workflow, Change(stage, "accuracy_by_category.spam.keep_benign", "set", 0.8))


def test_a_source_without_truth_says_to_give_it_one_first() -> None:
    workflow = quality_workflow()
    reports = workflow.node_by_name("Reports")
    reports.truth = None
    with pytest.raises(ModelError) as raised:
        get_path(reports, "truth.prevalence")
    assert "truth is not set" in raised.value.message and "ground truth" in raised.value.hint


def test_a_failed_write_leaves_no_default_behind() -> None:
    workflow = quality_workflow()
    reports = workflow.node_by_name("Reports")
    with pytest.raises(ModelError):
        set_path(reports, "truth.by_category.hate", "a lot")
    assert reports.truth.by_category == {"spam": 0.6}


def test_a_table_of_floats_keeps_floats() -> None:
    """A cap stored as a whole number (a hand-written file) still takes 3.5 hours: the table is ``dict[str, float]``."""
    workflow = quality_workflow()
    team(workflow).wellness_caps["hate"] = 4
    set_path(team(workflow), "wellness_caps.hate", 3.5)
    assert team(workflow).wellness_caps == {"hate": 3.5}


def test_qa_share_changes_apply() -> None:
    workflow = quality_workflow()
    stage = workflow.node_by_name("Review").id
    assert applied(workflow, Change(stage, "qa_share", "scale", 2.0)).nodes[stage].qa_share == pytest.approx(0.2)


# -- words --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("target", "path", "op", "value", "words"), [
    ("Reports", "truth.prevalence", "set", 0.35, "Reports · prevalence (share truly violating) → 35 %"),
    ("Reports", "truth.by_category.hate", "add", 0.05, "Reports · prevalence of hate (share truly violating) +5 pts"),
    ("auto-remove", "by_truth.violating", "set", 0.6,
     "Classifier → Removed · share of violating items taking this band → 60 %"),
    ("Mods", "accuracy.remove_violating", "set", 0.85, "Mods · reviewers remove violating items (recall) → 85 %"),
    ("Mods", "accuracy_by_category.spam.keep_benign", "scale", 0.9,
     "Mods · reviewers keep benign spam items (specificity) ×0.9"),
    ("Review", "qa_share", "set", 0.2, "Review · share of decisions re-reviewed by QA → 20 %"),
    ("Review", "accuracy.keep_benign", "set", 0.8, "Review · reviewers keep benign items (specificity) → 80 %"),
])
def test_changes_read_in_planner_words(target: str, path: str, op: str, value: float, words: str) -> None:
    workflow = quality_workflow()
    target_id = {"Mods": team(workflow).id, "auto-remove": edge(workflow, "Classifier", "auto-remove").id}.get(
        target) or workflow.node_by_name(target).id
    assert describe_change(workflow, Change(target_id, path, op, value)).split("  ⚠")[0] == words


def test_shares_typed_in_percent_are_stored_as_fractions() -> None:
    workflow = quality_workflow()
    entry = field_for(workflow, team(workflow).id, "accuracy.keep_benign")
    assert to_stored(entry, "set", 92.5, "%") == pytest.approx(0.925)


# -- launch plans -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("target", "path", "timeable"), [
    ("Reports", "truth.prevalence", True),
    ("Reports", "truth.by_category.hate", True),
    ("auto-remove", "by_truth.violating", True),
    ("Mods", "accuracy.keep_benign", True),
    ("Mods", "accuracy_by_category.hate.remove_violating", True),
    ("Mods", "wellness_caps.hate", False),
    ("Review", "qa_share", False),
])
def test_what_a_launch_plan_can_time(target: str, path: str, timeable: bool) -> None:
    workflow = quality_workflow()
    team(workflow).wellness_caps["hate"] = 4.0
    target_id = {"Mods": team(workflow).id, "auto-remove": edge(workflow, "Classifier", "auto-remove").id}.get(
        target) or workflow.node_by_name(target).id
    problem = timing_problem(workflow, Change(target_id, path, "set", 0.5, start="+1d"))
    assert (problem == "") is timeable, problem


def launch_plan(workflow: Workflow, *changes: Change) -> list[str]:
    workflow.scenarios.clear()
    plan = Scenario(name="Policy launch", launch="+2d", changes=list(changes))
    workflow.scenarios[plan.id] = plan
    return [i.rule for i in validate(workflow)]


def test_a_timed_accuracy_dip_validates_and_a_timed_qa_share_is_refused() -> None:
    from flowmodel.launch import Ramp

    workflow = quality_workflow()
    mods = team(workflow).id
    dip = Change(mods, "accuracy.remove_violating", "set", 0.9, start="launch",
                 ramp=Ramp(launch_value=0.7, shape="learning", hours=48))
    assert launch_plan(workflow, dip) == []
    assert launch_plan(workflow, Change(workflow.node_by_name("Review").id, "qa_share", "set", 0.3,
                                        start="launch")) == ["launch-field-not-timeable"]


def test_a_timed_accuracy_beyond_100_percent_is_a_launch_value_warning() -> None:
    workflow = quality_workflow()
    rules = launch_plan(workflow, Change(team(workflow).id, "accuracy.keep_benign", "set", 1.2, start="launch"))
    assert rules == ["launch-value-invalid"]
