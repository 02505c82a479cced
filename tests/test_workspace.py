"""The .flowdb workspace: workflows with scenarios and settings, runs, transactions, migrations, Save As."""

from __future__ import annotations

import json
import math
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from conftest import make_triage_workflow
from sqlite_utils import Database
from sqlite_utils.db import Table

from flowmodel import Change, LoadError, SaveError, Scenario
from flowmodel.documents import load_workflows, save_document
from flowmodel.fingerprint import workflow_fingerprint
from flowmodel.jsonfile import read_workflow_json
from flowmodel.serialization import workflow_to_dict
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace
from flowmodel.workspace_schema import MIGRATIONS, WORKSPACE_FORMAT, WORKSPACE_VERSION, create_schema


def with_scenarios(workflow: Workflow, *names: str) -> Workflow:
    stage = workflow.node_by_name("Tier 1")
    for i, name in enumerate(names):
        workflow.put_scenario(Scenario(name=name, id=f"scenario-{name}", changes=[
            Change(target=stage.id, path="handle_time.mean", op="add", value=float(i))]))
    return workflow


def metric(scenario: str, replication: int, value: float) -> dict:
    return {"scenario_id": scenario, "scenario_name": scenario.title(), "replication": replication,
            "scope_kind": "stage", "scope_id": "t1", "scope_name": "Tier 1", "metric": "wait_mean_s", "value": value}


def point(t_hours: float, value: float) -> dict:
    return {"scenario_id": "base", "scenario_name": "Baseline", "replication": 0, "scope_kind": "stage",
            "scope_id": "t1", "scope_name": "Tier 1", "metric": "queue_length", "t_hours": t_hours, "value": value}


@pytest.fixture
def workspace(tmp_path: Path):
    with Workspace.create(tmp_path / "ops.flowdb") as opened:
        yield opened


# -- workflows ----------------------------------------------------------------------------------------
def test_a_saved_workflow_comes_back_equal_by_id_and_by_name_after_reopening(tmp_path: Path) -> None:
    workflow = with_scenarios(make_triage_workflow(), "Surge", "Policy B")
    workflow.run_settings.replications = 25
    with Workspace.create(tmp_path / "ops.flowdb") as workspace:
        workspace.save_workflow(workflow)
    with Workspace.open(tmp_path / "ops.flowdb") as workspace:
        assert workspace.list_workflows() == [(workflow.id, "Tiny triage")]
        assert workspace.load_workflow(workflow.id) == workflow
        by_name = workspace.load_workflow("Tiny triage")
    assert by_name == workflow
    assert list(by_name.scenarios) == ["scenario-Surge", "scenario-Policy B"]
    assert by_name.run_settings.replications == 25


def test_the_layout_is_stated_in_meta_and_user_version(workspace: Workspace) -> None:
    meta = {row["key"]: row["value"] for row in workspace.db.query("SELECT * FROM meta")}
    assert meta == {"format": WORKSPACE_FORMAT, "schema_version": str(WORKSPACE_VERSION)}
    assert workspace.db.execute("PRAGMA user_version").fetchone()[0] == WORKSPACE_VERSION
    assert set(workspace.db.table_names()) == {"meta", "workflows", "scenarios", "run_settings", "runs",
                                               "run_metrics", "run_series"}


def test_the_workflow_row_holds_no_scenarios_or_settings(workspace: Workspace) -> None:
    workflow = with_scenarios(make_triage_workflow(), "Surge")
    workspace.save_workflow(workflow)
    document = json.loads(workspace.db.execute("SELECT document FROM workflows").fetchone()[0])
    assert "scenarios" not in document and "run_settings" not in document
    assert [r["name"] for r in workspace.db.query("SELECT name FROM scenarios")] == ["Surge"]


def test_saving_again_replaces_and_deletes_removed_scenarios(workspace: Workspace) -> None:
    workflow = with_scenarios(make_triage_workflow(), "A", "B", "C")
    workspace.save_workflow(workflow)
    workflow.remove_scenario("scenario-B")
    workflow.name = "Renamed"
    workspace.save_workflow(workflow)
    assert workspace.list_workflows() == [(workflow.id, "Renamed")]
    assert list(workspace.load_workflow(workflow.id).scenarios) == ["scenario-A", "scenario-C"]
    assert workspace.db.execute("SELECT count(*) FROM scenarios").fetchone()[0] == 2


def test_load_all_lists_every_workflow_by_name(workspace: Workspace) -> None:
    names = ["b triage", "Appeals", "c escalations"]
    for name in names:
        workspace.save_workflow(Workflow(name=name))
    assert [w.name for w in workspace.load_all()] == ["Appeals", "b triage", "c escalations"]


