"""Per-category values over an overall one: one row per category, a blank cell takes the overall value.

Rules:
- The rows are the categories the planner knows (those in the item mixes) and any category the model already
  holds a value for (marked "not in any item mix", so a stale value can be cleared). The category column is
  read-only: categories come from the mixes, not from this table.
- A cell the model holds no value for shows the overall value in grey italics and stores nothing; typing a
  number there gives the category its own value; clearing a cell gives the overall value back.
- In a *paired* table the cells of a row are one record (an accuracy's two numbers, a branch's two shares):
  typing one fills the row's other cells with the overall values, clearing one clears the row.
- A cell that does not parse or is out of range is marked and explained, and nothing is emitted. Every
  accepted edit emits ``edited("", value)`` (a whole-value edit, its own undo step).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ui.forms.problem_label import PROBLEM_BACKGROUND

INHERITED = Qt.ItemDataRole.UserRole + 1
INHERITED_GREY = "#8a8a8a"
ROW_HEIGHT = 24
MAX_VISIBLE_ROWS = 8
Cells = list[float | None]
PAIRED_FILL = 1.0  # a paired row's other cells when there is no overall value (accuracy: always right)


@dataclass(frozen=True)
class NumberColumn:
    """One number column; stored values are shown × ``scale`` (100 for a share shown in %)."""

    title: str
    maximum: float = 1.0
    scale: float = 100.0
    tip: str = ""
    blank: str = "the overall value"

    @property
    def name(self) -> str:
        """The title on one line (headers may break it in two)."""
        return self.title.replace("\n", " ")

    def show(self, value: float) -> str:
        return f"{value * self.scale:.6g}" + (" %" if self.scale == 100.0 else "")

    def parse(self, text: str) -> tuple[float | None, str]:
        """(stored value or None for a blank cell, "") or (None, what is wrong)."""
        text = text.strip().rstrip("%").strip().replace(",", ".")
        if not text:
            return None, ""
        try:
            number = float(text) / self.scale
        except ValueError:
            return None, f"{self.name} must be a number, not {text!r}"
        if not math.isfinite(number) or not 0.0 <= number <= self.maximum:
            return None, f"{self.name} must be from 0 to {self.show(self.maximum)}"
        return number, ""


class CategoryTable(QWidget):
    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, columns: Sequence[NumberColumn], paired: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.paired = paired
        self.known: list[str] = []
        self.defaults: list[float | None] = [0.0] * len(self.columns)  # None: no overall value ("—")
        self._rows: dict[str, Cells] = {}
        self._loading = False
        self.table = QTableWidget(0, len(self.columns) + 1)
        self.table.setHorizontalHeaderLabels(["Category", *(c.title for c in self.columns)])
        for col, column in enumerate(self.columns, start=1):
            self.table.horizontalHeaderItem(col).setToolTip(column.tip or column.title)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.setWordWrap(False)
        self.table.itemChanged.connect(self._cell_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    # -- hooks -----------------------------------------------------------------------------------
    def to_rows(self, value: Any) -> dict[str, Cells]:
        """The rows of a stored value (override: the model stores records, not lists)."""
        return {category: list(cells) for category, cells in (value or {}).items()}

    def to_value(self, rows: dict[str, Cells]) -> Any:
        """The stored value of the rows (the inverse of :meth:`to_rows`)."""
        return rows

    # -- value -----------------------------------------------------------------------------------
    def set_known(self, categories: Sequence[str], defaults: Sequence[float | None] | None = None) -> None:
        """The categories to offer and the overall values blank cells show."""
        self.known = list(categories)
        if defaults is not None:
            self.defaults = list(defaults)
        self._show()

    def set_value(self, value: Any) -> None:
        self._rows = {c: list(cells) for c, cells in self.to_rows(value).items()}
        self._show()

    def value(self) -> Any:
        return self.to_value({c: list(cells) for c, cells in self._rows.items()})

    def categories(self) -> list[str]:
        return [*self.known, *sorted(c for c in self._rows if c not in self.known)]

    def cell(self, category: str, column: int) -> QTableWidgetItem:
        """The cell of ``category`` in number column ``column`` (0-based; tests type into it)."""
        return self.table.item(self.categories().index(category), column + 1)

    # -- showing ---------------------------------------------------------------------------------
    def _show(self) -> None:
        self._loading = True
        try:
            categories = self.categories()
            if self.table.rowCount() != len(categories):
                self.table.setRowCount(len(categories))
            for row, category in enumerate(categories):
                name = self._item(row, 0)
                name.setFlags(Qt.ItemFlag.ItemIsEnabled)
                name.setText(category)
                name.setToolTip("" if category in self.known else "not in any item mix: clear its values")
                name.setForeground(QBrush(QColor(INHERITED_GREY)) if category not in self.known else QBrush())
                cells = self._rows.get(category, [None] * len(self.columns))
                for col, column in enumerate(self.columns):
                    self._show_cell(self._item(row, col + 1), column, cells[col], self.defaults[col])
            rows = max(1, min(len(categories), MAX_VISIBLE_ROWS))
            header = self.table.horizontalHeader().sizeHint().height()
            self.table.setFixedHeight(header + rows * ROW_HEIGHT + 2 * self.table.frameWidth() + 2)
        finally:
            self._loading = False

    def _item(self, row: int, col: int) -> QTableWidgetItem:
        item = self.table.item(row, col)
        if item is None:
            item = QTableWidgetItem()
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)
        return item

    def _show_cell(self, item: QTableWidgetItem, column: NumberColumn, value: float | None,
                   default: float | None) -> None:
        inherited = value is None
        text = column.show(value) if value is not None else column.show(default) if default is not None else "—"
        if item.text() != text:
            item.setText(text)
        item.setData(INHERITED, inherited)
        font = QFont(item.font())
        font.setItalic(inherited)
        item.setFont(font)
        item.setForeground(QBrush(QColor(INHERITED_GREY)) if inherited else QBrush())
        item.setBackground(QBrush())
        item.setToolTip(f"{column.blank} ({text}); type a number to give this category its own" if inherited
                        else "this category's own value; clear the cell to use the overall value")

    # -- edits -----------------------------------------------------------------------------------
    def _cell_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() == 0:
            return
        category = self.categories()[item.row()]
        col = item.column() - 1
        value, message = self.columns[col].parse(item.text())
        if message:
            self._loading = True
            item.setBackground(QBrush(QColor(PROBLEM_BACKGROUND)))
            item.setToolTip(message)
            self._loading = False
            self.problem.emit(f"{category}: {message}")
            return
        self.problem.emit("")
        rows = {c: list(cells) for c, cells in self._rows.items()}
        cells = rows.get(category, [None] * len(self.columns))
        if value is None and self.paired:
            rows.pop(category, None)
        else:
            if self.paired:
                cells = [(PAIRED_FILL if d is None else d) if v is None else v
                         for v, d in zip(cells, self.defaults, strict=True)]
            cells[col] = value
            if any(v is not None for v in cells):
                rows[category] = cells
            else:
                rows.pop(category, None)
        if rows == self._rows:
            self._show()
            return
        self._rows = rows
        self._show()
        self.edited.emit("", self.to_value(rows))
