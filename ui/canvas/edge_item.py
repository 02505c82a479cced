"""An edge on the canvas: a smooth curve from a card's output port to another card's input, with an
arrow head and a label pill showing the branch's probability or condition.

Rules: the item holds the edge id and the two card items it joins; it recomputes its curve only when
the scene tells it one of its cards moved (so a drag updates only the edges of moved cards) and its
label when the model says the edge changed. It never writes to the model. The label sits at the
middle of the curve, or nearer its start when several edges converge on one card (the scene decides),
so the labels of converging edges do not pile up in front of that card.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ui.canvas import style

if TYPE_CHECKING:
    from flowmodel.workflow import Workflow
    from ui.canvas.node_item import NodeItem

LABEL_FONT = style.font(8.0)
ARROW_SIZE = 9.0
BACK_EDGE_DROP = 70.0


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
        self.refresh()

    def refresh(self) -> None:
        """Re-read the label from the model (probability, condition or branch name)."""
        edge = self.workflow.edges[self.edge_id]
        self._label = edge.describe()
        self.setToolTip(self._label or "edge")
        self.update_geometry()

    def update_geometry(self) -> None:
        """Recompute the curve from the current card positions."""
        self.prepareGeometryChange()
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
        painter.drawPolygon(self._arrow)
        if self._label:
            painter.setPen(QPen(style.EDGE_SELECTED if self.isSelected() else style.PILL_BORDER, 1))
            painter.setBrush(style.PILL_FILL)
            radius = self._label_rect.height() / 2
            painter.drawRoundedRect(self._label_rect, radius, radius)
            painter.setPen(style.CARD_TEXT)
            painter.setFont(LABEL_FONT)
            painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self._label)
