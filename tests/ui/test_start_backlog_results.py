"""The results view of a run started from today's backlog says when it is cleared (the panel above the tabs).

The model (as in tests/test_start_backlog_reports.py): one stage, fixed 30-minute reviews, no arrivals to speak
of, 10 items waiting; with 2 reviewers pairs start every 30 min, so the backlog is cleared (the last item begins
review) at (⌈10/2⌉ − 1) × 0.5 = 2 h and its last review is done at 2.5 h; with 1 reviewer at 4.5 h and 5 h. Over
1.25 h it is never cleared: 4 items still wait.
"""

from __future__ import annotations

from results_helpers import results_view

from flowmodel import Change, Distribution, RunSettings, Scenario, SlaTarget
from flowmodel.start_state import BacklogEntry, StartState
from flowmodel.workflow import Workflow
from simulations.executors import SerialExecutor
from simulations.runner import RunResult, run_scenarios
from tests.engine_models import single_stage


def waiting(*, start_state: bool = True) -> Workflow:
    workflow = single_stage(1e-9, Distribution.fixed(30, "min"), 2, sla=[SlaTarget("P2", 1, "h", 0.9)])
    if start_state:
        workflow.start_state = StartState([BacklogEntry(stage="review", count=10, ages_h=[0.5] * 10)])
    workflow.put_scenario(Scenario(name="One reviewer", id="one", changes=[
        Change("team", "shifts.all day.headcount", "set", [1] * 7)]))
    return workflow


def run(workflow: Workflow, hours: float, scenarios: list[str | None]) -> RunResult:
    settings = RunSettings(horizon_hours=hours, warmup_hours=0.0, replications=3, seed=1)
    return run_scenarios(workflow, scenarios, settings, executor=SerialExecutor())


def cell(view, label: str, column: int) -> str:
    table = view.backlog.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == label)
    return table.item(row, column).text()


def test_the_panel_says_when_each_scenarios_backlog_is_cleared(qtbot) -> None:
    workflow = waiting()
    view = results_view(qtbot, workflow, run(workflow, 6.0, [None, "one"]))
    assert view.backlog.isVisible()
    assert view.backlog.sentences.text().splitlines() == [
        "Baseline: Today's backlog of 10 items is cleared 2 h after the start; 80 % of its P2 items miss their SLA.",
        "One reviewer: Today's backlog of 10 items is cleared 4.50 h after the start; 90 % of its P2 items miss "
        "their SLA."]
    table = view.backlog.table
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == [
        "Key figure", "Baseline", "One reviewer"]
    assert cell(view, "Backlog cleared after start: all stages (h)", 1) == "2 ± 0 h"
    assert cell(view, "Backlog cleared after start: all stages (h)", 2) == "4.50 ± 0 h"
    assert cell(view, "Last backlog review done after start: all stages (h)", 2) == "5 ± 0 h"
    assert cell(view, "Backlog SLA met: Review · P2 (%)", 1) == "20 ± 0 %"
    view.tabs.setCurrentWidget(view.comparison)  # still in view on the Compare tab
    assert view.backlog.isVisible()


def test_a_backlog_never_cleared_reads_as_words(qtbot) -> None:
    workflow = waiting()
    view = results_view(qtbot, workflow, run(workflow, 1.25, [None]))
    assert view.backlog.sentences.text() == (
        "Today's backlog of 10 items is not cleared by the end of the run in any of the 3 replications (4 items "
        "still waiting at the end, on average); 80 % of its P2 items miss their SLA.")
    assert cell(view, "Backlog cleared after start: all stages (h)", 1) == \
        "not cleared by the end in 3 of 3 replications"
    assert cell(view, "Backlog left at end: all stages", 1) == "4 ± 0"


def test_a_run_without_a_start_state_has_no_panel(qtbot) -> None:
    workflow = waiting(start_state=False)
    view = results_view(qtbot, workflow, run(workflow, 2.0, [None]))
    assert not view.backlog.isVisible() and not view.backlog.has_results
    assert view.backlog.text() == ""
