"""Pan gesture: middle-drag, or left-drag while holding space, scrolls the canvas."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt

if TYPE_CHECKING:
    from ui.canvas.view import CanvasView


class PanDrag:
    def __init__(self, view: CanvasView, view_pos: QPoint) -> None:
        self.view = view
        self.last = view_pos
        view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def move(self, view_pos: QPoint) -> None:
        delta = view_pos - self.last
        self.last = view_pos
        self.view.horizontalScrollBar().setValue(self.view.horizontalScrollBar().value() - delta.x())
        self.view.verticalScrollBar().setValue(self.view.verticalScrollBar().value() - delta.y())

    def finish(self) -> None:
        self.view.viewport().unsetCursor()
