"""Tables of a run: every scalar metric with mean ± 95 % CI, and scenario-vs-baseline deltas.

Rules:
- Metric names carry their unit (``_s`` seconds, ``_h`` hours, ``_share`` 0–1, ``_count``); tables show
  them in a planner's units: shares in percent; durations in s, min, h or d by the row's magnitude
  (:func:`reports.formatting.readable_duration_unit`: the metric table by the mean, the comparison table by
  the larger of the delta and the reference), so a multi-day wait is not "4,840 min". A difference of two
  shares is in percentage points ("pp").
- The comparison table is grouped by scenario: the scenario's name is written once, beside its rows, and the
  delta columns come right after the metric so they stay in view in a narrow pane.
- A confidence interval that is undefined (one replication) is shown as "n/a", never as ± 0.
- Deltas are paired by replication against the first picked scenario
  (:func:`simulations.aggregate.paired_deltas`); "clear" means the 95 % interval of the delta excludes 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

from reports.comparison import HOURS, DisplayUnit
from reports.formatting import INSTANT_METRICS, readable_duration_unit
from simulations.aggregate import MetricDelta, MetricSummary, paired_deltas
from simulations.runner import RunResult

SCOPE_ORDER = {"system": 0, "source": 1, "stage": 2, "priority": 3, "team": 4, "outcome": 5}
#: A launch's figures (only a run with a launch instant has them), first in the comparison: they are its point.
LAUNCH_KEY_METRICS: tuple[tuple[str, str], ...] = (
    ("stage", "backlog_peak_count"), ("stage", "backlog_peak_after_launch_h"), ("system", "paid_hours_h"),
    ("system", "on_floor_hours_h"), ("system", "cost"), ("priority", "recovery_h"), ("priority", "recovered_share"),
    ("priority", "days_below_target_count"))
KEY_METRICS: tuple[tuple[str, str], ...] = (
    *LAUNCH_KEY_METRICS,
    ("system", "time_to_decision_mean_s"), ("system", "time_to_decision_p90_s"), ("system", "completed_count"),
    ("system", "in_queue_end_count"), ("stage", "wait_mean_s"), ("stage", "queue_length_mean"),
    ("stage", "backlog_end_count"), ("priority", "sla_attainment_share"), ("team", "utilisation_share"),
    ("team", "cost"))
CLEAR_FILL = QColor("#fff4cc")
SUMMARY_COLUMNS = ("Stage, team, …", "Metric (unit)", "Mean", "± 95 % CI", "n")
DELTA_COLUMNS = ("Scenario", "Name", "Metric", "Δ", "Δ %", "95 % CI of Δ", "Clear", "Reference", "Scenario value")
SCENARIO_COLUMN_PX = 150
WIDEST_TEXT_COLUMN_PX = 170
SCOPE_COLUMN_PX = 130


#: Metric names whose words a planner would not guess from the name alone.
PLANNER_NAMES = {"in_queue_end": "items waiting at the end", "in_service_end": "items in review at the end",
                 "in_classifier_end": "items in classifiers at the end", "in_delay_end": "items in delays at the end",
                 "in_system_end": "items in the workflow at the end", "run_end": "run length",
                 "sla_attainment": "SLA attainment", "recovery": "back in SLA, after launch",
                 "recovered": "replications back in SLA", "days_below_target": "days below SLA target",
                 "backlog_peak": "peak backlog after launch",
                 "backlog_peak_after_launch": "peak backlog reached, after launch",
                 "paid_hours": "paid hours", "on_floor_hours": "hours on the floor (reviewing)",
                 "launch_at": "launch, from the run's start", "phase_at": "dated step, from the run's start"}
#: Hour metrics that are instants or spans of time (read in h or d by size), unlike amounts of work (paid hours).
CLOCK_HOURS = INSTANT_METRICS
#: A launch's recovery figures: a target that never dipped has them all zero, a row hidden when every scenario has.
RECOVERY_METRICS = frozenset(("recovery_h", "recovered_share", "days_below_target_count"))


def _duration_unit(metric: str, seconds: float) -> DisplayUnit:
    """The unit of a duration by its size; times counted in hours (after a launch) never read in s or min."""
    chosen = readable_duration_unit(seconds)
    return HOURS if metric in CLOCK_HOURS and chosen.per < HOURS.per else chosen


def _seconds_per(metric: str) -> float | None:
    """Seconds per stored unit of a duration metric, None for every other metric (amounts of work included)."""
    return 1.0 if metric.endswith("_s") else 3600.0 if metric in CLOCK_HOURS else None


def metric_unit(metric: str) -> tuple[str, float, str]:
    """(readable name, scale factor, unit shown) of a metric name."""
    name, scale, unit = _metric_unit(metric)
    stem = metric.rsplit("_", 1)[0] if unit else metric
    return PLANNER_NAMES.get(stem, name), scale, unit


def _metric_unit(metric: str) -> tuple[str, float, str]:
    if metric.endswith("_share"):
        return metric[: -len("_share")].replace("_", " "), 100.0, "%"
    if metric.endswith("_s"):
        return metric[:-2].replace("_", " "), 1 / 60.0, "min"
    if metric.endswith("_h"):
        return metric[:-2].replace("_", " "), 1.0, "h"
    if metric.endswith("_count"):
        return metric[: -len("_count")].replace("_", " "), 1.0, "items"
    return metric.replace("_", " "), 1.0, ""


def value_in_units(metric: str, value: float, *, difference: bool = False, reference: float = 0.0) -> str:
    """One comparison cell: a duration in its unit by magnitude (``4.54 min``, ``3.24 h``, ``2.01 d``), a share
    in % and a difference of shares in percentage points (``−47.1 pp``); differences carry a sign and take the
    unit of the larger of themselves and the ``reference`` value (−78 s next to 6 min reads "−1.31 min")."""
    write = signed if difference else number
    _, scale, unit = metric_unit(metric)
    per = _seconds_per(metric)
    if per is not None:
        size = max(abs(value), abs(reference) if math.isfinite(reference) else 0.0) if difference else value
        chosen = _duration_unit(metric, size * per)
        return write(value * per / chosen.per) + ("" if not math.isfinite(value) else f" {chosen.name}")
    if unit == "%":
        unit = "pp" if difference else "%"
    return write(value * scale) + (f" {unit}" if unit and unit != "items" and math.isfinite(value) else "")


def interval_in_units(metric: str, low: float, high: float, reference: float = 0.0) -> str:
    """``[+1.99, +2.03] d``: both ends in the unit of the larger end (or of the reference, when larger)."""
    _, scale, unit = metric_unit(metric)
    per = _seconds_per(metric)
    if per is not None:
        largest = max(abs(low), abs(high), abs(reference) if math.isfinite(reference) else 0)
        chosen = _duration_unit(metric, largest * per)
        scale, unit = per / chosen.per, chosen.name
    elif unit == "%":
        unit = "pp"
    return f"[{signed(low * scale)}, {signed(high * scale)}]" + (f" {unit}" if unit and unit != "items" else "")


def number(value: float) -> str:
    if not math.isfinite(value):
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"


def signed(value: float) -> str:
    """A difference with its sign, as readable as :func:`number`."""
    return "n/a" if not math.isfinite(value) else ("+" if value >= 0 else "−") + number(abs(value))


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSortingEnabled(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


@contextmanager
def _filling(table: QTableWidget) -> Iterator[None]:
    """Fill ``table`` without a repaint or a column measure per cell (hundreds of rows arrive at once, on the
    UI thread), then fit the columns to their contents once."""
    table.setUpdatesEnabled(False)
    try:
        yield
    finally:
        table.resizeColumnsToContents()
        table.setUpdatesEnabled(True)


def _cell(text: str, numeric: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def summary_rows(run: RunResult, scenario_id: str) -> list[MetricSummary]:
    """Every scalar of one scenario, system first, then sources, stages, priorities, teams and outcomes."""
    rows = [s for s in run.summaries if s.scenario_id == scenario_id]
    return sorted(rows, key=lambda s: (SCOPE_ORDER.get(s.scope_kind, 9), s.scope_name, s.metric))


class MetricTable:
    """Builds the metric table widget (mean ± 95 % CI of every scalar)."""

    def __init__(self) -> None:
        self.widget = _table(SUMMARY_COLUMNS)
        header = self.widget.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 150)

    def show(self, run: RunResult | None, scenario_id: str) -> None:
        rows = summary_rows(run, scenario_id) if run is not None else []
        with _filling(self.widget):
            self.widget.setRowCount(len(rows))
            for r, s in enumerate(rows):
                name, scale, unit = metric_unit(s.metric)
                seconds_per = _seconds_per(s.metric)
                if seconds_per is not None and math.isfinite(s.mean):  # a duration: its unit by its size
                    chosen = _duration_unit(s.metric, s.mean * seconds_per)
                    scale, unit = seconds_per / chosen.per, chosen.name
                ci = number(s.half_width * scale) if s.ci_defined else "n/a"
                scope = _cell(s.scope_name)
                scope.setToolTip(f"{s.scope_kind}: {s.scope_name}")
                label = f"{name} ({unit})" if unit and unit != "items" else name
                for c, item in enumerate((scope, _cell(label), _cell(number(s.mean * scale), True),
                                          _cell(f"± {ci}", True), _cell(str(s.n), True))):
                    self.widget.setItem(r, c, item)
        header = self.widget.horizontalHeader()
        header.resizeSection(0, min(header.sectionSize(0), SCOPE_COLUMN_PX))
        header.resizeSection(1, min(header.sectionSize(1), WIDEST_TEXT_COLUMN_PX))


#: Beyond this many times the reference a change reads as a multiple ("×1,114"), not as "+111,319 %".
MULTIPLE_FROM = 10.0


def relative_text(relative: float) -> str:
    """Δ % of a delta, or the scenario as a multiple of the reference when it is many times larger."""
    if not math.isfinite(relative):
        return "n/a"
    if relative + 1.0 >= MULTIPLE_FROM:
        return f"×{number(relative + 1.0)}"
    return signed(relative * 100) + " %"


def comparison_deltas(run: RunResult, scenario_ids: list[str]) -> list[MetricDelta]:
    """Key-metric deltas of ``scenario_ids[1:]`` against ``scenario_ids[0]``, paired by replication."""
    if len(scenario_ids) < 2:
        return []
    picked = [r for r in run.replications if r.scenario_id in scenario_ids]
    wanted = set(KEY_METRICS)
    order = {sid: i for i, sid in enumerate(scenario_ids)}
    deltas = [d for d in paired_deltas(picked, scenario_ids[0]) if (d.scope_kind, d.metric) in wanted]
    deltas = without_idle_recoveries(deltas)
    metric_order = {key: i for i, key in enumerate(KEY_METRICS)}
    return sorted(deltas, key=lambda d: (order[d.scenario_id], metric_order[(d.scope_kind, d.metric)],
                                         d.scope_name))


def without_idle_recoveries(deltas: list[MetricDelta]) -> list[MetricDelta]:
    """``deltas`` less the recovery rows of a target that is zero in every scenario (it never dipped)."""
    moved = {(d.scope_kind, d.scope_id, d.metric) for d in deltas
             if d.metric in RECOVERY_METRICS and (d.baseline_mean != 0 or d.scenario_mean != 0)}
    return [d for d in deltas if d.metric not in RECOVERY_METRICS or (d.scope_kind, d.scope_id, d.metric) in moved]


class DeltaTable:
    """Builds the comparison table: per scenario (named once), each metric's Δ, Δ %, paired 95 % CI, the
    "clear" mark, then the reference and scenario values. Row ``i`` shows ``deltas[i]``."""

    def __init__(self) -> None:
        self.widget = _table(DELTA_COLUMNS)
        header = self.widget.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, SCENARIO_COLUMN_PX)
        self.widget.setWordWrap(True)
        self.widget.setHorizontalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)
        self.deltas: list[MetricDelta] = []
        self.groups: list[tuple[str, int, int]] = []

    def show(self, deltas: list[MetricDelta]) -> None:
        self.deltas = deltas
        with _filling(self.widget):
            self._fill(deltas)
        header = self.widget.horizontalHeader()
        header.resizeSection(0, SCENARIO_COLUMN_PX)
        for column in (1, 2):
            header.resizeSection(column, min(header.sectionSize(column), WIDEST_TEXT_COLUMN_PX))

    def _fill(self, deltas: list[MetricDelta]) -> None:
        self.widget.clearSpans()
        self.widget.setRowCount(len(deltas))
        bold = QFont()
        bold.setBold(True)
        for r, d in enumerate(deltas):
            name = metric_unit(d.metric)[0]
            ci = interval_in_units(d.metric, d.ci_low, d.ci_high, d.baseline_mean) if d.ci_defined else "n/a"
            if d.metric.endswith("_share"):
                relative = _cell("", True)
                relative.setToolTip("A change of a share is given in percentage points (Δ), not as a percentage")
            elif d.metric in CLOCK_HOURS:
                relative = _cell("n/a", True)
                relative.setToolTip("An instant is counted from the launch or the run's start: its change is a "
                                    "time (Δ), not a percentage")
            else:
                relative = _cell(relative_text(d.relative_delta), True)
            cells = (_cell(d.scenario_name), _cell(d.scope_name), _cell(name),
                     _cell(value_in_units(d.metric, d.delta_mean, difference=True, reference=d.baseline_mean), True),
                     relative,
                     _cell(ci, True), _cell("✔ clear" if d.clear else "—"),
                     _cell(value_in_units(d.metric, d.baseline_mean), True),
                     _cell(value_in_units(d.metric, d.scenario_mean), True))
            for c, item in enumerate(cells):
                if d.clear and c > 0:
                    item.setBackground(QBrush(CLEAR_FILL))
                    item.setFont(bold)
                self.widget.setItem(r, c, item)
        self._group()

    def _group(self) -> None:
        """One scenario cell spanning its rows, its name at the top: the name is read once per group."""
        self.groups = []
        start = 0
        for r in range(1, len(self.deltas) + 1):
            if r == len(self.deltas) or self.deltas[r].scenario_id != self.deltas[start].scenario_id:
                self.groups.append((self.deltas[start].scenario_name, start, r - start))
                start = r
        bold = QFont()
        bold.setBold(True)
        for name, first, count in self.groups:
            cell = self.widget.item(first, 0)
            cell.setFont(bold)
            cell.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            cell.setToolTip(f"{name}: {count} key figures compared with the reference")
            if count > 1:
                self.widget.setSpan(first, 0, count, 1)
