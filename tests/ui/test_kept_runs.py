"""Runs a locked workspace could not take: the app offers them on open, stores them on Yes (listed in the run
history, the kept file gone) and keeps them on No; a run kept in the app is stored by the next Save."""

from __future__ import annotations

import sqlite3

import pytest
from editor_helpers import make_window
from locked_workspace import store_while_locked
from run_helpers import RUN_TIMEOUT_MS, short_settings, start_run

from flowmodel import workspace as workspace_module
from flowmodel.pending_runs import pending_files
from flowmodel.workspace import Workspace
from simulations.runner import run_scenarios


@pytest.fixture
def kept_run(tmp_path, triage, monkeypatch):
    """A workspace holding the triage workflow, with one run kept beside it because it was locked."""
    path = tmp_path / "ops.flowdb"
    Workspace.save_as([triage], path)
    run = run_scenarios(triage, [None], short_settings())
    return path, store_while_locked(path, triage, run, monkeypatch).run_id


@pytest.mark.parametrize("answer", [True, False])
def test_opening_a_workspace_offers_its_kept_runs(kept_run, qtbot, tmp_path, answer) -> None:
    path, run_id = kept_run
    window = make_window(qtbot, tmp_path / "app")
    asked: list[int] = []
    window.ask_store_kept_runs = lambda count: asked.append(count) or answer
    assert window.open_path(path)
    assert asked == [1]
    assert [e.id for e in window.run_history.entries] == ([run_id] if answer else [])
    assert bool(pending_files(path)) is not answer
    if answer:
        assert window.run_history.entries[0].stored
        window.results.history_list.setCurrentRow(0)
        assert window.results.run is not None


def test_a_run_the_workspace_could_not_take_is_kept_and_stored_by_the_next_save(window, qtbot, tmp_path,
                                                                                monkeypatch) -> None:
    target = tmp_path / "triage.flowdb"
    assert window.save_as(target)
    monkeypatch.setattr(workspace_module, "BUSY_TIMEOUT_S", 0.2)
    blocker = sqlite3.connect(target)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        start_run(window, qtbot, short_settings())
        qtbot.waitUntil(lambda: window.results.entry is not None and not window.runs.running,
                    timeout=RUN_TIMEOUT_MS)  # a finished run, not the run so far
    finally:
        blocker.rollback()
        blocker.close()
    entry = window.run_history.entries[-1]
    assert not entry.stored and [p.name for p in pending_files(target)] == [f"{target.name}.run-{entry.id}"
                                                                              ".pending.json"]
    assert "kept beside the workspace" in window.run_panel.status.text()
    assert window.save()
    assert entry.stored and pending_files(target) == []
    with Workspace.open(target) as workspace:
        assert [r["id"] for r in workspace.list_runs(window.document.workflow.id)] == [entry.id]
