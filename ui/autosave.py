"""Autosave to a recovery file, and finding one after a crash.

Rules:
- While the document has unsaved changes, every ``interval_seconds`` its workflows are written to a
  recovery file: next to the document (``triage.flow.json`` → ``triage.recovery.flow.json``,
  ``ops.flowdb`` → ``ops.recovery.flowdb``), or in the user's app-data folder for an untitled document.
- A save, a clean close or discarding the changes removes the recovery file; so a recovery file that
  exists at start-up and is newer than its document means the last session ended without saving.
- Autosave never interrupts the planner: a failed recovery write is reported in the status bar only.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal

from flowmodel.documents import document_kind
from flowmodel.errors import FlowmodelError
from flowmodel.jsonfile import JSON_SUFFIX
from flowmodel.workspace_schema import WORKSPACE_SUFFIX
from ui.document import Document, write_document

DEFAULT_INTERVAL_SECONDS = 60
RECOVERY_TAG = ".recovery"
UNTITLED_RECOVERY = f"untitled{RECOVERY_TAG}{JSON_SUFFIX}"


def default_untitled_folder() -> Path:
    """Where untitled documents are autosaved: the user's app-data folder."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)) / "recovery"


def recovery_path(document_path: Path | None, untitled_folder: Path, workflow_count: int = 1) -> Path:
    """The recovery file for a document (see module rules)."""
    if document_path is None:
        if workflow_count > 1:
            return untitled_folder / f"untitled{RECOVERY_TAG}{WORKSPACE_SUFFIX}"
        return untitled_folder / UNTITLED_RECOVERY
    name = document_path.name
    suffix = WORKSPACE_SUFFIX if document_kind(document_path) == "workspace" else JSON_SUFFIX
    stem = name[: -len(suffix)] if name.lower().endswith(suffix) else document_path.stem
    return document_path.with_name(f"{stem}{RECOVERY_TAG}{suffix}")


def pending_recovery(document_path: Path | None, untitled_folder: Path) -> Path | None:
    """A recovery file left by a session that ended unsaved, if it is newer than the document."""
    candidates = [recovery_path(document_path, untitled_folder, n) for n in (1, 2)]
    for candidate in dict.fromkeys(candidates):
        if not candidate.exists():
            continue
        if document_path is None or not document_path.exists():
            return candidate
        if candidate.stat().st_mtime > document_path.stat().st_mtime:
            return candidate
    return None


class Autosaver(QObject):
    """Writes the open document's recovery file on a timer while it is dirty."""

    failed = Signal(str)

    def __init__(self, untitled_folder: Path | None = None, interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.untitled_folder = untitled_folder or default_untitled_folder()
        self.document: Document | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(int(interval_seconds * 1000))
        self.timer.timeout.connect(self.save_recovery)
        self.timer.start()

    def set_document(self, document: Document) -> None:
        self.document = document

    def current_path(self) -> Path | None:
        if self.document is None:
            return None
        return recovery_path(self.document.path, self.untitled_folder, len(self.document.workflows))

    def save_recovery(self) -> Path | None:
        """Write the recovery file now if there are unsaved changes; returns where it went."""
        document = self.document
        if document is None or not document.is_dirty:
            return None
        target = recovery_path(document.path, self.untitled_folder, len(document.workflows))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_document(document.workflows, target)
        except (FlowmodelError, OSError) as error:
            self.failed.emit(f"Autosave failed: {error}")
            return None
        return target

    def discard(self) -> None:
        """Remove the recovery file (after a save, a clean close, or discarding changes)."""
        path = self.current_path()
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()
