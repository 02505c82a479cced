"""Runs started from today's backlog, checked against hand-computed traces; models without one run as before.

Sources arrive at a negligible rate (1e-9 per hour), so every item in these runs is a backlog item and every start,
end and SLA verdict follows from fixed handle times by hand.
"""

from __future__ import annotations

import hashlib
import math
import pickle

import pytest
from engine_models import settings, single_stage

from flowmodel import Distribution, Edge, MixEntry, ReviewStage, RunSettings, SlaTarget, Team
from flowmodel.jsonfile import read_workflow_json
from flowmodel.start_state import BacklogEntry, StartState
from flowmodel.workflow import Workflow
from simulations.collect import collect
from simulations.engine import Replication, run_replication
from simulations.results import ReplicationResult
from simulations.spec import RunSpec, compile_run

NEVER = 1e-9
HOUR = 3600.0
Trace = list[tuple[str, float, int, str, float]]


def traced_run(spec: RunSpec, replication: int = 0) -> tuple[Trace, ReplicationResult]:
    """Replication ``replication`` with every (kind, time s, item number, place, created s) event recorded."""
    run = Replication(spec, replication)
    trace: Trace = []
    run.trace = lambda kind, time, item, place, team: trace.append((kind, time, item.number, place, item.created))
    end = run.run(None, None)
    return trace, collect(run, end)


def backlog(result: ReplicationResult, scope: str, metric: str) -> float:
    return result.metric("start_backlog", scope, metric)


def ten_waiting() -> Workflow:
    """10 items aged 30 min waiting at "Review": 2 reviewers, 30 min each, SLA 90 % within 1 h of creation."""
    workflow = single_stage(NEVER, Distribution.fixed(30, "min"), 2, sla=[SlaTarget("P2", 1, "h", 0.9)])
    workflow.start_state = StartState([BacklogEntry(stage="review", count=10, ages_h=[0.5] * 10)])
    return workflow


