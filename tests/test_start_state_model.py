"""Today's backlog in the model: validation messages, JSON and workspace round trips, and the fluid estimate."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import numpy as np
import pytest
from engine_models import settings, single_stage

from flowmodel import Distribution, MixEntry, SlaTarget
from flowmodel.jsonfile import read_workflow_json
from flowmodel.serialization import workflow_from_dict, workflow_to_dict
from flowmodel.start_state import BacklogEntry, StartState
from flowmodel.validation import validate
from flowmodel.workspace import Workspace
from simulations.analytic.start_state_estimate import backlog_estimates, first_reaching
from simulations.engine import run_replication
from simulations.spec import compile_run

EXAMPLE = Path("examples/user_report_triage.flow.json")


def _issues(state: StartState, warmup: float = 0.0) -> list:
    workflow = single_stage(10, Distribution.fixed(5, "min"), 2, mix=[MixEntry(category="spam", priority="P1")])
    workflow.run_settings.warmup_hours = warmup
    workflow.start_state = state
    return [issue for issue in validate(workflow) if issue.rule.startswith("start-")]


def test_a_good_backlog_has_no_issue() -> None:
    assert _issues(StartState([BacklogEntry("review", 3, "spam", priority="P1", age_min_h=1, age_max_h=2)])) == []


@pytest.mark.parametrize(("entry", "rule", "words"), [
    (BacklogEntry("nowhere", 3, "spam", priority="P1"), "start-stage-unknown", "row 1: the stage 'nowhere'"),
    (BacklogEntry("done", 3, "spam", priority="P1"), "start-stage-not-review", "“Done” is an outcome, not a review"),
    (BacklogEntry("review", -2, "spam", priority="P1"), "start-count-invalid", "(“Review”): the count -2"),
    (BacklogEntry("review", 2.5, "spam", priority="P1"), "start-count-invalid", "the count 2.5 is not a whole"),
    (BacklogEntry("review", 2, "spam", priority="P1", ages_h=[1.0, -1.0]), "start-ages-invalid", "age 2 (-1.0)"),
    (BacklogEntry("review", 3, "spam", priority="P1", ages_h=[1.0]), "start-ages-invalid", "1 ages are given for 3"),
    (BacklogEntry("review", 3, "spam", priority="P1", age_min_h=5, age_max_h=2), "start-ages-invalid",
     "the youngest age (5 h) is above the oldest (2 h)"),
    (BacklogEntry("review", 3, "spam", priority="P1", age_min_h=-1, age_max_h=2), "start-ages-invalid",
     "the age min -1 h"),
    (BacklogEntry("review", 3, "fraud", priority="P1"), "start-class-unknown", "no source produces items of category"),
    (BacklogEntry("review", 3, "spam", priority="P9"), "start-class-unknown", "of priority 'P9'"),
])
def test_each_bad_row_is_named_with_its_field(entry: BacklogEntry, rule: str, words: str) -> None:
    found = _issues(StartState([entry]))
    assert [issue.rule for issue in found] == [rule]
    assert words in found[0].message
    assert "Today's backlog, row 1" in found[0].message
    assert found[0].hint


def test_a_warm_up_is_a_warning_that_says_what_to_do() -> None:
    (issue,) = _issues(StartState([BacklogEntry("review", 3, "spam", priority="P1")]), warmup=2)
    assert (issue.severity, issue.rule) == ("warning", "start-warmup")
    assert "set the warm-up to 0" in issue.hint


def test_an_error_blocks_the_run() -> None:
    workflow = single_stage(10, Distribution.fixed(5, "min"), 2)
    workflow.start_state = StartState([BacklogEntry("review", -1)])
    with pytest.raises(Exception, match="the count -1"):
        compile_run(workflow, None, settings(2))


def _with_backlog() -> tuple:
    workflow = read_workflow_json(EXAMPLE)
    stage = next(n for n in workflow.nodes.values() if n.kind == "review_stage")
    workflow.start_state = StartState([BacklogEntry(stage.id, 2, "spam", "en", "P1", ages_h=[0.25, 3.5]),
                                       BacklogEntry(stage.id, 40, age_min_h=1, age_max_h=12)], note="queues.csv")
    return workflow, stage


def test_json_round_trip_keeps_the_start_state_and_files_without_one_keep_their_bytes() -> None:
    workflow, _ = _with_backlog()
    data = json.loads(json.dumps(workflow_to_dict(workflow)))
    again = workflow_from_dict(data)
    assert again.start_state == workflow.start_state
    assert workflow_to_dict(again) == data
    assert "ages_h" not in data["start_state"]["entries"][1]  # a range leaves out its empty list
    original = EXAMPLE.read_text(encoding="utf-8")
    plain = read_workflow_json(EXAMPLE)
    assert plain.start_state is None
    assert "start_state" not in workflow_to_dict(plain)
    assert json.loads(original) == workflow_to_dict(plain)


def test_a_bad_start_state_in_a_file_is_located() -> None:
    workflow, _ = _with_backlog()
    data = workflow_to_dict(workflow)
    data["start_state"]["entries"][1]["count"] = "many"
    with pytest.raises(Exception, match="expected a whole number") as caught:
        workflow_from_dict(data)
    assert "start_state.entries[1].count" in caught.value.where
    del data["start_state"]["entries"][1]["count"]
    with pytest.raises(Exception, match="missing field"):
        workflow_from_dict(data)


def test_a_workspace_round_trips_the_start_state(tmp_path: Path) -> None:
    workflow, _ = _with_backlog()
    with Workspace.create(tmp_path / "plan.flowdb") as workspace:
        workspace.save_workflow(workflow)
    with Workspace.open(tmp_path / "plan.flowdb") as workspace:
        loaded = workspace.load_workflow(workflow.id)
    assert loaded.start_state == workflow.start_state


def test_set_start_state_returns_what_an_undo_needs() -> None:
    workflow, _ = _with_backlog()
    state = workflow.start_state
    seen: list[int] = []
    workflow.events.changed.subscribe(lambda: seen.append(1))
    assert workflow.set_start_state(None) == state
    assert workflow.start_state is None and seen == [1]
    assert workflow.set_start_state(state) is None
    assert workflow.start_state == state and workflow.start_state is not state


def test_first_reaching_interpolates_within_the_hour() -> None:
    rates = np.zeros(168)
    rates[2:5] = 4.0  # nobody for 2 h, then 4 reviewer-hours an hour
    assert first_reaching(rates, 10.0) == 4.5
    assert first_reaching(rates, 0.0) == 0.0
    assert np.isnan(first_reaching(np.zeros(168), 1.0))


def test_the_estimate_agrees_with_simulation_on_a_heavily_loaded_stage() -> None:
    """3 reviewers, 10 min exponential reviews, 15 arrivals an hour (83 % busy), 600 items waiting, FIFO: the
    backlog is 100 reviewer-hours ahead of every arrival, so 33.3 h. Simulated (mean of 3 replications; sd of one
    ≈ 1.4 h) within 6 %."""
    workflow = single_stage(15, Distribution.exponential(10, "min"), 3, sla=[SlaTarget("P2", 24, "h", 0.9)])
    workflow.start_state = StartState([BacklogEntry("review", 600, age_min_h=0, age_max_h=24)])
    (estimate,) = backlog_estimates(workflow)
    assert estimate.backlog_first and estimate.work_h == pytest.approx(100.0)
    assert estimate.reviewed_h == pytest.approx(100.0 / 3)
    spec = compile_run(workflow, None, settings(60))
    simulated = statistics.mean(run_replication(spec, r).metric("start_backlog", "review", "reviewed_h")
                                for r in range(3))
    assert simulated == pytest.approx(estimate.reviewed_h, rel=0.06)


def test_under_priority_arrivals_go_first_and_only_the_spare_works_the_backlog() -> None:
    """Arrivals P1 (first), backlog P2: 6 an hour × 10 min = 1 of 3 reviewers, 2 spare; 200 items = 33.3 h of
    work → 16.7 h. Simulated (mean of 3) within 8 %: Poisson arrivals take more than their mean now and then."""
    workflow = single_stage(6, Distribution.exponential(10, "min"), 3, discipline="priority",
                            mix=[MixEntry(priority="P1")])
    workflow.nodes["review"].priority_order = ["P1", "P2"]
    workflow.start_state = StartState([BacklogEntry("review", 200, priority="P2")])
    (estimate,) = backlog_estimates(workflow)
    assert not estimate.backlog_first
    assert estimate.reviewed_h == pytest.approx(200 / 6 / 2)
    spec = compile_run(workflow, None, settings(40))
    simulated = statistics.mean(run_replication(spec, r).metric("start_backlog", "review", "reviewed_h")
                                for r in range(3))
    assert simulated == pytest.approx(estimate.reviewed_h, rel=0.08)
