"""Undoable edits of a workflow's scenarios.

Rules:
- Every scenario edit replaces the whole scenario through :meth:`Workflow.put_scenario` (or removes it),
  keeping a copy of what was there, so undo restores exactly the previous scenario and its position.
- :class:`RecordScenarioChangeCommand` is what a field edit becomes in scenario mode: one ``set`` change
  per leaf field (a number, a text, a flag, a list of numbers). Editing the same field again updates that
  change; setting it back to the baseline value drops it. Typing merges into one undo step, as in the
  baseline forms.
- A change can only address fields that exist in both the baseline and the scenario; adding or removing
  rows (SLA targets, shifts, categories) is a structural edit and is refused with a :class:`ModelError`.
- Launch-plan edits (the launch and recovery days, a backfill or a training added, edited or removed) are
  :class:`PutScenarioCommand` subclasses too: each builds the edited copy up front, so undo is exact. Turning
  the recovery days spin box merges into one step.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any, Literal

from PySide6.QtGui import QUndoCommand

from flowmodel.errors import ModelError
from flowmodel.launch import Backfill, Training
from flowmodel.paths import get_path, set_path
from flowmodel.scenarios import Change, Scenario
from flowmodel.workflow import Workflow

RECORD_CHANGE_ID = 1002
LAUNCH_SETTINGS_ID = 1003
LaunchKind = Literal["backfills", "trainings"]


class PutScenarioCommand(QUndoCommand):
    """Add a scenario or replace one (new, copy, rename, edits in the diff list)."""

    def __init__(self, workflow: Workflow, scenario: Scenario, text: str) -> None:
        super().__init__(text)
        self.workflow = workflow
        self.after = copy.deepcopy(scenario)
        previous = workflow.scenarios.get(scenario.id)
        self.before = copy.deepcopy(previous) if previous is not None else None

    def redo(self) -> None:
        self.workflow.put_scenario(copy.deepcopy(self.after))

    def undo(self) -> None:
        if self.before is None:
            self.workflow.remove_scenario(self.after.id)
        else:
            self.workflow.put_scenario(copy.deepcopy(self.before))


class RemoveScenarioCommand(QUndoCommand):
    """Delete a scenario; undo puts it back at its place in the list."""

    def __init__(self, workflow: Workflow, scenario_id: str) -> None:
        self.scenario = copy.deepcopy(workflow.scenarios[scenario_id])
        super().__init__(f"Delete scenario '{self.scenario.name}'")
        self.workflow = workflow
        self.position = list(workflow.scenarios).index(scenario_id)

    def redo(self) -> None:
        self.workflow.remove_scenario(self.scenario.id)

    def undo(self) -> None:
        self.workflow.put_scenario(copy.deepcopy(self.scenario))
        ordered = list(self.workflow.scenarios.items())
        moved = ordered.pop()
        ordered.insert(self.position, moved)
        self.workflow.scenarios.clear()
        self.workflow.scenarios.update(ordered)
        self.workflow.events.scenarios_changed.emit()


def leaf_changes(shown: Any, item_id: str, path: str, value: Any) -> list[Change]:
    """The ``set`` changes that turn ``shown`` (the item as the scenario has it) into ``shown`` with
    ``value`` at ``path``: one per leaf field that differs; a ModelError for a structural edit."""
    trial = copy.deepcopy(shown)
    set_path(trial, path, value)
    out: list[Change] = []
    _diff(get_path(shown, path), get_path(trial, path), path, item_id, out)
    return out


def _is_leaf(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))


def _diff(before: Any, after: Any, path: str, item_id: str, out: list[Change]) -> None:
    if before == after:
        return
    if _is_leaf(before) and _is_leaf(after):
        out.append(Change(target=item_id, path=path, op="set", value=copy.deepcopy(after)))
        return
    if dataclasses.is_dataclass(before) and type(before) is type(after):
        for f in dataclasses.fields(before):
            _diff(getattr(before, f.name), getattr(after, f.name), f"{path}.{f.name}", item_id, out)
        return
    if isinstance(before, dict) and isinstance(after, dict) and before.keys() == after.keys():
        for key in before:
            _diff(before[key], after[key], f"{path}.{key}", item_id, out)
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (a, b) in enumerate(zip(before, after, strict=True)):
            _diff(a, b, f"{path}.{index}", item_id, out)
        return
    raise ModelError(f"adding or removing entries of {path} changes the model's structure",
                     where=path, hint="leave scenario mode to make this edit on the baseline")


def merge_changes(baseline: Workflow, scenario: Scenario, changes: list[Change]) -> Scenario:
    """``scenario`` with ``changes`` recorded (see module rules); the input is not modified."""
    result = copy.deepcopy(scenario)
    for change in changes:
        existing = next((c for c in result.changes if c.op == "set" and (c.target, c.path) ==
                         (change.target, change.path)), None)
        try:
            baseline_value = baseline.get_field(change.target, change.path)
        except ModelError:
            baseline_value = object()
        if baseline_value == change.value:
            if existing is not None:
                result.changes.remove(existing)
        elif existing is not None:
            existing.value = copy.deepcopy(change.value)
        else:
            result.changes.append(copy.deepcopy(change))
    return result


class RecordScenarioChangeCommand(QUndoCommand):
    """A field edit recorded as changes of a scenario (scenario mode); the baseline is not touched."""

    def __init__(self, workflow: Workflow, scenario_id: str, changes: list[Change], text: str,
                 mergeable: bool = True) -> None:
        super().__init__(text)
        self.workflow = workflow
        self.scenario_id = scenario_id
        self.changes = copy.deepcopy(changes)
        self.mergeable = mergeable
        self.before = copy.deepcopy(workflow.scenarios[scenario_id])
        self.after = merge_changes(workflow, self.before, self.changes)

    def id(self) -> int:
        return RECORD_CHANGE_ID if self.mergeable else -1

    def redo(self) -> None:
        self.workflow.put_scenario(copy.deepcopy(self.after))

    def undo(self) -> None:
        self.workflow.put_scenario(copy.deepcopy(self.before))

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, RecordScenarioChangeCommand) or not other.mergeable:
            return False
        same = [(c.target, c.path) for c in other.changes] == [(c.target, c.path) for c in self.changes]
        if other.scenario_id != self.scenario_id or not same:
            return False
        self.changes, self.after = other.changes, other.after
        return True


class SetLaunchCommand(PutScenarioCommand):
    """Set a scenario's launch instant and recovery days; turning the recovery days merges into one step."""

    def __init__(self, workflow: Workflow, scenario_id: str, launch: str, recovery_days: int) -> None:
        scenario = copy.deepcopy(workflow.scenarios[scenario_id])
        scenario.launch, scenario.recovery_days = launch, recovery_days
        super().__init__(workflow, scenario, f"Launch settings of '{scenario.name}'")

    def id(self) -> int:
        return LAUNCH_SETTINGS_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetLaunchCommand) or other.after.id != self.after.id:
            return False
        if self.after.launch != self.before.launch or other.after.launch != other.before.launch:
            return False  # only turning the recovery days merges; each launch edit is its own step
        self.after = other.after
        return True


