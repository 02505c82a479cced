"""Connect gesture: drag from a card's output port and release on another card to add an edge.

Rules for a connection (refused with a reason the status bar shows): not into a source, not out of an
outcome, not a node to itself, not twice between the same two nodes, and a delay has one successor.
A new edge takes the share of items not yet routed (1 − the other outgoing probabilities), so the
first edge out of a node carries everything; attribute routers get an "otherwise" edge first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsPathItem

from flowmodel.nodes import Condition, Edge, Router
from flowmodel.workflow import Workflow
from ui.canvas import style
from ui.canvas.edge_item import curve_between
from ui.canvas.node_item import NodeItem, PortItem
from ui.commands import AddEdgeCommand

if TYPE_CHECKING:
    from ui.canvas.view import CanvasView


def connection_refusal(workflow: Workflow, source_id: str, target_id: str) -> str | None:
    """Why ``source_id`` → ``target_id`` cannot be connected, or None if it can."""
    source, target = workflow.nodes[source_id], workflow.nodes[target_id]
    if source_id == target_id:
        return f"Cannot connect {source.name!r} to itself."
    if source.kind == "outcome":
        return f"{source.name!r} is an outcome: items end there, so it has no outgoing connections."
    if target.kind == "source":
        return f"{target.name!r} is a source: items start there, so nothing can flow into it."
    if any(e.target == target_id for e in workflow.outgoing(source_id)):
        return f"{source.name!r} is already connected to {target.name!r}."
    if source.kind == "delay" and workflow.outgoing(source_id):
        return f"{source.name!r} is a delay: it passes every item to a single next step."
    return None


def new_edge(workflow: Workflow, source_id: str, target_id: str) -> Edge:
    """The edge a connect gesture adds (see module rules for its routing)."""
    source = workflow.nodes[source_id]
    existing = workflow.outgoing(source_id)
    if isinstance(source, Router) and source.mode == "attribute":
        if not any(e.otherwise for e in existing):
            return Edge(source_id, target_id, otherwise=True)
        return Edge(source_id, target_id, condition=Condition(attribute=source.attribute, values=[]))
    if source.kind == "delay":
        return Edge(source_id, target_id)
    routed = sum(e.probability or 0.0 for e in existing)
    return Edge(source_id, target_id, probability=round(max(0.0, 1.0 - routed), 9))


class ConnectDrag:
    """Draws a dashed rubber curve from the port to the cursor; on release connects or explains why not."""

    def __init__(self, view: CanvasView, port: PortItem) -> None:
        self.view = view
        self.source_id = port.node_id
        self.start = port.node_item.output_anchor()
        self.preview = QGraphicsPathItem()
        pen = QPen(style.SELECTION, 1.8, Qt.PenStyle.DashLine)
        self.preview.setPen(pen)
        self.preview.setZValue(10)
        view.scene().addItem(self.preview)

    def move(self, scene_pos: QPointF) -> None:
        self.preview.setPath(curve_between(self.start, scene_pos))

    def finish(self, scene_pos: QPointF) -> None:
        self.cancel()
        target = self._node_at(scene_pos)
        workflow = self.view.workflow
        if target is None or workflow is None:
            self.view.show_status("Release on a node to connect.")
            return
        reason = connection_refusal(workflow, self.source_id, target.node_id)
        if reason is not None:
            self.view.show_status(f"Connection refused: {reason}")
            return
        self.view.undo_stack.push(AddEdgeCommand(workflow, new_edge(workflow, self.source_id, target.node_id)))
        self.view.show_status(f"Connected {workflow.nodes[self.source_id].name!r} → "
                              f"{workflow.nodes[target.node_id].name!r}.")

    def cancel(self) -> None:
        if self.preview.scene() is not None:
            self.preview.scene().removeItem(self.preview)

    def _node_at(self, scene_pos: QPointF) -> NodeItem | None:
        for item in self.view.scene().items(scene_pos):
            if isinstance(item, PortItem):
                return item.node_item
            if isinstance(item, NodeItem):
                return item
        return None
