"""The "Today's backlog" panel of the results view: when the backlog a run started from is cleared.

Rules: shown only for a run started from today's backlog (:mod:`reports.start_backlog`), above the tabs so it is
in view on the Results and Compare tabs alike; hidden (and empty) for any other run. It says the findings
sentence of each scenario (:func:`reports.start_backlog_words.backlog_sentence`) and lists the key figures'
"Today's backlog" group, one column per scenario, each cell as the exports write it — a mean that leaves out
replications not cleared by the end says so.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from reports.comparison import Comparison
from reports.formatting import figure_label
from reports.start_backlog import KIND
from reports.start_backlog_words import backlog_sentence, cell_text

MAX_ROWS_SHOWN = 8


class BacklogPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("<b>Today's backlog</b>")
        self.sentences = QLabel()
        self.sentences.setWordWrap(True)
        self.table = QTableWidget()
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.sentences)
        layout.addWidget(self.table)
        self.setVisible(False)

    @property
    def has_results(self) -> bool:
        return self.table.rowCount() > 0

    def show_comparison(self, comparison: Comparison | None) -> None:
        """Fill the panel from ``comparison`` (None, or a run without today's backlog: hidden and empty)."""
        figures = [f for f in comparison.figures if f.scope_kind == KIND] if comparison is not None else []
        self.table.clearContents()
        self.table.setRowCount(0)
        if comparison is None or not figures:
            self.sentences.clear()
            self.setVisible(False)
            return
        several = len(comparison.scenarios) > 1
        lines = [backlog_sentence(comparison, i) for i in range(len(comparison.scenarios))]
        self.sentences.setText("\n".join(f"{s.name}: {line}" if several else line
                                         for s, line in zip(comparison.scenarios, lines, strict=True) if line))
        self.table.setColumnCount(1 + len(comparison.scenarios))
        self.table.setHorizontalHeaderLabels(["Key figure", *[s.name for s in comparison.scenarios]])
        self.table.setRowCount(len(figures))
        for row, figure in enumerate(figures):
            self.table.setItem(row, 0, QTableWidgetItem(figure_label(figure)))
            for position in range(len(comparison.scenarios)):
                self.table.setItem(row, 1 + position, QTableWidgetItem(cell_text(figure, position)))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(1, self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        shown = sum(self.table.rowHeight(r) for r in range(min(len(figures), MAX_ROWS_SHOWN)))
        self.table.setFixedHeight(header.sizeHint().height() + shown + 2 * self.table.frameWidth())
        self.setVisible(True)

    def text(self) -> str:
        """Everything the panel says, sentence and cells, as a planner reads it (for tests and copy)."""
        cells = [self.table.item(r, c).text() for r in range(self.table.rowCount())
                 for c in range(self.table.columnCount()) if self.table.item(r, c) is not None]
        return "\n".join([self.sentences.text(), *cells])
