"""Fixtures of the editor tests (helpers are in editor_helpers.py)."""

from __future__ import annotations

import pytest
from editor_helpers import make_window

from flowmodel.jsonfile import write_workflow_json
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path, triage) -> MainWindow:
    """The main window with the tiny triage workflow opened from ``tmp_path/triage.flow.json``."""
    path = tmp_path / "triage.flow.json"
    write_workflow_json(triage, path)
    win = make_window(qtbot, tmp_path)
    assert win.open_path(path)
    qtbot.wait(10)
    win.view.setFocus()
    return win
