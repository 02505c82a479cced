"""Reproducibility: same (spec, replication) → bit-identical results anywhere; common random numbers."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest
from engine_models import settings, single_stage

from benchmarks.engine_throughput import reference_workflow
from flowmodel import Change, Distribution, Scenario
from simulations.engine import run_replication
from simulations.spec import RunCancelled, RunSpec, SimulationError, compile_run


def spec_of(hours: float = 6, scenario: Scenario | None = None, seed: int = 1, drain: bool = False) -> RunSpec:
    return compile_run(reference_workflow(), scenario, settings(hours, warmup=1, seed=seed), drain=drain)


def test_same_seed_gives_bit_identical_results() -> None:
    spec = spec_of()
    assert pickle.dumps(run_replication(spec, 3)) == pickle.dumps(run_replication(spec, 3))


def test_replications_and_seeds_differ() -> None:
    spec = spec_of()
    first, second = run_replication(spec, 0), run_replication(spec, 1)
    other_seed = run_replication(spec_of(seed=2), 0)
    wait = ("stage", "Tier 1", "wait_mean_s")
    assert first.metric(*wait) != second.metric(*wait)
    assert first.metric(*wait) != other_seed.metric(*wait)
    assert first.items_created != second.items_created


def test_run_spec_pickles_and_reruns_identically() -> None:
    spec = spec_of()
    copy = pickle.loads(pickle.dumps(spec))
    assert copy == spec
    assert pickle.dumps(run_replication(copy, 0)) == pickle.dumps(run_replication(spec, 0))


def test_a_spawned_worker_process_gives_the_serial_result() -> None:
    spec = spec_of(hours=3)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        remote = pool.submit(run_replication, spec, 2).result(timeout=120)
    assert pickle.dumps(remote) == pickle.dumps(run_replication(spec, 2))


def test_identical_scenario_gives_identical_results() -> None:
    base = run_replication(spec_of(), 0)
    same = run_replication(spec_of(scenario=Scenario(name="No change", id="same")), 0)
    assert same.scenario_name == "No change"
    assert pickle.dumps((base.metrics, base.series)) == pickle.dumps((same.metrics, same.series))


def test_a_change_at_tier_2_leaves_arrivals_and_tier_1_untouched() -> None:
    """Separate streams per stage: slower tier-2 reviews change tier 2 and sojourns, nothing upstream."""
    slower = Scenario(name="Slower tier 2", changes=[Change("tier-2", "handle_time.mean", "scale", 1.1)])
    base = run_replication(spec_of(drain=True), 0)
    changed = run_replication(spec_of(scenario=slower, drain=True), 0)
    for scope in (("source", "Arrivals", "arrivals_count"), ("stage", "Tier 1", "wait_mean_s"),
                  ("stage", "Tier 1", "arrivals_count"), ("stage", "Tier 2", "arrivals_count"),
                  ("stage", "Tier 1", "handle_time_mean_s")):
        assert base.metric(*scope) == changed.metric(*scope), scope
    assert [s.values for s in base.series if s.scope_kind == "source"] == [
        s.values for s in changed.series if s.scope_kind == "source"]
    tier2_handle = ("stage", "Tier 2", "handle_time_mean_s")
    # drained, so the same items: the same exponential draws, each scaled by 1.1
    assert changed.metric(*tier2_handle) == pytest.approx(1.1 * base.metric(*tier2_handle), rel=1e-9)


def test_progress_is_reported_hourly_and_cancellation_stops_the_run() -> None:
    spec = spec_of(hours=6)
    hours: list[float] = []
    run_replication(spec, 0, progress=hours.append)
    assert hours == [1.0, 2.0, 3.0, 4.0, 5.0]
    seen: list[float] = []
    with pytest.raises(RunCancelled):
        run_replication(spec, 0, progress=seen.append, should_stop=lambda: len(seen) >= 2)
    assert seen == [1.0, 2.0]


def test_invalid_model_raises_simulation_error_with_the_issues() -> None:
    workflow = single_stage(60, Distribution.exponential(5, "min"), 3)
    workflow.remove_team("team")
    with pytest.raises(SimulationError) as caught:
        compile_run(workflow, None, settings(1))
    assert caught.value.issues
    assert any(issue.node_id == "review" for issue in caught.value.issues)
    assert "Review" in str(caught.value)


def test_bad_scenario_and_settings_raise_simulation_error() -> None:
    workflow = single_stage(60, Distribution.exponential(5, "min"), 3)
    ghost = Scenario(name="Ghost", changes=[Change("no-such-node", "rate_per_hour", "set", 1.0)])
    with pytest.raises(SimulationError, match="Ghost"):
        compile_run(workflow, ghost, settings(1))
    with pytest.raises(SimulationError, match="warmup_hours"):
        compile_run(workflow, None, settings(1, warmup=2))
    with pytest.raises(SimulationError, match="arrival limit"):
        compile_run(workflow, None, settings(1), arrival_limit=0)
