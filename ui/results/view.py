"""The results view: the run history, one run's charts and metric table, and the comparison of its scenarios.

Rules:
- The history lists the runs of the workflow on the canvas (see :mod:`ui.run.history`) with their
  settings and the scenario versions they used; a run whose workflow fingerprint differs from the
  workflow as it is now is marked "stale" (re-checked shortly after each edit).
- Picking a run loads its results (from the workspace the first time) and shows them; a run that cannot be
  read is reported in the view, not as a traceback.
- ``canvas_overlay_changed(run, scenario_id, colour_by)`` tells the window what the canvas should show
  ("" = no overlay, "utilisation" or "backlog").
- Watching a run (:meth:`ResultsView.show_live`): while replications finish, the run so far is shown as a run
  would be — headline, charts, metrics, comparison, canvas overlay (backlog unless another was chosen) —
  under a "Running — k of n replications finished" heading; the finished run then takes its place.
- Above the tabs, the headline of each scenario against the reference says in words what the charts show
  (:func:`reports.findings.headline`), then for each launch plan its recovery per SLA target, peak backlog and
  extra hours and cost (:func:`reports.launch.launch_headline`); the charts render in the background
  (:mod:`ui.results.figures`) and sit beside the metric table when the pane is wide, above it when it is narrow.
- A run started from today's backlog has, under the headline, when that backlog is cleared: the findings
  sentence per scenario and the key figures' "Today's backlog" group (:mod:`ui.results.backlog_panel`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from flowmodel.errors import FlowmodelError
from flowmodel.scenarios import describe_target
from flowmodel.workflow import Workflow
from reports.comparison import build_comparison
from reports.findings import headline
from reports.launch import launch_headline, launch_results
from reports.launch_words import plan_lines, timing_text
from reports.start_backlog import has_start_backlog
from simulations.runner import RunResult
from ui.results.backlog_panel import BacklogPanel
from ui.results.chart_sets import scenario_charts
from ui.results.class_tables import ClassWaitsPanel
from ui.results.comparison import ComparisonView
from ui.results.figures import ChartGrid
from ui.results.quality_tables import QualityPanel
from ui.results.tables import MetricTable
from ui.run.history import RunEntry, RunHistory

ID_ROLE = Qt.ItemDataRole.UserRole
STALE_MARK = "⚠ stale"
STALE_COLOUR = QColor("#b7791f")
WIDE_PX = 1250  # below this the metric table goes under the charts
OVERLAYS = (("", "Canvas: no overlay"), ("utilisation", "Canvas: colour by utilisation"),
            ("backlog", "Canvas: colour by backlog"))


def entry_tooltip(entry: RunEntry, stale: bool, workflow: Workflow | None) -> str:
    """Settings and the scenario versions a run used (targets named as in ``workflow`` when they still exist; a
    launch plan's timing and its launch, backfills and trainings too)."""
    s = entry.settings
    lines = [f"Horizon {s.get('horizon_hours')} h, warm-up {s.get('warmup_hours')} h, "
             f"{s.get('replications')} replications, seed {s.get('seed')}, "
             f"series every {s.get('interval_minutes')} min"]
    for scenario in entry.scenarios:
        changes = scenario.get("changes", [])
        lines.append(f"• {scenario.get('name')}: {len(changes)} change{'s' if len(changes) != 1 else ''}")
        for c in changes:
            target = describe_target(workflow, str(c.get("target"))) if workflow is not None else c.get("target")
            timing = timing_text(c, workflow)
            lines.append(f"    {target} · {c.get('path')} {c.get('op')} {c.get('value')}"
                         + (f" · {timing}" if timing else ""))
        lines += [f"    {line}" for line in plan_lines(scenario, workflow)]
    if stale:
        lines.append("The workflow changed since this run: its results describe the model as it was then.")
    return "\n".join(lines)


class ResultsView(QWidget):
    canvas_overlay_changed = Signal(object, str, str)

    def __init__(self, history: RunHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.entry: RunEntry | None = None
        self.run: RunResult | None = None
        self.history_list = QListWidget()
        self.history_list.setMinimumWidth(180)
        self.history_list.setWordWrap(True)
        self.scenario_picker = QComboBox()
        self.overlay_picker = QComboBox()
        for value, text in OVERLAYS:
            self.overlay_picker.addItem(text, value)
        self.heading = QLabel("No run yet: use the Run panel.")
        self.heading.setWordWrap(True)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.headline.setVisible(False)
        self.backlog = BacklogPanel()  # only for a run started from today's backlog
        self.charts = ChartGrid(2)
        self.metrics = MetricTable()
        self.comparison = ComparisonView()
        results_page = QWidget()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Scenario:"))
        bar.addWidget(self.scenario_picker, 1)
        bar.addWidget(self.overlay_picker)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter = splitter
        splitter.addWidget(self.charts)
        splitter.addWidget(self.metrics.widget)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 560])
        page = QVBoxLayout(results_page)
        page.setContentsMargins(4, 4, 4, 4)
        page.addLayout(bar)
        page.addWidget(splitter, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(results_page, "Results")
        self.tabs.addTab(self.comparison, "Compare")
        self.quality = QualityPanel()  # a tab only for a run with decision-quality results
        self.tabs.addTab(self.quality, "Decision quality")
        self.tabs.setTabVisible(self.tabs.indexOf(self.quality), False)
        self.class_waits = ClassWaitsPanel()  # waits per priority and category at each stage
        self.tabs.addTab(self.class_waits, "By priority and category")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.headline)
        right_layout.addWidget(self.backlog)
        right_layout.addWidget(self.tabs, 1)
        outer = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 4, 4)
        left_layout.addWidget(QLabel("Runs of this workflow:"))
        left_layout.addWidget(self.history_list, 1)
        outer.addWidget(left)
        outer.addWidget(right)
        outer.setSizes([200, 1500])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(outer)
        self.setMinimumSize(320, 160)  # a docked view may be small; its parts scroll or squeeze
        self._stale_timer = QTimer(self, singleShot=True, interval=300)
        self._stale_timer.timeout.connect(self.refresh_history)
        self._watched = None
        self._switched_for_watching = False
        history.changed.connect(self.refresh_history)
        self.history_list.currentItemChanged.connect(lambda current, _: self._entry_picked(current))
        self.scenario_picker.currentIndexChanged.connect(lambda _i: self._show_scenario())
        self.overlay_picker.currentIndexChanged.connect(lambda _i: self._overlay_changed())

    # -- history ---------------------------------------------------------------------------------
    def refresh_history(self) -> None:
        """Rebuild the run list (stale markers included), keeping the selected run."""
        workflow = self.history.workflow
        if workflow is not self._watched:
            if self._watched is not None:
                self._watched.events.changed.unsubscribe(self._stale_timer.start)
            self._watched = workflow
            if workflow is not None:
                workflow.events.changed.subscribe(self._stale_timer.start)
        selected = self.entry.id if self.entry is not None else None
        self.history_list.blockSignals(True)
        self.history_list.clear()
        stale_ids = self.history.stale_ids()
        for entry in reversed(self.history.entries):
            stale = entry.id in stale_ids
            item = QListWidgetItem(entry.describe() + (f"  {STALE_MARK}" if stale else ""))
            item.setData(ID_ROLE, entry.id)
            item.setToolTip(entry_tooltip(entry, stale, workflow))
            if stale:
                item.setForeground(QBrush(STALE_COLOUR))
            self.history_list.addItem(item)
            if entry.id == selected:
                self.history_list.setCurrentItem(item)
        self.history_list.blockSignals(False)
        if selected is not None and all(e.id != selected for e in self.history.entries):
            self.show_entry(None)

    def stale_marks(self) -> dict[str, bool]:
        """Run id → whether the list marks it stale (what a planner sees)."""
        return {self.history_list.item(i).data(ID_ROLE): STALE_MARK in self.history_list.item(i).text()
                for i in range(self.history_list.count())}

    def _entry_picked(self, item: QListWidgetItem | None) -> None:
        entry = next((e for e in self.history.entries if item is not None and e.id == item.data(ID_ROLE)), None)
        self.show_entry(entry)

    def show_entry(self, entry: RunEntry | None) -> None:
        """Show the results of a run of the history (None clears the view)."""
        self.entry = entry
        run = None
        if entry is not None:
            try:
                run = self.history.result(entry)
            except FlowmodelError as error:
                self.heading.setText(f"Cannot show this run.\n{error.render()}")
        self.run = run
        if entry is not None and run is not None:
            stale = " — ⚠ stale: the workflow changed since this run" if self.history.is_stale(entry) else ""
            self.heading.setText(f"<b>{entry.describe()}</b>{stale}")
        elif entry is None:
            self.heading.setText("No run selected.")
        self.scenario_picker.blockSignals(True)
        self.scenario_picker.clear()
        for scenario in run.scenarios if run is not None else []:
            self.scenario_picker.addItem(str(scenario["name"]), str(scenario["id"]))
        self.scenario_picker.blockSignals(False)
        self._show_headline(run)
        self._show_scenario()
        self.comparison.set_run(run)
        if self._switched_for_watching:
            self._switched_for_watching = False
            self.overlay_picker.setCurrentIndex(max(self.overlay_picker.findData(""), 0))

    def show_live(self, run: RunResult, done: int, total: int) -> None:
        """Watch a run: the replications finished so far, aggregated like a finished run, while it goes on (the
        finished run replaces it). The canvas shows the backlog unless the planner chose another overlay."""
        chosen = self.scenario_id
        self.history_list.blockSignals(True)
        self.history_list.setCurrentRow(-1)
        self.history_list.blockSignals(False)
        self.entry, self.run = None, run
        per = run.options.settings.replications
        self.heading.setText(f"<b>Running</b> — the figures so far, from the {done} replications finished of {total} "
                             f"({per} per scenario × {len(run.scenarios)}); their intervals narrow as more finish")
        self.scenario_picker.blockSignals(True)
        self.scenario_picker.clear()
        for scenario in run.scenarios:
            self.scenario_picker.addItem(str(scenario["name"]), str(scenario["id"]))
        self.scenario_picker.setCurrentIndex(max(self.scenario_picker.findData(chosen), 0))
        self.scenario_picker.blockSignals(False)
        self._show_headline(run)
        self._show_scenario()
        self.comparison.set_run(run)
        if not self.overlay_picker.currentData():
            self._switched_for_watching = True  # the planner's own choice (none) comes back with the finished run
            self.overlay_picker.setCurrentIndex(max(self.overlay_picker.findData("backlog"), 0))
        else:
            self._overlay_changed()

    def select_entry(self, entry_id: str) -> None:
        for i in range(self.history_list.count()):
            if self.history_list.item(i).data(ID_ROLE) == entry_id:
                self.history_list.setCurrentRow(i)
                return

    # -- one scenario ----------------------------------------------------------------------------
    @property
    def scenario_id(self) -> str:
        return self.scenario_picker.currentData() or ""

    def _show_scenario(self) -> None:
        run, scenario_id = self.run, self.scenario_id
        self.metrics.show(run, scenario_id)
        self.quality.show_run(run, scenario_id)
        self.tabs.setTabVisible(self.tabs.indexOf(self.quality), self.quality.has_results)
        self.class_waits.show_run(run, scenario_id)
        self.tabs.setTabVisible(self.tabs.indexOf(self.class_waits), self.class_waits.has_results)
        if run is None or not scenario_id:
            self.charts.message("No results to show")
        else:
            self.charts.show_charts(scenario_charts(run, scenario_id))
        self._overlay_changed()

    def _show_headline(self, run: RunResult | None) -> None:
        """One line per scenario against the reference, in words, then one per launch plan (nothing for a static
        run of one scenario); today's backlog panel from the same comparison."""
        lines: list[str] = []
        comparison = None
        if run is not None and (len(run.scenarios) > 1 or has_start_backlog(run)):
            try:
                comparison = build_comparison(run)
            except (FlowmodelError, KeyError, ValueError):
                comparison = None
            if comparison is not None:
                lines = [headline(comparison, i) for i in range(1, len(comparison.scenarios))]
        self.backlog.show_comparison(comparison)
        if run is not None:
            reference = run.scenario_names.get(run.baseline_id, "")
            lines += [launch_headline(r, "" if r.is_reference else reference) for r in launch_results(run)
                      if r.is_plan]
        self.headline.setText("\n".join(lines))
        self.headline.setVisible(bool(lines))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Charts beside the metric table when there is room for both, above it otherwise."""
        super().resizeEvent(event)
        wide = self.width() >= WIDE_PX
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            total = self.splitter.width() if wide else self.splitter.height()
            self.splitter.setSizes([total * 3 // 5, total - total * 3 // 5])

    def _overlay_changed(self) -> None:
        self.canvas_overlay_changed.emit(self.run, self.scenario_id, self.overlay_picker.currentData() or "")
