"""Scenario mode: while it is on, field edits become changes of the selected scenario.

Rules:
- :class:`ScenarioMode` is the one place that knows whether the editor is in scenario mode and which
  scenario it edits. The forms and the canvas *show* :meth:`ScenarioMode.shown_workflow` — the baseline with
  the scenario applied — and highlight what the scenario changes; the baseline itself never changes.
- :class:`ScenarioUndoStack` is the document's undo stack. Every edit passes through its ``push``: in
  scenario mode a :class:`~ui.commands.SetFieldCommand` (from any form, the teams panel or a canvas
  editor) is turned into a :class:`RecordScenarioChangeCommand`, and structural edits (adding or removing
  nodes, edges, teams) are refused with a reason (``refused`` signal → status bar). Moving cards is layout,
  not a scenario change, and stays allowed.
- A change that no longer applies (its node was deleted) is skipped when showing the scenario; the
  scenarios panel lists it with its problem.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from flowmodel.errors import ModelError
from flowmodel.scenarios import ROUTE_PREFIX, Scenario, apply_change
from flowmodel.workflow import Workflow
from ui.commands import (
    AddEdgeCommand,
    AddNodeCommand,
    PasteCommand,
    RemoveEdgeCommand,
    RemoveNodesCommand,
    SetFieldCommand,
)
from ui.scenarios.commands import RecordScenarioChangeCommand, leaf_changes
from ui.team_commands import AddTeamCommand, RemoveTeamCommand

STRUCTURAL_COMMANDS: tuple[type, ...] = (AddNodeCommand, RemoveNodesCommand, AddEdgeCommand, RemoveEdgeCommand,
                                         PasteCommand, AddTeamCommand, RemoveTeamCommand)
STRUCTURAL_REASON = ("Scenario mode: adding or removing nodes, edges or teams changes the baseline — "
                     "leave scenario mode to make structural edits.")


class ScenarioMode(QObject):
    """Whether edits go to a scenario, which one, and the workflow as that scenario has it."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workflow: Workflow | None = None
        self.scenario_id: str | None = None
        self.enabled = False
        self._shown: Workflow | None = None

    # -- state -----------------------------------------------------------------------------------
    def set_workflow(self, workflow: Workflow) -> None:
        """Follow another workflow (a document was opened); scenario mode ends."""
        if self.workflow is not None:
            self.workflow.events.changed.unsubscribe(self._model_changed)
        self.workflow = workflow
        workflow.events.changed.subscribe(self._model_changed)
        self.scenario_id = None
        self.enabled = False
        self._model_changed()

    def select(self, scenario_id: str | None) -> None:
        if scenario_id != self.scenario_id:
            self.scenario_id = scenario_id
            if scenario_id is None:
                self.enabled = False
            self._model_changed()

    def set_enabled(self, on: bool) -> bool:
        """Turn scenario mode on (needs a selected scenario) or off; returns whether it is on."""
        on = on and self.scenario is not None
        if on != self.enabled:
            self.enabled = on
            self._model_changed()
        return self.enabled

    @property
    def scenario(self) -> Scenario | None:
        if self.workflow is None or self.scenario_id is None:
            return None
        return self.workflow.scenarios.get(self.scenario_id)

    @property
    def active(self) -> bool:
        return self.enabled and self.scenario is not None

    def banner_text(self) -> str:
        scenario = self.scenario
        if not (self.active and scenario):
            return ""
        settled = " (timed changes at their settled values)" if scenario.is_launch_plan() else ""
        return f"Editing scenario '{scenario.name}'{settled} — baseline unchanged"

    # -- what is shown ---------------------------------------------------------------------------
    def shown_workflow(self) -> Workflow | None:
        """The baseline with the scenario's (applicable) changes, or the baseline when the mode is off. A launch
        plan shows where it settles: its lasting, unscoped timed changes at their settled values (those that end
        or apply to some items only are left to the timeline)."""
        if not self.active or self.workflow is None:
            return self.workflow
        if self._shown is None:
            shown = self.workflow.copy()
            for change in self.scenario.changes:
                if change.is_scoped() or change.end.strip():
                    continue
                try:
                    trial = shown.copy()
                    apply_change(trial, dataclasses.replace(change, start="", ramp=None))
                except ModelError:
                    continue
                shown = trial
            self._shown = shown
        return self._shown

    def shown_item(self, item_id: str) -> Any:
        shown = self.shown_workflow()
        return shown.find(item_id) if shown is not None else None

    def changed_paths(self, item_id: str) -> set[str]:
        """Field paths of ``item_id`` the scenario changes (``route.*`` changes mark the node's edges)."""
        scenario = self.scenario if self.active else None
        if scenario is None:
            return set()
        paths = {c.path for c in scenario.changes if c.target == item_id}
        edge = self.workflow.edges.get(item_id) if self.workflow is not None else None
        if edge is not None:
            target = self.workflow.nodes.get(edge.target)
            names = {edge.label, edge.id, target.name if target is not None else None} - {"", None}
            if any(node == edge.source and branch in names for node, branch in self.changed_branches()):
                paths.add("probability")
        return paths

    def changed_item_ids(self) -> set[str]:
        scenario = self.scenario if self.active else None
        return {c.target for c in scenario.changes} if scenario else set()

    def changed_branches(self) -> set[tuple[str, str]]:
        """(node id, branch) of every ``route.<branch>`` change."""
        scenario = self.scenario if self.active else None
        return {(c.target, c.path[len(ROUTE_PREFIX):]) for c in scenario.changes
                if c.path.startswith(ROUTE_PREFIX)} if scenario else set()

    def _model_changed(self) -> None:
        self._shown = None
        if self.scenario_id is not None and self.scenario is None:
            self.scenario_id, self.enabled = None, False
        self.changed.emit()

    # -- turning an edit into a scenario change ----------------------------------------------------
    def record_command(self, command: SetFieldCommand) -> RecordScenarioChangeCommand:
        """The scenario-change command for a field edit; ModelError when it cannot be a change."""
        shown = self.shown_item(command.item_id)
        if shown is None or self.workflow is None or self.scenario_id is None:
            raise ModelError("the edited item is not part of this scenario's workflow")
        changes = leaf_changes(shown, command.item_id, command.path, command.value)
        name = self.scenario.name if self.scenario else ""
        return RecordScenarioChangeCommand(self.workflow, self.scenario_id, changes,
                                           f"{command.text()} in scenario '{name}'", command.id() != -1)


