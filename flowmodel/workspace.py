"""A workspace: one SQLite file (``.flowdb``) holding workflows, their scenarios and run settings, and run results.

Rules:
- Every save is one transaction (sqlite-utils' ``Database.atomic()``, an explicit ``BEGIN``…``COMMIT``):
  a crash or an error mid-save leaves the previous state. (A plain ``with conn:`` is not enough: sqlite-utils
  commits each write it starts outside an explicit transaction.)
- A workflow is stored as three parts — the workflow document (without scenarios and run settings), one
  row per scenario (with its position) and its run settings — and is loaded back through
  :func:`~flowmodel.serialization.workflow_from_dict`, so a hand-edited row gets the same located errors
  as a JSON file.
- Nothing here shows an ``sqlite3`` error to a person: reading raises :class:`LoadError`, writing
  :class:`SaveError`, both naming the file (and the table row where it matters).
- Run results are plain dicts shaped like the ``run_metrics``/``run_series`` rows (the engine's
  ``MetricRecord``/``SeriesRecord`` plus scenario and replication; one series row per time point), so this
  module needs nothing from the engine. A NaN value (no data) is stored as NULL and read back as NaN.
- :meth:`Workspace.save_as` builds a complete new file next to the target and renames it over the
  target, so a failed Save As never leaves a half-written file. A ``Workspace`` open on a file that
  ``save_as`` replaced still sees the old file: open the new one.
- Opening checks the whole file (SQLite ``quick_check``) before reading it, so damage is reported at
  once rather than halfway through a session. A ``Workspace`` belongs to the thread that opened it
  (SQLite connections are not shared between threads): background runs hand their records back to that
  thread, or open their own ``Workspace``.
"""

from __future__ import annotations

import contextlib
import json
import math
import numbers
import os
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from flowmodel.errors import LoadError, SaveError
from flowmodel.fingerprint import workflow_fingerprint
from flowmodel.ids import new_id
from flowmodel.jsonfile import open_temp_beside, parse_json_text, sync_folder
from flowmodel.serialization import workflow_from_dict, workflow_to_dict
from flowmodel.workflow import Workflow
from flowmodel.workspace_schema import (
    NULLABLE,
    TABLES,
    check_tables,
    check_workspace,
    create_schema,
    read_header,
    upgrade,
)

BATCH_SIZE = 2000
RUN_STATUSES: tuple[str, ...] = ("complete", "cancelled", "failed")
_RESULT_COLUMNS = {table: [c for c in TABLES[table][0] if c != "run_id"] for table in ("run_metrics", "run_series")}


