"""The results view's "Decision quality" tab: how right one scenario's decisions were, beside charts of every
scenario's errors and exposure.

Rules:
- Shown only for a run with quality results (:func:`reports.quality.has_quality`); the tab's tables are the
  figures of :mod:`reports.quality` for the scenario picked in the tab (it follows the Results tab's pick),
  each cell the mean ± the half-width of its 95 % CI in the row's unit (the row label states it), the interval
  and n in its tooltip.
- Per category: one row per figure, one column for all categories and one per category. Per deciding stage:
  one row per figure, one column per stage (QA figures blank for a stage that does not sample). Wellness, only
  when the run recorded it: one row per team · category, one column per figure.
- The charts compare every scenario of the run (errors, exposure; :mod:`reports.quality_charts`), rendered in
  the background like the Results tab's.
- :func:`quality_comparison_deltas` gives the comparison view its quality rows: the headline figures of all
  categories and of each category, the errors, appeals and QA disagreement per deciding stage and the wellness
  hours, paired by replication with the first ticked scenario.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reports import quality_charts
from reports.formatting import number, scaled
from reports.quality import (
    DECISION,
    HEADLINE_METRICS,
    QUALITY,
    WELLNESS,
    QualityFigure,
    cell_text,
    has_quality,
    has_wellness,
    quality_figures,
    scopes_of,
)
from simulations.aggregate import MetricDelta, MetricSummary, paired_deltas
from simulations.runner import RunResult
from ui.results.figures import ChartGrid, ChartSpec

LABEL_COLUMN_PX = 190
VALUE_COLUMN_PX = 118
TABLE_FRAME_PX = 4
ROW_PADDING_PX = 9
#: The quality rows of the comparison view: (scope kind, metric) in order.
COMPARED: tuple[tuple[str, str], ...] = (
    *((QUALITY, metric) for metric in HEADLINE_METRICS),
    (DECISION, "wrongful_removals_count"), (DECISION, "missed_violations_count"), (DECISION, "appeals_count"),
    (DECISION, "overturns_count"), (DECISION, "qa_disagreement_share"),
    (WELLNESS, "hours_per_day_p90_h"), (WELLNESS, "hours_per_day_max_h"), (WELLNESS, "capped_share"))

Grid = tuple[list[str], list[str], list[list[tuple[str, str]]]]  # column heads, row heads, (text, tooltip) cells


def _tooltip(summary: MetricSummary | None, figure: QualityFigure) -> str:
    if summary is None:
        return f"{figure.label}: no data in this scenario"
    unit = "%" if figure.unit.name == "%" else figure.unit.name
    interval = (f"95 % CI {number(scaled(summary.ci_low, figure.unit))} to "
                f"{number(scaled(summary.ci_high, figure.unit))} {unit}".rstrip() if summary.ci_defined
                else "no interval (one replication)")
    return f"{figure.scope_name} · {figure.label}: {interval}; n = {summary.n}"


def quality_grid(run: RunResult, scenario_id: str, kind: str) -> Grid:
    """The table of one section for one scenario (see the module rules): column heads, row heads, cells."""
    position = [str(s["id"]) for s in run.scenarios].index(scenario_id)
    figures = quality_figures(run, (kind,))
    scopes = [(scope_id, name) for scope_id, name in scopes_of(run, kind)
              if any(f.scope_id == scope_id for f in figures)]
    metrics = list(dict.fromkeys(f.metric for f in figures))
    by_key = {(f.scope_id, f.metric): f for f in figures}

    def cell(scope_id: str, metric: str) -> tuple[str, str]:
        figure = by_key.get((scope_id, metric))
        if figure is None:  # a QA figure of a stage that does not sample for QA
            return "—", "not measured here (this stage does not sample its decisions for QA)"
        summary = figure.summaries[position]
        return cell_text(summary, figure.unit), _tooltip(summary, figure)

    labels = {f.metric: f.label_with_unit for f in figures}
    if kind == WELLNESS:  # scopes down, figures across
        return ([labels[m] for m in metrics], [name for _, name in scopes],
                [[cell(scope_id, m) for m in metrics] for scope_id, _ in scopes])
    return ([name for _, name in scopes], [labels[m] for m in metrics],
            [[cell(scope_id, m) for scope_id, _ in scopes] for m in metrics])


def quality_comparison_deltas(run: RunResult, scenario_ids: list[str]) -> list[MetricDelta]:
    """The comparison view's quality rows (see the module rules), scenario by scenario in the ticked order."""
    if len(scenario_ids) < 2 or not has_quality(run):
        return []
    picked = [r for r in run.replications if r.scenario_id in scenario_ids]
    wanted = {key: i for i, key in enumerate(COMPARED)}
    order = {sid: i for i, sid in enumerate(scenario_ids)}
    scope_order = {(kind, scope_id): i for kind in (QUALITY, DECISION, WELLNESS)
                   for i, (scope_id, _) in enumerate(scopes_of(run, kind))}
    deltas = [d for d in paired_deltas(picked, scenario_ids[0]) if (d.scope_kind, d.metric) in wanted]
    kind_rank = {QUALITY: 0, DECISION: 1, WELLNESS: 2}
    return sorted(deltas, key=lambda d: (order[d.scenario_id], kind_rank[d.scope_kind],
                                         scope_order.get((d.scope_kind, d.scope_id), 0),
                                         wanted[(d.scope_kind, d.metric)]))


