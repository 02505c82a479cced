"""Form of a classifier: automation that routes items after a short latency into its bands (its edges).

The bands table (:mod:`ui.forms.band_editor`) states each band's decision and share, or — by classifier error —
the share of violating and of benign items landing in each band, typed directly or from precision and recall.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QWidget

from flowmodel.workflow import Workflow
from ui.forms.band_editor import BranchTable
from ui.forms.binding import ItemForm, distribution_problem
from ui.forms.distribution_editor import DistributionEditor


class ClassifierForm(ItemForm):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workflow, undo_stack, item_id, parent)
        self.add_text_row("Name", "name", "e.g. Hate speech model")
        self.add_editor_row("Latency", "latency", DistributionEditor(), check=distribution_problem)
        self.bands = BranchTable(workflow, undo_stack, item_id, "classifier")
        self.rows.addRow(QLabel("Bands (its outgoing edges):"))
        self.rows.addRow(self.bands)
        self.refresh()

    def refresh_context(self) -> None:
        self.bands.refresh()
