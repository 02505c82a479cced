"""Today's backlog in what a run gives out: the CLI's block, and the CSV, JSON and XLSX exports of a stored run."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import openpyxl

from flowmodel.documents import save_document
from flowmodel.start_state import BacklogEntry, StartState
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace
from main import main
from reports.comparison import build_comparison
from reports.data_export import csv_bytes, json_bytes
from reports.xlsx_export import xlsx_bytes
from simulations.executors import make_executor
from simulations.persist import load_run_from_workspace, save_run_to_workspace
from simulations.runner import run_scenarios
from tests.conftest import make_triage_workflow

RUN = ["--horizon", "12h", "--warmup", "0h", "--replications", "2", "--seed", "4", "--jobs", "1"]


def triage_with_backlog() -> Workflow:
    workflow = make_triage_workflow()
    tier1 = workflow.node_by_name("Tier 1")
    workflow.start_state = StartState([BacklogEntry(tier1.id, 120, age_min_h=0, age_max_h=6)])
    return workflow


def test_simulate_prints_todays_backlog_only_for_a_model_with_one(tmp_path: Path, capsys) -> None:
    path = tmp_path / "triage.flow.json"
    save_document([triage_with_backlog()], path)
    assert main(["simulate", str(path), *RUN]) == 0
    out = capsys.readouterr().out
    line = next(text for text in out.splitlines() if text.startswith("Today's backlog"))
    assert line.startswith("Today's backlog: 120 items; all reviewed after ")
    assert "(estimate " in line and "queue cleared after " in line
    assert any(text.startswith("  Tier 1: 120 items") for text in out.splitlines())

    save_document([make_triage_workflow()], path)
    assert main(["simulate", str(path), *RUN]) == 0
    assert "Today's backlog" not in capsys.readouterr().out


def test_the_exports_carry_the_start_backlog_records(tmp_path: Path) -> None:
    workflow = triage_with_backlog()
    settings = dataclasses.replace(workflow.run_settings, horizon_hours=12.0, warmup_hours=0.0, replications=2, seed=3)
    fresh = run_scenarios(workflow, [None], settings, executor=make_executor(jobs=1))
    with Workspace.create(tmp_path / "runs.flowdb") as workspace:
        workspace.save_workflow(workflow)
        run_id = save_run_to_workspace(workspace, workflow, fresh)
        run = load_run_from_workspace(workspace, run_id)
    stored = [s for s in run.summaries if s.scope_kind == "start_backlog" and s.metric == "reviewed_h"]
    assert {s.scope_id for s in stored} == {"all", workflow.node_by_name("Tier 1").id}
    assert all(0 < s.mean < 12 for s in stored)
    comparison = build_comparison(run, workflow, run_id=run_id)

    csv_text = csv_bytes(comparison).decode("utf-8-sig")
    assert "start_backlog:Tier 1" in csv_text and "cleared_h" in csv_text

    data = json.loads(json_bytes(comparison))
    names = json.dumps(data)
    assert "start_backlog" in names and "reviewed_h" in names

    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(comparison)), read_only=True)
    cells = {str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for value in row if value is not None}
    assert {"start_backlog", "cleared_h", "reviewed_h", "start_count"} <= cells
