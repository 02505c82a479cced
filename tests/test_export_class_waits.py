"""Waits and time to decision per priority and per category in the exports: the rows of reports.class_waits, the
workbook's sheet (read back), the zip's class_waits.csv, the JSON's list, the PDF's table and the CLI's block; a
run stored before these records has none of it. The run is stored in a workspace and loaded back, so the exports
are checked against what a workspace holds; expected numbers are recomputed here from the per-replication records."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import statistics
import zipfile

import openpyxl
import pytest
from engine_models import settings, single_stage

from cli.class_waits_summary import class_waits_block
from flowmodel import Distribution, MixEntry
from flowmodel.documents import save_document
from flowmodel.workspace import Workspace
from main import main
from reports.class_waits import CATEGORY, FIGURES, PRIORITY, TIDY_COLUMNS, class_rows, has_class_waits
from reports.comparison import Comparison, build_comparison
from reports.data_export import json_bytes, zip_bytes
from reports.quality import cell_text
from reports.report_html import report_html
from reports.xlsx_class_waits import SHEET
from reports.xlsx_export import xlsx_bytes
from simulations.executors import SerialExecutor
from simulations.persist import load_run_from_workspace, save_run_to_workspace
from simulations.runner import BASELINE_ID, RunResult, run_scenarios

MIX = [MixEntry(category="spam", priority="P1", share=0.5), MixEntry(category="hate", priority="P0", share=0.2),
       MixEntry(category="spam", priority="P0", share=0.3)]


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> Comparison:
    workflow = single_stage(100, Distribution.exponential(1, "min"), 2, discipline="priority", mix=MIX)
    fresh = run_scenarios(workflow, [BASELINE_ID], dataclasses.replace(settings(12, warmup=1), replications=3),
                          executor=SerialExecutor())
    with Workspace.create(tmp_path_factory.mktemp("class-waits") / "w.flowdb") as workspace:
        workspace.save_workflow(workflow)
        run_id = save_run_to_workspace(workspace, workflow, fresh)
        run = load_run_from_workspace(workspace, run_id)
    return build_comparison(run, workflow, run_id=run_id)


def mean_of(run: RunResult, kind: str, scope_id: str, metric: str) -> float:
    return statistics.fmean(r.metric(kind, scope_id, metric) for r in run.replications)


def test_rows_are_the_stage_priorities_then_its_categories(comparison):
    run = comparison.run
    rows = class_rows(run, BASELINE_ID)
    assert [(r.by, r.group) for r in rows] == [("priority", "P0"), ("priority", "P1"), ("category", "spam"),
                                             ("category", "hate")]
    assert all(r.stage == "Review" for r in rows)
    p0 = rows[0].summaries[[m for m, _ in FIGURES].index("wait_p90_s")]
    assert p0.mean == pytest.approx(mean_of(run, PRIORITY, "review:P0", "wait_p90_s"), rel=1e-12)
    assert p0.n == 3


def test_the_workbook_sheet_lists_each_row_in_minutes(comparison):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(comparison)))
    sheet = book[SHEET]
    table = list(sheet.iter_rows(min_row=4, values_only=True))
    header, body = table[0], table[1:]
    assert header[:4] == ("Scenario", "Stage", "By", "Priority / category")
    assert [row[2:4] for row in body] == [("priority", "P0"), ("priority", "P1"), ("category", "spam"),
                                          ("category", "hate")]
    spam = dict(zip(header, body[2], strict=True))
    assert spam["Arrivals"] == pytest.approx(mean_of(comparison.run, CATEGORY, "review:spam", "arrivals_count"))
    assert spam["Time to decision, mean (min)"] == pytest.approx(
        mean_of(comparison.run, CATEGORY, "review:spam", "time_to_decision_mean_s") / 60)
    assert spam["Time to decision, mean: ± 95 % CI (min)"] > 0


def test_the_zip_and_the_json_carry_the_rows_in_seconds(comparison):
    with zipfile.ZipFile(io.BytesIO(zip_bytes(comparison))) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("class_waits.csv").decode("utf-8-sig"))))
    assert tuple(rows[0]) == TIDY_COLUMNS
    assert len(rows) - 1 == 4 * len(FIGURES)
    wait = next(r for r in rows if r[3:6] == ["priority", "P1", "wait_mean_s"])
    assert float(wait[6]) == pytest.approx(mean_of(comparison.run, PRIORITY, "review:P1", "wait_mean_s"), rel=1e-12)
    data = json.loads(json_bytes(comparison))
    assert len(data["class_waits"]) == 4 * len(FIGURES)
    first = data["class_waits"][0]
    assert list(first) == list(TIDY_COLUMNS[1:])
    assert [first[k] for k in ("scenario", "stage", "by", "group", "metric", "n")] == [
        "Baseline", "Review", "priority", "P0", "arrivals_count", 3]
    assert first["mean"] == pytest.approx(mean_of(comparison.run, PRIORITY, "review:P0", "arrivals_count"))
    assert first["ci_low"] < first["mean"] < first["ci_high"]


def test_the_report_has_the_table(comparison):
    html = report_html(comparison, 700)
    assert "Waits by priority and category" in html
    assert "Review · P0" in html or ">P0<" in html


def test_a_run_without_these_records_has_none_of_it(comparison):
    run = comparison.run
    older = dataclasses.replace(run, summaries=[s for s in run.summaries if s.scope_kind not in (PRIORITY, CATEGORY)])
    assert not has_class_waits(older)
    old = dataclasses.replace(comparison, run=older)
    assert SHEET not in openpyxl.load_workbook(io.BytesIO(xlsx_bytes(old))).sheetnames
    assert "class_waits.csv" not in zipfile.ZipFile(io.BytesIO(zip_bytes(old))).namelist()
    assert "class_waits" not in json.loads(json_bytes(old))
    assert "Waits by priority and category" not in report_html(old, 700)


def test_the_cli_block_lists_each_row_with_its_numbers(comparison):
    block = class_waits_block(comparison.run)
    lines = block.splitlines()
    header = next(line for line in lines if line.startswith("Stage · priority or category"))
    assert header.split("  ")[0].strip() == "Stage · priority or category"
    rows = [line for line in lines if line.startswith("Review · ")]
    assert [line.split(" (")[0] for line in rows] == ["Review · priority P0", "Review · priority P1",
                                                      "Review · category spam", "Review · category hate"]
    row = class_rows(comparison.run, BASELINE_ID)[0]
    wait = row.summaries[[m for m, _ in FIGURES].index("wait_mean_s")]
    assert f" {cell_text(wait, row.unit_of('wait_mean_s'))} " in rows[0] + " "
    assert rows[0].startswith(f"Review · priority P0 ({row.duration_unit.name})")


def test_the_cli_prints_the_block_after_the_summary(comparison, tmp_path, capsys):
    workflow = single_stage(100, Distribution.exponential(1, "min"), 2, discipline="priority", mix=MIX)
    path = tmp_path / "classes.flow.json"
    save_document([workflow], path)
    assert main(["simulate", str(path), "--horizon", "6h", "--warmup", "1h", "--replications", "2", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert out.index("Items created") < out.index("Per priority and category at each stage") < out.index(
        "Review · priority P0")


def test_a_stage_with_one_priority_and_one_category_prints_no_block(tmp_path, capsys):
    path = tmp_path / "plain.flow.json"
    save_document([single_stage(50, Distribution.exponential(1, "min"), 2)], path)
    assert main(["simulate", str(path), "--horizon", "6h", "--warmup", "1h", "--replications", "2", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "Items created" in out and "Per priority and category" not in out
