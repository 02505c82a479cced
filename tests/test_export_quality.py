"""Decision quality in the exports: the workbook's Decision quality sheet (read back), the Summary's quality key
figures, the CSV's records, the zip's quality.csv, the JSON's quality list and the PDF's page; the words of a
change; a run without quality results has none of it.

The quality run is stored in a workspace and loaded back, so the exports are checked against what a workspace
holds; the expected numbers are recomputed here from the per-replication records, not from the aggregates."""

from __future__ import annotations

import dataclasses
import io
import json
import math
import re
import statistics
import zipfile

import openpyxl
import pytest
from pypdf import PdfReader
from scipy.stats import t as student_t

from reports.comparison import Comparison, build_comparison
from reports.data_export import csv_bytes, json_bytes, zip_bytes
from reports.quality import (
    ITEM_HOURS,
    ITEMS,
    SHARE,
    TIDY_COLUMNS,
    cell_text,
    change_line,
    change_text,
    figure_of,
    has_quality,
    quality_figures,
)
from reports.report_html import report_html
from reports.xlsx_export import xlsx_bytes
from reports.xlsx_quality import SHEET, columns_of
from simulations.aggregate import MetricDelta, MetricSummary
from simulations.executors import SerialExecutor
from simulations.runner import RunResult, run_scenarios
from tests.conftest import make_triage_workflow
from tests.quality_fixtures import V2, V2_ID, stored_quality_run, with_wellness

TOP = 4  # the sheet's header row (1-based)


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> tuple[RunResult, Comparison]:
    workflow, run_id, run = stored_quality_run(tmp_path_factory.mktemp("quality"))
    return run, build_comparison(run, workflow, run_id=run_id)


@pytest.fixture(scope="module")
def static() -> Comparison:
    """A run of a model without decision quality (the tiny triage workflow, 6 h × 2 replications)."""
    workflow = make_triage_workflow()
    settings = dataclasses.replace(workflow.run_settings, horizon_hours=6.0, warmup_hours=1.0, replications=2)
    return build_comparison(run_scenarios(workflow, [None], settings, executor=SerialExecutor()), workflow)


@pytest.fixture(scope="module")
def book(stored) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(stored[1])))


def _values(run: RunResult, scenario_id: str, kind: str, scope_id: str, metric: str) -> list[float]:
    """The stored per-replication values, in replication order."""
    return [m.value for r in sorted(run.replications, key=lambda r: r.replication) if r.scenario_id == scenario_id
            for m in r.metrics if (m.scope_kind, m.scope_id, m.metric) == (kind, scope_id, metric)]


def _row(sheet, scope: str, figure: str) -> list:
    for row in sheet.iter_rows(min_row=TOP + 1, values_only=True):
        if row[1] == scope and row[2] == figure:
            return list(row)
    raise KeyError((scope, figure))


# -- the workbook --------------------------------------------------------------------------------------------
def test_the_sheet_follows_the_charts_and_has_one_row_per_figure(stored, book):
    run, comparison = stored
    assert book.sheetnames[:3] == ["Summary", "Charts", SHEET]
    sheet = book[SHEET]
    assert [c.value for c in sheet[TOP]] == columns_of(comparison)
    figures = quality_figures(run)
    listed = [(row[0], row[1], row[2]) for row in sheet.iter_rows(min_row=TOP + 1, max_row=TOP + len(figures),
                                                                   values_only=True)]
    assert listed == [(f.section, f.scope_name, f.label) for f in figures]
    assert sheet.auto_filter.ref.startswith(f"A{TOP}")
    assert len(sheet._charts) == 2


def test_wrongful_removals_are_the_stored_means_with_their_student_t_interval_and_paired_delta(stored, book):
    run, _ = stored
    row = _row(book[SHEET], "All categories", "Wrongful removals")
    base = _values(run, "baseline", "quality", "quality", "wrongful_removals_count")
    v2 = _values(run, V2_ID, "quality", "quality", "wrongful_removals_count")
    assert len(base) == len(v2) == 3
    half = student_t.ppf(0.975, 2) * statistics.stdev(base) / math.sqrt(3)
    assert row[3] == "items"
    assert row[4:7] == pytest.approx([statistics.fmean(base), statistics.fmean(base) - half,
                                      statistics.fmean(base) + half], rel=1e-12)
    assert row[7] == pytest.approx(statistics.fmean(v2), rel=1e-12)
    differences = [b - a for a, b in zip(base, v2, strict=True)]
    delta_half = student_t.ppf(0.975, 2) * statistics.stdev(differences) / math.sqrt(3)
    assert row[10:13] == pytest.approx([statistics.fmean(differences), statistics.fmean(differences) - delta_half,
                                        statistics.fmean(differences) + delta_half], rel=1e-12)
    # v2 auto-removes 8 % of benign items instead of 2 %: about +80 wrongful removals a day, ±7.6 (sd/√3) — clear
    assert row[10] > 0 and row[13] == "clear"


