"""The validation panel lists issues live; clicking one selects and centres the node on the canvas."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from flowmodel import ReviewStage
from ui.commands import AddNodeCommand, SetFieldCommand


def test_a_valid_workflow_has_no_issues(window):
    window.validation.refresh()
    assert window.validation.issues == []
    assert window.validation.summary_text().startswith("No problems")


def test_edits_revalidate_live_and_mark_the_card(qtbot, window):
    workflow = window.document.workflow
    orphan = ReviewStage(name="Orphan stage", x=900, y=600)
    window.undo_stack.push(AddNodeCommand(workflow, orphan))
    qtbot.waitUntil(lambda: any(i.node_id == orphan.id for i in window.validation.issues), timeout=2000)
    assert window.validation.list.count() == len(window.validation.issues)
    assert "error" in window.validation.summary_text()
    assert window.view.canvas_scene.node_items[orphan.id].issue_level == "error"
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.validation.issues == [], timeout=2000)


def test_clicking_an_issue_selects_and_centres_its_node(qtbot, window):
    workflow = window.document.workflow
    stage = workflow.node_by_name("Tier 1")
    window.undo_stack.push(SetFieldCommand(workflow, stage.id, "handle_time.mean", -3.0))
    window.validation.refresh()
    row = next(i for i, issue in enumerate(window.validation.issues) if issue.node_id == stage.id)
    window.view.centerOn(-3000, -3000)
    item = window.validation.list.item(row)
    rect = window.validation.list.visualItemRect(item)
    QTest.mouseClick(window.validation.list.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center())
    assert window.view.canvas_scene.selected_node_ids() == [stage.id]
    card = window.view.canvas_scene.node_items[stage.id].sceneBoundingRect().center()
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    assert abs(card.x() - centre.x()) < 2 and abs(card.y() - centre.y()) < 2
