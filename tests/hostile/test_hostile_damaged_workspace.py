"""Class 4: a damaged workspace is reported (naming the workflow or run), never silently exported.

Stored figures changed behind Flowmodel's back — a flipped byte, a truncation, a dropped or edited row, text
where a number belongs, impossible settings — either fail with one located message or, where the damage
missed everything that is read, give exactly the undamaged answer. Nothing is written on a failed export.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import sqlite3
from pathlib import Path

import pytest
from engine_models import single_stage
from hostile_helpers import one_error_line, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowmodel.distributions import Distribution
from flowmodel.documents import load_workflows
from flowmodel.errors import LoadError, SaveError
from flowmodel.run_settings import RunSettings
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace
from flowmodel.workspace_integrity import add_result_row, start_run_checksum
from simulations.persist import load_run_from_workspace, save_run_to_workspace
from simulations.runner import run_scenarios

SHORT = RunSettings(horizon_hours=12.0, warmup_hours=1.0, replications=2, seed=3, interval_minutes=60.0)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A workspace holding a one-stage workflow and one short run of it; (path, run id)."""
    workflow = single_stage(60.0, Distribution.exponential(5, "min"), 8)
    workflow.run_settings = SHORT
    path = tmp_path_factory.mktemp("damaged") / "ops.flowdb"
    Workspace.save_as([workflow], path)
    run = run_scenarios(workflow, [None], SHORT)
    with Workspace.open(path) as workspace:
        run_id = save_run_to_workspace(workspace, workflow, run)
    return path, run_id


def copy_of(stored: tuple[Path, str], tmp_path: Path) -> Path:
    target = tmp_path / "copy.flowdb"
    shutil.copyfile(stored[0], target)
    return target


def figures(path: Path, run_id: str) -> tuple:
    """Everything a comparison export reads: workflows and the run's per-replication figures."""
    workflows = load_workflows(path)
    with Workspace.open(path) as workspace:
        run = load_run_from_workspace(workspace, run_id)
    values = [(r.scenario_id, r.replication, m.metric, m.scope_id, None if math.isnan(m.value) else m.value)
              for r in run.replications for m in r.metrics]
    series = [(s.metric, s.scope_id, s.times_h, s.values) for r in run.replications for s in r.series]
    return [w.name for w in workflows], run.options.settings, values, series


