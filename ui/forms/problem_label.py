"""Inline display of a refused value: a red border on the field and a short message under it.

Rule: a value the model would refuse is never pushed; the field keeps what the planner typed, marked red,
and the message says what is wrong and what would be accepted.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

PROBLEM_RED = "#c62828"
PROBLEM_BACKGROUND = "#fdecea"


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Mark ``widget`` with a red border (or clear the mark); the style names the widget's own class so
    that children (a spin box's arrows, a combo's popup) keep their normal look."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    selector = next(cls.__name__ for cls in type(widget).__mro__ if cls.__module__.startswith("PySide6"))
    widget.setStyleSheet(f"{selector} {{ border: 1px solid {PROBLEM_RED}; border-radius: 3px; padding: 1px; }}"
                         if invalid else "")


class ProblemLabel(QLabel):
    """The message under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {PROBLEM_RED};")
        self.setVisible(False)

    def show_problem(self, message: str) -> None:
        if message == self.text():
            return
        self.setText(message)
        self.setVisible(bool(message))
