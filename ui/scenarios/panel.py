"""The scenarios panel: the workflow's scenarios, scenario mode, and the selected scenario's changes.

Rules:
- New (from the baseline), Copy, Rename (double-click) and Delete are undoable commands
  (:mod:`ui.scenarios.commands`); so is every edit in the change list, which replaces the scenario.
- The change list is the scenario as a readable diff: target (node or team by name), field path,
  operation (set / scale / add), value, units, and the resulting "before → after" line from
  :func:`flowmodel.scenarios.describe_change`. A change the model cannot apply is kept (a planner may be
  half-way through editing it) but its row is marked red with the reason.
- The scenario-mode toggle (``mode_action``) records edits on the canvas and in the property panel as
  changes of the selected scenario (see :mod:`ui.scenarios.mode`).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowmodel.errors import ModelError
from flowmodel.paths import get_path
from flowmodel.scenarios import OPERATIONS, Change, Scenario, apply_change, copy_scenario, describe_change
from flowmodel.workflow import Workflow
from ui.scenarios.commands import PutScenarioCommand, RemoveScenarioCommand
from ui.scenarios.mode import ScenarioUndoStack

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Node / team", "Field", "Operation", "Value", "Units", "Result")
TARGET, FIELD, OPERATION, VALUE, UNITS, RESULT = range(len(COLUMNS))
INVALID_FILL = QColor("#fdecea")


def free_name(taken: set[str], stem: str) -> str:
    """``stem``, or ``stem 2``, ``stem 3``… : the first scenario name not in ``taken``."""
    return next(n for n in [stem] + [f"{stem} {i}" for i in range(2, len(taken) + 3)] if n not in taken)


def parse_value(text: str) -> Any:
    """A typed value from what was typed: numbers, lists of numbers, true/false; anything else is text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def change_problem(workflow: Workflow, change: Change) -> str:
    """Why ``change`` cannot apply to ``workflow`` ("" when it can)."""
    try:
        apply_change(workflow.copy(), change)
    except ModelError as error:
        return error.message + (f" — {error.hint}" if error.hint else "")
    return ""


def change_units(workflow: Workflow, change: Change) -> str:
    """The unit of the changed number, when the field sits in something that states one (a duration)."""
    target = workflow.find(change.target)
    head = change.path.rpartition(".")[0]
    if target is None or not head:
        return ""
    try:
        return str(getattr(get_path(target, head), "unit", "") or "")
    except ModelError:
        return ""