def _launch_words(kind: LaunchKind) -> str:
    return "backfill" if kind == "backfills" else "training"


class PutLaunchItemCommand(PutScenarioCommand):
    """Add a backfill or training to a scenario, or replace the one with the same id where it stands."""

    def __init__(self, workflow: Workflow, scenario_id: str, kind: LaunchKind, item: Backfill | Training) -> None:
        scenario = copy.deepcopy(workflow.scenarios[scenario_id])
        items: list[Any] = getattr(scenario, kind)
        at = next((i for i, existing in enumerate(items) if existing.id == item.id), None)
        if at is None:
            items.append(copy.deepcopy(item))
            text = f"Add {_launch_words(kind)} '{item.name}' to '{scenario.name}'"
        else:
            items[at] = copy.deepcopy(item)
            text = f"Edit {_launch_words(kind)} '{item.name}' of '{scenario.name}'"
        super().__init__(workflow, scenario, text)


class RemoveLaunchItemCommand(PutScenarioCommand):
    """Remove a backfill or training from a scenario; undo puts it back at its place."""

    def __init__(self, workflow: Workflow, scenario_id: str, kind: LaunchKind, item_id: str) -> None:
        scenario = copy.deepcopy(workflow.scenarios[scenario_id])
        items: list[Any] = getattr(scenario, kind)
        gone = next(item for item in items if item.id == item_id)
        items.remove(gone)
        super().__init__(workflow, scenario, f"Remove {_launch_words(kind)} '{gone.name}' of '{scenario.name}'")
