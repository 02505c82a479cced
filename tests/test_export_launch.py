"""A launch plan's results in the exports: the workbook's Launch sheet (read back), the PDF's launch page, the
zip's launch.csv and daily series, the JSON's launch list, the launch charts and the launch sentences; a static
run's exports have none of it."""

from __future__ import annotations

import dataclasses
import io
import json
import math
import zipfile

import openpyxl
import pytest
from matplotlib.figure import Figure
from pypdf import PdfReader

from reports.charts import CHARTS
from reports.comparison import Comparison, build_comparison
from reports.data_export import csv_bytes, json_bytes, zip_bytes
from reports.findings import write_findings
from reports.launch import (
    DAILY_SLA,
    TargetRecovery,
    has_launch,
    launch_headline,
    launch_results,
    recovery_text,
    short_label,
)
from reports.launch_charts import daily_sla, launch_backlog, sla_limits
from reports.report_html import report_html
from reports.xlsx_export import export_xlsx
from simulations.aggregate import MetricSummary
from simulations.executors import SerialExecutor
from simulations.runner import RunResult, run_scenarios
from tests.conftest import make_triage_workflow
from tests.launch_fixtures import PLAN, PLAN_ID, launch_run, launch_settings, launch_workflow


@pytest.fixture(scope="module")
def run() -> RunResult:
    return launch_run()


@pytest.fixture(scope="module")
def comparison(run: RunResult) -> Comparison:
    return build_comparison(run, launch_workflow(), run_id="r1")


@pytest.fixture(scope="module")
def static_comparison() -> Comparison:
    workflow = make_triage_workflow()
    run = run_scenarios(workflow, None, launch_settings(workflow, 2, 1.0), executor=SerialExecutor())
    return build_comparison(run, workflow)


def _summary(run: RunResult, scenario: str, kind: str, metric: str) -> MetricSummary:
    return next(s for s in run.summaries if (s.scenario_id, s.scope_kind, s.metric) == (scenario, kind, metric))


def _delta(run: RunResult, kind: str, metric: str):
    return next(d for d in run.deltas if (d.scenario_id, d.scope_kind, d.metric) == (PLAN_ID, kind, metric))


def test_the_run_has_launch_results_and_the_static_one_none(run, static_comparison):
    assert has_launch(run) and not has_launch(static_comparison.run)
    assert launch_results(static_comparison.run) == []
    plan = next(r for r in launch_results(run) if r.is_plan)
    assert (plan.scenario_name, plan.launch_at_h, plan.is_reference) == (PLAN, 24.0, False)
    assert [label for label, _ in plan.phases] == ["Launch; longer checklist; a loaned reviewer"]
    assert plan.total_deltas["paid_hours_h"].delta_mean == 24.0  # one loaned reviewer, the launch day
    assert plan.total_deltas["cost"].delta_mean == 24.0 * 30.0


def _launch_table(path) -> tuple[list[str], dict[tuple[str, str, str], tuple], list[tuple]]:
    """The Launch sheet's header, its figures by (scenario, figure, scope), and all its rows."""
    sheet = openpyxl.load_workbook(path)["Launch"]
    rows = list(sheet.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row[0] == "Scenario" and row[1] == "Figure")
    header = list(rows[top])
    table = {}
    for row in rows[top + 1:]:
        if row[0] is None:
            break
        table[(row[0], row[1], row[2])] = row
    return header, table, rows


