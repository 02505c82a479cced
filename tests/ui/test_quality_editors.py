"""The decision-quality editors drive the real widgets: ticks, typing and picks change the model through undoable
commands, and undo restores it (ground truth, bands by classifier error, decisions, accuracy, QA, wellness caps)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit

from flowmodel import MixEntry
from flowmodel.quality import GroundTruth
from ui.panels import PropertyPanel


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


def make_panel(qtbot, workflow, stack) -> PropertyPanel:
    widget = PropertyPanel(workflow, stack)
    qtbot.addWidget(widget)
    widget.resize(460, 1200)
    widget.show()
    return widget


def click(qtbot, panel, widget) -> None:
    """Scroll ``widget`` into view and click it near its left end (a check box's box; a wide check box's
    centre is outside its text)."""
    panel.scroll.ensureWidgetVisible(widget)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def type_number(qtbot, box, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def type_cell(qtbot, table, item, text: str) -> None:
    """Open the cell's editor, type ``text`` over it and commit it with Enter, as a planner does."""
    table.scrollToItem(item)
    table.setCurrentItem(item)
    table.editItem(item)
    editors = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "the cell did not open one editor"
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text) if text else qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(1)  # the delegate commits the editor's text in a queued call


# -- ground truth ----------------------------------------------------------------------------------------------
def test_ticking_ground_truth_creates_it_and_undo_clears_it(qtbot, triage, stack):
    source = triage.node_by_name("User reports")
    panel = make_panel(qtbot, triage, stack)
    panel.show_item(source.id)
    editor = panel.form.field("truth")
    assert not editor.carries.isChecked() and not editor.details.isVisible()
    click(qtbot, panel, editor.carries)
    assert source.truth == GroundTruth(0.1)
    assert editor.details.isVisible()
    type_number(qtbot, editor.prevalence, "35")
    assert source.truth.prevalence == pytest.approx(0.35)
    type_number(qtbot, editor.views, "120")
    assert source.truth.views_per_hour == 120.0
    stack.undo()
    stack.undo()
    assert source.truth == GroundTruth(0.1)
    stack.undo()
    assert source.truth is None
    assert not editor.carries.isChecked()


def test_prevalence_per_category_of_the_mix(qtbot, triage, stack):
    source = triage.node_by_name("User reports")
    source.mix = [MixEntry(category="spam", share=0.6), MixEntry(category="hate", share=0.4)]
    source.truth = GroundTruth(0.2)
    panel = make_panel(qtbot, triage, stack)
    panel.show_item(source.id)
    table = panel.form.field("truth").by_category
    assert table.categories() == ["spam", "hate"]
    assert table.cell("hate", 0).text() == "20 %"  # the overall value, in grey
    type_cell(qtbot, table.table, table.cell("hate", 0), "45")
    assert source.truth.by_category == {"hate": pytest.approx(0.45)}
    assert source.truth.views_by_category == {}
    type_cell(qtbot, table.table, table.cell("spam", 1), "300")
    assert source.truth.views_by_category == {"spam": 300.0}
    type_cell(qtbot, table.table, table.cell("hate", 0), "")
    assert source.truth.by_category == {}
    assert table.cell("hate", 0).text() == "20 %"
    type_cell(qtbot, table.table, table.cell("spam", 0), "140")
    assert "Prevalence must be from 0 to 100 %" in panel.form.problem("truth")
    assert source.truth.by_category == {}
    stack.undo()
    stack.undo()
    assert source.truth == GroundTruth(0.2, {"hate": pytest.approx(0.45)})
