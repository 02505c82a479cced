"""A back-test's exports (:mod:`simulations.backtest`): its rows, a CSV file, and a **Back-test** workbook sheet.

Rules:
- The daily rows are long form: one row per (figure, stage, day) with the actual, the simulated mean, its 95 %
  confidence interval, the 95 % band and whether the actual lies inside it. The error rows: one per (figure,
  stage) with the days compared, MAPE and mean bias (%), and the share of days inside the band.
- The CSV holds the daily rows (the error figures are a summary of them, :func:`error_rows`).
- The sheet: the run (workflow, files, start, replications, seed), the error figures, the notes, then the daily
  rows with an autofilter, and a native chart per compared figure (at most :data:`CHART_FIGURES`): the actual
  days as dots, the simulated mean as a line, the band as two thin lines.
- The chart page (.pdf or .png) is :mod:`reports.backtest_charts`.
- Numbers are numbers (dates as dates, shares as %); an undefined value (a MAPE with no day above 0) is an empty
  cell, never 0. Writing is atomic (:func:`reports.files.write_file`).
"""

from __future__ import annotations

import csv
import io
import math
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from flowmodel.errors import SaveError
from flowmodel.imports.actuals import FIGURE_WORDS
from reports.files import write_file
from simulations.backtest import BacktestResult

SHEET = "Back-test"
CHART_FIGURES = 6
DAILY_COLUMNS = ("day", "figure", "stage", "actual", "simulated_mean", "ci_low", "ci_high", "band_low", "band_high",
                 "inside_band")
ERROR_COLUMNS = ("figure", "stage", "days", "mape_pct", "bias_pct", "inside_band_share")


def daily_rows(result: BacktestResult) -> list[dict[str, Any]]:
    return [{"day": c.day.isoformat(), "figure": c.figure, "stage": c.stage or "workflow", "actual": c.actual,
             "simulated_mean": c.mean, "ci_low": c.ci_low, "ci_high": c.ci_high, "band_low": c.band_low,
             "band_high": c.band_high, "inside_band": c.within_band} for c in result.comparisons]


def error_rows(result: BacktestResult) -> list[dict[str, Any]]:
    return [{"figure": e.figure, "stage": e.stage or "workflow", "days": e.days, "mape_pct": e.mape_pct,
             "bias_pct": e.bias_pct, "inside_band_share": e.within_band_share} for e in result.errors]


def backtest_csv_bytes(result: BacktestResult) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DAILY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in daily_rows(result):
        writer.writerow({k: ("" if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def backtest_sheet(book: Workbook, result: BacktestResult, name: str = SHEET) -> Worksheet:
    """Add the back-test sheet to ``book`` (see the module rules)."""
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 13})
    number = book.add_format({"num_format": "#,##0.0"})
    count = book.add_format({"num_format": "#,##0"})
    share = book.add_format({"num_format": "0%"})
    pct = book.add_format({"num_format": "0.0\" %\""})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write(0, 0, f"Back-test of {result.workflow_name}", title)
    facts = [("Actuals", result.actuals_file), ("Volumes", ", ".join(result.history_files)),
             ("Run start (UTC)", result.start_utc.strftime("%Y-%m-%d %H:%M")), ("Days in", result.timezone),
             ("Replications", result.replications), ("Seed", result.seed), ("Lead-in days", result.lead_in_days)]
    for i, (label, value) in enumerate(facts, start=1):
        sheet.write(i, 0, label, bold)
        sheet.write(i, 1, value)
    top = len(facts) + 2
    sheet.write_row(top, 0, ["Figure", "Days", "MAPE", "Mean bias", "Days inside the 95 % band"], bold)
    for i, error in enumerate(result.errors, start=top + 1):
        sheet.write(i, 0, error.label)
        sheet.write_number(i, 1, error.days, count)
        _number(sheet, i, 2, error.mape_pct, pct)
        _number(sheet, i, 3, error.bias_pct, pct)
        sheet.write_number(i, 4, error.within_band_share, share)
    top += len(result.errors) + 2
    for note in result.notes:
        sheet.write(top, 0, note)
        top += 1
    top += 1
    headers = ["Day", "Figure", "Stage", "Actual", "Simulated mean", "CI low", "CI high", "Band low", "Band high",
               "Inside band"]
    sheet.write_row(top, 0, headers, bold)
    first = top + 1
    blocks: list[tuple[str, int, int]] = []
    row = first
    for figure, stage in dict.fromkeys((c.figure, c.stage) for c in result.comparisons):
        start = row
        for c in result.series(figure, stage):
            sheet.write_datetime(row, 0, datetime.combine(c.day, datetime.min.time()), day)
            sheet.write(row, 1, FIGURE_WORDS[c.figure])
            sheet.write(row, 2, c.stage or "workflow")
            sheet.write_number(row, 3, c.actual, count)
            for column, value in enumerate((c.mean, c.ci_low, c.ci_high, c.band_low, c.band_high), start=4):
                _number(sheet, row, column, value, number)
            sheet.write_boolean(row, 9, c.within_band)
            row += 1
        blocks.append((f"{stage or 'Workflow'} · {FIGURE_WORDS[figure]}", start, row - 1))
    if row > first:
        sheet.autofilter(top, 0, row - 1, len(headers) - 1)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 2, 28)
    sheet.set_column(3, 9, 14)
    _charts(book, sheet, blocks, len(headers) + 1)
    return sheet


