"""The comparison view: pick two or more scenarios of one run; deltas against the first, and overlay charts.

Rules: the first ticked scenario is the reference (the run's first scenario — normally the baseline — is
ticked first by default); every other ticked scenario is compared with it replication by replication
(common random numbers make the pairing meaningful). Statistically clear rows are highlighted. The Export…
button asks for ``export_requested``; the window exports the run with the ticked scenarios. A run with
decision-quality results lists each scenario's quality rows first and adds its errors and exposure charts
(:mod:`ui.results.quality_tables`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from simulations.runner import RunResult
from ui.results.chart_sets import comparison_charts
from ui.results.figures import ChartGrid
from ui.results.quality_tables import quality_chart_specs, quality_comparison_deltas
from ui.results.tables import DeltaTable, comparison_deltas

ID_ROLE = Qt.ItemDataRole.UserRole


class ComparisonView(QWidget):
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: RunResult | None = None
        self._stale = True
        self.picker = QListWidget()
        self.picker.setMaximumHeight(34)
        self.picker.setFlow(QListWidget.Flow.LeftToRight)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Export this comparison: XLSX, PDF report, CSV, zip or JSON")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda _checked=False: self.export_requested.emit())
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.table = DeltaTable()
        self.chart = ChartGrid(3)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table.widget)
        splitter.addWidget(self.chart)
        splitter.setSizes([300, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(self.picker, 1)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        layout.addWidget(splitter, 1)
        self.picker.itemChanged.connect(lambda _item: self.refresh())

    def set_run(self, run: RunResult | None) -> None:
        self.run = run
        self.picker.blockSignals(True)
        self.picker.clear()
        for scenario in run.scenarios if run is not None else []:
            item = QListWidgetItem(str(scenario["name"]))
            item.setData(ID_ROLE, str(scenario["id"]))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.picker.addItem(item)
        self.picker.blockSignals(False)
        self.refresh()

    def pick(self, scenario_ids: list[str]) -> None:
        """Tick exactly ``scenario_ids`` (order of the run decides the reference)."""
        self.picker.blockSignals(True)
        for i in range(self.picker.count()):
            item = self.picker.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(ID_ROLE) in scenario_ids
                               else Qt.CheckState.Unchecked)
        self.picker.blockSignals(False)
        self.refresh()

    def picked(self) -> list[str]:
        return [self.picker.item(i).data(ID_ROLE) for i in range(self.picker.count())
                if self.picker.item(i).checkState() == Qt.CheckState.Checked]

    def showEvent(self, event: QShowEvent) -> None:
        """The comparison is built when it is first shown (and again on every change while shown), so a
        finished run does not pay for a view nobody looks at."""
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        picked = self.picked()
        run = self.run
        if run is None or len(picked) < 2:
            self.table.show([])
            self.caption.setText("Tick two or more scenarios of this run to compare them." if run is not None
                                 else "Run a simulation with two or more scenarios to compare them.")
            self.chart.message("Nothing to compare yet")
            return
        order = {scenario_id: i for i, scenario_id in enumerate(picked)}  # each scenario's quality rows first
        deltas = sorted(quality_comparison_deltas(run, picked) + comparison_deltas(run, picked),
                        key=lambda d: order[d.scenario_id])
        clear = sum(d.clear for d in deltas)
        reference = run.scenario_names.get(picked[0], picked[0])
        self.caption.setText(f"Against '{reference}', paired by replication "
                             f"({run.options.settings.replications} replications, common random numbers). "
                             f"{clear} of {len(deltas)} differences are statistically clear (95 % CI excludes 0), "
                             "highlighted.")
        self.table.show(deltas)
        self.chart.show_charts(comparison_charts(run, picked) + quality_chart_specs(run, picked))
