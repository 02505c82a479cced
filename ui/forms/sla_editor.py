"""SLA targets of a review stage: per priority, the share of items decided (or picked up) within a time.

Rules: one target per priority; share is shown in % (0–100); switching a row's unit keeps the time and
converts the number (24 h → 1 d), like every duration in the application. The clock is shown in words:
"time to decision" (from creation to the end of review) or "wait in queue" (from arrival at the stage to
the start of review); :data:`SLA_CLOCK_WORDS` maps the stored value to them. "Add target" starts with the
priority that arrives most at the stage and has no target yet (P2, what new sources emit, when nothing is
known), so a new target measures items that exist (see :mod:`flowmodel.sla_priorities`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from flowmodel.distributions import SECONDS_PER_UNIT
from flowmodel.nodes import SLA_CLOCK_WORDS, SlaTarget
from flowmodel.sla_priorities import default_sla_priority
from flowmodel.workflow import Workflow
from ui.forms.record_table import Column, RecordTable
from ui.forms.units import convert_duration


class SlaEditor(RecordTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        columns = [
            Column("Priority", lambda t: t.priority),
            Column("Share (%)", lambda t: t.share, "number", 0.0, 100.0, scale=100.0),
            Column("Within", lambda t: t.within, "number", 0.0, 1e7),
            Column("Unit", lambda t: t.unit, "choice", choices=tuple(SECONDS_PER_UNIT)),
            Column("Clock", lambda t: SLA_CLOCK_WORDS.get(t.clock, t.clock), "choice",
                   choices=tuple(SLA_CLOCK_WORDS.values()),
                   tip="time to decision: from the item's creation to the end of its review here; "
                       "wait in queue: from its arrival here to the start of its review"),
        ]
        super().__init__(columns, self._target, self._blank, "Add target", parent)
        self._stage: tuple[Workflow, str] | None = None

    def set_stage(self, workflow: Workflow, stage_id: str) -> None:
        """The stage whose targets these are (by default the enclosing item form's workflow and item)."""
        self._stage = (workflow, stage_id)

    def stage(self) -> tuple[Workflow | None, str | None]:
        if self._stage is not None:
            return self._stage
        parent = self.parentWidget()
        while parent is not None:
            workflow, item_id = getattr(parent, "workflow", None), getattr(parent, "item_id", None)
            if isinstance(workflow, Workflow) and isinstance(item_id, str):
                return workflow, item_id
            parent = parent.parentWidget()
        return None, None

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
    def _target(values: list[Any]) -> SlaTarget:
        clock = next((key for key, words in SLA_CLOCK_WORDS.items() if words == values[4]), values[4])
        return SlaTarget(values[0], values[2], values[3], values[1], clock)

    def _blank(self, records: list[SlaTarget]) -> SlaTarget:
        workflow, stage_id = self.stage()
        return SlaTarget(priority=default_sla_priority(workflow, stage_id, {t.priority for t in records}))
