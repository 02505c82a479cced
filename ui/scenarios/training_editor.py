"""The dialog of one training: reviewer-hours of a team taken off the floor while the policy is taught.

Rules: ``people`` 0 means the whole team (its head count, see :mod:`flowmodel.launch`); start and end are
instants (:func:`flowmodel.launch.parse_instant`). :meth:`TrainingDialog.training` builds the edited
:class:`Training` (same id when editing) or raises ``ValueError`` saying what to fix; OK is enabled only when it
would succeed. The dialog holds no model state: the caller stores the training through an undoable command.
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

from flowmodel.launch import Training
from flowmodel.workflow import Workflow
from ui.scenarios.backfill_editor import instant_problem
from ui.scenarios.item_dialog import check, lay_out
from ui.scenarios.timing_inputs import INSTANT_PLACEHOLDER

EVERYONE = "everyone"


class TrainingDialog(QDialog):
    """Name, team, hours per person, people, start and end of one training (see module rules)."""

    def __init__(self, workflow: Workflow, training: Training | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workflow = workflow
        self.original = copy.deepcopy(training) if training is not None else Training()
        self.setWindowTitle("Edit training" if training is not None else "Add training")
        self.name = QLineEdit(self.original.name)
        self.team = QComboBox()
        for team in workflow.teams.values():
            self.team.addItem(team.name or "(unnamed team)", team.id)
        self.team.setCurrentIndex(max(0, self.team.findData(self.original.team)))
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.25, 400.0)
        self.hours.setDecimals(2)
        self.hours.setSuffix(" h")
        self.hours.setValue(float(self.original.hours_per_person))
        self.hours.setToolTip("Hours each person spends in training (paid, not reviewing)")
        self.people = QSpinBox()
        self.people.setRange(0, 100_000)
        self.people.setSpecialValueText(EVERYONE)
        self.people.setValue(int(self.original.people))
        self.people.setToolTip("How many reviewers are trained; 0 = everyone in the team")
        self.start = QLineEdit(self.original.start)
        self.end = QLineEdit(self.original.end)
        for edit in (self.start, self.end):
            edit.setPlaceholderText(INSTANT_PLACEHOLDER)
        self.note = QLineEdit(self.original.note)
        self.note.setPlaceholderText("why, e.g. new hate-speech guidelines (optional)")
        self.problem, self.buttons = lay_out(self, [
            ("Name:", self.name), ("Team:", self.team), ("Hours per person:", self.hours), ("People:", self.people),
            ("Starts:", self.start), ("Ends:", self.end), ("Note:", self.note)])
        for signal in (self.name.textChanged, self.start.textChanged, self.end.textChanged,
                       self.team.currentIndexChanged):
            signal.connect(self._check)
        self.resize(460, self.sizeHint().height())
        self._check()

    def training(self) -> Training:
        """The training the inputs describe; ValueError saying what to fix."""
        if self.team.currentData() is None:
            raise ValueError("the workflow has no team to train")
        start, end = self.start.text().strip() or "launch", self.end.text().strip()
        if not end:
            raise ValueError("Ends: say when the training ends, e.g. +7d")
        for text, words in ((start, "Starts"), (end, "Ends")):
            if problem := instant_problem(text, words):
                raise ValueError(problem)
        return Training(name=self.name.text().strip() or "Training", id=self.original.id, team=self.team.currentData(),
                        hours_per_person=float(self.hours.value()), people=self.people.value(), start=start, end=end,
                        note=self.note.text().strip())

    def _check(self) -> None:
        check(self.problem, self.buttons, self.training)
