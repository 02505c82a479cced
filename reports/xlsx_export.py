"""The spreadsheet export (xlsxwriter): what finance and ops leads open first.

Sheets, in order:
- **Summary**: the key figures × scenarios — mean and 95 % CI per scenario, then per compared scenario the
  paired delta, its CI, the relative change and "clear"/"not clear"; findings below the table. A run started
  from today's backlog adds a **Note** column: where a backlog instant's mean leaves out the replications that
  did not get there by the end, it says in how many (:mod:`reports.start_backlog_words`); a figure no
  replication reached has that note in its mean cell and no number.
- **Charts**: native Excel charts — total backlog over time and backlog per stage by scenario, SLA
  attainment by scenario — drawn from the **Chart data** sheet (means across replications; its SLA table
  ends with each target's clock in words: "time to decision" or "wait in queue").
- **Launch**, only for a run with launch results (a launch plan and the baseline beside it): peak backlog and
  when, recovery per SLA target with its CI and "recovered in k of n", days below target, extra hours and cost
  as paired deltas, the plan's dated steps and the daily SLA attainment (:mod:`reports.xlsx_launch`).
- **Decision quality**, only for a run with quality results: per category, deciding stage and (when recorded)
  team · category for wellness, each figure's mean and CI per scenario and its paired delta, with charts of the
  errors and the exposure (:mod:`reports.xlsx_quality`).
- One sheet per scenario ("1. Baseline", …): every scalar metric per scope, in the record's units, with mean,
  sd, CI, n and the paired delta against the reference.
- **Waits by priority and category**: each stage's waits and time to decision per priority and per category, per
  scenario (:mod:`reports.xlsx_class_waits`); runs stored before these records have none.
- **Replications** and **Time series**: the stored per-replication values in tidy form (:mod:`reports.tidy`).
- **Assumptions**: run settings, seed, model fingerprint, Flowmodel version, and each scenario's changes as
  readable diff lines. **Staffing** when a staffing table is given.

Rules: numbers are stored as numbers with number formats (never as text); the Summary shows each figure in its
display unit (durations ÷ 60 or ÷ 3600, shares as 0–1 with a % format), every other sheet keeps the stored
value exactly. Header rows are frozen, tables have an autofilter, columns get widths from their content. The
workbook is built in memory and written atomically.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from flowmodel.nodes import SLA_CLOCK_WORDS
from reports.class_waits import has_class_waits
from reports.comparison import SHARE, Comparison
from reports.files import write_file
from reports.findings import write_findings
from reports.formatting import figure_label, verdict
from reports.launch import has_launch
from reports.quality import has_quality
from reports.start_backlog_words import figure_note, figure_notes
from reports.tidy import SCALAR_COLUMNS, SERIES_COLUMNS, finite, scalar_rows, series_rows
from reports.xlsx_class_waits import SHEET as CLASS_WAITS_SHEET
from reports.xlsx_class_waits import class_waits_sheet
from reports.xlsx_launch import SHEET as LAUNCH_SHEET
from reports.xlsx_launch import launch_sheet
from reports.xlsx_quality import SHEET as QUALITY_SHEET
from reports.xlsx_quality import quality_sheet

SCOPE_ORDER = {"system": 0, "source": 1, "stage": 2, "priority": 3, "team": 4, "outcome": 5}
MAX_WIDTH = 60
SHEET_NAME_LIMIT = 31


class ExactWorksheet(Worksheet):
    """A worksheet that writes each number in Python's shortest round-trip form (17 significant digits where
    needed) instead of xlsxwriter's ``%.16G``, so a value read back is the stored double, bit for bit."""

    def _xml_number_element(self, number: float, attributes: list | None = None) -> None:
        attr = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes or ())
        self.fh.write(f"<c{attr}><v>{float(number)!r}</v></c>")


def _sheet(book: Workbook, name: str) -> Worksheet:
    return book.add_worksheet(name, worksheet_class=ExactWorksheet)


