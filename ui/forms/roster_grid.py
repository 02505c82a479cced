"""Shift roster of a team: one row per shift with its start, length and headcount per weekday.

Rules (as in :mod:`flowmodel.teams`): a shift starts at a local hour 0–24 and lasts 0–24 h (it may run past
midnight and then belongs to the weekday it started on); headcounts are whole reviewers ≥ 0; shift names are
unique because scenario paths address shifts by name (``shifts.day.headcount``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHeaderView, QWidget

from flowmodel.nodes import WEEKDAYS
from flowmodel.teams import Shift
from ui.forms.record_table import Column, RecordTable

DAY_COLUMN_WIDTH = 30
HOUR_COLUMN_WIDTH = 44
NAME_COLUMN_MINIMUM = 64


def _build(values: list[Any]) -> Shift:
    return Shift(values[0], values[1], values[2], list(values[3:]))


class RosterGrid(RecordTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column("Shift", lambda s: s.name),
            Column("Start", lambda s: s.start_hour, "number", 0.0, 24.0, tip="Local start hour, 0–24"),
            Column("Hours", lambda s: s.hours, "number", 0.0, 24.0, tip="Shift length in hours"),
            *(Column(day[:2], lambda s, d=d: s.headcount[d], "count", 0, 100000, tip=f"Reviewers rostered on {day}")
              for d, day in enumerate(WEEKDAYS)),
        ]
        super().__init__(columns, _build, self._blank, "Add shift", parent)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(columns)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, DAY_COLUMN_WIDTH if col > 2 else HOUR_COLUMN_WIDTH)
        self.table.setMinimumWidth(NAME_COLUMN_MINIMUM + 2 * HOUR_COLUMN_WIDTH + 7 * DAY_COLUMN_WIDTH + 4)

    def check(self, records: list[Any]) -> str:
        names = [s.name for s in records]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            return f"shift names must be unique: {', '.join(repeated)} appears more than once"
        if any(s.hours <= 0 for s in records):
            return "a shift must last more than 0 hours"
        return ""

    @staticmethod
    def _blank(records: list[Shift]) -> Shift:
        names = {s.name for s in records}
        name = next(n for n in ("day", "evening", "night", *(f"shift {i}" for i in range(2, 100))) if n not in names)
        start = {"day": 9.0, "evening": 17.0, "night": 1.0}.get(name, 9.0)
        return Shift(name, start, 8.0, [0] * 7)
