"""Standard shortcuts drive the editor: undo/redo, select all, zoom, and the title's unsaved marker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit

from ui.commands import MoveNodesCommand


def _press(qtbot, widget, standard_key: QKeySequence.StandardKey) -> None:
    combo = QKeySequence(standard_key)[0]
    qtbot.keyClick(widget, combo.key(), combo.keyboardModifiers())


def test_undo_and_redo_keys(qtbot, window):
    workflow = window.document.workflow
    stage = workflow.node_by_name("Tier 1")
    window.undo_stack.push(MoveNodesCommand(workflow, {stage.id: ((stage.x, stage.y), (700.0, 300.0))}))
    assert window.windowTitle().startswith("triage.flow.json*")
    _press(qtbot, window.view, QKeySequence.StandardKey.Undo)
    assert (stage.x, stage.y) == (250.0, 0.0)
    assert "*" not in window.windowTitle()
    _press(qtbot, window.view, QKeySequence.StandardKey.Redo)
    assert (stage.x, stage.y) == (700.0, 300.0)


def test_select_all_and_zoom_keys(qtbot, window):
    view = window.view
    _press(qtbot, view, QKeySequence.StandardKey.SelectAll)
    assert len(view.canvas_scene.selected_node_ids()) == 4 and len(view.canvas_scene.selected_edge_ids()) == 3
    scale = view.transform().m11()
    _press(qtbot, view, QKeySequence.StandardKey.ZoomOut)
    assert view.transform().m11() < scale
    _press(qtbot, view, QKeySequence.StandardKey.ZoomIn)
    _press(qtbot, view, QKeySequence.StandardKey.ZoomIn)
    assert view.transform().m11() > scale
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.canvas_scene.itemsBoundingRect())


def test_standard_keys_are_bound(window):
    actions = window.actions
    for action, key in ((actions.new, QKeySequence.StandardKey.New), (actions.open, QKeySequence.StandardKey.Open),
                        (actions.save, QKeySequence.StandardKey.Save), (actions.copy, QKeySequence.StandardKey.Copy),
                        (actions.paste, QKeySequence.StandardKey.Paste),
                        (actions.delete, QKeySequence.StandardKey.Delete)):
        assert action.shortcut() == QKeySequence.keyBindings(key)[0]
    assert actions.duplicate.shortcut() == QKeySequence("Ctrl+D")
    assert actions.auto_layout.shortcut() == QKeySequence("Ctrl+L")
    assert actions.zoom_fit.shortcut() == QKeySequence("Ctrl+0")


def test_delete_in_a_form_field_does_not_delete_nodes(qtbot, window):
    workflow = window.document.workflow
    window.view.canvas_scene.select_ids([workflow.node_by_name("Kept").id])
    field = next(f for f in window.properties.findChildren(QLineEdit) if f.text() == "Kept")
    field.setFocus()
    field.setCursorPosition(0)
    _press(qtbot, field, QKeySequence.StandardKey.Delete)
    assert len(workflow.nodes) == 4
    assert window.view.canvas_scene.selected_node_ids() == [workflow.node_by_name("ept").id]
