"""The Clock column of a stage's SLA targets: picked with the mouse and keyboard in the real form, it changes the
model through one undoable command, undo puts the old clock back in the model and the cell."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox

from flowmodel import SlaTarget
from ui.canvas.node_summary import key_lines
from ui.panels import PropertyPanel

CLOCK = 4


def test_picking_wait_in_queue_in_the_clock_cell_is_one_undo_step(qtbot, triage) -> None:
    stack = QUndoStack()
    panel = PropertyPanel(triage, stack)
    qtbot.addWidget(panel)
    panel.resize(560, 900)
    panel.show()
    qtbot.waitExposed(panel)
    stage = triage.node_by_name("Tier 1")
    stage.sla = [SlaTarget("P1", 4, "h", 0.9)]
    panel.show_item(stage.id)
    table = panel.form.field("sla").table
    assert table.horizontalHeaderItem(CLOCK).text() == "Clock"
    assert table.item(0, CLOCK).text() == "time to decision"

    table.scrollToItem(table.item(0, CLOCK))
    cell = table.visualItemRect(table.item(0, CLOCK)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, cell)
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, cell)
    combo = table.viewport().findChild(QComboBox)
    assert combo is not None and combo.currentText() == "time to decision"
    QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "wait in queue"
    count = stack.count()
    QTest.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)  # the delegate commits queued

    assert stage.sla == [SlaTarget("P1", 4, "h", 0.9, clock="wait")]
    assert stack.count() == count + 1
    assert table.item(0, CLOCK).text() == "wait in queue"
    stack.undo()
    assert stage.sla == [SlaTarget("P1", 4, "h", 0.9)]
    assert table.item(0, CLOCK).text() == "time to decision"
    stack.redo()
    assert stage.sla[0].clock == "wait"


def test_the_stage_card_says_when_its_first_target_times_the_wait(triage) -> None:
    stage = triage.node_by_name("Tier 1")
    stage.sla = [SlaTarget("P1", 4, "h", 0.9, clock="wait"), SlaTarget("P2", 24, "h", 0.9)]
    assert "SLA P1: 90% ≤ 4 h in queue + 1 more target" in key_lines(triage, stage)
    stage.sla[0].clock = "decision"
    assert "SLA P1: 90% ≤ 4 h + 1 more target" in key_lines(triage, stage)