class _Formats:
    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 15, "font_color": "#1f2933"})
        self.muted = book.add_format({"font_color": "#52606d", "italic": True})
        self.header = book.add_format({"bold": True, "bg_color": "#e4e7eb", "border": 1, "border_color": "#c3c8d0",
                                       "text_wrap": True, "valign": "top"})
        self.group = book.add_format({"bold": True, "font_color": "#2f6fbd"})
        self.clear = book.add_format({"bold": True, "bg_color": "#fff4cc"})
        self.text = book.add_format({"text_wrap": False})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self._numbers: dict[str, Any] = {}
        self._book = book

    def number(self, excel_format: str) -> Any:
        if excel_format not in self._numbers:
            self._numbers[excel_format] = self._book.add_format({"num_format": excel_format})
        return self._numbers[excel_format]


def _metric_format(metric: str) -> str:
    if metric.endswith("_share"):
        return "0.0%"
    if metric.endswith("_count"):
        return "#,##0.0"
    if metric == "cost":
        return "#,##0"
    return "0.0"


def _metric_unit(metric: str) -> str:
    for suffix, unit in (("_share", "share 0–1"), ("_count", "items"), ("_s", "seconds"), ("_h", "hours")):
        if metric.endswith(suffix):
            return unit
    return "currency" if metric == "cost" else ""


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unused Excel sheet name for ``text`` (no []:*?/\\, at most 31 characters)."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text).strip("'") or "Sheet"
    name = base[:SHEET_NAME_LIMIT]
    counter = 2
    while name.lower() in {t.lower() for t in taken}:
        tail = f" ({counter})"
        name = base[:SHEET_NAME_LIMIT - len(tail)] + tail
        counter += 1
    taken.add(name)
    return name