class Workspace:
    """An open ``.flowdb`` file. Use :meth:`create` or :meth:`open`; close it (or use ``with``)."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path

    # -- opening and closing -------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> Workspace:
        """A new, empty workspace at ``path``; refuses to overwrite a file (use :meth:`save_as` for that)."""
        path = Path(path)
        if path.exists():
            raise SaveError("a file with this name already exists", where=str(path),
                            hint="choose another name, or open the existing workspace")
        cls.save_as([], path)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Workspace:
        """Open an existing workspace, upgrading an older layout; refuses anything that is not an intact one."""
        path = Path(path)
        read_header(path)
        with _reading(path):
            connection = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True)
        try:
            with _reading(path):
                db = Database(connection)
                version = check_workspace(db, path)
                upgrade(db, path, version)
                check_tables(db, path)
        except BaseException:
            connection.close()
            raise
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- workflows -----------------------------------------------------------------------------
    def list_workflows(self) -> list[tuple[str, str]]:
        """(id, name) of every workflow, by name."""
        with _reading(self.path):
            rows = self.db.execute("SELECT id, name FROM workflows ORDER BY name COLLATE NOCASE, id").fetchall()
        return [(str(row[0]), str(row[1])) for row in rows]

    def load_workflow(self, id_or_name: str) -> Workflow:
        """The workflow with this id or, failing that, this name — with its scenarios and run settings."""
        with _reading(self.path):
            rows = list(self.db.query("SELECT * FROM workflows WHERE id = ?", [id_or_name])) or \
                list(self.db.query("SELECT * FROM workflows WHERE name = ?", [id_or_name]))
        if not rows:
            names = ", ".join(repr(name) for _, name in self.list_workflows()) or "none"
            raise LoadError(f"no workflow {id_or_name!r} in this workspace", where=str(self.path),
                            hint=f"workflows in this workspace: {names}")
        if len(rows) > 1:
            raise LoadError(f"{len(rows)} workflows are named {id_or_name!r}", where=str(self.path),
                            hint="rename one of them, or choose by id: " + ", ".join(r["id"] for r in rows))
        return self._build(rows[0])

    def load_all(self) -> list[Workflow]:
        """Every workflow of the workspace, by name."""
        with _reading(self.path):
            rows = list(self.db.query("SELECT * FROM workflows ORDER BY name COLLATE NOCASE, id"))
        return [self._build(row) for row in rows]

    def save_workflow(self, workflow: Workflow) -> None:
        """Insert or replace ``workflow`` with its scenarios (removed ones are deleted) and run settings."""
        parts = _workflow_rows(workflow, self.path)
        with _writing(self.path), self.db.atomic():
            _put_workflow(self.db, *parts)

    def delete_workflow(self, workflow_id: str) -> None:
        """Remove a workflow with its scenarios, run settings and runs."""
        with _writing(self.path), self.db.atomic():
            for (run_id,) in self.db.execute("SELECT id FROM runs WHERE workflow_id = ?", [workflow_id]).fetchall():
                _delete_run(self.db, run_id)
            for table, column in (("scenarios", "workflow_id"), ("run_settings", "workflow_id"), ("workflows", "id")):
                self.db.execute(f"DELETE FROM {table} WHERE {column} = ?", [workflow_id])

    # -- runs ----------------------------------------------------------------------------------
    def save_run(self, workflow: Workflow, run_id: str, settings: dict[str, Any], scenarios: list[dict[str, Any]],
                 metrics: Iterable[dict[str, Any]], series: Iterable[dict[str, Any]], label: str = "",
                 status: str = "complete") -> str:
        """Store one run of ``workflow`` (replacing a run with the same id) and return its id.

        ``settings`` and ``scenarios`` are the exact documents the run used; the workflow's fingerprint is
        kept so the UI can mark results stale once the model changes. ``metrics``/``series`` are consumed once.
        """
        run_id = run_id or new_id()
        if status not in RUN_STATUSES:
            raise SaveError(f"unknown run status {status!r}", where=str(self.path),
                            hint=f"use one of {', '.join(RUN_STATUSES)}")
        run = {"id": run_id, "workflow_id": workflow.id, "created_at": _now(), "label": label,
               "settings": _json_text(settings, self.path, "run settings"),
               "scenarios": _json_text(scenarios, self.path, "run scenarios"),
               "workflow_fingerprint": workflow_fingerprint(workflow), "status": status}
        with _writing(self.path), self.db.atomic():
            _put_run(self.db, run, metrics, series, self.path)
        return run_id

    def list_runs(self, workflow_id: str) -> list[dict[str, Any]]:
        """The runs of a workflow, oldest first; ``settings`` and ``scenarios`` parsed back to plain data."""
        with _reading(self.path):
            rows = list(self.db.query("SELECT * FROM runs WHERE workflow_id = ? ORDER BY created_at, rowid",
                                      [workflow_id]))
        for row in rows:
            for column in ("settings", "scenarios"):
                row[column] = _parse_cell(row[column], f"{self.path} › runs row {row['id']!r} · {column}")
        return rows

    def run_metrics(self, run_id: str) -> list[dict[str, Any]]:
        """The scalar result rows of a run, in the order they were saved."""
        return self._result_rows("run_metrics", run_id)

    def run_series(self, run_id: str) -> list[dict[str, Any]]:
        """The time-series rows (one per point) of a run, in the order they were saved."""
        return self._result_rows("run_series", run_id)

    def delete_run(self, run_id: str) -> None:
        with _writing(self.path), self.db.atomic():
            _delete_run(self.db, run_id)

    # -- save as -------------------------------------------------------------------------------
    @classmethod
    def save_as(cls, workflows: Iterable[Workflow], path: str | os.PathLike[str],
                runs_from: Workspace | None = None) -> None:
        """Write a complete workspace holding ``workflows`` to ``path``, replacing any file there at once.

        With ``runs_from``, the runs of these workflows stored in that workspace are copied too, so a
        Save As keeps the results.
        """
        path = Path(path)
        parts = [_workflow_rows(w, path) for w in workflows]
        ids = [row["id"] for row, _, _ in parts]
        if len(set(ids)) != len(ids):
            raise SaveError("two workflows share an id", where=str(path), hint="give the copy new ids")
        temp_name = ""
        try:
            fd, temp_name = open_temp_beside(path)
            os.close(fd)
            with _writing(path), contextlib.closing(Database(temp_name)) as db, db.atomic():
                create_schema(db)
                for part in parts:
                    _put_workflow(db, *part)
                if runs_from is not None:
                    _copy_runs(runs_from, db, ids, path)
            with open(temp_name, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(temp_name, path)
        except (OSError, SaveError) as error:
            if temp_name:
                for leftover in (temp_name, temp_name + "-journal"):
                    with contextlib.suppress(OSError):
                        os.remove(leftover)
            if isinstance(error, SaveError):
                raise
            raise SaveError(f"could not save: {error.strerror or error}", where=str(path),
                            hint="check the folder exists, is writable and the disk is not full; "
                                 "the previous file is unchanged") from None
        sync_folder(path.parent)

    # -- internals -----------------------------------------------------------------------------
    def _build(self, row: dict[str, Any]) -> Workflow:
        where = f"{self.path} › workflow {row['name']!r}"
        data = _parse_cell(row["document"], f"{where} · workflows.document")
        if not isinstance(data, dict):
            raise LoadError(f"expected a workflow object, found {type(data).__name__}",
                            where=f"{where} · workflows.document", hint="restore the file from a backup")
        with _reading(self.path):
            scenario_rows = list(self.db.query(
                "SELECT id, document FROM scenarios WHERE workflow_id = ? ORDER BY position, id", [row["id"]]))
            settings_rows = list(self.db.query(
                "SELECT document FROM run_settings WHERE workflow_id = ?", [row["id"]]))
        data = {**data, "id": row["id"], "scenarios": [
            _parse_cell(s["document"], f"{where} · scenarios row {s['id']!r}") for s in scenario_rows]}
        if settings_rows:
            data["run_settings"] = _parse_cell(settings_rows[0]["document"], f"{where} · run_settings")
        try:
            return workflow_from_dict(data)
        except LoadError as error:
            raise LoadError(error.message, where=f"{where} › {error.where}" if error.where else where,
                            hint=error.hint or "fix that field, or restore the file from a backup") from None

    def _result_rows(self, table: str, run_id: str) -> list[dict[str, Any]]:
        with _reading(self.path):
            rows = list(self.db.query(f"SELECT * FROM {table} WHERE run_id = ? ORDER BY rowid", [run_id]))
        for row in rows:
            if row["value"] is None:
                row["value"] = math.nan
        return rows


# -- module helpers (shared by the instance methods and save_as) ------------------------------------
WorkflowRows = tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]


def _workflow_rows(workflow: Workflow, path: Path) -> WorkflowRows:
    """The rows of one workflow, serialised before any transaction starts so bad values fail early."""
    data = workflow_to_dict(workflow)
    scenarios = data.pop("scenarios")
    settings = data.pop("run_settings")
    what = f"workflow {workflow.name!r}"
    row = {"id": workflow.id, "name": workflow.name, "document": _json_text(data, path, what), "updated_at": _now()}
    scenario_rows = [{"workflow_id": workflow.id, "id": s["id"], "name": s["name"], "position": i,
                      "document": _json_text(s, path, f"{what}, scenario {s['name']!r}")}
                     for i, s in enumerate(scenarios)]
    settings_row = {"workflow_id": workflow.id, "document": _json_text(settings, path, f"{what}, run settings")}
    return row, scenario_rows, settings_row


def _put_workflow(db: Database, row: dict[str, Any], scenario_rows: list[dict[str, Any]],
                  settings_row: dict[str, Any]) -> None:
    db.table("workflows").insert(row, replace=True)
    db.execute("DELETE FROM scenarios WHERE workflow_id = ?", [row["id"]])
    db.table("scenarios").insert_all(scenario_rows, batch_size=BATCH_SIZE)
    db.table("run_settings").insert(settings_row, replace=True)


def _put_run(db: Database, run: dict[str, Any], metrics: Iterable[dict[str, Any]],
             series: Iterable[dict[str, Any]], path: Path) -> None:
    _delete_run(db, run["id"])
    db.table("runs").insert(run)
    db.table("run_metrics").insert_all(_result_records("run_metrics", run["id"], metrics, path),
                                       batch_size=BATCH_SIZE)
    db.table("run_series").insert_all(_result_records("run_series", run["id"], series, path),
                                      batch_size=BATCH_SIZE)


def _result_records(table: str, run_id: str, records: Iterable[dict[str, Any]], path: Path
                    ) -> Iterator[dict[str, Any]]:
    """Rows for ``table``, checked one by one as they stream in (a bad record aborts the whole save).

    Numbers are converted to plain ``int``/``float`` (the engine may hand over numpy scalars); text
    columns must hold text; ``value`` may be NaN or None (no data). Keys beyond the table's columns are ignored.
    """
    columns = _RESULT_COLUMNS[table]
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


def _copy_runs(source: Workspace, target: Database, workflow_ids: list[str], path: Path) -> None:
    for workflow_id in workflow_ids:
        with _reading(source.path):
            runs = list(source.db.query("SELECT * FROM runs WHERE workflow_id = ?", [workflow_id]))
        for run in runs:
            metrics = source.db.query("SELECT * FROM run_metrics WHERE run_id = ? ORDER BY rowid", [run["id"]])
            series = source.db.query("SELECT * FROM run_series WHERE run_id = ? ORDER BY rowid", [run["id"]])
            _put_run(target, run, metrics, series, path)


def _delete_run(db: Database, run_id: str) -> None:
    for table, column in (("run_metrics", "run_id"), ("run_series", "run_id"), ("runs", "id")):
        db.execute(f"DELETE FROM {table} WHERE {column} = ?", [run_id])


def _json_text(data: Any, path: Path, what: str) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError) as error:
        raise SaveError(f"{what} holds a value that cannot be saved ({error})", where=str(path),
                        hint="check numbers that are not finite") from None


def _parse_cell(cell: Any, where: str) -> Any:
    if not isinstance(cell, str):
        raise LoadError(f"expected JSON text, found {type(cell).__name__}", where=where,
                        hint="the file was changed outside Flowmodel; restore a backup")
    return parse_json_text(cell, where)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, UnicodeError) as error:
        raise LoadError(f"cannot read the workspace ({error})", where=str(path),
                        hint="the file may be damaged or in use by another program; restore a backup") from None


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, UnicodeError) as error:
        raise SaveError(f"could not save to the workspace ({error})", where=str(path),
                        hint="check the disk is not full and the file is writable; "
                             "the workspace keeps its previous content") from None