def test_xlsx_launch_sheet_holds_the_runs_figures(comparison, run, tmp_path):
    path = export_xlsx(comparison, tmp_path / "launch.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["Summary", "Charts", "Launch"]
    header, table, rows = _launch_table(path)
    col = {name: header.index(name) for name in header if name}
    peak = table[(PLAN, "Peak backlog after launch", "Tier 1")]
    summary = _summary(run, PLAN_ID, "stage", "backlog_peak_count")
    delta = _delta(run, "stage", "backlog_peak_count")
    assert peak[col["Mean"]] == summary.mean and peak[col["CI low"]] == summary.ci_low
    assert peak[col["Δ"]] == delta.delta_mean and peak[col["Verdict"]] == ("clear" if delta.clear else "not clear")
    when = table[(PLAN, "Peak reached, after launch", "Tier 1")]
    assert when[col["Mean"]] == pytest.approx(_summary(run, PLAN_ID, "stage", "backlog_peak_after_launch_h").mean / 24)
    back = table[(PLAN, "Back in SLA, after launch", "Tier 1 · P2")]
    recovered = _summary(run, PLAN_ID, "priority", "recovered_share")
    assert back[col["Recovered (replications)"]] == f"{round(recovered.mean * 3)} of 3"
    assert back[col["Mean"]] == pytest.approx(_summary(run, PLAN_ID, "priority", "recovery_h").mean / 24)
    below = table[(PLAN, "Days below target", "Tier 1 · P2")]
    assert below[col["Mean"]] == _summary(run, PLAN_ID, "priority", "days_below_target_count").mean
    assert table[(PLAN, "Paid hours", "All teams")][col["Δ"]] == 24.0
    assert table[(PLAN, "Staff cost", "All teams")][col["Δ"]] == 720.0
    assert table[("Baseline", "Staff cost", "All teams")][col["Δ"]] is None  # the reference has no delta
    daily_top = next(i for i, row in enumerate(rows) if row[0] == "Scenario" and row[1] == "Stage · priority")
    daily = [row for row in rows[daily_top + 1:] if row[0] == PLAN and row[1] == "Tier 1 · P2"]
    assert [row[3] for row in daily] == [1, 2, 3, 4, 5]  # run days
    assert [row[4] for row in daily] == [0, 1, 2, 3, 4]  # days from the launch at each day's end
    values = [next(s.values for s in r.series if s.metric == DAILY_SLA) for r in run.replications
              if r.scenario_id == PLAN_ID]
    for day, row in enumerate(daily):
        finite = [v[day] for v in values if math.isfinite(v[day])]
        assert row[6] == pytest.approx(sum(finite) / len(finite))
        assert row[2] == 0.9


def test_xlsx_launch_sheet_draws_the_daily_attainment(comparison, tmp_path):
    archive = zipfile.ZipFile(export_xlsx(comparison, tmp_path / "chart.xlsx"))
    charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    daily = [c for c in charts if "Daily SLA attainment (days from launch)" in c]
    assert len(daily) == 1 and f"{PLAN} · Tier 1 · P2" in daily[0] and "Baseline · Tier 1 · P2" in daily[0]
    assert "Launch!$G$" in daily[0] and "Launch!$E$" in daily[0]


def test_xlsx_of_a_static_run_has_no_launch_sheet(static_comparison, tmp_path):
    assert "Launch" not in openpyxl.load_workbook(export_xlsx(static_comparison, tmp_path / "s.xlsx")).sheetnames


def _pdf_text(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_pdf_has_a_launch_page_with_recovery_and_both_charts(comparison, tmp_path, qapp):
    from ui.report.pdf import export_pdf

    pages = _pdf_text(export_pdf(comparison, tmp_path / "launch.pdf", launch_workflow()))
    plan = next(r for r in launch_results(comparison.run) if r.is_plan)
    launch_page = next(i for i, text in enumerate(pages) if text.startswith("The launch"))
    assert recovery_text(plan.recoveries[0]) in pages[launch_page]
    assert "Peak backlog" in pages[launch_page] and "against Baseline" in pages[launch_page]
    sla_page = next(i for i, text in enumerate(pages) if text.startswith("Daily SLA attainment around the launch"))
    backlog_page = next(i for i, text in enumerate(pages) if text.startswith("Backlog around the launch"))
    charts_page = next(i for i, text in enumerate(pages) if text.startswith("Charts"))
    comparison_page = next(i for i, text in enumerate(pages) if "Comparison of key figures" in text)
    assert comparison_page <= launch_page < sla_page < backlog_page < charts_page
    assert f"After launch ({PLAN}):" in pages[0]  # in brief


def test_report_of_a_static_run_has_no_launch_page(static_comparison):
    html = report_html(static_comparison, 600, [f"chart-{name}.png" for name in CHARTS], CHARTS)
    assert "The launch" not in html and "After launch" not in html and "around the launch" not in html


def test_csv_zip_and_json_carry_the_launch(comparison, static_comparison):
    scalars = csv_bytes(comparison).decode("utf-8-sig")
    assert ",recovered_share,priority:Tier 1 · P2," in scalars and ",paid_hours_h,system:System," in scalars
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(comparison)))
    launch = archive.read("launch.csv").decode("utf-8-sig").splitlines()
    assert launch[0].startswith("run,scenario,figure,scope,metric,mean")
    paid = next(line for line in launch if line.startswith(f"r1,{PLAN},Paid hours,"))
    assert paid.split(",")[10] == "24.0"  # the delta
    series = archive.read("series.csv").decode("utf-8-sig")
    assert f",{DAILY_SLA},priority:Tier 1 · P2,120.0," in series and ",sla_due_daily_count," in series
    document = json.loads(json_bytes(comparison))
    back = next(row for row in document["launch"] if row["scenario"] == PLAN and row["metric"] == "recovery_h")
    assert back["recovered"].endswith(" of 3") and back["scope"] == "Tier 1 · P2"
    assert "launch" not in json.loads(json_bytes(static_comparison))
    assert "launch.csv" not in zipfile.ZipFile(io.BytesIO(zip_bytes(static_comparison))).namelist()


