"""A node on the canvas: a rounded card with a coloured header per kind, its name and key numbers.

Rules: the item holds the node's id and reads the model only to draw; it never writes to the model.
Qt moves the item while the user drags (view state); the drag becomes one MoveNodesCommand on release,
and the model's ``node_changed(id, "position")`` then puts the item where the model says.
Snapping to the grid applies to the user's drags only: the model's position is always shown exactly.
Sources have no input port, outcomes no output port.
Text wraps to the card's width (:mod:`ui.canvas.card_text`) and the card grows to fit it; ``elided`` says
whether anything still had to be shortened, and the tooltip always has the full detail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from flowmodel.nodes import Node
from ui.canvas import style
from ui.canvas.card_text import wrap
from ui.canvas.glyphs import draw_glyph
from ui.canvas.node_summary import key_lines, tooltip_lines
from ui.canvas.overlay import BADGE_OVERHANG, PILL_SPACE, overlay_of

if TYPE_CHECKING:
    from flowmodel.workflow import Workflow

NAME_FONT = style.font(style.NAME_POINTS, bold=True)
KEY_FONT = style.font(style.KEY_POINTS)
HEADER_FONT = style.font(style.HEADER_POINTS, bold=True)
TEXT_LEFT = style.BODY_PADDING + 2
TEXT_WIDTH = style.NODE_WIDTH - 2 * style.BODY_PADDING - 4
KEY_ROWS = 3          # a key line may wrap this far before it is shortened (the tooltip has it in full)


def card_height(line_count: int, name_rows: int = 1) -> float:
    """Card height for ``line_count`` key rows under ``name_rows`` name rows, rounded up to the grid so
    snapped cards align."""
    raw = (style.HEADER_HEIGHT + style.BODY_PADDING + name_rows * style.NAME_LINE_HEIGHT
           + line_count * style.LINE_HEIGHT + style.BODY_PADDING)
    return float(-(-raw // style.GRID) * style.GRID)


class PortItem(QGraphicsEllipseItem):
    """The output port on the right of a card: dragging from it starts a connection."""

    def __init__(self, parent: NodeItem) -> None:
        r = style.PORT_RADIUS
        super().__init__(-r, -r, 2 * r, 2 * r, parent)
        self.node_item = parent
        self.setBrush(QBrush(style.kind_style(parent.kind).colour))
        self.setPen(QPen(QColor("#ffffff"), 2))
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip("Drag to a node to connect")
        self.setAcceptHoverEvents(True)

    @property
    def node_id(self) -> str:
        return self.node_item.node_id


class NodeItem(QGraphicsItem):
    """The card of one node (see module rules)."""

    def __init__(self, workflow: Workflow, node_id: str) -> None:
        super().__init__()
        self.workflow = workflow
        self.node_id = node_id
        node = workflow.nodes[node_id]
        self.kind = node.kind
        self.issue_level: str | None = None
        self._following_model = False
        self._name = ""
        self._name_rows: tuple[str, ...] = ()
        self._lines: list[str] = []
        self.elided = False
        self._details = ""
        self._issue_text = ""
        self._height = card_height(0)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.port = PortItem(self) if self.kind != "outcome" else None
        self.refresh()

    # -- model → item ----------------------------------------------------------------------------
    @property
    def node(self) -> Node:
        return self.workflow.nodes[self.node_id]

    def refresh(self) -> None:
        """Redraw from the model (as the canvas overlay shows it, e.g. a scenario's values): text, size, position."""
        node = self.node
        overlay = overlay_of(self.scene())
        shown = overlay.shown_workflow(self.workflow) if overlay is not None else self.workflow
        shown_node = shown.nodes.get(self.node_id, node)
        self._name = node.name or style.kind_style(self.kind).title
        name = wrap(self._name, QFontMetricsF(NAME_FONT), TEXT_WIDTH)
        keys = [wrap(line, QFontMetricsF(KEY_FONT), TEXT_WIDTH, KEY_ROWS) for line in key_lines(shown, shown_node)]
        self._name_rows = name.rows
        self._lines = [row for wrapped in keys for row in wrapped.rows]
        self.elided = name.elided or any(wrapped.elided for wrapped in keys)
        height = card_height(len(self._lines), len(self._name_rows))
        if height != self._height:
            self.prepareGeometryChange()
            self._height = height
        if self.port is not None:
            self.port.setPos(style.NODE_WIDTH, self._height / 2)
        self._details = "\n".join(tooltip_lines(shown, shown_node))
        self.setToolTip(self._tooltip())
        if (self.pos().x(), self.pos().y()) != (node.x, node.y):
            self._following_model = True
            self.setPos(node.x, node.y)
            self._following_model = False
        self.update()

    def set_issue_level(self, level: str | None, text: str = "") -> None:
        """Mark the card for validation errors ("error") or warnings ("warning")."""
        if level != self.issue_level:
            self.issue_level = level
            self.update()
        self._issue_text = text
        self.setToolTip(self._tooltip())

    def _tooltip(self) -> str:
        """Kind and full name, every detail the card shortens, then any validation message."""
        parts = [f"{style.kind_style(self.kind).title}: {self._name}", self._details, self._issue_text]
        return "\n".join(part for part in parts if part)

    def text_rows(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The name rows and key rows as drawn (after wrapping), for checks of what the card shows."""
        return self._name_rows, tuple(self._lines)

    # -- geometry ----------------------------------------------------------------------------------
    @property
    def height(self) -> float:
        return self._height

    def card_rect(self) -> QRectF:
        return QRectF(0, 0, style.NODE_WIDTH, self._height)

    def output_anchor(self) -> QPointF:
        return self.mapToScene(QPointF(style.NODE_WIDTH + style.PORT_RADIUS, self._height / 2))

    def input_anchor(self) -> QPointF:
        return self.mapToScene(QPointF(-4, self._height / 2))

    def boundingRect(self) -> QRectF:
        side = BADGE_OVERHANG + 2
        return QRectF(-side, -12, style.NODE_WIDTH + 2 * side, self._height + 12 + PILL_SPACE)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.card_rect(), style.CORNER_RADIUS, style.CORNER_RADIUS)
        return path

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        scene = self.scene()
        snapping = getattr(scene, "snap_to_grid", False) and not self._following_model
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and snapping:
            g = style.GRID
            return QPointF(round(value.x() / g) * g, round(value.y() / g) * g)
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged and scene is not None:
            scene.node_item_moved(self)
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(1.0 if value else 0.0)
        return super().itemChange(change, value)

    # -- drawing ---------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        kind = style.kind_style(self.kind)
        rect = self.card_rect()
        radius = style.CORNER_RADIUS
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 28))
        painter.drawRoundedRect(rect.translated(0, 2), radius, radius)
        painter.setBrush(style.CARD_FILL)
        painter.drawRoundedRect(rect, radius, radius)
        header = QPainterPath()
        header.addRoundedRect(rect, radius, radius)
        clip = QPainterPath()
        clip.addRect(QRectF(0, 0, rect.width(), style.HEADER_HEIGHT))
        painter.setBrush(kind.colour)
        painter.drawPath(header.intersected(clip))
        glyph = (style.HEADER_HEIGHT - 14) / 2
        draw_glyph(painter, self.kind, QRectF(10, glyph, 14, 14), QColor("#ffffff"))
        painter.setPen(QColor("#ffffff"))
        painter.setFont(HEADER_FONT)
        painter.drawText(QRectF(32, 0, rect.width() - 60, style.HEADER_HEIGHT),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, kind.title.upper())
        self._paint_body(painter, rect)
        self._paint_border(painter, rect)
        overlay = overlay_of(self.scene())
        if overlay is not None:
            overlay.paint_card(painter, self, rect)
        if self.kind != "source":
            painter.setPen(QPen(style.CARD_BORDER, 1.5))
            painter.setBrush(style.CARD_FILL)
            painter.drawEllipse(QPointF(0, self._height / 2), 4, 4)

    def _paint_body(self, painter: QPainter, rect: QRectF) -> None:
        """Rows were wrapped to ``TEXT_WIDTH`` in :meth:`refresh`; drawing adds no elision of its own."""
        top = style.HEADER_HEIGHT + style.BODY_PADDING
        painter.setPen(style.CARD_TEXT)
        painter.setFont(NAME_FONT)
        for i, row in enumerate(self._name_rows):
            box = QRectF(TEXT_LEFT, top + i * style.NAME_LINE_HEIGHT, TEXT_WIDTH + 4, style.NAME_LINE_HEIGHT)
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, row)
        top += len(self._name_rows) * style.NAME_LINE_HEIGHT
        painter.setFont(KEY_FONT)
        painter.setPen(style.CARD_MUTED)
        for i, row in enumerate(self._lines):
            box = QRectF(TEXT_LEFT, top + i * style.LINE_HEIGHT, TEXT_WIDTH + 4, style.LINE_HEIGHT)
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, row)

    def _paint_border(self, painter: QPainter, rect: QRectF) -> None:
        radius = style.CORNER_RADIUS
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.isSelected():
            painter.setPen(QPen(style.SELECTION, 2.5))
        elif self.issue_level == "error":
            painter.setPen(QPen(style.ERROR, 2.0))
        elif self.issue_level == "warning":
            painter.setPen(QPen(style.WARNING, 2.0))
        else:
            painter.setPen(QPen(style.CARD_BORDER, 1.0))
        painter.drawRoundedRect(rect, radius, radius)
        if self.issue_level is not None:
            colour = style.ERROR if self.issue_level == "error" else style.WARNING
            centre = QPointF(rect.width() - 14, style.HEADER_HEIGHT / 2)
            painter.setPen(QPen(QColor("#ffffff"), 1.5))
            painter.setBrush(colour)
            painter.drawEllipse(centre, 8, 8)
            painter.setFont(HEADER_FONT)
            painter.drawText(QRectF(centre.x() - 8, centre.y() - 8, 16, 16), Qt.AlignmentFlag.AlignCenter, "!")
