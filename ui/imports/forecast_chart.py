"""The chart of an arrival import: the hourly history, the fit through it and the forecast after it.

Rules:
- One x axis of UTC hours from the history's first hour to the forecast's last, labelled in the history's zone
  (the source's): a tick at every local midnight, a date under every local Monday (every day for short spans).
- History is grey, the fit (trend × weekly profile) blue, the forecast orange; the hold-out week is a pale blue
  band with the forecast of the fit on the weeks before it dashed, so the planner sees what the hold-out MAPE
  measured. Outlier days are shaded red: solid when excluded from the fit, pale when still in it.
- The widget only draws what :meth:`ForecastChart.show_fit` gave it (no reading, no fitting): a message instead
  while nothing is fitted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from flowmodel.imports.history import VolumeHistory
from simulations.forecast import ArrivalFit

HISTORY_COLOUR = QColor("#9e9e9e")
FIT_COLOUR = QColor("#1f6fb2")
FORECAST_COLOUR = QColor("#ef6c00")
HOLDOUT_FILL = QColor(30, 136, 229, 28)
EXCLUDED_FILL = QColor(216, 27, 96, 60)
OUTLIER_FILL = QColor(216, 27, 96, 22)
AXIS_COLOUR = QColor("#52606d")
GRID_COLOUR = QColor(0, 0, 0, 22)
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 26, 34
_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class ChartSeries:
    """What the chart draws, indexed by hour from the history's first hour (NaN = no point)."""

    history: tuple[float, ...]
    fitted: tuple[float, ...]
    forecast_from: int  # index of the forecast's first hour
    forecast: tuple[float, ...]
    holdout: tuple[int, tuple[float, ...]] | None  # (first index, predicted per hour)
    local_days: tuple[date, ...]  # the local date of every hour drawn (history and forecast)
    midnights: tuple[int, ...]  # indices whose local hour is 0
    outliers: tuple[date, ...]
    excluded: frozenset[date]

    @property
    def hours(self) -> int:
        return max(len(self.history), self.forecast_from + len(self.forecast))


def chart_series(history: VolumeHistory, fit: ArrivalFit, outliers: tuple[date, ...] = ()) -> ChartSeries:
    """The series of ``fit`` on ``history``; ``outliers`` are the days to shade (the fit's excluded ones solid)."""
    zone = ZoneInfo(history.timezone)
    forecast_from = round((fit.forecast_start_utc - history.start_utc) / _HOUR)
    hours = max(history.hours, forecast_from + len(fit.forecast))
    days, midnights = [], []
    for i in range(hours):
        local = (history.start_utc + i * _HOUR).astimezone(zone)
        days.append(local.date())
        if local.hour == 0:
            midnights.append(i)
    holdout = None
    if fit.holdout is not None:
        holdout = (round((fit.holdout.start_utc - history.start_utc) / _HOUR), fit.holdout.predicted)
    shaded = tuple(sorted(set(outliers) | set(fit.outlier_days) | set(fit.excluded_days)))
    return ChartSeries(history.counts, fit.fitted, forecast_from, fit.forecast, holdout, tuple(days),
                       tuple(midnights), shaded, frozenset(fit.excluded_days))


def _nice_step(top: float, ticks: int = 4) -> float:
    raw = max(top, 1e-9) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


class ForecastChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: ChartSeries | None = None
        self.message = "Choose a file of hourly volumes to see its history, fit and forecast."
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(220)

    def sizeHint(self) -> QSize:
        return QSize(900, 300)

    def show_fit(self, series: ChartSeries) -> None:
        self.series = series
        self.update()

    def show_message(self, text: str) -> None:
        self.series = None
        self.message = text
        self.update()

    # -- drawing ---------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if self.series is None:
            painter.setPen(AXIS_COLOUR)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.message)
            return
        series = self.series
        area = QRectF(self.rect()).adjusted(LEFT, TOP, -RIGHT, -BOTTOM)
        top = self._top(series)
        x_of = self._x_mapper(area, series.hours)

        def y_of(value: float) -> float:
            return area.bottom() - value / top * area.height()

        self._bands(painter, area, series, x_of)
        self._axes(painter, area, series, top, x_of, y_of)
        self._line(painter, series.history, 0, x_of, y_of, QPen(HISTORY_COLOUR, 1.0))
        self._line(painter, series.fitted, 0, x_of, y_of, QPen(FIT_COLOUR, 1.3))
        if series.holdout is not None:
            start, predicted = series.holdout
            self._line(painter, predicted, start, x_of, y_of, QPen(FIT_COLOUR, 1.2, Qt.PenStyle.DashLine))
        self._line(painter, series.forecast, series.forecast_from, x_of, y_of, QPen(FORECAST_COLOUR, 1.5))
        self._legend(painter, area, series)

    @staticmethod
    def _top(series: ChartSeries) -> float:
        values = [v for part in (series.history, series.fitted, series.forecast) for v in part if math.isfinite(v)]
        highest = max(values, default=1.0)
        step = _nice_step(highest * 1.05)
        return max(step, math.ceil(highest * 1.05 / step) * step)

    @staticmethod
    def _x_mapper(area: QRectF, hours: int):
        width = area.width() / max(1, hours)
        return lambda index: area.left() + index * width

    @staticmethod
    def _line(painter: QPainter, values: tuple[float, ...], start: int, x_of, y_of, pen: QPen) -> None:
        path = QPainterPath()
        drawing = False
        for offset, value in enumerate(values):
            if not math.isfinite(value):
                drawing = False
                continue
            point = QPointF(x_of(start + offset + 0.5), y_of(value))
            if drawing:
                path.lineTo(point)
            else:
                path.moveTo(point)
                drawing = True
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _bands(self, painter: QPainter, area: QRectF, series: ChartSeries, x_of) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        small = QFontMetrics(painter.font())
        if series.holdout is not None:
            start, predicted = series.holdout
            band = QRectF(QPointF(x_of(start), area.top()), QPointF(x_of(start + len(predicted)), area.bottom()))
            painter.fillRect(band, HOLDOUT_FILL)
            painter.setPen(FIT_COLOUR)
            painter.drawText(band.adjusted(4, 2, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                             "hold-out week")
        painter.setPen(FORECAST_COLOUR)
        forecast_x = x_of(series.forecast_from)
        painter.drawLine(QPointF(forecast_x, area.top()), QPointF(forecast_x, area.bottom()))
        painter.drawText(QRectF(forecast_x + 4, area.top() + 2, small.horizontalAdvance("forecast") + 4, 16),
                         Qt.AlignmentFlag.AlignLeft, "forecast")
        for day in series.outliers:
            indices = [i for i, d in enumerate(series.local_days) if d == day]
            if not indices:
                continue
            band = QRectF(QPointF(x_of(indices[0]), area.top()), QPointF(x_of(indices[-1] + 1), area.bottom()))
            excluded = day in series.excluded
            painter.fillRect(band, EXCLUDED_FILL if excluded else OUTLIER_FILL)
            painter.setPen(QColor("#ad1457"))
            label = f"{day:%d %b}" + (" excluded" if excluded else " outlier?")
            painter.save()
            painter.translate(band.center().x() + 4, area.top() + 4)
            painter.rotate(90)
            painter.drawText(QPointF(0, 0), label)
            painter.restore()

    def _axes(self, painter: QPainter, area: QRectF, series: ChartSeries, top: float, x_of, y_of) -> None:
        metrics = QFontMetrics(painter.font())
        step = _nice_step(top)
        painter.setPen(QPen(GRID_COLOUR, 1))
        value = 0.0
        while value <= top + 1e-9:
            y = y_of(value)
            painter.setPen(QPen(GRID_COLOUR, 1))
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(AXIS_COLOUR)
            painter.drawText(QRectF(0, y - 8, LEFT - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{value:g}")
            value += step
        painter.save()
        painter.translate(12, area.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-60, -10, 120, 16), Qt.AlignmentFlag.AlignCenter, "items per hour")
        painter.restore()
        days_shown = len(series.midnights)
        label_every_day = days_shown * metrics.horizontalAdvance("Mon 00 Mmm ") < area.width()
        last_right = -1e9
        for index in series.midnights:
            x = x_of(index)
            day: date = series.local_days[index]
            painter.setPen(QPen(GRID_COLOUR, 1))
            painter.drawLine(QPointF(x, area.bottom()), QPointF(x, area.bottom() + 4))
            if not (label_every_day or day.weekday() == 0):
                continue
            text = f"{day:%a %d %b}"
            width = metrics.horizontalAdvance(text)
            if x - width / 2 < last_right + 6 or x + width / 2 > self.width():
                continue
            painter.setPen(QPen(GRID_COLOUR, 1))
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
            painter.setPen(AXIS_COLOUR)
            painter.drawText(QRectF(x - width / 2, area.bottom() + 5, width, 16), Qt.AlignmentFlag.AlignCenter, text)
            last_right = x + width / 2
        painter.setPen(QPen(AXIS_COLOUR, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())

    @staticmethod
    def _legend(painter: QPainter, area: QRectF, series: ChartSeries) -> None:
        metrics = QFontMetrics(painter.font())
        entries = [("history", QPen(HISTORY_COLOUR, 2)), ("fit", QPen(FIT_COLOUR, 2)),
                   ("forecast", QPen(FORECAST_COLOUR, 2))]
        if series.holdout is not None:
            entries.append(("hold-out forecast (fit on the weeks before)", QPen(FIT_COLOUR, 1.4, Qt.PenStyle.DashLine)))
        x = area.left()
        y = TOP / 2
        for text, pen in entries:
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + 18, y))
            painter.setPen(AXIS_COLOUR)
            painter.drawText(QPointF(x + 22, y + metrics.ascent() / 2 - 1), text)
            x += 22 + metrics.horizontalAdvance(text) + 16
        if series.outliers:
            painter.fillRect(QRectF(x, y - 6, 14, 12), EXCLUDED_FILL)
            painter.setPen(AXIS_COLOUR)
            painter.drawText(QPointF(x + 18, y + metrics.ascent() / 2 - 1), "outlier day (solid: excluded)")

