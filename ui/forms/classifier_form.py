"""Form of a classifier: automation that routes items after a short latency (routing is on its edges)."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from flowmodel.workflow import Workflow
from ui.forms.binding import ItemForm, distribution_problem
from ui.forms.distribution_editor import DistributionEditor


class ClassifierForm(ItemForm):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workflow, undo_stack, item_id, parent)
        self.add_text_row("Name", "name", "e.g. Hate speech model")
        self.add_editor_row("Latency", "latency", DistributionEditor(), check=distribution_problem)
        self.refresh()
