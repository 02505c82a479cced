"""The workflow's name, editable in the main toolbar: it titles the window and every export.

Rules: a rename is one :class:`~ui.commands.RenameWorkflowCommand` on the window's undo stack, pushed when
editing finishes (Enter or leaving the field); an empty name is refused and the field shows the name again;
undo and redo show in the field because it follows the workflow's change notifications.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit, QWidget

from flowmodel.workflow import Workflow
from ui.commands import RenameWorkflowCommand

MAX_NAME_LENGTH = 200


class WorkflowNameField(QLineEdit):
    """Shows and renames the workflow on the canvas."""

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.workflow: Workflow | None = None
        self.setObjectName("workflow_name")
        self.setPlaceholderText("Workflow name")
        self.setToolTip("The workflow's name: it titles the window, PDF and XLSX exports (Enter to rename)")
        self.setMaxLength(MAX_NAME_LENGTH)
        self.setMinimumWidth(220)
        self.editingFinished.connect(self.commit)

    def set_workflow(self, workflow: Workflow) -> None:
        if self.workflow is not None:
            self.workflow.events.changed.unsubscribe(self.show_name)
        self.workflow = workflow
        workflow.events.changed.subscribe(self.show_name)
        self.show_name()

    def show_name(self) -> None:
        if self.workflow is not None and self.text() != self.workflow.name:
            self.setText(self.workflow.name)
            self.setCursorPosition(0)

    def commit(self) -> None:
        """Rename to the typed name (trimmed); nothing typed, or the same name, changes nothing."""
        if self.workflow is None:
            return
        name = self.text().strip()
        if name and name != self.workflow.name:
            self.undo_stack.push(RenameWorkflowCommand(self.workflow, name))
        self.show_name()
