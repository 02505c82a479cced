"""One open document: its workflow(s), file path, undo stack and saved ("clean") state.

Rules:
- The undo stack's clean state is the only "unsaved changes" flag: a save marks it clean, undoing
  back to the saved state makes the document clean again.
- Reading a file builds a new Document or raises :class:`LoadError`; it never touches the document
  that is open, so a corrupted file cannot damage the planner's current work.
- A ``.flow.json`` holds one workflow and is written atomically through ``write_workflow_json``; a
  ``.flowdb`` workspace holds several. Saving over the workspace it came from updates its workflows in
  place (keeping run results), all of them in one transaction; Save As writes a complete new file (carrying
  the runs along). Saving to the same file by another spelling of its path (a symlink, a relative path) is
  an in-place save too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack

from flowmodel.documents import document_kind, load_workflows, save_document
from flowmodel.errors import SaveError
from flowmodel.jsonfile import write_workflow_json
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace

UNTITLED = "Untitled"


class Document:
    """Workflows being edited together, the file they came from, and how to save them."""

    def __init__(self, workflows: list[Workflow], path: Path | None, undo_stack: QUndoStack) -> None:
        self.workflows = workflows or [Workflow()]
        self.path = path
        self.undo_stack = undo_stack
        self.current_index = 0

    @classmethod
    def read(cls, path: str | Path, undo_stack: QUndoStack) -> Document:
        """The document stored at ``path``; :class:`LoadError` (naming the file and place) if unreadable."""
        path = Path(path)
        return cls(load_workflows(path), path, undo_stack)

    @property
    def workflow(self) -> Workflow:
        """The workflow shown on the canvas."""
        return self.workflows[self.current_index]

    @property
    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def display_name(self) -> str:
        """The file name, or the workflow's name while it has no file (a new document, an example)."""
        return self.path.name if self.path is not None else (self.workflow.name or UNTITLED)

    def title(self) -> str:
        """Window title: file name, "*" while unsaved, and the workflow when a workspace holds several."""
        star = "*" if self.is_dirty else ""
        shown = f" › {self.workflow.name}" if len(self.workflows) > 1 else ""
        return f"{self.display_name}{star}{shown} — Flowmodel"

    def save(self, path: str | Path | None = None) -> None:
        """Save to ``path`` (or where it came from) and mark clean; :class:`SaveError` leaves it dirty."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise SaveError("this document has no file yet", hint="use Save As… to choose one")
        write_document(self.workflows, target, previous=self.path)
        self.path = target
        self.undo_stack.setClean()


def write_document(workflows: list[Workflow], target: Path, previous: Path | None = None) -> None:
    """Write ``workflows`` to ``target`` by its suffix (see module rules)."""
    kind = document_kind(target)
    if kind == "json" and len(workflows) == 1:
        write_workflow_json(workflows[0], target)
    elif kind == "workspace" and previous is not None and _same_file(target, previous):
        with Workspace.open(target) as workspace:
            workspace.save_workflows(workflows)  # one transaction: a crash leaves every workflow as it was
    elif kind == "workspace" and previous is not None and document_kind(previous) == "workspace" \
            and previous.exists():
        with Workspace.open(previous) as runs_from:
            Workspace.save_as(workflows, target, runs_from=runs_from)
    else:
        save_document(workflows, target)


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return False
