"""Open and save a document by its file name: a ``.flow.json`` (or ``.json``) file holds one workflow,
a ``.flowdb`` workspace holds any number.

This is what "Open…", "Save As…", "Export" and the command line call, so that every entry point refuses
the same things with the same messages: an unknown suffix, a missing file, more than one workflow for a
JSON file. Saving a ``.flowdb`` here writes a complete new workspace (see :meth:`Workspace.save_as`);
the app's ordinary Save of an open workspace goes through :class:`~flowmodel.workspace.Workspace` itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from flowmodel.errors import LoadError, SaveError
from flowmodel.jsonfile import JSON_SUFFIX, read_workflow_json, write_workflow_json
from flowmodel.safe_files import check_regular_file
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace
from flowmodel.workspace_schema import WORKSPACE_SUFFIX


def document_kind(path: Path) -> str:
    """``"json"`` or ``"workspace"`` by the file name; ``""`` for anything else."""
    name = path.name.lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith(WORKSPACE_SUFFIX):
        return "workspace"
    return ""


def load_workflows(path: str | os.PathLike[str]) -> list[Workflow]:
    """The workflows in the document at ``path``: one for a JSON file, all of a workspace's."""
    path = Path(path)
    kind = document_kind(path)
    if not kind:
        raise LoadError("Flowmodel does not know this kind of file", where=str(path),
                        hint=f"open a {JSON_SUFFIX} workflow or a {WORKSPACE_SUFFIX} workspace")
    check_regular_file(path)
    if kind == "json":
        return [read_workflow_json(path)]
    with Workspace.open(path) as workspace:
        return workspace.load_all()


def save_document(workflows: list[Workflow], path: str | os.PathLike[str]) -> None:
    """Write ``workflows`` to ``path`` as the suffix says, replacing the file at once or not at all."""
    path = Path(path)
    kind = document_kind(path)
    if not kind:
        raise SaveError("Flowmodel cannot save this kind of file", where=str(path),
                        hint=f"save as {JSON_SUFFIX} (one workflow) or {WORKSPACE_SUFFIX} (a workspace)")
    if kind == "json":
        if len(workflows) != 1:
            raise SaveError(f"a {JSON_SUFFIX} file holds exactly one workflow, not {len(workflows)}",
                            where=str(path), hint=f"save as {WORKSPACE_SUFFIX} to keep several workflows together")
        write_workflow_json(workflows[0], path)
    else:
        Workspace.save_as(workflows, path)
