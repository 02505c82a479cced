"""The workbook holds the stored numbers exactly, with formats, frozen headers, filters and native charts."""

from __future__ import annotations

import math

import openpyxl
import pytest
from export_fixtures import SHORT_STAFFED, StoredComparison, stored  # noqa: F401 (fixture)

from flowmodel.workspace import Workspace
from reports.comparison import SHARE
from reports.xlsx_export import export_xlsx, sheet_name


@pytest.fixture(scope="module")
def workbook(stored: StoredComparison, tmp_path_factory):  # noqa: F811
    path = export_xlsx(stored.comparison, tmp_path_factory.mktemp("xlsx") / "comparison.xlsx")
    return openpyxl.load_workbook(path)


def test_sheets_in_reading_order(workbook):
    assert workbook.sheetnames == ["Summary", "Charts", "1. Baseline", f"2. {SHORT_STAFFED}", "3. Same as baseline",
                                   "Waits by priority and category", "Replications", "Time series", "Assumptions",
                                   "Chart data"]


def test_replications_sheet_equals_the_workspace_rows_to_full_precision(workbook, stored):  # noqa: F811
    sheet = workbook["Replications"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("run", "scenario", "replication", "metric", "scope", "value")
    exported = {(r[1], r[2], r[3], r[4]): r[5] for r in rows[1:]}
    with Workspace.open(stored.workspace) as workspace:
        stored_rows = workspace.run_metrics(stored.run_id)
    assert len(exported) == len(stored_rows) == len(rows) - 1
    for m in stored_rows:
        value = exported[(m["scenario_name"], m["replication"], m["metric"], f"{m['scope_kind']}:{m['scope_name']}")]
        assert value == m["value"] if math.isfinite(m["value"]) else value is None


def test_time_series_sheet_equals_the_workspace_rows(workbook, stored):  # noqa: F811
    rows = list(workbook["Time series"].iter_rows(min_row=2, values_only=True))
    with Workspace.open(stored.workspace) as workspace:
        series = workspace.run_series(stored.run_id)
    assert [(r[5], r[6]) for r in rows] == [(s["t_hours"], s["value"]) for s in series]


def test_scenario_sheet_holds_every_summary_exactly(workbook, stored):  # noqa: F811
    sheet = workbook[f"2. {SHORT_STAFFED}"]
    header = [c.value for c in sheet[4]]
    assert header[:10] == ["Scope kind", "Scope", "Metric", "Unit", "Mean", "SD", "CI low", "CI high",
                           "± half-width", "n"]
    rows = {(r[0], r[1], r[2]): r for r in sheet.iter_rows(min_row=5, values_only=True)}
    summaries = [s for s in stored.run.summaries if s.scenario_id == "short"]
    assert len(rows) == len(summaries)
    for s in summaries:
        row = rows[(s.scope_kind, s.scope_name, s.metric)]
        assert row[4] == s.mean and row[6] == s.ci_low and row[7] == s.ci_high and row[9] == s.n
    delta = next(d for d in stored.run.deltas if d.scenario_id == "short" and d.metric == "backlog_end_count")
    row = rows[("stage", "Tier 1", "backlog_end_count")]
    # the model is built with fresh ids, so its random streams (and whether 3 replications make the delta clear)
    # differ from run to run: the sheet must say what the delta says
    assert (row[10], row[11], row[12], row[14]) == (delta.delta_mean, delta.ci_low, delta.ci_high,
                                                    "clear" if delta.clear else "not clear")
    assert delta.ci_defined and delta.delta_mean > 0
    share_row = next(r for r in sheet.iter_rows(min_row=5) if r[2].value == "utilisation_share")
    assert share_row[4].number_format == "0.0%"
    assert sheet.freeze_panes == "A5" and sheet.auto_filter.ref.startswith("A4:")


def test_summary_sheet_shows_key_figures_in_display_units(workbook, stored):  # noqa: F811
    sheet = workbook["Summary"]
    assert sheet.freeze_panes == "D5" and sheet.auto_filter.ref.startswith("A4:")
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=5) if r[1].value}
    for figure in stored.comparison.figures:
        label = figure.label if figure.unit.name in ("items", "cost") else f"{figure.label} ({figure.unit.name})"
        row = rows[label]
        base = figure.summaries[0]
        assert row[3].value == base.mean / figure.unit.per
        if figure.unit is SHARE:
            assert row[3].number_format == "0.0%"
        delta = figure.deltas[1]  # three scenarios × (mean, CI low, CI high), then 5 columns per compared scenario
        assert row[12].value == delta.delta_mean / figure.unit.per
        assert row[16].value in ("clear", "not clear", "unchanged")
        assert row[21].value == "unchanged"  # the scenario without changes
    backlog = rows["Backlog at end: Tier 1"]
    assert backlog[16].value == "clear"


def test_native_charts_and_assumptions(workbook, stored):  # noqa: F811
    assert len(workbook["Charts"]._charts) == 3  # total backlog, Tier 1 backlog, SLA attainment
    assumptions = dict(r for r in workbook["Assumptions"].iter_rows(min_row=4, max_col=2, values_only=True)
                       if r[0] is not None)
    assert assumptions["Base seed"] == 7 and assumptions["Replications"] == 3
    assert assumptions["Run id"] == stored.run_id
    assert len(assumptions["Model fingerprint (sha256)"]) == 64
    assert assumptions["Flowmodel version"] == "0.1.0"
    change = assumptions[SHORT_STAFFED]
    assert "Generalists · headcount, all day shift → 4 every day" in change


def test_sheet_names_are_valid_and_unique():
    taken = {"Summary"}
    names = [sheet_name(text, taken) for text in ("1. A/B: test?", "summary", "x" * 40, "x" * 40)]
    assert names == ["1. A-B- test-", "summary (2)", "x" * 31, "x" * 27 + " (2)"]
