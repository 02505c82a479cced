"""Store a run while another program holds a workspace's write lock, so it is kept beside the workspace."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from flowmodel import workspace as workspace_module
from flowmodel.workflow import Workflow
from simulations.persist import RunKeptAside, store_run
from simulations.runner import RunResult


def store_while_locked(path: Path, workflow: Workflow, run: RunResult, monkeypatch: pytest.MonkeyPatch,
                       timeout_s: float = 0.2) -> RunKeptAside:
    """``store_run`` against a workspace locked by another connection (busy timeout ``timeout_s``); the
    :class:`RunKeptAside` it raised. The busy timeout is restored afterwards."""
    monkeypatch.setattr(workspace_module, "BUSY_TIMEOUT_S", timeout_s)
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(RunKeptAside) as caught:
            store_run(path, workflow, run)
    finally:
        blocker.rollback()
        blocker.close()
        monkeypatch.undo()
    return caught.value
