"""Validation of decision quality: every rule of :mod:`flowmodel.validation_quality` on a minimal model broken in
one way, none on the clean model, and none at all on models that state no quality.

The clean model: reports (ground truth) → classifier whose bands are split by truth (auto-remove, review,
auto-keep) → a review stage that decides by accuracy → outcomes; one team with an accuracy works the stage, and
a QA stage re-reviews 10 % of its decisions.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from flowmodel import (
    Classifier,
    Distribution,
    Edge,
    MixEntry,
    Outcome,
    ReviewStage,
    Router,
    Shift,
    Source,
    Team,
    Workflow,
)
from flowmodel.jsonfile import read_workflow_json
from flowmodel.quality import Accuracy, GroundTruth, Split, TruthSplit
from flowmodel.validation import Issue, errors, validate
from flowmodel.validation_quality import check_quality, uses_quality

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.flow.json"))


def quality_workflow(qa: bool = True) -> Workflow:
    workflow = Workflow(name="Quality")
    add = workflow.add_node
    reports = add(Source(name="Reports", rate_per_hour=10.0, truth=GroundTruth(0.3, {"spam": 0.6}),
                         mix=[MixEntry("hate", "en", "P1", 0.5), MixEntry("spam", "en", "P2", 0.5)]))
    classifier = add(Classifier(name="Classifier"))
    review = add(ReviewStage(name="Review", handle_time=Distribution.fixed(2, "min")))
    removed = add(Outcome(name="Removed", label="removed"))
    kept = add(Outcome(name="Kept", label="kept"))
    connect = workflow.add_edge
    connect(Edge(reports.id, classifier.id, probability=1.0))
    connect(Edge(classifier.id, removed.id, label="auto-remove", decision="remove", by_truth=TruthSplit(0.5, 0.02)))
    connect(Edge(classifier.id, review.id, label="review", by_truth=TruthSplit(
        0.45, 0.28, {"spam": Split(0.3, 0.1)})))
    connect(Edge(classifier.id, kept.id, label="auto-keep", decision="keep", by_truth=TruthSplit(
        0.05, 0.7, {"spam": Split(0.2, 0.88)})))
    connect(Edge(review.id, removed.id, label="remove", decision="remove"))
    connect(Edge(review.id, kept.id, label="keep", decision="keep"))
    team = Team(name="Mods", shifts=[Shift("all day", 0, 24, [3] * 7)], shrinkage=0.2,
                languages=["en"], categories=["hate", "spam"], stages=[review.id], accuracy=Accuracy(0.9, 0.95))
    workflow.add_team(team)
    if qa:
        qa_stage = add(ReviewStage(name="QA", handle_time=Distribution.fixed(5, "min")))
        review.qa_share, review.qa_stage = 0.1, qa_stage.id
        team.stages.append(qa_stage.id)
    return workflow


def rules(issues: list[Issue]) -> list[str]:
    return [issue.rule for issue in issues]


def only(workflow: Workflow, rule: str) -> Issue:
    """The one issue of ``rule``; no other decision-quality issue may come with it."""
    issues = check_quality(workflow)
    found = [i for i in issues if i.rule == rule]
    assert len(found) == 1, rules(issues)
    return found[0]


def edge(workflow: Workflow, source: str, label: str) -> Edge:
    return next(e for e in workflow.outgoing(workflow.node_by_name(source).id) if e.label == label)


@pytest.mark.parametrize("qa", [True, False])
def test_the_clean_quality_model_has_no_issue(qa: bool) -> None:
    assert validate(quality_workflow(qa)) == []


def test_a_model_without_quality_gets_no_quality_issue() -> None:
    workflow = quality_workflow(qa=False)
    for node in workflow.nodes.values():
        if isinstance(node, Source):
            node.truth = None
    for e in workflow.edges.values():
        e.decision, e.by_truth = "", None
    for team in workflow.teams.values():
        team.accuracy = None
    assert check_quality(workflow) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_without_quality_get_no_quality_issue(path: Path) -> None:
    """Examples that state no quality get nothing; one that does (the classifier rollout) gets no error."""
    workflow = read_workflow_json(path)
    if uses_quality(workflow):
        assert errors(check_quality(workflow)) == []
    else:
        assert check_quality(workflow) == []


# -- ground truth -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("change", "field"), [
    (lambda t: setattr(t, "prevalence", 1.2), "truth.prevalence"),
    (lambda t: setattr(t, "prevalence", math.nan), "truth.prevalence"),
    (lambda t: t.by_category.__setitem__("spam", -0.1), "truth.by_category.spam"),
    (lambda t: t.by_category.__setitem__("spam", "lots"), "truth.by_category.spam"),
])
def test_prevalence_outside_0_to_1_is_an_error(change, field: str) -> None:
    workflow = quality_workflow()
    change(workflow.node_by_name("Reports").truth)
    issue = only(workflow, "truth-prevalence-range")
    assert (issue.severity, issue.field, issue.node_id) == ("error", field, workflow.node_by_name("Reports").id)
    assert "“Reports”" in issue.message and "prevalence" in issue.message


@pytest.mark.parametrize(("change", "field"), [
    (lambda t: setattr(t, "views_per_hour", -1.0), "truth.views_per_hour"),
    (lambda t: t.views_by_category.__setitem__("hate", math.inf), "truth.views_by_category.hate"),
])
def test_negative_views_are_an_error(change, field: str) -> None:
    workflow = quality_workflow()
    change(workflow.node_by_name("Reports").truth)
    assert only(workflow, "truth-views-range").field == field


# -- splits by truth ---------------------------------------------------------------------------------------------
def test_a_branch_not_split_by_truth_among_split_ones_is_an_error() -> None:
    workflow = quality_workflow()
    band = edge(workflow, "Classifier", "auto-keep")
    band.by_truth, band.probability = None, 0.2
    issue = only(workflow, "truth-split-partial")
    assert issue.edge_id == band.id and "“auto-keep”" in issue.message


def test_a_share_by_truth_outside_0_to_1_is_an_error_and_sums_are_not_checked() -> None:
    workflow = quality_workflow()
    edge(workflow, "Classifier", "review").by_truth.by_category["spam"].benign = 1.5
    issue = only(workflow, "truth-split-range")
    assert issue.field == "by_truth.by_category.spam.benign" and "benign spam items" in issue.message
    assert "truth-split-sum" not in rules(check_quality(workflow))


def test_shares_by_truth_must_sum_to_1_per_truth() -> None:
    workflow = quality_workflow()
    edge(workflow, "Classifier", "review").by_truth.violating = 0.5
    issue = only(workflow, "truth-split-sum")
    assert issue.node_id == workflow.node_by_name("Classifier").id and "violating items" in issue.message
    assert "105.0%" in issue.message


def test_shares_by_truth_must_sum_to_1_for_every_category_named() -> None:
    """A category one branch names takes the other branches' general shares: 0.5 + 0.3 + 0.2 = 1 for violating
    spam, but adding hate to one branch only makes hate's benign shares 0.02 + 0.28 + 0.5 ≠ 1."""
    workflow = quality_workflow()
    edge(workflow, "Classifier", "auto-keep").by_truth.by_category["hate"] = Split(0.05, 0.5)
    issue = only(workflow, "truth-split-sum")
    assert "benign hate items" in issue.message and "80.0%" in issue.message


