"""Render the screens the documentation shows that need a run or a dialog: the scenario editor, a run in
progress (results and canvas taking shape) and an item trace, each to a PNG (run under Xvfb).

Usage: ``python -m ui.docs_screens [OUT_FOLDER] [--size 1600x1000]`` writes ``scenario_editor.png``,
``run_in_progress.png``, ``item_trace.png`` and ``launch_plan.png`` from the hate-speech example, driven as a
planner would: the Scenarios panel with a change selected in its editor; a run of the baseline and the policy
change grabbed once the first replications are in; the trace window on the policy change, its slowest item
chosen; the Launch plan tab of a launch plan built here (its timeline, backfill and training).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from flowmodel.launch import Backfill, Ramp, Scope, Training
from flowmodel.nodes import MixEntry
from flowmodel.scenarios import Change, Scenario
from flowmodel.workflow import Workflow
from ui.main_window import EXAMPLES_FOLDER, MainWindow
from ui.scenarios.commands import PutScenarioCommand
from ui.screenshot import WINDOW_SIZE, split_size

EXAMPLE = "hate_speech_policy_change.flow.json"
TRACE_SIZE = (1280, 760)


def _settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _until(app: QApplication, done, timeout_s: float = 300.0) -> None:
    end = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the screen to be ready")
        app.processEvents()
        time.sleep(0.05)


def _save(widget: QWidget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path}")


def example_launch_plan(workflow: Workflow) -> Scenario:
    """The policy change as it rolls out: launch on the first Thursday 09:00 UTC, volume ramping in over three
    days, handle times settling on a learning curve, more P1 escalations in the first week, a re-review backfill
    and a training of Tier 1 in the three days before."""
    source, tier1 = workflow.node_by_name("Hate speech reports"), workflow.node_by_name("Tier 1 review")
    team = next(iter(workflow.teams.values()))
    return Scenario(
        name="Hate-speech launch plan", launch="2026-01-08 09:00", recovery_days=3,
        changes=[Change(source.id, "rate_per_hour", "scale", 1.25, note="more content in scope", start="launch",
                        ramp=Ramp(1.0, "linear", 72.0)),
                 Change(tier1.id, "handle_time_by_category.hate_speech.mean", "add", 40.0, note="longer checklist",
                        start="launch", ramp=Ramp(120.0, "learning", 48.0)),
                 Change(tier1.id, "route.escalate", "set", 0.12, note="borderline cases while guidance settles",
                        start="launch", end="+7d", scope=Scope(priorities=["P1"]))],
        backfills=[Backfill("Re-review of flagged posts", target=tier1.id, items=3000,
                            mix=[MixEntry("hate_speech", "en", "P2", 1.0)], start="+1d", spread_hours=48.0)],
        trainings=[Training("New hate-speech guidelines", team=team.id, hours_per_person=4.0, start="-3d",
                            end="launch")])


def _launch_plan_screen(app: QApplication, window: MainWindow, folder: Path) -> None:
    """The Launch plan tab of :func:`example_launch_plan`, its volume change selected (results hidden, the canvas
    without the last run's overlay, so only the plan's estimate shows on it); undone after."""
    workflow = window.document.workflow
    plan = example_launch_plan(workflow)
    window.undo_stack.push(PutScenarioCommand(workflow, plan, f"New scenario '{plan.name}'"))
    window.scenarios.select_scenario(plan.id)
    for dock in window.docks():
        if dock.widget() is window.scenarios:
            dock.raise_()
    window.scenarios.tabs.setCurrentIndex(1)
    window.scenarios.launch_page.timeline.select("change", 0)
    window.scenarios.launch_page.estimate.refresh()  # now, not after its debounce
    results_shown = window.results_dock.isVisible()
    overlay = window.results.overlay_picker.currentIndex()
    window.results.overlay_picker.setCurrentIndex(max(window.results.overlay_picker.findData(""), 0))
    window.results_dock.hide()  # the canvas and the plan, not the last run's figures (nor its canvas overlay)
    _settle(app)
    window.resizeDocks([window.validation_dock], [window.height() // 6], Qt.Orientation.Vertical)
    _settle(app)
    window.view.zoom_to_fit()
    _settle(app)
    _save(window, folder / "launch_plan.png")
    window.results_dock.setVisible(results_shown)
    window.results.overlay_picker.setCurrentIndex(overlay)
    window.undo_stack.undo()


def render(folder: Path, size: tuple[int, int] = WINDOW_SIZE) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        window = MainWindow(QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat),
                            untitled_folder=Path(scratch))
        window.resize(*size)
        window.show()
        if not window.open_example(EXAMPLES_FOLDER / EXAMPLE):
            raise SystemExit(f"cannot open {EXAMPLE}: {window.last_error}")
        window.auto_layout()
        _settle(app)
        window.view.zoom_to_fit()
        workflow = window.document.workflow
        scenario = next(iter(workflow.scenarios.values()))
        # the scenario editor: the policy change chosen, its second change loaded into the editor
        window.scenarios.select_scenario(scenario.id)
        for dock in window.docks():
            if dock.widget() is window.scenarios:
                dock.raise_()
        _settle(app)
        if window.scenarios.changes.rowCount() > 1:
            window.scenarios.changes.selectRow(1)
        _settle(app)
        _save(window, folder / "scenario_editor.png")
        # a run in progress: the baseline and the policy change, grabbed once some replications are in
        window.run_panel.replications.setValue(8)
        window.run_panel.run_button.click()  # the baseline and the policy change are ticked
        _until(app, lambda: window.results.run is not None and window.results.entry is None
               and len(window.results.run.replications) >= 3)
        _settle(app, 1.5)
        for dock in window.docks():
            if dock.widget() is window.run_panel:
                dock.raise_()
        _settle(app)
        _save(window, folder / "run_in_progress.png")
        window.runs.cancel()
        window.runs.wait()
        _settle(app)
        # an item trace of the policy change, its slowest item chosen
        trace = window.traces.open_dialog()
        trace.resize(*TRACE_SIZE)
        trace.scenario.setCurrentIndex(trace.scenario.findData(scenario.id))
        trace.items.setValue(300)
        if not trace.start():
            raise SystemExit(trace.status.text())
        _until(app, lambda: trace.result is not None)
        _settle(app)
        _save(trace, folder / "item_trace.png")
        trace.close()
        _launch_plan_screen(app, window, folder)
        window.undo_stack.setClean()
        window.close()


if __name__ == "__main__":
    arguments, size = split_size(sys.argv[1:])
    render(Path(arguments[0]) if arguments else Path("docs"), size)
