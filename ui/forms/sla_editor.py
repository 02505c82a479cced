"""SLA targets of a review stage: per priority, the share of items decided within a time.

Rules: one target per priority; share is shown in % (0–100); switching a row's unit keeps the time and
converts the number (24 h → 1 d), like every duration in the application.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from flowmodel.distributions import SECONDS_PER_UNIT
from flowmodel.nodes import SlaTarget
from ui.forms.record_table import Column, RecordTable
from ui.forms.units import convert_duration


class SlaEditor(RecordTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column("Priority", lambda t: t.priority),
            Column("Share (%)", lambda t: t.share, "number", 0.0, 100.0, scale=100.0),
            Column("Within", lambda t: t.within, "number", 0.0, 1e7),
            Column("Unit", lambda t: t.unit, "choice", choices=tuple(SECONDS_PER_UNIT)),
        ]
        super().__init__(columns, lambda v: SlaTarget(v[0], v[2], v[3], v[1]), self._blank, "Add target", parent)

    def check(self, records: list[Any]) -> str:
        priorities = [t.priority for t in records]
        repeated = sorted({p for p in priorities if priorities.count(p) > 1})
        if repeated:
            return f"one target per priority: {', '.join(repeated)} appears more than once"
        if any(t.within <= 0 for t in records):
            return "an SLA time must be > 0"
        return ""

    def adjust(self, row: int, column: int, before: SlaTarget, after: SlaTarget) -> SlaTarget:
        if after.unit != before.unit and after.within == before.within:
            after.within = convert_duration(before.within, before.unit, after.unit)
        return after

    @staticmethod
    def _blank(records: list[SlaTarget]) -> SlaTarget:
        used = {t.priority for t in records}
        free = next((p for p in ("P0", "P1", "P2", "P3") if p not in used), f"P{len(records)}")
        return SlaTarget(priority=free)
