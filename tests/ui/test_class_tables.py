"""The results view's "By priority & category" tab: after a run, one row per priority and per category at each
stage with its waits and times to decision; hidden for a run stored before these records existed."""

from __future__ import annotations

import dataclasses

import pytest
from results_helpers import results_view
from run_helpers import short_settings

from flowmodel import Distribution, Edge, MixEntry, Outcome, ReviewStage, Shift, Source, Team, Workflow
from reports.class_waits import CATEGORY, PRIORITY
from simulations.executors import SerialExecutor
from simulations.runner import BASELINE_ID, run_scenarios

MIX = [MixEntry(category="spam", priority="P1", share=0.6), MixEntry(category="hate", priority="P0", share=0.4)]


def single_priority_stage() -> Workflow:
    """Reports (P0 hate, P1 spam) → "Review" (priority order, two reviewers round the clock, 83 % busy) → Done."""
    workflow = Workflow(name="Priorities", id="priorities")
    source = workflow.add_node(Source(name="Reports", id="reports", rate_per_hour=100, mix=MIX))
    stage = workflow.add_node(ReviewStage(name="Review", id="review", discipline="priority",
                                          handle_time=Distribution.exponential(1, "min")))
    done = workflow.add_node(Outcome(name="Done", id="done", label="done"))
    workflow.add_edge(Edge(source.id, stage.id, probability=1.0))
    workflow.add_edge(Edge(stage.id, done.id, probability=1.0))
    workflow.add_team(Team(name="Team", id="team", shrinkage=0.0, stages=[stage.id],
                           shifts=[Shift(name="all day", start_hour=0, hours=24, headcount=[2] * 7)]))
    return workflow


@pytest.fixture
def prioritised():
    workflow = single_priority_stage()
    run = run_scenarios(workflow, [BASELINE_ID], short_settings(replications=3, horizon_hours=24),
                        executor=SerialExecutor())
    return workflow, run


def test_the_tab_shows_each_priority_and_category_of_the_stage(qtbot, prioritised):
    workflow, run = prioritised
    view = results_view(qtbot, workflow, run)
    tab = view.class_waits
    assert view.tabs.isTabVisible(view.tabs.indexOf(tab))
    view.tabs.setCurrentWidget(tab)
    rows = tab.texts()
    assert [(row["By"], row["Priority / category"]) for row in rows] == [
        ("priority", "P0"), ("priority", "P1"), ("category", "spam"), ("category", "hate")]
    assert rows[0]["Stage"] == "Review" and rows[1]["Stage"] == ""  # the stage named once, at its first row
    p0, p1 = rows[0], rows[1]
    arrivals = run.summaries
    expected = next(s for s in arrivals if s.scope_kind == PRIORITY and s.scope_id == "review:P0"
                    and s.metric == "arrivals_count")
    assert p0["Arrivals"] == f"{expected.mean:,.0f}"  # counts and percentiles: the mean, the CI in the tooltip
    assert " ± " in p0["Wait, mean"] and " ± " not in p0["Wait, p90"]
    for head in ("Wait, mean", "Wait, p90", "Time to decision, mean", "Time to decision, p99"):
        assert p0[head].endswith((" s", " min", " h", " d")), (head, p0[head])
    # P0 goes first at a priority stage: it waits less than P1
    wait = {s.scope_id: s.mean for s in arrivals if s.scope_kind == PRIORITY and s.metric == "wait_mean_s"}
    assert wait["review:P0"] < wait["review:P1"]
    assert p1["Wait, mean"] != p0["Wait, mean"]
    tip = tab.table.item(0, 5).toolTip()
    assert tip.startswith("Review · P0 · Wait, mean: 95 % CI ") and tip.endswith("n = 3")


def test_the_tab_is_hidden_for_a_run_without_these_records(qtbot, prioritised):
    workflow, run = prioritised
    older = dataclasses.replace(run, summaries=[s for s in run.summaries
                                                if s.scope_kind not in (PRIORITY, CATEGORY)])
    view = results_view(qtbot, workflow, older)
    assert not view.tabs.isTabVisible(view.tabs.indexOf(view.class_waits))
    assert view.class_waits.texts() == []
