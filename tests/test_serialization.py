"""Serialization details that keep files stable in git."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowmodel import Distribution, ReviewStage, Workflow
from flowmodel.jsonfile import read_workflow_json, write_workflow_json
from flowmodel.serialization import workflow_to_dict

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.flow.json"))


def test_there_are_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_open_and_save_gives_the_same_bytes(path, tmp_path):
    target = tmp_path / path.name
    write_workflow_json(read_workflow_json(path), target)
    assert target.read_bytes() == path.read_bytes()


def test_float_fields_are_written_as_floats_whatever_they_were_built_with():
    workflow = Workflow()
    workflow.add_node(ReviewStage(handle_time=Distribution.exponential(5, "min")))
    (node,) = workflow_to_dict(workflow)["nodes"]
    assert node["handle_time"]["mean"] == 5.0 and isinstance(node["handle_time"]["mean"], float)
    assert isinstance(node["x"], float)


def test_a_field_that_decides_the_numbers_cannot_be_left_out(triage):
    from flowmodel import LoadError
    from flowmodel.serialization import workflow_from_dict

    data = workflow_to_dict(triage)
    stage = next(n for n in data["nodes"] if n["name"] == "Tier 1")
    del stage["handle_time"]
    with pytest.raises(LoadError, match="missing field") as error:
        workflow_from_dict(data)
    assert "Tier 1" in str(error.value) and "handle_time" in str(error.value)


def test_a_distribution_needs_only_the_parameters_of_its_kind(triage):
    from flowmodel.serialization import workflow_from_dict

    data = workflow_to_dict(triage)
    stage = next(n for n in data["nodes"] if n["name"] == "Tier 1")
    stage["handle_time"] = {"kind": "exponential", "unit": "min", "mean": 4}
    del stage["x"], stage["notes"]
    loaded = workflow_from_dict(data)
    assert loaded.node_by_name("Tier 1").handle_time.mean_seconds() == 240.0


def test_contract_hours_round_trip_and_older_files_load_with_40(triage):
    from flowmodel.serialization import workflow_from_dict
    from flowmodel.validation import validate

    team = next(iter(triage.teams.values()))
    team.contract_hours = 37.5
    data = workflow_to_dict(triage)
    assert data["teams"][0]["contract_hours"] == 37.5
    assert workflow_from_dict(data).teams[team.id].contract_hours == 37.5
    del data["teams"][0]["contract_hours"]  # a file written before the field existed
    older = workflow_from_dict(data)
    assert older.teams[team.id].contract_hours == 40.0
    assert older.teams[team.id].fte(80.0) == 2.0
    for bad in (0.0, -5.0, 169.0, float("nan")):
        older.teams[team.id].contract_hours = bad
        assert [i.field for i in validate(older) if i.rule == "invalid-contract"] == ["contract_hours"], bad