def _summary_of(mean: float, half: float, n: int) -> MetricSummary:
    return MetricSummary("s", "S", "priority", "x:P1", "Tier 1 · P1", "recovery_h", n, mean, 1.0, half,
                         mean - half, mean + half, n > 1)


def _recovery(recovery: MetricSummary | None, recovered: int, of: int, below: float) -> TargetRecovery:
    days = MetricSummary("s", "S", "priority", "x:P1", "Tier 1 · P1", "days_below_target_count", of, below, 0.0,
                         0.0, below, below, True)
    return TargetRecovery("x:P1", "Tier 1 · P1", 0.9, recovery, recovered, of, days, None)


def test_recovery_sentences():
    assert recovery_text(_recovery(_summary_of(216.0, 48.0, 5), 5, 5, 3)) == \
        "Tier 1 · P1 back in SLA 9 d after launch (7–11 d)"
    assert recovery_text(_recovery(None, 2, 5, 4)) == \
        "Tier 1 · P1 not back in SLA within the horizon in 3 of 5 replications"
    assert recovery_text(_recovery(_summary_of(30.0, 0.0, 2), 2, 5, 4)) == \
        "Tier 1 · P1 not back in SLA within the horizon in 3 of 5 replications; the other 2 back in SLA 30 h " \
        "after launch"
    assert recovery_text(_recovery(_summary_of(0.0, 0.0, 5), 5, 5, 0)) == "Tier 1 · P1 stayed in SLA after launch"
    assert short_label("Launch; more content in scope; longer checklist") == "Launch; more content in sco…"


def test_a_replication_with_no_room_to_recover_is_counted_as_not_recovered():
    short = launch_run(days=3)
    plan = next(r for r in launch_results(short) if r.is_plan)
    assert (plan.recoveries[0].recovered, plan.recoveries[0].replications) == (2, 3)
    assert recovery_text(plan.recoveries[0]) == \
        "Tier 1 · P2 not back in SLA within the horizon in 1 of 3 replications; the other 2 stayed in SLA"


def test_headline_of_the_plan(run):
    plan = next(r for r in launch_results(run) if r.is_plan)
    line = launch_headline(plan, "Baseline")
    assert line.startswith(f"{PLAN}: {recovery_text(plan.recoveries[0])}")
    assert line.endswith("+24 paid hours, staff cost +720 against Baseline")
    assert "peak backlog" in line and "at Tier 1" in line


def test_launch_charts_mark_the_launch_and_the_target(run):
    figure = Figure()
    ax = figure.subplots()
    daily_sla(ax, run, [PLAN_ID])
    assert [line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "-" and
            len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]] == [0.0]  # the launch
    assert any(line.get_linestyle() == "--" and list(line.get_ydata()) == [90.0, 90.0] for line in ax.lines)
    assert [t.get_text() for t in ax.texts] == ["launch 1"]  # the plan's step at the launch, numbered
    assert any(line.get_label().startswith("1 Launch; longer checklist") for line in ax.lines)  # named in the legend
    assert ax.get_xlim() == (-1.0, 4.0)  # the whole run, in days from the launch
    assert "days from launch" in ax.get_xlabel()
    figure = Figure()
    ax = figure.subplots()
    launch_backlog(ax, run, [PLAN_ID])
    assert next(line.get_label() for line in ax.lines if not line.get_label().startswith("_")) == "Tier 1"
    assert [t.get_text() for t in ax.texts] == ["launch 1"]


def test_the_daily_sla_axis_zooms_to_the_dip_and_the_target(run):
    assert sla_limits(85.1, 90.0) == (80.1, 100.0) and sla_limits(97.0, 90.0) == (85.0, 100.0)
    assert sla_limits(3.0, 90.0) == (0.0, 100.0) and sla_limits(96.0, None) == (91.0, 100.0)
    figure = Figure()
    ax = figure.subplots()
    daily_sla(ax, run, [PLAN_ID])
    lowest = min(min(line.get_ydata()) for line in ax.lines if line.get_label() == "Tier 1 · P2")
    bottom, top = ax.get_ylim()
    assert bottom == pytest.approx(min(lowest, 90.0) - 5.0) and top == pytest.approx(100.5)
    assert all(t.get_rotation() == 0 and len(t.get_text()) <= 12 for t in ax.texts)  # short, level mark labels


