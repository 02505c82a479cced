"""Form of an outcome: the terminal's name on the canvas and the label results are counted under."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from flowmodel.workflow import Workflow
from ui.forms.binding import ItemForm


class OutcomeForm(ItemForm):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workflow, undo_stack, item_id, parent)
        self.add_text_row("Name", "name", "e.g. Removed")
        self.add_text_row("Label", "label", "e.g. removed, kept, expired, overturned")
        self.refresh()
