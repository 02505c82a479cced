"""The "Trace items" window: follow a sample of items through one scenario and see why each took its time.

Rules:
- The planner picks a scenario and how many items; Trace runs replication 0 of it in the background
  (:class:`ui.trace.controller.TraceController`) with the workflow's run settings.
- The table lists the traced items slowest first: when it was created (calendar), source, priority, outcome,
  time in the workflow, time waiting, and where most of its time went. Choosing a row draws that item's
  journey in the timeline below (:class:`ui.trace.timeline.TraceTimeline`).
- Export event log… writes the traced items as the CSV process-mining tools read (:mod:`reports.event_log`),
  starting in the document's folder; a failed write names the file and the reason, nothing half-written.
- The dialog keeps its traces while the window lives; tracing again replaces them.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowmodel.errors import FlowmodelError
from flowmodel.limits import MAX_TRACE_ITEMS
from flowmodel.workflow import Workflow
from reports.event_log import write_event_log
from simulations.item_trace import ItemTrace, longest_step, span_text, step_words, waited_s
from ui.trace.controller import TraceController, TraceResult
from ui.trace.timeline import TraceTimeline

COLUMNS = ("Item", "Created", "Source", "Priority", "Outcome", "In the workflow", "Waiting", "Most of its time")
DEFAULT_ITEMS = 200


class _Number(QTableWidgetItem):
    """A cell that sorts by its number, not its text."""

    def __init__(self, text: str, value: float) -> None:
        super().__init__(text)
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return self.value < getattr(other, "value", 0.0)


class TraceDialog(QDialog):
    def __init__(self, workflow: Workflow, folder: Path, parent: QWidget | None = None, jobs: int | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Trace items")
        self.resize(1100, 700)
        self.workflow, self.folder = workflow, folder
        self.result: TraceResult | None = None
        self.controller = TraceController(self, jobs)
        self.scenario = QComboBox()
        self.items = QSpinBox()
        self.items.setRange(1, MAX_TRACE_ITEMS)
        self.items.setValue(DEFAULT_ITEMS)
        self.items.setSuffix(" items")
        self.trace_button = QPushButton("Trace")
        self.trace_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.export_button = QPushButton("Export event log…")
        self.export_button.setEnabled(False)
        self.status = QLabel("Follows a sample of items through replication 0 of the scenario: every stage, wait, "
                             "team and time.")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.timeline = TraceTimeline()
        self._layout()
        self.set_workflow(workflow)
        self.trace_button.clicked.connect(lambda: self.start())
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.export_button.clicked.connect(lambda: self.export())
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.controller.finished.connect(self.show_result)
        self.controller.failed.connect(lambda text: self._stopped(text))
        self.controller.cancelled.connect(lambda: self._stopped("Cancelled; nothing was traced."))
        self.controller.progressed.connect(lambda p: self.status.setText(
            f"Tracing… {getattr(p, 'fraction', 0.0):.0%} of the run simulated"))

    def _layout(self) -> None:
        controls = QHBoxLayout()
        for widget in (QLabel("Scenario:"), self.scenario, self.items, self.trace_button, self.cancel_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.timeline, 2)

    def set_workflow(self, workflow: Workflow, scenario_id: str | None = None) -> None:
        self.workflow = workflow
        self.scenario.clear()
        self.scenario.addItem("Baseline", None)
        for scenario in workflow.scenarios.values():
            self.scenario.addItem(scenario.name, scenario.id)
        index = self.scenario.findData(scenario_id)
        self.scenario.setCurrentIndex(max(index, 0))

    def start(self) -> bool:
        try:
            self.controller.start(self.workflow, self.scenario.currentData(), self.workflow.run_settings,
                                  self.items.value())
        except FlowmodelError as error:
            self.status.setText(error.render())
            return False
        self._set_running(True)
        self.status.setText("Tracing…")
        return True

    def _set_running(self, running: bool) -> None:
        self.trace_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.scenario.setEnabled(not running)
        self.items.setEnabled(not running)

    def _stopped(self, text: str) -> None:
        self._set_running(False)
        self.status.setText(text)

    def show_result(self, result: TraceResult) -> None:
        self._set_running(False)
        self.result = result
        traces = sorted(result.traces, key=lambda t: t.time_in_system_s, reverse=True)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(traces))
        for row, trace in enumerate(traces):
            created = result.start + timedelta(seconds=round(trace.created_s))
            step = longest_step(trace)
            cells = [_Number(str(trace.item), trace.item), _Number(created.strftime("%a %d %b %H:%M"), trace.created_s),
                     QTableWidgetItem(trace.source), QTableWidgetItem(trace.priority),
                     QTableWidgetItem(trace.outcome or ("still in the workflow" if trace.in_workflow_at_end
                                                        else "expired")),
                     _Number(span_text(trace.time_in_system_s), trace.time_in_system_s),
                     _Number(span_text(waited_s(trace)), waited_s(trace)),
                     QTableWidgetItem(f"{span_text(step.duration_s)} {step_words(step)}" if step else "")]
            cells[0].setData(Qt.ItemDataRole.UserRole, trace.item)
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.table.setSortingEnabled(True)
        self.table.sortItems(COLUMNS.index("In the workflow"), Qt.SortOrder.DescendingOrder)  # slowest first
        self.export_button.setEnabled(bool(traces))
        slow = traces[0] if traces else None
        self.status.setText(f"Traced {len(traces)} items of {result.scenario_name}"
                            + (f"; the slowest took {span_text(slow.time_in_system_s)}." if slow else "."))
        if traces:
            self.table.selectRow(0)

    def selected_trace(self) -> ItemTrace | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.result is None:
            return None
        number = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((t for t in self.result.traces if t.item == number), None)

    def _show_selected(self) -> None:
        self.timeline.show_trace(self.selected_trace())

    def ask_export_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "Export event log", str(self.folder / "event_log.csv"),
                                              "Event log (*.csv)")
        return Path(name) if name else None

    def export(self) -> Path | None:
        if self.result is None:
            return None
        path = self.ask_export_path()
        if path is None:
            return None
        if path.suffix.lower() != ".csv":
            path = path.with_suffix(".csv")
        try:
            written = write_event_log(path, [(self.result.scenario_name, self.result.traces)], self.result.start)
        except FlowmodelError as error:
            self.status.setText(error.render())
            return None
        self.status.setText(f"Exported the event log to {written.name}.")
        return written

    def closeEvent(self, event) -> None:
        if self.controller.running:
            self.controller.cancel()
            self.controller.wait()
        super().closeEvent(event)
