"""Form of a source: where items arrive, how many, when, and of which kinds.

Rules: the rate is the mean over the profile's period (0–1e6 items per hour); the profile is read in the
source's time zone; the item mix must sum to 1 before it is stored. Ground truth (which items truly violate)
is optional: see :mod:`ui.forms.truth_editor`.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from flowmodel.nodes import Source
from flowmodel.workflow import Workflow
from ui.forms.binding import ItemForm
from ui.forms.mix_editor import MixEditor, mix_problem
from ui.forms.profile_grid import ProfileGrid
from ui.forms.surge_editor import SurgeEditor
from ui.forms.timezone_combo import TimezoneCombo, time_zones
from ui.forms.truth_editor import GroundTruthEditor


class SourceForm(ItemForm):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workflow, undo_stack, item_id, parent)
        self.add_text_row("Name", "name", "e.g. User reports")
        rate = self.add_number_row("Rate", "rate_per_hour", minimum=0.0, maximum=1e6, decimals=2, suffix=" items/h")
        rate.setToolTip("Mean arrivals per hour over the profile's day or week")
        self.add_editor_row("Time zone", "timezone", TimezoneCombo(),
                            check=lambda zone: "" if zone in time_zones() else f"unknown time zone {zone!r}")
        self.add_editor_row("Arrival profile (relative intensity by local hour)", "profile", ProfileGrid(), wide=True)
        self.add_editor_row("Item mix", "mix", MixEditor(), check=mix_problem)
        self.add_editor_row("Surges", "surges", SurgeEditor())
        self.add_provenance_row()
        self.truth = GroundTruthEditor()
        self.add_editor_row("Ground truth (which items truly violate)", "truth", self.truth, wide=True)
        self.refresh()

    def refresh_context(self) -> None:
        source = self.item
        if isinstance(source, Source):
            self.truth.set_known(list(dict.fromkeys(entry.category for entry in source.mix)))
