"""The canvas view: routes mouse, wheel, key and drop events to the gesture classes.

Rules: the view owns no editing logic of its own; it picks a gesture on mouse press (pan on
middle-drag or space-drag, connect on an output port, move on a card, Qt's rubber band on empty
canvas) and forwards the rest of the drag to it. Status text goes out through ``status_message``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QUndoStack,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView

from flowmodel.workflow import Workflow
from ui.canvas.interactions.clipboard import Clipboard
from ui.canvas.interactions.connect_drag import ConnectDrag
from ui.canvas.interactions.drop_node import NODE_KIND_MIME, create_node
from ui.canvas.interactions.move_drag import MoveDrag
from ui.canvas.interactions.pan import PanDrag
from ui.canvas.interactions.zoom import ZOOM_STEP, zoom_by, zoom_to_fit
from ui.canvas.node_item import NodeItem, PortItem
from ui.canvas.scene import WorkflowScene
from ui.commands import AddNodeCommand


class CanvasView(QGraphicsView):
    """The drawing area of the main window (see module rules)."""

    status_message = Signal(str)

    def __init__(self, undo_stack: QUndoStack, parent: Any = None) -> None:
        self.canvas_scene = WorkflowScene()
        super().__init__(self.canvas_scene, parent)
        self.canvas_scene.setParent(self)
        self.undo_stack = undo_stack
        self.clipboard = Clipboard(self)
        self._gesture: Any = None
        self._space_held = False
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setAcceptDrops(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @property
    def workflow(self) -> Workflow | None:
        return self.canvas_scene.workflow

    def set_document(self, workflow: Workflow | None, undo_stack: QUndoStack) -> None:
        """Show another workflow, editing it through ``undo_stack``."""
        self.undo_stack = undo_stack
        self.canvas_scene.set_workflow(workflow)

    def show_status(self, text: str) -> None:
        self.status_message.emit(text)

    # -- zoom and focus --------------------------------------------------------------------------
    def zoom_in(self) -> None:
        self._zoom_about_centre(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_about_centre(1 / ZOOM_STEP)

    def _zoom_about_centre(self, factor: float) -> None:
        """Menu and keyboard zoom keep the view's centre; the wheel zooms about the mouse."""
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        zoom_by(self, factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)

    def zoom_to_fit(self, legible: bool = False) -> None:
        zoom_to_fit(self, legible)

    def opening_view(self) -> None:
        """The view a document opens with: fitted, but never smaller than readable text."""
        zoom_to_fit(self, legible=True)

    def focus_node(self, node_id: str) -> None:
        """Select the node's card alone and centre the view on it."""
        item = self.canvas_scene.node_items.get(node_id)
        if item is None:
            return
        self.canvas_scene.select_ids([node_id])
        self.centerOn(item.sceneBoundingRect().center())

    # -- mouse -----------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (button == Qt.MouseButton.LeftButton and self._space_held):
            self._gesture = PanDrag(self, event.position().toPoint())
            return
        if button == Qt.MouseButton.LeftButton:
            item = self.itemAt(event.position().toPoint())
            if isinstance(item, PortItem):
                self._gesture = ConnectDrag(self, item)
                return
            super().mousePressEvent(event)
            if isinstance(item, NodeItem):
                self._gesture = MoveDrag(self)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if isinstance(self._gesture, PanDrag):
            self._gesture.move(event.position().toPoint())
        elif isinstance(self._gesture, ConnectDrag):
            self._gesture.move(self.mapToScene(event.position().toPoint()))
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        gesture, self._gesture = self._gesture, None
        if isinstance(gesture, ConnectDrag):
            gesture.finish(self.mapToScene(event.position().toPoint()))
            return
        if isinstance(gesture, PanDrag):
            gesture.finish()
            return
        super().mouseReleaseEvent(event)
        if isinstance(gesture, MoveDrag):
            gesture.finish()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            zoom_by(self, ZOOM_STEP ** steps)
        event.accept()

    # -- keys ------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        if event.key() == Qt.Key.Key_Escape and isinstance(self._gesture, ConnectDrag):
            self._gesture.cancel()
            self._gesture = None
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)

    # -- palette drops ---------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.dragMoveEvent(event)

    def dragMoveEvent(self, event: QDragEnterEvent | QDragMoveEvent) -> None:
        """Only a palette kind is accepted, and only while a workflow is shown."""
        if event.mimeData().hasFormat(NODE_KIND_MIME) and self.workflow is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(NODE_KIND_MIME) or self.workflow is None:
            event.ignore()
            return
        kind = bytes(event.mimeData().data(NODE_KIND_MIME)).decode("ascii")
        self.add_node_at(kind, self.mapToScene(event.position().toPoint()))
        event.acceptProposedAction()

    def add_node_at(self, kind: str, scene_pos: QPointF) -> str | None:
        """Add a node of ``kind`` centred at ``scene_pos`` (palette drop or double-click); returns its id."""
        if self.workflow is None:
            return None
        node = create_node(self.workflow, kind, scene_pos.x(), scene_pos.y())
        self.undo_stack.push(AddNodeCommand(self.workflow, node))
        self.canvas_scene.select_ids([node.id])
        self.setFocus()
        return node.id
