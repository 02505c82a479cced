"""The analytic expectation of decision quality (:mod:`simulations.analytic.quality_estimate`) on tiny models whose
expected counts are computed by hand here, exactly (to 1e-9)."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from flowmodel import (
    Change,
    Classifier,
    Delay,
    Distribution,
    Edge,
    MixEntry,
    Outcome,
    ReviewStage,
    Router,
    Scenario,
    Shift,
    Source,
    Team,
    Workflow,
)
from flowmodel.jsonfile import read_workflow_json
from flowmodel.quality import Accuracy, GroundTruth, Split, TruthSplit
from flowmodel.run_settings import RunSettings
from flowmodel.traffic import class_rates
from simulations.analytic.quality_estimate import QualityUnavailable, estimate_quality, quality_expectation

EXACT = 1e-9
EXAMPLES_FOLDER = Path(__file__).resolve().parents[1] / "examples"


def close(value: float, expected: float) -> bool:
    return math.isclose(value, expected, rel_tol=EXACT, abs_tol=EXACT)


def team(name: str, stages: list[str], accuracy: Accuracy | None, reviewers: int = 2, **more) -> Team:
    return Team(name=name, id=name.lower(), shrinkage=0.0, stages=stages, accuracy=accuracy,
                shifts=[Shift(name="all day", start_hour=0, hours=24, headcount=[reviewers] * 7)], **more)


def classifier_model() -> Workflow:
    """100 reports an hour, 30 % violating → a classifier: auto-action (remove) takes 50 % of violating and 10 % of
    benign items, auto-approve (keep) 10 % and 60 %, the rest go to Review (remove 90 % of violating, keep 80 % of
    benign)."""
    w = Workflow(name="Classifier", id="classifier-model")
    w.add_node(Source(name="Reports", id="reports", rate_per_hour=100.0, truth=GroundTruth(0.3)))
    w.add_node(Classifier(name="Classifier", id="classifier"))
    w.add_node(ReviewStage(name="Review", id="review"))
    w.add_node(Outcome(name="Removed", id="removed"))
    w.add_node(Outcome(name="Kept", id="kept"))
    w.add_edge(Edge("reports", "classifier", id="e-in", probability=1.0))
    w.add_edge(Edge("classifier", "removed", id="e-auto", decision="remove", by_truth=TruthSplit(0.5, 0.1)))
    w.add_edge(Edge("classifier", "kept", id="e-approve", decision="keep", by_truth=TruthSplit(0.1, 0.6)))
    w.add_edge(Edge("classifier", "review", id="e-human", by_truth=TruthSplit(0.4, 0.3)))
    w.add_edge(Edge("review", "removed", id="e-remove", decision="remove"))
    w.add_edge(Edge("review", "kept", id="e-keep", decision="keep"))
    w.add_team(team("Reviewers", ["review"], Accuracy(0.9, 0.8)))
    w.run_settings = RunSettings(horizon_hours=10.0, warmup_hours=2.0)
    return w


def test_a_classifier_by_its_error_and_a_review_by_accuracy_by_hand() -> None:
    estimate = estimate_quality(classifier_model())
    overall = estimate.overall
    # violating 30/h: removed 0.5 + 0.4·0.9, kept 0.1 + 0.4·0.1; benign 70/h: removed 0.1 + 0.3·0.2, kept 0.6 + 0.3·0.8
    assert close(overall.violating, 30.0)
    assert close(overall.correct_removals, 30 * 0.86) and close(overall.removed_violating, 30 * 0.86)
    assert close(overall.wrongful_removals, 70 * 0.16) and close(overall.removed_benign, 70 * 0.16)
    assert close(overall.missed_violations, 30 * 0.14)
    assert close(overall.kept_benign, 70 * 0.84)
    assert overall.undecided == overall.appeals == overall.upheld == overall.overturns == 0.0
    assert close(overall.precision, 25.8 / (25.8 + 11.2))
    assert close(overall.recall, 0.86)
    assert math.isnan(overall.overturn_rate)  # no appeal
    name, review = estimate.stages["review"]
    assert name == "Review" and list(estimate.stages) == ["review"]
    assert close(review.removals, 30 * 0.4 * 0.9 + 70 * 0.3 * 0.2)
    assert close(review.keeps, 30 * 0.4 * 0.1 + 70 * 0.3 * 0.8)
    assert close(review.wrongful_removals, 70 * 0.3 * 0.2)
    assert close(review.missed_violations, 30 * 0.4 * 0.1)
    assert close(review.removal_share, 15 / 33)


def test_records_are_per_run_window_with_the_run_records_names() -> None:
    estimate = estimate_quality(classifier_model())
    assert estimate.window_hours == 8.0  # 10 h − 2 h warm-up
    assert close(estimate.metric("quality", "quality", "correct_removals_count"), 8 * 25.8)
    assert close(estimate.metric("quality", "All categories", "wrongful_removals_count", hours=1.0), 11.2)
    assert close(estimate.metric("quality", "quality:general", "recall_share"), 0.86)  # shares are not scaled
    assert close(estimate.metric("decision", "Review", "removals_count"), 8 * 15.0)
    with pytest.raises(KeyError, match="exposure_h"):
        estimate.metric("quality", "quality", "exposure_h")  # exposure is not estimated
    names = {r.metric for r in estimate.records() if r.scope_kind == "quality"}
    assert names == {"violating_count", "correct_removals_count", "wrongful_removals_count",
                     "removed_violating_count", "removed_benign_count", "missed_violations_count",
                     "kept_benign_count", "undecided_count", "appeals_count", "upheld_count", "overturns_count",
                     "precision_share", "recall_share", "overturn_rate_share"}


def appeal_loop_model() -> Workflow:
    """10 reports an hour, half violating → Review (remove 80 % of violating, keep 90 % of benign) → a removal is
    appealed by 10 % of violating and 50 % of benign items, through a window → Appeal review (95 % / 90 %) upholds,
    overturns, or sends 20 % back to Review for a second look."""
    w = Workflow(name="Appeal loop", id="appeal-loop")
    w.add_node(Source(name="Reports", id="reports", rate_per_hour=10.0, truth=GroundTruth(0.5)))
    w.add_node(ReviewStage(name="Review", id="review"))
    w.add_node(Router(name="Appealed?", id="appealed"))
    w.add_node(Delay(name="Window", id="window"))
    w.add_node(ReviewStage(name="Appeal review", id="appeal"))
    for outcome in ("Removed", "Kept", "Upheld", "Restored"):
        w.add_node(Outcome(name=outcome, id=outcome.lower()))
    for edge in (Edge("reports", "review", id="e-in", probability=1.0),
                 Edge("review", "appealed", id="e-remove", decision="remove"),
                 Edge("review", "kept", id="e-keep", decision="keep"),
                 Edge("appealed", "window", id="e-appealed", by_truth=TruthSplit(0.1, 0.5)),
                 Edge("appealed", "removed", id="e-stands", by_truth=TruthSplit(0.9, 0.5)),
                 Edge("window", "appeal", id="e-window", probability=1.0),
                 Edge("appeal", "upheld", id="e-upheld", decision="remove"),
                 Edge("appeal", "restored", id="e-overturned", decision="keep"),
                 Edge("appeal", "review", id="e-second", probability=0.2)):
        w.add_edge(edge)
    w.add_team(team("Reviewers", ["review"], Accuracy(0.8, 0.9)))
    w.add_team(team("Appeals", ["appeal"], Accuracy(0.95, 0.9)))
    return w


def test_appeals_upheld_and_overturned_through_a_second_look_loop_by_hand() -> None:
    """Per violating item: Review visits x = 1 / (1 − 0.8·0.1·0.2) (a second look returns to Review, still under
    appeal, and a removal there can be appealed again), appeals y = 0.08·x. Appeal review upholds 0.8·0.95 and
    overturns 0.8·0.05 of its visits; a second look's decision at Review upholds 0.8 and overturns 0.2.
    Per benign item likewise with 0.1, 0.5 and the appeal reviewers' 0.1 / 0.9."""
    estimate = estimate_quality(appeal_loop_model())
    spam = estimate.by_category["general"]
    xv = 1 / (1 - 0.8 * 0.1 * 0.2)
    yv = 0.8 * 0.1 * xv
    xb = 1 / (1 - 0.1 * 0.5 * 0.2)
    yb = 0.1 * 0.5 * xb
    v = b = 5.0
    assert close(spam.correct_removals, v * 0.8)  # the first decision only: later ones uphold
    assert close(spam.wrongful_removals, b * 0.1)
    assert close(spam.appeals, v * yv + b * yb)
    assert close(spam.upheld, v * (0.76 * yv + 0.2 * yv * 0.8) + b * (0.08 * yb + 0.2 * yb * 0.1))
    assert close(spam.overturns, v * (0.04 * yv + 0.2 * yv * 0.2) + b * (0.72 * yb + 0.2 * yb * 0.9))
    assert close(spam.removed_violating, v * (0.8 * xv * 0.9 + 0.76 * yv))
    assert close(spam.missed_violations, v * (0.2 * xv + 0.04 * yv))
    assert close(spam.removed_benign, b * (0.1 * xb * 0.5 + 0.08 * yb))
    assert close(spam.kept_benign, b * (0.9 * xb + 0.72 * yb))
    # every item ends once
    assert close(spam.removed_violating + spam.missed_violations + spam.removed_benign + spam.kept_benign, 10.0)
    review, appeal = estimate.stages["review"][1], estimate.stages["appeal"][1]
    assert close(review.removals, v * 0.8 * xv + b * 0.1 * xb)
    assert review.appeals == 0.0  # arriving under appeal is not a new appeal
    assert close(review.overturns, v * 0.2 * yv * 0.2 + b * 0.2 * yb * 0.9)
    assert close(appeal.appeals, spam.appeals)
    assert close(appeal.overturns, v * 0.04 * yv + b * 0.72 * yb)
    assert close(appeal.wrongful_removals, b * 0.08 * yb)
    assert close(estimate.overall.overturn_rate, spam.overturns / (spam.overturns + spam.upheld))


