"""Per-category probabilities of a classifier's edge: "for hate speech, 60 % go this way".

Rules: a category listed here overrides the edge's probability for items of that category; a category
may appear once; probabilities are 0–1. The model stores them as a dict, the table shows one row each.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from ui.forms.record_table import Column, RecordTable


class CategoryProbabilities(RecordTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column("Category", lambda pair: pair[0]),
            Column("Probability", lambda pair: pair[1], "number", 0.0, 1.0),
        ]
        super().__init__(columns, tuple, self._blank, "Add category", parent)
        self.known_categories: list[str] = []

    def to_records(self, value: Any) -> list[Any]:
        return list(value.items())

    def to_value(self, records: list[Any]) -> Any:
        return dict(records)

    def check(self, records: list[Any]) -> str:
        names = [name for name, _ in records]
        repeated = sorted({n for n in names if names.count(n) > 1})
        return f"each category once: {', '.join(repeated)} appears more than once" if repeated else ""

    def _blank(self, records: list[tuple[str, float]]) -> tuple[str, float]:
        used = {name for name, _ in records}
        free = next((c for c in self.known_categories if c not in used), f"category {len(records) + 1}")
        return (free, 0.0)