def _widths(sheet: Worksheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        sheet.set_column(column, column, min(max(width + 2, 8), MAX_WIDTH))


def _table(sheet: Worksheet, formats: _Formats, top: int, columns: Iterable[str], rows: Iterable[Iterable[Any]],
           cell_formats: dict[int, Any] | None = None) -> int:
    """Header + rows from ``top``; frozen header, autofilter, widths. Returns the number of data rows."""
    columns = list(columns)
    widths = {c: len(name) for c, name in enumerate(columns)}
    sheet.write_row(top, 0, columns, formats.header)
    count = 0
    for count, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            fmt = (cell_formats or {}).get(c)
            if isinstance(value, str):
                sheet.write_string(top + count, c, value, fmt)
                if count <= 500:
                    widths[c] = max(widths[c], len(value))
            else:
                sheet.write_number(top + count, c, value, fmt)
                if count <= 500:
                    widths[c] = max(widths[c], 10)
    sheet.freeze_panes(top + 1, 0)
    sheet.autofilter(top, 0, top + max(count, 1), len(columns) - 1)
    _widths(sheet, widths)
    return count


def _summary_sheet(book: Workbook, formats: _Formats, comparison: Comparison) -> None:
    sheet = _sheet(book, "Summary")
    run = comparison.run
    settings = run.options.settings
    sheet.write_string(0, 0, f"{comparison.workflow_name}: scenario comparison", formats.title)
    sheet.write_string(1, 0, f"{settings.replications} replications per scenario, horizon "
                             f"{settings.horizon_hours:g} h, warm-up {settings.warmup_hours:g} h, seed "
                             f"{settings.seed}; mean and 95 % confidence interval; Δ paired with "
                             f"'{comparison.reference.name}' (clear = the CI of Δ excludes 0). "
                             f"Exported {comparison.created}.", formats.muted)
    columns = ["Group", "Key figure", "Unit"]
    for s in comparison.scenarios:
        columns += [f"{s.name}: mean", f"{s.name}: CI low", f"{s.name}: CI high"]
    for s in comparison.scenarios[1:]:
        columns += [f"Δ {s.name}", f"Δ {s.name}: CI low", f"Δ {s.name}: CI high", f"Δ {s.name}: relative",
                    f"Δ {s.name}: verdict"]
    notes = [figure_notes(comparison, figure) for figure in comparison.figures]
    if any(notes):
        columns.append("Note")
    top = 3
    sheet.set_row(top, 45)
    sheet.write_row(top, 0, columns, formats.header)
    widths = {0: 16, 1: 12, 2: 6, **{c: 12 for c in range(3, len(columns))}}
    for r, figure in enumerate(comparison.figures, start=top + 1):
        unit = figure.unit
        value_format = formats.number(unit.excel)
        delta_format = formats.number("+0.0%;-0.0%;0.0%" if unit is SHARE else f"+{unit.excel};-{unit.excel};0")
        label = figure_label(figure)
        widths[1] = max(widths[1], len(label))
        sheet.write_string(r, 0, figure.group, formats.group)
        sheet.write_string(r, 1, label)
        sheet.write_string(r, 2, "share" if unit is SHARE else unit.name)
        c = 3
        for position, summary in enumerate(figure.summaries):
            if (summary is None or summary.n == 0) and figure_note(figure, position):
                sheet.write_string(r, c, figure_note(figure, position))
            elif summary is not None:
                for offset, value in enumerate((summary.mean, summary.ci_low, summary.ci_high)):
                    if math.isfinite(value):
                        sheet.write_number(r, c + offset, value / unit.per, value_format)
            c += 3
        for delta in figure.deltas[1:]:
            if delta is not None:
                for offset, value in enumerate((delta.delta_mean, delta.ci_low, delta.ci_high)):
                    if math.isfinite(value):
                        sheet.write_number(r, c + offset, value / unit.per, delta_format)
                if math.isfinite(delta.relative_delta):
                    sheet.write_number(r, c + 3, delta.relative_delta, formats.number("+0.0%;-0.0%;0.0%"))
                sheet.write_string(r, c + 4, verdict(delta), formats.clear if delta.clear else None)
            c += 5
        if notes[r - top - 1]:
            sheet.write_string(r, c, notes[r - top - 1])
            widths[c] = max(widths.get(c, 12), len(notes[r - top - 1]))
    last = top + len(comparison.figures)
    sheet.freeze_panes(top + 1, 3)
    sheet.autofilter(top, 0, last, len(columns) - 1)
    _widths(sheet, widths)
    findings = write_findings(comparison)
    row = last + 2
    sheet.write_string(row, 0, "Findings", formats.title)
    for text in findings.general:
        row += 1
        sheet.write_string(row, 0, text)
    for group in findings.by_scenario:
        row += 1
        sheet.write_string(row, 0, f"{group.scenario.name} against {comparison.reference.name}", formats.group)
        for text in group.points:
            row += 1
            sheet.write_string(row, 0, f"• {text}")


def _scenario_sheet(book: Workbook, formats: _Formats, comparison: Comparison, position: int, name: str) -> None:
    scenario = comparison.scenarios[position]
    sheet = _sheet(book, name)
    sheet.write_string(0, 0, scenario.name, formats.title)
    sheet.write_string(1, 0, "Every scalar metric, in the units of its name; mean and 95 % CI across replications"
                       + ("" if scenario.is_reference else f"; Δ paired with '{comparison.reference.name}'."),
                       formats.muted)
    deltas = {(d.scope_kind, d.scope_id, d.metric): d for d in comparison.run.deltas if d.scenario_id == scenario.id}
    summaries = sorted((s for s in comparison.run.summaries if s.scenario_id == scenario.id),
                       key=lambda s: (SCOPE_ORDER.get(s.scope_kind, 9), s.scope_name, s.metric))
    columns = ["Scope kind", "Scope", "Metric", "Unit", "Mean", "SD", "CI low", "CI high", "± half-width", "n"]
    if not scenario.is_reference:
        columns += ["Δ", "Δ CI low", "Δ CI high", "Δ relative", "Clear"]

    def rows() -> Iterable[list[Any]]:
        for s in summaries:
            row: list[Any] = [s.scope_kind, s.scope_name, s.metric, _metric_unit(s.metric), finite(s.mean),
                              finite(s.sd), finite(s.ci_low), finite(s.ci_high), finite(s.half_width), s.n]
            d = deltas.get((s.scope_kind, s.scope_id, s.metric))
            if not scenario.is_reference:
                row += ([finite(d.delta_mean), finite(d.ci_low), finite(d.ci_high), finite(d.relative_delta),
                         verdict(d)] if d is not None else [None] * 5)
            yield row

    top = 3
    _table(sheet, formats, top, columns, rows())
    relative = formats.number("+0.0%;-0.0%;0.0%")
    for r, s in enumerate(summaries, start=top + 1):  # number formats by metric: re-write the numeric cells
        fmt = formats.number(_metric_format(s.metric))
        for c, value in ((4, s.mean), (5, s.sd), (6, s.ci_low), (7, s.ci_high), (8, s.half_width)):
            if math.isfinite(value):
                sheet.write_number(r, c, value, fmt)
        d = deltas.get((s.scope_kind, s.scope_id, s.metric))
        if d is not None:
            for c, value in ((10, d.delta_mean), (11, d.ci_low), (12, d.ci_high)):
                if math.isfinite(value):
                    sheet.write_number(r, c, value, fmt)
            if math.isfinite(d.relative_delta):
                sheet.write_number(r, 13, d.relative_delta, relative)


def _assumptions_sheet(book: Workbook, formats: _Formats, comparison: Comparison) -> None:
    sheet = _sheet(book, "Assumptions")
    sheet.write_string(0, 0, "Assumptions and run settings", formats.title)
    count = _table(sheet, formats, 2, ("Setting", "Value"), comparison.assumptions)
    row = 2 + count + 2
    sheet.write_row(row, 0, ("Scenario", "Change (baseline value → scenario value)"), formats.header)
    for scenario in comparison.scenarios:
        lines = scenario.changes or ("no changes: the workflow as drawn",)
        for line in lines:
            row += 1
            sheet.write_string(row, 0, scenario.name)
            sheet.write_string(row, 1, line)
    longest = max((len(line) for s in comparison.scenarios for line in s.changes), default=40)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, min(max(longest, 70), 110))


