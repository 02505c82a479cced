"""The main window's "Trace items…" action (Run menu): one trace window per main window, kept while it lives.

Reopening it while no trace runs reloads the workflow on the canvas and preselects the scenario chosen in the
Scenarios panel; exports start in the document's folder (the home folder for an untitled document).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ui.trace.dialog import TraceDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class TraceWiring(QObject):
    def __init__(self, window: MainWindow, menu: QMenu, jobs: int | None = None) -> None:
        super().__init__(window)
        self.window, self.jobs = window, jobs
        self.dialog: TraceDialog | None = None
        self.action = QAction("&Trace items…", window)
        self.action.setStatusTip("Follow a sample of items through a scenario: every stage, wait, team and time, "
                                 "and export them as an event log")
        self.action.triggered.connect(lambda _checked=False: self.open_dialog())
        menu.addAction(self.action)

    def folder(self) -> Path:
        path = getattr(self.window.document, "path", None)
        return Path(path).parent if path else Path.home()

    def open_dialog(self) -> TraceDialog:
        window = self.window
        chosen = window.scenarios.scenario
        if self.dialog is None:
            self.dialog = TraceDialog(window.document.workflow, self.folder(), window, self.jobs)
        if not self.dialog.controller.running:
            self.dialog.folder = self.folder()
            self.dialog.set_workflow(window.document.workflow, chosen.id if chosen is not None else None)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def stop(self) -> None:
        """Cancel a running trace and wait for its worker (the window is closing)."""
        if self.dialog is not None and self.dialog.controller.running:
            self.dialog.controller.cancel()
            self.dialog.controller.wait()
