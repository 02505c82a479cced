"""The pre-run estimate (simulations/run_budget.py) against measured runs, its refusals and warnings, and the
engine's backlog guard (stops at its bound, marks the results, leaves a stable model bit-identical)."""

from __future__ import annotations

import dataclasses
import gc
import math
import pickle
import re
import time
import tracemalloc

import pytest
from engine_models import settings, single_stage

from benchmarks.engine_throughput import reference_workflow
from flowmodel import Distribution, RunSettings
from flowmodel.limits import MAX_BACKLOG_ITEMS, MAX_RUN_MEMORY_BYTES, MIN_BACKLOG_LIMIT
from flowmodel.nodes import Surge
from flowmodel.workflow import Workflow
from simulations.engine import GUARD_SLACK, Replication, run_replication
from simulations.executors import SerialExecutor
from simulations.run_budget import RunEstimate, estimate_run
from simulations.run_budget_text import duration_text
from simulations.runner import run_scenarios
from simulations.spec import RunSpec, SimulationError, compile_run


def estimate(workflow: Workflow, run_settings: RunSettings, *, replications: int | None = None, processes: int = 1,
             **options: object) -> tuple[RunSpec, RunEstimate]:
    spec = compile_run(workflow, None, run_settings, **options)
    return spec, estimate_run(workflow, [None], [spec], replications=replications, processes=processes)


def overloaded(rate_per_hour: float = 100_000.0) -> Workflow:
    """One reviewer (1 min per item) under ``rate_per_hour`` items: the backlog grows at about that rate."""
    return single_stage(rate_per_hour, Distribution.exponential(1, "min"), 1)


# -- the estimate against measured runs ---------------------------------------------------------------------
def test_events_and_time_of_an_mmc_stage_are_estimated_within_a_factor() -> None:
    workflow = single_stage(3000, Distribution.exponential(1, "min"), 60)  # M/M/60 at 50 erlangs
    spec, budget = estimate(workflow, settings(16, interval_minutes=15), replications=2)
    started = time.perf_counter()
    results = [run_replication(spec, r) for r in range(2)]
    wall = time.perf_counter() - started
    measured = sum(r.events for r in results)
    assert budget.events == pytest.approx(measured, rel=0.05)
    assert budget.scenarios[0].arrivals == pytest.approx(results[0].items_created, rel=0.05)
    assert budget.seconds / 6 < wall < budget.seconds * 6  # machine-dependent: a generous factor


def test_the_memory_of_a_backlog_is_estimated_within_a_factor() -> None:
    spec, budget = estimate(overloaded(), settings(24), backlog_limit=10_000)
    load = budget.scenarios[0]
    assert load.guard_stop_s == pytest.approx(10_000 / (100_000 - 60) * 3600, rel=0.01)
    assert load.waiting.items == pytest.approx(10_000, rel=0.01) and "Review" in load.waiting.where
    gc.collect()
    tracemalloc.start()
    run = Replication(spec, 0)
    before = tracemalloc.get_traced_memory()[0]
    end = run.run(None, None)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert run.stopped_early and end == pytest.approx(load.guard_stop_s, rel=0.1)
    assert load.item_bytes / 1.5 < held < load.item_bytes * 1.5


def test_the_series_memory_the_main_process_keeps_is_estimated_within_a_factor() -> None:
    workflow = single_stage(60, Distribution.exponential(5, "min"), 10)
    run_settings = RunSettings(horizon_hours=3 * 24, warmup_hours=0, replications=3, interval_minutes=1)
    _, budget = estimate(workflow, run_settings)
    gc.collect()
    tracemalloc.start()
    run = run_scenarios(workflow, None, run_settings, executor=SerialExecutor())
    kept = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert run.replications
    assert budget.main_bytes / 1.5 < kept < budget.main_bytes * 1.5


def test_a_surge_that_overloads_a_stable_stage_is_seen_by_the_fluid_backlog() -> None:
    workflow = single_stage(1000, Distribution.exponential(5, "min"), 100)
    workflow.node_by_name("Reports").surges.append(Surge(start_hour=24, duration_hours=2, multiplier=50))
    _, budget = estimate(workflow, settings(7 * 24))
    # 2 h × (50,000 − 1,200 served) per hour pile up at the stage and drain afterwards
    assert budget.scenarios[0].waiting.items == pytest.approx(2 * (50_000 - 1_200), rel=0.02)
    assert budget.scenarios[0].guard_stop_s is None


# -- refusals and warnings ---------------------------------------------------------------------------------
def test_a_tiny_interval_is_refused_for_its_samples_and_memory_naming_the_interval() -> None:
    spec, _ = estimate(single_stage(100, Distribution.exponential(5, "min"), 10), settings(14 * 24))
    tiny = dataclasses.replace(spec, interval_s=60e-6, settings=dataclasses.replace(spec.settings,
                                                                                    interval_minutes=1e-6))
    budget = estimate_run(single_stage(100, Distribution.exponential(5, "min"), 10), [None], [tiny],
                          replications=10, processes=2)
    problems = budget.errors()
    assert [p.where for p in problems] == ["run settings · interval_minutes"] * 2
    assert "mostly time-series samples" in problems[0].message and "5 billion events" in problems[0].message
    assert "4.0 GB a run may use" in problems[1].message and "choose a longer time-series interval" in \
        problems[1].message


