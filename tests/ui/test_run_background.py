"""Background runs through real spawn worker processes: results appear, Cancel stops the workers, the
window stays responsive, and runs of a JSON document are written by a Save As .flowdb."""

from __future__ import annotations

from run_helpers import RUN_TIMEOUT_MS, add_faster_review, child_processes, short_settings, start_run

from flowmodel.workspace import Workspace


def test_a_run_shows_results_in_the_table_and_charts_and_leaves_no_worker(window, qtbot, tmp_path):
    scenario = add_faster_review(window.document.workflow)
    progress = []
    window.runs.progressed.connect(progress.append)
    start_run(window, qtbot, short_settings())
    assert not window.run_panel.run_button.isEnabled() and window.run_panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: window.results.entry is not None and window.results.metrics.widget.rowCount() > 0,
                    timeout=RUN_TIMEOUT_MS)  # the finished run (the run so far may show first)
    assert not window.runs.running and window.run_panel.run_button.isEnabled()
    assert progress and progress[-1].replications_total == 6
    assert window.run_panel.status.text().startswith("Run finished: 6 replications, kept until you save")
    run = window.results.run
    assert [s["name"] for s in run.scenarios] == ["Baseline", "Faster review"]
    names = {window.results.metrics.widget.item(r, 1).text() for r in range(window.results.metrics.widget.rowCount())}
    assert {"utilisation (%)", "backlog end"} <= names
    units = {name.rpartition(" (")[0]: name.rpartition("(")[2].rstrip(")") for name in names if "(" in name}
    assert units["time to decision mean"] in ("s", "min", "h") and units["wait mean"] in ("s", "min", "h")
    assert units["run length"] == "d"  # 48 h: a duration reads in the unit its size calls for
    assert "items waiting at the end" in names and not any(n.startswith("in queue") for n in names)
    axes = window.results.charts.figure_.axes
    assert [a.get_title(loc="left") for a in axes][:2] == ["Backlog over time (p5–p95 band)",
                                                          "Time to decision (95 % CI)"]
    assert axes[0].lines and axes[3].lines
    assert window.results.comparison.table.widget.rowCount() == 0  # built when first shown
    window.results.tabs.setCurrentWidget(window.results.comparison)
    assert window.results.comparison.table.widget.rowCount() > 0
    assert child_processes() == []
    # not a workspace: kept in memory, then written by Save As .flowdb
    target = tmp_path / "triage.flowdb"
    assert window.save_as(target)
    with Workspace.open(target) as workspace:
        rows = workspace.list_runs(window.document.workflow.id)
    assert len(rows) == 1 and [s["id"] for s in rows[0]["scenarios"]] == ["baseline", scenario.id]


def test_cancel_stops_the_workers_and_returns_to_idle(window, qtbot):
    start_run(window, qtbot, short_settings(replications=4, horizon_hours=24 * 2000))
    qtbot.waitUntil(lambda: "simulated hours" in window.run_panel.status.text(), timeout=RUN_TIMEOUT_MS)
    assert child_processes()
    window.run_panel.cancel_button.click()
    qtbot.waitUntil(lambda: not window.runs.running, timeout=RUN_TIMEOUT_MS)
    assert window.run_panel.status.text() == "Run cancelled; no results kept."
    assert window.run_panel.run_button.isEnabled() and not window.run_panel.cancel_button.isEnabled()
    assert window.run_history.entries == []
    qtbot.waitUntil(lambda: child_processes() == [], timeout=10_000)


def test_a_model_that_cannot_run_is_reported_in_the_panel(window, qtbot):
    workflow = window.document.workflow
    team = next(iter(workflow.teams.values()))
    workflow.remove_team(team.id)
    start_run(window, qtbot, short_settings(replications=1))
    qtbot.waitUntil(lambda: not window.runs.running, timeout=RUN_TIMEOUT_MS)
    assert window.run_panel.status.text().startswith("The run failed.")
    assert "Traceback" not in window.run_panel.status.text()
