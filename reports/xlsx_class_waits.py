"""The workbook's **Waits by priority and category** sheet: each stage's waits and time to decision per priority and
per category, per scenario (the rows of :mod:`reports.class_waits`).

Only a run with these records gets the sheet. One row per scenario × stage × priority or category: counts
(arrivals, reviews finished), then the waits and times to decision in minutes — mean with the half-width of its
95 % CI, p50, p90, p99 (each the mean over replications). Rules: numbers are numbers with a number format; an
undefined value (nothing waited, one replication) is an empty cell, never 0; header frozen, autofilter on it.
"""

from __future__ import annotations

import math
from typing import Any

from xlsxwriter.worksheet import Worksheet

from reports.class_waits import FIGURES, class_rows
from reports.comparison import Comparison
from simulations.aggregate import MetricSummary

SHEET = "Waits by priority and category"
FIXED_COLUMNS = ("Scenario", "Stage", "By", "Priority / category")
MINUTE_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0.0"


def _columns() -> list[tuple[str, str, bool]]:
    """(heading, metric, is the CI half-width) in column order."""
    out: list[tuple[str, str, bool]] = []
    for metric, heading in FIGURES:
        minutes = " (min)" if metric.endswith("_s") else ""
        out.append((heading + minutes, metric, False))
        if "_mean_" in metric:
            out.append((f"{heading}: ± 95 % CI{minutes}", metric, True))
    return out


def _value(summary: MetricSummary | None, metric: str, half: bool) -> float:
    if summary is None or (half and not summary.ci_defined):
        return math.nan
    value = summary.half_width if half else summary.mean
    return value / 60.0 if metric.endswith("_s") else value


def class_waits_sheet(sheet: Worksheet, formats: Any, comparison: Comparison) -> None:
    """Fill ``sheet`` (see the module docstring); ``formats`` is the workbook's shared formats."""
    run = comparison.run
    sheet.write_string(0, 0, "Waits and time to decision by priority and category", formats.title)
    sheet.write_string(1, 0, "Wait: arrival at the stage → start of review. Time to decision: creation → end of "
                             "review at the stage. Means over replications; minutes unless counted.", formats.muted)
    columns = _columns()
    top = 3
    sheet.set_row(top, 45)
    sheet.write_row(top, 0, [*FIXED_COLUMNS, *(heading for heading, _, _ in columns)], formats.header)
    r = top
    for scenario in comparison.scenarios:
        for row in class_rows(run, scenario.id):
            r += 1
            for c, text in enumerate((scenario.name, row.stage, row.by, row.group)):
                sheet.write_string(r, c, text)
            by_metric = dict(zip((metric for metric, _ in FIGURES), row.summaries, strict=True))
            for c, (_, metric, half) in enumerate(columns, start=len(FIXED_COLUMNS)):
                value = _value(by_metric[metric], metric, half)
                if math.isfinite(value):
                    fmt = MINUTE_FORMAT if metric.endswith("_s") else COUNT_FORMAT
                    sheet.write_number(r, c, value, formats.number(fmt))
    sheet.freeze_panes(top + 1, len(FIXED_COLUMNS))
    sheet.autofilter(top, 0, max(r, top + 1), len(FIXED_COLUMNS) + len(columns) - 1)
    sheet.set_column(0, 1, 22)
    sheet.set_column(2, 2, 10)
    sheet.set_column(3, 3, 20)
    sheet.set_column(len(FIXED_COLUMNS), len(FIXED_COLUMNS) + len(columns) - 1, 13)
