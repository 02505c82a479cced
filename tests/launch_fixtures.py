"""A small launch plan for the launch export, CLI and results-view tests.

The tiny triage workflow (with fixed ids, so its random streams and so every figure are the same in every build)
with an SLA on Tier 1, and a plan that launches a day in: Tier 1's handle time doubles at the launch and learns
back to normal (a learning curve halving the gap every 12 h), and a loaned reviewer works the launch day. Run
beside the baseline for 5 days × 3 replications in-process, the SLA dips on the launch day in one replication and
is back the next (recovery 24, 0, 0 h); in a 3-day run that one has no room to recover (2 days in a row)."""

from __future__ import annotations

import dataclasses

from flowmodel import (
    Change,
    Distribution,
    Edge,
    Outcome,
    ReviewStage,
    Scenario,
    Shift,
    SlaTarget,
    Source,
    Team,
    Workflow,
)
from flowmodel.launch import Ramp
from simulations.executors import SerialExecutor
from simulations.runner import BASELINE_ID, RunResult, run_scenarios

PLAN = "Checklist launch"
PLAN_ID = "plan"


def launch_workflow() -> Workflow:
    """Reports → Tier 1 (SLA: 90 % of P2 within 30 min) → removed | kept; 8 generalists around the clock."""
    workflow = Workflow(name="Tiny triage", id="triage")
    source = workflow.add_node(Source(name="User reports", id="reports", rate_per_hour=60.0, x=0, y=0))
    tier1 = workflow.add_node(ReviewStage(name="Tier 1", id="tier1", handle_time=Distribution.exponential(5, "min"),
                                          sla=[SlaTarget(priority="P2", within=30, unit="min", share=0.9)],
                                          x=250, y=0))
    removed = workflow.add_node(Outcome(name="Removed", id="removed", label="removed", x=500, y=-80))
    kept = workflow.add_node(Outcome(name="Kept", id="kept", label="kept", x=500, y=80))
    workflow.add_edge(Edge(source.id, tier1.id, probability=1.0))
    workflow.add_edge(Edge(tier1.id, removed.id, label="remove", probability=0.3))
    workflow.add_edge(Edge(tier1.id, kept.id, label="keep", probability=0.7))
    team = workflow.add_team(Team(name="Generalists", id="generalists", shrinkage=0.0, stages=[tier1.id],
                                  hourly_cost=30.0, shifts=[Shift(name="all day", start_hour=0, hours=24,
                                                                  headcount=[8] * 7)]))
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
