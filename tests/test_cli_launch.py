"""``simulate`` and ``compare`` on a launch plan: the launch block (recovery per target, peak backlog, extra hours
and cost) is printed, and the exports carry it; a static run prints none of it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cli.launch_summary import launch_block
from flowmodel.documents import save_document
from flowmodel.workflow import Workflow
from main import main
from reports.launch import launch_results, recovery_text
from tests.launch_fixtures import PLAN, launch_run, launch_workflow

SETTINGS = ["--horizon", "5d", "--warmup", "6h", "--replications", "3", "--seed", "11", "--interval", "60m",
            "--jobs", "1"]


@pytest.fixture
def workflow_file(tmp_path: Path) -> tuple[Path, Workflow]:
    """The plan's workflow saved, and the object itself (its ids seed the random streams: the same numbers)."""
    workflow = launch_workflow()
    path = tmp_path / "launch.flow.json"
    save_document([workflow], path)
    return path, workflow


def test_simulate_prints_the_launch_block(workflow_file, capsys):
    path, workflow = workflow_file
    assert main(["simulate", str(path), "--scenario", PLAN, *SETTINGS]) == 0
    out = capsys.readouterr().out
    run = launch_run(workflow)  # the same model and settings in-process: the same numbers
    plan = next(r for r in launch_results(run) if r.is_plan)
    assert f"Launch of {PLAN} (against Baseline): Tue 2026-01-06 00:00, 24 h after the run's start" in out
    assert f"  Recovery per SLA target:\n    {recovery_text(plan.recoveries[0])}\n" in out
    assert "    Tier 1 · P2 back in SLA 8 h after launch (0–42.4 h)\n" in out  # recovery 24, 0 and 0 h
    assert "    Tier 1: 31.7 ± 62.0 items, 8.33 h after launch  (Δ +27 ± 55.5)\n" in out
    assert "  Extra paid hours: +24 ± 0 h *" in out
    assert "  Extra staff cost: +720 ± 0 *" in out
    assert launch_block(run) in out


def test_simulate_without_a_launch_plan_prints_no_launch_block(workflow_file, capsys):
    assert main(["simulate", str(workflow_file[0]), "--horizon", "1d", *SETTINGS[2:]]) == 0
    out = capsys.readouterr().out
    assert "Launch of" not in out and "Recovery per SLA target" not in out


def test_compare_prints_the_launch_block_and_exports_it(workflow_file, tmp_path, capsys):
    path, workflow = workflow_file
    xlsx = tmp_path / "launch.xlsx"
    assert main(["compare", str(path), "--scenarios", PLAN, "--out", str(xlsx), *SETTINGS]) == 0
    out = capsys.readouterr().out
    recovery = next(r for r in launch_results(launch_run(workflow)) if r.is_plan).recoveries[0]
    assert out.startswith(f"Launch of {PLAN} (against Baseline)")
    assert recovery_text(recovery) in out and out.rstrip().endswith(f"Wrote {xlsx}")
    sheet = openpyxl.load_workbook(xlsx)["Launch"]
    figures = {(row[0], row[1], row[2]): row for row in sheet.iter_rows(values_only=True)}
    assert figures[(PLAN, "Paid hours", "All teams")][8] == 24.0
    assert figures[(PLAN, "Back in SLA, after launch", "Tier 1 · P2")][7] == f"{recovery.recovered} of 3"