def _chart_data_sheet(book: Workbook, formats: _Formats, comparison: Comparison) -> tuple[str, dict[str, Any]]:
    """Means across replications in wide form, for the native charts: returns the sheet name and ranges."""
    name = "Chart data"
    sheet = _sheet(book, name)
    run = comparison.run
    stages = list(dict.fromkeys((b.scope_id, b.scope_name) for b in run.bands
                                if b.scope_kind == "stage" and b.metric == "queue_length"))
    bands = {(b.scenario_id, b.scope_id): b for b in run.bands if b.scope_kind == "stage" and
             b.metric == "queue_length"}
    length = min((len(b.mean) for b in bands.values()), default=0)
    times = next(iter(bands.values())).times_h[:length] if bands else ()
    columns = ["Day"]
    for scenario in comparison.scenarios:
        columns.append(f"{scenario.name}: all stages")
        columns += [f"{scenario.name}: {stage_name}" for _, stage_name in stages]
    rows = []
    for k, t_hours in enumerate(times):
        row: list[Any] = [t_hours / 24.0]
        for scenario in comparison.scenarios:
            per_stage = [bands[(scenario.id, stage_id)].mean[k] if (scenario.id, stage_id) in bands else math.nan
                         for stage_id, _ in stages]
            row.append(finite(math.fsum(per_stage)))
            row += [finite(v) for v in per_stage]
        rows.append(row)
    _table(sheet, formats, 0, columns, rows, {0: formats.number("0.00")})
    sla = [f for f in comparison.figures if f.scope_kind == "priority" and f.metric == "sla_attainment_share"]
    sla_top = len(rows) + 3
    sla_columns = ["Stage · priority", "Target", *[s.name for s in comparison.scenarios], "Clock"]
    sheet.write_row(sla_top, 0, sla_columns, formats.header)
    share = formats.number("0.0%")
    for r, figure in enumerate(sla, start=sla_top + 1):
        sheet.write_string(r, 0, figure.scope_name)
        if figure.target is not None:
            sheet.write_number(r, 1, figure.target, share)
        for c, summary in enumerate(figure.summaries, start=2):
            if summary is not None and math.isfinite(summary.mean):
                sheet.write_number(r, c, summary.mean, share)
        sheet.write_string(r, 2 + len(comparison.scenarios), SLA_CLOCK_WORDS[figure.clock])
    return name, {"rows": len(rows), "stages": stages, "sla_top": sla_top, "sla_rows": len(sla)}


