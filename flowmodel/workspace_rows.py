"""The rows one workflow or one run becomes in a workspace, checked before any transaction starts.

Rules:
- A workflow is three parts — its document (without scenarios and run settings), one row per scenario (with
  its position) and its run settings — plus a checksum over them (:mod:`flowmodel.workspace_integrity`).
- Result records are checked one by one as they stream in (a bad record aborts the whole save): numbers become
  plain ``int``/``float`` (the engine may hand over numpy scalars), text columns must hold text, ``value`` may
  be NaN or None (no data, stored as NULL). The run's checksum is computed over the rows as they are written.
- Nothing here opens a file or a transaction: :mod:`flowmodel.workspace` does, and calls these inside one.
"""

from __future__ import annotations

import contextlib
import json
import math
import numbers
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from flowmodel.errors import SaveError
from flowmodel.fingerprint import workflow_fingerprint
from flowmodel.ids import new_id
from flowmodel.serialization import workflow_to_dict
from flowmodel.workflow import Workflow
from flowmodel.workspace_integrity import (
    RESULT_COLUMNS,
    Checksum,
    add_result_row,
    start_run_checksum,
    workflow_checksum,
)
from flowmodel.workspace_schema import NULLABLE, TABLES

BATCH_SIZE = 2000
RUN_STATUSES: tuple[str, ...] = ("complete", "cancelled", "failed")


def new_run_row(workflow: Workflow, run_id: str, settings: dict[str, Any], scenarios: list[dict[str, Any]],
                label: str = "", status: str = "complete", path: Path | None = None) -> dict[str, Any]:
    """The ``runs`` row of a new run of ``workflow`` (settings and scenarios as data), stamped now."""
    if status not in RUN_STATUSES:
        raise SaveError(f"unknown run status {status!r}", where=str(path or ""),
                        hint=f"use one of {', '.join(RUN_STATUSES)}")
    return {"id": run_id or new_id(), "workflow_id": workflow.id, "created_at": now(), "label": label,
            "settings": settings, "scenarios": scenarios, "workflow_fingerprint": workflow_fingerprint(workflow),
            "status": status}


WorkflowRows = tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]


def workflow_rows(workflow: Workflow, path: Path) -> WorkflowRows:
    """The rows of one workflow, serialised before any transaction starts so bad values fail early."""
    what = f"workflow {workflow.name!r}"
    if not isinstance(workflow.id, str) or not workflow.id:
        raise SaveError(f"{what} has no id, so its runs could not be found again", where=str(path),
                        hint="give the workflow an id (a new Workflow gets one)")
    data = workflow_to_dict(workflow)
    scenarios = data.pop("scenarios")
    settings = data.pop("run_settings")
    scenario_rows = [{"workflow_id": workflow.id, "id": s["id"], "name": s["name"], "position": i,
                      "document": json_text(s, path, f"{what}, scenario {s['name']!r}")}
                     for i, s in enumerate(scenarios)]
    settings_row = {"workflow_id": workflow.id, "document": json_text(settings, path, f"{what}, run settings")}
    document = json_text(data, path, what)
    row = {"id": workflow.id, "name": workflow.name, "document": document, "updated_at": now(),
           "checksum": workflow_checksum(document, scenario_rows, settings_row["document"])}
    return row, scenario_rows, settings_row


def put_workflow(db: Database, row: dict[str, Any], scenario_rows: list[dict[str, Any]],
                  settings_row: dict[str, Any]) -> None:
    db.table("workflows").insert(row, replace=True)
    db.execute("DELETE FROM scenarios WHERE workflow_id = ?", [row["id"]])
    db.table("scenarios").insert_all(scenario_rows, batch_size=BATCH_SIZE)
    db.table("run_settings").insert(settings_row, replace=True)


def put_run(db: Database, run: dict[str, Any], metrics: Iterable[dict[str, Any]],
             series: Iterable[dict[str, Any]], path: Path) -> None:
    delete_run_rows(db, run["id"])
    run = {**run, "checksum": ""}
    checksum = start_run_checksum(run)
    db.table("runs").insert(run)
    for table, records in (("run_metrics", metrics), ("run_series", series)):
        rows = _result_records(table, run["id"], records, path)
        db.table(table).insert_all(_hashed(checksum, table, rows), batch_size=BATCH_SIZE)
    db.execute("UPDATE runs SET checksum = ? WHERE id = ?", [checksum.hexdigest(), run["id"]])


def _hashed(checksum: Checksum, table: str, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        add_result_row(checksum, table, row)
        yield row


def _result_records(table: str, run_id: str, records: Iterable[dict[str, Any]], path: Path
                    ) -> Iterator[dict[str, Any]]:
    """Rows for ``table``, checked one by one as they stream in (a bad record aborts the whole save).

    Numbers are converted to plain ``int``/``float`` (the engine may hand over numpy scalars); text
    columns must hold text; ``value`` may be NaN or None (no data). Keys beyond the table's columns are ignored.
    """
    columns = RESULT_COLUMNS[table]
    types = TABLES[table][0]
    for index, record in enumerate(records):
        missing = [c for c in columns if c not in record]
        if missing:
            raise _bad_record(f"result record {index} for {table} lacks {', '.join(missing)}", path)
        row: dict[str, Any] = {"run_id": run_id}
        for column in columns:
            value = record[column]
            if value is None and (table, column) in NULLABLE:
                row[column] = None
                continue
            if types[column] is str and not isinstance(value, str):
                raise _bad_record(f"result record {index} for {table}: {column} must be text, not {value!r}", path)
            if types[column] is not str:
                if isinstance(value, bool) or not isinstance(value, numbers.Real):
                    raise _bad_record(f"result record {index} for {table}: {column} must be a number, "
                                      f"not {value!r}", path)
                value = int(value) if types[column] is int else float(value)
            row[column] = value
        if row["value"] is not None and math.isnan(row["value"]):
            row["value"] = None
        yield row


def _bad_record(message: str, path: Path) -> SaveError:
    return SaveError(message, where=str(path),
                     hint="this is a bug in the code that produced the results; the run was not saved")


def delete_run_rows(db: Database, run_id: str) -> None:
    for table, column in (("run_metrics", "run_id"), ("run_series", "run_id"), ("runs", "id")):
        db.execute(f"DELETE FROM {table} WHERE {column} = ?", [run_id])


def json_text(data: Any, path: Path, what: str) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError) as error:
        raise SaveError(f"{what} holds a value that cannot be saved ({error})", where=str(path),
                        hint="check numbers that are not finite") from None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, UnicodeError) as error:
        raise SaveError(f"could not save to the workspace ({error})", where=str(path),
                        hint="check the disk is not full and the file is writable; "
                             "the workspace keeps its previous content") from None
