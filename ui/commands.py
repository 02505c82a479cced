"""Undoable edits of the workflow: every user edit is one of these on the document's QUndoStack.

Commands change only the model (through :class:`flowmodel.workflow.Workflow`'s API); the canvas and
panels redraw from the model's change notifications. Consecutive edits of the same field merge into
one undo step, so typing "120" is one step, not three.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtGui import QUndoCommand

from flowmodel.workflow import Workflow

SET_FIELD_ID = 1001


class SetFieldCommand(QUndoCommand):
    """Set one field of a node, edge or team by path (see flowmodel.paths)."""

    def __init__(self, workflow: Workflow, item_id: str, path: str, value: Any, text: str = "") -> None:
        super().__init__(text or f"Change {path}")
        self.workflow = workflow
        self.item_id = item_id
        self.path = path
        self.value = copy.deepcopy(value)
        self.previous = copy.deepcopy(workflow.get_field(item_id, path))

    def id(self) -> int:
        return SET_FIELD_ID

    def redo(self) -> None:
        self.workflow.set_field(self.item_id, self.path, copy.deepcopy(self.value))

    def undo(self) -> None:
        self.workflow.set_field(self.item_id, self.path, copy.deepcopy(self.previous))

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetFieldCommand):
            return False
        if (other.item_id, other.path) != (self.item_id, self.path):
            return False
        self.value = copy.deepcopy(other.value)
        return True
