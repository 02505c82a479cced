"""The Launch plan page of the scenarios panel: launch settings, the timeline and its estimate, backfills and
trainings.

Rules: the page shows the selected scenario and never holds model state; every edit on it is an undoable command
of its parts (:mod:`ui.scenarios.launch_settings`, :mod:`ui.scenarios.launch_items`). A click on a timeline row
is passed on as ``row_clicked(kind, key)``: the panel selects that change, and the page selects a backfill or
training in its list.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from flowmodel.scenarios import Scenario
from flowmodel.workflow import Workflow
from ui.scenarios.launch_estimate_note import LaunchEstimateNote
from ui.scenarios.launch_items import LaunchItemsList
from ui.scenarios.launch_settings import LaunchSettings
from ui.scenarios.timeline import LaunchTimeline
from ui.scenarios.timeline_rows import plan_rows


class LaunchPlanPage(QWidget):
    """Launch settings, timeline, backfills and trainings of the selected scenario (see module rules)."""

    row_clicked = Signal(str, object)

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = LaunchSettings(undo_stack)
        self.timeline = LaunchTimeline()
        self.estimate = LaunchEstimateNote()
        self.backfills = LaunchItemsList("backfills", undo_stack)
        self.trainings = LaunchItemsList("trainings", undo_stack)
        self.heading = QLabel("<b>Timeline</b> — run start to horizon end, days from the launch")
        self.heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.settings)
        layout.addWidget(self.heading)
        layout.addWidget(self.timeline)
        layout.addWidget(self.estimate)
        layout.addWidget(self.backfills)
        layout.addWidget(self.trainings)
        layout.addStretch(1)
        self.timeline.row_clicked.connect(self._row_clicked)

    def show_scenario(self, workflow: Workflow, scenario: Scenario | None) -> None:
        self.settings.show_scenario(workflow, scenario)
        self.timeline.show_plan(plan_rows(workflow, scenario))
        self.estimate.show_scenario(workflow, scenario)
        self.backfills.show_scenario(workflow, scenario)
        self.trainings.show_scenario(workflow, scenario)

    def _row_clicked(self, kind: str, key: object) -> None:
        if kind == "backfill":
            self.backfills.select(str(key))
        elif kind == "training":
            self.trainings.select(str(key))
        self.row_clicked.emit(kind, key)
