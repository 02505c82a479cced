"""The node palette: one entry per node kind, dragged onto the canvas (or double-clicked) to add one.

Rule: the palette only starts drags carrying the kind under NODE_KIND_MIME; the canvas decides where
the node goes and pushes the command.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem

from flowmodel.nodes import NODE_KINDS
from ui.canvas import style
from ui.canvas.glyphs import draw_glyph
from ui.canvas.interactions.drop_node import NODE_KIND_MIME

HINTS = {
    "source": "Arrivals: reports or flagged content per hour",
    "classifier": "Automation that routes items by probability",
    "review_stage": "A queue worked by staffed teams",
    "router": "Split by language, category, priority or probability",
    "delay": "A wait: appeal window, user reply",
    "outcome": "Where an item's journey ends",
}
KIND_ROLE = Qt.ItemDataRole.UserRole


def kind_icon(kind: str, size: int = 28) -> QIcon:
    """A rounded square in the kind's colour with its glyph, as on the card header."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    look = style.kind_style(kind)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(look.colour)
    painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), 6, 6)
    inset = size * 0.22
    draw_glyph(painter, kind, QRectF(inset, inset, size - 2 * inset, size - 2 * inset), QColor("#ffffff"))
    painter.end()
    return QIcon(pixmap)


class NodePalette(QListWidget):
    """List of node kinds (see module rules)."""

    kind_activated = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QListWidget.DragDropMode.DragOnly)
        self.setIconSize(QSize(28, 28))
        self.setSpacing(2)
        self.setViewMode(QListView.ViewMode.ListMode)
        for kind in NODE_KINDS:
            item = QListWidgetItem(kind_icon(kind), style.kind_style(kind).title)
            item.setData(KIND_ROLE, kind)
            item.setToolTip(f"{HINTS[kind]}. Drag onto the canvas, or double-click.")
            self.addItem(item)
        self.itemDoubleClicked.connect(lambda item: self.kind_activated.emit(item.data(KIND_ROLE)))

    def mime_for(self, kind: str) -> QMimeData:
        mime = QMimeData()
        mime.setData(NODE_KIND_MIME, kind.encode("ascii"))
        return mime

    def startDrag(self, supported_actions: Qt.DropAction) -> None:
        item = self.currentItem()
        if item is None:
            return
        kind = item.data(KIND_ROLE)
        drag = QDrag(self)
        drag.setMimeData(self.mime_for(kind))
        drag.setPixmap(kind_icon(kind, 36).pixmap(36, 36))
        drag.exec(Qt.DropAction.CopyAction)