def test_ten_items_two_reviewers_drain_as_the_hand_computed_trace_says() -> None:
    trace, result = traced_run(compile_run(ten_waiting(), None, settings(5)))
    # all ten created at once at −30 min, before any arrival; pairs start every 30 min and end 30 min later
    assert [(kind, time, number, created) for kind, time, number, _, created in trace if kind == "arrive"] == [
        ("arrive", 0.0, n, -0.5 * HOUR) for n in range(1, 11)]
    assert [(number, time) for kind, time, number, _, _ in trace if kind == "start"] == [
        (n, ((n - 1) // 2) * 0.5 * HOUR) for n in range(1, 11)]
    assert [(number, time) for kind, time, number, _, _ in trace if kind == "outcome"] == [
        (n, ((n - 1) // 2 + 1) * 0.5 * HOUR) for n in range(1, 11)]
    assert backlog(result, "review", "start_count") == 10
    assert backlog(result, "review", "cleared_h") == 2.0  # the last two began review at 2 h
    assert backlog(result, "review", "reviewed_h") == 2.5  # and were done at 2.5 h
    assert backlog(result, "review", "left_end_count") == 0
    assert backlog(result, "all", "cleared_h") == 2.0
    assert backlog(result, "all", "reviewed_h") == 2.5
    # SLA 1 h from creation, items 30 min old: only items 1 and 2 (done at 30 min, 1 h after creation) meet it
    assert backlog(result, "review:P2", "sla_attainment_share") == 0.2
    assert backlog(result, "review:P2", "sla_items_count") == 10
    assert result.metric("priority", "review:P2", "sla_attainment_share") == 0.2
    # no warm-up: the backlog counts in the stage's and outcome's statistics
    assert result.metric("stage", "review", "arrivals_count") == 10
    assert result.metric("stage", "review", "wait_mean_s") == 1.0 * HOUR  # waits 0,0,½,½,…,2,2 h
    assert result.metric("outcome", "done", "time_to_decision_mean_s") == 2.0 * HOUR  # 1, 1.5, …, 3 h, twice each
    assert result.metric("source", "reports", "arrivals_count") == 0
    assert (result.items_created, result.items_completed) == (10, 10)


def test_oldest_items_are_reviewed_first() -> None:
    workflow = single_stage(NEVER, Distribution.fixed(1, "h"), 1)
    workflow.start_state = StartState([BacklogEntry(stage="review", count=3, ages_h=[1.0, 5.0, 3.0])])
    trace, _ = traced_run(compile_run(workflow, None, settings(5)))
    assert [(time, created) for kind, time, _, _, created in trace if kind == "start"] == [
        (0.0, -5 * HOUR), (HOUR, -3 * HOUR), (2 * HOUR, -1 * HOUR)]


def test_a_backlog_not_cleared_by_the_end_is_nan_with_what_is_left() -> None:
    workflow = single_stage(NEVER, Distribution.fixed(1, "h"), 1, sla=[SlaTarget("P2", 3, "h", 0.9)])
    workflow.start_state = StartState([BacklogEntry(stage="review", count=10)])  # age 0
    result = run_replication(compile_run(workflow, None, settings(5)), 0)
    assert math.isnan(backlog(result, "review", "cleared_h"))
    assert math.isnan(backlog(result, "all", "reviewed_h"))
    # starts at 0, 1, 2, 3, 4 h (the run stops before its 5 h events): 5 left waiting
    assert backlog(result, "review", "left_end_count") == 5
    # met: the items done at 1, 2, 3 h; missed: the one done at 4 and at 5 h and the 5 still waiting at 5 h (> 3 h)
    assert backlog(result, "review:P2", "sla_items_count") == 10
    assert backlog(result, "review:P2", "sla_attainment_share") == 0.3


def test_expired_backlog_items_leave_the_queue_without_holding_it_open() -> None:
    workflow = single_stage(NEVER, Distribution.fixed(2, "h"), 1, expiry=Distribution.fixed(1, "h"),
                            sla=[SlaTarget("P2", 4, "h", 0.9)])
    workflow.start_state = StartState([BacklogEntry(stage="review", count=3)])
    result = run_replication(compile_run(workflow, None, settings(5)), 0)
    assert backlog(result, "review", "expired_count") == 2
    assert backlog(result, "review", "left_end_count") == 0
    assert backlog(result, "review", "cleared_h") == 0.0
    assert backlog(result, "review", "reviewed_h") == 2.0
    assert backlog(result, "review:P2", "sla_attainment_share") == pytest.approx(1 / 3, abs=1e-12)


def test_ages_drawn_from_a_range_come_from_the_stages_start_stream() -> None:
    workflow = single_stage(NEVER, Distribution.fixed(1, "min"), 50)
    workflow.start_state = StartState([BacklogEntry(stage="review", count=40, age_min_h=2.0, age_max_h=4.0)])
    spec = compile_run(workflow, None, settings(2))
    created = [c for kind, _, _, _, c in traced_run(spec)[0] if kind == "arrive"]
    assert len(created) == 40 and all(-4 * HOUR <= c <= -2 * HOUR for c in created)
    assert created == sorted(created)  # oldest first
    assert created == [c for kind, _, _, _, c in traced_run(spec)[0] if kind == "arrive"]  # same replication
    other = [c for kind, _, _, _, c in traced_run(spec, 1)[0] if kind == "arrive"]
    assert other != created


def test_with_a_warm_up_the_backlog_is_left_out_of_the_statistics_but_reported() -> None:
    workflow = ten_waiting()
    result = run_replication(compile_run(workflow, None, settings(5, warmup=1)), 0)
    assert result.metric("stage", "review", "arrivals_count") == 0
    assert result.metric("outcome", "done", "count") == 0
    assert backlog(result, "review", "cleared_h") == 2.0
    assert backlog(result, "review:P2", "sla_attainment_share") == 0.2


def test_a_team_takes_the_backlog_of_its_first_stage_first() -> None:
    """Entries name the second stage first; the team's stage order (first, then second) decides."""
    workflow = single_stage(NEVER, Distribution.fixed(1, "h"), 1)
    second = workflow.add_node(ReviewStage(name="Second", id="second", handle_time=Distribution.fixed(1, "h")))
    workflow.add_edge(Edge("reports", "second", id="e-second", probability=0.0))
    workflow.set_field("e-in", "probability", 1.0)
    workflow.add_edge(Edge("second", "done", id="e-second-out", probability=1.0))
    team: Team = workflow.teams["team"]
    team.stages = ["second", "review"]
    workflow.start_state = StartState([BacklogEntry(stage="review", count=1, ages_h=[9.0]),
                                       BacklogEntry(stage="second", count=1, ages_h=[1.0])])
    trace, _ = traced_run(compile_run(workflow, None, settings(3)))
    assert [(place, time) for kind, time, _, place, _ in trace if kind == "start"] == [
        (second.name, 0.0), ("Review", HOUR)]


def test_a_backlog_class_no_source_produces_is_reviewed() -> None:
    workflow = single_stage(NEVER, Distribution.fixed(1, "h"), 1, mix=[MixEntry(category="spam")])
    workflow.start_state = StartState([BacklogEntry(stage="review", count=2, category="fraud")])
    result = run_replication(compile_run(workflow, None, settings(3)), 0)
    assert backlog(result, "review", "reviewed_h") == 2.0


#: sha256 (first 16 hex digits) of replication 0 of each example (48 h, no warm-up, seed 11): every metric and
#: series record, the item totals and the events count, taken on the commit before start states existed. A model
#: without one must give exactly these (equal floats, same events).
BEFORE_START_STATE = {
    "user_report_triage": "c2c3ff0453e8a0de",
    "follow_the_sun_multilingual": "65e19e49cf5e77d6",
    "classifier_rollout_appeals": "1e63e4d6e44b880e",
    "hate_speech_policy_change": "75930ce5e7d1e5c5",
}


@pytest.mark.parametrize("name", sorted(BEFORE_START_STATE))
def test_a_model_without_a_start_state_gives_the_results_it_gave_before(name: str) -> None:
    workflow = read_workflow_json(f"examples/{name}.flow.json")
    assert workflow.start_state is None
    run_settings = RunSettings(horizon_hours=48, warmup_hours=0, replications=1, seed=11, interval_minutes=60)
    spec = compile_run(workflow, None, run_settings)
    assert spec.start_state is None
    result = run_replication(spec, 0)
    records = (result.metrics, result.series, result.items_created, result.items_completed, result.items_expired,
               result.events)
    assert hashlib.sha256(pickle.dumps(records)).hexdigest()[:16] == BEFORE_START_STATE[name]
