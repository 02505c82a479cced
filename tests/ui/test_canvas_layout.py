"""Auto-layout (layered left → right, loops allowed) and alignment."""

from __future__ import annotations

from PySide6.QtCore import Qt

from flowmodel import Delay, Edge, ReviewStage
from ui.canvas import style
from ui.canvas.layout import align, auto_layout, layers


def _overlaps(positions, heights):
    boxes = [(x, y, x + style.NODE_WIDTH, y + heights[n]) for n, (x, y) in positions.items()]
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def test_layers_go_from_sources_to_outcomes(triage):
    names = [[triage.nodes[n].name for n in layer] for layer in layers(triage)]
    assert names == [["User reports"], ["Tier 1"], ["Removed", "Kept"]]


def test_loops_still_lay_out_left_to_right(triage):
    tier1 = triage.node_by_name("Tier 1")
    appeal = triage.add_node(ReviewStage(name="Re-review"))
    wait = triage.add_node(Delay(name="Wait for user"))
    triage.add_edge(Edge(tier1.id, wait.id, probability=0.1))
    triage.add_edge(Edge(wait.id, appeal.id))
    triage.add_edge(Edge(appeal.id, tier1.id, probability=1.0))
    heights = {n: 120.0 for n in triage.nodes}
    positions = auto_layout(triage, heights)
    x = {triage.nodes[n].name: p[0] for n, p in positions.items()}
    assert x["User reports"] < x["Tier 1"] < x["Wait for user"] < x["Re-review"]
    assert x["Removed"] == x["Kept"] == x["Tier 1"] + style.LAYER_SPACING
    assert not _overlaps(positions, heights)


def test_auto_layout_in_the_window_is_one_undo_step(qtbot, window):
    workflow = window.document.workflow
    for node in workflow.nodes.values():
        node.x, node.y = 0.0, 0.0
    window.view.canvas_scene.set_workflow(workflow)
    count = window.undo_stack.count()
    qtbot.keyClick(window.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.undo_stack.count() == count + 1
    heights = {n: item.height for n, item in window.view.canvas_scene.node_items.items()}
    assert not _overlaps({n: (w.x, w.y) for n, w in workflow.nodes.items()}, heights)
    window.undo_stack.undo()
    assert all((n.x, n.y) == (0.0, 0.0) for n in workflow.nodes.values())




def test_align_left_and_top(triage):
    removed, kept = triage.node_by_name("Removed"), triage.node_by_name("Kept")
    kept.x = 530.0
    heights = {n: 100.0 for n in triage.nodes}
    assert align(triage, [removed.id, kept.id], "left", heights) == {removed.id: (500.0, -80.0), kept.id: (500.0, 80.0)}
    assert align(triage, [removed.id, kept.id], "top", heights)[kept.id] == (530.0, -80.0)


def test_align_from_the_window_needs_two_nodes(window):
    workflow = window.document.workflow
    window.view.canvas_scene.select_ids([workflow.node_by_name("Kept").id])
    count = window.undo_stack.count()
    window.align("left")
    assert window.undo_stack.count() == count
    assert "two or more" in window.statusBar().currentMessage()