def quality_chart_specs(run: RunResult, scenario_ids: list[str] | None = None) -> list[ChartSpec]:
    """Errors and exposure of ``scenario_ids`` (every scenario of the run by default); none without quality
    results."""
    if not has_quality(run):
        return []
    ids = list(scenario_ids) if scenario_ids is not None else [str(s["id"]) for s in run.scenarios]
    return [ChartSpec("quality_errors", lambda figure: quality_charts.errors_chart(figure.subplots(), run, ids)),
            ChartSpec("quality_exposure", lambda figure: quality_charts.exposure_chart(figure.subplots(), run, ids))]


@contextmanager
def _filling(table: QTableWidget) -> Iterator[None]:
    table.setUpdatesEnabled(False)
    try:
        yield
    finally:
        table.setUpdatesEnabled(True)


class QualityTable(QTableWidget):
    """A read-only grid that is as tall as its rows (the tab scrolls, not each table)."""

    def __init__(self) -> None:
        super().__init__(0, 0)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectItems)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + ROW_PADDING_PX)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def fill(self, grid: Grid) -> None:
        columns, rows, cells = grid
        with _filling(self):
            self.clear()
            self.setColumnCount(len(columns))
            self.setRowCount(len(rows))
            self.setHorizontalHeaderLabels(columns)
            self.setVerticalHeaderLabels(rows)
            for r, row in enumerate(cells):
                for c, (text, tip) in enumerate(row):
                    item = QTableWidgetItem(text)
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    item.setToolTip(tip)
                    self.setItem(r, c, item)
        self.resizeColumnsToContents()  # a large figure (millions of views) is never elided
        for c in range(len(columns)):
            self.setColumnWidth(c, max(self.columnWidth(c), VALUE_COLUMN_PX))
        header = self.verticalHeader()
        header.setFixedWidth(max(LABEL_COLUMN_PX, header.sizeHint().width()))
        width = header.width() + sum(self.columnWidth(c) for c in range(len(columns)))
        height = self.horizontalHeader().sizeHint().height() + header.defaultSectionSize() * len(rows)
        self.setFixedSize(width + TABLE_FRAME_PX, height + TABLE_FRAME_PX)  # the tab scrolls, not the table

    def texts(self) -> dict[tuple[str, str], str]:
        """(row head, column head) → cell text, as a planner reads it (tests)."""
        return {(self.verticalHeaderItem(r).text(), self.horizontalHeaderItem(c).text()): self.item(r, c).text()
                for r in range(self.rowCount()) for c in range(self.columnCount()) if self.item(r, c) is not None}


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setContentsMargins(0, 8, 0, 2)
    return label


class QualityPanel(QWidget):
    """The tab (see the module rules); :meth:`show_run` fills it, :attr:`has_results` says whether to show it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run: RunResult | None = None
        self.has_results = False
        self.scenario_picker = QComboBox()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.category_table = QualityTable()
        self.stage_table = QualityTable()
        self.wellness_table = QualityTable()
        self.stage_heading = _heading("Per deciding stage")
        self.wellness_heading = _heading("Wellness: hours a day per reviewer, per team and category")
        self.charts = ChartGrid(1)
        tables = QWidget()
        column = QVBoxLayout(tables)
        column.setContentsMargins(0, 0, 6, 0)
        column.addWidget(_heading("Per category"))
        column.addWidget(self.category_table)
        column.addWidget(self.stage_heading)
        column.addWidget(self.stage_table)
        column.addWidget(self.wellness_heading)
        column.addWidget(self.wellness_table)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(tables)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.charts)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([620, 460])
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Scenario:"))
        bar.addWidget(self.scenario_picker, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.caption)
        layout.addWidget(self.splitter, 1)
        self.scenario_picker.currentIndexChanged.connect(lambda _i: self._fill_tables())

    @property
    def scenario_id(self) -> str:
        return self.scenario_picker.currentData() or ""

    def show_run(self, run: RunResult | None, scenario_id: str) -> None:
        """Show ``run``'s quality results for ``scenario_id`` (nothing, and :attr:`has_results` False, without)."""
        changed = run is not self.run
        self.run = run
        self.has_results = has_quality(run)
        self.scenario_picker.blockSignals(True)
        self.scenario_picker.clear()
        for scenario in run.scenarios if run is not None and self.has_results else []:
            self.scenario_picker.addItem(str(scenario["name"]), str(scenario["id"]))
        self.scenario_picker.setCurrentIndex(max(self.scenario_picker.findData(scenario_id), 0))
        self.scenario_picker.blockSignals(False)
        self._fill_tables()
        if not self.has_results:
            self.charts.message("No decision-quality results in this run")
        elif changed or not self.charts.views:
            assert run is not None
            self.charts.show_charts(quality_chart_specs(run))

    def _fill_tables(self) -> None:
        run, scenario_id = self.run, self.scenario_id
        if run is None or not self.has_results or not scenario_id:
            for table in (self.category_table, self.stage_table, self.wellness_table):
                table.fill(([], [], []))
            self.caption.setText("")
            return
        self.caption.setText(
            f"Mean ± 95 % CI across {run.options.settings.replications} replications. Correct and wrongful removals "
            "count each item's first removal (one later overturned included); missed violations are violating items "
            "kept at the end. Precision = violating ÷ removed, recall = violating removed ÷ violating decided; "
            "exposure = hours violating items stayed up before their removal.")
        self.category_table.fill(quality_grid(run, scenario_id, QUALITY))
        self.stage_table.fill(quality_grid(run, scenario_id, DECISION))
        self.stage_heading.setVisible(self.stage_table.rowCount() > 0)
        self.stage_table.setVisible(self.stage_table.rowCount() > 0)
        wellness = has_wellness(run)
        self.wellness_table.fill(quality_grid(run, scenario_id, WELLNESS) if wellness else ([], [], []))
        self.wellness_heading.setVisible(wellness)
        self.wellness_table.setVisible(wellness)
