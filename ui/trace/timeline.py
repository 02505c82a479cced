"""One item's journey drawn as a timeline: a bar per step, coloured by what the item was doing.

Why a painted widget and not a chart: it is a handful of bars that must repaint instantly as the planner
moves through the table, with the place and team written on or beside each bar.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from reports.event_log import activity
from simulations.item_trace import ItemTrace, TraceStep, span_text

COLOURS = {"waiting": "#f59e0b", "reviewed": "#2563eb", "passed": "#14b8a6", "expired": "#dc2626",
           "outcome": "#334155"}
WORDS = {"waiting": "waiting", "reviewed": "in review", "passed": "in", "expired": "expired", "outcome": "outcome"}
ROW_H, LABEL_W, MARGIN = 26, 330, 12
EMPTY_TEXT = "Choose an item in the table to see its journey"


def step_label(step: TraceStep) -> str:
    """A row's label: the event log's activity name, with the team of a review and a mark for unfinished."""
    label = activity(step) + (f" · {step.team}" if step.state == "reviewed" else "")
    return f"{label} (still, at the end)" if step.unfinished else label


class TraceTimeline(QWidget):
    """The selected item's steps, one row each, on a shared time axis from its creation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trace: ItemTrace | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(ROW_H * 3 + 2 * MARGIN)

    def show_trace(self, trace: ItemTrace | None) -> None:
        self.trace = trace
        rows = len(self.rows())
        self.setMinimumHeight(max(3, rows + 1) * ROW_H + 2 * MARGIN)
        self.update()

    def rows(self) -> list[TraceStep]:
        return list(self.trace.steps) if self.trace is not None else []

    def bar_rect(self, index: int) -> QRectF:
        """Where step ``index`` is drawn (tests check the geometry)."""
        trace = self.trace
        assert trace is not None
        step = self.rows()[index]
        span = max(trace.time_in_system_s, 1.0)
        width = max(self.width() - LABEL_W - 2 * MARGIN, 50)
        left = LABEL_W + MARGIN + (step.start_s - trace.created_s) / span * width
        right = LABEL_W + MARGIN + (step.end_s - trace.created_s) / span * width
        return QRectF(left, MARGIN + index * ROW_H + 4, max(right - left, 3.0), ROW_H - 8)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.5))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        if self.trace is None:
            painter.setPen(QColor("#64748b"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, EMPTY_TEXT)
            return
        for index, step in enumerate(self.rows()):
            top = MARGIN + index * ROW_H
            label = metrics.elidedText(step_label(step), Qt.TextElideMode.ElideMiddle, LABEL_W - 8)
            painter.setPen(QColor("#0f172a"))
            painter.drawText(QRectF(MARGIN, top, LABEL_W - 8, ROW_H), Qt.AlignmentFlag.AlignVCenter, label)
            rect = self.bar_rect(index)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(COLOURS.get(step.state, "#64748b")))
            painter.drawRoundedRect(rect, 3, 3)
            text = f"{WORDS.get(step.state, step.state)} {span_text(step.duration_s)}" if step.duration_s else ""
            if step.unfinished:
                text += ", unfinished"
            if text:
                painter.setPen(QColor("#0f172a"))
                wide = metrics.horizontalAdvance(text) + 8
                inside = wide < rect.width()
                if inside:
                    where, align = rect.adjusted(4, 0, 0, 0), Qt.AlignmentFlag.AlignLeft
                elif rect.right() + 6 + wide <= self.width() - MARGIN:  # after the bar
                    where, align = QRectF(rect.right() + 6, rect.top(), wide, rect.height()), Qt.AlignmentFlag.AlignLeft
                else:  # no room after it: before the bar
                    where, align = QRectF(rect.left() - 6 - wide, rect.top(), wide, rect.height()), \
                        Qt.AlignmentFlag.AlignRight
                painter.setPen(QColor("#ffffff") if inside else QColor("#0f172a"))
                painter.drawText(where, align | Qt.AlignmentFlag.AlignVCenter, text)
        axis_y = MARGIN + len(self.rows()) * ROW_H + 4
        painter.setPen(QPen(QColor("#94a3b8"), 1))
        painter.drawLine(LABEL_W + MARGIN, axis_y, self.width() - MARGIN, axis_y)
        painter.setPen(QColor("#475569"))
        painter.drawText(QRectF(LABEL_W + MARGIN, axis_y + 2, 200, ROW_H), Qt.AlignmentFlag.AlignLeft, "created")
        total = f"{span_text(self.trace.time_in_system_s)} in the workflow"
        painter.drawText(QRectF(self.width() - MARGIN - 300, axis_y + 2, 300, ROW_H), Qt.AlignmentFlag.AlignRight,
                         total)
