"""The scenarios panel: the workflow's scenarios, scenario mode, and the selected scenario's changes.

Rules:
- New (from the baseline), Copy, Rename (double-click) and Delete are undoable commands
  (:mod:`ui.scenarios.commands`); so is every edit in the change list, which replaces the scenario.
- The change list is the scenario in planner words: one row per change ("Tier 1 review · handle time
  +40 s", :func:`flowmodel.change_words.describe_change`), the field before → after, and the note; no
  internal path is shown. A change the model cannot apply is kept (a planner may be half-way through
  editing it) but its row is marked red with the reason.
- Changes are made in the change editor below the list (:mod:`ui.scenarios.change_editor`): node or team,
  field, operation, value and unit. "Add change" appends it; selecting a row loads it into the editor and
  "Replace" stores the edited version in its place.
- The Launch plan tab (:mod:`ui.scenarios.launch_plan_page`) holds the scenario's launch settings, its timeline,
  backfills and trainings; a click on a change's timeline row shows the Changes tab with that change selected
  and loaded into the editor.
- The scenario-mode toggle (``mode_action``) records edits on the canvas and in the property panel as
  changes of the selected scenario (see :mod:`ui.scenarios.mode`).
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from flowmodel.change_words import describe_change, describe_effect
from flowmodel.errors import ModelError
from flowmodel.launch_fields import timing_problem
from flowmodel.scenarios import Change, Scenario, apply_change, copy_scenario
from flowmodel.workflow import Workflow
from reports.launch_words import when_words
from ui.scenarios.change_editor import ChangeEditor
from ui.scenarios.commands import PutScenarioCommand, RemoveScenarioCommand
from ui.scenarios.launch_plan_page import LaunchPlanPage
from ui.scenarios.mode import ScenarioUndoStack
from ui.scenarios.timing_inputs import InstantError

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Change", "Baseline → scenario", "Note")
CHANGE, EFFECT, NOTE = range(len(COLUMNS))
INVALID_FILL = QColor("#fdecea")


def free_name(taken: set[str], stem: str) -> str:
    """``stem``, or ``stem 2``, ``stem 3``… : the first scenario name not in ``taken``."""
    return next(n for n in [stem] + [f"{stem} {i}" for i in range(2, len(taken) + 3)] if n not in taken)


def change_problem(workflow: Workflow, change: Change) -> str:
    """Why ``change`` cannot apply to ``workflow`` ("" when it can)."""
    try:
        apply_change(workflow.copy(), change)
    except ModelError as error:
        return error.message + (f" — {error.hint}" if error.hint else "")
    return timing_problem(workflow, change)


class PageScroll(QScrollArea):
    """A tab's page in a vertical scroll area, so a short dock scrolls the page rather than squeezing its rows;
    it asks for the page's own size (a plain scroll area asks for more than the page needs)."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(page)

    def sizeHint(self) -> QSize:
        return self.widget().sizeHint()

    def minimumSizeHint(self) -> QSize:
        """As narrow as the page allows beside a vertical scroll bar (nothing is cut off), any height."""
        page = self.widget().minimumSizeHint()
        return QSize(page.width() + self.verticalScrollBar().sizeHint().width(), super().minimumSizeHint().height())


