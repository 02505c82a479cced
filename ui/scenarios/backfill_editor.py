"""The dialog of one backfill: a batch of existing content sent for re-review when a policy launches.

Rules:
- A backfill enters a stage, classifier, router or delay (a source makes its own items and an outcome ends them).
- Its mix rows name a category, language and priority that some source produces (the engine sorts backfilled
  items into the workflow's item classes) with shares summing to 1, as a source's mix (:mod:`ui.forms.mix_editor`).
- Start is an instant (:func:`flowmodel.launch.parse_instant`); "spread over" 0 sends every item at once.
- :meth:`BackfillDialog.backfill` builds the edited :class:`Backfill` (same id when editing) or raises
  ``ValueError`` saying what to fix; OK is enabled only when it would succeed. The dialog holds no model state:
  the caller stores the backfill through an undoable command.
"""

from __future__ import annotations

import copy

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from flowmodel.errors import ModelError
from flowmodel.launch import Backfill, parse_instant
from flowmodel.nodes import MixEntry, Source
from flowmodel.workflow import Workflow
from ui.forms.mix_editor import MixEditor
from ui.scenarios.change_editor import KIND_WORDS
from ui.scenarios.item_dialog import check, lay_out
from ui.scenarios.timing_inputs import INSTANT_PLACEHOLDER

BACKFILL_KINDS: tuple[str, ...] = ("review_stage", "classifier", "router", "delay")
MAX_ITEMS = 10_000_000


def instant_problem(text: str, words: str) -> str:
    """``Start: … is not an instant — write …`` ("" for an instant)."""
    try:
        parse_instant(text, words)
    except ModelError as error:
        return f"{words}: {error.message} — {error.hint}"
    return ""


def produced_classes(workflow: Workflow) -> set[tuple[str, str, str]]:
    return {(e.category, e.language, e.priority) for node in workflow.nodes.values() if isinstance(node, Source)
            for e in node.mix}


def first_mix(workflow: Workflow) -> list[MixEntry]:
    """A new backfill's mix: the first source's (re-review of what arrives)."""
    source = next((n for n in workflow.nodes.values() if isinstance(n, Source) and n.mix), None)
    return copy.deepcopy(source.mix) if source is not None else [MixEntry()]


class BackfillDialog(QDialog):
    """Name, target, items, mix, start and spread of one backfill (see module rules)."""

    def __init__(self, workflow: Workflow, backfill: Backfill | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workflow = workflow
        self.original = copy.deepcopy(backfill) if backfill is not None else Backfill(mix=first_mix(workflow))
        self.setWindowTitle("Edit backfill" if backfill is not None else "Add backfill")
        self.name = QLineEdit(self.original.name)
        self.target = QComboBox()
        for node in workflow.nodes.values():
            if node.kind in BACKFILL_KINDS:
                self.target.addItem(f"{node.name or '(unnamed)'} ({KIND_WORDS[node.kind]})", node.id)
        self.target.setCurrentIndex(max(0, self.target.findData(self.original.target)))
        self.target.setToolTip("Where the backfilled items enter the workflow")
        self.items = QSpinBox()
        self.items.setRange(1, MAX_ITEMS)
        self.items.setGroupSeparatorShown(True)
        self.items.setValue(int(self.original.items))
        self.mix = MixEditor()
        self.mix.set_value(self.original.mix)
        self._mix_problem = ""
        self.start = QLineEdit(self.original.start)
        self.start.setPlaceholderText(INSTANT_PLACEHOLDER)
        self.spread = QDoubleSpinBox()
        self.spread.setRange(0.0, 24 * 366)
        self.spread.setDecimals(1)
        self.spread.setSuffix(" h")
        self.spread.setSpecialValueText("all at once")
        self.spread.setValue(float(self.original.spread_hours))
        self.spread.setToolTip("The items arrive evenly spread over this many hours from the start")
        self.note = QLineEdit(self.original.note)
        self.note.setPlaceholderText("why, e.g. re-review of last month's reports (optional)")
        self.problem, self.buttons = lay_out(self, [
            ("Name:", self.name), ("Enters:", self.target), ("Items:", self.items), ("Mix:", self.mix),
            ("Starts:", self.start), ("Spread over:", self.spread), ("Note:", self.note)])
        self.mix.problem.connect(self._mix_checked)
        self.mix.edited.connect(lambda *_: self._check())
        for signal in (self.name.textChanged, self.start.textChanged, self.items.valueChanged,
                       self.target.currentIndexChanged):
            signal.connect(self._check)
        self.resize(560, self.sizeHint().height())
        self._check()

    def _mix_checked(self, problem: str) -> None:
        self._mix_problem = problem
        self._check()

    def backfill(self) -> Backfill:
        """The backfill the inputs describe; ValueError saying what to fix."""
        if self.target.currentData() is None:
            raise ValueError("the workflow has no stage, classifier, router or delay for the items to enter")
        if self._mix_problem:
            raise ValueError(f"Mix: {self._mix_problem}")
        mix = self.mix.value()
        produced = produced_classes(self.workflow)
        for entry in mix:
            if (entry.category, entry.language, entry.priority) not in produced:
                raise ValueError(f"Mix: no source produces {entry.category} · {entry.language} · {entry.priority} "
                                 "items — use a category, language and priority of a source's mix")
        if problem := instant_problem(self.start.text().strip(), "Starts"):
            raise ValueError(problem)
        return Backfill(name=self.name.text().strip() or "Backfill", id=self.original.id,
                        target=self.target.currentData(), items=self.items.value(), mix=mix,
                        start=self.start.text().strip() or "launch", spread_hours=float(self.spread.value()),
                        note=self.note.text().strip())

    def _check(self) -> None:
        check(self.problem, self.buttons, self.backfill)
