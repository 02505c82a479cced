"""Undo and redo of every command kind restore the model exactly (compared as serialized data)."""

from __future__ import annotations

from editor_helpers import canonical, snapshot
from PySide6.QtGui import QUndoStack

from flowmodel import Delay, Edge, Outcome
from ui.canvas.interactions.clipboard import fragment, fresh_copies
from ui.canvas.layout import auto_layout
from ui.commands import (
    AddEdgeCommand,
    AddNodeCommand,
    AlignCommand,
    AutoLayoutCommand,
    MoveNodesCommand,
    PasteCommand,
    RemoveEdgeCommand,
    RemoveNodesCommand,
    SetFieldCommand,
)


def _round_trip(workflow, command, compare=snapshot):
    """Push, undo, redo, undo: the model must match before/after exactly each time."""
    stack = QUndoStack()
    before = compare(workflow)
    stack.push(command)
    after = compare(workflow)
    assert after != before
    stack.undo()
    assert compare(workflow) == before
    stack.redo()
    assert compare(workflow) == after
    stack.undo()
    assert compare(workflow) == before


def test_add_node(triage):
    _round_trip(triage, AddNodeCommand(triage, Delay(name="Appeal window", x=40, y=200)))


def test_remove_nodes_restores_edges_and_team_stage_lists(triage):
    stage = triage.node_by_name("Tier 1")
    team = triage.team_by_name("Generalists")
    command = RemoveNodesCommand(triage, [stage.id, triage.node_by_name("Kept").id])
    stack = QUndoStack()
    before = canonical(triage)
    stack.push(command)
    assert stage.id not in triage.nodes and not triage.edges and team.stages == []
    stack.undo()
    assert canonical(triage) == before and team.stages == [stage.id]
    _round_trip(triage, RemoveNodesCommand(triage, [stage.id]), compare=canonical)


def test_move_nodes(triage):
    stage = triage.node_by_name("Tier 1")
    _round_trip(triage, MoveNodesCommand(triage, {stage.id: ((stage.x, stage.y), (400.0, 120.0))}))


def test_add_and_remove_edge(triage):
    source, kept = triage.node_by_name("User reports"), triage.node_by_name("Kept")
    _round_trip(triage, AddEdgeCommand(triage, Edge(source.id, kept.id, probability=0.0)))
    edge = next(iter(triage.edges.values()))
    _round_trip(triage, RemoveEdgeCommand(triage, edge.id), compare=canonical)


def test_paste(triage):
    nodes, edges = fresh_copies(fragment(triage, list(triage.nodes)), 40)
    _round_trip(triage, PasteCommand(triage, nodes, edges))


def test_auto_layout_and_align(triage):
    positions = auto_layout(triage, {n: 100.0 for n in triage.nodes})
    moves = {n: ((triage.nodes[n].x, triage.nodes[n].y), p) for n, p in positions.items()}
    _round_trip(triage, AutoLayoutCommand(triage, moves))
    removed, kept = triage.node_by_name("Removed"), triage.node_by_name("Kept")
    _round_trip(triage, AlignCommand(triage, {kept.id: ((kept.x, kept.y), (kept.x, removed.y + 200))}, "top"))


def test_set_field(triage):
    _round_trip(triage, SetFieldCommand(triage, triage.node_by_name("Tier 1").id, "handle_time.mean", 9.0))


def test_each_edit_in_the_window_is_one_undo_step_and_the_title_shows_unsaved_state(window):
    assert "*" not in window.windowTitle()
    window.undo_stack.push(AddNodeCommand(window.document.workflow, Outcome(name="Escalated")))
    assert window.windowTitle().startswith("triage.flow.json*")
    window.undo_stack.undo()
    assert "*" not in window.windowTitle()
