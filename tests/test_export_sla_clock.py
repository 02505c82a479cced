"""Exports say each SLA target's clock in words: a stored run of the triage workflow with one target on the wait
in queue (P1, 90 % picked up within 10 min) and one on the time to decision (P2, 90 % within 30 min)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import openpyxl
import pytest
from conftest import make_triage_workflow

from flowmodel import MixEntry, SlaTarget
from flowmodel.workspace import Workspace
from reports.comparison import Comparison, build_comparison
from reports.data_export import csv_bytes, json_bytes
from reports.findings import sla_target_text
from reports.xlsx_export import export_xlsx
from simulations.executors import make_executor
from simulations.persist import load_run_from_workspace, save_run_to_workspace
from simulations.runner import run_scenarios

WAIT_SCOPE = "Tier 1 · P1 (wait in queue)"


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    workflow = make_triage_workflow()
    workflow.node_by_name("User reports").mix = [MixEntry(priority="P1", share=0.3), MixEntry(priority="P2", share=0.7)]
    workflow.node_by_name("Tier 1").sla = [SlaTarget("P1", 10, "min", 0.9, clock="wait"),
                                           SlaTarget("P2", 30, "min", 0.9)]
    settings = dataclasses.replace(workflow.run_settings, horizon_hours=24.0, warmup_hours=2.0, replications=2,
                                   seed=5)
    fresh = run_scenarios(workflow, [None], settings, executor=make_executor(jobs=1))
    with Workspace.create(tmp_path_factory.mktemp("clock") / "clock.flowdb") as workspace:
        workspace.save_workflow(workflow)
        run_id = save_run_to_workspace(workspace, workflow, fresh)
        run = load_run_from_workspace(workspace, run_id)
    return build_comparison(run, workflow, run_id=run_id)


def sla_figures(comparison: Comparison):
    return {f.scope_name: f for f in comparison.figures if f.metric == "sla_attainment_share"}


def test_the_stored_run_keeps_each_targets_clock(comparison: Comparison) -> None:
    figures = sla_figures(comparison)
    assert sorted(figures) == ["Tier 1 · P1 (wait in queue)", "Tier 1 · P2"]
    assert (figures[WAIT_SCOPE].clock, figures["Tier 1 · P2"].clock) == ("wait", "decision")
    assert sla_target_text(figures[WAIT_SCOPE]) == "90 % within 10 min of arrival at the stage"
    assert sla_target_text(figures["Tier 1 · P2"]) == "90 % within 30 min"


def test_the_workbook_says_the_clock_in_words(comparison: Comparison, tmp_path) -> None:
    book = openpyxl.load_workbook(export_xlsx(comparison, tmp_path / "clock.xlsx"))
    rows = list(book["Chart data"].iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row[0] == "Stage · priority")
    assert rows[top][:4] == ("Stage · priority", "Target", "Baseline", "Clock")
    assert {row[0]: row[3] for row in rows[top + 1:top + 3]} == {WAIT_SCOPE: "wait in queue",
                                                                 "Tier 1 · P2": "time to decision"}
    labels = [row[1] for row in book["Summary"].iter_rows(values_only=True) if row[1]]
    assert f"SLA met: {WAIT_SCOPE} (%)" in labels


def test_the_csv_names_the_wait_clock_and_the_json_states_every_targets_clock(comparison: Comparison) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_bytes(comparison).decode("utf-8-sig"))))
    scopes = {row["scope"] for row in rows if row["metric"] == "sla_attainment_share"}
    assert scopes == {f"priority:{WAIT_SCOPE}", "priority:Tier 1 · P2"}
    clocks = {row["scope"]: float(row["value"]) for row in rows if row["metric"] == "sla_clock_wait"}
    assert clocks == {f"priority:{WAIT_SCOPE}": 1.0}
    document = json.loads(json_bytes(comparison))
    stated = {f["scope"]: f["sla_clock"] for f in document["key_figures"] if f["metric"] == "sla_attainment_share"}
    assert stated == {WAIT_SCOPE: "wait in queue", "Tier 1 · P2": "time to decision"}
