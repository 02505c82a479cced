"""A number field for forms: commits on Enter or leaving the field, shows no trailing zeros.

Rules: keyboard tracking is off, so typing "120" is one committed value, not 1, 12, 120; the mouse wheel
only changes a number when the field has focus, so scrolling a long form never edits it by accident.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QWidget


class NumberBox(QDoubleSpinBox):
    def __init__(self, minimum: float = 0.0, maximum: float = 1e6, decimals: int = 2, suffix: str = "",
                 step: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(decimals)
        self.setRange(minimum, maximum)
        self.setSingleStep(step)
        self.setSuffix(suffix)
        self.setKeyboardTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def textFromValue(self, value: float) -> str:
        text = self.locale().toString(value, "f", self.decimals())
        point = self.locale().decimalPoint()
        if point in text:
            text = text.rstrip("0").rstrip(point)
        return text

    def show_value(self, value: float) -> None:
        """Show ``value`` without emitting, and only if it differs from what is shown (keeps the cursor)."""
        if abs(self.value() - value) <= 0.5 * 10 ** -self.decimals():
            return
        self.blockSignals(True)
        self.setValue(value)
        self.blockSignals(False)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()
