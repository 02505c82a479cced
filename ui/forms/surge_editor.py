"""Surges of a source: temporary multipliers on the arrival rate (a viral event).

Rules: start and duration are hours from the start of the horizon; the multiplier is > 0 (below 1 is a lull).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from flowmodel.nodes import Surge
from ui.forms.record_table import Column, RecordTable


class SurgeEditor(RecordTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column("Label", lambda s: s.label, required=False),
            Column("Start (h)", lambda s: s.start_hour, "number", 0.0, 1e6),
            Column("Duration (h)", lambda s: s.duration_hours, "number", 0.0, 1e6),
            Column("× rate", lambda s: s.multiplier, "number", 0.0, 1000.0),
        ]
        super().__init__(columns, lambda v: Surge(v[1], v[2], v[3], v[0]), lambda _: Surge(label="surge"),
                         "Add surge", parent)

    def check(self, records: list[Any]) -> str:
        if any(s.duration_hours <= 0 for s in records):
            return "a surge must last more than 0 h"
        if any(s.multiplier <= 0 for s in records):
            return "a surge multiplier must be > 0"
        return ""
