"""Item traces: exact steps on a hand-computed case, identical figures with and without tracing, the sample
spread over the run, the event log's rows and timestamps, and the ``simulate --trace`` command.

The hand case: Reports → Screening delay (fixed 5 min) → Review (one reviewer, fixed 10 min) → Done; items
arrive at 0, 1 and 2 min. Item 1 reaches Review at 5, is reviewed 5–15; item 2 arrives at Review at 6, waits
6–15, is reviewed 15–25; item 3 waits 7–25, is reviewed 25–35."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime

import pytest
from engine_models import round_the_clock, settings

from cli.app import main
from flowmodel import Delay, Distribution, Edge, Outcome, ReviewStage, RunSettings, Source, Team, Workflow
from flowmodel.jsonfile import write_workflow_json
from reports.event_log import COLUMNS, event_log_text
from simulations.collect import collect
from simulations.engine import Replication
from simulations.executors import SerialExecutor
from simulations.item_trace import ItemTrace, attach_tracer, run_traces, trace_summary, waited_s
from simulations.runner import run_scenarios
from simulations.spec import ItemClass, compile_run

MINUTE = 60.0


def screened_review(rate: float = 1e-9) -> Workflow:
    w = Workflow(name="Traced", id="traced")
    source = w.add_node(Source(name="Reports", id="reports", rate_per_hour=rate))
    delay = w.add_node(Delay(name="Screening", id="screening", duration=Distribution.fixed(5, "min")))
    review = w.add_node(ReviewStage(name="Review", id="review", handle_time=Distribution.fixed(10, "min")))
    done = w.add_node(Outcome(name="Done", id="done"))
    for i, (a, b) in enumerate([(source, delay), (delay, review), (review, done)]):
        w.add_edge(Edge(a.id, b.id, id=f"e{i}", probability=1.0))
    w.add_team(Team(name="Reviewers", id="reviewers", shrinkage=0.0, stages=[review.id], shifts=round_the_clock(1)))
    return w


def _steps(trace: ItemTrace) -> list[tuple[str, str, float, float, str]]:
    return [(s.place, s.state, s.start_s / MINUTE, s.end_s / MINUTE, s.team) for s in trace.steps]


def test_every_step_of_three_items_is_exact() -> None:
    spec = dataclasses.replace(compile_run(screened_review(), None, settings(2.0)), trace_items=10)
    run = Replication(spec, 0)
    tracer = attach_tracer(run)
    assert tracer is not None
    for at in (0.0, 1.0, 2.0):
        run.scripted_arrival(at * MINUTE, "reports", spec.item_classes.index(ItemClass("general", "en", "P2")))
    end = run.run(None, None)
    first, second, third = tracer.traces(end)
    assert _steps(first) == [("Screening", "passed", 0, 5, ""), ("Review", "waiting", 5, 5, ""),
                             ("Review", "reviewed", 5, 15, "Reviewers"), ("Done", "outcome", 15, 15, "")]
    assert _steps(second)[1:3] == [("Review", "waiting", 6, 15, ""), ("Review", "reviewed", 15, 25, "Reviewers")]
    assert _steps(third)[1:3] == [("Review", "waiting", 7, 25, ""), ("Review", "reviewed", 25, 35, "Reviewers")]
    assert (third.outcome, third.time_in_system_s / MINUTE, third.priority) == ("Done", 33, "P2")  # created at 2 min
    assert collect(run, end).items_completed == 3


def test_an_item_still_waiting_at_the_end_has_an_open_step() -> None:
    spec = dataclasses.replace(compile_run(screened_review(), None, settings(20 / 60)), trace_items=10)
    run = Replication(spec, 0)
    tracer = attach_tracer(run)
    for at in (0.0, 1.0, 2.0):
        run.scripted_arrival(at * MINUTE, "reports", 0)
    end = run.run(None, None)
    _, second, third = tracer.traces(end)
    # a wait still going on at the end counts as waiting: 7 min (after screening) to the end at 20
    assert _steps(third)[-1] == ("Review", "waiting", 7, 20, "") and third.steps[-1].unfinished
    assert waited_s(third) == 13 * MINUTE
    assert _steps(second)[-1] == ("Review", "reviewed", 15, 20, "Reviewers")  # in review when the run ended
    assert second.steps[-1].unfinished and second.in_workflow_at_end and second.outcome == ""
    assert waited_s(second) == 9 * MINUTE  # at Review from 6 min (after screening) to 15


def test_tracing_changes_no_figure_and_only_replication_zero_is_traced() -> None:
    workflow = screened_review(rate=4.0)
    run_settings = RunSettings(horizon_hours=48.0, warmup_hours=2.0, replications=2, seed=7)
    traced = run_scenarios(workflow, [None], run_settings, executor=SerialExecutor(), trace_items=30)
    plain = run_scenarios(workflow, [None], run_settings, executor=SerialExecutor())
    for a, b in zip(traced.replications, plain.replications, strict=True):
        assert a.metrics == b.metrics and a.series == b.series and b.traces == []
    first, second = traced.replications
    assert 25 <= len(first.traces) <= 30 and second.traces == []
    created = [t.created_s / 3600.0 for t in first.traces]
    assert min(created) >= 2.0 and max(created) > 40.0  # after the warm-up, spread over the whole run
    assert [t.item for t in first.traces] == sorted(t.item for t in first.traces)


def test_the_event_log_has_a_row_per_step_with_calendar_timestamps() -> None:
    workflow = screened_review(rate=4.0)
    run = run_scenarios(workflow, [None], RunSettings(horizon_hours=24.0, warmup_hours=1.0, replications=1, seed=3),
                        executor=SerialExecutor(), trace_items=5)
    [(scenario, traces)] = run_traces(run)
    rows = list(csv.DictReader(io.StringIO(event_log_text(run_traces(run), datetime(2026, 1, 5, tzinfo=UTC)))))
    assert tuple(rows[0]) == COLUMNS and scenario == "Baseline"
    assert len(rows) == sum(len(t.steps) for t in traces)
    first = traces[0]
    mine = [r for r in rows if r["case_id"] == f"Baseline/{first.item}"]
    assert [r["activity"] for r in mine] == ["Screening", "Wait for Review", "Review", "Done"]
    review = mine[2]
    assert review["resource"] == "Reviewers" and float(review["duration_min"]) == pytest.approx(10.0)
    start = datetime.fromisoformat(mine[0]["start_timestamp"].replace("Z", "+00:00"))
    assert start == datetime(2026, 1, 5, tzinfo=UTC).replace(microsecond=0) + (
        datetime.fromtimestamp(round(first.created_s), UTC) - datetime.fromtimestamp(0, UTC))
    assert "Traced 5 items of Baseline" in trace_summary(run)


def test_simulate_traces_and_writes_the_event_log(tmp_path, capsys) -> None:
    model = tmp_path / "traced.flow.json"
    write_workflow_json(screened_review(rate=4.0), model)
    log = tmp_path / "events.csv"
    assert main(["simulate", str(model), "--horizon", "24h", "--warmup", "1h", "--replications", "2", "--jobs", "1",
                 "--trace", "12", "--trace-out", str(log)]) == 0
    printed = capsys.readouterr().out
    assert "Traced 12 items of Baseline" in printed and f"Wrote the event log of the traced items to {log}" in printed
    rows = list(csv.DictReader(log.read_text(encoding="utf-8-sig").splitlines()))
    assert len({r["case_id"] for r in rows}) == 12


@pytest.mark.parametrize(("options", "message"), [
    (["--trace", "0"], "--trace must be from 1 to 10,000 items"),
    (["--trace-out", "events.json"], "--trace-out must end in .csv"),
])
def test_bad_trace_options_are_refused_before_the_run(tmp_path, capsys, options, message) -> None:
    model = tmp_path / "traced.flow.json"
    write_workflow_json(screened_review(rate=4.0), model)
    assert main(["simulate", str(model), "--horizon", "24h", *options]) == 2
    assert message in capsys.readouterr().err
