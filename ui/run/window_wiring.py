"""How the main window's scenario, run and results parts talk to each other (kept out of the window class).

Rules:
- Scenario mode is signalled in two places: a banner on the canvas and one on the property panel, plus
  the "Scenario mode" toggle in its own toolbar; refused edits explain themselves in the status bar.
- When scenario mode changes (on/off, another scenario, the scenario's changes edited) the open forms
  reload, so they show the scenario's values; the canvas follows through its overlay.
- Run → Run simulation (F5) does what the run panel's Run button does, and is disabled while a run goes on; it brings
  the run panel forward so its progress is in view.
- The results dock is shown only when the document has runs; a finished run is added to the history, the
  results dock is shown and given a readable size (:meth:`MainWindow.show_results`) and the run is shown. While
  runs are listed but none is picked, the results heading says so rather than "No run yet". A failed run
  shows its message in the run panel, never a traceback. The run estimate's warnings show in the run panel
  while the run goes on; a run the backlog guard cut short says so there and in the status bar.
- Watching a run: as replications finish, the run so far (``RunController.partial``, at most once a second)
  is shown in the results view and on the canvas overlay (:meth:`ResultsView.show_live`), without raising
  the dock over what the planner is looking at; the finished run then replaces it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

from flowmodel.errors import FlowmodelError
from flowmodel.run_settings import RunSettings
from flowmodel.workflow import Workflow
from simulations.runner import BASELINE_ID, RunResult
from ui import shortcuts
from ui.scenarios.banner import ScenarioBanner

if TYPE_CHECKING:
    from ui.main_window import MainWindow

RUN_KEY = "F5"  # the conventional "run" key; nothing else in the window uses it


class WhatIfWiring(QObject):
    """Connects the scenarios panel, run panel, run controller, history, results view and canvas overlay."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.property_banner = ScenarioBanner(window.scenario_mode)
        window.properties.layout().insertWidget(0, window.property_banner)
        window.canvas_banner = ScenarioBanner(window.scenario_mode, window.view)
        window.canvas_banner.move(12, 10)
        toolbar = window.addToolBar("Scenario")
        toolbar.setObjectName("scenario_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(window.scenarios.mode_action)
        window.undo_stack.refused.connect(window.show_status)
        window.scenario_mode.changed.connect(self.scenario_view_changed)
        panel, runs = window.run_panel, window.runs
        panel.run_requested.connect(self.start_run)
        panel.cancel_requested.connect(runs.cancel)
        runs.running_changed.connect(panel.set_running)
        runs.progressed.connect(panel.show_progress)
        runs.estimated.connect(panel.show_estimate)
        runs.finished.connect(self.run_finished)
        runs.partial.connect(self.run_partial)
        runs.failed.connect(self.run_failed)
        runs.cancelled.connect(lambda: panel.show_outcome("Run cancelled; no results kept.", False))
        window.results.canvas_overlay_changed.connect(window.overlay.set_results)
        self.run_action = QAction("Run &simulation", window)
        shortcuts.bind_explicit(self.run_action, RUN_KEY)
        self.run_action.setStatusTip("Simulate the scenarios ticked in the Run panel, with its settings")
        self.run_action.triggered.connect(lambda _checked=False: self.run_from_menu())
        window.addAction(self.run_action)
        runs.running_changed.connect(lambda running: self.run_action.setEnabled(not running))
        window.run_history.changed.connect(self.describe_history)  # after the results view rebuilt its list
        window.results.history_list.currentItemChanged.connect(lambda *_: self.describe_history())

    def run_from_menu(self) -> None:
        """Run → Run simulation: press the run panel's Run button, with the panel in view."""
        panel = self.window.run_panel
        dock = panel.parentWidget()
        if dock is not None:
            dock.show()
            dock.raise_()
        if panel.run_button.isEnabled():
            panel.run_button.click()

    def describe_history(self) -> None:
        """The results heading while no run is picked: how many runs are listed, or that there is none yet."""
        results, count = self.window.results, len(self.window.run_history.entries)
        if results.entry is not None:
            return
        results.heading.setText(
            f"{count} run{'s' if count != 1 else ''} of this workflow listed: pick one to see its results."
            if count else "No run yet: use the Run panel.")

    def scenario_view_changed(self) -> None:
        """Forms show the values anew (see module rules)."""
        for panel in (self.window.properties, self.window.teams):
            if panel.form is not None:
                panel.form.refresh()

    def start_run(self, scenario_ids: list[str], settings: RunSettings) -> bool:
        """Run the ticked scenarios (the baseline first when ticked) in the background."""
        window = self.window
        ids: list[str | None] = [None if i == BASELINE_ID else i for i in scenario_ids]
        try:
            window.runs.start(window.document.workflow, ids, settings, window.run_history.workspace_path)
        except FlowmodelError as error:
            window.run_panel.show_outcome(error.render(), False)
            return False
        return True

    def run_partial(self, run: RunResult) -> None:
        """Watch the run: the results view and the canvas overlay show the replications finished so far."""
        window = self.window
        if not window.runs.running:
            return  # a late report of a run that has ended
        total = run.options.settings.replications * len(run.scenarios)
        if window.results.run is None or window.results.entry is not None:
            window.show_results(raise_it=False)
        window.results.show_live(run, len(run.replications), total)

    def run_finished(self, result: RunResult, run_id: str, snapshot: Workflow, kept_id: str = "",
                     note: str = "") -> None:
        window = self.window
        entry = window.run_history.add(result, run_id, snapshot, kept_id=kept_id)
        stopped = result.stop_summary()
        if stopped:
            stopped = stopped[:1].upper() + stopped[1:]
            text = (f"{stopped}. The results show each replication only up to its stop; the run is kept for this "
                    "session and not stored.")
            window.show_status(stopped)
        else:
            where = "stored in the workspace" if run_id else \
                "kept beside the workspace until the next Save" if kept_id else \
                "kept until you save as a .flowdb workspace"
            text = f"Run finished: {len(result.replications)} replications, {where}."
        if note:
            text += f"\n{note}"
            window.show_status(note)
        window.run_panel.show_outcome(text, True)
        window.show_results()
        window.results.select_entry(entry.id)

    def run_failed(self, message: str) -> None:
        self.window.run_panel.show_outcome(f"The run failed.\n{message}", False)
        self.window.show_status(message.splitlines()[0])
