"""The workbook's **Decision quality** sheet: how right each scenario's decisions were, with paired deltas.

Only a run with quality results gets the sheet (:func:`reports.quality.has_quality`). Top to bottom:
- **Figures**: one row per figure of :mod:`reports.quality` — per category (all categories first), per deciding
  stage (QA figures for a stage that samples), wellness per team · category when recorded — with its section,
  scope, unit, then per scenario the mean and 95 % CI, then per compared scenario the paired Δ, its CI and the
  verdict. Autofilter on the header; the first columns and the header are frozen.
- **Chart data**: wrongful removals, missed violations and overturns over all categories, and exposure per
  category, per scenario (means), drawn as two native column charts right of the figures.

Rules: numbers are numbers in the row's display unit with a number format (shares 0–1 as %, time to action in
the row's s/min/h/d, counts and item-hours with thousands separators); an undefined value (no data, a CI from
one replication) is an empty cell, never 0.
"""

from __future__ import annotations

import math
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.comparison import SHARE, Comparison, DisplayUnit
from reports.formatting import verdict
from reports.quality import OVERALL_ID, QUALITY, QualityFigure, quality_figures, scopes_of
from reports.quality_charts import ERROR_METRICS

SHEET = "Decision quality"
FIXED_COLUMNS = ("Section", "Scope", "Figure", "Unit")
COUNT_FORMAT = "#,##0.0"


def excel_format(unit: DisplayUnit) -> str:
    """The cell format of a figure in ``unit`` (shares stay 0–1 under a % format)."""
    return "0.0%" if unit is SHARE else COUNT_FORMAT if unit.excel == "#,##0" else unit.excel


def shown(value: float, unit: DisplayUnit) -> float:
    """A stored value in the cell's unit: shares stay 0–1 (the format shows %), the rest ÷ ``unit.per``."""
    return value if unit is SHARE else value / unit.per


def _number(sheet: Worksheet, row: int, column: int, value: float, fmt: Any) -> None:
    if math.isfinite(value):
        sheet.write_number(row, column, value, fmt)


def columns_of(comparison: Comparison) -> list[str]:
    columns = list(FIXED_COLUMNS)
    for s in comparison.scenarios:
        columns += [f"{s.name}: mean", f"{s.name}: CI low", f"{s.name}: CI high"]
    for s in comparison.scenarios[1:]:
        columns += [f"Δ {s.name}", f"Δ {s.name}: CI low", f"Δ {s.name}: CI high", f"Δ {s.name}: verdict"]
    return columns


def _figure_row(sheet: Worksheet, formats: Any, row: int, figure: QualityFigure) -> None:
    value = formats.number(excel_format(figure.unit))
    signed_format = excel_format(figure.unit)
    signed = formats.number(f"+{signed_format};-{signed_format};0")
    for column, text in enumerate((figure.section, figure.scope_name, figure.label,
                                   "share" if figure.unit is SHARE else figure.unit.name)):
        sheet.write_string(row, column, text)
    column = len(FIXED_COLUMNS)
    for summary in figure.summaries:
        if summary is not None:
            _number(sheet, row, column, shown(summary.mean, figure.unit), value)
            if summary.ci_defined:
                _number(sheet, row, column + 1, shown(summary.ci_low, figure.unit), value)
                _number(sheet, row, column + 2, shown(summary.ci_high, figure.unit), value)
        column += 3
    for delta in figure.deltas[1:]:
        if delta is not None:
            _number(sheet, row, column, shown(delta.delta_mean, figure.unit), signed)
            if delta.ci_defined:
                _number(sheet, row, column + 1, shown(delta.ci_low, figure.unit), signed)
                _number(sheet, row, column + 2, shown(delta.ci_high, figure.unit), signed)
            sheet.write_string(row, column + 3, verdict(delta), formats.clear if delta.clear else None)
        column += 4


def quality_sheet(book: Workbook, sheet: Worksheet, formats: Any, comparison: Comparison) -> None:
    """Fill ``sheet`` of ``book`` (see the module docstring); ``formats`` is the workbook's shared formats."""
    run = comparison.run
    figures = quality_figures(run)
    sheet.write_string(0, 0, f"{comparison.workflow_name}: decision quality", formats.title)
    sheet.write_string(1, 0, f"Means across {run.options.settings.replications} replications with 95 % CIs; Δ "
                             f"paired with '{comparison.reference.name}' (clear = the CI of Δ excludes 0). Removals "
                             "count each item's first removal; missed violations are violating items kept at the "
                             "end; exposure is the hours violating items stayed up.", formats.muted)
    top = 3
    columns = columns_of(comparison)
    sheet.set_row(top, 45)
    sheet.write_row(top, 0, columns, formats.header)
    for row, figure in enumerate(figures, start=top + 1):
        _figure_row(sheet, formats, row, figure)
    last = top + max(len(figures), 1)
    sheet.autofilter(top, 0, last, len(columns) - 1)
    sheet.freeze_panes(top + 1, 3)
    for column, width in enumerate((18, 22, 26, 11)):
        sheet.set_column(column, column, width)
    sheet.set_column(len(FIXED_COLUMNS), len(columns) - 1, 13)
    _charts(book, sheet, formats, comparison, figures, last + 3, len(columns) + 1)


def _charts(book: Workbook, sheet: Worksheet, formats: Any, comparison: Comparison, figures: list[QualityFigure],
            top: int, chart_column: int) -> None:
    """The chart data below the figures and two native column charts beside them."""
    scenarios = comparison.scenarios
    categories = [(scope_id, name) for scope_id, name in scopes_of(comparison.run, QUALITY) if scope_id != OVERALL_ID]
    found = {(f.scope_id, f.metric): f for f in figures if f.scope_kind == QUALITY}
    errors = [(label, found[(OVERALL_ID, metric)]) for metric, label in ERROR_METRICS
              if (OVERALL_ID, metric) in found]
    exposure = [(name, found[(scope_id, "exposure_h")]) for scope_id, name in categories or [(OVERALL_ID, "all")]
                if (scope_id, "exposure_h") in found]
    blocks = [("Errors, all categories (items)", errors), ("Exposure per category (item-hours)", exposure)]
    row = top
    place = 3
    for title, rows in blocks:
        if not rows:
            continue
        sheet.write_string(row, 0, title, formats.group)
        sheet.write_row(row + 1, 0, ["", *[s.name for s in scenarios]], formats.header)
        for offset, (label, figure) in enumerate(rows, start=row + 2):
            sheet.write_string(offset, 0, label)
            for position, summary in enumerate(figure.summaries, start=1):
                if summary is not None:
                    _number(sheet, offset, position, summary.mean, formats.number(COUNT_FORMAT))
        first, end = row + 2, row + 1 + len(rows)
        chart = book.add_chart({"type": "column"})
        for position, scenario in enumerate(scenarios, start=1):
            chart.add_series({"name": scenario.name, "categories": [sheet.name, first, 0, end, 0],
                              "values": [sheet.name, first, position, end, position]})
        chart.set_title({"name": title, "name_font": {"size": 11}})
        chart.set_y_axis({"min": 0, "num_format": "#,##0"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 620, "height": 300})
        sheet.insert_chart(place, chart_column, chart)
        place += 17
        row = end + 3
