"""The workbook's **Launch** sheet: a launch plan's figures per scenario, then its daily SLA attainment.

Only a run with launch results gets the sheet (:func:`reports.launch.has_launch`). Three tables, top to bottom:
- **Launch figures**: per scenario, peak backlog per stage and when it was reached, the time back in SLA per
  target with its 95 % CI and "recovered in k of n" replications, days below target, paid hours, hours on the
  floor and staff cost — each with the paired delta against the reference, its CI and verdict.
- **Dated steps**: the plan's steps (the launch, phases) with their time from the run's start and the launch.
- **Daily SLA attainment**: per scenario × target × run day, the mean share of the items due that day that
  met the target, its 95 % CI across replications and the mean number due (long form, with an autofilter),
  drawn as a native chart beside the figures (one line per scenario × target, at most :data:`CHART_SERIES`).

Rules: numbers are numbers with formats (times after the launch in days, shares 0–1 as %); an undefined value
(no replication recovered, no item due) is an empty cell, never 0.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.comparison import Comparison
from reports.formatting import verdict
from reports.launch import DAILY_DUE, DAILY_SLA, LaunchResults, daily_interval, launch_figure_rows, launch_results

SHEET = "Launch"
CHART_SERIES = 12  # more lines than this would not be read
FIGURE_COLUMNS = ("Scenario", "Figure", "Stage, target or total", "Unit", "Mean", "CI low", "CI high",
                  "Recovered (replications)", "Δ", "Δ CI low", "Δ CI high", "Verdict")
STEP_COLUMNS = ("Scenario", "Step", "From run start (d)", "From launch (d)", "Date")
DAILY_COLUMNS = ("Scenario", "Stage · priority", "Target", "Run day", "Days from launch (day end)", "Date (day end)",
                 "Attainment", "CI low", "CI high", "Items due (mean)")
#: (figure, unit, per: stored units per shown unit, number format)
DAYS = ("days", 24.0, "0.0")
UNITS = {"backlog_peak_count": ("items", 1.0, "#,##0"), "backlog_peak_after_launch_h": DAYS, "recovery_h": DAYS,
         "days_below_target_count": ("days", 1.0, "0.0"), "paid_hours_h": ("hours", 1.0, "#,##0"),
         "on_floor_hours_h": ("hours", 1.0, "#,##0"), "cost": ("currency", 1.0, "#,##0"),
         "arrivals_count": ("items", 1.0, "#,##0")}


def _date(start: str, hours: float) -> str:
    try:
        return (datetime.fromisoformat(start) + timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ""


def _number(sheet: Worksheet, row: int, column: int, value: float, fmt: Any) -> None:
    if math.isfinite(value):
        sheet.write_number(row, column, value, fmt)


def launch_sheet(book: Workbook, sheet: Worksheet, formats: Any, comparison: Comparison) -> None:
    """Fill ``sheet`` of ``book`` (see the module docstring); ``formats`` is the workbook's shared formats."""
    run = comparison.run
    results = launch_results(run)
    start = str(run.options.settings.start_date)
    plan = next((r for r in results if r.is_plan), results[0])
    sheet.write_string(0, 0, f"{comparison.workflow_name}: launch", formats.title)
    sheet.write_string(1, 0, f"Launch at {_date(start, plan.launch_at_h)} ({plan.launch_at_h / 24:g} days after the "
                             f"run's start). Means across replications with 95 % CIs; Δ paired with "
                             f"'{comparison.reference.name}'. Back in SLA: over the replications that recovered "
                             f"within the horizon (see 'Recovered').", formats.muted)
    top = 3
    sheet.write_row(top, 0, FIGURE_COLUMNS, formats.header)
    row = top
    for row, (scenario, figure, scope, metric, summary, delta, recovered) in enumerate(launch_figure_rows(run),
                                                                                    start=top + 1):
        unit, per, excel = UNITS[metric]
        value = formats.number(excel)
        signed = formats.number(f"+{excel};-{excel};0")
        for column, text in enumerate((scenario, figure, scope, unit)):
            sheet.write_string(row, column, text)
        if summary is not None:
            for column, number in ((4, summary.mean), (5, summary.ci_low), (6, summary.ci_high)):
                if column == 4 or summary.ci_defined:
                    _number(sheet, row, column, number / per, value)
        if recovered:
            sheet.write_string(row, 7, recovered)
        if delta is not None:
            for column, number in ((8, delta.delta_mean), (9, delta.ci_low), (10, delta.ci_high)):
                if column == 8 or delta.ci_defined:
                    _number(sheet, row, column, number / per, signed)
            sheet.write_string(row, 11, verdict(delta), formats.clear if delta.clear else None)
    row = _steps(sheet, formats, results, start, row + 3)
    blocks = _daily(sheet, formats, comparison, results, start, row + 3)
    _daily_chart(book, sheet, blocks)
    for column, width in enumerate((18, 26, 28, 9, 11, 11, 11, 14, 11, 11, 11, 10)):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(top + 1, 0)


