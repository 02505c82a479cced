"""A staffing plan in files and in the comparison exports: the shared JSON/CSV/XLSX writers, the plan as the
exports' staffing table, and ``compare --staffing-plan`` putting it into the XLSX sheet and the PDF report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from flowmodel import RunSettings, Shift, SlaTarget, Team, Workflow
from flowmodel.errors import LoadError
from flowmodel.jsonfile import write_workflow_json
from main import main
from reports.staffing_export import TABLE_COLUMNS, load_staffing_table, staffing_table, write_plan
from simulations.executors import make_executor
from simulations.staffing import StaffingPlan, recommend_staffing, targets_from_model
from tests.test_staffing_analytic import single_stage

SETTINGS = RunSettings(horizon_hours=24.0, warmup_hours=1.0, replications=3, seed=3)
SHORT = ["--horizon", "1d", "--warmup", "1h", "--replications", "2", "--seed", "3", "--jobs", "1"]


def small_model() -> Workflow:
    """30 items/h, 3-min reviews, 90 % within 15 min; a day and a night shift of 5 reviewers (more than
    needed) at 30 an hour."""
    return single_stage(rate=30.0, sla=[SlaTarget("P2", 15, "min", 0.9)],
                        teams=[Team(name="Reviewers", shrinkage=0.0, hourly_cost=30.0,
                                    shifts=[Shift("day", 0, 12, [5] * 7), Shift("night", 12, 12, [5] * 7)])])


@pytest.fixture(scope="module")
def plan() -> StaffingPlan:
    workflow = small_model()
    return recommend_staffing(workflow, None, targets_from_model(workflow), SETTINGS, executor=make_executor(1),
                              max_evaluations=12)


def test_the_plan_becomes_the_exports_staffing_table(plan: StaffingPlan):
    table = staffing_table(plan)
    assert plan.status == "met"
    assert table.title == "Staffing recommendation · Baseline"
    assert table.columns == TABLE_COLUMNS
    assert [row[:3] for row in table.rows] == [("Reviewers", r.shift_name, r.days_label) for r in plan.rows]
    assert [row[4] for row in table.rows] == [float(r.recommended) for r in plan.rows]
    assert [row[5] for row in table.rows] == [float(r.delta) for r in plan.rows]
    assert table.note.startswith("Staffing recommended for Baseline: every target met at 95% confidence; "
                                 f"cost per week {plan.cost_recommended_per_week:,.0f} ")
    assert plan.cost_delta_per_week < 0 and f"({plan.cost_delta_per_week:+,.0f} against" in table.note
    assert table.note.endswith("Targets: Review · P2: 90% within 15 min: "
                               f"{plan.achieved[0].mean:.1%} ({plan.achieved[0].ci_low:.1%}–"
                               f"{plan.achieved[0].ci_high:.1%}, n = {plan.achieved[0].n}; needs ≥ 90.0%).")
    assert f"{plan.evaluations} roster(s) and {plan.replications_run} replications simulated" in table.note
    assert [row[7] for row in table.rows] == [round(r.fte_recommended, 2) for r in plan.rows]
    assert f"FTE {sum(round(r.fte_recommended, 2) for r in plan.rows):,.1f}" in table.note


def test_json_csv_and_xlsx_are_written_by_the_shared_writers(plan: StaffingPlan, tmp_path: Path):
    as_json = write_plan(plan, tmp_path / "plan.json")
    data = json.loads(as_json.read_text(encoding="utf-8"))
    assert data["format"] == "flowmodel.staffing-plan" and data["status"] == "met"
    assert load_staffing_table(as_json) == staffing_table(plan)
    rows = list(csv.reader(io.StringIO(write_plan(plan, tmp_path / "plan.csv").read_text(encoding="utf-8"))))
    assert rows[0][:6] == ["team", "shift", "days", "current", "recommended", "delta"]
    assert [int(r[4]) for r in rows[1:]] == [r.recommended for r in plan.rows]
    book = openpyxl.load_workbook(write_plan(plan, tmp_path / "plan.xlsx"))
    assert book.sheetnames == ["Staffing", "Teams", "Targets", "Simulated", "Minimality"]
    assert book["Targets"].cell(2, 1).value == "sla"
    minimality = list(book["Minimality"].iter_rows(values_only=True))
    assert minimality[0] == ("team_shift", "heads_tried", "met", "failing", "judged_at")
    assert [(r[0], r[1], r[2]) for r in minimality[1:]] == [(c.team_shift, c.headcount_tried, c.met)
                                                            for c in plan.trim_checks]


def test_a_version_1_plan_without_fte_reads_with_40_hour_contracts(plan: StaffingPlan, tmp_path: Path):
    data = json.loads(write_plan(plan, tmp_path / "plan.json").read_text(encoding="utf-8"))
    for row in data["rows"]:
        for key in ("fte_current", "fte_recommended", "contract_hours", "pooled_guess"):
            del row[key]
    del data["simulated"]
    data["version"] = 1
    table = staffing_table(data)
    assert [row[7] for row in table.rows] == [round(r.fte_recommended, 2) for r in plan.rows]


def test_a_file_that_is_not_a_plan_is_refused_with_its_name(tmp_path: Path):
    other = tmp_path / "results.json"
    other.write_text(json.dumps({"format": "flowmodel.run-results"}), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_staffing_table(other)
    assert "not a staffing plan" in caught.value.render() and "results.json" in caught.value.render()
    with pytest.raises(LoadError, match="does not exist"):
        load_staffing_table(tmp_path / "missing.json")


def test_compare_with_a_staffing_plan_puts_it_into_the_xlsx_sheet_and_the_pdf(plan: StaffingPlan, tmp_path: Path,
                                                                              qapp):
    model = tmp_path / "small.flow.json"
    write_workflow_json(small_model(), model)
    plan_file = write_plan(plan, tmp_path / "plan.json")
    xlsx, pdf = tmp_path / "report.xlsx", tmp_path / "report.pdf"
    assert main(["compare", str(model), "--staffing-plan", str(plan_file), "--out", str(xlsx), "--out", str(pdf),
                 *SHORT]) == 0
    sheet = openpyxl.load_workbook(xlsx)["Staffing"]
    assert sheet.cell(1, 1).value == "Staffing recommendation · Baseline"
    assert str(sheet.cell(2, 1).value).startswith("Staffing recommended for Baseline: every target met")
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert values[0][:6] == list(TABLE_COLUMNS[:6])
    assert [(v[0], v[1], v[4]) for v in values[1:]] == [("Reviewers", r.shift_name, r.recommended) for r in plan.rows]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Staffing recommendation · Baseline" in text
    assert "Staffing: Staffing recommended for Baseline" in text  # the findings line


def test_compare_refuses_a_bad_staffing_plan_before_running(tmp_path: Path, capsys):
    model = tmp_path / "small.flow.json"
    write_workflow_json(small_model(), model)
    assert main(["compare", str(model), "--staffing-plan", str(tmp_path / "none.json"),
                 "--out", str(tmp_path / "r.xlsx"), *SHORT]) == 2
    assert "staffing plan file does not exist" in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()
