"""Mouse gestures on the real canvas: palette drop, connect by dragging a port, move, pan, zoom."""

from __future__ import annotations

from editor_helpers import drag, viewport_point
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest

from ui.canvas import style


def _drop(window, kind: str, scene_point: QPointF) -> None:
    mime = window.palette.mime_for(kind)
    event = QDropEvent(QPointF(viewport_point(window, scene_point)), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.view.dropEvent(event)
    assert event.isAccepted()


def test_dropping_a_palette_kind_creates_a_node_there_and_undo_removes_it(window):
    workflow = window.document.workflow
    before = set(workflow.nodes)
    _drop(window, "review_stage", QPointF(400, 300))
    (new_id,) = set(workflow.nodes) - before
    node = workflow.nodes[new_id]
    assert node.kind == "review_stage" and node.name == "Review stage"
    assert abs(node.x + style.NODE_WIDTH / 2 - 400) <= style.GRID and abs(node.y - 300) <= style.GRID
    assert new_id in window.view.canvas_scene.node_items
    assert window.view.canvas_scene.selected_node_ids() == [new_id]
    window.undo_stack.undo()
    assert set(workflow.nodes) == before


def test_a_second_drop_of_the_same_kind_gets_a_distinct_name(window):
    _drop(window, "outcome", QPointF(0, 400))
    _drop(window, "outcome", QPointF(300, 400))
    names = [n.name for n in window.document.workflow.nodes.values() if n.name.startswith("Outcome")]
    assert names == ["Outcome", "Outcome 2"]


def test_double_click_in_the_palette_adds_at_the_centre(window):
    count = len(window.document.workflow.nodes)
    window.palette.kind_activated.emit("delay")
    assert len(window.document.workflow.nodes) == count + 1


def _port_point(window, name: str) -> QPointF:
    node = window.document.workflow.node_by_name(name)
    return window.view.canvas_scene.node_items[node.id].port.scenePos()


def _card_centre(window, name: str) -> QPointF:
    node = window.document.workflow.node_by_name(name)
    return window.view.canvas_scene.node_items[node.id].sceneBoundingRect().center()


def test_dragging_from_a_port_to_a_node_creates_an_edge(window):
    workflow = window.document.workflow
    kept = workflow.node_by_name("Kept")
    drag(window, _port_point(window, "User reports"), _card_centre(window, "Kept"))
    source = workflow.node_by_name("User reports")
    edges = [e for e in workflow.edges.values() if e.target == kept.id and e.source == source.id]
    assert len(edges) == 1
    assert edges[0].probability == 0.0, "the source already routes everything to Tier 1"
    assert edges[0].id in window.view.canvas_scene.edge_items
    window.undo_stack.undo()
    assert edges[0].id not in workflow.edges


def test_connections_into_a_source_are_refused_with_a_reason(window):
    workflow = window.document.workflow
    count = len(workflow.edges)
    drag(window, _port_point(window, "Tier 1"), _card_centre(window, "User reports"))
    assert len(workflow.edges) == count
    message = window.statusBar().currentMessage()
    assert "refused" in message and "source" in message


def test_duplicate_and_self_connections_are_refused(window):
    workflow = window.document.workflow
    count = len(workflow.edges)
    drag(window, _port_point(window, "User reports"), _card_centre(window, "Tier 1"))
    assert "already connected" in window.statusBar().currentMessage()
    drag(window, _port_point(window, "Tier 1"), _card_centre(window, "Tier 1"))
    assert "itself" in window.statusBar().currentMessage()
    assert len(workflow.edges) == count


def test_outcomes_have_no_output_port(window):
    scene, workflow = window.view.canvas_scene, window.document.workflow
    assert scene.node_items[workflow.node_by_name("Kept").id].port is None
    assert scene.node_items[workflow.node_by_name("Tier 1").id].port is not None


def test_dragging_a_card_is_one_undo_step_and_snaps_to_the_grid(window):
    workflow = window.document.workflow
    stage = workflow.node_by_name("Tier 1")
    start = (stage.x, stage.y)
    count = window.undo_stack.count()
    header = QPointF(stage.x + 60, stage.y + 10)
    drag(window, header, header + QPointF(93, 47), steps=8)
    assert window.undo_stack.count() == count + 1
    assert (stage.x, stage.y) != start
    assert stage.x % style.GRID == 0 and stage.y % style.GRID == 0
    window.undo_stack.undo()
    assert (stage.x, stage.y) == start
    item = window.view.canvas_scene.node_items[stage.id]
    assert (item.pos().x(), item.pos().y()) == start


def test_middle_drag_pans_and_wheel_keys_zoom(window):
    view = window.view
    before = view.mapToScene(view.viewport().rect().center())
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, viewport.rect().center())
    QTest.mouseMove(viewport, viewport.rect().center() + QPointF(-120, -80).toPoint())
    QTest.mouseRelease(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier,
                       viewport.rect().center() + QPointF(-120, -80).toPoint())
    after = view.mapToScene(view.viewport().rect().center())
    assert after.x() > before.x() and after.y() > before.y()
    scale = view.transform().m11()
    view.zoom_in()
    assert view.transform().m11() > scale
    view.zoom_out()
    view.zoom_out()
    assert view.transform().m11() < scale


def test_rubber_band_selects_the_cards_it_covers(window):
    scene, workflow = window.view.canvas_scene, window.document.workflow
    kept, removed = workflow.node_by_name("Kept"), workflow.node_by_name("Removed")
    top_left = QPointF(min(kept.x, removed.x) - 30, min(kept.y, removed.y) - 30)
    bottom_right = QPointF(max(kept.x, removed.x) + style.NODE_WIDTH + 30,
                           max(kept.y, removed.y) + scene.node_items[kept.id].height + 30)
    drag(window, top_left, bottom_right)
    assert set(scene.selected_node_ids()) == {kept.id, removed.id}