def _steps(sheet: Worksheet, formats: Any, results: list[LaunchResults], start: str, top: int) -> int:
    """The dated steps table from row ``top``; returns its last row."""
    sheet.write_string(top - 1, 0, "Dated steps", formats.group)
    sheet.write_row(top, 0, STEP_COLUMNS, formats.header)
    days = formats.number("0.00")
    row = top
    for r in results:
        if not r.is_plan:
            steps = [("launch (the plan's instant)", r.launch_at_h)]
        elif any(abs(at_h - r.launch_at_h) < 1e-9 for _, at_h in r.phases):
            steps = list(r.phases)
        else:
            steps = [("launch", r.launch_at_h), *r.phases]
        for label, at_h in steps:
            row += 1
            sheet.write_string(row, 0, r.scenario_name)
            sheet.write_string(row, 1, label)
            sheet.write_number(row, 2, at_h / 24.0, days)
            sheet.write_number(row, 3, (at_h - r.launch_at_h) / 24.0, days)
            sheet.write_string(row, 4, _date(start, at_h))
    return row


def _daily(sheet: Worksheet, formats: Any, comparison: Comparison, results: list[LaunchResults], start: str,
           top: int) -> list[tuple[str, int, int]]:
    """The daily SLA attainment table (long form, autofilter) from row ``top``; returns each scenario × target's
    (name, first row, last row)."""
    blocks: list[tuple[str, int, int]] = []
    run = comparison.run
    sheet.write_string(top - 1, 0, "Daily SLA attainment (items due that day that met the target)", formats.group)
    sheet.write_row(top, 0, DAILY_COLUMNS, formats.header)
    share, days, items = formats.number("0.0%"), formats.number("0.00"), formats.number("#,##0.0")
    targets = {(s.scenario_id, s.scope_id): s.mean for s in run.summaries if s.metric == "sla_target_share"}
    row = top
    for r in results:
        mine = [rep for rep in run.replications if rep.scenario_id == r.scenario_id]
        scopes = dict.fromkeys((s.scope_id, s.scope_name) for rep in mine for s in rep.series
                               if s.scope_kind == "priority" and s.metric == DAILY_SLA)
        for scope_id, scope_name in scopes:
            ends, mean, low, high = daily_interval(run, r.scenario_id, scope_id)
            due = daily_interval(run, r.scenario_id, scope_id, DAILY_DUE)[1]
            if len(ends):
                blocks.append((f"{r.scenario_name} · {scope_name}", row + 1, row + len(ends)))
            for k, end in enumerate(ends):
                row += 1
                sheet.write_string(row, 0, r.scenario_name)
                sheet.write_string(row, 1, scope_name)
                if (r.scenario_id, scope_id) in targets:
                    sheet.write_number(row, 2, targets[(r.scenario_id, scope_id)], share)
                sheet.write_number(row, 3, k + 1)
                sheet.write_number(row, 4, (end - r.launch_at_h) / 24.0, days)
                sheet.write_string(row, 5, _date(start, float(end)))
                for column, value in ((6, mean[k]), (7, low[k]), (8, high[k])):
                    _number(sheet, row, column, float(value), share)
                if k < len(due):
                    _number(sheet, row, 9, float(due[k]), items)
    sheet.autofilter(top, 0, max(row, top + 1), len(DAILY_COLUMNS) - 1)
    return blocks


def _daily_chart(book: Workbook, sheet: Worksheet, blocks: list[tuple[str, int, int]]) -> None:
    """A native line chart of the daily attainment (one series per scenario × target), right of the figures."""
    if not blocks:
        return
    chart = book.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
    for name, first, last in blocks[:CHART_SERIES]:
        chart.add_series({"name": name, "categories": [sheet.name, first, 4, last, 4],
                          "values": [sheet.name, first, 6, last, 6], "marker": {"type": "circle", "size": 4}})
    chart.set_title({"name": "Daily SLA attainment (days from launch)", "name_font": {"size": 11}})
    chart.set_x_axis({"name": "days from launch (day end)", "major_gridlines": {"visible": False}})
    chart.set_y_axis({"name": "items due that day within SLA", "min": 0, "max": 1, "num_format": "0%"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 360})
    sheet.insert_chart(3, len(FIGURE_COLUMNS) + 1, chart)
