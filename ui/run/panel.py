"""The run panel: settings of a run, which scenarios to run, progress and Cancel.

Rules:
- The settings start from the workflow's saved run settings; the values in the panel are what a run uses.
- The baseline is always the first (reference) scenario of a run when it is ticked; a run needs at least
  one ticked scenario. Comparisons take their deltas against the first scenario run.
- While a run is going the settings are locked and Cancel is available; progress shows replications done,
  simulated time, elapsed and estimated remaining time. The run estimate's warnings (a long or large run)
  stay shown under the progress until the next run starts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from flowmodel.run_settings import RunSettings
from flowmodel.workflow import Workflow
from simulations.run_budget import RunEstimate
from simulations.runner import BASELINE_ID, BASELINE_NAME
from ui.run.controller import RunProgress

ID_ROLE = Qt.ItemDataRole.UserRole


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds < 3600 else \
        f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def describe_progress(progress: RunProgress) -> str:
    remaining = f" · about {_clock(progress.remaining_s)} left" if progress.remaining_s is not None else ""
    return (f"{progress.replications_done} of {progress.replications_total} replications · "
            f"{progress.simulated_h:,.0f} of {progress.simulated_total_h:,.0f} simulated hours · "
            f"{_clock(progress.elapsed_s)} elapsed{remaining}")


class RunPanel(QWidget):
    """Emits ``run_requested(scenario_ids, settings)`` and ``cancel_requested``; the window starts the run."""

    run_requested = Signal(list, object)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workflow: Workflow | None = None
        self.horizon = self._number(1, 24 * 365, 1, " h")
        self.warmup = self._number(0, 24 * 365, 1, " h")
        self.replications = QSpinBox()
        self.replications.setRange(1, 1000)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_000_000_000)
        self.interval = self._number(1, 24 * 60, 0, " min")
        self.scenario_list = QListWidget()
        self.scenario_list.setFixedHeight(90)
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Simulate the ticked scenarios in worker processes")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status = QLabel("Idle.")
        self.status.setWordWrap(True)
        self.estimate_note = QLabel()
        self.estimate_note.setWordWrap(True)
        self.estimate_note.hide()
        form = QFormLayout()
        form.addRow("Horizon:", self.horizon)
        form.addRow("Warm-up:", self.warmup)
        form.addRow("Replications:", self.replications)
        form.addRow("Seed:", self.seed)
        form.addRow("Series interval:", self.interval)
        form.addRow("Scenarios:", self.scenario_list)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.estimate_note)
        layout.addStretch(1)
        self.run_button.clicked.connect(self._run_clicked)
        self.cancel_button.clicked.connect(self.cancel_requested)

    @staticmethod
    def _number(low: float, high: float, decimals: int, suffix: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setDecimals(decimals)
        box.setSuffix(suffix)
        return box

    def set_workflow(self, workflow: Workflow) -> None:
        if self.workflow is not None:
            self.workflow.events.scenarios_changed.unsubscribe(self.refresh_scenarios)
        self.workflow = workflow
        workflow.events.scenarios_changed.subscribe(self.refresh_scenarios)
        self.set_settings(workflow.run_settings)
        self.refresh_scenarios()

    def set_settings(self, settings: RunSettings) -> None:
        self.horizon.setValue(settings.horizon_hours)
        self.warmup.setValue(settings.warmup_hours)
        self.replications.setValue(settings.replications)
        self.seed.setValue(settings.seed)
        self.interval.setValue(settings.interval_minutes)

    def settings(self) -> RunSettings:
        """The settings in the panel (start date and weekday from the workflow)."""
        base = self.workflow.run_settings if self.workflow is not None else RunSettings()
        return RunSettings(self.horizon.value(), self.warmup.value(), self.replications.value(), self.seed.value(),
                           self.interval.value(), base.start_weekday, base.start_date)

    def refresh_scenarios(self) -> None:
        """List the baseline and every scenario, keeping what was ticked (new scenarios start ticked)."""
        ticked = {self.scenario_list.item(i).data(ID_ROLE): self.scenario_list.item(i).checkState()
                  for i in range(self.scenario_list.count())}
        self.scenario_list.clear()
        choices = [(BASELINE_ID, BASELINE_NAME)]
        if self.workflow is not None:
            choices += [(s.id, s.name) for s in self.workflow.scenarios.values()]
        for scenario_id, name in choices:
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, scenario_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(ticked.get(scenario_id, Qt.CheckState.Checked))
            self.scenario_list.addItem(item)

    def tick(self, scenario_ids: list[str]) -> None:
        """Tick exactly these scenarios (``baseline`` for the baseline)."""
        for i in range(self.scenario_list.count()):
            item = self.scenario_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(ID_ROLE) in scenario_ids
                               else Qt.CheckState.Unchecked)

    def ticked_ids(self) -> list[str]:
        return [self.scenario_list.item(i).data(ID_ROLE) for i in range(self.scenario_list.count())
                if self.scenario_list.item(i).checkState() == Qt.CheckState.Checked]

    def _run_clicked(self) -> None:
        ids = self.ticked_ids()
        if not ids:
            self.status.setText("Tick at least one scenario to run.")
            return
        self.run_requested.emit(ids, self.settings())

    # -- following a run -------------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        for widget in (self.horizon, self.warmup, self.replications, self.seed, self.interval, self.scenario_list,
                       self.run_button):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setValue(0)
            self.status.setText("Starting worker processes…")
            self.estimate_note.clear()
            self.estimate_note.hide()

    def show_estimate(self, estimate: RunEstimate) -> None:
        """The estimate's warnings, if any, for as long as the run goes on."""
        warnings = estimate.warnings()
        if warnings:
            self.estimate_note.setText("\n".join(f"Warning: {w.message[:1].upper()}{w.message[1:]}" for w in warnings))
            self.estimate_note.show()

    def show_progress(self, progress: RunProgress) -> None:
        self.progress.setValue(round(progress.fraction * 1000))
        self.status.setText(describe_progress(progress))

    def show_outcome(self, text: str, done: bool) -> None:
        if done:
            self.progress.setValue(1000)
        self.status.setText(text)
