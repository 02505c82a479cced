"""Runs stored in a workspace come back with the same per-replication values and the same aggregates."""

from __future__ import annotations

import math

import pytest

from flowmodel import Change, RunSettings, Scenario
from flowmodel.errors import LoadError
from flowmodel.fingerprint import workflow_fingerprint
from flowmodel.workspace import Workspace
from simulations.executors import SerialExecutor
from simulations.persist import load_run_from_workspace, save_run_to_workspace
from simulations.runner import BASELINE_ID, run_scenarios
from tests.conftest import make_triage_workflow


@pytest.fixture
def stored(tmp_path):
    workflow = make_triage_workflow()
    tier1 = workflow.node_by_name("Tier 1")
    faster = Scenario(name="Faster", changes=[Change(tier1.id, "handle_time.mean", "scale", 0.8)])
    workflow.put_scenario(faster)
    settings = RunSettings(horizon_hours=24.0, warmup_hours=2.0, replications=3, seed=11, interval_minutes=120)
    run = run_scenarios(workflow, [None, faster.id], settings, executor=SerialExecutor())
    path = tmp_path / "ops.flowdb"
    with Workspace.create(path) as workspace:
        workspace.save_workflow(workflow)
        run_id = save_run_to_workspace(workspace, workflow, run, label="first try")
    return path, workflow, faster, run, run_id


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_round_trip_keeps_every_value_and_aggregate(stored) -> None:
    path, workflow, _, run, run_id = stored
    with Workspace.open(path) as workspace:
        loaded = load_run_from_workspace(workspace, run_id)
        (row,) = workspace.list_runs(workflow.id)
    assert row["label"] == "first try" and row["workflow_fingerprint"] == workflow_fingerprint(workflow)
    assert row["settings"]["seed"] == 11 and [s["name"] for s in row["scenarios"]] == ["Baseline", "Faster"]
    assert loaded.options == run.options and loaded.scenarios == run.scenarios
    assert loaded.workflow_name == workflow.name
    assert [(r.scenario_id, r.replication) for r in loaded.replications] == \
        [(r.scenario_id, r.replication) for r in run.replications]
    for original, back in zip(run.replications, loaded.replications, strict=True):
        assert len(original.metrics) == len(back.metrics)
        assert all(_same(a.value, b.value) and a.metric == b.metric
                   for a, b in zip(original.metrics, back.metrics, strict=True))
        assert {(s.metric, s.scope_id): s.values for s in original.series} == \
            {(s.metric, s.scope_id): s.values for s in back.series}
    assert len(loaded.summaries) == len(run.summaries) and len(loaded.deltas) == len(run.deltas)
    for a, b in zip(run.summaries, loaded.summaries, strict=True):
        assert a.metric == b.metric and _same(a.mean, b.mean) and _same(a.half_width, b.half_width)
    assert loaded.bands == run.bands


def test_deltas_equal_the_difference_of_the_stored_metrics(stored) -> None:
    path, _, faster, _, run_id = stored
    with Workspace.open(path) as workspace:
        loaded = load_run_from_workspace(workspace, run_id)
        rows = workspace.run_metrics(run_id)
    delta = next(d for d in loaded.deltas if d.scope_kind == "stage" and d.metric == "handle_time_mean_s")

    def stored_mean(scenario_id: str) -> float:
        values = [r["value"] for r in rows if r["scenario_id"] == scenario_id and r["scope_kind"] == "stage"
                  and r["metric"] == "handle_time_mean_s"]
        assert len(values) == 3
        return sum(values) / 3

    assert delta.delta_mean == pytest.approx(stored_mean(faster.id) - stored_mean(BASELINE_ID), abs=1e-9)
    assert delta.delta_mean < 0


def test_an_unknown_run_is_a_load_error(stored) -> None:
    path, *_ = stored
    with Workspace.open(path) as workspace, pytest.raises(LoadError, match="no run"):
        load_run_from_workspace(workspace, "nope")
