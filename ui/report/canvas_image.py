"""Pictures of a workflow as the canvas draws it, made without a window: PNG (raster) and SVG (vector).

Rules:
- The picture is the real canvas scene (:class:`ui.canvas.scene.WorkflowScene`) bound to the workflow, so it
  looks exactly like the editor (cards, edge labels, the canvas grid); the scene is built, rendered and dropped.
  The cards' on-screen pixmap cache is switched off in that scene, so the SVG holds vector shapes and text.
- The canvas is a QtWidgets scene, so a ``QApplication`` must exist (a bare ``QGuiApplication`` is not enough);
  :func:`ensure_application` makes one, on the offscreen platform when there is no display.
- PNG is rendered at ``scale`` pixels per scene unit (2 = crisp on paper at page width); SVG through
  ``QSvgGenerator`` (PySide6.QtSvg, part of PySide6-Essentials). Both are written atomically.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsItem

from flowmodel.errors import SaveError
from flowmodel.workflow import Workflow
from reports.files import write_file

MARGIN = 24.0
DEFAULT_SCALE = 2.0
CANVAS_FORMATS = (".png", ".svg")


def ensure_application() -> QApplication:
    """The running QApplication, or a new one (offscreen when no display is configured)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    if app is not None:
        raise RuntimeError("a QGuiApplication without widgets is running; the canvas needs a QApplication")
    if not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QApplication(sys.argv[:1])


def _scene(workflow: Workflow):
    from ui.canvas.scene import WorkflowScene

    scene = WorkflowScene()
    scene.set_workflow(workflow)
    for item in scene.node_items.values():  # cards cache themselves as pixmaps on screen; a picture wants vectors
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    return scene


def _paint(scene, painter: QPainter, target: QRectF, source: QRectF) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, target, source)


def canvas_png(workflow: Workflow, scale: float = DEFAULT_SCALE) -> tuple[bytes, QSize]:
    """The canvas as PNG bytes and its size in scene units (the drawing's natural size)."""
    ensure_application()
    scene = _scene(workflow)
    try:
        source = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        image = QImage(max(round(source.width() * scale), 1), max(round(source.height() * scale), 1),
                       QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        _paint(scene, painter, QRectF(0, 0, image.width(), image.height()), source)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data()), QSize(round(source.width()), round(source.height()))
    finally:
        scene.set_workflow(None)
        scene.deleteLater()


def canvas_svg(workflow: Workflow) -> bytes:
    """The canvas as an SVG document (vector; text stays text)."""
    ensure_application()
    scene = _scene(workflow)
    try:
        source = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(QSize(round(source.width()), round(source.height())))
        generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
        generator.setTitle(workflow.name)
        generator.setDescription("Workflow drawn by Flowmodel")
        painter = QPainter(generator)
        _paint(scene, painter, QRectF(0, 0, source.width(), source.height()), source)
        painter.end()
        buffer.close()
        return bytes(data.data())
    finally:
        scene.set_workflow(None)
        scene.deleteLater()


def save_canvas(workflow: Workflow, path: str | os.PathLike[str], scale: float = DEFAULT_SCALE) -> Path:
    """Write the canvas picture to ``path`` as its suffix says (.png or .svg), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CANVAS_FORMATS:
        raise SaveError(f"the canvas cannot be saved as {path.suffix or 'a file without a suffix'}", where=str(path),
                        hint="use .png or .svg")
    content = canvas_png(workflow, scale)[0] if suffix == ".png" else canvas_svg(workflow)
    return write_file(path, content)
