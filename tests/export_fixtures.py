"""A small stored comparison for the export tests: the tiny triage workflow, its baseline, a short-staffed
scenario (4 reviewers for 5 reviewers' worth of work: the backlog grows) and an identical copy of the baseline,
simulated for 2 days × 3 replications, stored in a workspace and loaded back (so exports are checked against
what the workspace holds)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import make_triage_workflow

from flowmodel import Change, Scenario, SlaTarget, Workflow
from flowmodel.workspace import Workspace
from reports.comparison import Comparison, build_comparison
from simulations.executors import make_executor
from simulations.persist import load_run_from_workspace, save_run_to_workspace
from simulations.runner import RunResult, run_scenarios

SHORT_STAFFED = "Short-staffed"
UNCHANGED = "Same as baseline"


@dataclass(frozen=True)
class StoredComparison:
    workspace: Path
    workflow: Workflow
    run_id: str
    run: RunResult
    comparison: Comparison


def export_workflow() -> Workflow:
    """The triage workflow with an SLA on Tier 1, a staff cost and the two scenarios."""
    workflow = make_triage_workflow()
    tier1 = workflow.node_by_name("Tier 1")
    workflow.set_field(tier1.id, "sla", [SlaTarget(priority="P2", within=30, unit="min", share=0.9)])
    team = workflow.team_by_name("Generalists")
    workflow.set_field(team.id, "hourly_cost", 30.0)
    workflow.put_scenario(Scenario(name=SHORT_STAFFED, id="short", description="Two reviewers fewer, every hour.",
                                   changes=[Change(team.id, "shifts.all day.headcount", "set", [4] * 7,
                                                   note="hiring freeze")]))
    workflow.put_scenario(Scenario(name=UNCHANGED, id="same"))
    return workflow


def store_comparison(folder: Path) -> StoredComparison:
    workflow = export_workflow()
    settings = dataclasses.replace(workflow.run_settings, horizon_hours=48.0, warmup_hours=6.0, replications=3,
                                   seed=7)
    fresh = run_scenarios(workflow, [None, "short", "same"], settings, executor=make_executor(jobs=1))
    path = folder / "exports.flowdb"
    with Workspace.create(path) as workspace:
        workspace.save_workflow(workflow)
        run_id = save_run_to_workspace(workspace, workflow, fresh)
        run = load_run_from_workspace(workspace, run_id)
        row = workspace.list_runs(workflow.id)[0]
    comparison = build_comparison(run, workflow, run_id=run_id, run_created=row["created_at"],
                                  fingerprint=row["workflow_fingerprint"])
    return StoredComparison(path, workflow, run_id, run, comparison)


@pytest.fixture(scope="session")
def stored(tmp_path_factory: pytest.TempPathFactory) -> StoredComparison:
    return store_comparison(tmp_path_factory.mktemp("stored"))