def test_shares_stay_0_to_1_under_a_percent_format_and_durations_take_the_rows_unit(stored, book):
    run, _ = stored
    sheet = book[SHEET]
    precision = _row(sheet, "All categories", "Precision")
    assert precision[3] == "share" and 0 < precision[4] < 1
    assert precision[4] == pytest.approx(statistics.fmean(_values(run, "baseline", "quality", "quality",
                                                                   "precision_share")), rel=1e-12)
    cell = next(c for c in sheet[TOP + 1 + [r[2] for r in sheet.iter_rows(min_row=TOP + 1, values_only=True)]
                                 .index("Precision")] if c.column == 5)
    assert cell.number_format == "0.0%"
    figure = figure_of(quality_figures(run), "quality", "quality", "time_to_action_p90_s")
    p90 = _row(sheet, "All categories", "Time to action, p90")
    assert p90[3] == figure.unit.name
    assert p90[4] == pytest.approx(statistics.fmean(_values(run, "baseline", "quality", "quality",
                                                             "time_to_action_p90_s")) / figure.unit.per, rel=1e-12)


def test_qa_figures_only_for_the_stage_that_samples_and_the_chart_data_below(stored, book):
    sheet = book[SHEET]
    rows = list(sheet.iter_rows(min_row=TOP + 1, values_only=True))
    qa = {(r[1], r[2]) for r in rows if r[0] == "Per deciding stage" and str(r[2]).startswith("QA")}
    assert qa == {("Review", "QA reviews"), ("Review", "QA disagreements"), ("Review", "QA errors found"),
                  ("Review", "QA disagreement")}
    assert {r[1] for r in rows if r[0] == "Per deciding stage"} == {"Review", "Appeal review"}
    start = next(i for i, r in enumerate(rows) if r[0] == "Errors, all categories (items)")
    assert rows[start + 1][:3] == (None, "Baseline", V2)
    assert [r[0] for r in rows[start + 2:start + 5]] == ["wrongful removals", "missed violations", "overturns"]
    assert rows[start + 2][1] == _row(sheet, "All categories", "Wrongful removals")[4]
    exposure = next(i for i, r in enumerate(rows) if r[0] == "Exposure per category (item-hours)")
    assert [r[0] for r in rows[exposure + 2:exposure + 4]] == ["spam", "hate"]


def test_the_summary_sheet_has_the_quality_key_figures_over_all_categories(stored, book):
    summary = [row for row in book["Summary"].iter_rows(min_row=TOP + 1, values_only=True) if row[0]]
    quality = [row[1] for row in summary if row[0] == "Decision quality"]
    assert quality[:3] == ["Correct removals: All categories", "Wrongful removals: All categories",
                           "Missed violations: All categories"]
    assert "Exposure of violating items: All categories (h)" in quality
    assert not any("spam" in label for label in quality)  # per category on the quality sheet only


def test_a_run_without_quality_has_no_quality_sheet_or_figures(static):
    assert not has_quality(static.run)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(static)))
    assert SHEET not in book.sheetnames
    assert not any(f.group in ("Decision quality", "Wellness") for f in static.figures)
    assert "Decision quality" not in report_html(static, 600)


def test_wellness_rows_when_the_run_recorded_them(stored):
    run = with_wellness(stored[0])
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(build_comparison(run))))
    row = _row(book[SHEET], "Reviewers · hate", "Hours a day, max")
    assert row[0] == "Wellness" and row[3] == "h"
    assert row[4] == pytest.approx(5.0)  # 4, 5, 6 h in replications 0, 1, 2
    assert _row(book[SHEET], "Reviewers · spam", "Reviewer-days at the cap")[4] == pytest.approx(0.1)
    labels = [f.label for f in build_comparison(run).figures if f.group == "Wellness"]
    assert "Review hours a day, max: Reviewers · hate" in labels


# -- CSV, zip, JSON ----------------------------------------------------------------------------------------
def test_the_csv_carries_every_quality_record_per_replication(stored):
    run, comparison = stored
    lines = csv_bytes(comparison).decode("utf-8-sig").splitlines()
    spam = [line.split(",") for line in lines if ",quality:spam," in line]
    records = [(r, m) for r in run.replications for m in r.metrics if (m.scope_kind, m.scope_id) == ("quality",
                                                                                                    "quality:spam")]
    assert len(spam) == len(records) > 0
    first = next(fields for fields in spam if fields[1] == "Baseline" and fields[3] == "wrongful_removals_count")
    assert float(first[5]) == _values(run, "baseline", "quality", "quality:spam", "wrongful_removals_count")[0]
    assert any(",qa_reviews_count,decision:Review," in line for line in lines)


