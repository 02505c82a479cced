"""Run → Run (F5) starts the run panel's run; the results heading never says "No run yet" while runs are listed;
the Results dock opens at a readable size; export dialogs start beside the document."""

from __future__ import annotations

from pathlib import Path

from editor_helpers import make_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from run_helpers import RUN_TIMEOUT_MS, short_settings

from ui.report.export_actions import comparison_of


def _run_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&Run")


def test_the_run_menu_runs_like_the_run_button(qtbot, window, tmp_path):
    action = window.what_if.run_action
    assert action in _run_menu(window).actions()
    assert action.shortcuts() == [QKeySequence("F5")]
    target = tmp_path / "triage.flowdb"
    assert window.save_as(target)
    window.name_field.setText("Triage, renamed")
    window.name_field.editingFinished.emit()
    window.run_panel.set_settings(short_settings())
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    assert window.runs.running, window.run_panel.status.text()
    assert not action.isEnabled()
    qtbot.waitUntil(lambda: window.results.entry is not None and not window.runs.running,
                    timeout=RUN_TIMEOUT_MS)  # a finished run, not the run so far
    assert action.isEnabled()
    assert len(window.run_history.entries) == 1 and window.run_history.entries[0].stored
    # exports title the run with the name the workflow had when it ran
    assert comparison_of(window.results.run, window.document.workflow).workflow_name == "Triage, renamed"
    # the Results dock got the bottom's width (tabbed with Validation) and half the window, not a sliver
    qtbot.waitUntil(lambda: window.results_dock.width() >= window.width() // 2)
    assert window.results_dock.isVisible() and window.results_dock.height() >= window.height() // 2 - 40
    assert window.tabifiedDockWidgets(window.results_dock) == [window.validation_dock]

    reopened = make_window(qtbot, tmp_path / "second")
    assert reopened.open_path(target)
    assert reopened.results_dock.isVisible()
    heading = reopened.results.heading.text()
    assert "No run yet" not in heading
    assert heading == "1 run of this workflow listed: pick one to see its results."
    reopened.results.history_list.setCurrentRow(0)
    assert reopened.results.run is not None
    assert "pick one" not in reopened.results.heading.text()
    qtbot.waitUntil(lambda: reopened.results_dock.width() >= reopened.width() // 2)


def test_run_with_nothing_ticked_explains_itself(qtbot, window):
    window.run_panel.tick([])
    window.what_if.run_action.trigger()
    assert not window.runs.running
    assert window.run_panel.status.text() == "Tick at least one scenario to run."


def test_no_run_yet_only_without_runs(window):
    assert window.run_history.entries == []
    assert window.results.heading.text() == "No run yet: use the Run panel."
    assert window.results_dock.isHidden()


def test_export_dialogs_start_beside_the_document(window, tmp_path):
    asked: list[str] = []
    window.exports.ask_path = lambda title, start, filters: (asked.append(start), None)[1]
    window.exports.canvas_action.trigger()
    assert asked == [str(tmp_path / "Tiny triage.png")]
    window.new_document()
    window.exports.canvas_action.trigger()
    assert asked[-1] == str(Path.home() / "Untitled workflow.png")


def test_open_and_save_dialogs_start_in_the_documents_folder(window, tmp_path):
    assert window.dialog_folder() == tmp_path
    window.new_document()
    assert window.dialog_folder() == Path.home()
