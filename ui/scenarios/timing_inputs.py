"""The launch-plan inputs of one change: when it starts and ends, how it ramps in, and which items it is for.

Why: a policy does not switch on for everything at once — it starts at the launch (or a week later), reviewers
get faster as they learn, and some markets go first. These inputs add that to a change in the change editor.

Rules:
- Starts / Ends take an instant (:func:`flowmodel.launch.parse_instant`: ``launch``, ``+7d``, ``+36h``,
  ``2027-01-11 09:00``); empty means the start or the end of the run. A text that is not an instant is shown
  inline at once and the change cannot be stored (:meth:`TimingInputs.timing` raises :class:`InstantError`).
- A ramp's "at launch" value is typed in the unit of the change's value and converted by the change editor
  (``typed``), so it is stored in the field's stored unit like the value; "over" is a linear ramp's length,
  "half-life" a learning curve's.
- Timing is offered only where :func:`flowmodel.launch_fields.can_time` allows it and the scope only where
  :func:`~flowmodel.launch_fields.can_scope` does; otherwise the inputs are greyed with the reason, and
  :meth:`TimingInputs.timing` / :meth:`TimingInputs.scope` ignore what they hold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from flowmodel.errors import ModelError
from flowmodel.launch import Ramp, Scope, parse_instant
from flowmodel.launch_fields import NOT_TIMEABLE_HINT
from flowmodel.workflow import Workflow
from ui.forms.problem_label import PROBLEM_RED
from ui.scenarios.scope_picker import ScopePicker

INSTANT_PLACEHOLDER = "launch, +7d or 2027-01-11 09:00"
INSTANT_TIP = ("launch, an offset from the launch (+7d, +36h, +2w, -1d) or a UTC date-time (2027-01-11 09:00); "
               "empty = {empty} of the run")
RAMP_CHOICES: tuple[tuple[str, str | None], ...] = (("no ramp", None), ("linear", "linear"),
                                                    ("learning curve", "learning"))
RAMP_HOURS_WORDS = {"linear": "over", "learning": "half-life"}
NOT_TIMEABLE = f"This field holds for the whole run. You can {NOT_TIMEABLE_HINT.split('; ')[0]}."
NOT_SCOPEABLE = "A team's roster, a latency or a wait applies to every item: it cannot be scoped."
REASON_GREY = "color: palette(placeholder-text);"


class InstantError(ValueError):
    """A Starts or Ends text that is not an instant (shown inline by the inputs themselves)."""


def _row(*widgets: QWidget, stretches: tuple[int, ...] = ()) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for index, widget in enumerate(widgets):
        row.addWidget(widget, stretches[index] if index < len(stretches) else 0)
    return row


class TimingInputs(QObject):
    """The widgets, laid out by the change editor as form rows (:meth:`rows`); ``edited`` on any change."""

    edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.starts = QLineEdit()
        self.ends = QLineEdit()
        for edit in (self.starts, self.ends):
            edit.setPlaceholderText(INSTANT_PLACEHOLDER)
        self.ramp = QComboBox()
        for words, shape in RAMP_CHOICES:
            self.ramp.addItem(words, shape)
        self.ramp.setToolTip("Linear: the value moves from its launch value to the change's value over the hours "
                             "given. Learning curve: the remaining gap halves every half-life.")
        self.launch_value = QLineEdit()
        self.launch_value.setPlaceholderText("the value at the start, e.g. 1.0")
        self.launch_value.setToolTip("The value at the start, in the unit of the change's value")
        self.launch_unit = QLabel()
        self.launch_label = QLabel("At launch:")
        self.launch_row = QWidget()
        launch = _row(self.launch_value, self.launch_unit)
        launch.addStretch(1)
        self.launch_value.setMaximumWidth(140)
        self.launch_row.setLayout(launch)
        self.ramp_words = QLabel("over")
        self.ramp_hours = QDoubleSpinBox()
        self.ramp_hours.setRange(0.5, 24 * 366)
        self.ramp_hours.setDecimals(1)
        self.ramp_hours.setValue(168.0)
        self.ramp_hours.setSuffix(" h")
        self.scope_picker = ScopePicker()
        self.instant_problem = QLabel()
        self.instant_problem.setStyleSheet(f"color: {PROBLEM_RED};")
        self.instant_problem.setWordWrap(True)
        self.instant_problem.hide()
        self.reason = QLabel()
        self.reason.setStyleSheet(REASON_GREY)
        self.reason.setWordWrap(True)
        self.reason.hide()
        self.timeable = self.scopeable = True
        self.ramp.currentIndexChanged.connect(self._ramp_changed)
        for signal in (self.starts.textChanged, self.ends.textChanged):
            signal.connect(self._instants_changed)
        for signal in (self.launch_value.textChanged, self.ramp_hours.valueChanged, self.scope_picker.edited):
            signal.connect(self.edited)
        self._ramp_changed()
        self.set_allowed(True, True)

    def rows(self) -> list[tuple[str | QLabel, QWidget | QHBoxLayout]]:
        """(label, field) rows for the change editor's form; the "At launch" row shows only with a ramp."""
        when = _row(self.starts, QLabel("Ends:"), self.ends, stretches=(1, 0, 1))
        ramp = _row(self.ramp, self.ramp_words, self.ramp_hours, stretches=(1, 0, 0))
        return [("Starts:", when), ("", self.instant_problem), ("Ramp:", ramp), (self.launch_label, self.launch_row),
                ("Only for:", self.scope_picker), ("", self.reason)]

    def set_workflow(self, workflow: Workflow) -> None:
        self.scope_picker.set_workflow(workflow)

    def set_unit(self, unit: str) -> None:
        """The unit the change's value is typed in (the launch value is typed in it too)."""
        self.launch_unit.setText(unit)
        self.launch_unit.setVisible(bool(unit))

    def set_allowed(self, timeable: bool, scopeable: bool) -> None:
        """Grey what the field cannot have, with the reason as a tooltip and a note."""
        self.timeable, self.scopeable = timeable, scopeable
        for widget in (self.starts, self.ends, self.ramp, self.launch_value, self.ramp_hours):
            widget.setEnabled(timeable)
        for edit, empty in ((self.starts, "the start"), (self.ends, "the end")):
            edit.setToolTip(INSTANT_TIP.format(empty=empty) if timeable else NOT_TIMEABLE)
        self.scope_picker.setEnabled(scopeable)
        reason = NOT_TIMEABLE if not timeable else NOT_SCOPEABLE if not scopeable else ""
        self.scope_picker.setToolTip(reason or "Tick what the change applies to; nothing ticked means every item")
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self._instants_changed()

    # -- inputs ⇄ stored -------------------------------------------------------------------------
    def instants(self) -> tuple[str, str]:
        """The Starts and Ends texts (InstantError saying what to type when one is not an instant)."""
        out = []
        for edit, words in ((self.starts, "Starts"), (self.ends, "Ends")):
            text = edit.text().strip()
            if text:
                try:
                    parse_instant(text, words)
                except ModelError as error:
                    raise InstantError(f"{words}: {error.message} — {error.hint}") from None
            out.append(text)
        return out[0], out[1]

    def timing(self, typed: Callable[[str], Any]) -> tuple[str, str, Ramp | None]:
        """(start, end, ramp) as stored; ``typed`` turns the launch value's text into the stored value."""
        if not self.timeable:
            return "", "", None
        start, end = self.instants()
        shape = self.ramp.currentData()
        if shape is None:
            return start, end, None
        if not self.launch_value.text().strip():
            raise ValueError("type the value at launch the ramp starts from")
        return start, end, Ramp(launch_value=typed(self.launch_value.text()), shape=shape,
                                hours=float(self.ramp_hours.value()))

    def scope(self) -> Scope | None:
        return self.scope_picker.scope() if self.timeable and self.scopeable else None

    def load(self, start: str, end: str, ramp: Ramp | None, scope: Scope | None, shown: Callable[[Any], str]) -> None:
        """Show a stored change's timing; ``shown`` writes a stored launch value as the planner types it."""
        self.starts.setText(start)
        self.ends.setText(end)
        self.ramp.setCurrentIndex(max(0, self.ramp.findData(ramp.shape if ramp is not None else None)))
        self.launch_value.setText(shown(ramp.launch_value) if ramp is not None else "")
        if ramp is not None:
            self.ramp_hours.setValue(float(ramp.hours))
        self.scope_picker.load(scope)

    def _ramp_changed(self) -> None:
        shape = self.ramp.currentData()
        for widget in (self.launch_label, self.launch_row, self.ramp_words, self.ramp_hours):
            widget.setVisible(shape is not None)
        self.ramp_words.setText(RAMP_HOURS_WORDS.get(shape or "", "over"))
        self.edited.emit()

    def _instants_changed(self) -> None:
        problem = ""
        if self.timeable:
            try:
                self.instants()
            except InstantError as error:
                problem = str(error)
        self.instant_problem.setText(problem)
        self.instant_problem.setVisible(bool(problem))
        self.edited.emit()