def test_an_unknown_or_ambiguous_name_is_a_load_error_that_lists_the_choices(workspace: Workspace) -> None:
    workspace.save_workflow(Workflow(name="Triage"))
    with pytest.raises(LoadError) as caught:
        workspace.load_workflow("Appeals")
    assert "'Triage'" in caught.value.hint and str(workspace.path) in str(caught.value)
    workspace.save_workflow(Workflow(name="Triage"))
    with pytest.raises(LoadError, match="2 workflows are named 'Triage'"):
        workspace.load_workflow("Triage")


def test_create_refuses_to_overwrite_a_file(tmp_path: Path) -> None:
    path = tmp_path / "ops.flowdb"
    path.write_text("my notes")
    with pytest.raises(SaveError, match="already exists"):
        Workspace.create(path)
    assert path.read_text() == "my notes"


def test_delete_workflow_removes_its_scenarios_settings_and_runs(workspace: Workspace) -> None:
    keep, drop = make_triage_workflow(), with_scenarios(make_triage_workflow(), "A")
    for workflow in (keep, drop):
        workspace.save_workflow(workflow)
        workspace.save_run(workflow, f"run-{workflow.id}", {}, [], [metric("base", 0, 1.0)], [point(1.0, 2.0)])
    workspace.delete_workflow(drop.id)
    assert workspace.list_workflows() == [(keep.id, keep.name)]
    for table in ("scenarios", "run_settings", "runs", "run_metrics", "run_series"):
        column = "run_id" if table.startswith("run_") and table != "run_settings" else "workflow_id"
        owners = {r[0] for r in workspace.db.execute(f"SELECT {column} FROM {table}").fetchall()}
        assert owners <= {keep.id, f"run-{keep.id}"}, table


