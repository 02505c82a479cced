"""Item traces of a model with decision quality say whether each item violated and how its journey ended."""

from __future__ import annotations

from dataclasses import replace

from engine_models import settings, single_stage

from flowmodel import Distribution
from flowmodel.quality import Accuracy, GroundTruth
from simulations.engine import run_replication
from simulations.item_trace import trace_rows
from simulations.spec import compile_run


def deciding_stage(prevalence: float, accuracy: Accuracy):
    """Reports with ground truth → "Review" deciding remove/keep by the team's accuracy → "Removed" / "Kept"."""
    from flowmodel import Edge, Outcome

    workflow = single_stage(20.0, Distribution.exponential(1, "min"), 2)
    workflow.nodes["reports"].truth = GroundTruth(prevalence)
    workflow.remove_node("done")
    workflow.add_node(Outcome(name="Removed", id="removed", label="removed"))
    workflow.add_node(Outcome(name="Kept", id="kept", label="kept"))
    workflow.add_edge(Edge("review", "removed", id="e-remove", label="remove", decision="remove"))
    workflow.add_edge(Edge("review", "kept", id="e-keep", label="keep", decision="keep"))
    workflow.teams["team"].accuracy = accuracy
    return workflow


def test_every_traced_item_of_an_all_violating_source_that_is_always_removed_is_a_correct_removal() -> None:
    spec = replace(compile_run(deciding_stage(1.0, Accuracy(1.0, 1.0)), None, settings(24)), trace_items=20)
    traces = run_replication(spec, 0).traces
    finished = [t for t in traces if t.outcome]
    assert len(finished) >= 15
    assert {(t.truth, t.decision, t.verdict, t.outcome) for t in finished} == {
        ("violating", "removed", "correct removal", "Removed")}
    rows = trace_rows(finished)
    assert {row["verdict"] for row in rows} == {"correct removal"}


def test_a_reviewer_who_removes_everything_makes_every_benign_item_a_wrongful_removal() -> None:
    spec = replace(compile_run(deciding_stage(0.0, Accuracy(1.0, 0.0)), None, settings(24)), trace_items=20)
    finished = [t for t in run_replication(spec, 0).traces if t.outcome]
    assert finished and {t.verdict for t in finished} == {"wrongful removal"}


def test_traces_of_a_model_without_quality_carry_no_truth_column() -> None:
    workflow = single_stage(20.0, Distribution.exponential(1, "min"), 2)
    spec = replace(compile_run(workflow, None, settings(24)), trace_items=10)
    traces = run_replication(spec, 0).traces
    assert traces and all(t.truth == "" and t.verdict == "" for t in traces)
    assert "truth" not in trace_rows(traces)[0]
