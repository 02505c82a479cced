"""The validation panel: errors and warnings of the shown workflow, live as the model changes.

Rules: the panel re-validates shortly after the model's ``changed`` event (debounced, so a burst of
edits — a paste, an auto-layout — validates once); it lists errors before warnings, each with the
hint as tooltip; clicking an issue emits ``issue_activated`` so the window can select and centre the
node (or edge) concerned. ``issues_changed`` lets the canvas mark cards with errors.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget

from flowmodel.validation import Issue, validate
from flowmodel.workflow import Workflow

DEBOUNCE_MS = 150
ISSUE_ROLE = Qt.ItemDataRole.UserRole


class ValidationPanel(QWidget):
    """List of validation issues (see module rules)."""

    issue_activated = Signal(object)
    issues_changed = Signal(list)

    def __init__(self, workflow: Workflow | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.workflow: Workflow | None = None
        self.issues: list[Issue] = []
        self.summary = QLabel()
        self.summary.setContentsMargins(6, 4, 6, 2)
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._activate)
        self.list.itemActivated.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.summary)
        layout.addWidget(self.list)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self.set_workflow(workflow)

    def set_workflow(self, workflow: Workflow | None) -> None:
        if self.workflow is not None:
            self.workflow.events.changed.unsubscribe(self._schedule)
        self.workflow = workflow
        if workflow is not None:
            workflow.events.changed.subscribe(self._schedule)
        self.refresh()

    def _schedule(self) -> None:
        self._timer.start()

    def refresh(self) -> None:
        """Validate now and show the result."""
        self._timer.stop()
        issues = validate(self.workflow) if self.workflow is not None else []
        self.issues = sorted(issues, key=lambda i: i.severity != "error")
        self.list.clear()
        icons = {"error": self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
                 "warning": self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)}
        for issue in self.issues:
            item = QListWidgetItem(icons[issue.severity], issue.message)
            item.setToolTip(f"What to do: {issue.hint}" if issue.hint else issue.message)
            item.setData(ISSUE_ROLE, issue)
            self.list.addItem(item)
        self.summary.setText(self.summary_text())
        self.issues_changed.emit(self.issues)

    def summary_text(self) -> str:
        errors = sum(1 for i in self.issues if i.severity == "error")
        warnings = len(self.issues) - errors
        if not self.issues:
            return "No problems found: the workflow can be simulated."
        parts = [f"{errors} error{'s' if errors != 1 else ''}" if errors else "",
                 f"{warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""]
        blocked = " — errors block a run" if errors else ""
        return " and ".join(p for p in parts if p) + blocked

    def _activate(self, item: QListWidgetItem) -> None:
        issue = item.data(ISSUE_ROLE)
        if issue is not None:
            self.issue_activated.emit(issue)
