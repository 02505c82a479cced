"""Arrival profile of a source: flat, daily (24 hourly multipliers) or weekly (7 × 24), as an editable grid.

Rules:
- The grid has one row per hour of the day and one column per weekday (one column for a daily profile), so
  it fits a side panel; a curve above it shows the shape.
- Multipliers are relative (the engine scales them to mean 1); each is a finite number ≥ 0 and not all are 0.
- Switching daily → weekly repeats the day on every weekday; weekly → daily averages the weekdays; flat
  drops the multipliers. The whole profile is emitted as one value.
"""

from __future__ import annotations

import copy
import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowmodel.nodes import WEEKDAYS, ArrivalProfile
from ui.forms.problem_label import PROBLEM_BACKGROUND
from ui.forms.profile_preview import ProfilePreview

KINDS: tuple[tuple[str, str], ...] = (("flat", "Flat (same every hour)"), ("daily", "Daily (24 hours)"),
                                      ("weekly", "Weekly (7 × 24 hours)"))
GRID_HEIGHT = 240


def with_kind(profile: ArrivalProfile, kind: str) -> ArrivalProfile:
    """``profile`` as a ``kind`` profile, keeping its shape where the new kind can hold it."""
    values = profile.multipliers
    if kind == profile.kind:
        return copy.deepcopy(profile)
    if kind == "flat":
        return ArrivalProfile("flat", [])
    if kind == "daily":
        if profile.kind == "weekly" and len(values) == 168:
            return ArrivalProfile("daily", [sum(values[d * 24 + h] for d in range(7)) / 7 for h in range(24)])
        return ArrivalProfile("daily", [1.0] * 24)
    daily = values if profile.kind == "daily" and len(values) == 24 else [1.0] * 24
    return ArrivalProfile("weekly", list(daily) * 7)


class ProfileGrid(QWidget):
    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = ArrivalProfile()
        self._loading = False
        self.kind = QComboBox()
        for kind, text in KINDS:
            self.kind.addItem(text, kind)
        self.preview = ProfilePreview()
        self.grid = QTableWidget(24, 1)
        self.grid.setVerticalHeaderLabels([f"{h:02d}:00" for h in range(24)])
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.grid.verticalHeader().setDefaultSectionSize(22)
        self.grid.setFixedHeight(GRID_HEIGHT)
        self.grid.setToolTip("Relative arrival intensity per local hour (scaled so the mean is 1)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.kind)
        layout.addWidget(self.preview)
        layout.addWidget(self.grid)
        self.kind.activated.connect(self._kind_chosen)
        self.grid.itemChanged.connect(self._cell_changed)

    def set_value(self, profile: ArrivalProfile) -> None:
        self._loading = True
        self._value = copy.deepcopy(profile)
        self.kind.setCurrentIndex(self.kind.findData(profile.kind))
        days = 7 if profile.kind == "weekly" else 1
        self.grid.setColumnCount(days)
        self.grid.setHorizontalHeaderLabels(list(WEEKDAYS) if days == 7 else ["× mean"])
        for col in range(days):
            for hour in range(24):
                index = col * 24 + hour
                text = f"{profile.multipliers[index]:.4g}" if index < len(profile.multipliers) else ""
                cell = self.grid.item(hour, col)
                if cell is None:
                    cell = QTableWidgetItem(text)
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.grid.setItem(hour, col, cell)
                elif cell.text() != text:
                    cell.setText(text)
                self.grid.item(hour, col).setBackground(QBrush())
        self.grid.setVisible(profile.kind != "flat")
        self.preview.set_multipliers(profile.multipliers)
        self.problem.emit(self._problem(profile.multipliers) if profile.kind != "flat" else "")
        self._loading = False

    def _kind_chosen(self, index: int) -> None:
        profile = with_kind(self._value, self.kind.itemData(index))
        if profile != self._value:
            self.edited.emit("", profile)

    def _cell_changed(self, cell: QTableWidgetItem) -> None:
        if self._loading:
            return
        multipliers = []
        bad: set[tuple[int, int]] = set()
        for col in range(self.grid.columnCount()):
            for hour in range(24):
                item = self.grid.item(hour, col)
                try:
                    value = float(item.text().replace(",", ".")) if item is not None else math.nan
                except ValueError:
                    value = math.nan
                if not math.isfinite(value) or value < 0:
                    bad.add((hour, col))
                multipliers.append(value)
        self._loading = True
        for col in range(self.grid.columnCount()):
            for hour in range(24):
                item = self.grid.item(hour, col)
                item.setBackground(QBrush(QColor(PROBLEM_BACKGROUND)) if (hour, col) in bad else QBrush())
        self._loading = False
        message = self._problem(multipliers)
        self.problem.emit(message)
        if not message:
            self.preview.set_multipliers(multipliers)
            self.edited.emit("", ArrivalProfile(self._value.kind, multipliers))

    @staticmethod
    def _problem(multipliers: list[float]) -> str:
        if any(not math.isfinite(v) or v < 0 for v in multipliers):
            return "hourly multipliers must be numbers ≥ 0"
        if not any(multipliers):
            return "at least one hour needs a multiplier > 0"
        return ""
