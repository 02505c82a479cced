"""The SLA clock outside the engine: files (old and new), scenario paths, validation, the fingerprint and the
analytic staffing guess (flowmodel/nodes.py SlaTarget.clock)."""

from __future__ import annotations

import json

import pytest
from test_staffing_analytic import single_stage
from test_validation import clean_workflow, node

from flowmodel import Change, ModelError, Scenario, SlaTarget
from flowmodel.fingerprint import workflow_fingerprint
from flowmodel.jsonfile import dumps_workflow
from flowmodel.paths import set_path
from flowmodel.scenarios import apply_scenario
from flowmodel.serialization import LoadError, workflow_from_dict, workflow_to_dict
from flowmodel.validation import validate
from simulations.staffing import DAY_GROUPS_ALL_WEEK, analytic_guess, infeasible_targets, targets_from_model


def test_a_wait_target_survives_a_json_round_trip() -> None:
    workflow = clean_workflow()
    node(workflow, "EN review").sla[0] = SlaTarget("P1", 4, "h", 0.9, clock="wait")
    again = workflow_from_dict(json.loads(dumps_workflow(workflow)))
    assert again.node_by_name("EN review").sla == node(workflow, "EN review").sla
    assert again.node_by_name("EN review").sla[0].clock == "wait"


def test_a_file_written_before_clocks_reads_as_time_to_decision() -> None:
    data = workflow_to_dict(clean_workflow())
    stage = next(n for n in data["nodes"] if n["name"] == "EN review")
    for target in stage["sla"]:
        del target["clock"]
    loaded = workflow_from_dict(data)
    assert [t.clock for t in loaded.node_by_name("EN review").sla] == ["decision", "decision"]


def test_a_file_with_an_unknown_clock_is_refused_where_it_says_it() -> None:
    data = workflow_to_dict(clean_workflow())
    stage = next(n for n in data["nodes"] if n["name"] == "EN review")
    stage["sla"][0]["clock"] = "pickup"
    with pytest.raises(LoadError) as caught:
        workflow_from_dict(data)
    assert "sla" in str(caught.value) and "pickup" in str(caught.value)


def test_the_default_clock_keeps_the_fingerprint_of_runs_stored_before_clocks() -> None:
    workflow = clean_workflow()
    data = workflow_to_dict(workflow)
    before = workflow_fingerprint(workflow)
    stage = next(n for n in data["nodes"] if n["name"] == "EN review")
    assert stage["sla"][0]["clock"] == "decision"
    node(workflow, "EN review").sla[0].clock = "wait"
    assert workflow_fingerprint(workflow) != before


def test_a_scenario_can_move_a_target_to_the_wait_clock_by_path() -> None:
    workflow = clean_workflow()
    stage = node(workflow, "EN review")
    changed = apply_scenario(workflow, Scenario(name="Pickup SLA", changes=[Change(stage.id, "sla.P1.clock", "set",
                                                                                    "wait")]))
    assert changed.node_by_name("EN review").sla[0].clock == "wait"
    assert stage.sla[0].clock == "decision"
    with pytest.raises(ModelError):
        set_path(stage, "sla.P1.clock", 4)


def test_an_unknown_clock_is_an_invalid_sla_error_in_planner_words() -> None:
    workflow = clean_workflow()
    node(workflow, "EN review").sla[0].clock = "pickup"  # type: ignore[assignment]
    issues = [i for i in validate(workflow) if i.rule == "invalid-sla"]
    assert [(i.severity, i.field) for i in issues] == [("error", "sla.P1.clock")]
    assert issues[0].message.endswith("SLA for P1: unknown clock 'pickup'")
    assert issues[0].hint == "time either the decision (from creation) or the wait in the queue"


def test_a_wait_target_shorter_than_the_handle_time_is_not_infeasible() -> None:
    workflow = clean_workflow()
    node(workflow, "EN review").sla[0] = SlaTarget("P1", 1, "s", 0.95)
    assert [i.field for i in validate(workflow) if i.rule == "sla-infeasible"] == ["sla.P1.within"]
    node(workflow, "EN review").sla[0].clock = "wait"
    assert [i for i in validate(workflow) if i.rule == "sla-infeasible"] == []


def test_the_analytic_guess_staffs_a_wait_goal_by_erlang_c() -> None:
    """10 erlangs of 3-minute reviews, 80 % picked up within 20 s: Erlang C's 14 reviewers (the textbook
    example); on the decision clock no headcount can end 80 % of reviews within 20 s."""
    workflow = single_stage(sla=[SlaTarget("P2", 20, "s", 0.8, clock="wait")])
    targets = targets_from_model(workflow, day_groups=DAY_GROUPS_ALL_WEEK)
    assert targets.sla[0].clock == "wait"
    assert targets.sla[0].describe() == "Review · P2: 80% picked up within 20 s of arrival at the stage"
    assert infeasible_targets(workflow, targets) == []
    guess = analytic_guess(workflow, targets, workflow.run_settings)
    assert set(guess.stage_reviewers[workflow.node_by_name("Review").id]) == {14}
    workflow.node_by_name("Review").sla[0].clock = "decision"
    assert len(infeasible_targets(workflow, targets_from_model(workflow, day_groups=DAY_GROUPS_ALL_WEEK))) == 1
