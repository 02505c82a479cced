"""The teams panel: the workflow's teams (add, remove, rename) and the form of the selected team.

Rules:
- Adding and removing are :mod:`ui.team_commands`; renaming in the list and every field of the form are
  SetFieldCommands, so every team edit is undoable.
- The panel follows the workflow's events: teams added or removed (also by undo) rebuild the list and keep
  the selection where it can; a change of the selected team refreshes the rows it can affect; other changes
  (stages added or renamed, item mixes) refresh the form's context. Refreshing never pushes a command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from flowmodel.teams import Shift, Team
from flowmodel.workflow import Workflow
from ui.commands import SetFieldCommand
from ui.forms.team_form import TeamForm
from ui.team_commands import AddTeamCommand, RemoveTeamCommand

ID_ROLE = Qt.ItemDataRole.UserRole
NO_TEAMS = "No teams yet. Add a team to staff the review stages."


def new_team(workflow: Workflow) -> Team:
    """A team with a name not yet used and a weekday day shift, a reasonable start for editing."""
    names = {team.name for team in workflow.teams.values()}
    name = next(f"Team {n}" for n in range(1, len(names) + 2) if f"Team {n}" not in names)
    return Team(name=name, shifts=[Shift("day", 9.0, 8.0, [10, 10, 10, 10, 10, 0, 0])])


class TeamsPanel(QWidget):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.workflow: Workflow | None = None
        self.form: TeamForm | None = None
        self._subscriptions: list[tuple[Any, Callable[..., None]]] = []
        self._loading = False
        self.team_list = QListWidget()
        self.team_list.setFixedHeight(96)
        self.team_list.setToolTip("Double-click a team to rename it")
        self.add_button = QPushButton("Add team")
        self.remove_button = QPushButton("Remove team")
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.team_list)
        layout.addLayout(buttons)
        layout.addWidget(self.scroll, 1)
        self.add_button.clicked.connect(self.add_team)
        self.remove_button.clicked.connect(self.remove_selected_team)
        self.team_list.currentItemChanged.connect(lambda current, _: self._show_team(current))
        self.team_list.itemChanged.connect(self._renamed_in_list)
        self.set_workflow(workflow)

    def set_workflow(self, workflow: Workflow) -> None:
        for signal, callback in self._subscriptions:
            signal.unsubscribe(callback)
        self.workflow = workflow
        events = workflow.events
        self._subscriptions = [
            (events.team_added, self._team_added), (events.team_removed, lambda _: self._fill_list()),
            (events.team_changed, self._team_changed), (events.changed, self._context_changed),
        ]
        for signal, callback in self._subscriptions:
            signal.subscribe(callback)
        self._fill_list()

    def selected_team_id(self) -> str | None:
        item = self.team_list.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def select_team(self, team_id: str) -> None:
        for row in range(self.team_list.count()):
            if self.team_list.item(row).data(ID_ROLE) == team_id:
                self.team_list.setCurrentRow(row)

    # -- edits -----------------------------------------------------------------------------------
    def add_team(self) -> None:
        assert self.workflow is not None
        self.undo_stack.push(AddTeamCommand(self.workflow, new_team(self.workflow)))

    def remove_selected_team(self) -> None:
        team_id = self.selected_team_id()
        if team_id is not None and self.workflow is not None:
            self.undo_stack.push(RemoveTeamCommand(self.workflow, team_id))

    def _renamed_in_list(self, item: QListWidgetItem) -> None:
        team = self.workflow.teams.get(item.data(ID_ROLE)) if self.workflow else None
        name = item.text().strip()
        if self._loading or team is None or name == team.name:
            return
        if not name:
            self._fill_list()
            return
        self.undo_stack.push(SetFieldCommand(self.workflow, team.id, "name", name, "Rename team"))

    # -- model → widgets -------------------------------------------------------------------------
    def _fill_list(self, select: str | None = None) -> None:
        assert self.workflow is not None
        keep = select or self.selected_team_id()
        row = max(0, self.team_list.currentRow())
        self._loading = True
        self.team_list.blockSignals(True)
        self.team_list.clear()
        for team in self.workflow.teams.values():
            item = QListWidgetItem(team.name or "(unnamed team)")
            item.setData(ID_ROLE, team.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.team_list.addItem(item)
        ids = list(self.workflow.teams)
        if ids:
            self.team_list.setCurrentRow(ids.index(keep) if keep in ids else min(row, len(ids) - 1))
        self.team_list.blockSignals(False)
        self._loading = False
        self.remove_button.setEnabled(bool(ids))
        self._show_team(self.team_list.currentItem())

    def _show_team(self, item: QListWidgetItem | None) -> None:
        assert self.workflow is not None
        team_id = item.data(ID_ROLE) if item is not None else None
        if team_id is not None and self.form is not None and self.form.item_id == team_id \
                and self.form.workflow is self.workflow:
            return
        if team_id is None:
            self.form = None
            hint = QLabel(NO_TEAMS)
            hint.setWordWrap(True)
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            hint.setEnabled(False)
            self.scroll.setWidget(hint)
            return
        self.form = TeamForm(self.workflow, self.undo_stack, team_id)
        self.scroll.setWidget(self.form)

    def _team_added(self, team: Team) -> None:
        self._fill_list(select=team.id)

    def _team_changed(self, team_id: str, path: str) -> None:
        if path == "name" and self.workflow is not None:
            for row in range(self.team_list.count()):
                item = self.team_list.item(row)
                if item.data(ID_ROLE) == team_id and item.text() != self.workflow.teams[team_id].name:
                    self._loading = True
                    item.setText(self.workflow.teams[team_id].name)
                    self._loading = False
        if self.form is not None and self.form.item_id == team_id:
            self.form.refresh(path)

    def _context_changed(self) -> None:
        if self.form is not None:
            self.form.refresh_context()
