"""The "Today's backlog" dialog: real clicks and edits change the model only on OK, as one undoable step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from ui.start_state_dialog import AGES, COUNT, StartStateDialog


def test_add_edit_ok_then_undo(qtbot, triage) -> None:
    stack = QUndoStack()
    dialog = StartStateDialog(triage, stack)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1
    dialog.table.item(0, COUNT).setText("10")
    dialog.table.item(0, AGES).setText("1-6")
    assert triage.start_state is None  # nothing applied before OK
    dialog.table.item(0, COUNT).setText("2.5")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.table.item(0, COUNT).setText("10")
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    entry = triage.start_state.entries[0]
    assert (entry.count, entry.age_min_h, entry.age_max_h) == (10, 1.0, 6.0)
    assert entry.stage == triage.node_by_name("Tier 1").id
    assert stack.count() == 1
    stack.undo()
    assert triage.start_state is None


def test_in_scenario_mode_ok_changes_the_baseline_and_says_so(window, qtbot) -> None:
    from ui.start_state_dialog import open_start_state

    workflow = window.document.workflow
    scenario = window.scenarios.new_scenario()
    window.scenarios.mode_button.click()
    assert window.scenario_mode.active
    dialog = open_start_state(window)
    assert "OK changes the baseline, not the scenario" in dialog.intro.text()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.table.item(0, COUNT).setText("7")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert workflow.start_state is not None and workflow.start_state.total() == 7
    assert workflow.scenarios[scenario.id].changes == []  # every scenario starts from the same backlog
    window.undo_stack.undo()
    assert workflow.start_state is None