def test_per_category_splits_and_accuracies_apply_to_their_category() -> None:
    w = classifier_model()
    source = w.nodes["reports"]
    source.mix = [MixEntry(category="spam", share=0.5), MixEntry(category="hate", share=0.5)]
    source.truth = GroundTruth(0.3, {"hate": 0.6})
    w.edges["e-auto"].by_truth = TruthSplit(0.5, 0.1, {"hate": Split(0.2, 0.0)})
    w.edges["e-human"].by_truth = TruthSplit(0.4, 0.3, {"hate": Split(0.7, 0.4)})
    w.teams["reviewers"].accuracy_by_category = {"hate": Accuracy(0.7, 0.95)}
    estimate = estimate_quality(w)
    spam, hate = estimate.by_category["spam"], estimate.by_category["hate"]
    assert close(spam.correct_removals, 50 * 0.3 * 0.86)
    assert close(hate.violating, 30.0)
    assert close(hate.correct_removals, 30 * (0.2 + 0.7 * 0.7))
    assert close(hate.wrongful_removals, 20 * 0.4 * 0.05)
    assert close(hate.missed_violations, 30 * (0.1 + 0.7 * 0.3))
    assert close(estimate.overall.correct_removals, spam.correct_removals + hate.correct_removals)


def test_teams_of_different_accuracy_weigh_by_their_available_reviewers() -> None:
    """Not exact for the engine (which uses the accuracy of whichever team takes the item): the stated
    approximation of flowmodel.traffic.remove_probabilities, here 3 and 1 reviewers."""
    w = classifier_model()
    w.teams["reviewers"].shifts[0].headcount = [3] * 7
    w.add_team(team("Juniors", ["review"], Accuracy(0.5, 0.6), reviewers=1))
    review = estimate_quality(w).stages["review"][1]
    remove_violating, remove_benign = (3 * 0.9 + 0.5) / 4, (3 * 0.2 + 0.4) / 4
    assert close(review.removals, 30 * 0.4 * remove_violating + 70 * 0.3 * remove_benign)