def _number(sheet: Worksheet, row: int, column: int, value: float, fmt: Any) -> None:
    if math.isfinite(value):
        sheet.write_number(row, column, value, fmt)


def _charts(book: Workbook, sheet: Worksheet, blocks: list[tuple[str, int, int]], column: int) -> None:
    for k, (name, first, last) in enumerate(blocks[:CHART_FIGURES]):
        chart = book.add_chart({"type": "line"})
        days = [sheet.name, first, 0, last, 0]
        for label, col, style in [("band low", 7, {"line": {"color": "#9bbbe0", "width": 0.75, "dash_type": "dash"}}),
                                  ("band high", 8, {"line": {"color": "#9bbbe0", "width": 0.75, "dash_type": "dash"}}),
                                  ("simulated mean", 4, {"line": {"color": "#1f5fa8", "width": 2}}),
                                  ("actual", 3, {"line": {"none": True},
                                                 "marker": {"type": "circle", "size": 6,
                                                            "fill": {"color": "#d0542c"},
                                                            "border": {"color": "#d0542c"}}})]:
            chart.add_series({"name": label, "categories": days, "values": [sheet.name, first, col, last, col],
                              **style})
        chart.set_title({"name": name, "name_font": {"size": 11}})
        chart.set_x_axis({"date_axis": True, "num_format": "dd mmm", "major_gridlines": {"visible": False}})
        chart.set_y_axis({"name": "items", "min": 0})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 640, "height": 300})
        sheet.insert_chart(1 + 16 * k, column, chart)


def backtest_xlsx_bytes(result: BacktestResult) -> bytes:
    buffer = io.BytesIO()
    book = Workbook(buffer, {"in_memory": True})
    backtest_sheet(book, result)
    book.close()
    return buffer.getvalue()


EXPORT_SUFFIXES = (".xlsx", ".csv", ".pdf", ".png")


def export_backtest(result: BacktestResult, path: str | os.PathLike[str]) -> Path:
    """Write the back-test to ``path``: an .xlsx workbook with the sheet, a .csv of the daily rows, or the chart
    page as .pdf or .png (:mod:`reports.backtest_charts`)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_file(path, backtest_xlsx_bytes(result))
    if suffix == ".csv":
        return write_file(path, backtest_csv_bytes(result))
    if suffix in (".pdf", ".png"):
        from reports.backtest_charts import backtest_figure  # matplotlib only when a picture is asked for
        from reports.charts import save_chart

        return save_chart(backtest_figure(result), path)
    raise SaveError(f"a back-test is exported as .xlsx, .csv, .pdf or .png, not {suffix or 'a file without a suffix'}",
                    where=str(path), hint="name the file back-test.xlsx, back-test.csv or back-test.pdf")