def _fill_charts(book: Workbook, sheet: Worksheet, comparison: Comparison, data: str, layout: dict[str, Any]) -> None:
    """Native charts on ``sheet`` (created early so it is the second tab) from the chart data sheet."""
    rows, stages = layout["rows"], layout["stages"]
    width = 1 + len(stages)
    panels = [("Total backlog over time (all stages)", 0)] + [(f"Backlog over time: {n}", i + 1)
                                                             for i, (_, n) in enumerate(stages)]
    place = 1
    for title, offset in panels if rows else []:
        chart = book.add_chart({"type": "scatter", "subtype": "straight"})
        for position, scenario in enumerate(comparison.scenarios):
            column = 1 + position * width + offset
            chart.add_series({"name": scenario.name, "categories": [data, 1, 0, rows, 0],
                              "values": [data, 1, column, rows, column], "line": {"width": 1.75}})
        chart.set_title({"name": title, "name_font": {"size": 11}})
        chart.set_x_axis({"name": "day", "min": 0, "major_gridlines": {"visible": False}})
        chart.set_y_axis({"name": "items waiting", "min": 0})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 300})
        sheet.insert_chart(place, 1, chart)
        place += 16
    if layout["sla_rows"]:
        top, count = layout["sla_top"], layout["sla_rows"]
        chart = book.add_chart({"type": "bar"})
        for position, scenario in enumerate(comparison.scenarios):
            chart.add_series({"name": scenario.name, "categories": [data, top + 1, 0, top + count, 0],
                              "values": [data, top + 1, 2 + position, top + count, 2 + position]})
        chart.add_series({"name": "Target", "categories": [data, top + 1, 0, top + count, 0],
                          "values": [data, top + 1, 1, top + count, 1], "fill": {"color": "#1f2933"}})
        chart.set_title({"name": "SLA attainment by scenario", "name_font": {"size": 11}})
        chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%"})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 120 + 40 * count * (len(comparison.scenarios) + 1)})
        sheet.insert_chart(place, 1, chart)


def _staffing_sheet(book: Workbook, formats: _Formats, comparison: Comparison) -> None:
    staffing = comparison.staffing
    if staffing is None:
        return
    sheet = _sheet(book, "Staffing")
    sheet.write_string(0, 0, staffing.title, formats.title)
    if staffing.note:
        sheet.write_string(1, 0, staffing.note, formats.muted)
    _table(sheet, formats, 3, staffing.columns, staffing.rows)


def xlsx_bytes(comparison: Comparison) -> bytes:
    """The workbook (see the module docstring) as bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "nan_inf_to_errors": False})
    book.set_properties({"title": f"{comparison.workflow_name}: scenario comparison", "comments": "Flowmodel"})
    formats = _Formats(book)
    _summary_sheet(book, formats, comparison)
    taken = {"Summary", "Charts", "Chart data", "Replications", "Time series", "Assumptions", "Staffing",
             LAUNCH_SHEET, QUALITY_SHEET, CLASS_WAITS_SHEET}
    charts = _sheet(book, "Charts")
    if has_launch(comparison.run):
        launch_sheet(book, _sheet(book, LAUNCH_SHEET), formats, comparison)
    if has_quality(comparison.run):
        quality_sheet(book, _sheet(book, QUALITY_SHEET), formats, comparison)
    names = [sheet_name(f"{i + 1}. {s.name}", taken) for i, s in enumerate(comparison.scenarios)]
    for position, name in enumerate(names):
        _scenario_sheet(book, formats, comparison, position, name)
    if has_class_waits(comparison.run):
        class_waits_sheet(_sheet(book, CLASS_WAITS_SHEET), formats, comparison)
    replications = _sheet(book, "Replications")
    _table(replications, formats, 0, SCALAR_COLUMNS, scalar_rows(comparison))
    series = _sheet(book, "Time series")
    _table(series, formats, 0, SERIES_COLUMNS, series_rows(comparison), {5: formats.number("0.00")})
    _assumptions_sheet(book, formats, comparison)
    _staffing_sheet(book, formats, comparison)
    data, layout = _chart_data_sheet(book, formats, comparison)
    _fill_charts(book, charts, comparison, data, layout)
    book.close()
    return buffer.getvalue()


def export_xlsx(comparison: Comparison, path: str | os.PathLike[str]) -> Path:
    """Write the workbook to ``path`` atomically."""
    return write_file(Path(path), xlsx_bytes(comparison))
