"""The launch-plan timeline: a compact painted chart of when each part of a launch plan holds.

Rules:
- The axis runs from the run's start to the horizon's end, in days counted from the launch ("launch", "+7 d")
  with the date under each major tick; the launch is a vertical line through every row and the warm-up a grey
  band (its days are not reported), named in a legend line under the rows and in the band's tooltip.
- One row per timed or scoped change, backfill and training (:mod:`ui.scenarios.timeline_rows`): a label in
  planner words on its own line above a bar from start to end, on an opaque backdrop so no line (the launch, the
  warm-up's edge, a tick) crosses its text. A ramp fades in from pale to full colour along its curve; a
  backfill that arrives at once is a diamond. A row whose instants do not parse shows why instead of a bar.
- Clicking a row emits ``row_clicked(kind, key)`` (the panel selects that change, backfill or training);
  :meth:`LaunchTimeline.select` highlights one. The widget only draws what :meth:`show_plan` gave it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui.forms.problem_label import PROBLEM_RED
from ui.scenarios.timeline_rows import TimelinePlan, TimelineRow

AXIS_H = 34
ROW_H = 30
BAR_H = 10
SIDE = 10
KIND_COLOURS = {"change": QColor("#1e88e5"), "backfill": QColor("#ef6c00"), "training": QColor("#8e24aa")}
LAUNCH_COLOUR = QColor("#d81b60")
WARMUP_FILL = QColor(0, 0, 0, 18)
STEP_DAYS: tuple[int, ...] = (1, 2, 7, 14, 28, 56, 112)
MIN_TICK_PX = 46
PALE_ALPHA = 50
LEGEND_H = 18
HINT = "Click a row to select its change, backfill or training"
WARMUP_WORDS = "Warm-up: not reported"
WARMUP_TIP = "Grey band: the warm-up, while the model fills up; its days are not reported"
LAUNCH_WORDS = "Launch"
EMPTY_TEXT = "Nothing timed yet: give a change a start, an end or a ramp, or add a backfill or a training."


def day_words(days: int) -> str:
    return "launch" if days == 0 else f"{'+' if days > 0 else '−'}{abs(days)} d"


def ramp_intensity(shape: str, fraction: float, length_h: float, half_life_h: float) -> float:
    """How far (0–1) the ramp has come ``fraction`` of the way through its ``length_h``."""
    if shape == "learning" and half_life_h > 0:
        return 1.0 - 0.5 ** (fraction * length_h / half_life_h)
    return fraction


class LaunchTimeline(QWidget):
    """The painted timeline (see module rules)."""

    row_clicked = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = TimelinePlan((), None, 0.0, 24.0, 0.0)
        self.selected: tuple[str, object] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._fit()

    # -- data ------------------------------------------------------------------------------------
    def show_plan(self, plan: TimelinePlan) -> None:
        self.plan = plan
        self._fit()
        self.update()

    def select(self, kind: str | None, key: object = None) -> None:
        self.selected = (kind, key) if kind is not None else None
        self.update()

    def rows(self) -> tuple[TimelineRow, ...]:
        return self.plan.rows

    def _fit(self) -> None:
        height = AXIS_H + max(1, len(self.plan.rows)) * ROW_H + 6
        self.setFixedHeight(height + (LEGEND_H if self.has_legend() else 0))

    def has_legend(self) -> bool:
        """A legend line under the rows names the launch line and the grey warm-up band."""
        return self.plan.start is not None and (self.plan.warmup_h > 0 or bool(self.plan.rows))

    def rows_bottom(self) -> float:
        return self.height() - 2 - (LEGEND_H if self.has_legend() else 0)

    def in_warmup(self, x: float) -> bool:
        return self.plan.warmup_h > 0 and self.x_at(0) <= x <= self.x_at(self.plan.warmup_h)

    # -- geometry --------------------------------------------------------------------------------
    def x_at(self, hours: float) -> float:
        width = max(1.0, self.width() - 2 * SIDE)
        return SIDE + width * min(max(hours, 0.0), self.plan.horizon_h) / self.plan.horizon_h

    def row_rect(self, index: int) -> QRectF:
        return QRectF(0, AXIS_H + index * ROW_H, self.width(), ROW_H)

    def row_at(self, y: float) -> int | None:
        index = int((y - AXIS_H) // ROW_H)
        return index if y >= AXIS_H and 0 <= index < len(self.plan.rows) else None

    def bar_rect(self, row: TimelineRow, index: int) -> QRectF:
        top = self.row_rect(index).top() + ROW_H - BAR_H - 4
        a, b = self.x_at(row.start_h), self.x_at(row.end_h)
        return QRectF(a, top, max(0.0, b - a), BAR_H)

    def label_rect(self, row: TimelineRow, index: int, metrics: QFontMetrics | None = None) -> tuple[str, QRectF]:
        """The row's label as painted (elided to the width) and its opaque backdrop: from the bar's start, slid
        left as far as it must to fit."""
        metrics = metrics or QFontMetrics(self._small_font())
        label = row.label if not row.problem else f"{row.label} — ⚠ {row.problem}"
        shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(self.width() - 2 * SIDE))
        width = metrics.horizontalAdvance(shown)
        left = SIDE if row.problem else min(max(self.bar_rect(row, index).left(), SIDE), self.width() - SIDE - width)
        top = self.row_rect(index).top()
        return shown, QRectF(left - 3, top + 1, width + 6, min(metrics.height() + 1, ROW_H - BAR_H - 5))

    def _small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        return small

    # -- events ----------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.row_at(event.position().y())
        if index is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        row = self.plan.rows[index]
        self.select(row.kind, row.key)
        self.row_clicked.emit(row.kind, row.key)

    def event(self, event: QEvent) -> bool:
        """A row's tooltip is its whole label (the painted one may be elided), and its problem if it has one."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.row_at(event.pos().y())
            warmup = f"\n{WARMUP_TIP}" if self.in_warmup(event.pos().x()) else ""
            if index is None:
                QToolTip.showText(event.globalPos(), HINT + warmup, self)
            else:
                row = self.plan.rows[index]
                text = f"{row.label}\n⚠ {row.problem}" if row.problem else row.label
                QToolTip.showText(event.globalPos(), text + warmup, self)
            return True
        return super().event(event)

    # -- painting --------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        plan = self.plan
        rows_top, bottom = AXIS_H, self.rows_bottom()
        if plan.warmup_h > 0:
            painter.fillRect(QRectF(self.x_at(0), rows_top, self.x_at(plan.warmup_h) - self.x_at(0),
                                    bottom - rows_top), WARMUP_FILL)
        self._paint_axis(painter)
        if plan.start is not None and 0 <= plan.launch_h <= plan.horizon_h:  # under the labels, over the grid
            x = self.x_at(plan.launch_h)
            painter.setPen(QPen(LAUNCH_COLOUR, 2))
            painter.drawLine(QPointF(x, AXIS_H - 2), QPointF(x, bottom))
        painter.setFont(self._small_font())
        if not plan.rows:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(QRectF(SIDE, rows_top, self.width() - 2 * SIDE, ROW_H),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, EMPTY_TEXT)
        for index, row in enumerate(plan.rows):
            self._paint_row(painter, row, index)
        if self.has_legend():
            self._paint_legend(painter)
        painter.end()

    def _paint_legend(self, painter: QPainter) -> None:
        """The launch line's and the warm-up band's swatches, under the rows."""
        metrics = QFontMetrics(painter.font())
        top = self.rows_bottom() + 2
        middle = top + LEGEND_H / 2
        x = float(SIDE)
        painter.setPen(QPen(LAUNCH_COLOUR, 2))
        painter.drawLine(QPointF(x + 5, top + 3), QPointF(x + 5, top + LEGEND_H - 3))
        painter.setPen(self.palette().text().color())
        baseline = middle + metrics.ascent() / 2 - 1
        painter.drawText(QPointF(x + 14, baseline), LAUNCH_WORDS)
        x += 14 + metrics.horizontalAdvance(LAUNCH_WORDS) + 16
        if self.plan.warmup_h > 0:
            swatch = QRectF(x, top + 3, 14, LEGEND_H - 6)
            painter.fillRect(swatch, self.palette().base())
            painter.fillRect(swatch, WARMUP_FILL)
            grid = QColor(self.palette().text().color())
            grid.setAlpha(60)
            painter.setPen(QPen(grid, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(swatch)
            painter.setPen(self.palette().text().color())
            words = metrics.elidedText(WARMUP_WORDS, Qt.TextElideMode.ElideRight,
                                       int(self.width() - SIDE - x - 20))
            painter.drawText(QPointF(x + 20, baseline), words)

    def _paint_axis(self, painter: QPainter) -> None:
        plan, text = self.plan, self.palette().text().color()
        grid = QColor(text)
        grid.setAlpha(40)
        painter.setPen(QPen(grid, 1))
        painter.drawLine(QPointF(SIDE, AXIS_H - 1), QPointF(self.width() - SIDE, AXIS_H - 1))
        if plan.start is None:
            return
        px_per_day = (self.width() - 2 * SIDE) / (plan.horizon_h / 24.0)
        step = next((s for s in STEP_DAYS if s * px_per_day >= MIN_TICK_PX), STEP_DAYS[-1])
        launch_day = plan.launch_h / 24.0
        first = -int(launch_day // step) if launch_day >= 0 else int(-launch_day // step) + 1
        metrics = QFontMetrics(painter.font())
        if px_per_day >= 4:  # a faint tick every day
            for day in range(int(plan.horizon_h // 24) + 1):
                x = self.x_at(day * 24.0)
                painter.drawLine(QPointF(x, AXIS_H - 4), QPointF(x, AXIS_H - 1))
        k = first
        while (hours := plan.launch_h + k * step * 24.0) <= plan.horizon_h + 1e-9:
            if hours >= -1e-9:
                x = self.x_at(hours)
                painter.setPen(QPen(grid, 1))
                painter.drawLine(QPointF(x, AXIS_H - 8), QPointF(x, self.rows_bottom()))
                moment = plan.date_at(hours)
                for line, words in enumerate((day_words(k * step), f"{moment.day} {moment:%b}" if moment else "")):
                    width = metrics.horizontalAdvance(words)
                    left = min(max(x - width / 2, 2.0), self.width() - width - 2)
                    painter.setPen(LAUNCH_COLOUR if k == 0 and line == 0 else text if line == 0
                                   else self.palette().placeholderText().color())
                    painter.drawText(QPointF(left, 12 + line * 13), words)
            k += 1

    def _paint_row(self, painter: QPainter, row: TimelineRow, index: int) -> None:
        rect = self.row_rect(index)
        if self.selected == (row.kind, row.key):
            painter.fillRect(rect, self._highlight())
        colour = KIND_COLOURS[row.kind]
        bar = self.bar_rect(row, index)
        shown, backdrop = self.label_rect(row, index, QFontMetrics(painter.font()))
        painter.fillRect(backdrop, self.palette().base())  # opaque: no line runs through the text
        if self.selected == (row.kind, row.key):
            painter.fillRect(backdrop, self._highlight())
        painter.setPen(QColor(PROBLEM_RED) if row.problem else self.palette().text().color())
        painter.drawText(QPointF(backdrop.left() + 3, rect.top() + 13), shown)
        if row.problem:
            return
        if bar.width() < 3:  # a batch that arrives at once
            c = QPointF(bar.left(), bar.center().y())
            r = BAR_H / 2 + 1
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPolygon(QPolygonF([c + QPointF(0, -r), c + QPointF(r, 0), c + QPointF(0, r),
                                           c + QPointF(-r, 0)]))
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._bar_brush(row, bar, colour))
        painter.drawRoundedRect(bar, 3, 3)

    def _highlight(self) -> QColor:
        highlight = QColor(self.palette().highlight().color())
        highlight.setAlpha(45)
        return highlight

    def _bar_brush(self, row: TimelineRow, bar: QRectF, colour: QColor) -> QLinearGradient | QColor:
        if row.ramp_h <= 0:
            return colour
        a, b = self.x_at(row.start_h), self.x_at(row.start_h + row.ramp_h)
        if b - a < 1:
            return colour
        gradient = QLinearGradient(QPointF(a, 0), QPointF(b, 0))
        for step in range(9):
            fraction = step / 8
            faded = QColor(colour)
            faded.setAlpha(int(PALE_ALPHA + (255 - PALE_ALPHA)
                               * ramp_intensity(row.ramp_shape, fraction, row.ramp_h, row.ramp_hours)))
            gradient.setColorAt(fraction, faded)
        return gradient
