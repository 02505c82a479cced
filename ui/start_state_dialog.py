"""The "Today's backlog" dialog: the items waiting at each review stage when a run starts, edited as a table.

Rules:
- One row per entry: stage (a review stage, picked from a list), category, language, priority, count and ages.
  The ages cell reads ``3`` (every item 3 h old) or ``1-6`` (uniform from 1 to 6 h); an entry imported with one
  age per item shows ``given: 0.2–11.0 h`` and keeps those ages until its count or ages cell is edited.
- "Import from file…" reads a queues export (:func:`flowmodel.imports.backlog.read_backlog`) into the table
  and says what would change per stage; nothing reaches the model until OK.
- A cell that does not parse, or a draft validation refuses (:mod:`flowmodel.validation_start_state`), is shown
  under the table and OK is disabled; warnings are shown but allow OK.
- OK applies the whole table as ONE undoable command (:class:`SetStartStateCommand`); no rows = no start state.
  In scenario mode too it changes the baseline (every scenario starts from the same backlog), and the dialog says so.
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flowmodel.errors import FlowmodelError
from flowmodel.imports.backlog import backlog_changes, read_backlog
from flowmodel.nodes import MixEntry, ReviewStage
from flowmodel.start_state import BacklogEntry, StartState
from flowmodel.validation_start_state import check_start_state
from flowmodel.workflow import Workflow
from ui.forms.problem_label import ProblemLabel

COLUMNS = ("Stage", "Category", "Language", "Priority", "Count", "Ages (h)")
STAGE, CATEGORY, LANGUAGE, PRIORITY, COUNT, AGES = range(len(COLUMNS))
FILE_FILTER = "Tables (*.csv *.tsv *.txt *.xlsx *.xlsm);;All files (*)"
_RANGE = re.compile(r"^\s*([0-9.,]+)\s*(?:[-–]\s*([0-9.,]+))?\s*h?\s*$")


class SetStartStateCommand(QUndoCommand):
    """Replace the workflow's start state (None: start empty) — undo puts the previous one back."""

    def __init__(self, workflow: Workflow, state: StartState | None) -> None:
        super().__init__("Set today's backlog" if state is not None else "Clear today's backlog")
        self.workflow = workflow
        self.state = copy.deepcopy(state)
        self.previous = copy.deepcopy(workflow.start_state)

    def redo(self) -> None:
        self.workflow.set_start_state(self.state)

    def undo(self) -> None:
        self.workflow.set_start_state(self.previous)


def ages_text(entry: BacklogEntry) -> str:
    """What the ages cell shows for ``entry`` (see the module rules)."""
    if entry.ages_h:
        return f"given: {_hours(min(entry.ages_h))}–{_hours(max(entry.ages_h))} h"
    if entry.age_min_h == entry.age_max_h:
        return f"{entry.age_min_h:g}"
    return f"{entry.age_min_h:g}-{entry.age_max_h:g}"


def _hours(value: float) -> str:
    """An age for the table: one decimal (a tenth of an hour is 6 minutes), two under a tenth."""
    return f"{value:.2f}" if 0 < value < 0.1 else f"{value:.1f}"


def parse_ages(text: str) -> tuple[float, float]:
    """(youngest, oldest) hours from ``3`` or ``1-6``; ValueError with the words to show otherwise."""
    match = _RANGE.match(text)
    if match is None:
        raise ValueError(f"ages {text!r}: write one age in hours (3) or a range (1-6)")
    low = float(match.group(1).replace(",", "."))
    high = float(match.group(2).replace(",", ".")) if match.group(2) else low
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"ages {text!r} are not numbers")
    return low, high


