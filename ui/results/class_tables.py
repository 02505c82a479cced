"""The results view's "By priority & category" tab: waits and time to decision per priority and per category at
every review stage, for the scenario picked in the Results tab.

Rules:
- The rows and figures are :mod:`reports.class_waits`'s (stage by stage: its priorities, then its categories);
  the means show ± the half-width of their 95 % CI, the counts and percentiles their mean alone (so the
  table fits a pane), durations in the row's one unit (stated in the cell); every cell's interval and n are in
  its tooltip.
- Shown only for a run that has these records (runs stored before them have none).
"""

from __future__ import annotations

import dataclasses
import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from reports.class_waits import FIGURES, ClassRow, class_rows, has_class_waits
from reports.formatting import number, scaled, suffix, summary_text
from simulations.aggregate import MetricSummary
from simulations.runner import RunResult

LABEL_COLUMNS = ("Stage", "By", "Priority / category")
CAPTION = ("Wait: arrival at the stage → start of review. Time to decision: creation → end of review at the "
           "stage (so a later stage's includes the earlier stages). Means over replications, ± their 95 % CI; "
           "every interval is in the cell's tooltip.")


def _tooltip(row: ClassRow, heading: str, metric: str, summary: MetricSummary | None) -> str:
    where = f"{row.stage} · {row.group} · {heading}"
    if summary is None or not math.isfinite(summary.mean):
        return f"{where}: no data (nothing of it {'waited' if metric.startswith('wait') else 'was reviewed'} here)"
    if not summary.ci_defined:
        return f"{where}: no interval (one replication); n = {summary.n}"
    unit = row.unit_of(metric)
    low, high = (number(scaled(v, unit)) for v in (summary.ci_low, summary.ci_high))
    return f"{where}: 95 % CI {low} to {high}{suffix(unit)}; n = {summary.n}"


def _header(heading: str) -> str:
    """A figure's heading on two short lines (``Time to`` / ``decision p90``), so ten columns fit a pane."""
    return heading.replace("Time to decision, ", "Time to\ndecision ").replace("Wait, ", "Wait\n")


def _item(text: str, tooltip: str = "", numeric: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tooltip:
        item.setToolTip(tooltip)
    return item


class ClassWaitsPanel(QWidget):
    """The tab (see the module rules); :meth:`show_run` fills it, :attr:`has_results` says whether to show it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.has_results = False
        caption = QLabel(CAPTION)
        caption.setWordWrap(True)
        self.table = QTableWidget(0, len(LABEL_COLUMNS) + len(FIGURES))
        self.table.setHorizontalHeaderLabels([*LABEL_COLUMNS, *(_header(heading) for _, heading in FIGURES)])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(caption)
        layout.addWidget(self.table, 1)

    def show_run(self, run: RunResult | None, scenario_id: str) -> None:
        self.has_results = has_class_waits(run)
        rows = class_rows(run, scenario_id) if run is not None and self.has_results and scenario_id else []
        table = self.table
        table.setUpdatesEnabled(False)
        try:
            table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                previous = rows[r - 1].stage if r else None
                for c, text in enumerate((row.stage if row.stage != previous else "", row.by, row.group)):
                    table.setItem(r, c, _item(text, row.stage if c == 0 else ""))
                for c, ((metric, heading), summary) in enumerate(zip(FIGURES, row.summaries, strict=True)):
                    unit = row.unit_of(metric)
                    if summary is not None and "_mean_" not in metric:
                        summary = dataclasses.replace(summary, ci_defined=False)  # the interval in the tooltip
                    text = summary_text(summary, unit, with_unit=metric.endswith("_s"))
                    table.setItem(r, len(LABEL_COLUMNS) + c,
                                  _item(text, _tooltip(row, heading, metric, row.summaries[c]), numeric=True))
        finally:
            table.resizeColumnsToContents()
            table.setUpdatesEnabled(True)

    def texts(self) -> list[dict[str, str]]:
        """Each row as heading → cell text, as a planner reads it (tests)."""
        heads = [*LABEL_COLUMNS, *(heading for _, heading in FIGURES)]
        return [{head: self.table.item(r, c).text() for c, head in enumerate(heads)}
                for r in range(self.table.rowCount())]