class ScenariosPanel(QWidget):
    def __init__(self, undo_stack: ScenarioUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.mode = undo_stack.scenario_mode
        self.workflow: Workflow | None = None
        self._loading = False
        self._row_loaded = False  # the selected row is shown in the editor (Replace may overwrite it)
        self.scenario_list = QListWidget()
        self.scenario_list.setFixedHeight(84)
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
        self.changes.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.changes.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.changes.setWordWrap(False)
        self.editor = ChangeEditor()
        self.add_change_button = QPushButton("Add change")
        self.add_change_button.setToolTip("Add the change described above to the selected scenario")
        self.replace_change_button = QPushButton("Replace")
        self.replace_change_button.setToolTip("Store the change described above in place of the selected row")
        self.remove_change_button = QPushButton("Remove change")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.launch_page = LaunchPlanPage(undo_stack)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.copy_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.mode_button)
        change_buttons = QHBoxLayout()
        change_buttons.addWidget(self.add_change_button)
        change_buttons.addWidget(self.replace_change_button)
        change_buttons.addWidget(self.remove_change_button)
        change_buttons.addStretch(1)
        self.changes_page = QWidget()
        page = QVBoxLayout(self.changes_page)
        page.setContentsMargins(0, 4, 0, 0)
        page.addWidget(self.caption)
        page.addWidget(self.changes, 1)
        page.addWidget(self.editor)
        page.addLayout(change_buttons)
        self.tabs.addTab(PageScroll(self.changes_page), "Changes")
        self.tabs.addTab(PageScroll(self.launch_page), "Launch plan")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 0)  # the tabs frame their pages: 2 px each side
        layout.addWidget(self.scenario_list)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        self.new_button.clicked.connect(self.new_scenario)
        self.copy_button.clicked.connect(self.copy_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.add_change_button.clicked.connect(self.add_change)
        self.remove_change_button.clicked.connect(self.remove_selected_change)
        self.mode_button.toggled.connect(self.mode_action.setChecked)
        self.mode_action.toggled.connect(self._mode_toggled)
        self.scenario_list.currentItemChanged.connect(lambda current, _: self._select(current))
        self.scenario_list.itemChanged.connect(self._renamed_in_list)
        self.replace_change_button.clicked.connect(self.replace_selected_change)
        self.changes.itemChanged.connect(self._cell_edited)
        self.changes.itemSelectionChanged.connect(self._row_selected)
        self.editor.edited.connect(self._check_editor)
        self.mode.changed.connect(self._mode_changed)
        self.launch_page.row_clicked.connect(self._timeline_clicked)

    # -- binding ---------------------------------------------------------------------------------
    def set_workflow(self, workflow: Workflow) -> None:
        if self.workflow is not None:
            self.workflow.events.changed.unsubscribe(self.refresh)
        self.workflow = workflow
        workflow.events.changed.subscribe(self.refresh)
        self.mode.set_workflow(workflow)
        self.editor.set_workflow(workflow)
        self.refresh()

    @property
    def scenario(self) -> Scenario | None:
        return self.mode.scenario

    def refresh(self) -> None:
        """Rebuild the list and the change table from the model (never pushes a command)."""
        if self.workflow is None:
            return
        self._loading = True
        row = self.changes.currentRow()
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
            if 0 <= row < self.changes.rowCount():
                self.changes.selectRow(row)
            self.editor.set_workflow(self.workflow)
            self.launch_page.show_scenario(self.workflow, self.scenario)
            self._name_launch_tab()
        finally:
            self._loading = False
        has = self.scenario is not None
        for widget in (self.copy_button, self.delete_button, self.mode_button, self.editor):
            widget.setEnabled(has)
        self.mode_action.setEnabled(has)
        self._check_editor()

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
        self.changes.setRowCount(count)
        for row, change in enumerate(scenario.changes):
            problem = change_problem(workflow, change)
            words = describe_change(workflow, change).split("  ⚠ ")[0]
            when = when_words(change)
            cells = {CHANGE: f"{words} · {when}" if when else words,
                     EFFECT: describe_effect(workflow, change), NOTE: change.note}
            for column, text in cells.items():
                cell = QTableWidgetItem(text)
                if column != NOTE:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if problem:
                    cell.setBackground(QBrush(INVALID_FILL))
                    cell.setToolTip(f"This change cannot apply: {problem}")
                elif column == CHANGE:
                    cell.setToolTip(text)
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
    def change_texts(self) -> list[str]:
        """The change list as a planner reads it (one line per row)."""
        return [self.changes.item(row, CHANGE).text() for row in range(self.changes.rowCount())]

    def _check_editor(self) -> Change | None:
        """The change the editor describes (None, with the reason shown, when it is not complete)."""
        has = self.scenario is not None and self.workflow is not None
        change, reason = None, ""
        if has:
            try:
                change = self.editor.change()
            except InstantError:
                reason = ""  # the timing inputs show it inline, next to the instant
            except ValueError as error:
                reason = str(error) if self.editor.value.text().strip() else ""
            if change is not None and (problem := change_problem(self.workflow, change)):
                change, reason = None, problem
        self.editor.problem.setText(reason)
        self.editor.problem.setVisible(bool(reason))
        row = self.changes.currentRow()
        self.add_change_button.setEnabled(change is not None)
        self.replace_change_button.setEnabled(change is not None and has and self._row_loaded
                                              and 0 <= row < len(self.scenario.changes))
        self.remove_change_button.setEnabled(has and 0 <= row < len(self.scenario.changes))
        return change

    def add_change(self) -> Change | None:
        """Append the change the editor describes to the selected scenario (one undoable step)."""
        change = self._check_editor()
        if self.workflow is None or self.scenario is None or change is None:
            return None
        scenario = copy.deepcopy(self.scenario)
        scenario.changes.append(change)
        self.undo_stack.push(PutScenarioCommand(self.workflow, scenario, f"Add a change to '{scenario.name}'"))
        return change

    def replace_selected_change(self) -> None:
        """Store the change the editor describes in place of the selected row."""
        row, change = self.changes.currentRow(), self._check_editor()
        if self.workflow is None or self.scenario is None or change is None or not self._row_loaded or \
                not 0 <= row < len(self.scenario.changes):
            return
        self.edit_change(row, target=change.target, path=change.path, op=change.op, value=change.value,
                         note=change.note, start=change.start, end=change.end, ramp=change.ramp, scope=change.scope)

    def remove_selected_change(self) -> None:
        row = self.changes.currentRow()
        if self.workflow is None or self.scenario is None or not 0 <= row < len(self.scenario.changes):
            return
        scenario = copy.deepcopy(self.scenario)
        del scenario.changes[row]
        self.undo_stack.push(PutScenarioCommand(self.workflow, scenario, f"Remove a change of '{scenario.name}'"))

    def edit_change(self, row: int, **fields: Any) -> None:
        """Replace fields (target, path, op, value, note, start, end, ramp, scope) of change ``row`` as one
        undoable edit."""
        if self.workflow is None or self.scenario is None:
            return
        scenario = copy.deepcopy(self.scenario)
        change = scenario.changes[row]
        if all(getattr(change, k) == v for k, v in fields.items()):
            return
        for key, value in fields.items():
            setattr(change, key, value)
        self.undo_stack.push(PutScenarioCommand(self.workflow, scenario, f"Edit a change of '{scenario.name}'"))

    def _row_selected(self) -> None:
        row = self.changes.currentRow()
        if self._loading:
            return  # a rebuild re-selects the row; the editor keeps what it shows
        self._row_loaded = False
        if self.scenario is not None and 0 <= row < len(self.scenario.changes):
            self._row_loaded = self.editor.load(self.scenario.changes[row])
        self.launch_page.timeline.select("change" if row >= 0 else None, row)
        self._check_editor()

    # -- launch plan -----------------------------------------------------------------------------
    def _name_launch_tab(self) -> None:
        count = len(self.launch_page.timeline.rows())
        self.tabs.setTabText(1, f"Launch plan ({count})" if count else "Launch plan")

    def _timeline_clicked(self, kind: str, key: object) -> None:
        if kind == "change" and isinstance(key, int) and 0 <= key < self.changes.rowCount():
            self.show_change(key)

    def show_change(self, index: int) -> None:
        """Show the Changes tab with change ``index`` selected and loaded into the editor."""
        self.tabs.setCurrentIndex(0)
        self.changes.selectRow(index)
        self.changes.scrollToItem(self.changes.item(index, CHANGE))

    def _cell_edited(self, cell: QTableWidgetItem) -> None:
        if not self._loading and cell.column() == NOTE:
            self.edit_change(cell.row(), note=cell.text().strip())

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
