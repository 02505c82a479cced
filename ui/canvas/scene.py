"""The canvas scene: one card per node, one curve per edge, kept in step with the model's events.

Rules (after Orange's canvas): the scene subscribes to :class:`flowmodel.events.WorkflowEvents` in
:meth:`WorkflowScene.set_workflow` and keeps ``node_items``/``edge_items`` maps by id; it creates,
removes and redraws items when the model says so and never writes into the model. Edges are indexed
by node, so moving a card updates only the curves attached to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QLineF, QRectF, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene

from flowmodel.nodes import Edge, Node
from flowmodel.workflow import Workflow
from ui.canvas import style
from ui.canvas.edge_item import EdgeItem
from ui.canvas.node_item import NodeItem

SCENE_MARGIN = 1500.0
CONVERGING_LABEL_AT = 0.36


class WorkflowScene(QGraphicsScene):
    """Model ↔ items mapping for one workflow (see module rules)."""

    structure_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.workflow: Workflow | None = None
        self.node_items: dict[str, NodeItem] = {}
        self.edge_items: dict[str, EdgeItem] = {}
        self._edges_of: dict[str, set[str]] = defaultdict(set)
        self.snap_to_grid = True
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)

    # -- binding ---------------------------------------------------------------------------------
    def set_workflow(self, workflow: Workflow | None) -> None:
        """Show ``workflow`` (or nothing), replacing what was shown."""
        self._subscribe(False)
        self.clear()
        self.node_items.clear()
        self.edge_items.clear()
        self._edges_of.clear()
        self.workflow = workflow
        if workflow is not None:
            for node in workflow.nodes.values():
                self._add_node_item(node)
            for edge in workflow.edges.values():
                self._add_edge_item(edge)
            for node_id in workflow.nodes:
                self._place_labels(node_id)
            self._subscribe(True)
        self._fit_scene_rect()

    def _subscribe(self, on: bool) -> None:
        if self.workflow is None:
            return
        events = self.workflow.events
        pairs = ((events.node_added, self._on_node_added), (events.node_removed, self._on_node_removed),
                 (events.node_changed, self._on_node_changed), (events.edge_added, self._on_edge_added),
                 (events.edge_removed, self._on_edge_removed), (events.edge_changed, self._on_edge_changed),
                 (events.team_added, self._on_team_event), (events.team_removed, self._on_team_event),
                 (events.team_changed, self._on_team_event))
        for signal, slot in pairs:
            (signal.subscribe if on else signal.unsubscribe)(slot)

    # -- model events ----------------------------------------------------------------------------
    def _on_node_added(self, node: Node) -> None:
        self._add_node_item(node)
        self._fit_scene_rect()
        self.structure_changed.emit()

    def _on_node_removed(self, node: Node) -> None:
        item = self.node_items.pop(node.id, None)
        if item is not None:
            self.removeItem(item)
        self._edges_of.pop(node.id, None)
        self.structure_changed.emit()

    def _on_node_changed(self, node_id: str, path: str) -> None:
        item = self.node_items.get(node_id)
        if item is not None:
            item.refresh()
        if path == "name":
            for edge_id in self._edges_of.get(node_id, ()):
                self.edge_items[edge_id].refresh()
        elif path == "position":
            self._fit_scene_rect()

    def _on_edge_added(self, edge: Edge) -> None:
        self._add_edge_item(edge)
        self._place_labels(edge.target)
        self.structure_changed.emit()

    def _on_edge_removed(self, edge: Edge) -> None:
        item = self.edge_items.pop(edge.id, None)
        if item is not None:
            self.removeItem(item)
        for end in (edge.source, edge.target):
            self._edges_of.get(end, set()).discard(edge.id)
        self._place_labels(edge.target)
        self.structure_changed.emit()

    def _on_edge_changed(self, edge_id: str, path: str) -> None:
        item = self.edge_items.get(edge_id)
        if item is not None:
            item.refresh()

    def _on_team_event(self, *args: Any) -> None:
        """Team edits change which teams a stage card lists."""
        for item in self.node_items.values():
            if item.kind == "review_stage":
                item.refresh()

    # -- items -----------------------------------------------------------------------------------
    def _add_node_item(self, node: Node) -> NodeItem:
        assert self.workflow is not None
        item = NodeItem(self.workflow, node.id)
        self.node_items[node.id] = item
        self.addItem(item)
        return item

    def _add_edge_item(self, edge: Edge) -> EdgeItem:
        assert self.workflow is not None
        item = EdgeItem(self.workflow, edge.id, self.node_items[edge.source], self.node_items[edge.target])
        self.edge_items[edge.id] = item
        self._edges_of[edge.source].add(edge.id)
        self._edges_of[edge.target].add(edge.id)
        self.addItem(item)
        return item

    def _place_labels(self, target_id: str) -> None:
        """Labels of edges converging on one card move towards their own start."""
        incoming = [self.edge_items[e] for e in self._edges_of.get(target_id, ())
                    if e in self.edge_items and self.edge_items[e].target_item.node_id == target_id]
        label_at = CONVERGING_LABEL_AT if len(incoming) > 1 else 0.5
        for item in incoming:
            if item.label_at != label_at:
                item.label_at = label_at
                item.update_geometry()

    def node_item_moved(self, item: NodeItem) -> None:
        """Called by a card when it moved: redraw only its edges."""
        for edge_id in self._edges_of.get(item.node_id, ()):
            edge_item = self.edge_items.get(edge_id)
            if edge_item is not None:
                edge_item.update_geometry()

    def _fit_scene_rect(self) -> None:
        """Room to pan around the drawing (Qt's own scene rect only ever grows)."""
        bounds = self.itemsBoundingRect() if self.node_items else QRectF(0, 0, 800, 600)
        self.setSceneRect(bounds.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN))

    # -- selection -------------------------------------------------------------------------------
    def selected_node_ids(self) -> list[str]:
        """Selected nodes in model order, so copies and commands are deterministic."""
        selected = {i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)}
        return [node_id for node_id in self.node_items if node_id in selected]

    def selected_edge_ids(self) -> list[str]:
        selected = {i.edge_id for i in self.selectedItems() if isinstance(i, EdgeItem)}
        return [edge_id for edge_id in self.edge_items if edge_id in selected]

    def select_ids(self, ids: Iterable[str]) -> None:
        """Select exactly the nodes and edges with these ids."""
        wanted = set(ids)
        self.clearSelection()
        for item_id in wanted:
            item = self.node_items.get(item_id) or self.edge_items.get(item_id)
            if item is not None:
                item.setSelected(True)

    def mark_issues(self, levels: dict[str, tuple[str, str]]) -> None:
        """Mark cards by ``{node_id: (severity, message)}``; unmarked cards are cleared."""
        for node_id, item in self.node_items.items():
            level, text = levels.get(node_id, (None, ""))
            item.set_issue_level(level, text)

    # -- background ------------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, style.CANVAS_BACKGROUND)
        scale = painter.worldTransform().m11()
        step = style.GRID if scale >= 0.6 else style.GRID * 5
        left = int(rect.left()) - int(rect.left()) % step
        top = int(rect.top()) - int(rect.top()) % step
        minor, major = [], []
        x = left
        while x < rect.right():
            (major if x % (style.GRID * 5) == 0 else minor).append(QLineF(x, rect.top(), x, rect.bottom()))
            x += step
        y = top
        while y < rect.bottom():
            (major if y % (style.GRID * 5) == 0 else minor).append(QLineF(rect.left(), y, rect.right(), y))
            y += step
        painter.setPen(QPen(style.GRID_MINOR, 0))
        painter.drawLines(minor)
        painter.setPen(QPen(style.GRID_MAJOR, 0))
        painter.drawLines(major)
