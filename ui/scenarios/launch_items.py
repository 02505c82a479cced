"""The backfill and training lists of a launch plan: one row per batch or period, with Add, Edit and Remove.

Rules: a row reads in planner words ("Re-review · Tier 1 review · 5,000 items · launch + 2 d, over 2 d"); a
long row is elided and its tooltip holds the whole text (and the note). The list is tall enough for
``MIN_SHOWN_ROWS`` rows even when it holds fewer, and grows to ``MAX_SHOWN_ROWS`` before it scrolls.
Add and Edit open the kind's dialog (:mod:`ui.scenarios.backfill_editor`, :mod:`ui.scenarios.training_editor`,
non-modal, kept as ``dialog`` while open); OK stores through :class:`~ui.scenarios.commands.PutLaunchItemCommand`
and Remove through :class:`~ui.scenarios.commands.RemoveLaunchItemCommand`, so each is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flowmodel.change_words import number_text
from flowmodel.launch import Backfill, Training, describe_instant
from flowmodel.scenarios import Scenario
from flowmodel.workflow import Workflow
from reports.launch_words import hours_words
from ui.scenarios.backfill_editor import BackfillDialog
from ui.scenarios.commands import LaunchKind, PutLaunchItemCommand, RemoveLaunchItemCommand
from ui.scenarios.training_editor import EVERYONE, TrainingDialog

ID_ROLE = Qt.ItemDataRole.UserRole
MIN_SHOWN_ROWS = 3
MAX_SHOWN_ROWS = 6
ROW_PX = 20


def backfill_words(workflow: Workflow, backfill: Backfill) -> str:
    node = workflow.nodes.get(backfill.target)
    spread = f", over {hours_words(backfill.spread_hours)}" if backfill.spread_hours > 0 else ", at once"
    return (f"{backfill.name} · {node.name if node is not None else '(a deleted node)'} · "
            f"{int(backfill.items):,} items · {describe_instant(backfill.start)}{spread}")


def training_words(workflow: Workflow, training: Training) -> str:
    team = workflow.teams.get(training.team)
    people = EVERYONE if training.people == 0 else f"{training.people} people"
    return (f"{training.name} · {team.name if team is not None else '(a deleted team)'} · "
            f"{number_text(training.hours_per_person)} h × {people} · "
            f"{describe_instant(training.start)} → {describe_instant(training.end)}")


class LaunchItemsList(QWidget):
    """The backfills or the trainings of the selected scenario (see module rules)."""

    def __init__(self, kind: LaunchKind, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.undo_stack = undo_stack
        self.workflow: Workflow | None = None
        self.scenario_id: str | None = None
        self.dialog: QDialog | None = None
        backfills = kind == "backfills"
        self.words: Callable[[Workflow, Any], str] = backfill_words if backfills else training_words
        self.title = QLabel("<b>Backfills</b>" if backfills else "<b>Trainings</b>")
        self.title.setToolTip("Existing content sent for re-review when the policy launches" if backfills
                              else "Reviewer-hours taken off the floor to teach the policy")
        self.list = QListWidget()
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setToolTip("Double-click a row to edit it")
        self.add_button = QPushButton("Add…")
        self.add_button.setToolTip("Add a backfill batch" if backfills else "Add a training period")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.title, 1)
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        self.add_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        self.list.currentRowChanged.connect(lambda _row: self._enable())

    def items(self) -> list[Any]:
        scenario = self._scenario()
        return list(getattr(scenario, self.kind)) if scenario is not None else []

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def show_scenario(self, workflow: Workflow, scenario: Scenario | None) -> None:
        """List ``scenario``'s backfills or trainings (never pushes a command); the selected row stays."""
        self.workflow, self.scenario_id = workflow, scenario.id if scenario is not None else None
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.items():
            row_item = QListWidgetItem(self.words(workflow, item))
            row_item.setData(ID_ROLE, item.id)
            row_item.setToolTip(row_item.text() + (f"\n{item.note}" if item.note else ""))
            self.list.addItem(row_item)
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        rows = min(max(self.list.count(), MIN_SHOWN_ROWS), MAX_SHOWN_ROWS)
        self.list.setFixedHeight(rows * max(self.list.sizeHintForRow(0), ROW_PX) + 2 * self.list.frameWidth() + 2)
        self.add_button.setEnabled(scenario is not None)
        self._enable()

    def select(self, item_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == item_id:
                self.list.setCurrentRow(row)

    def open_dialog(self, item: Backfill | Training | None) -> QDialog | None:
        """Open the add or edit dialog; its OK stores the item as one undoable step."""
        if self.workflow is None or self._scenario() is None:
            return None
        dialog: QDialog = (BackfillDialog(self.workflow, item, self) if self.kind == "backfills"
                           else TrainingDialog(self.workflow, item, self))
        dialog.accepted.connect(lambda: self._store(dialog))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def edit_selected(self) -> None:
        row, items = self.list.currentRow(), self.items()
        if 0 <= row < len(items):
            self.open_dialog(items[row])

    def remove_selected(self) -> None:
        row, items = self.list.currentRow(), self.items()
        if self.workflow is not None and self.scenario_id is not None and 0 <= row < len(items):
            self.undo_stack.push(RemoveLaunchItemCommand(self.workflow, self.scenario_id, self.kind, items[row].id))

    def _store(self, dialog: QDialog) -> None:
        if self.workflow is None or self._scenario() is None:
            return
        item = dialog.backfill() if isinstance(dialog, BackfillDialog) else dialog.training()  # type: ignore[attr-defined]
        existing = next((i for i in self.items() if i.id == item.id), None)
        if existing != item:
            self.undo_stack.push(PutLaunchItemCommand(self.workflow, self.scenario_id, self.kind, item))
        self.select(item.id)

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _scenario(self) -> Scenario | None:
        if self.workflow is None or self.scenario_id is None:
            return None
        return self.workflow.scenarios.get(self.scenario_id)

    def _enable(self) -> None:
        selected = 0 <= self.list.currentRow() < self.list.count()
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)