def test_ten_thousand_replications_are_refused_with_the_time_they_would_take() -> None:
    _, budget = estimate(single_stage(1000, Distribution.exponential(5, "min"), 100),
                         RunSettings(horizon_hours=14 * 24), replications=10_000, processes=2)
    (problem,) = budget.errors()
    assert problem.where == "run settings · replications"
    assert re.search(r"about 6\.7 billion events: 10,000 replications × about 336,000 arrivals each, mostly from "
                     r"source “Reports”", problem.message), problem.message
    assert "about 4 h 40 min on 2 processes" in problem.message and "reduce replications or the horizon" in \
        problem.message


def test_a_long_run_warns_how_long_it_will_take() -> None:
    _, budget = estimate(single_stage(500, Distribution.exponential(5, "min"), 100),
                         RunSettings(horizon_hours=14 * 24), replications=1000, processes=2)
    assert budget.errors() == []
    (warning,) = budget.warnings()
    assert warning.message.startswith("this run will take about 14 min on 2 processes (about 337 million events")
    assert warning.message.endswith("; reduce replications or the horizon")


def test_a_backlog_held_in_many_processes_warns_and_then_is_refused() -> None:
    workflow = overloaded(500_000)
    _, two = estimate(workflow, settings(7 * 24), replications=2, processes=2)
    (warning,) = two.problems()
    assert warning.severity == "warning" and warning.where == "review stage “Review”"
    assert "up to 2 million items at review stage “Review” in each of 2 worker processes" in warning.message
    assert "the backlog guard stops a replication at 2,000,000 waiting items" in warning.message
    _, eight = estimate(workflow, settings(7 * 24), replications=8, processes=8)
    assert eight.memory_bytes > MAX_RUN_MEMORY_BYTES
    (refusal,) = eight.errors()
    assert "more than the 4.0 GB a run may use" in refusal.message and "fewer worker processes" in refusal.message


def test_run_scenarios_refuses_a_run_past_the_budget_before_running_anything() -> None:
    class Refuse(SerialExecutor):
        def run(self, *args: object, **kwargs: object) -> list:
            raise AssertionError("the run should have been refused before it started")

    heavy = RunSettings(horizon_hours=49_000 / 60, warmup_hours=0, replications=800, interval_minutes=1)
    with pytest.raises(SimulationError) as refused:
        run_scenarios(reference_workflow(), None, heavy, executor=Refuse())
    assert refused.value.where == "run settings · interval_minutes"
    assert re.match(r"this run needs about [5-6]\.\d GB of memory, mostly for its time series: 800 replications × 9 "
                    r"series × 49,000 points each", refused.value.message), refused.value.message
    seen: list[RunEstimate] = []
    run_scenarios(reference_workflow(), None, settings(2), executor=SerialExecutor(), on_estimate=seen.append)
    assert len(seen) == 1 and seen[0].problems() == []


def test_durations_read_as_a_planner_says_them() -> None:
    assert [duration_text(s) for s in (12, 600, 12_000, 7200, 200_000)] == \
        ["12 s", "10 min", "3 h 20 min", "2 h", "2 d 7 h"]


# -- the engine's backlog guard ----------------------------------------------------------------------------
def test_the_guard_stops_an_overloaded_replication_at_its_bound_and_keeps_what_it_measured() -> None:
    spec = compile_run(overloaded(), None, settings(24, interval_minutes=1), backlog_limit=5_000)
    result = run_replication(spec, 0)
    assert re.fullmatch(r"the backlog of Review passed 5,000 items at day 1, 00:0\d: the model is overloaded — "
                        r"see the load warning", result.stopped_early), result.stopped_early
    assert 0 < result.end_time_h < 0.1
    assert result.metric("system", "system", "run_end_h") == result.end_time_h
    backlog = result.metric("stage", "Review", "backlog_end_count")
    assert 5_000 < backlog <= 5_000 * (1 + GUARD_SLACK)
    assert result.items_created == result.items_completed + result.items_expired + result.items_in_system_at_end
    queue = next(s for s in result.series if s.metric == "queue_length")
    assert len(queue.values) == math.floor(result.end_time_h * 60 + 1e-9)


def test_a_stable_model_is_bit_identical_whatever_the_guard_bound() -> None:
    """The guard's checks change nothing: other bounds mean other check times, and the same results."""
    spec = compile_run(reference_workflow(), None, settings(12, warmup=1))
    results = [run_replication(dataclasses.replace(spec, backlog_limit=limit), 1)
               for limit in (MAX_BACKLOG_ITEMS, MIN_BACKLOG_LIMIT)]
    assert results[0].stopped_early == "" and results[0].items_created > 5_000
    assert pickle.dumps(results[0]) == pickle.dumps(results[1])


def test_a_run_reports_its_stopped_replications() -> None:
    run = run_scenarios(overloaded(), None, settings(24), executor=SerialExecutor(), backlog_limit=2_000)
    assert [r.replication for r in run.stopped_early()] == [0]
    assert run.stop_summary().startswith("the replication stopped early; in Baseline replication 1: the backlog of "
                                         "Review passed 2,000 items at day 1, 00:01")
    stable = run_scenarios(reference_workflow(), None, settings(2), executor=SerialExecutor())
    assert stable.stopped_early() == [] and stable.stop_summary() == ""


@pytest.mark.parametrize("limit", [0, MIN_BACKLOG_LIMIT - 1, MAX_BACKLOG_ITEMS + 1, 1.5e4])
def test_a_backlog_limit_out_of_range_is_refused(limit: object) -> None:
    with pytest.raises(SimulationError, match="the backlog limit must be a whole number of items from 1,000 to "
                                              "2,000,000"):
        compile_run(overloaded(), None, settings(1), backlog_limit=limit)
