"""The "Recommend staffing" dialog: targets and settings on the left, the search and its result on the right.

Rules:
- Targets are the model's SLA targets of the chosen scenario (baseline or a scenario), shown read-only
  (stage, priority, share, within); optional caps on occupancy and end backlog, the confidence level, which
  days share one headcount, run settings (from the workflow's saved ones; at least 2 replications), the
  bound on simulated rosters and the time budget of the trim are the user's. For a launch plan the user may
  staff the launch period (days from the launch) or the settled state after it apart from the whole run
  (:mod:`flowmodel.launch_period`); for other scenarios the whole run is staffed.
- Start first checks, on the UI thread and without simulating: the staffed model validates and some target
  can be met. Problems are shown with their reasons and nothing runs; targets no headcount can meet beside
  others that can are listed in the plan, and the rest is staffed. Otherwise the search runs in the
  background (:class:`StaffingController`), the settings are locked and Cancel stops it; the progress bar
  follows the current batch of simulations and the text names the phase and the rosters simulated so far.
- "Apply as new scenario" and "Export…" act on the shown plan only; the window does the applying
  (``apply_requested``). Every file question and error goes through :meth:`ask_export_path` / :meth:`show_error`.
- Closing the dialog while a search runs cancels it and waits for the workers to end.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from flowmodel.errors import FlowmodelError
from flowmodel.launch_period import DEFAULT_LAUNCH_DAYS, PERIOD_WORDS, PERIODS, period_settings
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Scenario, apply_scenario
from flowmodel.validation import validate
from flowmodel.validation_issues import errors
from flowmodel.workflow import Workflow
from reports.staffing_export import write_plan
from simulations.runner import BASELINE_NAME
from simulations.staffing import (
    DAY_GROUPS_ALL_WEEK,
    DAY_GROUPS_EACH_DAY,
    DAY_GROUPS_WEEKDAY_WEEKEND,
    SearchProgress,
    StaffingPlan,
    StaffingTargets,
    feasible_targets,
    infeasible_targets,
    targets_from_model,
)
from simulations.staffing.search import DEFAULT_TIME_BUDGET_S
from ui.report.export_actions import start_path
from ui.staffing.controller import StaffingController
from ui.staffing.result_view import StaffingResultView, read_only_cell, read_only_table

DAY_CHOICES = (("Weekdays and weekends", DAY_GROUPS_WEEKDAY_WEEKEND), ("The whole week alike", DAY_GROUPS_ALL_WEEK),
               ("Each day on its own", DAY_GROUPS_EACH_DAY))
EXPORT_FILTERS = ("JSON, everything (*.json)", "CSV, the staffing table (*.csv)", "Excel workbook (*.xlsx)")
PHASES = {"screen": "Screening rosters until every target holds", "trim": "Trimming to a minimal roster",
          "confirm": "Confirming at full length"}


def within_text(seconds: float) -> str:
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds / 60:g} min" if seconds >= 120 else f"{seconds:g} s"


def _spin(low: float, high: float, decimals: int, suffix: str = "", step: float = 1.0) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setSuffix(suffix)
    return box


class StaffingDialog(QDialog):
    """See the module rules; ``apply_requested(plan)`` asks the window to add the plan as a scenario."""

    apply_requested = Signal(object)

    #: The open document's file (exports start beside it); None while untitled. Set by the window wiring.
    document_path: Path | None = None

    def __init__(self, workflow: Workflow, parent: QWidget | None = None, jobs: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recommend staffing")
        self.workflow = workflow
        self.plan: StaffingPlan | None = None
        self.controller = StaffingController(self, jobs)
        self.scenario = QComboBox()
        self.goals = read_only_table(("Stage", "Priority", "Share", "Within"))
        self.goals.setMinimumHeight(120)
        self.goals.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # read-only: no cell looks picked
        self.use_occupancy, self.max_occupancy = QCheckBox("Max occupancy:"), _spin(1, 100, 0, " %", 5)
        self.use_backlog, self.max_backlog = QCheckBox("Max backlog at end:"), _spin(0, 1e7, 0, " items", 10)
        self.max_occupancy.setValue(85)
        self.max_backlog.setValue(100)
        self.confidence = QComboBox()
        for level in (0.8, 0.9, 0.95, 0.99):
            self.confidence.addItem(f"{level:.0%}", level)
        self.confidence.setCurrentIndex(2)
        self.days = QComboBox()
        for label, groups in DAY_CHOICES:
            self.days.addItem(label, groups)
        self.period = QComboBox()
        for key in PERIODS:
            self.period.addItem(PERIOD_WORDS[key].capitalize(), key)
        self.period.setToolTip("A launch plan's launch weeks need more people than the state it settles into: "
                               "staff them apart (targets judged on the items created in that part of the run)")
        self.launch_days = _spin(1, 365, 0, " days")
        self.launch_days.setValue(DEFAULT_LAUNCH_DAYS)
        self.launch_days.setToolTip("Length of the launch period, from the launch")
        self.horizon, self.warmup = _spin(1, 24 * 365, 1, " h"), _spin(0, 24 * 365, 1, " h")
        self.replications, self.seed, self.max_simulations = QSpinBox(), QSpinBox(), QSpinBox()
        self.replications.setRange(2, 1000)
        self.seed.setRange(0, 2_000_000_000)
        self.max_simulations.setRange(1, 10_000)
        self.max_simulations.setValue(60)
        self.time_budget = _spin(5, 3600, 0, " s", 5)
        self.time_budget.setValue(DEFAULT_TIME_BUDGET_S)
        self.time_budget.setToolTip("Wall seconds the trim may use; the confirmation at full length always runs")
        self.start_button, self.cancel_button = QPushButton("Start"), QPushButton("Cancel")
        self.start_button.setDefault(True)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status = QLabel("Idle.")
        self.status.setWordWrap(True)
        self.result = StaffingResultView()
        self.apply_button, self.export_button = QPushButton("Apply as new scenario"), QPushButton("Export…")
        close = QPushButton("Close")
        for button in (self.apply_button, self.export_button):
            button.setEnabled(False)
        self.apply_button.setToolTip("Add a scenario with the recommended headcounts (undoable) and select it")
        self.export_button.setToolTip("Save the plan as JSON (everything), CSV (the table) or an Excel workbook")
        self._build_layout(close)
        self.scenario.currentIndexChanged.connect(self.refresh_targets)
        self.period.currentIndexChanged.connect(self._enable_period)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.apply_button.clicked.connect(lambda: self.plan is not None and self.apply_requested.emit(self.plan))
        self.export_button.clicked.connect(self.export)
        close.clicked.connect(self.close)
        self.controller.running_changed.connect(self._set_running)
        self.controller.progressed.connect(self.show_progress)
        self.controller.finished.connect(self.show_plan)
        self.controller.failed.connect(lambda text: self._stopped("The search failed.", text))
        self.controller.cancelled.connect(lambda: self._stopped("Cancelled; no recommendation kept.", ""))
        self.set_workflow(workflow)

    def _build_layout(self, close: QPushButton) -> None:
        targets = QGroupBox("Targets")
        target_form = QFormLayout(targets)
        target_form.addRow("Scenario to staff:", self.scenario)
        target_form.addRow(QLabel("SLA targets of the model (edit them on the review stages):"))
        target_form.addRow(self.goals)
        target_form.addRow(self.use_occupancy, self.max_occupancy)
        target_form.addRow(self.use_backlog, self.max_backlog)
        target_form.addRow("Confidence:", self.confidence)
        target_form.addRow("One headcount for:", self.days)
        target_form.addRow("Staff for:", self.period)
        target_form.addRow("Launch period:", self.launch_days)
        runs = QGroupBox("Simulation")
        run_form = QFormLayout(runs)
        run_form.addRow("Horizon:", self.horizon)
        run_form.addRow("Warm-up:", self.warmup)
        run_form.addRow("Replications:", self.replications)
        run_form.addRow("Seed:", self.seed)
        run_form.addRow("Max simulations:", self.max_simulations)
        run_form.addRow("Time budget:", self.time_budget)
        start = QHBoxLayout()
        start.addWidget(self.start_button)
        start.addWidget(self.cancel_button)
        start.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(targets)
        left.addWidget(runs)
        left.addLayout(start)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        left.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.apply_button)
        actions.addWidget(self.export_button)
        actions.addStretch(1)
        actions.addWidget(close)
        right = QVBoxLayout()
        right.addWidget(self.result, 1)
        right.addLayout(actions)
        layout = QHBoxLayout(self)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setFixedWidth(400)
        layout.addWidget(left_widget)
        layout.addLayout(right, 1)
        self.resize(1280, 720)

    # -- inputs ----------------------------------------------------------------------------------
    def set_workflow(self, workflow: Workflow, scenario_id: str | None = None) -> None:
        """Fill the scenario list and the settings from ``workflow`` (``scenario_id`` preselected)."""
        self.workflow = workflow
        self.scenario.blockSignals(True)
        self.scenario.clear()
        self.scenario.addItem(BASELINE_NAME, None)
        for scenario in workflow.scenarios.values():
            self.scenario.addItem(scenario.name, scenario.id)
        self.scenario.setCurrentIndex(max(0, self.scenario.findData(scenario_id)) if scenario_id else 0)
        self.scenario.blockSignals(False)
        settings = workflow.run_settings
        self.horizon.setValue(settings.horizon_hours)
        self.warmup.setValue(settings.warmup_hours)
        self.replications.setValue(max(2, settings.replications))
        self.seed.setValue(settings.seed)
        self.refresh_targets()

    def staffed_model(self) -> Workflow:
        """The chosen scenario applied, without the workflow's other scenarios (what the search staffs)."""
        scenario_id = self.scenario.currentData()
        staffed = apply_scenario(self.workflow, self.workflow.scenarios[scenario_id] if scenario_id else None)
        staffed.scenarios = {}
        return staffed

    def targets(self, staffed: Workflow | None = None) -> StaffingTargets:
        return targets_from_model(
            staffed or self.staffed_model(), confidence=self.confidence.currentData(),
            max_occupancy=self.max_occupancy.value() / 100 if self.use_occupancy.isChecked() else None,
            max_backlog=self.max_backlog.value() if self.use_backlog.isChecked() else None,
            day_groups=self.days.currentData())

    def chosen_scenario(self) -> Scenario | None:
        scenario_id = self.scenario.currentData()
        return self.workflow.scenarios.get(scenario_id) if scenario_id else None

    def settings(self) -> RunSettings:
        """The search's settings: the dialog's, narrowed to the chosen period (:mod:`flowmodel.launch_period`;
        a :class:`ModelError` when the period does not fit the run)."""
        chosen = dataclasses.replace(self.workflow.run_settings, horizon_hours=self.horizon.value(),
                                     warmup_hours=self.warmup.value(), replications=self.replications.value(),
                                     seed=self.seed.value())
        return period_settings(self.chosen_scenario(), chosen, self.period.currentData(), self.launch_days.value())

    def _enable_period(self) -> None:
        """The period is offered for a launch plan only (the whole run otherwise)."""
        scenario = self.chosen_scenario()
        launch = scenario is not None and scenario.is_launch_plan()
        if not launch:
            self.period.setCurrentIndex(0)
        self.period.setEnabled(launch and not self.controller.running)
        self.launch_days.setEnabled(launch and self.period.currentData() == "launch" and not self.controller.running)

    def refresh_targets(self) -> None:
        """Show the SLA targets of the chosen scenario (read-only)."""
        self._enable_period()
        try:
            goals = self.targets().sla
        except FlowmodelError as error:
            goals = ()
            self.status.setText(error.render())
        self.goals.setRowCount(len(goals))
        for row, goal in enumerate(goals):
            for column, text in enumerate((goal.stage_name, goal.priority, f"{goal.share:.0%}",
                                           within_text(goal.within_s))):
                self.goals.setItem(row, column, read_only_cell(text))

    # -- the search --------------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Why a search cannot start (invalid model, no targets, infeasible targets); empty when it can."""
        try:
            self.settings()
            staffed = self.staffed_model()
            blocking = errors(validate(staffed))
            if blocking:
                return ["The model has errors; correct them first (see the Validation panel):",
                        *(issue.render() for issue in blocking[:6])]
            targets = self.targets(staffed)
        except FlowmodelError as error:
            return [error.render()]
        if not targets.sla and targets.max_occupancy is None and targets.max_backlog is None:
            return ["No targets to staff for: give a review stage an SLA target, or set a maximum occupancy or "
                    "backlog."]
        infeasible = infeasible_targets(staffed, targets)
        left = feasible_targets(staffed, targets, infeasible)
        if infeasible and not left.sla and left.max_occupancy is None and left.max_backlog is None:
            return ["These targets cannot be met by any headcount; nothing was simulated:",
                    *(problem.render() for problem in infeasible)]
        return []  # some targets infeasible: the plan lists them and staffs the rest

    def start(self) -> bool:
        """Check the targets, then search in the background; False (with the reasons shown) when it cannot."""
        self.plan = None
        self.apply_button.setEnabled(False)
        self.export_button.setEnabled(False)
        problems = self.problems()
        if problems:
            self.result.show_message("\n• ".join(problems))
            self.status.setText("Not started: see the reasons on the right.")
            return False
        try:
            self.controller.start(self.workflow, self.scenario.currentData(), self.targets(), self.settings(),
                                  self.max_simulations.value(), self.time_budget.value())
        except FlowmodelError as error:
            self.result.show_message(error.render())
            return False
        self.result.show_message("Searching…", "#475569")
        return True

    def _set_running(self, running: bool) -> None:
        for widget in (self.scenario, self.use_occupancy, self.max_occupancy, self.use_backlog, self.max_backlog,
                       self.confidence, self.days, self.horizon, self.warmup, self.replications, self.seed,
                       self.max_simulations, self.time_budget, self.start_button):
            widget.setEnabled(not running)
        self._enable_period()
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setValue(0)
            self.status.setText("Starting worker processes…")

    def show_progress(self, progress: SearchProgress) -> None:
        self.progress.setValue(round(progress.batch_fraction * 1000))
        phase = PHASES.get(progress.phase, progress.phase)
        self.status.setText(f"{phase}: {progress.message.split(': ', 1)[-1]} · {progress.evaluations} of at most "
                            f"{progress.max_evaluations} rosters simulated so far")

    def show_plan(self, plan: StaffingPlan) -> None:
        self.plan = plan
        self.progress.setValue(1000)
        self.status.setText(f"Done: {plan.evaluations} roster(s) and {plan.replications_run} replications simulated "
                            f"in {plan.wall_seconds:.0f} s.")
        self.result.show_plan(plan)
        self.apply_button.setEnabled(bool(plan.rows) and plan.status != "infeasible")
        self.export_button.setEnabled(True)

    def _stopped(self, status: str, details: str) -> None:
        self.status.setText(status)
        self.result.show_message(details or status, "#b91c1c" if details else "#475569")

    # -- export ----------------------------------------------------------------------------------
    def ask_export_path(self) -> Path | None:
        start = start_path(self.document_path, "staffing.json")  # beside the document, as every export
        name, _ = QFileDialog.getSaveFileName(self, "Export staffing plan", start, ";;".join(EXPORT_FILTERS))
        return Path(name) if name else None

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "Export staffing plan", text)

    def export(self) -> Path | None:
        """Write the shown plan where the user says, in the format its file type picks."""
        if self.plan is None:
            return None
        path = self.ask_export_path()
        if path is None:
            return None
        try:
            written = write_plan(self.plan, path)
        except FlowmodelError as error:
            self.show_error(error.render())
            return None
        self.status.setText(f"Exported to {written.name}.")
        return written

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.running:
            self.controller.cancel()
            self.controller.wait()
        super().closeEvent(event)