def test_key_figures_and_findings_carry_the_launch(comparison, static_comparison, tmp_path):
    recovery = comparison.figure("priority", "Tier 1 · P2", "recovery_h")
    assert (recovery.group, recovery.unit.name) == ("Launch", "h")
    assert comparison.figures[0].group == "Launch"  # the launch first: it is the plan's point
    assert comparison.figure("system", "system", "paid_hours_h").deltas[1].delta_mean == 24.0
    assert not any(f.group == "Launch" for f in static_comparison.figures)
    summary = openpyxl.load_workbook(export_xlsx(comparison, tmp_path / "k.xlsx"))["Summary"]
    labels = [row[1] for row in summary.iter_rows(min_row=5, values_only=True) if row[0] == "Launch"]
    assert "Back in SLA after launch: Tier 1 · P2 (h)" in labels and "Paid hours, all teams (h)" in labels
    points = write_findings(comparison).by_scenario[0].points
    plan = next(r for r in launch_results(comparison.run) if r.is_plan)
    assert f"After launch: {recovery_text(plan.recoveries[0])}." in points
    assert points[-2].startswith("After launch: peak backlog 31.7 at Tier 1")
    assert not any(p.startswith("After launch") for g in write_findings(static_comparison).by_scenario
                   for p in g.points)


def test_the_policy_changes_say_the_plans_timing(comparison, static_comparison):
    lines = next(s for s in comparison.scenarios if s.name == PLAN).changes
    assert lines[0] == "launch at the run's start + 1 d (recovery: 2 days in a row at or above each SLA target)"
    assert lines[1].endswith("— longer checklist · from launch · learning curve, half-life 12 h, from ×2")
    assert lines[2].endswith("— a loaned reviewer · launch → launch + 1 d")
    assert static_comparison.scenarios[0].changes == ()


def test_the_headline_says_one_stages_priorities_with_the_same_outcome_once(run):
    plan = next(r for r in launch_results(run) if r.is_plan)
    p1 = _recovery(None, 0, 3, 2.0)
    p2 = TargetRecovery("x:P2", "Tier 1 · P2", 0.9, None, 0, 3, p1.days_below, None)
    held = TargetRecovery("y:P1", "Appeals · P1", 0.9, None, 3, 3, None, None)
    line = launch_headline(dataclasses.replace(plan, recoveries=(p1, p2, held)))
    assert line.startswith(f"{PLAN}: Tier 1 · P1 and P2 not back in SLA within the horizon in 3 of 3 replications; "
                           "1 other target stayed in SLA; peak backlog")


def test_the_headline_never_leads_with_an_unchanged_figure(comparison):
    import re

    from reports.findings import headline

    text = headline(comparison, 1)
    assert not re.search(r"(\S+ %?) → \1(,|$)", text), text
    sla = next(f for f in comparison.figures if f.metric == "sla_attainment_share")
    same = dataclasses.replace(comparison, figures=[
        dataclasses.replace(f, deltas=[d if d is None else dataclasses.replace(d, scenario_mean=d.baseline_mean)
                                       for d in f.deltas]) for f in comparison.figures])
    assert sla.scope_name and "unchanged" in headline(same, 1) and "→" not in headline(same, 1)


def test_an_instant_has_no_percentage_in_the_exports(comparison):
    from reports.formatting import relative_text

    peak_at = comparison.figure("stage", "Tier 1", "backlog_peak_after_launch_h").deltas[1]
    assert relative_text(dataclasses.replace(peak_at, relative_delta=0.25, delta_mean=1.0)) == ""


def test_a_static_run_renders_no_launch_charts(comparison, static_comparison, monkeypatch, tmp_path, qapp):
    from reports import charts
    from reports.charts import CHARTS, LAUNCH_CHARTS, charts_for
    from ui.report import pdf

    assert list(charts_for(comparison.run)) == list(CHARTS)
    assert not set(LAUNCH_CHARTS) & set(charts_for(static_comparison.run))
    drawn: list[str] = []
    monkeypatch.setattr(pdf, "charts_for", lambda run: {
        name: (lambda c, w, name=name, chart=chart: (drawn.append(name), chart(c, w))[1])
        for name, chart in charts.charts_for(run).items()})
    pdf.export_pdf(static_comparison, tmp_path / "static.pdf")
    assert drawn and not set(LAUNCH_CHARTS) & set(drawn)


def test_the_timing_words_are_the_editors_with_the_launch_value_in_the_fields_unit():
    from reports.launch_words import timing_text, when_words

    workflow = launch_workflow()
    plan = next(s for s in workflow.scenarios.values() if s.name == PLAN)
    change = dataclasses.replace(plan.changes[0], op="add", value=1.0,
                                 ramp=dataclasses.replace(plan.changes[0].ramp, launch_value=40 / 60))
    stored = dataclasses.asdict(change)
    assert timing_text(stored, workflow) == when_words(change, workflow, launch_value=True) == \
        "from launch · learning curve, half-life 12 h, from +40 s"  # 0.6667 on a minutes stage
    assert when_words(change) == "from launch · learning curve, half-life 12 h"  # the editor's list
