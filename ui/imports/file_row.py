"""The file and sheet an import dialog reads, and the line that says what went wrong with it.

Rules:
- The file is chosen with a file dialog (or given by the caller); the row only shows it and says so
  (``changed``) — the dialog reads the file, so nothing is read twice.
- A workbook's sheets are listed in the sheet combo (the first one chosen); a CSV has no sheets and the combo is
  disabled. A workbook that cannot even list its sheets leaves the combo empty: reading it reports why.
- Messages are one label under the dialog's inputs: red for an error (nothing in the model changes), muted for
  notes about what reading left out.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from reports.chart_style import MUTED
from ui.forms.problem_label import PROBLEM_RED

TABLE_FILTER = "Tables (*.csv *.tsv *.txt *.xlsx *.xlsm);;All files (*)"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook in their order; [] for a CSV or a workbook that cannot be opened."""
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return []
    import openpyxl  # imported here: only workbooks need it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # reading the sheet says what is wrong with the file, in the dialog's words
        return []
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def ask_table_path(parent: QWidget, title: str, folder: Path) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, str(folder), TABLE_FILTER)
    return Path(name) if name else None


class FileRow(QWidget):
    """``[file name……] [Choose…]  Sheet [combo]``; ``changed`` when the file or the sheet changes."""

    changed = Signal()

    def __init__(self, title: str, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.folder = folder
        self.path: Path | None = None
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("no file chosen")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self.choose)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumContentsLength(12)
        self.sheet_combo.setEnabled(False)
        self.sheet_combo.activated.connect(lambda _index: self.changed.emit())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.choose_button)
        row.addWidget(QLabel("Sheet:"))
        row.addWidget(self.sheet_combo)

    @property
    def sheet(self) -> str | None:
        return self.sheet_combo.currentText() or None if self.sheet_combo.isEnabled() else None

    def choose(self) -> None:
        path = ask_table_path(self, self.title, self.path.parent if self.path else self.folder)
        if path is not None:
            self.set_path(path)

    def set_path(self, path: Path) -> None:
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self.file_edit.setToolTip(str(self.path))
        sheets = sheet_names(self.path)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(sheets)
        self.sheet_combo.setEnabled(bool(sheets))
        self.changed.emit()

    def set_sheet(self, name: str) -> None:
        index = self.sheet_combo.findText(name)
        if index >= 0 and index != self.sheet_combo.currentIndex():
            self.sheet_combo.setCurrentIndex(index)
            self.changed.emit()


class MessageLabel(QLabel):
    """The dialog's one message line: an error (red) or notes (muted); ``error`` is the error shown, if any."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.error = ""
        self.hide()

    def show_error(self, text: str) -> None:
        self.error = text
        self._show(text, PROBLEM_RED)

    def show_notes(self, notes: list[str] | tuple[str, ...]) -> None:
        self.error = ""
        self._show("\n".join(f"• {note}" for note in notes), MUTED)

    def _show(self, text: str, colour: str) -> None:
        self.setText(text)
        self.setStyleSheet(f"color: {colour};")
        self.setVisible(bool(text))
