"""Form of a router: split by probability (on its edges) or by an item attribute (conditions on its edges).

Rule: the attribute only matters in attribute mode, so it is disabled in probability mode. In probability mode
the branches table (:mod:`ui.forms.band_editor`) edits the shares, or splits them by truth (an appeal that
depends on whether the removal was right).
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QWidget

from flowmodel.nodes import ITEM_ATTRIBUTES, Router
from flowmodel.workflow import Workflow
from ui.forms.band_editor import BranchTable
from ui.forms.binding import ItemForm

MODES = (("probability", "By probability"), ("attribute", "By item attribute"))


class RouterForm(ItemForm):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workflow, undo_stack, item_id, parent)
        self.add_text_row("Name", "name", "e.g. Language split")
        self.add_choice_row("Split", "mode", MODES)
        self.attribute = self.add_choice_row("Attribute", "attribute", [(a, a) for a in ITEM_ATTRIBUTES])
        self.branches = BranchTable(workflow, undo_stack, item_id, "router")
        self.branches_title = QLabel("Branches (its outgoing edges):")
        self.rows.addRow(self.branches_title)
        self.rows.addRow(self.branches)
        self.refresh()

    def refresh_context(self) -> None:
        router = self.item
        if isinstance(router, Router):
            self.attribute.setEnabled(router.mode == "attribute")
            by_probability = router.mode == "probability"
            self.rows.setRowVisible(self.branches_title, by_probability)
            self.rows.setRowVisible(self.branches, by_probability)
            if by_probability:
                self.branches.refresh()
