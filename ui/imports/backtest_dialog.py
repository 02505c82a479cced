"""Import → Back-test…: simulate a past period on its volumes and show how close the model came to the actual days.

Rules:
- The planner picks a volume file per source (sources without one keep their model rate), the actuals file and
  the replications; **Run back-test** reads the files and runs :func:`simulations.backtest.run_backtest` in the
  background (:class:`BacktestController`, the rules of :mod:`ui.background`): the window never blocks, the
  progress bar follows the replications, **Cancel** stops them.
- The model is never edited: the back-test runs a copy of the baseline as the editor showed it when **Run** was
  pressed (edits made while it runs do not reach it). A file that cannot be read shows its message (file, row,
  column, what to do) in the dialog.
- The result: a table of the error figures (MAPE, mean bias, days inside the 95 % band) and a chart of the figure
  chosen above it — the actual days as dots, the simulated mean as a line in its 95 % band (:class:`DailyChart`,
  painted with QPainter). **Export…** writes the sheet or the CSV (:func:`reports.backtest.export_backtest`).
"""

from __future__ import annotations

import concurrent.futures
import copy
import math
import multiprocessing
import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowmodel.errors import FlowmodelError
from flowmodel.imports.actuals import read_actuals
from flowmodel.imports.volumes import read_volumes
from flowmodel.limits import MAX_REPLICATIONS
from flowmodel.nodes import Source
from flowmodel.workflow import Workflow
from reports.backtest import export_backtest
from reports.chart_style import MUTED
from simulations.backtest import BacktestResult, DayComparison, run_backtest
from ui.background import BackgroundController, ProgressSink
from ui.forms.quality_edits import shown_workflow
from ui.imports.file_row import FileRow, MessageLabel
from ui.imports.fit_charts import nice_ticks, tick_text

ERROR_COLUMNS = ("Figure", "Days", "MAPE", "Mean bias", "Days inside the 95 % band")
ACTUAL, SIMULATED, BAND = QColor("#d0542c"), QColor("#1f5fa8"), QColor(31, 95, 168, 48)


class BacktestController(BackgroundController):
    """Reads the files and runs the back-test off the UI thread; ``finished(result)``."""

    what = "back-test"
    finished = Signal(object)

    def start(self, workflow: Workflow, volumes: dict[str, tuple[Path, str]], actuals: tuple[Path, str | None],
              replications: int, seed: int, lead_in_days: int) -> None:
        """``volumes``: source id → (file, the source's zone); ``actuals``: (file, sheet)."""
        self.check_idle()
        jobs = self.jobs

        def work(cancel: threading.Event, report: ProgressSink) -> BacktestResult:
            histories = {source_id: read_volumes(path, timezone=zone) for source_id, (path, zone) in volumes.items()}
            daily = read_actuals(actuals[0], sheet=actuals[1])
            progress = lambda done, total: report((done, total))  # noqa: E731 - a one-line adapter
            if jobs is not None and jobs > 1:
                context = multiprocessing.get_context("spawn")
                with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
                    return run_backtest(workflow, histories, daily, replications, seed, pool,
                                        lead_in_days=lead_in_days, on_progress=progress, cancel=cancel)
            return run_backtest(workflow, histories, daily, replications, seed, lead_in_days=lead_in_days,
                                on_progress=progress, cancel=cancel)

        self.launch(work)

    def deliver(self, result: object) -> None:
        self.finished.emit(result)


