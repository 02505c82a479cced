"""The main window's Export menu and the comparison view's Export… button (kept out of the window class).

Rules:
- "Export comparison…" and the comparison view's button export the run shown in the results view, with the
  scenarios ticked in its Compare tab (the first ticked is the reference), in the format the file type picks.
- "Export chart" holds one entry per report chart (:data:`reports.charts.CHARTS`) of that same comparison, as
  PNG, SVG or PDF; "Export canvas as PNG/SVG…" draws the workflow on the canvas.
- Run-dependent entries are enabled only while a run is shown; the launch charts' entries are shown only for a
  run with launch results (:func:`reports.charts.charts_for`). Every dialog goes through :meth:`ask_path`
  (one method, so tests can answer it), starting beside the document (the home folder while it has no file);
  a failure is a message box naming the file, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from flowmodel.errors import FlowmodelError
from reports.charts import CHARTS, charts_for, save_chart
from ui.report.canvas_image import save_canvas
from ui.report.export_actions import EXPORT_FILTERS, ask_export_path, comparison_of, export_comparison, start_path

if TYPE_CHECKING:
    from ui.main_window import MainWindow

CHART_FILTERS = ("PNG image (*.png)", "SVG drawing (*.svg)", "PDF document (*.pdf)")
CANVAS_FILTERS = ("PNG image (*.png)", "SVG drawing (*.svg)")
CHART_WIDTH_IN = 7.0


def chart_title(name: str) -> str:
    """``sla_attainment`` → "SLA attainment": the chart's file stem as a menu entry."""
    return name.replace("_", " ").capitalize().replace("Sla ", "SLA ")


class ExportWiring(QObject):
    """Builds the Export menu and connects the comparison view's button (see module rules)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        menu = window.menuBar().addMenu("E&xport")
        self.menu = menu
        self.comparison_action = QAction("Export &comparison…", window)
        self.comparison_action.setStatusTip("The run shown in Results, with the scenarios ticked in its Compare tab: "
                                            "XLSX, PDF report, CSV, zip or JSON")
        self.comparison_action.triggered.connect(lambda _checked=False: self.export_comparison())
        menu.addAction(self.comparison_action)
        self.chart_menu = menu.addMenu("Export c&hart")
        self.chart_actions: dict[str, QAction] = {}
        for name in CHARTS:
            action = self.chart_menu.addAction(f"{chart_title(name)}…")
            action.triggered.connect(lambda _checked=False, name=name: self.export_chart(name))
            self.chart_actions[name] = action
        menu.addSeparator()
        self.canvas_action = QAction("Export canvas as &PNG/SVG…", window)
        self.canvas_action.triggered.connect(lambda _checked=False: self.export_canvas())
        menu.addAction(self.canvas_action)
        comparison = window.results.comparison
        comparison.export_requested.connect(self.export_comparison)
        menu.aboutToShow.connect(self.update_enabled)
        window.run_history.changed.connect(self.update_enabled)
        window.results.history_list.currentItemChanged.connect(lambda *_: self.update_enabled())
        self.update_enabled()

    def update_enabled(self) -> None:
        run = self.window.results.run
        shown = run is not None
        self.comparison_action.setEnabled(shown)
        self.chart_menu.setEnabled(shown)
        available = charts_for(run)
        for name, action in self.chart_actions.items():
            action.setVisible(name in available)
            action.setEnabled(shown and name in available)
        self.window.results.comparison.export_button.setEnabled(shown)

    # -- the question (tests answer it) ---------------------------------------------------------------
    def ask_path(self, title: str, start: str, filters: tuple[str, ...]) -> Path | None:
        return ask_export_path(self.window, title, start, filters)

    def _start(self, name: str) -> str:
        return start_path(self.window.document.path, name)

    # -- exports --------------------------------------------------------------------------------------
    def _shown(self) -> tuple:
        """The run shown, its ticked scenarios, its id (when stored) and fingerprint."""
        results = self.window.results
        entry = results.entry
        run_id = entry.id if entry is not None and entry.stored else ""
        return results.run, results.comparison.picked(), run_id, entry.fingerprint if entry is not None else ""

    def export_comparison(self) -> Path | None:
        run, picked, run_id, fingerprint = self._shown()
        path = None if run is None else self.ask_path(
            "Export comparison", self._start(f"{run.workflow_name or 'comparison'}.xlsx"), EXPORT_FILTERS)
        workflow = self.window.run_history.workflow
        return None if path is None else self._write(lambda: export_comparison(
            comparison_of(run, workflow, picked, run_id, fingerprint), path, workflow))

    def export_chart(self, name: str) -> Path | None:
        run, picked, run_id, fingerprint = self._shown()
        path = None if run is None else self.ask_path(
            f"Export chart: {chart_title(name)}", self._start(f"{name}.png"), CHART_FILTERS)
        workflow = self.window.run_history.workflow
        return None if path is None else self._write(lambda: save_chart(
            CHARTS[name](comparison_of(run, workflow, picked, run_id, fingerprint), CHART_WIDTH_IN), path))

    def export_canvas(self) -> Path | None:
        workflow = self.window.document.workflow
        path = self.ask_path("Export canvas", self._start(f"{workflow.name or 'workflow'}.png"), CANVAS_FILTERS)
        return None if path is None else self._write(lambda: save_canvas(workflow, path))

    def _write(self, write: Callable[[], Path]) -> Path | None:
        """Run one export; a failure is a message box naming the file, success a status-bar line."""
        try:
            written = write()
        except FlowmodelError as error:
            QMessageBox.warning(self.window, "Export failed", error.render())
            return None
        self.window.show_status(f"Exported {written.name}")
        return written