def test_a_split_by_truth_at_a_review_stage_is_an_error() -> None:
    workflow = quality_workflow()
    for e in workflow.outgoing(workflow.node_by_name("Review").id):
        e.decision, e.by_truth = "", TruthSplit(0.5, 0.5)
    issues = check_quality(workflow)
    assert rules(issues).count("truth-split-node") == 1
    assert next(i for i in issues if i.rule == "truth-split-node").node_id == workflow.node_by_name("Review").id


def test_a_split_by_truth_at_a_probability_router_is_fine() -> None:
    workflow = quality_workflow()
    stage = workflow.node_by_name("Review")
    router = workflow.add_node(Router(name="Appealed?", mode="probability"))
    remove = edge(workflow, "Review", "remove")
    remove.target = router.id
    workflow.add_edge(Edge(router.id, workflow.node_by_name("Removed").id, label="no",
                           by_truth=TruthSplit(0.97, 0.6)))
    workflow.add_edge(Edge(router.id, stage.id, label="appealed", by_truth=TruthSplit(0.03, 0.4)))
    assert validate(workflow) == []


def test_items_without_truth_reaching_a_split_are_an_error_naming_source_and_node() -> None:
    workflow = quality_workflow()
    proactive = workflow.add_node(Source(name="Proactive", rate_per_hour=1.0, mix=[MixEntry("spam", "en", "P2")]))
    workflow.add_edge(Edge(proactive.id, workflow.node_by_name("Classifier").id, probability=1.0))
    issue = only(workflow, "truth-missing")
    assert issue.severity == "error" and issue.node_id == workflow.node_by_name("Classifier").id
    assert "“Proactive”" in issue.message and "split by truth" in issue.message


