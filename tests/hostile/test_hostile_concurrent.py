"""Class 6: concurrent writers lose nothing, and a locked workspace keeps the run instead of dropping it.

A child process stores runs one after another (as ``simulate`` does) and prints each id once it is stored,
while this process does Save As and Save over the same workspace again and again (as the app does). Every run
reported stored is in the final file, and no writer saw "readonly database" or "disk I/O error". A workspace
locked past the busy timeout gets its run kept beside it, and the next write stores it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from engine_models import single_stage
from hostile_helpers import ROOT
from locked_workspace import store_while_locked

from flowmodel.distributions import Distribution
from flowmodel.pending_runs import pending_files, read_pending
from flowmodel.run_settings import RunSettings
from flowmodel.workspace import Workspace
from simulations.persist import load_run_from_workspace, store_run
from simulations.runner import run_scenarios

SHORT = RunSettings(horizon_hours=6.0, warmup_hours=1.0, replications=1, seed=5, interval_minutes=60.0)

WRITER = """
import pickle, sys
from flowmodel.errors import FlowmodelError
from simulations.persist import RunKeptAside, store_run
path, blob, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
workflow, run = pickle.load(open(blob, "rb"))
from pathlib import Path
for _ in range(count):
    try:
        print("stored", store_run(Path(path), workflow, run).run_id, flush=True)
    except RunKeptAside as kept:
        print("kept", kept.run_id, flush=True)
    except FlowmodelError as error:
        print("error", error.render().replace(chr(10), " "), flush=True)
print("done", flush=True)
"""


@pytest.fixture
def ops(tmp_path: Path):
    workflow = single_stage(30.0, Distribution.exponential(4, "min"), 4)
    workflow.run_settings = SHORT
    path = tmp_path / "ops.flowdb"
    Workspace.save_as([workflow], path)
    return path, workflow, run_scenarios(workflow, [None], SHORT)


def test_runs_stored_during_save_as_over_the_same_file_are_all_kept(ops, tmp_path: Path) -> None:
    import pickle

    path, workflow, run = ops
    blob = tmp_path / "run.pickle"
    blob.write_bytes(pickle.dumps((workflow, run)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(blob), "25"], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT, env=env)
    saves = 0
    deadline = time.monotonic() + 120
    while writer.poll() is None and time.monotonic() < deadline:
        with Workspace.open(path) as open_workspace:  # the app's open document, then Save As over itself
            Workspace.save_as([workflow], Path(os.path.relpath(path)) if saves % 2 else path,
                              runs_from=open_workspace)
            open_workspace.save_workflows([workflow])  # and a plain Save on the connection it had
        saves += 1
    output, _ = writer.communicate(timeout=60)
    lines = [line.split(" ", 1) for line in output.splitlines()]
    assert lines[-1] == ["done"]
    assert not [text for kind, *text in lines if kind == "error"], output
    stored = [rest for kind, rest in lines[:-1] if kind == "stored"]
    kept = [rest for kind, rest in lines[:-1] if kind == "kept"]
    assert saves >= 3 and len(stored) + len(kept) == 25
    with Workspace.open(path) as final:
        present = {row["id"] for row in final.list_runs(workflow.id)}
        missing = [run_id for run_id in stored if run_id not in present]
        assert not missing, f"{len(missing)} of {len(stored)} runs reported stored are gone"
        for run_id in stored:
            load_run_from_workspace(final, run_id)  # intact, checksum and all
    still_kept = {read_pending(p)[0]["id"] for p in pending_files(path)}
    assert all(run_id in present or run_id in still_kept for run_id in kept), "a kept run was lost"


def test_a_locked_workspace_keeps_the_run_and_the_next_write_stores_it(ops, monkeypatch) -> None:
    path, workflow, run = ops
    before = path.read_bytes()
    kept = store_while_locked(path, workflow, run, monkeypatch, timeout_s=0.3)
    assert kept.kept.exists() and kept.kept.parent == path.parent
    assert kept.kept.name in kept.render() and "will be stored" in kept.render()
    assert path.read_bytes() == before
    second = store_run(path, workflow, run)
    assert second.earlier_stored == [kept.run_id] and second.earlier_problems == []
    assert not kept.kept.exists()
    with Workspace.open(path) as workspace:
        ids = {row["id"] for row in workspace.list_runs(workflow.id)}
        assert ids == {kept.run_id, second.run_id}
        first = load_run_from_workspace(workspace, kept.run_id)
    assert [m.value for m in first.replications[0].metrics][:5] == [m.value for m in run.replications[0].metrics][:5]


def test_a_damaged_kept_run_is_reported_and_left_alone(ops, monkeypatch) -> None:
    path, workflow, run = ops
    kept_file = store_while_locked(path, workflow, run, monkeypatch).kept
    kept_file.write_text(kept_file.read_text().replace('"replication":', '"replicatio":', 1)
                         .replace("0.", "1.", 1))
    later = store_run(path, workflow, run)
    assert later.earlier_stored == [] and len(later.earlier_problems) == 1
    assert "damaged" in later.earlier_problems[0] and kept_file.name in later.earlier_problems[0]
    assert kept_file.exists()
