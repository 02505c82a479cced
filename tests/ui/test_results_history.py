"""Run history in a workspace: runs are stored, listed again after reopening and viewable; comparison deltas
are the difference of the stored metrics; a run is marked stale once the workflow changes."""

from __future__ import annotations

import math
from statistics import mean

import pytest
from editor_helpers import make_window
from run_helpers import RUN_TIMEOUT_MS, add_faster_review, short_settings, start_run

from flowmodel.workspace import Workspace
from ui.commands import SetFieldCommand
from ui.results.tables import DELTA_COLUMNS, number


@pytest.fixture
def stored_run(window, qtbot, tmp_path):
    """The triage workflow with a 'Faster review' scenario, saved as a workspace, after one short run."""
    add_faster_review(window.document.workflow)
    target = tmp_path / "triage.flowdb"
    assert window.save_as(target)
    start_run(window, qtbot, short_settings())
    qtbot.waitUntil(lambda: window.results.entry is not None and not window.runs.running,
                    timeout=RUN_TIMEOUT_MS)  # a finished run, not the run so far
    return target


def test_runs_are_listed_and_viewable_after_reopening_the_workspace(stored_run, window, qtbot, tmp_path):
    assert window.run_history.entries[0].stored
    window.close()
    reopened = make_window(qtbot, tmp_path / "second")
    assert reopened.open_path(stored_run)
    assert reopened.results.history_list.count() == 1
    assert "Baseline, Faster review" in reopened.results.history_list.item(0).text()
    assert "stale" not in reopened.results.history_list.item(0).text()
    reopened.results.history_list.setCurrentRow(0)
    assert reopened.results.run is not None
    assert reopened.results.metrics.widget.rowCount() > 0
    assert reopened.results.charts.figure_.axes[0].lines


def test_comparison_deltas_equal_the_difference_of_the_stored_metrics(stored_run, window):
    entry = window.run_history.entries[0]
    with Workspace.open(stored_run) as workspace:
        rows = workspace.run_metrics(entry.id)
    scenario_id = entry.scenarios[1]["id"]

    def stored_mean(scenario: str) -> float:
        return mean(r["value"] for r in rows if r["scenario_id"] == scenario and r["scope_kind"] == "system"
                    and r["metric"] == "time_to_decision_mean_s")

    expected = stored_mean(scenario_id) - stored_mean("baseline")
    window.results.tabs.setCurrentWidget(window.results.comparison)
    table = window.results.comparison.table
    row = next(i for i, d in enumerate(table.deltas) if d.scope_kind == "system"
               and d.metric == "time_to_decision_mean_s")
    assert math.isclose(table.deltas[row].delta_mean, expected, rel_tol=1e-12, abs_tol=1e-9)
    assert expected < 0  # a faster review decides sooner
    shown = table.widget.item(row, DELTA_COLUMNS.index("Δ")).text()
    assert shown == ("−" if expected < 0 else "+") + number(abs(expected) / 60) + " min"
    assert table.widget.item(row, DELTA_COLUMNS.index("Clear")).text() in ("✔ clear", "—")


def test_a_run_is_marked_stale_after_the_workflow_changes(stored_run, window, qtbot):
    run_id = window.run_history.entries[0].id
    assert window.results.stale_marks() == {run_id: False}
    workflow = window.document.workflow
    stage = workflow.node_by_name("Tier 1")
    window.undo_stack.push(SetFieldCommand(workflow, stage.id, "handle_time.mean", 6.0))
    qtbot.waitUntil(lambda: window.results.stale_marks() == {run_id: True}, timeout=3000)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.results.stale_marks() == {run_id: False}, timeout=3000)


def test_after_a_run_the_canvas_colours_stages_by_simulated_utilisation(stored_run, window):
    stage = window.document.workflow.node_by_name("Tier 1")
    assert window.overlay.figure(stage.id).text.startswith("est. ")
    picker = window.results.overlay_picker
    picker.setCurrentIndex(picker.findData("utilisation"))
    figure = window.overlay.figure(stage.id)
    assert figure.text.startswith("sim ") and "busy" in figure.text
    picker.setCurrentIndex(picker.findData(""))
    assert window.overlay.figure(stage.id).text.startswith("est. ")



def test_results_dock_is_hidden_until_there_are_runs(window, qtbot, tmp_path):
    """No empty results pane before a first run; a finished run shows it; reopening with runs shows it."""
    assert not window.results_dock.isVisible()
    add_faster_review(window.document.workflow)
    target = tmp_path / "dock.flowdb"
    assert window.save_as(target)
    assert not window.results_dock.isVisible()
    start_run(window, qtbot, short_settings())
    qtbot.waitUntil(lambda: window.results.entry is not None and not window.runs.running,
                    timeout=RUN_TIMEOUT_MS)  # a finished run, not the run so far
    assert window.results_dock.isVisible()
    window.close()
    reopened = make_window(qtbot, tmp_path / "again")
    assert reopened.open_path(target)
    assert reopened.results_dock.isVisible()
