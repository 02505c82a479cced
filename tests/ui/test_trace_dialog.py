"""The "Trace items" window with real widgets and a real spawn worker: Trace follows items of a scenario in the
background, the table lists them slowest first, choosing a row draws that item's journey, and Export writes
the event log — all without a traceback for a bad file."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

from PySide6.QtCore import Qt
from run_helpers import RUN_TIMEOUT_MS, child_processes

from flowmodel import RunSettings, Scenario
from flowmodel.scenarios import Change
from tests.test_item_trace import screened_review
from ui.trace.dialog import COLUMNS, TraceDialog


def _dialog(qtbot, tmp_path: Path) -> TraceDialog:
    workflow = screened_review(rate=4.0)
    workflow.run_settings = RunSettings(horizon_hours=24.0, warmup_hours=1.0, replications=5, seed=2)
    workflow.put_scenario(Scenario(name="Slower reviews", changes=[Change("review", "handle_time.mean", "set", 14.0)]))
    dialog = TraceDialog(workflow, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_trace_lists_items_slowest_first_and_draws_the_chosen_one(qtbot, tmp_path) -> None:
    dialog = _dialog(qtbot, tmp_path)
    dialog.scenario.setCurrentIndex(dialog.scenario.findText("Slower reviews"))
    dialog.items.setValue(15)
    qtbot.mouseClick(dialog.trace_button, Qt.MouseButton.LeftButton)
    assert not dialog.trace_button.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=RUN_TIMEOUT_MS)
    result = dialog.result
    assert result.scenario_name == "Slower reviews" and len(result.traces) == 15
    assert dialog.table.rowCount() == 15 and dialog.trace_button.isEnabled()
    column = COLUMNS.index("In the workflow")
    times = [dialog.table.item(row, column).value for row in range(dialog.table.rowCount())]
    assert times == sorted(times, reverse=True)
    assert dialog.status.text().startswith("Traced 15 items of Slower reviews")
    # the slowest is selected and drawn: a bar per step, in time order, the review 14 minutes long
    shown = dialog.timeline.trace
    assert shown is not None and shown.time_in_system_s == times[0]
    review = next(i for i, s in enumerate(shown.steps) if s.state == "reviewed")
    assert shown.steps[review].duration_s == 14 * 60 and shown.steps[review].team == "Reviewers"
    rects = [dialog.timeline.bar_rect(i) for i in range(len(shown.steps))]
    assert all(a.left() <= b.left() + 1e-6 for a, b in itertools.pairwise(rects))
    # choosing another row draws that item
    dialog.table.selectRow(5)
    number = int(dialog.table.item(5, 0).text())
    assert dialog.timeline.trace.item == number
    assert child_processes() == []


def test_export_writes_the_event_log_and_a_bad_place_is_explained(qtbot, tmp_path) -> None:
    dialog = _dialog(qtbot, tmp_path)
    dialog.items.setValue(6)
    assert dialog.start()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=RUN_TIMEOUT_MS)
    assert dialog.export_button.isEnabled()
    dialog.ask_export_path = lambda: tmp_path / "events"
    written = dialog.export()
    assert written == tmp_path / "events.csv" and dialog.status.text() == "Exported the event log to events.csv."
    rows = list(csv.DictReader(written.read_text(encoding="utf-8-sig").splitlines()))
    assert len({r["case_id"] for r in rows}) == 6 and {r["scenario"] for r in rows} == {"Baseline"}
    dialog.ask_export_path = lambda: tmp_path / "no such folder" / "events.csv"
    assert dialog.export() is None
    assert "does not exist" in dialog.status.text()



def test_the_run_menu_opens_the_trace_window_on_the_canvas_workflow(qtbot, tmp_path) -> None:
    from editor_helpers import make_window

    from flowmodel.jsonfile import write_workflow_json

    path = tmp_path / "traced.flow.json"
    workflow = screened_review(rate=4.0)
    workflow.put_scenario(Scenario(name="Slower reviews", changes=[Change("review", "handle_time.mean", "set", 14.0)]))
    write_workflow_json(workflow, path)
    window = make_window(qtbot, tmp_path)
    assert window.open_path(path)
    window.scenarios.select_scenario(window.document.workflow.scenario_by_name("Slower reviews").id)
    [action] = [a for a in window.staffing.menu.actions() if a.text() == "&Trace items…"]
    action.trigger()
    dialog = window.traces.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.workflow is window.document.workflow and dialog.scenario.currentText() == "Slower reviews"
    assert dialog.folder == tmp_path  # exports start beside the document