def test_items_of_a_source_without_truth_count_as_benign() -> None:
    """As the runtime draws them: a source without ground truth sends benign items."""
    w = classifier_model()
    w.add_node(Source(name="Other", id="other", rate_per_hour=20.0))
    w.add_edge(Edge("other", "classifier", id="e-other", probability=1.0))
    overall = estimate_quality(w).overall
    assert close(overall.violating, 30.0)
    assert close(overall.wrongful_removals, 90 * 0.16)
    assert close(overall.kept_benign, 90 * 0.84)


def qa_model() -> Workflow:
    """classifier_model with 25 % of Review's decisions re-reviewed at QA (remove 96 % of violating, keep 98 % of
    benign items)."""
    w = classifier_model()
    w.nodes["review"].qa_share = 0.25
    w.nodes["review"].qa_stage = "qa"
    w.add_node(ReviewStage(name="QA", id="qa", handle_time=Distribution.fixed(6.0, "min")))
    w.add_team(team("QA team", ["qa"], Accuracy(0.96, 0.98)))
    return w


def test_qa_reviews_disagreements_and_errors_found_by_hand() -> None:
    estimate = estimate_quality(qa_model())
    review = estimate.stages["review"][1]
    # Review's decisions per hour: violating removed 10.8, kept 1.2; benign removed 4.2, kept 16.8
    assert close(review.qa_reviews, 0.25 * 33)
    disagree = 10.8 * 0.04 + 1.2 * 0.96 + 4.2 * 0.98 + 16.8 * 0.02
    assert close(review.qa_disagreements, 0.25 * disagree)
    assert close(review.qa_errors_found, 0.25 * (1.2 * 0.96 + 4.2 * 0.98))  # the wrong decisions QA puts right
    assert close(estimate.qa_copies["qa"], 0.25 * 33)
    assert close(sum(class_rates(qa_model())["qa"].values()), estimate.qa_copies["qa"])  # the QA stage's load
    assert "qa" not in estimate.stages  # a QA stage reports through the stage it samples
    metrics = {r.metric for r in estimate.records() if r.scope_id == "review"}
    assert {"qa_reviews_count", "qa_disagreements_count", "qa_errors_found_count", "qa_disagreement_share"} <= metrics
    # the QA copies change nothing of the items' own counts
    assert estimate.overall == estimate_quality(classifier_model()).overall


