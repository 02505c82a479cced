"""Small vector glyphs per node kind, drawn with QPainter so they look the same on every system
(font symbols such as ⚙ or ⑂ are missing from many installed fonts).

Rule: each glyph fits the given square and uses only the given colour, so the same drawing serves
the card header (white on the kind colour) and the palette icon.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF


def draw_glyph(painter: QPainter, kind: str, box: QRectF, colour: QColor) -> None:
    """Draw the glyph of ``kind`` inside ``box``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = min(box.width(), box.height())
    x0, y0 = box.center().x() - s / 2, box.center().y() - s / 2

    def p(fx: float, fy: float) -> QPointF:
        return QPointF(x0 + fx * s, y0 + fy * s)

    pen = QPen(colour, max(1.2, s / 9), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if kind == "source":
        painter.drawEllipse(QRectF(p(0.08, 0.2), p(0.5, 0.8)))
        painter.drawLine(p(0.5, 0.5), p(0.92, 0.5))
        painter.drawPolyline(QPolygonF([p(0.74, 0.32), p(0.92, 0.5), p(0.74, 0.68)]))
    elif kind == "classifier":
        painter.drawPolygon(QPolygonF([p(0.5, 0.08), p(0.92, 0.5), p(0.5, 0.92), p(0.08, 0.5)]))
        painter.setBrush(colour)
        painter.drawEllipse(p(0.5, 0.5), s * 0.08, s * 0.08)
    elif kind == "review_stage":
        for fy in (0.25, 0.5, 0.75):
            painter.drawLine(p(0.3, fy), p(0.9, fy))
        painter.setBrush(colour)
        for fy in (0.25, 0.5, 0.75):
            painter.drawEllipse(p(0.13, fy), s * 0.05, s * 0.05)
    elif kind == "router":
        path = QPainterPath(p(0.08, 0.5))
        path.lineTo(p(0.4, 0.5))
        path.moveTo(p(0.4, 0.5))
        path.cubicTo(p(0.6, 0.5), p(0.6, 0.2), p(0.9, 0.2))
        path.moveTo(p(0.4, 0.5))
        path.cubicTo(p(0.6, 0.5), p(0.6, 0.8), p(0.9, 0.8))
        painter.drawPath(path)
    elif kind == "delay":
        painter.drawEllipse(QRectF(p(0.1, 0.1), p(0.9, 0.9)))
        painter.drawPolyline(QPolygonF([p(0.5, 0.25), p(0.5, 0.5), p(0.68, 0.62)]))
    elif kind == "outcome":
        painter.drawLine(p(0.22, 0.08), p(0.22, 0.92))
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([p(0.22, 0.12), p(0.85, 0.3), p(0.22, 0.5)]))
    painter.restore()
