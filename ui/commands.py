"""Undoable edits of the workflow: every user edit is one of these on the document's QUndoStack.

Commands change only the model (through :class:`flowmodel.workflow.Workflow`'s API); the canvas and
panels redraw from the model's change notifications. Consecutive edits of the same field merge into
one undo step, so typing "120" is one step, not three.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtGui import QUndoCommand

from flowmodel.errors import ModelError
from flowmodel.nodes import Edge, Node
from flowmodel.paths import get_path
from flowmodel.workflow import Workflow

SET_FIELD_ID = 1001
Point = tuple[float, float]


class SetFieldCommand(QUndoCommand):
    """Set one field of a node, edge or team by path (see flowmodel.paths)."""

    def __init__(self, workflow: Workflow, item_id: str, path: str, value: Any, text: str = "") -> None:
        super().__init__(text or f"Change {path}")
        self.workflow = workflow
        self.item_id = item_id
        self.path = path
        self.value = copy.deepcopy(value)
        self.previous = copy.deepcopy(workflow.get_field(item_id, path))

    def id(self) -> int:
        return SET_FIELD_ID

    def redo(self) -> None:
        self._write(self.value)

    def undo(self) -> None:
        self._write(self.previous)

    def _write(self, value: Any) -> None:
        if value is None:
            unset_field(self.workflow, self.item_id, self.path)
        else:
            self.workflow.set_field(self.item_id, self.path, copy.deepcopy(value))

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetFieldCommand):
            return False
        if (other.item_id, other.path) != (self.item_id, self.path):
            return False
        self.value = copy.deepcopy(other.value)
        return True


def unset_field(workflow: Workflow, item_id: str, path: str) -> None:
    """Write ``None`` at ``path`` (an optional field left unset: an edge's probability once its branch is split by
    truth or decided by accuracy, or before it was first given) and announce it as :meth:`Workflow.set_field` does.
    Field paths keep numbers numbers, so ``set_field`` refuses ``None`` for them; undoing the first value typed into
    such a field must still put ``None`` back."""
    item = workflow.find(item_id)
    if item is None:
        raise ModelError(f"no node, edge or team with id {item_id}")
    parent_path, _, name = path.rpartition(".")
    parent = get_path(item, parent_path) if parent_path else item
    if isinstance(parent, dict):
        parent[name] = None
    else:
        setattr(parent, name, None)
    changed = workflow.events.node_changed if item_id in workflow.nodes else \
        workflow.events.edge_changed if item_id in workflow.edges else workflow.events.team_changed
    changed.emit(item_id, path)
    workflow.events.changed.emit()


class AddNodeCommand(QUndoCommand):
    """Add one node (dropped from the palette)."""

    def __init__(self, workflow: Workflow, node: Node, text: str = "") -> None:
        super().__init__(text or f"Add {node.name or node.kind}")
        self.workflow = workflow
        self.node = copy.deepcopy(node)

    def redo(self) -> None:
        self.workflow.add_node(copy.deepcopy(self.node))

    def undo(self) -> None:
        self.workflow.remove_node(self.node.id)


class RemoveNodesCommand(QUndoCommand):
    """Remove nodes with their edges and their place in team stage lists; undo restores all of it.

    Nodes are removed one by one and restored in reverse order, so an edge between two removed nodes
    comes back with the node removed first, when its other end already exists again.
    """

    def __init__(self, workflow: Workflow, node_ids: list[str], text: str = "") -> None:
        super().__init__(text or (f"Delete {len(node_ids)} nodes" if len(node_ids) != 1 else "Delete node"))
        self.workflow = workflow
        self.node_ids = list(node_ids)
        self.removed: list[tuple[Node, list[Edge], dict[str, int]]] = []

    def redo(self) -> None:
        self.removed = [self.workflow.remove_node(node_id) for node_id in self.node_ids]

    def undo(self) -> None:
        for node, edges, positions in reversed(self.removed):
            self.workflow.restore_node(node, edges, positions)
        self.removed = []


class MoveNodesCommand(QUndoCommand):
    """Move nodes to new positions: one command per drag (pushed on mouse release), layout or align."""

    def __init__(self, workflow: Workflow, moves: dict[str, tuple[Point, Point]], text: str = "") -> None:
        super().__init__(text or (f"Move {len(moves)} nodes" if len(moves) != 1 else "Move node"))
        self.workflow = workflow
        self.moves = dict(moves)

    def redo(self) -> None:
        for node_id, (_, after) in self.moves.items():
            self.workflow.move_node(node_id, *after)

    def undo(self) -> None:
        for node_id, (before, _) in self.moves.items():
            self.workflow.move_node(node_id, *before)


class AutoLayoutCommand(MoveNodesCommand):
    """Auto-layout is a move of every node, undone in one step."""

    def __init__(self, workflow: Workflow, moves: dict[str, tuple[Point, Point]]) -> None:
        super().__init__(workflow, moves, "Auto-layout")


class AlignCommand(MoveNodesCommand):
    """Align the selected nodes along one edge or centre line, undone in one step."""

    def __init__(self, workflow: Workflow, moves: dict[str, tuple[Point, Point]], how: str) -> None:
        super().__init__(workflow, moves, f"Align {how}")


class AddEdgeCommand(QUndoCommand):
    """Connect two nodes (a port-to-node drag)."""

    def __init__(self, workflow: Workflow, edge: Edge, text: str = "Connect") -> None:
        super().__init__(text)
        self.workflow = workflow
        self.edge = copy.deepcopy(edge)

    def redo(self) -> None:
        self.workflow.add_edge(copy.deepcopy(self.edge))

    def undo(self) -> None:
        self.workflow.remove_edge(self.edge.id)


class RemoveEdgeCommand(QUndoCommand):
    """Disconnect: remove one edge, undo puts the same edge (same id and routing) back."""

    def __init__(self, workflow: Workflow, edge_id: str, text: str = "Disconnect") -> None:
        super().__init__(text)
        self.workflow = workflow
        self.edge = copy.deepcopy(workflow.edges[edge_id])

    def redo(self) -> None:
        self.workflow.remove_edge(self.edge.id)

    def undo(self) -> None:
        self.workflow.add_edge(copy.deepcopy(self.edge))


class PasteCommand(QUndoCommand):
    """Add copied nodes and the edges between them (already given fresh ids by the clipboard)."""

    def __init__(self, workflow: Workflow, nodes: list[Node], edges: list[Edge], text: str = "Paste") -> None:
        super().__init__(text)
        self.workflow = workflow
        self.nodes = copy.deepcopy(nodes)
        self.edges = copy.deepcopy(edges)

    def redo(self) -> None:
        for node in self.nodes:
            self.workflow.add_node(copy.deepcopy(node))
        for edge in self.edges:
            self.workflow.add_edge(copy.deepcopy(edge))

    def undo(self) -> None:
        for edge in reversed(self.edges):
            self.workflow.remove_edge(edge.id)
        for node in reversed(self.nodes):
            self.workflow.remove_node(node.id)


class RenameWorkflowCommand(QUndoCommand):
    """Rename the workflow (its name titles the window, the workspace's workflow list and every export)."""

    def __init__(self, workflow: Workflow, name: str) -> None:
        super().__init__(f"Rename workflow to “{name}”")
        self.workflow = workflow
        self.name = name
        self.previous = workflow.name

    def redo(self) -> None:
        self._set(self.name)

    def undo(self) -> None:
        self._set(self.previous)

    def _set(self, name: str) -> None:
        self.workflow.name = name  # Workflow has no setter for its name; a rename is not a simulated change
        self.workflow.events.changed.emit()
