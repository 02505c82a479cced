"""Helpers of the results-view tests: a finished three-scenario run of the triage workflow (in-process, no
worker processes) and a results view showing it without a main window."""

from __future__ import annotations

from run_helpers import short_settings

from flowmodel.scenarios import Change, Scenario
from flowmodel.workflow import Workflow
from simulations.executors import SerialExecutor
from simulations.runner import BASELINE_ID, RunResult, run_scenarios
from ui.results.view import ResultsView
from ui.run.history import RunHistory


def three_scenario_run(workflow: Workflow) -> RunResult:
    """Baseline, a faster and a much slower Tier 1 (the slow one builds a backlog over days)."""
    stage = workflow.node_by_name("Tier 1")
    faster = Scenario(name="Faster review", changes=[Change(stage.id, "handle_time.mean", "scale", 0.8)])
    slower = Scenario(name="Slower review", changes=[Change(stage.id, "handle_time.mean", "scale", 3.0)])
    workflow.put_scenario(faster)
    workflow.put_scenario(slower)
    return run_scenarios(workflow, [BASELINE_ID, faster.id, slower.id], short_settings(replications=3),
                         executor=SerialExecutor())


def results_view(qtbot, workflow: Workflow, run: RunResult) -> ResultsView:
    """A shown results view with ``run`` selected."""
    history = RunHistory()
    history.set_document(None, workflow)
    view = ResultsView(history)
    qtbot.addWidget(view)
    entry = history.add(run, "", workflow)
    view.refresh_history()
    view.show()
    view.select_entry(entry.id)
    return view