def test_items_without_truth_reaching_a_deciding_stage_are_an_error() -> None:
    workflow = quality_workflow()
    proactive = workflow.add_node(Source(name="Proactive", rate_per_hour=1.0, mix=[MixEntry("spam", "en", "P2")]))
    workflow.add_edge(Edge(proactive.id, workflow.node_by_name("Review").id, probability=1.0))
    issue = only(workflow, "truth-missing")
    assert issue.node_id == workflow.node_by_name("Review").id and "decide by the items' truth" in issue.message


# -- decisions ---------------------------------------------------------------------------------------------------
def test_a_decision_at_a_router_is_an_error() -> None:
    workflow = quality_workflow()
    router = workflow.add_node(Router(name="Split", mode="probability"))
    keep = edge(workflow, "Review", "keep")
    keep.target = router.id
    workflow.add_edge(Edge(router.id, workflow.node_by_name("Kept").id, label="done", probability=1.0,
                           decision="keep"))
    issue = only(workflow, "decision-node")
    assert issue.field == "decision" and "“Split”" in issue.message


def test_an_unknown_decision_is_an_error() -> None:
    workflow = quality_workflow()
    edge(workflow, "Classifier", "auto-keep").decision = "approve"  # type: ignore[assignment]
    assert "'approve'" in only(workflow, "decision-invalid").message


def test_a_remove_branch_without_a_keep_branch_is_a_warning() -> None:
    workflow = quality_workflow(qa=False)
    for e in workflow.outgoing(workflow.node_by_name("Review").id):
        e.probability = 0.5
    edge(workflow, "Review", "keep").decision = ""
    issue = only(workflow, "decision-pair")
    assert issue.severity == "warning" and "no “keep” branch" in issue.message
    assert not errors(validate(workflow))


def test_two_remove_branches_at_a_stage_are_an_error() -> None:
    workflow = quality_workflow(qa=False)
    stage = workflow.node_by_name("Review")
    other = workflow.add_node(Outcome(name="Removed (escalated)"))
    extra = workflow.add_edge(Edge(stage.id, other.id, label="remove too", decision="remove"))
    issue = only(workflow, "decision-duplicate")
    assert issue.edge_id == extra.id and "“remove”, “remove too”" in issue.message


# -- accuracy ----------------------------------------------------------------------------------------------------
def test_a_team_accuracy_outside_0_to_1_is_an_error() -> None:
    workflow = quality_workflow()
    team = next(iter(workflow.teams.values()))
    team.accuracy_by_category["hate"] = Accuracy(1.1, 0.9)
    issue = only(workflow, "accuracy-range")
    assert (issue.team_id, issue.field) == (team.id, "accuracy_by_category.hate.remove_violating")
    assert "team “Mods”" in issue.message and "recall" in issue.message