def test_a_failure_midway_through_a_save_keeps_the_previous_version(workspace: Workspace,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    workflow = with_scenarios(make_triage_workflow(), "A", "B")
    workspace.save_workflow(workflow)
    saved = workflow.copy()
    workflow.name = "Half saved"
    workflow.remove_scenario("scenario-A")
    original_insert = Table.insert

    def failing_insert(table: Table, record: dict, **kwargs: object) -> Table:
        if table.name == "run_settings":  # the last step: workflow row and scenarios are already written
            raise sqlite3.OperationalError("disk I/O error")
        return original_insert(table, record, **kwargs)

    monkeypatch.setattr(Table, "insert", failing_insert)
    with pytest.raises(SaveError) as caught:
        workspace.save_workflow(workflow)
    monkeypatch.undo()
    assert "disk I/O error" in str(caught.value) and str(workspace.path) in str(caught.value)
    assert workspace.load_workflow(workflow.id) == saved


# -- runs -----------------------------------------------------------------------------------------------
def test_a_run_keeps_settings_scenarios_fingerprint_and_every_record(workspace: Workspace) -> None:
    workflow = with_scenarios(make_triage_workflow(), "Surge")
    workspace.save_workflow(workflow)
    scenarios = [{"id": "base", "name": "Baseline", "changes": []}]
    metrics = [metric("base", r, 10.0 + r) for r in range(3)] + [metric("base", 3, math.nan)]
    series = (point(t / 2, t * 1.5) for t in range(5000))  # streamed, not a list
    run_id = workspace.save_run(workflow, "", {"replications": 4}, scenarios, metrics, series, label="first")
    [run] = workspace.list_runs(workflow.id)
    assert run["id"] == run_id and run["label"] == "first" and run["status"] == "complete"
    assert run["settings"] == {"replications": 4} and run["scenarios"] == scenarios
    assert run["workflow_fingerprint"] == workflow_fingerprint(workflow)
    values = [row["value"] for row in workspace.run_metrics(run_id)]
    assert values[:3] == [10.0, 11.0, 12.0] and math.isnan(values[3])
    rows = workspace.run_series(run_id)
    assert len(rows) == 5000
    assert rows[3] == {"run_id": run_id, **point(1.5, 4.5)}


def test_a_bad_record_aborts_the_whole_run_save(workspace: Workspace) -> None:
    workflow = make_triage_workflow()
    workspace.save_run(workflow, "run-1", {}, [], [metric("base", 0, 1.0)], [point(0.0, 1.0)], label="old")
    broken = dict(point(2.0, 3.0))
    del broken["t_hours"]
    with pytest.raises(SaveError, match="result record 1 for run_series lacks t_hours"):
        workspace.save_run(workflow, "run-1", {}, [], [metric("base", 0, 9.0)], [point(1.0, 2.0), broken],
                           label="new")
    assert [r["label"] for r in workspace.list_runs(workflow.id)] == ["old"]
    assert [r["value"] for r in workspace.run_metrics("run-1")] == [1.0]
    assert len(workspace.run_series("run-1")) == 1


def test_numpy_numbers_are_stored_as_plain_numbers_and_wrong_types_are_refused(workspace: Workspace) -> None:
    workflow = make_triage_workflow()
    record = {**metric("base", 0, 0.0), "replication": np.int64(3), "value": np.float32(0.5)}
    workspace.save_run(workflow, "run-1", {}, [], [record], [])
    [row] = workspace.run_metrics("run-1")
    assert (row["replication"], row["value"]) == (3, 0.5)
    assert type(row["replication"]) is int and type(row["value"]) is float
    with pytest.raises(SaveError, match=r"result record 0 for run_metrics: value must be a number, not '1\.5'"):
        workspace.save_run(workflow, "run-2", {}, [], [{**record, "value": "1.5"}], [])
    with pytest.raises(SaveError, match="scope_name must be text, not None"):
        workspace.save_run(workflow, "run-2", {}, [], [{**record, "scope_name": None}], [])
    assert [r["id"] for r in workspace.list_runs(workflow.id)] == ["run-1"]


def test_delete_run_removes_its_records_only(workspace: Workspace) -> None:
    workflow = make_triage_workflow()
    for run_id in ("run-1", "run-2"):
        workspace.save_run(workflow, run_id, {}, [], [metric("base", 0, 1.0)], [point(0.0, 1.0)])
    workspace.delete_run("run-1")
    assert [r["id"] for r in workspace.list_runs(workflow.id)] == ["run-2"]
    for table in ("run_metrics", "run_series"):
        assert workspace.db.execute(f"SELECT COUNT(*) FROM {table} WHERE run_id = 'run-1'").fetchone()[0] == 0
    with pytest.raises(LoadError, match="no run with id 'run-1'"):
        workspace.run_metrics("run-1")
    assert len(workspace.run_metrics("run-2")) == 1


def test_an_unknown_run_status_is_refused(workspace: Workspace) -> None:
    with pytest.raises(SaveError, match="unknown run status 'done'"):
        workspace.save_run(make_triage_workflow(), "r", {}, [], [], [], status="done")


# -- Save As --------------------------------------------------------------------------------------------
def test_save_as_replaces_a_workspace_with_exactly_the_given_workflows_and_their_runs(tmp_path: Path) -> None:
    first, second = make_triage_workflow(), with_scenarios(make_triage_workflow(), "A")
    source_path, target = tmp_path / "source.flowdb", tmp_path / "target.flowdb"
    Workspace.save_as([Workflow(name="Old content")], target)
    with Workspace.create(source_path) as source:
        source.save_workflow(first)
        source.save_run(first, "run-1", {"seed": 1}, [], [metric("base", 0, math.nan)], [point(0.0, 5.0)])
        source.save_run(second, "run-2", {}, [], [], [])
        Workspace.save_as([first, second], target, runs_from=source)
    with Workspace.open(target) as copy:
        assert {w.id: w for w in copy.load_all()} == {first.id: first, second.id: second}
        assert [r["settings"] for r in copy.list_runs(first.id)] == [{"seed": 1}]
        assert copy.run_series("run-1")[0]["value"] == 5.0
        assert math.isnan(copy.run_metrics("run-1")[0]["value"])
        assert [r["id"] for r in copy.list_runs(second.id)] == ["run-2"]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["source.flowdb",
                                                                                           "target.flowdb"]


def test_a_failed_save_as_leaves_the_old_file_and_no_temporary_file(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ops.flowdb"
    Workspace.save_as([make_triage_workflow()], target)
    before = target.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(SaveError, match="No space left on device"):
        Workspace.save_as([Workflow(name="New")], target)
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == ["ops.flowdb"]


def test_save_as_refuses_two_workflows_with_one_id(tmp_path: Path) -> None:
    workflow = make_triage_workflow()
    with pytest.raises(SaveError, match="share an id"):
        Workspace.save_as([workflow, workflow.copy()], tmp_path / "ops.flowdb")
    assert list(tmp_path.iterdir()) == []


# -- migrations -------------------------------------------------------------------------------------------
def make_v0_workspace(path: Path, workflow: Workflow) -> None:
    """Layout version 0 (made up for this test): one table with each whole workflow document."""
    db = Database(path)
    db.table("meta").insert({"key": "format", "value": WORKSPACE_FORMAT})
    db.table("documents").insert({"id": workflow.id, "body": json.dumps(workflow_to_dict(workflow))}, pk="id")
    db.close()


def migrate_v0_to_v1(db: Database) -> None:
    """Split each version-0 document into the version-1 rows (plain data, as a real migration would)."""
    documents = [json.loads(row["body"]) for row in db.query("SELECT body FROM documents")]
    db.execute("DROP TABLE documents")
    db.execute("DROP TABLE meta")
    create_schema(db)
    for document in documents:
        scenarios, settings = document.pop("scenarios"), document.pop("run_settings")
        db.table("workflows").insert({"id": document["id"], "name": document["name"],
                                      "document": json.dumps(document), "updated_at": "2026-01-05T00:00:00Z",
                                      "checksum": ""})  # version 1 had no checksums: the next step adds them
        db.table("scenarios").insert_all({"workflow_id": document["id"], "id": s["id"], "name": s["name"],
                                          "position": i, "document": json.dumps(s)} for i, s in enumerate(scenarios))
        db.table("run_settings").insert({"workflow_id": document["id"], "document": json.dumps(settings)})


def test_opening_an_older_layout_applies_the_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workflow = with_scenarios(make_triage_workflow(), "A")
    path = tmp_path / "old.flowdb"
    make_v0_workspace(path, workflow)
    monkeypatch.setitem(MIGRATIONS, 0, migrate_v0_to_v1)
    with Workspace.open(path) as workspace:
        assert workspace.load_workflow(workflow.id) == workflow
    with Workspace.open(path) as workspace:  # upgraded on disk: opens without migrating again
        assert workspace.db.execute("PRAGMA user_version").fetchone()[0] == WORKSPACE_VERSION


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.flowdb"
    make_v0_workspace(path, make_triage_workflow())
    before = path.read_bytes()

    def half_migration(db: Database) -> None:
        db.execute("DROP TABLE documents")
        db.execute("SELECT * FROM no_such_table")

    monkeypatch.setitem(MIGRATIONS, 0, half_migration)
    with pytest.raises(LoadError, match="no such table") as caught:
        Workspace.open(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before


def test_an_older_layout_without_a_migration_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "old.flowdb"
    make_v0_workspace(path, make_triage_workflow())
    with pytest.raises(LoadError, match="layout version 0, which this Flowmodel cannot upgrade"):
        Workspace.open(path)


# -- documents by suffix ------------------------------------------------------------------------------------
def test_documents_choose_json_or_workspace_by_suffix(tmp_path: Path) -> None:
    first, second = make_triage_workflow(), Workflow(name="Appeals")
    save_document([first], tmp_path / "one.flow.json")
    save_document([first, second], tmp_path / "both.flowdb")
    assert read_workflow_json(tmp_path / "one.flow.json") == first
    assert load_workflows(tmp_path / "one.flow.json") == [first]
    assert load_workflows(tmp_path / "both.flowdb") == [second, first]


def test_documents_refuse_unknown_suffixes_missing_files_and_several_workflows_in_json(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="does not know this kind of file"):
        load_workflows(tmp_path / "triage.xlsx")
    with pytest.raises(LoadError, match="no such file"):
        load_workflows(tmp_path / "missing.flowdb")
    with pytest.raises(SaveError, match="exactly one workflow, not 2"):
        save_document([Workflow(), Workflow()], tmp_path / "two.flow.json")
    with pytest.raises(SaveError, match="cannot save this kind of file"):
        save_document([Workflow()], tmp_path / "triage.txt")
    assert list(tmp_path.iterdir()) == []


def test_the_bundled_examples_survive_a_trip_through_a_workspace(tmp_path: Path) -> None:
    examples = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.flow.json"))
    assert examples
    originals = [read_workflow_json(path) for path in examples]
    save_document(originals, tmp_path / "examples.flowdb")
    loaded = {w.id: w for w in load_workflows(tmp_path / "examples.flowdb")}
    assert loaded == {w.id: w for w in originals}


# -- fingerprint ------------------------------------------------------------------------------------------------
def test_the_fingerprint_changes_with_the_model_but_not_with_layout_or_notes() -> None:
    workflow = make_triage_workflow()
    base = workflow_fingerprint(workflow)
    stage = workflow.node_by_name("Tier 1")
    workflow.move_node(stage.id, 999.0, -5.0)
    workflow.set_field(stage.id, "notes", "ask Ana about this queue")
    with_scenarios(workflow, "Surge")
    workflow.run_settings.replications = 3
    assert workflow_fingerprint(workflow) == base
    workflow.set_field(stage.id, "handle_time.mean", 6.0)
    assert workflow_fingerprint(workflow) != base
    workflow.set_field(stage.id, "handle_time.mean", 5.0)
    assert workflow_fingerprint(workflow) == base
    workflow.set_field(workflow.outgoing(stage.id)[0].id, "probability", 0.4)
    assert workflow_fingerprint(workflow) != base