class StartStateDialog(QDialog):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Today's backlog")
        self.workflow = workflow
        self.undo_stack = undo_stack
        self.stages = [(n.id, n.name) for n in workflow.nodes.values() if isinstance(n, ReviewStage)]
        self._entries: list[BacklogEntry] = copy.deepcopy(workflow.start_state.entries) \
            if workflow.start_state is not None else []
        self._note = workflow.start_state.note if workflow.start_state is not None else ""
        self._loading = False
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (STAGE, AGES):  # a stage's name and "given: 0.1–56.7 h" are read whole, on one line
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._changed)
        self.add_button = QPushButton("Add row")
        self.remove_button = QPushButton("Remove")
        self.import_button = QPushButton("Import from file…")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected_rows)
        self.import_button.clicked.connect(self._choose_file)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problem = ProblemLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.import_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        intro = "Items already waiting when the run starts; their SLA clocks count their age."
        mode = getattr(undo_stack, "scenario_mode", None)
        if mode is not None and mode.active:  # a start state is not a scenario change: say where OK writes
            intro += " Every scenario starts from this backlog: OK changes the baseline, not the scenario."
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(760, 420)
        self._fill()

    # -- the table -------------------------------------------------------------------------------
    def _fill(self) -> None:
        self._loading = True
        self.table.setRowCount(len(self._entries))
        for r, entry in enumerate(self._entries):
            combo = QComboBox()
            for stage_id, name in self.stages:
                combo.addItem(name, stage_id)
            if entry.stage not in [s for s, _ in self.stages]:
                combo.addItem(f"(missing: {entry.stage})", entry.stage)
            combo.setCurrentIndex(combo.findData(entry.stage))
            combo.currentIndexChanged.connect(lambda _i, combo=combo: self._stage_picked(combo))
            self.table.setCellWidget(r, STAGE, combo)
            for c, text in ((CATEGORY, entry.category), (LANGUAGE, entry.language), (PRIORITY, entry.priority),
                            (COUNT, str(entry.count)), (AGES, ages_text(entry))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._loading = False
        self._review()

    def _stage_picked(self, combo: QComboBox) -> None:
        for r in range(self.table.rowCount()):
            if self.table.cellWidget(r, STAGE) is combo:
                self._entries[r].stage = str(combo.currentData())
        self._review()

    def _changed(self, cell: QTableWidgetItem) -> None:
        if self._loading:
            return
        self._review()

    def add_row(self) -> None:
        first = self.stages[0][0] if self.stages else ""
        self._entries = self._read_rows(strict=False)
        self._entries.append(BacklogEntry(first, 1, MixEntry().category, MixEntry().language, MixEntry().priority))
        self._fill()

    def remove_selected_rows(self) -> None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()} \
            or ({self.table.currentRow()} if self.table.currentRow() >= 0 else set())
        self._entries = [e for i, e in enumerate(self._read_rows(strict=False)) if i not in rows]
        self._fill()

    def _read_rows(self, *, strict: bool = True) -> list[BacklogEntry]:
        """The table as entries (ValueError naming the row when ``strict`` and a cell does not parse; otherwise
        an unparsable cell keeps the entry's previous value)."""
        out: list[BacklogEntry] = []
        for r, before in enumerate(self._entries):
            entry = copy.deepcopy(before)
            entry.category, entry.language, entry.priority = (self._text(r, c) for c in (CATEGORY, LANGUAGE,
                                                                                          PRIORITY))
            try:
                count_text = self._text(r, COUNT)
                count = float(count_text.replace(",", "."))
                if not math.isfinite(count) or count != int(count):
                    raise ValueError(f"row {r + 1}: the count {count_text!r} is not a whole number")
                entry.count = int(count)
                ages = self._text(r, AGES)
                if ages != ages_text(before) or entry.count != before.count:
                    if ages.startswith("given:"):
                        raise ValueError(f"row {r + 1}: the count changed, so the given ages no longer fit: "
                                         "write an age or a range in hours (1-6)")
                    entry.ages_h = []
                    entry.age_min_h, entry.age_max_h = parse_ages(ages)
            except ValueError as error:
                if strict:
                    message = str(error)
                    raise ValueError(message if message.startswith("row") else f"row {r + 1}: {message}") from None
                entry = before
            out.append(entry)
        return out

    def _text(self, row: int, column: int) -> str:
        cell = self.table.item(row, column)
        return cell.text().strip() if cell is not None else ""

    # -- what the draft would do ---------------------------------------------------------------
    def draft(self) -> StartState | None:
        """The table as a start state (None without rows); ValueError when a cell does not parse."""
        entries = self._read_rows()
        return StartState(entries, note=self._note) if entries else None

    def _review(self) -> None:
        try:
            state = self.draft()
        except ValueError as error:
            self._verdict(str(error), blocking=True)
            return
        model = self.workflow.copy()
        model.start_state = state
        issues = check_start_state(model)
        errors = [i for i in issues if i.severity == "error"]
        total = state.total() if state is not None else 0
        self.summary.setText(f"{total:,} items in {len(state.entries) if state else 0} rows"
                             + (f" — {self._note}" if self._note else ""))
        shown = errors or issues
        self._verdict(f"{shown[0].message} ({shown[0].hint})" if shown else "", blocking=bool(errors))

    def _verdict(self, text: str, *, blocking: bool) -> None:
        self.problem.show_problem(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not blocking)

    # -- importing -------------------------------------------------------------------------------
    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import today's backlog", "", FILE_FILTER)
        if name:
            self.import_file(name)

    def import_file(self, path: str | Path, **options: object) -> bool:
        """Read ``path`` into the table (``options`` go to :func:`read_backlog`); False and the reason shown when
        the file cannot be read. The model is not changed until OK."""
        try:
            state = read_backlog(path, self.workflow, **options)  # type: ignore[arg-type]
        except FlowmodelError as error:
            where = f" ({error.where})" if error.where else ""
            self._verdict(f"{error.message}{where}" + (f" — {error.hint}" if error.hint else ""), blocking=False)
            return False
        changes = backlog_changes(self.workflow, state)
        self._entries, self._note = state.entries, state.note
        self._fill()
        self.summary.setText(self.summary.text() + ("\nOn OK: " + "; ".join(changes) if changes else ""))
        return True

    # -- applying --------------------------------------------------------------------------------
    def accept(self) -> None:
        try:
            state = self.draft()
        except ValueError as error:
            self._verdict(str(error), blocking=True)
            return
        if state != self.workflow.start_state:
            self.undo_stack.push(SetStartStateCommand(self.workflow, state))
        super().accept()


def open_start_state(window) -> StartStateDialog:
    """Import → Today's backlog…: the table of items waiting when runs start, for ``window``'s workflow; OK is one
    undoable edit on the baseline (a start state is where every scenario starts, not a scenario change)."""
    dialog = StartStateDialog(window.document.workflow, window.undo_stack, parent=window)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