def test_a_stage_accuracy_outside_0_to_1_is_an_error() -> None:
    workflow = quality_workflow()
    workflow.node_by_name("Review").accuracy = Accuracy(0.9, -0.2)
    issue = only(workflow, "accuracy-range")
    assert issue.field == "accuracy.keep_benign" and "specificity" in issue.message


def test_a_deciding_stage_without_any_accuracy_is_a_warning() -> None:
    workflow = quality_workflow()
    next(iter(workflow.teams.values())).accuracy = None
    found = [i for i in check_quality(workflow) if i.rule == "accuracy-unstated"]
    assert [i.node_id for i in found] == [workflow.node_by_name("Review").id, workflow.node_by_name("QA").id]
    assert all(i.severity == "warning" and "always right" in i.message and "“Mods”" in i.hint for i in found)


def test_a_stage_accuracy_alone_is_stated_accuracy() -> None:
    workflow = quality_workflow(qa=False)
    next(iter(workflow.teams.values())).accuracy = None
    workflow.node_by_name("Review").accuracy_by_category["hate"] = Accuracy(0.8, 0.9)
    assert check_quality(workflow) == []


# -- QA ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("share", [1.5, -0.1, math.nan, "10%"])
def test_a_qa_share_outside_0_to_1_is_an_error(share) -> None:
    workflow = quality_workflow()
    workflow.node_by_name("Review").qa_share = share
    issues = validate(workflow)
    assert "qa-share-range" in rules(issues) and "check-failed" not in rules(issues)


def test_a_qa_share_without_a_qa_stage_is_an_error() -> None:
    workflow = quality_workflow(qa=False)
    workflow.node_by_name("Review").qa_share = 0.05
    issue = only(workflow, "qa-stage-missing")
    assert issue.field == "qa_stage" and "5.0%" in issue.message


@pytest.mark.parametrize(("break_it", "words"), [
    (lambda w: setattr(w.node_by_name("Review"), "qa_stage", "gone"), "does not exist"),
    (lambda w: setattr(w.node_by_name("Review"), "qa_stage", w.node_by_name("Kept").id), "not a review stage"),
    (lambda w: setattr(w.node_by_name("Review"), "qa_stage", w.node_by_name("Review").id), "itself"),
    (lambda w: next(iter(w.teams.values())).stages.remove(w.node_by_name("QA").id), "no team works"),
    (lambda w: w.add_edge(Edge(w.node_by_name("Classifier").id, w.node_by_name("QA").id)), "also reach"),
])
def test_an_unusable_qa_stage_is_an_error(break_it, words: str) -> None:
    workflow = quality_workflow()
    break_it(workflow)
    issue = only(workflow, "qa-stage-invalid")
    assert issue.node_id == workflow.node_by_name("Review").id and words in issue.message


def test_a_qa_share_on_a_stage_without_decisions_is_a_warning() -> None:
    workflow = quality_workflow()
    for e in workflow.outgoing(workflow.node_by_name("Review").id):
        e.decision, e.probability = "", 0.5
    assert only(workflow, "qa-without-decisions").severity == "warning"


def test_a_qa_stage_with_outgoing_edges_is_a_warning() -> None:
    workflow = quality_workflow()
    qa = workflow.node_by_name("QA")
    out = workflow.add_edge(Edge(qa.id, workflow.node_by_name("Kept").id, probability=1.0))
    issue = only(workflow, "qa-stage-has-edges")
    assert (issue.severity, issue.node_id, issue.edge_id) == ("warning", qa.id, out.id)
    assert "“Review”" in issue.message