class ScenarioUndoStack(QUndoStack):
    """The document's undo stack; routes edits while scenario mode is on (see module rules)."""

    refused = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scenario_mode = ScenarioMode(self)
        self._macros: list[list] = []  # [text, begun] of macros opened in scenario mode

    def beginMacro(self, text: str) -> None:
        """In scenario mode a macro is opened only once one of its edits is accepted, so a gesture whose
        edits are all refused (a Delete) leaves no empty step on the stack."""
        if self.scenario_mode.active or self._macros:
            self._macros.append([text, False])
        else:
            super().beginMacro(text)

    def endMacro(self) -> None:
        if not self._macros:
            super().endMacro()
            return
        _, begun = self._macros.pop()
        if begun:
            super().endMacro()

    def _accept(self, command: QUndoCommand) -> None:
        for macro in self._macros:
            if not macro[1]:
                super().beginMacro(macro[0])
                macro[1] = True
        super().push(command)

    def push(self, command: QUndoCommand) -> None:
        mode = self.scenario_mode
        if not mode.active:
            self._accept(command)
            return
        if isinstance(command, STRUCTURAL_COMMANDS):
            self.refused.emit(STRUCTURAL_REASON)
            return
        if isinstance(command, SetFieldCommand) and command.workflow is mode.workflow:
            try:
                command = mode.record_command(command)
            except ModelError as error:
                self.refused.emit(f"Scenario mode: {error.message}. {error.hint}".strip())
                return
            if not command.changes:
                return
        self._accept(command)