def edit(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()


def reseal_run(path: Path, run_id: str) -> None:
    """Recompute a run's checksum after an edit, as a careful hand editor would (so the row checks must act)."""
    with sqlite3.connect(path) as connection:
        connection.row_factory = sqlite3.Row
        run = dict(connection.execute("SELECT * FROM runs WHERE id = ?", [run_id]).fetchone())
        checksum = start_run_checksum(run)
        for table in ("run_metrics", "run_series"):
            for row in connection.execute(f"SELECT * FROM {table} WHERE run_id = ? ORDER BY rowid", [run_id]):
                add_result_row(checksum, table, dict(row))
        connection.execute("UPDATE runs SET checksum = ? WHERE id = ?", [checksum.hexdigest(), run_id])
    connection.close()


@pytest.mark.parametrize(("statements", "fragment"), [
    (["UPDATE run_series SET value = value + 1 WHERE rowid = (SELECT MIN(rowid) FROM run_series)"], "damaged"),
    (["DELETE FROM run_series WHERE rowid = (SELECT MAX(rowid) FROM run_series)"], "damaged"),
    (["DELETE FROM run_metrics WHERE rowid = (SELECT MAX(rowid) FROM run_metrics)"], "damaged"),
    (["UPDATE run_metrics SET value = 'abc' WHERE rowid = (SELECT MIN(rowid) FROM run_metrics)"],
     "value holds 'abc', not a finite number"),
    (["UPDATE run_series SET replication = 'x' WHERE rowid = 1"], "replication holds 'x', not a whole number"),
    (["UPDATE workflows SET document = replace(document, '\"rate_per_hour\": 60.0', '\"rate_per_hour\": 61.0')"],
     "the workflow is damaged"),
])
def test_damaged_figures_are_named_not_exported(stored: tuple[Path, str], tmp_path: Path, statements: list[str],
                                                fragment: str) -> None:
    path = copy_of(stored, tmp_path)
    edit(path, *statements)
    before = path.read_bytes()
    out = tmp_path / "comparison.xlsx"
    outcome = run_cli("compare", path, "--run", stored[1], "--out", out, timeout=90)
    assert outcome.code == 2, outcome.stderr
    assert not outcome.has_traceback
    line = one_error_line(outcome)
    assert fragment in line and str(path) in line
    assert not out.exists()
    assert path.read_bytes() == before


@pytest.mark.parametrize(("settings_patch", "fragment"), [
    ({"horizon_hours": "abc"}, "settings.horizon_hours: expected a number, found 'abc'"),
    ({"replications": -3}, "replications"),
    ({"interval_minutes": 0}, "interval_minutes"),
])
def test_impossible_stored_settings_are_refused_even_when_resealed(stored: tuple[Path, str], tmp_path: Path,
                                                                   settings_patch: dict, fragment: str) -> None:
    path = copy_of(stored, tmp_path)
    with sqlite3.connect(path) as connection:
        (text,) = connection.execute("SELECT settings FROM runs WHERE id = ?", [stored[1]]).fetchone()
        connection.execute("UPDATE runs SET settings = ? WHERE id = ?",
                           [json.dumps({**json.loads(text), **settings_patch}), stored[1]])
    connection.close()
    reseal_run(path, stored[1])
    with Workspace.open(path) as workspace, pytest.raises(LoadError) as caught:
        load_run_from_workspace(workspace, stored[1])
    assert fragment in caught.value.render() and stored[1] in caught.value.render()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_flipped_byte_is_reported_or_harmless(stored: tuple[Path, str], tmp_path: Path, data) -> None:
    """Flip one byte anywhere past the SQLite header: the load fails with a LoadError, or reads the same."""
    reference = figures(*stored)
    path = tmp_path / "flipped.flowdb"
    content = bytearray(stored[0].read_bytes())
    offset = data.draw(st.integers(100, len(content) - 1), label="offset")
    content[offset] ^= data.draw(st.integers(1, 255), label="xor")
    path.write_bytes(bytes(content))
    try:
        got = figures(path, stored[1])
    except LoadError as error:
        assert str(path) in error.render()
        return
    assert got == reference


@pytest.mark.parametrize("cut", [1, 100, 4096])
def test_a_truncated_workspace_is_reported_or_reads_the_same(stored: tuple[Path, str], tmp_path: Path,
                                                             cut: int) -> None:
    path = tmp_path / "cut.flowdb"
    path.write_bytes(stored[0].read_bytes()[:-cut])
    try:
        got = figures(path, stored[1])
    except LoadError as error:
        assert str(path) in error.render()
        return
    assert got == figures(*stored)


def test_an_empty_workflow_id_is_refused_and_orphans_nothing(stored: tuple[Path, str], tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="has no id"):
        Workspace.save_as([Workflow(name="No id", id="")], tmp_path / "none.flowdb")
    assert not (tmp_path / "none.flowdb").exists()
    path = copy_of(stored, tmp_path)
    edit(path, "UPDATE workflows SET id = ''")
    with pytest.raises(LoadError, match="empty id"):
        load_workflows(path)
    with Workspace.open(path) as workspace:  # the run is still there, under its workflow's id
        assert workspace.get_run(stored[1])["workflow_id"] != ""


def test_an_older_workspace_gains_checksums_on_upgrade(stored: tuple[Path, str], tmp_path: Path) -> None:
    """A version-1 file (no checksum columns) opens, is upgraded in one step, and then detects damage."""
    path = copy_of(stored, tmp_path)
    reference = figures(path, stored[1])
    with sqlite3.connect(path) as connection:
        for table in ("workflows", "runs"):
            connection.execute(f"ALTER TABLE {table} DROP COLUMN checksum")
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        connection.execute("PRAGMA user_version = 1")
    connection.close()
    assert figures(path, stored[1]) == reference
    edit(path, "UPDATE run_series SET value = value * 2")
    with pytest.raises(LoadError, match="damaged"):
        figures(path, stored[1])
    assert hashlib.sha256(path.read_bytes()).hexdigest()  # still a readable file
