"""A small launch plan for the launch export, CLI and results-view tests: the tiny triage workflow with an SLA on
Tier 1, and a plan that launches a day in — Tier 1's handle time doubles at the launch and learns back to normal
(a learning curve halving the gap every 12 h), and a loaned reviewer works the launch day — run beside the
baseline for 5 days × 3 replications in-process. With seed 11 the SLA dips on the launch day in two of the three
replications and is back the next day; a 3-day run leaves those two no room to recover (2 days in a row)."""

from __future__ import annotations

import dataclasses

from flowmodel import Change, Scenario, SlaTarget, Workflow
from flowmodel.launch import Ramp
from simulations.executors import SerialExecutor
from simulations.runner import BASELINE_ID, RunResult, run_scenarios
from tests.conftest import make_triage_workflow

PLAN = "Checklist launch"
PLAN_ID = "plan"


def launch_workflow() -> Workflow:
    workflow = make_triage_workflow()
    tier1 = workflow.node_by_name("Tier 1")
    workflow.set_field(tier1.id, "sla", [SlaTarget(priority="P2", within=30, unit="min", share=0.9)])
    team = workflow.team_by_name("Generalists")
    workflow.set_field(team.id, "hourly_cost", 30.0)
    workflow.put_scenario(Scenario(
        name=PLAN, id=PLAN_ID, launch="+1d", recovery_days=2, changes=[
            Change(tier1.id, "handle_time.mean", "scale", 1.0, note="longer checklist", start="launch",
                   ramp=Ramp(launch_value=2.0, shape="learning", hours=12.0)),
            Change(team.id, "shifts.all day.headcount", "set", [9] * 7, note="a loaned reviewer",
                   start="launch", end="+1d")]))
    return workflow


def launch_settings(workflow: Workflow, replications: int = 3, days: float = 5.0):
    return dataclasses.replace(workflow.run_settings, horizon_hours=24.0 * days, warmup_hours=6.0,
                               replications=replications, seed=11, interval_minutes=60.0)


def launch_run(workflow: Workflow | None = None, replications: int = 3, days: float = 5.0) -> RunResult:
    """The baseline and the plan (the plan's launch instant on both sides)."""
    workflow = workflow if workflow is not None else launch_workflow()
    return run_scenarios(workflow, [BASELINE_ID, PLAN_ID], launch_settings(workflow, replications, days),
                         executor=SerialExecutor())
