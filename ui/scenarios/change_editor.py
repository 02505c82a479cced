"""The editor of one scenario change, in planner words: node or team, field, operation, value and unit.

Why: a planner should pick "Tier 1 review", "handle time", "add", "40", "s" — not type ``handle_time.mean``.
The fields come from :mod:`flowmodel.change_fields`; a duration can be typed in any unit (s, min, h, d), a
share in %, a rate per hour, day or week, and :func:`~flowmodel.change_fields.to_stored` converts the value to
the field's stored unit, so the stored change and the scenario file keep their plain form.

Rules: the editor holds no model state; :meth:`ChangeEditor.change` builds the :class:`Change` the inputs
describe (or raises ``ValueError`` saying what to type) and :meth:`ChangeEditor.load` shows a stored change.
A headcount set per weekday applies to the days chosen ("Mon–Fri"); the other days keep the baseline's value.
The launch-plan inputs (starts, ends, ramp, "only for") are :mod:`ui.scenarios.timing_inputs`; a ramp's launch
value is typed and converted exactly like the value.
"""

from __future__ import annotations

import json
import math
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from flowmodel.change_fields import OPERATION_WORDS, ChangeField, field_for, fields_for, from_stored, to_stored
from flowmodel.change_words import duration_text
from flowmodel.errors import ModelError
from flowmodel.launch_fields import can_scope, can_time
from flowmodel.nodes import WEEKDAYS
from flowmodel.scenarios import Change, current_value
from flowmodel.workflow import Workflow
from ui.forms.problem_label import PROBLEM_RED
from ui.scenarios.timing_inputs import TimingInputs

#: Day choices of a per-weekday set, with the weekday indexes (Monday = 0) they cover.
DAY_CHOICES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("every day", tuple(range(7))), ("Mon–Fri", tuple(range(5))), ("Sat–Sun", (5, 6)),
    *((day, (index,)) for index, day in enumerate(WEEKDAYS)),
)
KIND_WORDS = {"source": "source", "classifier": "classifier", "review_stage": "review stage", "router": "router",
              "delay": "delay", "outcome": "outcome"}


