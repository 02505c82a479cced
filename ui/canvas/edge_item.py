"""An edge on the canvas: a smooth curve from a card's output port to another card's input, with an
arrow head and a label pill showing the branch's probability or condition.

Rules: the item holds the edge id and the two card items it joins; it recomputes its curve only when
the scene tells it one of its cards moved (so a drag updates only the edges of moved cards) and its
label when the model says the edge changed. It never writes to the model. The label sits at the
middle of the curve, or nearer its start when several edges converge on one card (the scene decides),
so the labels of converging edges do not pile up in front of that card.

The label pill is a separate item (:class:`EdgeLabel`) stacked above every card (``LABEL_Z``), so a label is
never hidden behind a card the curve passes under; it takes no clicks (they reach the edge or the card
beneath, as before). In scenario mode the label shows the scenario's value (the overlay's shown workflow) with
an amber border where the scenario changes it; every edge follows the scenario mode's ``changed`` signal.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from ui.canvas import style

if TYPE_CHECKING:
    from flowmodel.workflow import Workflow
    from ui.canvas.node_item import NodeItem

LABEL_FONT = style.font(10.0)  # read beside 11.5 pt card text at zoom-to-fit
ARROW_SIZE = 9.0
BACK_EDGE_DROP = 70.0
LABEL_Z = 2.0  # above cards (0) and the selected card (1)
SCENARIO_BORDER = QColor("#e0a100")


def curve_between(start: QPointF, end: QPointF) -> QPainterPath:
    """A cubic curve leaving ``start`` to the right and entering ``end`` from the left; edges that go
    backwards (loops such as re-review) bend below the cards instead of cutting through them."""
    path = QPainterPath(start)
    dx = max(50.0, abs(end.x() - start.x()) * 0.45)
    if end.x() >= start.x() + 20:
        path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
    else:
        drop = max(start.y(), end.y()) + BACK_EDGE_DROP
        path.cubicTo(QPointF(start.x() + 120, drop), QPointF(end.x() - 120, drop), end)
    return path


class _ScenarioFollower(QObject):
    """Refreshes a scene's edge labels when the scenario mode changes (one per scene, a child of it, so the
    connection ends with the scene)."""

    def __init__(self, scene: QGraphicsScene) -> None:
        super().__init__(scene)
        self.scene = scene

    def refresh(self) -> None:
        for item in list(getattr(self.scene, "edge_items", {}).values()):
            if item.scene() is self.scene:
                item.refresh()


def _follow_scenario_mode(scene: QGraphicsScene | None) -> None:
    overlay = getattr(scene, "overlay", None)
    mode = getattr(overlay, "mode", None)
    if scene is None or mode is None or getattr(scene, "_edge_label_follower", None) is not None:
        return
    follower = _ScenarioFollower(scene)
    scene._edge_label_follower = follower  # type: ignore[attr-defined]
    mode.changed.connect(follower.refresh)


class EdgeLabel(QGraphicsItem):
    """The label pill of one edge, drawn above the cards (see module rules)."""

    def __init__(self, edge_item: EdgeItem) -> None:
        super().__init__()
        self.edge_item = edge_item
        self.setZValue(LABEL_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)

    def boundingRect(self) -> QRectF:
        return self.edge_item.label_rect().adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never hit: clicks reach the edge or the card beneath

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        edge = self.edge_item
        if not edge.label_text():
            return
        rect = edge.label_rect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = style.EDGE_SELECTED if edge.isSelected() else SCENARIO_BORDER if edge.scenario_changed \
            else style.PILL_BORDER
        painter.setPen(QPen(border, 1.6 if edge.scenario_changed else 1))
        painter.setBrush(style.PILL_FILL)
        radius = rect.height() / 2
        painter.drawRoundedRect(rect, radius, radius)
        painter.setPen(style.CARD_TEXT)
        painter.setFont(LABEL_FONT)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, edge.label_text())


class EdgeItem(QGraphicsItem):
    """The drawing of one edge (see module rules)."""

    def __init__(self, workflow: Workflow, edge_id: str, source: NodeItem, target: NodeItem) -> None:
        super().__init__()
        self.workflow = workflow
        self.edge_id = edge_id
        self.source_item = source
        self.target_item = target
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(-1)
        self._path = QPainterPath()
        self._arrow = QPolygonF()
        self._label = ""
        self._label_rect = QRectF()
        self._bounds = QRectF()
        self.label_at = 0.5
        self.scenario_changed = False
        self.label_item = EdgeLabel(self)
        self.refresh()
        self.update_geometry()

    def shown_edge(self) -> Any:
        """The edge as the canvas shows it: the scenario's version in scenario mode, else the model's."""
        edge = self.workflow.edges.get(self.edge_id)
        overlay = getattr(self.scene(), "overlay", None)
        shown = overlay.shown_workflow(self.workflow) if overlay is not None else self.workflow
        return shown.edges.get(self.edge_id, edge) if shown is not None else edge

    def refresh(self) -> None:
        """Re-read the label from the model (probability, condition or branch name), as the scenario has it."""
        _follow_scenario_mode(self.scene())
        edge = self.workflow.edges.get(self.edge_id)
        if edge is None:
            return
        shown = self.shown_edge()
        label = shown.describe()
        self.scenario_changed = shown is not edge and shown.describe() != edge.describe()
        tip = f"{label} (baseline: {edge.describe() or 'none'})" if self.scenario_changed else label
        self.setToolTip(tip or "edge")
        if label != self._label:
            self._label = label
            self.update_geometry()
        self.label_item.update()

    def label_text(self) -> str:
        return self._label

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        """Keep the label item in the edge's scene, and repaint it when the edge's selection changes."""
        if change == QGraphicsItem.GraphicsItemChange.ItemSceneChange:
            old = self.scene()
            if old is not None and self.label_item.scene() is old:
                old.removeItem(self.label_item)
        elif change == QGraphicsItem.GraphicsItemChange.ItemSceneHasChanged:
            scene = self.scene()
            if scene is not None:
                scene.addItem(self.label_item)
                self.refresh()
        elif change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.label_item.update()
        return super().itemChange(change, value)

    def update_geometry(self) -> None:
        """Recompute the curve from the current card positions."""
        self.prepareGeometryChange()
        self.label_item.prepareGeometryChange()
        start, end = self.source_item.output_anchor(), self.target_item.input_anchor()
        self._path = curve_between(start, end)
        tip = end
        angle = math.atan2(end.y() - self._path.pointAtPercent(0.97).y(), end.x() - self._path.pointAtPercent(0.97).x())
        left = QPointF(tip.x() - ARROW_SIZE * math.cos(angle - 0.45), tip.y() - ARROW_SIZE * math.sin(angle - 0.45))
        right = QPointF(tip.x() - ARROW_SIZE * math.cos(angle + 0.45), tip.y() - ARROW_SIZE * math.sin(angle + 0.45))
        self._arrow = QPolygonF([tip, left, right])
        if self._label:
            metrics = QFontMetricsF(LABEL_FONT)
            width, height = metrics.horizontalAdvance(self._label) + 14, metrics.height() + 6
            mid = self._path.pointAtPercent(self.label_at)
            self._label_rect = QRectF(mid.x() - width / 2, mid.y() - height / 2, width, height)
        else:
            self._label_rect = QRectF()
        self.label_item.update()
        self._bounds = self._path.boundingRect().united(self._arrow.boundingRect()).united(
            self._label_rect).adjusted(-4, -4, 4, 4)

    def label_rect(self) -> QRectF:
        return QRectF(self._label_rect)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        shape = stroker.createStroke(self._path)
        if self._label:
            shape.addRect(self._label_rect)
        return shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        colour = style.EDGE_SELECTED if self.isSelected() else style.EDGE_COLOUR
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 2.2 if self.isSelected() else 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(self._arrow)  # the label pill is drawn by EdgeLabel, above the cards
