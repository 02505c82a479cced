"""Wellness caps of a team: the most hours a reviewer spends on a category per shift-day.

Rules (see :mod:`flowmodel.quality` and :mod:`simulations.wellness`): one row per category the planner knows (the
team's own categories, else those in the item mixes); a blank cell means no cap; a cap is 0–24 hours. A reviewer
at the cap takes only other work for the rest of the shift-day.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from ui.forms.category_table import CategoryTable, Cells, NumberColumn

HOURS_PER_DAY = 24.0


class WellnessCaps(CategoryTable):
    """``Team.wellness_caps`` (category → hours per shift-day) as a per-category table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([NumberColumn("Hours per\nshift-day", maximum=HOURS_PER_DAY, scale=1.0, blank="no cap",
                                       tip="the most hours one reviewer handles the category per shift-day")],
                         parent=parent)
        self.defaults = [None]

    def to_rows(self, value: Any) -> dict[str, Cells]:
        return {c: [hours] for c, hours in (value or {}).items()}

    def to_value(self, rows: dict[str, Cells]) -> Any:
        return {c: cells[0] for c, cells in rows.items() if cells[0] is not None}