class ScenariosPanel(QWidget):
    def __init__(self, undo_stack: ScenarioUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.mode = undo_stack.scenario_mode
        self.workflow: Workflow | None = None
        self._loading = False
        self.scenario_list = QListWidget()
        self.scenario_list.setFixedHeight(110)
        self.scenario_list.setToolTip("Double-click a scenario to rename it")
        self.new_button = QPushButton("New")
        self.new_button.setToolTip("A new scenario: the baseline with no changes yet")
        self.copy_button = QPushButton("Copy")
        self.delete_button = QPushButton("Delete")
        self.mode_action = QAction("Scenario mode", self, checkable=True)
        self.mode_action.setStatusTip("Record edits on the canvas and in the property panel as changes of the "
                                      "selected scenario; the baseline stays unchanged")
        self.mode_button = QPushButton("Scenario mode")
        self.mode_button.setCheckable(True)
        self.changes = QTableWidget(0, len(COLUMNS))
        self.changes.setHorizontalHeaderLabels(COLUMNS)
        self.changes.horizontalHeader().setStretchLastSection(True)
        self.changes.verticalHeader().setVisible(False)
        self.add_change_button = QPushButton("Add change")
        self.remove_change_button = QPushButton("Remove change")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.copy_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.mode_button)
        change_buttons = QHBoxLayout()
        change_buttons.addWidget(self.add_change_button)
        change_buttons.addWidget(self.remove_change_button)
        change_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.scenario_list)
        layout.addLayout(buttons)
        layout.addWidget(self.caption)
        layout.addWidget(self.changes, 1)
        layout.addLayout(change_buttons)
        self.new_button.clicked.connect(self.new_scenario)
        self.copy_button.clicked.connect(self.copy_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.add_change_button.clicked.connect(self.add_change)
        self.remove_change_button.clicked.connect(self.remove_selected_change)
        self.mode_button.toggled.connect(self.mode_action.setChecked)
        self.mode_action.toggled.connect(self._mode_toggled)
        self.scenario_list.currentItemChanged.connect(lambda current, _: self._select(current))
        self.scenario_list.itemChanged.connect(self._renamed_in_list)
        self.changes.itemChanged.connect(self._cell_edited)
        self.mode.changed.connect(self._mode_changed)

    # -- binding ---------------------------------------------------------------------------------
    def set_workflow(self, workflow: Workflow) -> None:
        if self.workflow is not None:
            self.workflow.events.changed.unsubscribe(self.refresh)
        self.workflow = workflow
        workflow.events.changed.subscribe(self.refresh)
        self.mode.set_workflow(workflow)
        self.refresh()

    @property
    def scenario(self) -> Scenario | None:
        return self.mode.scenario

    def refresh(self) -> None:
        """Rebuild the list and the change table from the model (never pushes a command)."""
        if self.workflow is None:
            return
        self._loading = True
        try:
            self.scenario_list.clear()
            for scenario in self.workflow.scenarios.values():
                item = QListWidgetItem(scenario.name)
                item.setData(ID_ROLE, scenario.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.scenario_list.addItem(item)
                if scenario.id == self.mode.scenario_id:
                    self.scenario_list.setCurrentItem(item)
            self._fill_changes()
        finally:
            self._loading = False
        has = self.scenario is not None
        for widget in (self.copy_button, self.delete_button, self.add_change_button, self.remove_change_button,
                       self.mode_button):
            widget.setEnabled(has)
        self.mode_action.setEnabled(has)

    def _fill_changes(self) -> None:
        scenario, workflow = self.scenario, self.workflow
        self.changes.setRowCount(0)
        if scenario is None or workflow is None:
            self.caption.setText("Select a scenario, or make a new one from the baseline." if workflow
                                 and workflow.scenarios else "No scenarios yet: New makes one from the baseline.")
            return
        count = len(scenario.changes)
        self.caption.setText(f"Changes of '{scenario.name}' against the baseline ({count}):" if count else
                             f"'{scenario.name}' has no changes yet: add one, or turn on scenario mode and edit.")
        targets = [(n.id, n.name) for n in workflow.nodes.values()] + [(t.id, t.name) for t in workflow.teams.values()]
        self.changes.setRowCount(count)
        for row, change in enumerate(scenario.changes):
            combo = QComboBox()
            for target_id, name in targets:
                combo.addItem(name or "(unnamed)", target_id)
            combo.setCurrentIndex(combo.findData(change.target))
            combo.activated.connect(lambda _i, row=row, combo=combo: self.edit_change(row, target=combo.currentData()))
            self.changes.setCellWidget(row, TARGET, combo)
            ops = QComboBox()
            ops.addItems(list(OPERATIONS))
            ops.setCurrentText(change.op)
            ops.activated.connect(lambda _i, row=row, ops=ops: self.edit_change(row, op=ops.currentText()))
            self.changes.setCellWidget(row, OPERATION, ops)
            problem = change_problem(workflow, change)
            cells = {FIELD: change.path, VALUE: json.dumps(change.value, ensure_ascii=False)
                     if not isinstance(change.value, str) else change.value,
                     UNITS: change_units(workflow, change), RESULT: describe_change(workflow, change)}
            for column, text in cells.items():
                cell = QTableWidgetItem(text)
                if column in (UNITS, RESULT):
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if problem:
                    cell.setBackground(QBrush(INVALID_FILL))
                    cell.setToolTip(problem)
                self.changes.setItem(row, column, cell)
        self.changes.resizeColumnsToContents()

    # -- scenario list ---------------------------------------------------------------------------
    def _select(self, item: QListWidgetItem | None) -> None:
        if not self._loading:
            self.mode.select(item.data(ID_ROLE) if item is not None else None)
            self.refresh()

    def select_scenario(self, scenario_id: str | None) -> None:
        self.mode.select(scenario_id)
        self.refresh()

    def new_scenario(self) -> Scenario:
        assert self.workflow is not None
        scenario = Scenario(name=self._free_name("Scenario"))
        self.undo_stack.push(PutScenarioCommand(self.workflow, scenario, f"New scenario '{scenario.name}'"))
        self.select_scenario(scenario.id)
        return scenario

    def copy_selected(self) -> Scenario | None:
        if self.workflow is None or self.scenario is None:
            return None
        scenario = copy_scenario(self.scenario, self._free_name(f"{self.scenario.name} copy"))
        self.undo_stack.push(PutScenarioCommand(self.workflow, scenario, f"Copy scenario '{self.scenario.name}'"))
        self.select_scenario(scenario.id)
        return scenario

    def rename(self, scenario_id: str, name: str) -> None:
        assert self.workflow is not None
        scenario = copy.deepcopy(self.workflow.scenarios[scenario_id])
        name = name.strip()
        if not name or name == scenario.name:
            self.refresh()
            return
        scenario.name = name
        self.undo_stack.push(PutScenarioCommand(self.workflow, scenario, f"Rename scenario to '{name}'"))

    def delete_selected(self) -> None:
        if self.workflow is not None and self.scenario is not None:
            self.undo_stack.push(RemoveScenarioCommand(self.workflow, self.scenario.id))

    def _renamed_in_list(self, item: QListWidgetItem) -> None:
        if not self._loading:
            self.rename(item.data(ID_ROLE), item.text())

    def _free_name(self, stem: str) -> str:
        return free_name({s.name for s in self.workflow.scenarios.values()} if self.workflow else set(), stem)

    # -- change list -----------------------------------------------------------------------------
    def add_change(self) -> None:
        """A new change on the first review stage (or node), to be edited in the list."""
        if self.workflow is None or self.scenario is None:
            return
        stages = [n for n in self.workflow.nodes.values() if n.kind == "review_stage"] or \
            list(self.workflow.nodes.values())
        if not stages:
            return
        scenario = copy.deepcopy(self.scenario)
        scenario.changes.append(Change(target=stages[0].id, path="handle_time.mean", op="scale", value=1.0))
        self.undo_stack.push(PutScenarioCommand(self.workflow, scenario, f"Add a change to '{scenario.name}'"))

    def remove_selected_change(self) -> None:
        row = self.changes.currentRow()
        if self.workflow is None or self.scenario is None or not 0 <= row < len(self.scenario.changes):
            return
        scenario = copy.deepcopy(self.scenario)
        del scenario.changes[row]
        self.undo_stack.push(PutScenarioCommand(self.workflow, scenario, f"Remove a change of '{scenario.name}'"))

    def edit_change(self, row: int, **fields: Any) -> None:
        """Replace fields (target, path, op, value) of change ``row`` as one undoable edit."""
        if self.workflow is None or self.scenario is None:
            return
        scenario = copy.deepcopy(self.scenario)
        change = scenario.changes[row]
        if all(getattr(change, k) == v for k, v in fields.items()):
            return
        for key, value in fields.items():
            setattr(change, key, value)
        self.undo_stack.push(PutScenarioCommand(self.workflow, scenario, f"Edit a change of '{scenario.name}'"))

    def _cell_edited(self, cell: QTableWidgetItem) -> None:
        if self._loading:
            return
        if cell.column() == FIELD:
            self.edit_change(cell.row(), path=cell.text().strip())
        elif cell.column() == VALUE:
            self.edit_change(cell.row(), value=parse_value(cell.text().strip()))

    # -- scenario mode ---------------------------------------------------------------------------
    def _mode_toggled(self, on: bool) -> None:
        actual = self.mode.set_enabled(on)
        if actual != on:
            self.mode_action.setChecked(actual)

    def _mode_changed(self) -> None:
        for control in (self.mode_action, self.mode_button):
            if control.isChecked() != self.mode.active:
                control.blockSignals(True)
                control.setChecked(self.mode.active)
                control.blockSignals(False)
        self.mode_button.setStyleSheet("QPushButton { background: #f5b700; font-weight: bold; }"
                                       if self.mode.active else "")
