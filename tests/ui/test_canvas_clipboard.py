"""Copy/cut/paste/duplicate and delete on the canvas, through the window's actions and keys."""

from __future__ import annotations

from editor_helpers import canonical
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence


def _select(window, *names):
    workflow = window.document.workflow
    window.view.canvas_scene.select_ids(workflow.node_by_name(n).id for n in names)


def test_copy_paste_gives_new_ids_and_keeps_only_internal_edges(window):
    workflow = window.document.workflow
    _select(window, "Tier 1", "Kept")
    old_nodes, old_edges = set(workflow.nodes), set(workflow.edges)
    window.actions.copy.trigger()
    window.actions.paste.trigger()
    new_nodes = [workflow.nodes[n] for n in workflow.nodes if n not in old_nodes]
    new_edges = [workflow.edges[e] for e in workflow.edges if e not in old_edges]
    assert sorted(n.name for n in new_nodes) == ["Kept", "Tier 1"]
    assert len(new_edges) == 1, "only the Tier 1 → Kept edge is between copied nodes"
    ids = {n.id for n in new_nodes}
    assert new_edges[0].source in ids and new_edges[0].target in ids
    assert new_edges[0].probability == 0.7 and new_edges[0].label == "keep"
    original = workflow.node_by_name("Tier 1")
    copy = next(n for n in new_nodes if n.name == "Tier 1")
    assert (copy.x - original.x, copy.y - original.y) == (40.0, 40.0)
    assert set(window.view.canvas_scene.selected_node_ids()) == ids
    window.undo_stack.undo()
    assert set(workflow.nodes) == old_nodes and set(workflow.edges) == old_edges


def test_paste_twice_offsets_each_copy(window):
    workflow = window.document.workflow
    _select(window, "Kept")
    window.actions.copy.trigger()
    window.actions.paste.trigger()
    window.actions.paste.trigger()
    ys = sorted(n.y for n in workflow.nodes.values() if n.name == "Kept")
    assert ys[1] - ys[0] == 40.0 and ys[2] - ys[1] == 40.0


def test_duplicate_shortcut_and_cut_undo(qtbot, window):
    workflow = window.document.workflow
    _select(window, "Removed")
    count = len(workflow.nodes)
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(workflow.nodes) == count + 1
    before = canonical(workflow)
    _select(window, "Tier 1")
    window.actions.cut.trigger()
    assert "Tier 1" not in [n.name for n in workflow.nodes.values()]
    window.undo_stack.undo()
    assert canonical(workflow) == before


def test_delete_key_removes_node_with_edges_and_undo_restores_them(qtbot, window):
    workflow = window.document.workflow
    before = canonical(workflow)
    stage = workflow.node_by_name("Tier 1")
    _select(window, "Tier 1")
    delete_key = QKeySequence(QKeySequence.StandardKey.Delete)[0]
    qtbot.keyClick(window.view, delete_key.key(), delete_key.keyboardModifiers())
    assert stage.id not in workflow.nodes and len(workflow.edges) == 0
    assert workflow.team_by_name("Generalists").stages == []
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canonical(workflow) == before
    assert stage.id in window.view.canvas_scene.node_items and len(window.view.canvas_scene.edge_items) == 3


def test_deleting_a_selected_edge_alone(window):
    workflow = window.document.workflow
    edge = next(e for e in workflow.edges.values() if e.label == "keep")
    window.view.canvas_scene.select_ids([edge.id])
    window.actions.delete.trigger()
    assert edge.id not in workflow.edges and len(workflow.nodes) == 4
    window.undo_stack.undo()
    assert edge.id in workflow.edges
