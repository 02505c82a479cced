"""A scenario's launch settings: when the policy launches, and after how many days in SLA it counts as recovered.

Rules: the launch is an instant (:func:`flowmodel.launch.parse_instant`); empty means the start of the run. It is
stored when the planner leaves the field or presses Enter, and only when it is an instant — otherwise the field
says why inline and the scenario keeps its launch. The recovery days are stored as the spin box turns (one undo
step, :class:`~ui.scenarios.commands.SetLaunchCommand` merges). The widget holds no model state.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from flowmodel.errors import ModelError
from flowmodel.launch import parse_instant
from flowmodel.scenarios import Scenario
from flowmodel.workflow import Workflow
from ui.forms.problem_label import PROBLEM_RED
from ui.scenarios.commands import SetLaunchCommand


def launch_problem(text: str) -> str:
    """Why ``text`` cannot be a launch ("" when it can)."""
    try:
        parse_instant(text, "launch")
    except ModelError as error:
        return f"{error.message} — {error.hint}"
    return ""


class LaunchSettings(QWidget):
    """The launch instant and the recovery days of the selected scenario (see module rules)."""

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.workflow: Workflow | None = None
        self.scenario_id: str | None = None
        self.launch = QLineEdit()
        self.launch.setPlaceholderText("run start, or 2027-01-11 09:00")
        self.launch.setToolTip("When the policy launches (UTC); offsets such as +7d count from the run's start. "
                               "Empty: the start of the run")
        self.recovery_days = QSpinBox()
        self.recovery_days.setRange(1, 60)
        self.recovery_days.setSuffix(" days")
        self.recovery_days.setToolTip("The launch counts as recovered once every SLA target is met this many days "
                                      "in a row")
        self.problem = QLabel()
        self.problem.setStyleSheet(f"color: {PROBLEM_RED};")
        self.problem.setWordWrap(True)
        self.problem.hide()
        recovery = QHBoxLayout()
        recovery.setContentsMargins(0, 0, 0, 0)
        recovery.addWidget(QLabel("recovered after"))
        recovery.addWidget(self.recovery_days)
        recovery.addWidget(QLabel("in SLA"))
        recovery.addStretch(1)
        rows = QFormLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addRow("Launch:", self.launch)
        rows.addRow(self.problem)
        rows.addRow("Recovery:", recovery)
        self.launch.textChanged.connect(self._check)
        self.launch.editingFinished.connect(self.store)
        self.recovery_days.valueChanged.connect(lambda _days: self.store())

    def show_scenario(self, workflow: Workflow, scenario: Scenario | None) -> None:
        """Show ``scenario``'s settings (never pushes a command)."""
        same = scenario is not None and scenario.id == self.scenario_id
        self.workflow, self.scenario_id = workflow, scenario.id if scenario is not None else None
        self.setEnabled(scenario is not None)
        for widget, value in ((self.launch, scenario.launch if scenario else ""),
                              (self.recovery_days, scenario.recovery_days if scenario else 3)):
            widget.blockSignals(True)
            if isinstance(widget, QLineEdit):
                if not (same and self.problem.isVisible()):  # an invalid launch being typed stays shown
                    widget.setText(str(value))
            else:
                widget.setValue(int(value))
            widget.blockSignals(False)
        self._check()

    def _check(self) -> str:
        problem = launch_problem(self.launch.text()) if self.launch.text().strip() else ""
        self.problem.setText(f"Launch: {problem}" if problem else "")
        self.problem.setVisible(bool(problem))
        return problem

    def store(self) -> None:
        """Push the settings shown that differ from the scenario's: the launch when it is valid (an invalid one
        keeps the scenario's), the recovery days always — so a turn of the spin box is never lost."""
        if self.workflow is None or self.scenario_id not in self.workflow.scenarios:
            return
        scenario = self.workflow.scenarios[self.scenario_id]
        launch = scenario.launch if self._check() else self.launch.text().strip()
        days = self.recovery_days.value()
        if (launch, days) != (scenario.launch, scenario.recovery_days):
            self.undo_stack.push(SetLaunchCommand(self.workflow, scenario.id, launch, days))