def test_the_expectation_applies_a_scenario() -> None:
    w = classifier_model()
    w.put_scenario(Scenario(name="Wider auto-action", id="wider", changes=[
        Change("e-auto", "by_truth.violating", "set", 0.7), Change("e-human", "by_truth.violating", "set", 0.2)]))
    baseline = quality_expectation(w)
    wider = quality_expectation(w, w.scenarios["wider"])
    assert not isinstance(baseline, QualityUnavailable) and not isinstance(wider, QualityUnavailable)
    assert close(wider.overall.correct_removals, 30 * (0.7 + 0.2 * 0.9))
    assert close(baseline.overall.correct_removals, 30 * 0.86)
    assert w.edges["e-auto"].by_truth.violating == 0.5  # the workflow itself is untouched


def test_the_expectation_says_why_there_is_none() -> None:
    plain = Workflow(name="Plain", id="plain")
    plain.add_node(Source(name="Reports", id="reports"))
    plain.add_node(Outcome(name="Done", id="done"))
    plain.add_edge(Edge("reports", "done", id="e", probability=1.0))
    none = quality_expectation(plain)
    assert isinstance(none, QualityUnavailable)
    assert "no decision quality" in none.message and "ground truth" in none.hint
    looping = appeal_loop_model()
    looping.edges["e-upheld"].target = "review"  # upheld items go back to review: a loop that never ends
    looping.edges["e-overturned"].target = "review"
    looping.edges["e-stands"].target = "review"
    looping.edges["e-keep"].target = "review"
    stuck = quality_expectation(looping)
    assert isinstance(stuck, QualityUnavailable)
    assert "loop they never leave" in stuck.message and "exit" in stuck.hint
    assert stuck.where == "Review, Appealed?, Window, Appeal review"  # the loop's nodes, not the way in
    broken = quality_expectation(classifier_model(), Scenario(name="Broken", id="broken", changes=[
        Change("missing-edge", "probability", "set", 0.5)]))
    assert isinstance(broken, QualityUnavailable) and "Broken" in broken.where


@pytest.mark.parametrize("path", sorted(EXAMPLES_FOLDER.glob("*.flow.json")), ids=lambda p: p.name)
def test_the_bundled_examples_are_estimated_well_under_100_ms(path: Path) -> None:
    workflow = read_workflow_json(path)
    quality_expectation(workflow)  # first call: imports and caches warm
    started = time.perf_counter()
    result = quality_expectation(workflow)
    assert time.perf_counter() - started < 0.1
    assert isinstance(result, QualityUnavailable) or result.overall.violating >= 0.0
