"""Staffing, determinism: the search is a pure function of (model, targets, settings) — serial and process-pool
executors give the same plan, figure for figure, because every candidate runs the same replications with the same
seeds and the runner returns them in task order whichever process ran them (given a time budget the trim never
reaches: the budget is wall time, which depends on the machine). The random streams are keyed by
node and team ids, so the same model means the same saved ids: a model saved and loaded again gives the same plan,
while the same drawing rebuilt from scratch (new ids) draws other numbers and may trim a borderline shift
differently."""

from __future__ import annotations

import math
from typing import Any

import pytest

from flowmodel import (
    Distribution,
    Edge,
    Outcome,
    ReviewStage,
    RunSettings,
    Shift,
    SlaTarget,
    Source,
    Team,
    Workflow,
)
from flowmodel.serialization import workflow_from_dict, workflow_to_dict
from simulations.executors import DaskExecutor, ProcessPoolExecutor, SerialExecutor
from simulations.staffing import StaffingPlan, recommend_staffing, targets_from_model

#: 72 h × 4 replications keeps the search to a handful of simulated rosters, while the trim still batches several
#: candidates (one per shift × day group) in one run — the path where task order matters.
SETTINGS = RunSettings(horizon_hours=72.0, warmup_hours=4.0, replications=4, seed=2)


def day_and_night() -> Workflow:
    """Reports (8/h) → Review (12 min, 90 % within 2 h) by one team in a day and a night shift, staffed by
    weekdays and weekends: four team-shifts for the search to raise and trim."""
    workflow = Workflow(name="Day and night")
    source = workflow.add_node(Source(name="Reports", rate_per_hour=8.0))
    review = workflow.add_node(ReviewStage(name="Review", handle_time=Distribution.exponential(12, "min"),
                                           sla=[SlaTarget("P2", 2, "h", 0.9)]))
    done = workflow.add_node(Outcome(name="Done"))
    workflow.add_edge(Edge(source.id, review.id, probability=1.0))
    workflow.add_edge(Edge(review.id, done.id, probability=1.0))
    workflow.add_team(Team(name="Reviewers", shrinkage=0.1, hourly_cost=30.0, stages=[review.id],
                           shifts=[Shift("day", 8, 12, [5] * 7), Shift("night", 20, 12, [3] * 7)]))
    return workflow


def _figures(plan: StaffingPlan) -> dict[str, Any]:
    """Everything the search decided and measured; NaN as a string so that equal plans compare equal."""
    def number(value: float) -> float | str:
        return "nan" if math.isnan(value) else value

    return {
        "status": plan.status,
        "evaluations": plan.evaluations,
        "rows": [(r.team_name, r.shift_name, r.days, r.current, r.recommended) for r in plan.rows],
        "achieved": [(t.kind, t.where, number(t.mean), number(t.ci_low), number(t.ci_high), t.n, t.met)
                     for t in plan.achieved],
        "trim_checks": [(c.team_shift, c.headcount_tried, c.met, c.failing) for c in plan.trim_checks],
        "notes": list(plan.notes),
    }


def test_serial_and_process_pool_recommend_the_same_plan() -> None:
    workflow = day_and_night()
    targets = targets_from_model(workflow)
    serial = recommend_staffing(workflow, None, targets, SETTINGS, executor=SerialExecutor(), time_budget_s=3600.0)
    pooled = recommend_staffing(workflow, None, targets, SETTINGS, executor=ProcessPoolExecutor(2),
                                time_budget_s=3600.0)
    assert serial.status == "met" and len(serial.rows) == 4 and serial.trim_checks
    assert _figures(pooled) == _figures(serial)


def test_a_saved_and_reloaded_model_gets_the_same_plan() -> None:
    workflow = day_and_night()
    reloaded = workflow_from_dict(workflow_to_dict(workflow))
    first = recommend_staffing(workflow, None, targets_from_model(workflow), SETTINGS, executor=SerialExecutor(),
                               time_budget_s=3600.0)
    again = recommend_staffing(reloaded, None, targets_from_model(reloaded), SETTINGS, executor=SerialExecutor(),
                               time_budget_s=3600.0)
    assert _figures(again) == _figures(first)


def test_a_dask_cluster_recommends_the_same_plan_as_local_processes() -> None:
    """Candidates run on whichever executor the planner chose; the plan does not depend on it."""
    distributed = pytest.importorskip("distributed")
    workflow = day_and_night()
    targets = targets_from_model(workflow)
    pooled = recommend_staffing(workflow, None, targets, SETTINGS, executor=ProcessPoolExecutor(2),
                                time_budget_s=3600.0)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        dasked = recommend_staffing(workflow, None, targets, SETTINGS, executor=DaskExecutor(cluster.scheduler_address),
                                    time_budget_s=3600.0)
    assert dasked.status == "met" and dasked.trim_checks
    assert _figures(dasked) == _figures(pooled)
