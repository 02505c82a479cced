"""The decision-quality model (flowmodel.quality): files, workspaces, hostile input, model-card arithmetic."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from flowmodel import LoadError
from flowmodel.jsonfile import dumps_workflow, read_workflow_json
from flowmodel.quality import (
    PERFECT,
    Accuracy,
    GroundTruth,
    Split,
    TruthSplit,
    band_figures,
    band_split,
    resolve_accuracy,
)
from flowmodel.serialization import workflow_from_dict, workflow_to_dict
from flowmodel.workspace import Workspace

EXAMPLES = Path(__file__).parent.parent / "examples"


def quality_workflow():
    workflow = read_workflow_json(EXAMPLES / "user_report_triage.flow.json")
    source = next(n for n in workflow.nodes.values() if n.kind == "source")
    source.truth = GroundTruth(0.3, {"spam": 0.8}, views_per_hour=12.0, views_by_category={"spam": 2.0})
    classifier = next(n for n in workflow.nodes.values() if n.kind == "classifier")
    for edge in workflow.outgoing(classifier.id):
        edge.by_truth = TruthSplit(0.5, 0.1, {"spam": Split(0.6, 0.05)})
        edge.decision = "remove" if edge.label == "auto-action" else ""
    team = next(iter(workflow.teams.values()))
    team.accuracy = Accuracy(0.9, 0.95)
    team.accuracy_by_category = {"spam": Accuracy(0.97, 0.99)}
    team.wellness_caps = {"violence": 4.0}
    stage = next(n for n in workflow.nodes.values() if n.kind == "review_stage")
    stage.accuracy = Accuracy(0.8, 0.85)
    stage.qa_share = 0.05
    return workflow


def test_quality_fields_round_trip_through_json_and_a_workspace(tmp_path: Path) -> None:
    workflow = quality_workflow()
    again = workflow_from_dict(json.loads(dumps_workflow(workflow)))
    assert again == workflow
    with Workspace.create(tmp_path / "ops.flowdb") as workspace:
        workspace.save_workflow(workflow)
    with Workspace.open(tmp_path / "ops.flowdb") as workspace:
        assert workspace.load_workflow(workflow.id) == workflow


def test_a_model_without_quality_writes_no_quality_field() -> None:
    text = (EXAMPLES / "user_report_triage.flow.json").read_text()
    for name in ("truth", "by_truth", "decision", "accuracy", "wellness_caps", "qa_share", "qa_stage"):
        assert f'"{name}":' not in text
    assert dumps_workflow(read_workflow_json(EXAMPLES / "user_report_triage.flow.json")) == text


@pytest.mark.parametrize(("mangle", "where", "says"), [
    (lambda d: _source(d)["truth"].__setitem__("prevalence", "high"), "truth.prevalence", "expected a number"),
    (lambda d: _source(d)["truth"].pop("prevalence"), "truth", "missing field"),
    (lambda d: _source(d)["truth"].__setitem__("prevalance", 0.2), "truth", "unknown field"),
    (lambda d: _edge(d)["by_truth"].__setitem__("violating", float("nan")), "by_truth.violating", ""),
    (lambda d: _edge(d).__setitem__("decision", "delete"), "decision", "one of"),
    (lambda d: d["teams"][0]["accuracy"].__setitem__("keep_benign", [1]), "accuracy.keep_benign", "expected a number"),
    (lambda d: d["teams"][0].__setitem__("wellness_caps", {"violence": "4h"}), "wellness_caps.violence",
     "expected a number"),
])
def test_a_malformed_quality_field_is_a_located_load_error(mangle, where: str, says: str) -> None:
    data = workflow_to_dict(quality_workflow())
    mangle(data)
    with pytest.raises(LoadError) as raised:
        workflow_from_dict(data)
    assert where in raised.value.where
    assert says in raised.value.message


def _source(data: dict) -> dict:
    return next(n for n in data["nodes"] if n["kind"] == "source")


def _edge(data: dict) -> dict:
    return next(e for e in data["edges"] if "by_truth" in e)


def test_the_most_specific_accuracy_wins() -> None:
    team, team_spam = Accuracy(0.9, 0.9), Accuracy(0.8, 0.8)
    stage, stage_spam = Accuracy(0.7, 0.7), Accuracy(0.6, 0.6)
    assert resolve_accuracy(stage, {"spam": stage_spam}, team, {"spam": team_spam}, "spam") is stage_spam
    assert resolve_accuracy(stage, {}, team, {"spam": team_spam}, "spam") is stage
    assert resolve_accuracy(None, {}, team, {"spam": team_spam}, "spam") is team_spam
    assert resolve_accuracy(None, {}, team, {"spam": team_spam}, "hate") is team
    assert resolve_accuracy(None, {}, None, {}, "hate") == PERFECT
    assert Accuracy(0.9, 0.95).remove_probability(False) == pytest.approx(0.05)


def test_precision_and_recall_turn_into_error_rates_and_back() -> None:
    # 1,000 items at 20 % prevalence: 200 violating; a band with 75 % recall takes 150 of them; at 60 % precision the
    # band holds 250 items, so 100 of the 800 benign ones: 12.5 %.
    split = band_split(0.2, 0.75, 0.6)
    assert split.violating == pytest.approx(0.75)
    assert split.benign == pytest.approx(0.125)
    recall, precision = band_figures(0.2, split)
    assert (recall, precision) == (pytest.approx(0.75), pytest.approx(0.6))
    assert math.isnan(band_figures(0.2, Split(0.0, 0.0))[1])


@pytest.mark.parametrize(("prevalence", "recall", "precision", "says"), [
    (0.0, 0.5, 0.5, "prevalence"), (1.0, 0.5, 0.5, "prevalence"), (0.2, 1.2, 0.5, "recall"),
    (0.2, 0.5, 0.0, "precision"), (0.5, 1.0, 0.1, "cannot have a precision as low"),
])
def test_impossible_model_card_figures_are_refused_with_the_reason(prevalence, recall, precision, says) -> None:
    with pytest.raises(ValueError, match=says):
        band_split(prevalence, recall, precision)
