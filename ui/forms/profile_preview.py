"""A small curve of an arrival profile's hourly multipliers, so a planner sees the shape at a glance.

Rules: the curve is drawn relative to the profile's mean (the dashed line at 1×, since the engine scales
multipliers to mean 1); a weekly profile shows day boundaries.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

CURVE_COLOUR = QColor("#1f6fb2")
GUIDE_COLOUR = QColor("#9e9e9e")


class ProfilePreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.multipliers: list[float] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(64)

    def sizeHint(self) -> QSize:
        return QSize(240, 64)

    def set_multipliers(self, multipliers: list[float]) -> None:
        self.multipliers = list(multipliers)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(4, 4, -4, -14)
        painter.fillRect(self.rect(), self.palette().base())
        painter.setPen(QPen(GUIDE_COLOUR, 1))
        painter.drawRect(area)
        values = self.multipliers or [1.0, 1.0]
        mean = sum(values) / len(values) or 1.0
        relative = [v / mean for v in values]
        top = max(2.0, max(relative) * 1.1)
        guide = QPen(GUIDE_COLOUR, 1, Qt.PenStyle.DashLine)
        painter.setPen(guide)
        y_one = area.bottom() - area.height() / top
        painter.drawLine(QPointF(area.left(), y_one), QPointF(area.right(), y_one))
        if len(values) == 168:
            for day in range(1, 7):
                x = area.left() + area.width() * day / 7
                painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
        step = area.width() / max(1, len(relative) - 1)
        path = QPainterPath(QPointF(area.left(), area.bottom() - relative[0] / top * area.height()))
        for i, value in enumerate(relative[1:], start=1):
            path.lineTo(QPointF(area.left() + i * step, area.bottom() - value / top * area.height()))
        painter.setPen(QPen(CURVE_COLOUR, 1.6))
        painter.drawPath(path)
        painter.setPen(self.palette().text().color())
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 0.8)
        painter.setFont(font)
        painter.drawText(QRectF(area.left(), area.bottom(), area.width(), 14), Qt.AlignmentFlag.AlignLeft,
                         f"peak {max(relative):.2g}× mean · low {min(relative):.2g}×")
