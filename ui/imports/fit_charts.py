"""The handle-time import's two charts, drawn with QPainter: a histogram with the fitted densities over it, and a
QQ plot of the selected fit.

Rules:
- The figures come from :mod:`simulations.distribution_fit` in seconds; the charts show them in the unit the
  dialog stores the distribution in, so the axis reads like the stage form. Densities are per second there and
  are scaled to per display unit with the axis (the areas stay 1).
- Colours follow the project's chart style (:mod:`reports.chart_style`): family ``i`` of
  :data:`FAMILY_ORDER` is palette colour ``i`` everywhere (table swatch, curve, QQ points), the selected family
  is drawn thick and on top, the others thin.
- A chart without data says what is missing instead of drawing empty axes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from flowmodel.distributions import SECONDS_PER_UNIT
from reports.chart_style import GRID, MUTED, PALETTE, TEXT

FAMILY_ORDER = ("lognormal", "gamma", "exponential", "empirical")
BAR_FILL = QColor("#c9d6e3")
BAR_EDGE = QColor("#9fb3c8")
MARGINS = (54.0, 30.0, 14.0, 38.0)  # left, top, right, bottom: room for tick labels and titles


def family_colour(family: str) -> QColor:
    """The family's colour in every chart and in the fit table."""
    index = FAMILY_ORDER.index(family) if family in FAMILY_ORDER else len(FAMILY_ORDER)
    return QColor(PALETTE[index % len(PALETTE)])


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 × 10^k, at most about ``most`` of them."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    raw = (high - low) / max(1, most - 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks, value = [], first
    while value <= high + step * 1e-9:
        ticks.append(0.0 if abs(value) < step * 1e-9 else value)
        value += step
    return ticks


def tick_text(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


@dataclass(frozen=True)
class Curve:
    """One fitted density over the histogram, in seconds and per second."""

    family: str
    xs_s: tuple[float, ...]
    density_per_s: tuple[float, ...]


class _Plot:
    """Maps data to the widget's plot area and draws the frame, grid and tick labels."""

    def __init__(self, widget: QWidget, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        left, top, right, bottom = MARGINS
        self.area = QRectF(widget.rect()).adjusted(left, top, -right, -bottom)
        self.x0, self.x1 = x_range
        self.y0, self.y1 = y_range

    def point(self, x: float, y: float) -> QPointF:
        a = self.area
        fx = (x - self.x0) / (self.x1 - self.x0) if self.x1 > self.x0 else 0.0
        fy = (y - self.y0) / (self.y1 - self.y0) if self.y1 > self.y0 else 0.0
        return QPointF(a.left() + fx * a.width(), a.bottom() - fy * a.height())

    def frame(self, painter: QPainter, x_label: str, y_label: str, y_ticks: bool = True) -> None:
        a = self.area
        small = QFont(painter.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.85))
        painter.setFont(small)
        grid = QPen(QColor(GRID), 1)
        for x in nice_ticks(self.x0, self.x1):
            p = self.point(x, self.y0)
            painter.setPen(grid)
            painter.drawLine(QPointF(p.x(), a.top()), QPointF(p.x(), a.bottom()))
            painter.setPen(QColor(MUTED))
            painter.drawText(QRectF(p.x() - 40, a.bottom() + 3, 80, 14), Qt.AlignmentFlag.AlignHCenter, tick_text(x))
        if y_ticks:
            for y in nice_ticks(self.y0, self.y1, 5):
                p = self.point(self.x0, y)
                painter.setPen(grid)
                painter.drawLine(QPointF(a.left(), p.y()), QPointF(a.right(), p.y()))
                painter.setPen(QColor(MUTED))
                painter.drawText(QRectF(0, p.y() - 7, a.left() - 4, 14),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, tick_text(y))
        painter.setPen(QPen(QColor(MUTED), 1))
        painter.drawRect(a)
        painter.setPen(QColor(TEXT))
        painter.drawText(QRectF(a.left(), a.bottom() + 18, a.width(), 16), Qt.AlignmentFlag.AlignHCenter, x_label)
        painter.save()
        painter.translate(12, a.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-a.height() / 2, -8, a.height(), 16), Qt.AlignmentFlag.AlignHCenter, y_label)
        painter.restore()


