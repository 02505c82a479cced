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