def parse_number(text: str) -> float | list[float]:
    """A number (``40``, ``0,5``, ``8 %``) or a list of numbers (``[20, 20, 20, 20, 20, 0, 0]``)."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".") if not text.strip().startswith("[") \
        else text.strip()
    try:
        value = json.loads(cleaned)
    except ValueError:
        raise ValueError("type a number, e.g. 40 or 1.25") from None
    if isinstance(value, list) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError("type a number, e.g. 40 or 1.25")
    return value


class ChangeEditor(QWidget):
    """Inputs of one change (see module rules); ``edited`` fires when any input changes."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workflow: Workflow | None = None
        self.target = QComboBox()
        self.target.setToolTip("The node or team the change applies to")
        self.field = QComboBox()
        self.field.setToolTip("What the change alters, e.g. the handle time or a branch's share")
        self.operation = QComboBox()
        for op, words in OPERATION_WORDS.items():
            self.operation.addItem(words, op)
        self.value = QLineEdit()
        self.value.setPlaceholderText("e.g. 40")
        self.unit = QComboBox()
        self.unit.setToolTip("The unit you type the value in; it is converted to the field's own unit")
        self.days = QComboBox()
        for words, days in DAY_CHOICES:
            self.days.addItem(words, days)
        self.days.setToolTip("The weekdays whose headcount is set; the other days keep the baseline's")
        self.note = QLineEdit()
        self.note.setPlaceholderText("why, e.g. longer checklist (optional)")
        self.timing = TimingInputs(self)
        self.problem = QLabel()
        self.problem.setStyleSheet(f"color: {PROBLEM_RED};")
        self.problem.setWordWrap(True)
        amount = QHBoxLayout()
        amount.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.operation, 0), (self.value, 1), (self.unit, 0), (self.days, 0)):
            amount.addWidget(widget, stretch)
        rows = QFormLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addRow("Node / team:", self.target)
        rows.addRow("Field:", self.field)
        rows.addRow("Change:", amount)
        for label, widget in self.timing.rows():
            if label:
                rows.addRow(label, widget)
            else:
                rows.addRow(widget)
        rows.addRow("Note:", self.note)
        rows.addRow(self.problem)
        self.target.currentIndexChanged.connect(self._target_changed)
        self.field.currentIndexChanged.connect(self._field_changed)
        self.operation.currentIndexChanged.connect(self._operation_changed)
        for signal in (self.value.textChanged, self.unit.currentIndexChanged, self.days.currentIndexChanged,
                       self.note.textChanged, self.timing.edited):
            signal.connect(self.edited)
        self.unit.currentIndexChanged.connect(self._unit_changed)

    # -- choices ---------------------------------------------------------------------------------
    def set_workflow(self, workflow: Workflow) -> None:
        """Offer the nodes and teams of ``workflow`` that have something to change."""
        self.workflow = workflow
        self.timing.set_workflow(workflow)
        current = self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        for node in workflow.nodes.values():
            if fields_for(workflow, node.id):
                self.target.addItem(f"{node.name or '(unnamed)'} ({KIND_WORDS.get(node.kind, node.kind)})", node.id)
        for team in workflow.teams.values():
            self.target.addItem(f"{team.name or '(unnamed)'} (team)", team.id)
        index = self.target.findData(current)
        self.target.setCurrentIndex(index if index >= 0 else 0)
        self.target.blockSignals(False)
        self._target_changed()

    def fields(self) -> list[ChangeField]:
        if self.workflow is None or self.target.currentData() is None:
            return []
        return fields_for(self.workflow, self.target.currentData())

    def entry(self) -> ChangeField | None:
        fields = self.fields()
        index = self.field.currentIndex()
        return fields[index] if 0 <= index < len(fields) else None

    def select_target(self, target_id: str) -> None:
        self.target.setCurrentIndex(max(0, self.target.findData(target_id)))

    def select_field(self, label: str) -> None:
        self.field.setCurrentIndex(max(0, self.field.findText(label)))

    def select_operation(self, op: str) -> None:
        self.operation.setCurrentIndex(max(0, self.operation.findData(op)))

    def _target_changed(self) -> None:
        current = self.field.currentText()
        self.field.blockSignals(True)
        self.field.clear()
        for entry in self.fields():
            self.field.addItem(entry.label, entry.path)
        index = self.field.findText(current)
        self.field.setCurrentIndex(index if index >= 0 else 0)
        self.field.blockSignals(False)
        self._field_changed()

    def _field_changed(self) -> None:
        entry = self.entry()
        current = self.unit.currentText()
        self.unit.blockSignals(True)
        self.unit.clear()
        units = entry.units() if entry is not None else ()
        self.unit.addItems(list(units))
        if entry is not None and entry.unit in units:
            self.unit.setCurrentText(entry.unit)
        if current in units:
            self.unit.setCurrentText(current)
        self.unit.blockSignals(False)
        self._operation_changed()

    def _operation_changed(self) -> None:
        entry, op = self.entry(), self.operation.currentData()
        self.unit.setVisible(self.unit.count() > 0)
        self.unit.setEnabled(op != "scale")
        self.days.setVisible(bool(entry is not None and entry.per_weekday and op == "set"))
        self.value.setPlaceholderText("factor, e.g. 1.25" if op == "scale" else "e.g. 40")
        target = self.target.currentData()
        timeable = bool(self.workflow is not None and entry is not None and target is not None
                        and can_time(self.workflow, target, entry.path))
        self.timing.set_allowed(timeable, timeable and can_scope(self.workflow, target, entry.path))
        self._unit_changed()
        self.edited.emit()

    def _unit_changed(self) -> None:
        op = self.operation.currentData()
        self.timing.set_unit(self.unit.currentText() if self.unit.count() and op != "scale" else "")

    # -- change ⇄ inputs ---------------------------------------------------------------------------
    def change(self) -> Change:
        """The change the inputs describe, its value in the field's stored unit; ValueError saying what to fix."""
        entry, target = self.entry(), self.target.currentData()
        if entry is None or target is None or self.workflow is None:
            raise ValueError("choose a node or team and a field")
        op = str(self.operation.currentData())
        value = self._typed(self.value.text(), target, entry, op)
        start, end, ramp = self.timing.timing(lambda text: self._typed(text, target, entry, op))
        return Change(target=target, path=entry.path, op=op, value=value,  # type: ignore[arg-type]
                      note=self.note.text().strip(), start=start, end=end, ramp=ramp, scope=self.timing.scope())

    def _typed(self, text: str, target: str, entry: ChangeField, op: str) -> Any:
        """What the planner typed for ``entry``, in the field's stored unit (ValueError saying what to fix)."""
        value: Any = parse_number(text)
        if entry.family == "share" and op != "scale" and isinstance(value, (int, float)) \
                and not -100 <= value <= 100:
            raise ValueError("type the share in %, between 0 and 100")
        if entry.per_weekday and op == "set" and not isinstance(value, list):
            value = self._per_weekday(target, entry, value)
        elif entry.per_weekday and op != "set" and isinstance(value, list):
            raise ValueError("to multiply or add, type one number; it applies to every day")
        unit = self.unit.currentText() if self.unit.count() else ""
        return to_stored(entry, op, value, unit)

    def _per_weekday(self, target: str, entry: ChangeField, value: float) -> list[float]:
        assert self.workflow is not None
        try:
            base = list(current_value(self.workflow, Change(target=target, path=entry.path)))
        except (ModelError, TypeError):
            base = [0] * 7
        days = self.days.currentData() or tuple(range(7))
        whole = int(value) if float(value).is_integer() else value
        return [whole if day in days else base[day] for day in range(len(base))]

    def load(self, change: Change) -> bool:
        """Show ``change`` in the inputs; False (inputs unchanged) when its node or team is not offered here —
        a share set on one edge in scenario mode, or a change whose node was deleted."""
        if self.workflow is None or self.target.findData(change.target) < 0:
            return False
        self.select_target(change.target)
        entry = field_for(self.workflow, change.target, change.path)
        index = self.field.findData(change.path)
        if index >= 0:
            self.field.setCurrentIndex(index)
        self.select_operation(change.op)
        unit = "%" if entry.family == "share" else entry.unit
        if entry.family == "duration" and change.op != "scale" and isinstance(change.value, (int, float)):
            unit = duration_text(change.value, entry.unit).rpartition(" ")[2]  # the unit that reads best
        if self.unit.findText(unit) >= 0:
            self.unit.setCurrentText(unit)
        if isinstance(change.value, list):
            self.days.setCurrentIndex(0)
        self.value.setText(shown_text(from_stored(entry, change.op, change.value, unit)))
        self.note.setText(change.note)
        self.timing.load(change.start, change.end, change.ramp, change.scope,
                         lambda stored: shown_text(from_stored(entry, change.op, stored, unit)))
        return True


def shown_text(shown: Any) -> str:
    """A value as the planner types it: ``40``, ``[20, 20, 8]``."""
    if isinstance(shown, list):
        return json.dumps(shown)
    if isinstance(shown, (int, float)) and not isinstance(shown, bool):
        return f"{shown:.10g}"
    return str(shown)
