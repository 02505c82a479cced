"""A process killed (SIGKILL) in the middle of saving leaves a file holding one complete version.

A child process saves ever-newer versions of a large workflow in a loop and prints each version once it
is saved. We kill it at different moments, then check that the file still opens and holds exactly the
last version reported saved or the one after it (a save that completed just before the kill) — never a
mix of two versions, never an older one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from strategies import large_workflow

from flowmodel.jsonfile import read_workflow_json, write_workflow_json
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace

TESTS = Path(__file__).resolve().parent
SAVER = """
import sys
from strategies import large_workflow
from flowmodel.jsonfile import write_workflow_json
from flowmodel.workspace import Workspace

kind, path = sys.argv[1], sys.argv[2]
workspace = Workspace.open(path) if kind == "workspace" else None
version = 1
while True:
    workflow = large_workflow(version)
    if workspace is not None:
        workspace.save_workflow(workflow)
    else:
        write_workflow_json(workflow, path)
    print(version, flush=True)
    version += 1
"""


def load(kind: str, path: Path) -> Workflow:
    if kind == "json":
        return read_workflow_json(path)
    with Workspace.open(path) as workspace:
        return workspace.load_workflow("large-workflow")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
@pytest.mark.parametrize("kind", ["workspace", "json"])
@pytest.mark.parametrize("delay", [0.0, 0.03, 0.11, 0.29])
def test_killing_a_save_midway_leaves_the_previous_or_the_new_version(tmp_path: Path, kind: str,
                                                                      delay: float) -> None:
    path = tmp_path / ("load.flowdb" if kind == "workspace" else "load.flow.json")
    if kind == "workspace":
        with Workspace.create(path) as workspace:
            workspace.save_workflow(large_workflow(0))
    else:
        write_workflow_json(large_workflow(0), path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS)])}
    child = subprocess.Popen([sys.executable, "-c", SAVER, kind, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        first = child.stdout.readline() if child.stdout else ""
        assert first.strip() == "1", f"the saver did not start: {child.stderr.read() if child.stderr else ''}"
        time.sleep(delay)
    finally:
        child.send_signal(signal.SIGKILL)
        output, _ = child.communicate(timeout=10)
    assert child.returncode == -signal.SIGKILL
    reported = [int(line) for line in [first, *output.splitlines()] if line.strip()]
    last_saved = reported[-1]

    loaded = load(kind, path)
    version = int(loaded.name.removeprefix("Load test v"))
    assert version in (last_saved, last_saved + 1)
    assert loaded == large_workflow(version)


DIE_MID_SAVE = """
import os
import signal
import sys
from sqlite_utils.db import Table
from strategies import large_workflow
from flowmodel.workspace import Workspace

insert = Table.insert

def insert_or_die(table, record, **kwargs):
    if table.name == "run_settings":  # the workflow row and the scenarios are written, not committed
        os.kill(os.getpid(), signal.SIGKILL)
    return insert(table, record, **kwargs)

Table.insert = insert_or_die
Workspace.open(sys.argv[1]).save_workflow(large_workflow(1))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_a_process_killed_inside_the_save_transaction_leaves_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "load.flowdb"
    with Workspace.create(path) as workspace:
        workspace.save_workflow(large_workflow(0))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS)])}
    child = subprocess.run([sys.executable, "-c", DIE_MID_SAVE, str(path)], capture_output=True, text=True,
                           env=env, cwd=tmp_path, timeout=30)
    assert child.returncode == -signal.SIGKILL, child.stderr
    journal = tmp_path / "load.flowdb-journal"
    assert journal.stat().st_size > 0, "the kill should have left an unfinished transaction behind"
    assert load("workspace", path) == large_workflow(0)
