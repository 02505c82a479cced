"""Round trips over random workflows: what is saved is what is loaded — every field, every id, every order."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import workflows

from flowmodel.fingerprint import workflow_fingerprint
from flowmodel.jsonfile import read_workflow_json, write_workflow_json
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORKSPACE_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=30)  # each example creates a file: keep the suite quick


def assert_same(loaded: Workflow, original: Workflow) -> None:
    assert loaded == original
    assert list(loaded.nodes) == list(original.nodes)
    assert list(loaded.edges) == list(original.edges)
    assert list(loaded.teams) == list(original.teams)
    assert list(loaded.scenarios) == list(original.scenarios)


@PROPERTY_SETTINGS
@given(workflows())
def test_json_file_round_trip_gives_an_equal_workflow(workflow: Workflow) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.flow.json"
        write_workflow_json(workflow, path)
        first = path.read_bytes()
        loaded = read_workflow_json(path)
        assert_same(loaded, workflow)
        write_workflow_json(loaded, path)
        assert path.read_bytes() == first, "saving a loaded workflow again must give the same bytes"


@WORKSPACE_SETTINGS
@given(workflows(), workflows())
def test_workspace_round_trip_gives_an_equal_workflow_and_replaces_in_place(first: Workflow,
                                                                            second: Workflow) -> None:
    second.id = first.id  # the same workflow edited into something else entirely
    with tempfile.TemporaryDirectory() as folder, Workspace.create(Path(folder) / "random.flowdb") as workspace:
        workspace.save_workflow(first)
        assert_same(workspace.load_workflow(first.id), first)
        workspace.save_workflow(second)
        assert_same(workspace.load_workflow(first.id), second)
        assert workspace.list_workflows() == [(second.id, second.name)]


@WORKSPACE_SETTINGS
@given(st.lists(workflows(max_nodes=4), max_size=3, unique_by=lambda w: w.id))
def test_save_as_round_trip_keeps_every_workflow(originals: list[Workflow]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "several.flowdb"
        Workspace.save_as(originals, path)
        with Workspace.open(path) as workspace:
            by_id = {w.id: w for w in workspace.load_all()}
    assert set(by_id) == {w.id for w in originals}
    for original in originals:
        assert_same(by_id[original.id], original)


@WORKSPACE_SETTINGS
@given(workflows(), st.floats(-1e6, 1e6), st.text(max_size=5))
def test_fingerprint_ignores_layout_notes_and_scenarios(workflow: Workflow, shift: float, note: str) -> None:
    before = workflow_fingerprint(workflow)
    moved = workflow.copy()
    for node in moved.nodes.values():
        moved.move_node(node.id, node.x + shift, node.y - shift)
        node.notes += note
    for scenario_id in list(moved.scenarios):
        moved.remove_scenario(scenario_id)
    moved.name += note
    assert workflow_fingerprint(moved) == before
    assert workflow_fingerprint(read_back(moved)) == before


def read_back(workflow: Workflow) -> Workflow:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "copy.flow.json"
        write_workflow_json(workflow, path)
        return read_workflow_json(path)