def test_the_zip_has_quality_csv_and_the_json_a_quality_list(stored, static):
    run, comparison = stored
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(comparison)))
    rows = archive.read("quality.csv").decode("utf-8-sig").splitlines()
    assert rows[0] == ",".join(TIDY_COLUMNS)
    assert len(rows) - 1 == 2 * len(quality_figures(run))
    wrongful = next(r.split(",") for r in rows if ",Classifier v2,Per category,quality,All categories,Wrongful" in r)
    delta = next(d for d in run.deltas if (d.scenario_id, d.scope_id, d.metric) == (V2_ID, "quality",
                                                                                    "wrongful_removals_count"))
    assert float(wrongful[TIDY_COLUMNS.index("delta")]) == delta.delta_mean
    assert wrongful[TIDY_COLUMNS.index("clear")] == "True"
    data = json.loads(json_bytes(comparison))
    entry = next(e for e in data["quality"] if e["scenario"] == "Baseline" and e["scope"] == "hate"
                 and e["metric"] == "exposure_h")
    assert entry["mean"] == pytest.approx(statistics.fmean(_values(run, "baseline", "quality", "quality:hate",
                                                                    "exposure_h")), rel=1e-12)
    assert entry["delta"] is None and entry["n"] == 3
    assert any(f["group"] == "Decision quality" for f in data["key_figures"])
    assert "quality.csv" not in zipfile.ZipFile(io.BytesIO(zip_bytes(static))).namelist()
    assert "quality" not in json.loads(json_bytes(static))


# -- the PDF -----------------------------------------------------------------------------------------------
def test_the_pdf_has_a_quality_page_with_the_table_and_its_charts(stored):
    from ui.report.pdf import report_pdf_bytes

    run, comparison = stored
    reader = PdfReader(io.BytesIO(report_pdf_bytes(comparison)))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    first = next(i for i, text in enumerate(pages) if text.startswith("Decision quality"))
    text = " ".join(pages[first:first + 3])
    for words in ("All categories", "Category: spam", "Category: hate", "Stage: Review", "Stage: Appeal review",
                  "Decision errors by scenario", "Exposure of violating content"):
        assert words in text
    figure = figure_of(quality_figures(run), "quality", "quality", "wrongful_removals_count")
    assert f"Wrongful removals {cell_text(figure.summaries[0], ITEMS)} {cell_text(figure.summaries[1], ITEMS)} " \
           f"{change_text(figure.deltas[1], ITEMS)}" in text
    assert len(reader.pages[first + 2].images) >= 2  # the two charts, on their own page


# -- the words ---------------------------------------------------------------------------------------------
def _delta(mean: float, low: float, high: float, metric: str = "wrongful_removals_count",
           defined: bool = True) -> MetricDelta:
    return MetricDelta(V2_ID, V2, "baseline", "quality", "quality", "All categories", metric, 5, 1000.0,
                       1000.0 + mean, mean, 10.0, (high - low) / 2, low, high, mean / 1000.0, defined,
                       defined and (low > 0 or high < 0))


def test_a_change_reads_with_its_interval_in_the_rows_unit():
    assert change_text(_delta(412.0, 380.0, 445.0), ITEMS) == "+412 (+380 to +445)"
    assert change_text(_delta(-0.0374, -0.0473, -0.0276, "precision_share"), SHARE) == "−3.74 pp (−4.73 to −2.76)"
    assert change_text(_delta(412.0, math.nan, math.nan, defined=False), ITEMS) == "+412"
    assert change_text(dataclasses.replace(_delta(0.0, 0.0, 0.0), half_width=0.0), ITEMS) == "unchanged"
    assert change_text(None, ITEMS) == "n/a"


def test_a_change_line_names_the_scenario_the_figure_and_the_scope(stored):
    figures = quality_figures(stored[0])
    wrongful = figure_of(figures, "quality", "quality", "wrongful_removals_count")
    line = change_line(dataclasses.replace(wrongful, deltas=(None, _delta(412.0, 380.0, 445.0))), 1)
    assert line == "Classifier v2: wrongful removals +412 (+380 to +445)"
    exposure = figure_of(figures, "quality", "spam", "exposure_h")
    assert exposure.unit is ITEM_HOURS
    line = change_line(dataclasses.replace(exposure, deltas=(None, _delta(-196.0, -423.0, 30.9, "exposure_h"))), 1)
    assert line == "Classifier v2: exposure (spam) −196 (−423 to +30.9) item-hours"


def test_a_cell_without_data_or_interval():
    one = MetricSummary("b", "B", "quality", "quality", "All categories", "precision_share", 1, 0.9, math.nan,
                        math.nan, math.nan, math.nan, False)
    assert cell_text(one, SHARE) == "90"
    assert cell_text(None, SHARE) == "n/a"
    two = dataclasses.replace(one, n=2, half_width=0.0123, ci_defined=True)
    assert cell_text(two, SHARE) == "90 ± 1.23"
