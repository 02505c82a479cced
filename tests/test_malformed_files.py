"""Bad files are refused with a LoadError that names the file and the place in it — and are never written to.

Every case hashes the file before and after the attempt: a failed load must not change a byte.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import make_triage_workflow
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowmodel import Change, LoadError, Scenario, SlaTarget, Surge, Workflow
from flowmodel.documents import load_workflows
from flowmodel.jsonfile import write_workflow_json
from flowmodel.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.flow.json"))


def example_like_workflow() -> Workflow:
    """The triage fixture with the parts a real example has: SLAs, a surge, a scenario."""
    workflow = make_triage_workflow()
    workflow.description = "Reports reviewed by one team; used to check that bad files are refused."
    source, stage = workflow.node_by_name("User reports"), workflow.node_by_name("Tier 1")
    source.surges.append(Surge(start_hour=30.0, duration_hours=6.0, multiplier=3.0, label="viral post"))
    stage.sla.append(SlaTarget(priority="P1", within=4.0, unit="h", share=0.95))
    workflow.put_scenario(Scenario(name="Busier", changes=[Change(source.id, "rate_per_hour", "scale", 1.25)]))
    return workflow


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused(path: Path, *fragments: str, load: Callable[[Path], Any] = load_workflows) -> LoadError:
    """``load(path)`` raises a LoadError whose text names the file and holds ``fragments``; the file is unchanged."""
    before = digest(path)
    with pytest.raises(LoadError) as caught:
        load(path)
    text = str(caught.value)
    assert str(path) in text
    for fragment in fragments:
        assert fragment in text
    assert digest(path) == before
    return caught.value


@pytest.fixture
def json_file(tmp_path: Path) -> Path:
    path = tmp_path / "triage.flow.json"
    write_workflow_json(example_like_workflow(), path)
    return path


# -- JSON files ---------------------------------------------------------------------------------------------
def json_sources() -> list[Any]:
    return [pytest.param(None, id="built-in-test")] + [pytest.param(p, id=p.name) for p in EXAMPLES]


def test_the_bundled_examples_are_among_the_files_cut_up_here() -> None:
    assert EXAMPLES, "examples/*.flow.json exist in the repository; the truncation test must cover them"


@pytest.mark.parametrize("example", json_sources())
def test_a_json_file_truncated_at_every_100th_byte_is_refused(tmp_path: Path, example: Path | None) -> None:
    if example is None:
        write_workflow_json(example_like_workflow(), tmp_path / "full.flow.json")
        content = (tmp_path / "full.flow.json").read_bytes()
    else:
        content = example.read_bytes()
    cuts = [n for n in range(0, len(content), 100) if content[:n].rstrip() != content.rstrip()]
    assert len(cuts) >= 10
    path = tmp_path / "cut.flow.json"
    for cut in cuts:
        path.write_bytes(content[:cut])
        assert_refused(path)


def test_bytes_that_are_not_utf8_are_refused_with_line_and_column(json_file: Path) -> None:
    content = json_file.read_bytes()
    for position in range(0, len(content), 50):
        json_file.write_bytes(content[:position] + b"\xff" + content[position + 1:])
        error = assert_refused(json_file, "not UTF-8")
        assert ", line " in error.where and " column " in error.where


def test_flipped_bits_either_still_load_or_are_refused_cleanly(json_file: Path) -> None:
    content = json_file.read_bytes()
    refused = 0
    for position in range(0, len(content), 7):
        json_file.write_bytes(content[:position] + bytes([content[position] ^ 0x04]) + content[position + 1:])
        try:
            assert isinstance(load_workflows(json_file)[0], Workflow)
        except LoadError as error:
            assert str(json_file) in str(error)
            refused += 1
    assert refused > 0


def rewrite(path: Path, change: Callable[[dict], Any]) -> Path:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _set(*keys: Any, value: Any) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        target = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return change


@pytest.mark.parametrize(("change", "fragments"), [
    (_set("nodes", 1, "handle_time", "mean", value="5 min"), ("nodes[1] (Tier 1).handle_time.mean",
                                                              "expected a number")),
    (_set("nodes", 0, "rate_per_hour", value=True), ("nodes[0] (User reports).rate_per_hour",)),
    (_set("nodes", 1, "discipline", value="lifo"), ("nodes[1] (Tier 1).discipline", "one of 'fifo'")),
    (_set("nodes", 2, "kind", value="gate"), ("nodes[2] (Removed)", "unknown node kind 'gate'")),
    (_set("teams", 0, "shifts", 0, "headcount", value="8 a day"), ("teams[0] (Generalists).shifts[0].headcount",)),
    (_set("teams", 0, "colour", value="red"), ("teams[0] (Generalists)", "unknown field(s) colour")),
    (_set("edges", value={"a": 1}), ("edges", "expected a list")),
    (_set("run_settings", "replications", value=2.5), ("run_settings.replications", "whole number")),
    (_set("scenarios", 0, "changes", 0, "op", value="double"), ("scenarios[0] (Busier).changes[0].op",)),
    (_set("schema_version", value=99), ("schema_version", "newer than this Flowmodel")),
    (_set("schema_version", value=0), ("schema_version", "unknown schema version 0")),
    (_set("schema_version", value="1"), ("schema_version", "no valid schema_version")),
    (_set("format", value="bpmn"), ("format", "not a Flowmodel workflow")),
    (_set("edges", 1, "target", value="deleted-node"), ("edges[1].target", "is not a node of this workflow")),
    (_set("nodes", 3, "id", value=""), ("nodes[3] (Kept).id", "missing id")),
], ids=lambda value: value[0] if isinstance(value, tuple) else None)
def test_wrong_content_names_the_file_and_the_field(json_file: Path, change: Callable[[dict], None],
                                                    fragments: tuple[str, ...]) -> None:
    assert_refused(rewrite(json_file, change), *fragments)


def test_a_json_value_that_is_not_a_workflow_object_is_refused(json_file: Path) -> None:
    json_file.write_text("[1, 2, 3]\n", encoding="utf-8")
    assert_refused(json_file, "expected a workflow object")
    json_file.write_text("  \n", encoding="utf-8")
    assert_refused(json_file, "the document is empty")
    json_file.write_text("[" * 100_000, encoding="utf-8")
    assert_refused(json_file, "nested too deeply")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                           max_leaves=5)


def _leaves(value: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [leaf for key, v in value.items() for leaf in _leaves(v, (*path, key))] or [path]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*path, i))] or [path]
    return [path]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_value_in_any_place_loads_or_is_a_load_error(json_file: Path, data: st.DataObject) -> None:
    document = json.loads(json_file.read_text(encoding="utf-8"))
    place = data.draw(st.sampled_from(_leaves(document)))
    value = data.draw(json_values)
    _set(*place, value=value)(document)
    broken = json_file.with_name("fuzzed.flow.json")
    broken.write_text(json.dumps(document), encoding="utf-8")
    try:
        assert isinstance(load_workflows(broken)[0], Workflow)
    except LoadError as error:
        assert str(broken) in str(error)


# -- workspaces ---------------------------------------------------------------------------------------------
@pytest.fixture
def workspace_file(tmp_path: Path) -> Path:
    path = tmp_path / "ops.flowdb"
    workflow = example_like_workflow()
    with Workspace.create(path) as workspace:
        workspace.save_workflow(workflow)
        workspace.save_run(workflow, "run-1", {"replications": 2}, [], [
            {"scenario_id": "base", "scenario_name": "Baseline", "replication": r, "scope_kind": "system",
             "scope_id": "", "scope_name": "system", "metric": "items_count", "value": 100.0 + r}
            for r in range(200)], [])
    return path


def edit_row(path: Path, sql: str, *parameters: Any) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(sql, parameters)
    connection.close()


def test_a_text_file_or_an_empty_file_named_flowdb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.flowdb"
    path.write_text("shift plan for March\n")
    assert_refused(path, "not an SQLite database")
    path.write_bytes(b"")
    assert_refused(path, "the file is empty")


def test_an_sqlite_database_that_is_not_a_workspace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.flowdb"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    connection.close()
    assert_refused(path, "not a Flowmodel workspace")
    edit_row(path, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    edit_row(path, "INSERT INTO meta VALUES ('format', 'budget.tracker')")
    assert_refused(path, "not a Flowmodel workspace (format 'budget.tracker')")


def test_a_newer_workspace_is_refused_not_guessed_at(workspace_file: Path) -> None:
    edit_row(workspace_file, "PRAGMA user_version = 7")
    assert_refused(workspace_file, "layout version 7, newer than this Flowmodel understands")


def test_a_workspace_with_any_page_overwritten_by_garbage_is_refused(workspace_file: Path) -> None:
    content = workspace_file.read_bytes()
    page_size = 4096
    assert len(content) % page_size == 0 and len(content) // page_size >= 10
    rng = random.Random(20261125)
    for page in range(len(content) // page_size):
        start = page * page_size + (100 if page == 0 else 0)  # page 1 starts with the 100-byte file header
        garbage = rng.randbytes((page + 1) * page_size - start)
        workspace_file.write_bytes(content[:start] + garbage + content[(page + 1) * page_size:])
        assert_refused(workspace_file, load=lambda p: Workspace.open(p).close())


def test_a_truncated_workspace_is_refused(workspace_file: Path) -> None:
    content = workspace_file.read_bytes()
    for cut in range(4096, len(content), 4096):
        workspace_file.write_bytes(content[:cut])
        assert_refused(workspace_file, load=lambda p: Workspace.open(p).close())


@pytest.mark.parametrize(("sql", "fragments"), [
    ("UPDATE workflows SET document = substr(document, 1, 300)",
     ("workflow 'Tiny triage' · workflows.document, line 1 column", "broken JSON")),
    ("UPDATE workflows SET document = 42", ("workflows.document", "expected a workflow object, found int")),
    ("UPDATE workflows SET document = replace(document, '\"discipline\": \"fifo\"', '\"discipline\": 3')",
     ("workflow 'Tiny triage' › nodes[1] (Tier 1).discipline", "expected one of 'fifo'")),
    ("UPDATE scenarios SET document = '{\"name\": \"Busier\", \"changes\": [{\"op\": \"triple\"}'",
     ("scenarios row", "broken JSON")),
    ("UPDATE run_settings SET document = '{\"replications\": \"ten\"}'",
     ("run_settings.replications", "expected a whole number")),
    ("UPDATE run_settings SET document = x'7b7d'", ("run_settings", "document holds b'{}', not text")),
    ("UPDATE run_settings SET document = CAST(x'7bc3287d' AS TEXT)", ("cannot read the workspace", "UTF-8")),
    ("DROP TABLE run_series", ("the workspace has no table 'run_series'",)),
])
def test_a_hand_edited_workspace_row_is_refused_with_its_place(workspace_file: Path, sql: str,
                                                               fragments: tuple[str, ...]) -> None:
    edit_row(workspace_file, sql)
    assert_refused(workspace_file, *fragments)


def test_a_hand_edited_run_row_is_refused_when_runs_are_listed(workspace_file: Path) -> None:
    edit_row(workspace_file, "UPDATE runs SET settings = '{\"replications\": '")
    workflow_id = load_workflows(workspace_file)[0].id

    def list_runs(path: Path) -> None:
        with Workspace.open(path) as workspace:
            workspace.list_runs(workflow_id)

    assert_refused(workspace_file, "runs row 'run-1' · settings", "broken JSON", load=list_runs)
