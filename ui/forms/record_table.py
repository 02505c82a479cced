"""A table editor for a list of small records (mix entries, SLA targets, surges, shifts).

Rules:
- Each column reads one value of a record; a row of parsed cells builds a record back (``build``).
- The list is edited as a whole value: every accepted cell edit, added or removed row emits
  ``edited("", records)``. A cell that does not parse, or a list the table's ``check`` refuses (shares
  that do not sum to 1), is marked and explained, and nothing is emitted — the draft stays visible.
- Loading a value updates only the cells whose text differs, so the current cell and selection survive.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.forms.problem_label import PROBLEM_BACKGROUND

MAX_VISIBLE_ROWS = 8
ROW_HEIGHT = 24
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column: ``read`` gets the stored value from a record; numbers are shown × ``scale``."""

    title: str
    read: Callable[[Any], Any]
    kind: Literal["text", "number", "count", "choice"] = "text"
    minimum: float = 0.0
    maximum: float = 1e9
    choices: tuple[str, ...] = ()
    scale: float = 1.0
    required: bool = True
    tip: str = ""

    def show(self, value: Any) -> str:
        if self.kind == "number":
            return f"{value * self.scale:.10g}"
        return str(value)

    def parse(self, text: str) -> tuple[Any, str]:
        """(stored value, "") or (None, what is wrong)."""
        text = text.strip()
        if self.kind in ("text", "choice"):
            if self.required and not text:
                return None, f"{self.title} must not be empty"
            if self.kind == "choice" and text not in self.choices:
                return None, f"{self.title} must be one of {', '.join(self.choices)}"
            return text, ""
        try:
            number = float(text.rstrip("%").strip().replace(",", "."))
        except ValueError:
            return None, f"{self.title} must be a number, not {text!r}"
        if not math.isfinite(number) or not self.minimum <= number <= self.maximum:
            return None, f"{self.title} must be between {self.minimum:g} and {self.maximum:g}"
        if self.kind == "count":
            if number != int(number):
                return None, f"{self.title} must be a whole number"
            return int(number), ""
        return number / self.scale, ""


class _ChoiceDelegate(QStyledItemDelegate):
    """Choice columns are edited with a combo box, so only listed values can be picked."""

    def __init__(self, columns: Sequence[Column], parent: QWidget) -> None:
        super().__init__(parent)
        self.columns = columns

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = self.columns[index.column()]
        if column.kind != "choice":
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(list(column.choices))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data()))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
        else:
            super().setModelData(editor, model, index)


class RecordTable(QWidget):
    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, columns: Sequence[Column], build: Callable[[list[Any]], Any],
                 blank: Callable[[list[Any]], Any], add_text: str = "Add row",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.build = build
        self.blank = blank
        self._records: list[Any] = []
        self._loading = False
        self.table = QTableWidget(0, len(self.columns))
        self.table.setHorizontalHeaderLabels([c.title for c in self.columns])
        for col, column in enumerate(self.columns):
            self.table.horizontalHeaderItem(col).setToolTip(column.tip or column.title)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegate(_ChoiceDelegate(self.columns, self.table))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.itemChanged.connect(self._cell_changed)
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected_rows)
        self.buttons = QHBoxLayout()
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.remove_button)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.table)
        layout.addLayout(self.buttons)

    # -- hooks -----------------------------------------------------------------------------------
    def check(self, records: list[Any]) -> str:
        """What is wrong with the list as a whole ("" = nothing). Override."""
        return ""

    def adjust(self, row: int, column: int, before: Any, after: Any) -> Any:
        """The record to keep when cell (row, column) turned ``before`` into ``after``. Override."""
        return after

    def draft_changed(self, records: list[Any] | None) -> None:
        """Called with the parsed draft (``None`` if a cell does not parse) after every edit. Override."""

    def to_records(self, value: Any) -> list[Any]:
        """The rows of a stored value (override when the model stores something other than a list)."""
        return list(value)

    def to_value(self, records: list[Any]) -> Any:
        """The stored value of a list of rows (the inverse of :meth:`to_records`)."""
        return records

    # -- value -----------------------------------------------------------------------------------
    def value(self) -> Any:
        return self.to_value(copy.deepcopy(self._records))

    def set_value(self, value: Any) -> None:
        self._loading = True
        records = self._records = copy.deepcopy(self.to_records(value))
        if self.table.rowCount() != len(records):
            self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            for col, column in enumerate(self.columns):
                text = column.show(column.read(record))
                cell = self.table.item(row, col)
                if cell is None:
                    cell = QTableWidgetItem(text)
                    if column.kind in ("number", "count"):
                        cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(row, col, cell)
                elif cell.text() != text:
                    cell.setText(text)
                self._mark(row, col, "")
        self._fit_height()
        self.problem.emit(self.check(self._records))
        self.draft_changed(self._records)
        self._loading = False

    def add_row(self) -> None:
        self._offer([*self._records, self.blank(self._records)])

    def remove_selected_rows(self) -> None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()} \
            or ({self.table.currentRow()} if self.table.currentRow() >= 0 else set())
        if rows:
            self._offer([r for i, r in enumerate(self._records) if i not in rows])

    # -- edits -----------------------------------------------------------------------------------
    def _cell_changed(self, cell: QTableWidgetItem) -> None:
        if self._loading:
            return
        records, problems = self._parse()
        for (row, col), message in problems.items():
            self._mark(row, col, message)
        if records is None:
            self.draft_changed(None)
            self.problem.emit(next(iter(problems.values())))
            return
        row = cell.row()
        if row < len(self._records):
            records[row] = self.adjust(row, cell.column(), self._records[row], records[row])
        self._offer(records)

    def _offer(self, records: list[Any]) -> None:
        self.draft_changed(records)
        message = self.check(records)
        self.problem.emit(message)
        if not message and records != self._records:
            self.edited.emit("", self.to_value(records))

    def _parse(self) -> tuple[list[Any] | None, dict[tuple[int, int], str]]:
        records: list[Any] = []
        problems: dict[tuple[int, int], str] = {}
        for row in range(self.table.rowCount()):
            values = []
            for col, column in enumerate(self.columns):
                cell = self.table.item(row, col)
                value, message = column.parse(cell.text() if cell is not None else "")
                problems.update({(row, col): message} if message else {})
                self._mark(row, col, message)
                values.append(value)
            if not any(r == row for r, _ in problems):
                records.append(self.build(values))
        return (None if problems else records), problems

    def _mark(self, row: int, col: int, message: str) -> None:
        cell = self.table.item(row, col)
        if cell is None:
            return
        self._loading, was_loading = True, self._loading
        cell.setBackground(QBrush(QColor(PROBLEM_BACKGROUND)) if message else QBrush())
        cell.setToolTip(message)
        self._loading = was_loading

    def _fit_height(self) -> None:
        """Show up to MAX_VISIBLE_ROWS rows without an inner scroll bar (the form scrolls, not the table)."""
        rows = max(1, min(self.table.rowCount(), MAX_VISIBLE_ROWS))
        header = self.table.horizontalHeader().sizeHint().height()
        height = header + rows * self.table.verticalHeader().defaultSectionSize() + 2 * self.table.frameWidth()
        self.table.setFixedHeight(height + 2)
