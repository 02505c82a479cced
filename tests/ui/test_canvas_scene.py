"""The scene follows the model: one card per node, one curve per edge, redrawn from model events."""

from __future__ import annotations

from flowmodel import Edge, Outcome, SlaTarget
from ui.canvas.node_summary import key_lines
from ui.commands import SetFieldCommand


def test_scene_has_a_card_per_node_and_a_curve_per_edge(window):
    scene, workflow = window.view.canvas_scene, window.document.workflow
    assert set(scene.node_items) == set(workflow.nodes)
    assert set(scene.edge_items) == set(workflow.edges)
    for node_id, item in scene.node_items.items():
        assert (item.pos().x(), item.pos().y()) == (workflow.nodes[node_id].x, workflow.nodes[node_id].y)


def test_cards_show_key_numbers_per_kind(window):
    workflow = window.document.workflow
    stage = workflow.node_by_name("Tier 1")
    stage.sla.append(SlaTarget("P1", 24, "h", 0.9))
    lines = key_lines(workflow, stage)
    assert lines == ["handle avg 5 min", "team: Generalists", "SLA P1: 90% ≤ 24 h"]
    assert key_lines(workflow, workflow.node_by_name("User reports")) == ["60 items/h", "flat profile", "1 category"]
    assert key_lines(workflow, workflow.node_by_name("Kept")) == ["label: kept"]


def test_model_edits_redraw_items_and_never_the_reverse(window):
    scene, workflow = window.view.canvas_scene, window.document.workflow
    stage = workflow.node_by_name("Tier 1")
    window.undo_stack.push(SetFieldCommand(workflow, stage.id, "name", "Tier one"))
    assert scene.node_items[stage.id]._name == "Tier one"
    edge = next(e for e in workflow.edges.values() if e.label == "keep")
    window.undo_stack.push(SetFieldCommand(workflow, edge.id, "probability", 0.65))
    assert scene.edge_items[edge.id]._label == "keep 65%"
    before = (stage.x, stage.y)
    scene.node_items[stage.id].setPos(1000, 1000)
    assert (stage.x, stage.y) == before, "moving an item must not write into the model"


def test_nodes_and_edges_added_or_removed_in_the_model_appear_and_disappear(window):
    scene, workflow = window.view.canvas_scene, window.document.workflow
    extra = workflow.add_node(Outcome(name="Escalated", x=600, y=300))
    edge = workflow.add_edge(Edge(workflow.node_by_name("Tier 1").id, extra.id, probability=0.0))
    assert extra.id in scene.node_items and edge.id in scene.edge_items
    workflow.remove_node(extra.id)
    assert extra.id not in scene.node_items and edge.id not in scene.edge_items
    assert all(item.scene() is scene for item in scene.node_items.values())


def test_moving_a_card_updates_only_its_edges(window):
    scene, workflow = window.view.canvas_scene, window.document.workflow
    source = workflow.node_by_name("User reports")
    attached = next(e for e in workflow.edges.values() if e.source == source.id)
    other = next(e for e in workflow.edges.values() if e.source != source.id)
    other_path = scene.edge_items[other.id]._path
    item = scene.node_items[source.id]
    item.setPos(item.pos().x(), item.pos().y() + 200)
    path = scene.edge_items[attached.id]._path
    assert path.pointAtPercent(0).y() == item.output_anchor().y()
    assert scene.edge_items[other.id]._path is other_path


def test_cards_with_errors_are_marked(window):
    scene = window.view.canvas_scene
    node_id = next(iter(scene.node_items))
    scene.mark_issues({node_id: ("error", "broken")})
    assert scene.node_items[node_id].issue_level == "error"
    scene.mark_issues({})
    assert scene.node_items[node_id].issue_level is None


def test_a_selected_card_is_drawn_above_overlapping_cards(window):
    scene = window.view.canvas_scene
    item = scene.node_items[window.document.workflow.node_by_name("Tier 1").id]
    scene.select_ids([item.node_id])
    assert item.zValue() > 0
    scene.clearSelection()
    assert item.zValue() == 0
