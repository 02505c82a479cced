"""The Help menu: the keyboard shortcuts (read from the window's own actions, so the list cannot go stale) and
which Flowmodel this is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from reports.about import flowmodel_version

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def shortcut_rows(window: MainWindow) -> list[tuple[str, str]]:
    """(action, keys) of every action of the window with a key, in menu order, "&" mnemonics removed."""
    rows: list[tuple[str, str]] = []
    seen: set[int] = set()

    def walk(actions: list[QAction]) -> None:
        for action in actions:
            if action.menu() is not None:
                walk(action.menu().actions())
            elif id(action) not in seen and action.shortcuts():
                seen.add(id(action))
                keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
                rows.append((action.text().replace("&", "").rstrip("…").strip(), keys))

    walk(window.menuBar().actions())
    return rows


class HelpMenu(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        menu = window.menuBar().addMenu("&Help")
        self.shortcuts_action = QAction("&Keyboard shortcuts", window)
        self.shortcuts_action.setShortcut(QKeySequence("F1"))
        self.shortcuts_action.triggered.connect(lambda _checked=False: self.show_shortcuts())
        self.about_action = QAction("&About Flowmodel", window)
        self.about_action.triggered.connect(lambda _checked=False: self.show_about())
        menu.addAction(self.shortcuts_action)
        menu.addAction(self.about_action)
        self.dialog: QDialog | None = None

    def show_shortcuts(self) -> QDialog:
        rows = shortcut_rows(self.window)
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(("Action", "Keys"))
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, (name, keys) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(name))
            table.setItem(row, 1, QTableWidgetItem(keys))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(460, 520)
        dialog.table = table  # type: ignore[attr-defined]
        self.dialog = dialog
        dialog.show()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(self.window, "About Flowmodel",
                          f"<b>Flowmodel {flowmodel_version()}</b><br>Policy-workflow modelling for Trust &amp; "
                          "Safety operations: draw the workflow, simulate baseline and policy change, compare, "
                          "and staff it.")
