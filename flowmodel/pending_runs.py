"""Runs that could not be stored in their workspace, kept beside it until they can be.

Rules:
- A finished run whose results cannot be written to its workspace (locked past the busy timeout, the disk
  full, the file damaged or gone) is written next to it as ``<workspace>.run-<id>.pending.json``, atomically,
  with a checksum over its content: nothing that was measured is lost.
- The app offers the pending runs of a workspace when it opens it; the command line stores them the next time
  it writes a run to that workspace, and says so. A pending file is removed only after the transaction that
  stored it has committed, so a crash in between stores it twice at worst (the same run id: replaced, not
  duplicated).
- A pending file that is damaged, or belongs to a workflow that the workspace no longer holds, is reported
  and left where it is.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flowmodel.errors import LoadError, SaveError
from flowmodel.jsonfile import write_atomically
from flowmodel.safe_files import read_document_bytes
from flowmodel.workspace import Workspace
from flowmodel.workspace_integrity import RESULT_COLUMNS

PENDING_FORMAT = "flowmodel.pending-run"
PENDING_SUFFIX = ".pending.json"
#: A pending run can be as large as a run's results; the usual document cap would refuse a big one.
MAX_PENDING_BYTES = 2 * 1024**3


def pending_path(workspace_path: Path, run_id: str) -> Path:
    return workspace_path.with_name(f"{workspace_path.name}.run-{run_id}{PENDING_SUFFIX}")


def pending_files(workspace_path: Path) -> list[Path]:
    """The pending runs kept beside the workspace at ``workspace_path``, oldest first."""
    prefix = f"{workspace_path.name}.run-"
    try:
        found = [p for p in workspace_path.parent.iterdir()
                 if p.name.startswith(prefix) and p.name.endswith(PENDING_SUFFIX) and p.is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def keep_aside(workspace_path: Path, run: dict[str, Any], metrics: Iterable[dict[str, Any]],
               series: Iterable[dict[str, Any]]) -> Path:
    """Write a run that could not be stored next to its workspace; returns the file. :class:`SaveError` if
    even that fails (then the caller must say the run is lost)."""
    body = {"run": run, "metrics": _table_rows("run_metrics", metrics), "series": _table_rows("run_series", series)}
    text = _canonical(body)
    document = {"format": PENDING_FORMAT, "workspace": workspace_path.name,
                "checksum": hashlib.sha256(text.encode("utf-8")).hexdigest(), **body}
    path = pending_path(workspace_path, str(run["id"]))
    write_atomically(path, (json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8"))
    return path


def read_pending(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """(run row, metric rows, series rows) of a pending file, verified against its checksum."""
    hint = "delete the file if the run is not needed, or run the simulation again"
    try:
        document = json.loads(read_document_bytes(path, MAX_PENDING_BYTES).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise LoadError(f"the kept run is not readable ({error})", where=str(path), hint=hint) from None
    if not isinstance(document, dict) or document.get("format") != PENDING_FORMAT:
        raise LoadError("not a run kept by Flowmodel", where=str(path), hint=hint)
    body = {key: document.get(key) for key in ("run", "metrics", "series")}
    if document.get("checksum") != hashlib.sha256(_canonical(body).encode("utf-8")).hexdigest():
        raise LoadError("the kept run is damaged: its content no longer matches its checksum", where=str(path),
                        hint=hint)
    metrics = _records("run_metrics", body["metrics"])
    series = _records("run_series", body["series"])
    return body["run"], metrics, series


def store_pending(workspace: Workspace) -> tuple[list[str], list[str]]:
    """Store every pending run of ``workspace``; (ids stored, problems as one line each)."""
    stored: list[str] = []
    problems: list[str] = []
    known = {workflow_id for workflow_id, _ in workspace.list_workflows()}
    for path in pending_files(workspace.path):
        try:
            run, metrics, series = read_pending(path)
            if run.get("workflow_id") not in known:
                raise LoadError("the workflow this run belongs to is no longer in the workspace", where=str(path),
                                hint="delete the file if the run is not needed")
            stored.append(workspace.save_run_rows(run, metrics, series))
        except (LoadError, SaveError, KeyError, TypeError) as error:
            problems.append(error.render() if isinstance(error, LoadError | SaveError)
                            else f"{path}: the kept run is incomplete ({error})")
            continue
        path.unlink(missing_ok=True)
    return stored, problems


def _table_rows(table: str, records: Iterable[dict[str, Any]]) -> list[list[Any]]:
    columns = RESULT_COLUMNS[table]
    rows = []
    for record in records:
        row = [record[column] for column in columns]
        rows.append([None if isinstance(v, float) and math.isnan(v) else v for v in row])
    return rows


def _records(table: str, rows: Any) -> list[dict[str, Any]]:
    columns = RESULT_COLUMNS[table]
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == len(columns) for r in rows):
        raise TypeError(f"{table} rows are not a list of {len(columns)}-value rows")
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":"))
