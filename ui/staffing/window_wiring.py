"""The main window's "Recommend staffing…" action and applying a plan as a scenario (kept out of the window class).

Rules:
- The action lives in the Run menu; it opens one :class:`StaffingDialog` per window (kept while the window
  lives, so a finished plan stays on screen). Reopening it while no search runs reloads the workflow shown on
  the canvas, preselecting the scenario chosen in the Scenarios panel.
- "Apply as new scenario" adds :func:`plan_to_scenario` of the plan through an undoable
  :class:`PutScenarioCommand` (one undo step removes it again), named after the staffed scenario and kept
  unique, then selects it in the Scenarios panel and raises that panel. A plan made for another workflow,
  or for teams and shifts that no longer exist, is refused with the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from flowmodel.errors import FlowmodelError, ModelError
from flowmodel.scenarios import Scenario
from simulations.staffing import StaffingPlan, plan_to_scenario
from ui.scenarios.commands import PutScenarioCommand
from ui.scenarios.panel import free_name
from ui.staffing.dialog import StaffingDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class StaffingWiring(QObject):
    """Builds the Run menu's staffing action and applies plans (see module rules)."""

    def __init__(self, window: MainWindow, jobs: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.jobs = jobs
        self.dialog: StaffingDialog | None = None
        self.menu = window.menuBar().addMenu("&Run")
        self.action = QAction("Recommend &staffing…", window)
        self.action.setStatusTip("How many reviewers per team and shift keep every SLA target: an Erlang first "
                                 "guess, verified and trimmed by simulation")
        self.action.triggered.connect(lambda _checked=False: self.open_dialog())
        self.menu.addAction(self.action)

    def open_dialog(self) -> StaffingDialog:
        window = self.window
        chosen = window.scenarios.scenario
        if self.dialog is None:
            self.dialog = StaffingDialog(window.document.workflow, window, self.jobs)
            self.dialog.apply_requested.connect(self.apply)
            if chosen is not None:
                self.dialog.set_workflow(window.document.workflow, chosen.id)
        elif not self.dialog.controller.running:
            self.dialog.set_workflow(window.document.workflow, chosen.id if chosen is not None else None)
        self.dialog.document_path = window.document.path
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def stop(self) -> None:
        """Cancel a running search and wait for its workers to end (the window is closing)."""
        if self.dialog is not None and self.dialog.controller.running:
            self.dialog.controller.cancel()
            self.dialog.controller.wait()

    def apply(self, plan: StaffingPlan) -> Scenario | None:
        """Add the plan as a new scenario (undoable) and select it; None, with the reason shown, if it cannot."""
        window = self.window
        workflow = window.document.workflow
        try:
            if plan.workflow_id != workflow.id:
                raise ModelError(f"the plan was made for workflow {plan.workflow_name!r}, not {workflow.name!r}",
                                 hint="show that workflow on the canvas, or recommend staffing again")
            name = free_name({s.name for s in workflow.scenarios.values()}, f"Staffing · {plan.scenario_name}")
            scenario = plan_to_scenario(workflow, plan, name)
        except FlowmodelError as error:
            if self.dialog is not None:
                self.dialog.show_error(error.render())
            return None
        window.undo_stack.push(PutScenarioCommand(workflow, scenario, f"Apply staffing as scenario '{name}'"))
        window.scenarios.select_scenario(scenario.id)
        for dock in window.docks():
            if dock.widget() is window.scenarios:
                dock.raise_()
        window.show_status(f"Added scenario '{name}' with the recommended headcounts "
                           f"({len(scenario.changes)} change(s)); Undo removes it.")
        if self.dialog is not None:
            self.dialog.status.setText(f"Applied as scenario '{name}'.")
        return scenario
