"""Launch plans in the domain model: instants, ramps, files and workspaces (flowmodel.launch)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from flowmodel import Distribution, MixEntry, SlaTarget
from flowmodel.errors import LoadError, ModelError
from flowmodel.launch import (
    Backfill,
    Ramp,
    Scope,
    Training,
    instant_seconds,
    launch_seconds,
    parse_instant,
    ramp_operand,
)
from flowmodel.scenarios import Change, Scenario, apply_scenario, copy_scenario
from flowmodel.serialization import workflow_from_dict, workflow_to_dict
from flowmodel.workspace import Workspace
from simulations.executors import SerialExecutor
from simulations.persist import load_run_from_workspace, save_run_to_workspace
from simulations.runner import run_scenarios
from tests.engine_models import settings, single_stage

START = datetime(2027, 1, 4, tzinfo=UTC)


@pytest.mark.parametrize(("text", "hours"), [("", 0.0), ("launch", 0.0), ("+7d", 168.0), ("launch + 36h", 36.0),
                                             ("+2w", 336.0), ("-1d", -24.0), ("+1.5h", 1.5)])
def test_offsets_count_from_the_launch(text: str, hours: float) -> None:
    assert instant_seconds(text, 3600.0, START, "x") == 3600.0 + hours * 3600.0


def test_dates_are_utc_unless_they_say_otherwise() -> None:
    assert instant_seconds("2027-01-05", 0.0, START, "x") == 86400.0
    assert instant_seconds("2027-01-05 09:00", 0.0, START, "x") == 86400.0 + 9 * 3600.0
    assert instant_seconds("2027-01-05T10:00+01:00", 0.0, START, "x") == 86400.0 + 9 * 3600.0
    assert launch_seconds("2027-01-11", START, "x") == 7 * 86400.0


def test_an_instant_that_does_not_parse_names_its_place() -> None:
    with pytest.raises(ModelError) as caught:
        parse_instant("next tuesday", "scenario 'Launch' · change 1 · start")
    assert "change 1 · start" in caught.value.where and "+7d" in caught.value.hint


def test_ramps_interpolate_the_operand() -> None:
    assert ramp_operand(40.0, 10.0, "linear", 10.0, 5.0) == 25.0
    assert ramp_operand(40.0, 10.0, "linear", 10.0, 50.0) == 10.0
    assert ramp_operand(40.0, 10.0, "learning", 10.0, 10.0) == 25.0
    assert ramp_operand([2, 4], [0, 0], "linear", 4.0, 2.0) == [1.0, 2.0]


def launch_workflow():
    workflow = single_stage(30.0, Distribution(kind="exponential", mean=1.0, unit="min"), 2,
                            sla=[SlaTarget(priority="P2", within=30.0, unit="min", share=0.9)])
    workflow.put_scenario(Scenario(
        name="Launch", id="launch", launch="+1d", recovery_days=2,
        changes=[Change("review", "handle_time.mean", "add", 0.1, start="launch", end="+2d",
                        ramp=Ramp(0.5, "learning", 6.0), scope=Scope(languages=["en"]))],
        backfills=[Backfill(name="Re-review", id="rr", target="review", items=200, mix=[MixEntry()],
                            spread_hours=5.0)],
        trainings=[Training(name="Policy", id="tr", team="team", hours_per_person=2.0, people=2)]))
    return workflow


def test_a_launch_plan_round_trips_through_json() -> None:
    workflow = launch_workflow()
    data = workflow_to_dict(workflow)
    again = workflow_from_dict(json.loads(json.dumps(data)))
    assert workflow_to_dict(again) == data
    scenario = again.scenarios["launch"]
    assert scenario.is_launch_plan() and scenario.changes[0].ramp == Ramp(0.5, "learning", 6.0)
    assert scenario.backfills[0].items == 200 and scenario.trainings[0].people == 2


def test_a_static_scenario_writes_no_launch_fields() -> None:
    workflow = single_stage(30.0, Distribution(kind="fixed", mean=1.0, unit="min"), 2)
    workflow.put_scenario(Scenario(name="More", id="more", changes=[Change("reports", "rate_per_hour", "scale", 2)]))
    written = workflow_to_dict(workflow)["scenarios"][0]
    assert set(written) == {"name", "id", "description", "changes"}
    assert set(written["changes"][0]) == {"target", "path", "op", "value", "note"}
    assert not workflow.scenarios["more"].is_launch_plan()


def test_an_unknown_ramp_shape_is_a_load_error_naming_the_place() -> None:
    data = workflow_to_dict(launch_workflow())
    data["scenarios"][0]["changes"][0]["ramp"]["shape"] = "sudden"
    with pytest.raises(LoadError) as caught:
        workflow_from_dict(data)
    assert "ramp.shape" in caught.value.where


def test_timed_changes_are_not_applied_statically() -> None:
    workflow = launch_workflow()
    model = apply_scenario(workflow, workflow.scenarios["launch"])
    assert model.nodes["review"].handle_time.mean == 1.0


def test_copying_a_launch_plan_copies_its_backfills_and_trainings_with_new_ids() -> None:
    original = launch_workflow().scenarios["launch"]
    copied = copy_scenario(original, "Launch B")
    assert copied.launch == "+1d" and copied.recovery_days == 2
    assert copied.backfills[0].items == 200 and copied.backfills[0].id != "rr"
    assert copied.trainings[0].id != "tr" and copied.changes[0].scope == Scope(languages=["en"])


def test_a_launch_run_and_its_plan_round_trip_through_a_workspace(tmp_path) -> None:
    workflow = launch_workflow()
    run_settings = settings(72).__class__(horizon_hours=72, replications=2, seed=3, interval_minutes=60.0)
    run = run_scenarios(workflow, [None, "launch"], run_settings, executor=SerialExecutor())
    workspace = Workspace.create(tmp_path / "launch.flowdb")
    workspace.save_workflow(workflow)
    run_id = save_run_to_workspace(workspace, workflow, run)
    back = load_run_from_workspace(workspace, run_id)
    assert sorted(repr(r.metrics) for r in back.replications) == sorted(repr(r.metrics) for r in run.replications)
    assert any(m.scope_kind == "phase" for r in back.replications for m in r.metrics)
    stored = workspace.load_workflow(workflow.id).scenarios["launch"]
    assert stored == workflow.scenarios["launch"]