def test_a_qa_stage_needs_no_edges_but_a_stage_without_qa_share_does() -> None:
    """The QA stage is reached by copies and ends them; with the share at 0 it is an ordinary stage again."""
    workflow = quality_workflow()
    assert not {"unreachable-node", "no-outgoing-edge"} & set(rules(validate(workflow)))
    workflow.node_by_name("Review").qa_share = 0.0
    found = {i.rule for i in validate(workflow) if i.node_id == workflow.node_by_name("QA").id}
    assert {"unreachable-node", "no-outgoing-edge"} <= found


def test_a_qa_stage_of_an_unreachable_stage_is_unreachable_too() -> None:
    workflow = quality_workflow()
    edge(workflow, "Classifier", "review").target = workflow.node_by_name("Kept").id
    unreachable = {i.node_id for i in validate(workflow) if i.rule == "unreachable-node"}
    assert unreachable == {workflow.node_by_name("Review").id, workflow.node_by_name("QA").id}


def test_qa_copies_add_load_to_the_qa_stage() -> None:
    """5 hate items/h (30 % violating) and 5 spam items/h (60 %) reach Review by their bands' shares; every
    decision there is remove or keep, so QA gets 10 % of Review's arrivals."""
    from flowmodel.traffic import arrival_rates

    workflow = quality_workflow()
    rates = arrival_rates(workflow)
    review, qa = workflow.node_by_name("Review").id, workflow.node_by_name("QA").id
    hate = 5 * (0.3 * 0.45 + 0.7 * 0.28)
    spam = 5 * (0.6 * 0.3 + 0.4 * 0.1)
    assert rates[review] == pytest.approx(hate + spam, rel=1e-12)
    assert rates[qa] == pytest.approx(0.1 * (hate + spam), rel=1e-12)


# -- never raises ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("weird", [None, "x", [0.1], {"a": 1}, math.inf, -math.inf, True, -2])
def test_weird_values_are_reported_never_raised(weird) -> None:
    """Values no editor can produce (a loaded file is type-checked first): the quality checks report them."""
    workflow = quality_workflow()
    workflow.node_by_name("Reports").truth.prevalence = weird
    workflow.node_by_name("Reports").truth.views_by_category["spam"] = weird
    edge(workflow, "Classifier", "review").by_truth.violating = weird
    edge(workflow, "Classifier", "auto-keep").by_truth.by_category["spam"] = weird
    next(iter(workflow.teams.values())).accuracy.keep_benign = weird
    workflow.node_by_name("Review").accuracy_by_category["hate"] = weird
    workflow.node_by_name("Review").qa_share = weird
    workflow.node_by_name("Review").qa_stage = weird
    found = set(rules(check_quality(workflow)))
    assert {"truth-prevalence-range", "truth-views-range", "truth-split-range", "accuracy-range",
            "qa-share-range"} <= found
    assert not any(i.message.startswith("Could not check decision quality") for i in validate(workflow))


def test_hours_without_qa_reviewers_are_found_from_the_qa_copies() -> None:
    """Copies arrive at QA round the clock; a QA team on days only leaves the nights uncovered (interval check)."""
    from flowmodel import SlaTarget

    workflow = quality_workflow()
    qa = workflow.node_by_name("QA")
    qa.sla = [SlaTarget("P1", 2, "h", 0.9)]
    next(iter(workflow.teams.values())).stages.remove(qa.id)
    workflow.add_team(Team(name="QA team", shifts=[Shift("day", 9, 8, [1] * 7)], shrinkage=0.0, languages=["en"],
                           categories=["hate", "spam"], stages=[qa.id], accuracy=Accuracy(0.95, 0.95)))
    issues = validate(workflow)
    assert [(i.rule, i.node_id) for i in issues] == [("stage-uncovered-hours", qa.id)]


@pytest.mark.parametrize("weird", [["remove"], 1, None])
def test_a_decision_of_a_weird_type_is_reported(weird) -> None:
    workflow = quality_workflow()
    edge(workflow, "Review", "keep").decision = weird
    found = rules(check_quality(workflow))
    assert ("decision-invalid" in found) is bool(weird) and "decision-pair" in found