class DailyChart(QWidget):
    """Actual days (dots) against the simulated mean (line) in its 95 % band (shaded), one figure at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DayComparison] = []
        self.title = ""
        self.setMinimumSize(520, 260)

    def show_rows(self, title: str, rows: list[DayComparison]) -> None:
        self.title, self.rows = title, list(rows)
        self.update()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        muted = QColor(MUTED)
        painter.setPen(QPen(QColor("#222222")))
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(0, 4, self.width(), 20), Qt.AlignmentFlag.AlignHCenter, self.title or "Back-test")
        painter.setFont(self.font())
        if not self.rows:
            painter.setPen(QPen(muted))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Run the back-test to see the days")
            return
        plot = QRectF(56, 30, self.width() - 72, self.height() - 78)
        highest = max(max(r.band_high, r.actual, r.mean) for r in self.rows) or 1.0
        ticks = nice_ticks(0.0, highest, most=6)
        if ticks[-1] < highest:  # the axis ends on a round value above every point
            ticks.append(ticks[-1] + (ticks[1] - ticks[0] if len(ticks) > 1 else highest))
        top = ticks[-1]
        n = len(self.rows)

        def x(i: int) -> float:
            return plot.left() + (i + 0.5) * plot.width() / n

        def y(value: float) -> float:
            return plot.bottom() - (value / top) * plot.height()

        painter.setPen(QPen(QColor("#e4e4e4"), 1))
        for value in ticks:
            painter.drawLine(QPointF(plot.left(), y(value)), QPointF(plot.right(), y(value)))
            painter.setPen(QPen(muted))
            painter.drawText(QRectF(0, y(value) - 8, plot.left() - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, tick_text(value))
            painter.setPen(QPen(QColor("#e4e4e4"), 1))
        band = QPainterPath(QPointF(x(0), y(self.rows[0].band_high)))
        for i, r in enumerate(self.rows):
            band.lineTo(x(i), y(r.band_high))
        for i in range(n - 1, -1, -1):
            band.lineTo(x(i), y(self.rows[i].band_low))
        band.closeSubpath()
        painter.fillPath(band, BAND)
        painter.setPen(QPen(SIMULATED, 2))
        for i in range(n - 1):
            painter.drawLine(QPointF(x(i), y(self.rows[i].mean)), QPointF(x(i + 1), y(self.rows[i + 1].mean)))
        for i, r in enumerate(self.rows):
            painter.setPen(QPen(ACTUAL if r.within_band else QColor("#7a1f0a"), 1.5))
            painter.setBrush(ACTUAL if r.within_band else QColor("white"))
            painter.drawEllipse(QPointF(x(i), y(r.actual)), 3.5, 3.5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(muted))
        step = max(1, math.ceil(n / 10))
        for i in range(0, n, step):
            painter.drawText(QRectF(x(i) - 30, plot.bottom() + 4, 60, 16), Qt.AlignmentFlag.AlignHCenter,
                             _day_label(self.rows[i].day))
        legend_y = self.height() - 20
        painter.setPen(QPen(ACTUAL, 1.5))
        painter.setBrush(ACTUAL)
        painter.drawEllipse(QPointF(plot.left() + 6, legend_y + 6), 3.5, 3.5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor("#222222")))
        painter.drawText(QPointF(plot.left() + 14, legend_y + 10), "actual (hollow: outside the band)")
        painter.setPen(QPen(SIMULATED, 2))
        painter.drawLine(QPointF(plot.left() + 240, legend_y + 6), QPointF(plot.left() + 262, legend_y + 6))
        painter.setPen(QPen(QColor("#222222")))
        painter.drawText(QPointF(plot.left() + 268, legend_y + 10), "simulated mean, shaded: 95 % band")


def _day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _pct(value: float) -> str:
    return "—" if not math.isfinite(value) else f"{value:+.1f} %" if value < 0 else f"{value:.1f} %"


class BacktestDialog(QDialog):
    def __init__(self, workflow: Workflow, *, folder: Path, parent: QWidget | None = None,
                 jobs: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Back-test")
        self.workflow = workflow
        self.result: BacktestResult | None = None
        self.controller = BacktestController(self, jobs=jobs)
        self.controller.progressed.connect(self._progress)
        self.controller.finished.connect(self._finished)
        self.controller.failed.connect(self._failed)
        self.controller.cancelled.connect(lambda: self._stopped("The back-test was cancelled."))
        self.controller.running_changed.connect(self._running)

        form = QFormLayout()
        self.sources = [node for node in workflow.nodes.values() if isinstance(node, Source)]
        self.volume_rows: dict[str, FileRow] = {}
        for source in self.sources:
            row = FileRow(f"Volumes of {source.name}", folder)
            self.volume_rows[source.id] = row
            form.addRow(f"Volumes · {source.name} ({source.timezone}):", row)
        self.actuals_row = FileRow("Daily actuals", folder)
        form.addRow("Actuals (one row per day):", self.actuals_row)
        self.replications = QSpinBox()
        self.replications.setRange(2, MAX_REPLICATIONS)
        self.replications.setValue(20)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(1)
        self.lead_in = QSpinBox()
        self.lead_in.setRange(0, 60)
        self.lead_in.setSuffix(" days")
        self.lead_in.setToolTip("whole days simulated but not compared: the run starts with empty queues")
        settings = QHBoxLayout()
        for label, box in (("Replications", self.replications), ("Seed", self.seed), ("Lead-in", self.lead_in)):
            settings.addWidget(QLabel(label))
            settings.addWidget(box)
        settings.addStretch(1)
        form.addRow(settings)

        self.run_button = QPushButton("Run back-test")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel run")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.export_button = QPushButton("Export…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda: self.export())
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.export_button)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons.addWidget(close)

        self.message = MessageLabel()
        self.figure_combo = QComboBox()
        self.figure_combo.currentIndexChanged.connect(self._show_figure)
        self.chart = DailyChart()
        self.errors = QTableWidget(0, len(ERROR_COLUMNS))
        self.errors.setHorizontalHeaderLabels(ERROR_COLUMNS)
        self.errors.verticalHeader().hide()
        self.errors.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.errors.setMaximumHeight(130)
        self.errors.itemSelectionChanged.connect(self._row_picked)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.errors)
        picker = QHBoxLayout()
        picker.addWidget(QLabel("Chart:"))
        picker.addWidget(self.figure_combo, 1)
        layout.addLayout(picker)
        layout.addWidget(self.chart, 1)
        self.resize(860, 700)

    # -- running ---------------------------------------------------------------------------------
    def run(self) -> None:
        volumes = {source.id: (self.volume_rows[source.id].path, source.timezone) for source in self.sources
                   if self.volume_rows[source.id].path is not None}
        if not volumes:
            self.message.show_error("Choose the volume file of at least one source: its arrivals follow the file.")
            return
        if self.actuals_row.path is None:
            self.message.show_error("Choose the actuals file: one row per day with decided, backlog or created.")
            return
        try:
            actuals = (self.actuals_row.path, self.actuals_row.sheet)
            self.controller.start(copy.deepcopy(self.workflow), volumes, actuals,
                                  self.replications.value(), self.seed.value(), self.lead_in.value())
        except FlowmodelError as error:
            self.message.show_error(error.render())
            return
        self.progress.setRange(0, self.replications.value())
        self.progress.setValue(0)
        self.message.show_notes(["Reading the files and running the replications…"])

    def _running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def _progress(self, progress: object) -> None:
        done, total = progress  # type: ignore[misc]
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _failed(self, text: str) -> None:
        self._stopped(text, error=True)

    def _stopped(self, text: str, *, error: bool = False) -> None:
        self.progress.setValue(0)
        if error:
            self.message.show_error(text)
        else:
            self.message.show_notes([text])

    def _finished(self, result: object) -> None:
        assert isinstance(result, BacktestResult)
        self.result = result
        self.message.show_notes(list(result.notes))
        self.errors.setRowCount(len(result.errors))
        for i, error in enumerate(result.errors):
            cells = [error.label, str(error.days), _pct(error.mape_pct).lstrip("+"), _pct(error.bias_pct),
                     f"{error.within_band_share:.0%}"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.errors.setItem(i, column, item)
        self.errors.resizeColumnsToContents()
        self.figure_combo.blockSignals(True)
        self.figure_combo.clear()
        self.figure_combo.addItems([e.label for e in result.errors])
        self.figure_combo.blockSignals(False)
        self._show_figure(0)
        self.export_button.setEnabled(True)

    def _row_picked(self) -> None:
        rows = self.errors.selectionModel().selectedRows()
        if rows:
            self.figure_combo.setCurrentIndex(rows[0].row())

    def _show_figure(self, index: int) -> None:
        if self.result is None or not 0 <= index < len(self.result.errors):
            self.chart.show_rows("", [])
            return
        error = self.result.errors[index]
        title = (f"{error.label}: MAPE {_pct(error.mape_pct).lstrip('+')}, "
                 f"{error.within_band_share:.0%} of days inside the band")
        self.chart.show_rows(title, self.result.series(error.figure, error.stage))

    def export(self, path: Path | None = None) -> Path | None:
        if self.result is None:
            return None
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "Export back-test", "back-test.xlsx",
                                                  "Excel workbook (*.xlsx);;CSV, the days (*.csv);;"
                                                  "PDF, the charts (*.pdf);;PNG picture (*.png)")
            if not name:
                return None
            path = Path(name)
        try:
            written = export_backtest(self.result, path)
        except (FlowmodelError, OSError) as error:
            text = error.render() if isinstance(error, FlowmodelError) else f"{path.name}: {error}"
            self.message.show_error(text)
            return None
        self.message.show_notes([f"Exported the back-test to {written.name}", *self.result.notes])
        return written

    def done(self, code: int) -> None:
        if self.controller.running:
            self.controller.cancel()
            self.controller.wait()
        super().done(code)


def open_backtest(window) -> BacktestDialog:
    """Open the back-test dialog on the workflow as the editor shows it; nothing in the model changes."""
    workflow = shown_workflow(window.document.workflow, window.undo_stack)
    dialog = BacktestDialog(workflow, folder=window.dialog_folder(), parent=window)
    dialog.show()
    return dialog