class _Chart(QWidget):
    """Common parts: title, an empty-state message, a paint counter (tests see a redraw), the unit."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.unit = "s"
        self.empty_text = "No samples yet: choose a file"
        self.paint_count = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(300, 220)

    def sizeHint(self) -> QSize:
        return QSize(420, 280)

    def _begin(self) -> QPainter:
        self.paint_count += 1
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor(TEXT))
        painter.drawText(QRectF(MARGINS[0], 4, self.width() - MARGINS[0] - MARGINS[2], 20),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        painter.setFont(QFont(self.font()))
        return painter

    def _empty(self, painter: QPainter) -> None:
        painter.setPen(QColor(MUTED))
        painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
        painter.end()

    @property
    def per_unit(self) -> float:
        return SECONDS_PER_UNIT[self.unit]


class DensityChart(_Chart):
    """Histogram of the samples (density per display unit) with each family's fitted density over it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Handle times and fitted densities", parent)
        self.edges_s: tuple[float, ...] = ()
        self.bar_density: tuple[float, ...] = ()
        self.beyond = 0
        self.curves: list[Curve] = []
        self.selected = ""

    def set_data(self, edges_s: Sequence[float], bar_density: Sequence[float], beyond: int, curves: Sequence[Curve],
                 selected: str, unit: str) -> None:
        self.edges_s, self.bar_density, self.beyond = tuple(edges_s), tuple(bar_density), beyond
        self.curves, self.selected, self.unit = list(curves), selected, unit
        self.update()

    def set_selected(self, family: str) -> None:
        self.selected = family
        self.update()

    def clear(self, text: str) -> None:
        self.edges_s, self.bar_density, self.curves, self.empty_text = (), (), [], text
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._begin()
        if len(self.edges_s) < 2 or not any(self.bar_density):
            self._empty(painter)
            return
        k = self.per_unit
        edges = [e / k for e in self.edges_s]
        bars = [d * k for d in self.bar_density]
        shown = [(c, [x / k for x in c.xs_s], [y * k for y in c.density_per_s]) for c in self.curves]
        top = max([*bars, *(max(ys, default=0.0) for _, _, ys in shown if _finite(ys))]) * 1.08 or 1.0
        top = min(top, max(bars) * 2.5)  # a spike of a density at 0 must not flatten the histogram
        plot = _Plot(self, (0.0, edges[-1]), (0.0, top))
        plot.frame(painter, f"handle time ({self.unit})", f"share per {self.unit}")
        painter.save()
        painter.setClipRect(plot.area)
        painter.setPen(QPen(BAR_EDGE, 0.8))
        painter.setBrush(BAR_FILL)
        for left, right, height in zip(edges, edges[1:], bars, strict=False):
            a, b = plot.point(left, height), plot.point(right, 0.0)
            painter.drawRect(QRectF(a, b))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for curve, xs, ys in sorted(shown, key=lambda item: item[0].family == self.selected):
            chosen = curve.family == self.selected
            pen = QPen(family_colour(curve.family), 2.6 if chosen else 1.2)
            if not chosen:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawPath(_path(plot, xs, ys))
        painter.restore()
        self._legend(painter, plot)
        painter.end()

    def _legend(self, painter: QPainter, plot: _Plot) -> None:
        rows = [c.family for c in self.curves]
        if self.beyond:
            rows.append(f"{self.beyond:,} longest not drawn")
        x = plot.area.right() - 150
        y = plot.area.top() + 6
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 220))
        painter.drawRect(QRectF(x - 6, y - 3, 150, 16 * len(rows) + 4))
        for i, text in enumerate(rows):
            ry = y + 16 * i
            if i < len(self.curves):
                family = self.curves[i].family
                painter.setPen(QPen(family_colour(family), 2.6 if family == self.selected else 1.2))
                painter.drawLine(QPointF(x, ry + 7), QPointF(x + 18, ry + 7))
            painter.setPen(QColor(TEXT if i < len(self.curves) else MUTED))
            font = QFont(painter.font())
            font.setBold(i < len(self.curves) and self.curves[i].family == self.selected)
            painter.setFont(font)
            painter.drawText(QRectF(x + 24, ry, 120, 14), Qt.AlignmentFlag.AlignVCenter, text)


class QQChart(_Chart):
    """Observed quantiles against the selected fit's: on the dashed diagonal when the fit describes the data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("QQ plot", parent)
        self.family = ""
        self.theoretical_s: tuple[float, ...] = ()
        self.observed_s: tuple[float, ...] = ()

    def set_data(self, family: str, theoretical_s: Sequence[float], observed_s: Sequence[float], unit: str) -> None:
        self.family, self.unit = family, unit
        self.theoretical_s, self.observed_s = tuple(theoretical_s), tuple(observed_s)
        self.title = f"QQ plot: {family}" if family else "QQ plot"
        self.update()

    def clear(self, text: str) -> None:
        self.family, self.theoretical_s, self.observed_s, self.empty_text = "", (), (), text
        self.title = "QQ plot"
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._begin()
        pairs = [(t, o) for t, o in zip(self.theoretical_s, self.observed_s, strict=False)
                 if math.isfinite(t) and math.isfinite(o)]
        if not pairs:
            self._empty(painter)
            return
        k = self.per_unit
        xs, ys = [t / k for t, _ in pairs], [o / k for _, o in pairs]
        top = max(max(xs), max(ys)) * 1.05 or 1.0
        plot = _Plot(self, (0.0, top), (0.0, top))
        plot.frame(painter, f"fitted quantile ({self.unit})", f"observed quantile ({self.unit})")
        painter.save()
        painter.setClipRect(plot.area)
        painter.setPen(QPen(QColor(MUTED), 1, Qt.PenStyle.DashLine))
        painter.drawLine(plot.point(0.0, 0.0), plot.point(top, top))
        colour = family_colour(self.family)
        painter.setPen(QPen(colour.darker(115), 0.8))
        painter.setBrush(colour)
        for x, y in zip(xs, ys, strict=True):
            painter.drawEllipse(plot.point(x, y), 2.6, 2.6)
        painter.restore()
        painter.end()


def _finite(values: Sequence[float]) -> bool:
    return all(math.isfinite(v) for v in values)


def _path(plot: _Plot, xs: Sequence[float], ys: Sequence[float]) -> QPainterPath:
    path = QPainterPath()
    started = False
    for x, y in zip(xs, ys, strict=False):
        if not (math.isfinite(x) and math.isfinite(y)):
            started = False
            continue
        p = plot.point(x, min(y, plot.y1 * 1.5))
        if started:
            path.lineTo(p)
        else:
            path.moveTo(p)
            started = True
    return path
