"""Time units of durations: a unit chooser and the conversion it applies.

Rule: switching the unit keeps the duration the same and converts the numbers — a planner who switches
90 s to min sees 1.5 min. (Re-labelling 90 s as 90 min would silently change the model by a factor 60.)
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from flowmodel.distributions import SECONDS_PER_UNIT, UNIT_NAMES


def convert_duration(value: float, unit: str, new_unit: str) -> float:
    """``value`` in ``unit`` expressed in ``new_unit`` (12 significant digits, so 90 s is 1.5 min, not 1.5000000001)."""
    return float(f"{value * SECONDS_PER_UNIT[unit] / SECONDS_PER_UNIT[new_unit]:.12g}")


class UnitCombo(QComboBox):
    """s / min / h / d. ``unit_switched(old, new)`` fires only when the planner picks another unit."""

    unit_switched = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for unit, name in UNIT_NAMES.items():
            self.addItem(unit, unit)
            self.setItemData(self.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
        self._unit = "s"
        self.activated.connect(self._picked)
        self.setToolTip("Time unit; switching it converts the numbers and keeps the duration")

    def unit(self) -> str:
        return self._unit

    def set_unit(self, unit: str) -> None:
        self._unit = unit
        self.blockSignals(True)
        self.setCurrentIndex(max(0, self.findData(unit)))
        self.blockSignals(False)

    def _picked(self, index: int) -> None:
        new = self.itemData(index)
        old, self._unit = self._unit, new
        if new != old:
            self.unit_switched.emit(old, new)
