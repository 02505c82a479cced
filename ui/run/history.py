"""The runs of the workflow on the canvas: stored in the workspace, or kept in memory until a ``.flowdb`` save.

Rules:
- A document that is a ``.flowdb`` workspace lists the runs stored in it (oldest first); the run controller
  stores new runs there as they finish. Any other document (a ``.flow.json``, an unsaved example) keeps its
  runs in memory; the next save to a ``.flowdb`` writes them into the workspace and from then on they are
  listed from it. Closing a JSON document drops its in-memory runs. A run the backlog guard cut short is
  never written (see :mod:`ui.run.controller`).
- Each entry keeps the settings and the exact scenario documents the run used and the workflow
  fingerprint it ran on: :meth:`RunHistory.is_stale` compares it with the workflow as it is now.
- Results of a stored run are loaded only when asked for (:meth:`RunHistory.result`), then kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from flowmodel.documents import document_kind
from flowmodel.errors import LoadError
from flowmodel.fingerprint import workflow_fingerprint
from flowmodel.ids import new_id
from flowmodel.pending_runs import pending_files, store_pending
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace
from simulations.persist import load_run_from_workspace, save_run_to_workspace
from simulations.runner import RunResult


@dataclass
class RunEntry:
    id: str
    created_at: str
    label: str
    settings: dict[str, Any]
    scenarios: list[dict[str, Any]]
    fingerprint: str
    stored: bool
    result: RunResult | None = field(default=None, repr=False)
    snapshot: Workflow | None = field(default=None, repr=False)

    def describe(self) -> str:
        """One line for the history list: when, which scenarios, how long and how many replications."""
        when = self.created_at[:16].replace("T", " ")
        names = ", ".join(str(s.get("name", "?")) for s in self.scenarios)
        horizon = float(self.settings.get("horizon_hours", 0.0))
        span = f"{horizon / 24:g} d" if horizon >= 24 else f"{horizon:g} h"
        return f"{when} · {names} · {span} × {self.settings.get('replications', '?')} reps"


class RunHistory(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.workflow: Workflow | None = None
        self.entries: list[RunEntry] = []

    @property
    def workspace_path(self) -> Path | None:
        """Where new runs are stored, or None while the document is not a workspace on disk."""
        return self.path if self.path is not None and document_kind(self.path) == "workspace" \
            and self.path.exists() else None

    def set_document(self, path: Path | None, workflow: Workflow) -> None:
        """List the runs of ``workflow`` in the document at ``path`` (in-memory runs of another
        document are dropped)."""
        if workflow is not self.workflow or path != self.path:
            keep = [e for e in self.entries if not e.stored and workflow is self.workflow]
            self.path, self.workflow = path, workflow
            self.entries = self._stored_entries() + keep
            self.changed.emit()

    def _stored_entries(self) -> list[RunEntry]:
        where = self.workspace_path
        if where is None or self.workflow is None:
            return []
        with Workspace.open(where) as workspace:
            rows = workspace.list_runs(self.workflow.id)
        return [RunEntry(row["id"], row["created_at"], row["label"], row["settings"], row["scenarios"],
                         row["workflow_fingerprint"], True) for row in rows]

    def add(self, result: RunResult, run_id: str, snapshot: Workflow, kept_id: str = "") -> RunEntry:
        """Record a finished run (``run_id`` is its workspace id, "" when it is kept in memory; ``kept_id`` the
        id it was kept beside the workspace under, so the next save stores that file rather than a copy)."""
        entry = RunEntry(run_id or kept_id or new_id(), datetime.now(UTC).isoformat(timespec="milliseconds"), "",
                         result.options.to_dict(), result.scenarios, workflow_fingerprint(snapshot),
                         bool(run_id), result, snapshot)
        self.entries.append(entry)
        self.changed.emit()
        return entry

    def result(self, entry: RunEntry) -> RunResult:
        """The results of ``entry``, loaded from the workspace the first time; LoadError if unreadable."""
        if entry.result is None:
            where = self.workspace_path
            if where is None:
                raise LoadError("the workspace this run is stored in is not available",
                                where=str(self.path or "this document"), hint="open the workspace again")
            with Workspace.open(where) as workspace:
                entry.result = load_run_from_workspace(workspace, entry.id)
        return entry.result

    def is_stale(self, entry: RunEntry) -> bool:
        """Whether the workflow changed (in what a run depends on) since ``entry`` ran."""
        return entry.id in self.stale_ids([entry])

    def stale_ids(self, entries: list[RunEntry] | None = None) -> set[str]:
        """Ids of the runs (all, or ``entries``) that :meth:`is_stale` would mark; the workflow is
        fingerprinted once, not once per run."""
        if self.workflow is None:
            return set()
        current = workflow_fingerprint(self.workflow)
        return {e.id for e in (self.entries if entries is None else entries) if e.fingerprint != current}

    def document_saved(self, path: Path) -> None:
        """After a save: runs kept in memory go into the workspace when the document now is one."""
        self.path = path
        where = self.workspace_path
        if where is not None:
            pending = [e for e in self.entries if not e.stored and e.result is not None and e.snapshot is not None
                       and not e.result.stopped_early()]
            if pending or pending_files(where):
                with Workspace.open(where) as workspace:
                    kept, _ = store_pending(workspace)
                    for entry in pending:
                        if entry.id not in kept:
                            entry.id = save_run_to_workspace(workspace, entry.snapshot, entry.result)
                        entry.stored = True
        self.changed.emit()

    def kept_runs(self) -> list[Path]:
        """Runs kept beside the workspace because it could not take them when they finished."""
        return pending_files(self.workspace_path) if self.workspace_path is not None else []

    def store_kept_runs(self) -> tuple[list[str], list[str]]:
        """Store the kept runs in the workspace and list them with the others; (ids stored, problems)."""
        where = self.workspace_path
        if where is None:
            return [], []
        with Workspace.open(where) as workspace:
            stored, problems = store_pending(workspace)
        if stored:
            in_memory = [e for e in self.entries if not e.stored and e.id not in stored]
            self.entries = self._stored_entries() + in_memory
            self.changed.emit()
        return stored, problems
