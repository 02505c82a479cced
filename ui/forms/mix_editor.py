"""Item mix of a source: which share of arrivals has which category, language and priority.

Rules: shares are fractions of all arrivals and must sum to 1 (within 1e-6); a mix that does not is shown
with its sum ("shares sum to 0.95 — they must sum to 1") and not stored. "Normalise" scales the shares so
they sum to 1, which is the usual fix after adding a row.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from flowmodel.nodes import MixEntry, Source
from flowmodel.workflow import Workflow
from ui.forms.record_table import Column, RecordTable

SUM_TOLERANCE = 1e-6


def values_in_mixes(workflow: Workflow, attribute: str) -> list[str]:
    """The categories, languages or priorities that the workflow's sources produce, sorted."""
    return sorted({getattr(entry, attribute) for node in workflow.nodes.values() if isinstance(node, Source)
                   for entry in node.mix})


def mix_problem(mix: list[MixEntry]) -> str:
    if not mix:
        return "the mix needs at least one row"
    total = sum(entry.share for entry in mix)
    if not math.isclose(total, 1.0, abs_tol=SUM_TOLERANCE):
        return f"shares sum to {total:.4g} — they must sum to 1 (Normalise scales them)"
    return ""


class MixEditor(RecordTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column("Category", lambda e: e.category),
            Column("Language", lambda e: e.language),
            Column("Priority", lambda e: e.priority),
            Column("Share", lambda e: e.share, "number", 0.0, 1.0),
        ]
        super().__init__(columns, lambda v: MixEntry(*v), self._blank, "Add row", parent)
        self.sum_label = QLabel()
        self.normalise_button = QPushButton("Normalise")
        self.normalise_button.setToolTip("Scale the shares so that they sum to 1")
        self.normalise_button.clicked.connect(self.normalise)
        self.buttons.insertWidget(2, self.normalise_button)
        self.buttons.addWidget(self.sum_label)
        self._draft: list[MixEntry] | None = None

    def check(self, records: list[Any]) -> str:
        return mix_problem(records)

    def draft_changed(self, records: list[Any] | None) -> None:
        self._draft = records
        self.sum_label.setText("sum —" if records is None else f"sum {sum(e.share for e in records):.4g}")

    def normalise(self) -> None:
        records = self._draft if self._draft is not None else self.value()
        total = sum(entry.share for entry in records)
        if total > 0:
            self._offer([MixEntry(e.category, e.language, e.priority, e.share / total) for e in records])

    @staticmethod
    def _blank(records: list[MixEntry]) -> MixEntry:
        last = records[-1] if records else MixEntry()
        return MixEntry(last.category, last.language, last.priority, 0.0)
