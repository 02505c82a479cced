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
  ``save_as`` replaced follows it: its next read or write reopens the file now at its path.
- Opening checks the whole file (SQLite ``quick_check``) before reading it, so damage is reported at
  once rather than halfway through a session; every row read back is type-checked and every workflow and run
  verified against its content checksum (:mod:`flowmodel.workspace_integrity`), so damage that SQLite's check
  misses is named rather than shown or exported.
- One Save is one transaction, however many workflows it writes (:meth:`Workspace.save_workflows`).
- Writers wait for each other (SQLite's busy timeout, :data:`BUSY_TIMEOUT_S`) and write only to the file
  that is at the path *now*: every read and write holds the workspace's replace lock shared and, holding it,
  reopens the file if a Save As replaced it (:mod:`flowmodel.workspace_lock` says why SQLite's own locks are
  not enough); a write takes SQLite's write lock at once (``BEGIN IMMEDIATE``). A Save As holds the replace
  lock exclusive and the old file's write lock from copying its runs until the rename, so a run stored
  concurrently is either copied or written to the new file — never to the replaced one.
- A ``Workspace`` belongs to the thread that opened it (SQLite connections are not shared between threads):
  background runs hand their records back to that thread, or open their own ``Workspace``.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from flowmodel.errors import LoadError, SaveError
from flowmodel.jsonfile import open_temp_beside, parse_json_text, sync_folder
from flowmodel.serialization import workflow_from_dict
from flowmodel.workflow import Workflow
from flowmodel.workspace_integrity import (
    RESULT_COLUMNS,
    Checksum,
    add_result_row,
    check_row,
    damaged,
    start_run_checksum,
    workflow_checksum,
)
from flowmodel.workspace_lock import LockTimeout, replace_lock
from flowmodel.workspace_rows import (
    delete_run_rows,
    json_text,
    new_run_row,
    put_run,
    put_workflow,
    workflow_rows,
    writing,
)
from flowmodel.workspace_schema import (
    TABLES,
    check_tables,
    check_workspace,
    create_schema,
    read_header,
    upgrade,
)

#: How long a writer waits for another one (a run being stored, a Save elsewhere) before giving up.
BUSY_TIMEOUT_S = 20.0
FileIdentity = tuple[int, int]


def _in_use(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a read under the shared replace lock, on the file now at the path (:mod:`flowmodel.workspace_lock`)."""
    @functools.wraps(method)
    def wrapper(self: Workspace, *args: Any, **kwargs: Any) -> Any:
        try:
            with replace_lock(self.path, exclusive=False, timeout_s=BUSY_TIMEOUT_S):
                self._follow()
                return method(self, *args, **kwargs)
        except LockTimeout as error:
            raise LoadError(f"cannot read the workspace ({error})", where=str(self.path),
                            hint="another program is saving over it; try again in a moment") from None
    return wrapper


class Workspace:
    """An open ``.flowdb`` file. Use :meth:`create` or :meth:`open`; close it (or use ``with``)."""

    def __init__(self, db: Database, path: Path, identity: FileIdentity | None = None) -> None:
        self.db = db
        self.path = path
        self.identity = identity if identity is not None else _identity(path)

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
        try:
            with _reading(path), replace_lock(path, exclusive=False, timeout_s=BUSY_TIMEOUT_S):
                read_header(path)
                identity = _identity(path)
                connection = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True,
                                             timeout=BUSY_TIMEOUT_S)
                try:
                    db = Database(connection)
                    version = check_workspace(db, path)
                    upgrade(db, path, version)
                    check_tables(db, path)
                except BaseException:
                    connection.close()
                    raise
        except LockTimeout as error:
            raise LoadError(f"cannot open the workspace ({error})", where=str(path),
                            hint="another program is saving over it; try again in a moment") from None
        return cls(db, path, identity)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- workflows -----------------------------------------------------------------------------
    @_in_use
    def list_workflows(self) -> list[tuple[str, str]]:
        """(id, name) of every workflow, by name."""
        with _reading(self.path):
            rows = self.db.execute("SELECT id, name FROM workflows ORDER BY name COLLATE NOCASE, id").fetchall()
        return [(str(row[0]), str(row[1])) for row in rows]

    @_in_use
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

    @_in_use
    def load_all(self) -> list[Workflow]:
        """Every workflow of the workspace, by name."""
        with _reading(self.path):
            rows = list(self.db.query("SELECT * FROM workflows ORDER BY name COLLATE NOCASE, id"))
        return [self._build(row) for row in rows]

    def save_workflow(self, workflow: Workflow) -> None:
        """Insert or replace ``workflow`` with its scenarios (removed ones are deleted) and run settings."""
        self.save_workflows([workflow])

    def save_workflows(self, workflows: Iterable[Workflow]) -> None:
        """Insert or replace every workflow of ``workflows`` in one transaction: all are saved, or none."""
        parts = [workflow_rows(workflow, self.path) for workflow in workflows]
        with self._transaction():
            for part in parts:
                put_workflow(self.db, *part)

    def delete_workflow(self, workflow_id: str) -> None:
        """Remove a workflow with its scenarios, run settings and runs."""
        with self._transaction():
            for (run_id,) in self.db.execute("SELECT id FROM runs WHERE workflow_id = ?", [workflow_id]).fetchall():
                delete_run_rows(self.db, run_id)
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
        return self.save_run_rows(new_run_row(workflow, run_id, settings, scenarios, label, status, self.path),
                                  metrics, series)

    def save_run_rows(self, run: dict[str, Any], metrics: Iterable[dict[str, Any]],
                      series: Iterable[dict[str, Any]]) -> str:
        """Store a run from its row as :meth:`list_runs` gives it (settings and scenarios as data) and its result
        rows — how a run kept aside when the workspace could not be written is stored later."""
        row = {column: run[column] for column in TABLES["runs"][0] if column != "checksum"}
        for column in ("settings", "scenarios"):
            row[column] = json_text(run[column], self.path, f"run {run['id']!r} {column}")
        with self._transaction():
            put_run(self.db, row, metrics, series, self.path)
        return str(row["id"])

    @_in_use
    def list_runs(self, workflow_id: str) -> list[dict[str, Any]]:
        """The runs of a workflow, oldest first; ``settings`` and ``scenarios`` parsed back to plain data."""
        with _reading(self.path):
            rows = list(self.db.query("SELECT * FROM runs WHERE workflow_id = ? ORDER BY created_at, rowid",
                                      [workflow_id]))
        for row in rows:
            check_row("runs", row, f"{self.path} › runs row {row.get('id')!r}")
            for column in ("settings", "scenarios"):
                row[column] = _parse_cell(row[column], f"{self.path} › runs row {row['id']!r} · {column}")
        return rows

    @_in_use
    def get_run(self, run_id: str) -> dict[str, Any]:
        """The run row with ``run_id`` as :meth:`list_runs` gives it; :class:`LoadError` when there is none."""
        with _reading(self.path):
            rows = list(self.db.query("SELECT * FROM runs WHERE id = ?", [run_id]))
        if not rows:
            raise LoadError(f"no run with id {run_id!r}", where=str(self.path),
                            hint="pick a run from the workflow's run list")
        row = rows[0]
        check_row("runs", row, f"{self.path} › run {run_id!r}")
        for column in ("settings", "scenarios"):
            row[column] = _parse_cell(row[column], f"{self.path} › run {run_id!r} · {column}")
        return row

    @_in_use
    def read_run(self, run_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The metric and series rows of a run, type-checked and verified against the run's checksum."""
        where = f"{self.path} › run {run_id!r}"
        with _reading(self.path):
            runs = list(self.db.query("SELECT * FROM runs WHERE id = ?", [run_id]))
            if not runs:
                raise LoadError(f"no run with id {run_id!r}", where=str(self.path),
                                hint="pick a run from the workflow's run list")
            check_row("runs", runs[0], where)
            checksum = start_run_checksum(runs[0])
            tables = {table: self._result_rows(table, run_id, checksum, where) for table in RESULT_COLUMNS}
        if checksum.hexdigest() != runs[0]["checksum"]:
            raise damaged("the run's results", where)
        return tables["run_metrics"], tables["run_series"]

    def run_metrics(self, run_id: str) -> list[dict[str, Any]]:
        """The scalar result rows of a run, in the order they were saved (verified, see :meth:`read_run`)."""
        return self.read_run(run_id)[0]

    def run_series(self, run_id: str) -> list[dict[str, Any]]:
        """The time-series rows (one per point) of a run, in the order they were saved (verified)."""
        return self.read_run(run_id)[1]

    def delete_run(self, run_id: str) -> None:
        with self._transaction():
            delete_run_rows(self.db, run_id)

    # -- save as -------------------------------------------------------------------------------
    @classmethod
    def save_as(cls, workflows: Iterable[Workflow], path: str | os.PathLike[str],
                runs_from: Workspace | None = None) -> None:
        """Write a complete workspace holding ``workflows`` to ``path``, replacing any file there at once.

        With ``runs_from``, the runs of these workflows stored in that workspace are copied too, so a
        Save As keeps the results. An existing workspace at ``path`` stays write-locked from the copy to the
        rename (see the module rules); temporary files that killed saves left beside ``path`` are removed.
        """
        path = Path(path)
        parts = [workflow_rows(w, path) for w in workflows]
        ids = [row["id"] for row, _, _ in parts]
        if len(set(ids)) != len(ids):
            raise SaveError("two workflows share an id", where=str(path), hint="give the copy new ids")
        temp_name = ""
        try:
            replacing = replace_lock(path, exclusive=True, timeout_s=BUSY_TIMEOUT_S) if path.exists() \
                else contextlib.nullcontext()  # nothing can be using a file that is not there yet
            with replacing, _target_locked(path, runs_from):
                fd, temp_name = open_temp_beside(path)
                os.close(fd)
                with writing(path), contextlib.closing(Database(temp_name)) as db, db.atomic():
                    create_schema(db)
                    for part in parts:
                        put_workflow(db, *part)
                    if runs_from is not None:
                        _copy_runs(runs_from, db, ids, path)
                with open(temp_name, "rb+") as handle:
                    os.fsync(handle.fileno())
                os.replace(temp_name, path)
        except (OSError, SaveError, LoadError) as error:
            if temp_name:
                for leftover in (temp_name, temp_name + "-journal"):
                    with contextlib.suppress(OSError):
                        os.remove(leftover)
            if isinstance(error, SaveError):
                raise
            if isinstance(error, LoadError):
                raise SaveError(error.message, where=error.where, hint=error.hint) from None
            raise SaveError(f"could not save: {error.strerror or error}", where=str(path),
                            hint="check the folder exists, is writable and the disk is not full; "
                                 "the previous file is unchanged") from None
        sync_folder(path.parent)

    # -- internals -----------------------------------------------------------------------------
    def _build(self, row: dict[str, Any]) -> Workflow:
        where = f"{self.path} › workflow {row.get('name')!r}"
        check_row("workflows", row, where)
        if not row["id"]:
            raise LoadError("the workflow has an empty id, so its scenarios and runs cannot be told apart from "
                            "another's", where=where, hint="restore the file from a backup")
        with _reading(self.path):
            scenario_rows = list(self.db.query(
                "SELECT * FROM scenarios WHERE workflow_id = ? ORDER BY position, id", [row["id"]]))
            settings_rows = list(self.db.query(
                "SELECT document FROM run_settings WHERE workflow_id = ?", [row["id"]]))
        for scenario in scenario_rows:
            check_row("scenarios", scenario, f"{where} · scenarios row {scenario.get('id')!r}")
        for settings in settings_rows:
            check_row("run_settings", settings, f"{where} · run_settings")
        settings_document = settings_rows[0]["document"] if settings_rows else None
        data = _parse_cell(row["document"], f"{where} · workflows.document")
        if not isinstance(data, dict):
            raise LoadError(f"expected a workflow object, found {type(data).__name__}",
                            where=f"{where} · workflows.document", hint="restore the file from a backup")
        data = {**data, "id": row["id"], "scenarios": [
            _parse_cell(s["document"], f"{where} · scenarios row {s['id']!r}") for s in scenario_rows]}
        if settings_document is not None:
            data["run_settings"] = _parse_cell(settings_document, f"{where} · run_settings")
        try:
            workflow = workflow_from_dict(data)
        except LoadError as error:
            raise LoadError(error.message, where=f"{where} › {error.where}" if error.where else where,
                            hint=error.hint or "fix that field, or restore the file from a backup") from None
        if workflow_checksum(row["document"], scenario_rows, settings_document) != row["checksum"]:
            raise damaged("the workflow", where, hint="restore the file from a backup, or open the workflow's "
                                                       ".flow.json export if you have one")
        return workflow

    def _result_rows(self, table: str, run_id: str, checksum: Checksum, where: str) -> list[dict[str, Any]]:
        rows = list(self.db.query(f"SELECT * FROM {table} WHERE run_id = ? ORDER BY rowid", [run_id]))
        for index, row in enumerate(rows):
            check_row(table, row, f"{where} · {table} row {index + 1}")
            add_result_row(checksum, table, row)
            if row["value"] is None:
                row["value"] = math.nan
        return rows

    def _follow(self) -> None:
        """Reopen the file at ``self.path`` when a Save As (here or in another program) replaced the one open."""
        if _identity(self.path) != self.identity:
            self._reopen()

    def _reopen(self) -> None:
        fresh = Workspace.open(self.path)
        self.db.close()
        self.db, self.identity = fresh.db, fresh.identity

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction on the file that is at ``self.path`` now (see the module rules): under the
        shared replace lock (:mod:`flowmodel.workspace_lock`), on the file followed if a Save As replaced it,
        with SQLite's write lock taken at once (``BEGIN IMMEDIATE``) so writers queue rather than fail midway."""
        try:
            with replace_lock(self.path, exclusive=False, timeout_s=BUSY_TIMEOUT_S):
                with writing(self.path):
                    self._follow()
                    self.db.execute("BEGIN IMMEDIATE")
                try:
                    with writing(self.path):
                        yield
                        self.db.conn.commit()
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        self.db.conn.rollback()
                    raise
        except (LockTimeout, LoadError) as error:
            message = error.message if isinstance(error, LoadError) else str(error)
            raise SaveError(f"could not save to the workspace ({message})", where=str(self.path),
                            hint="another program is using it; close it and save again — the workspace keeps "
                                 "its previous content") from None


# -- module helpers (shared by the instance methods and save_as) ------------------------------------
def _copy_runs(source: Workspace, target: Database, workflow_ids: list[str], path: Path) -> None:
    """Copy the runs of ``workflow_ids``, each verified first: a damaged run is not carried into a new file
    under a fresh checksum."""
    for workflow_id in workflow_ids:
        with _reading(source.path):
            run_ids = [r[0] for r in source.db.execute("SELECT id FROM runs WHERE workflow_id = ? ORDER BY rowid",
                                                       [workflow_id]).fetchall()]
        for run_id in run_ids:
            try:
                metrics, series = source.read_run(run_id)
                run = source.get_run(run_id)
            except LoadError as error:
                raise SaveError(f"a stored run cannot be copied: {error.message}", where=error.where,
                                hint="delete that run from the run history, then save again") from None
            row = {column: run[column] for column in TABLES["runs"][0] if column != "checksum"}
            row["settings"] = json_text(run["settings"], path, "run settings")
            row["scenarios"] = json_text(run["scenarios"], path, "run scenarios")
            put_run(target, row, metrics, series, path)


def _parse_cell(cell: Any, where: str) -> Any:
    if not isinstance(cell, str):
        raise LoadError(f"expected JSON text, found {type(cell).__name__}", where=where,
                        hint="the file was changed outside Flowmodel; restore a backup")
    return parse_json_text(cell, where)


def _identity(path: Path) -> FileIdentity:
    """Which file is at ``path`` (device, inode); ``(0, 0)`` when there is none."""
    try:
        status = os.stat(path)
    except OSError:
        return (0, 0)
    return (status.st_dev, status.st_ino)


@contextlib.contextmanager
def _target_locked(path: Path, runs_from: Workspace | None) -> Iterator[None]:
    """Hold the write lock of the workspace at ``path`` (if there is one) until the block ends.

    When ``runs_from`` is that very file, its own connection takes the lock, so the runs copied from it are
    exactly the runs there at the rename. Anything that is not an intact workspace is simply replaced.
    """
    if runs_from is not None and _identity(runs_from.path) == _identity(path) != (0, 0):
        connection = runs_from.db.conn
        close = False
    else:
        try:
            if _identity(path) == (0, 0):
                raise LoadError("no workspace there")
            read_header(path)
            connection = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S)
        except (LoadError, sqlite3.Error):
            yield
            return
        close = True
    try:
        with writing(path):
            if connection.in_transaction:
                connection.rollback()
            connection.execute("BEGIN IMMEDIATE")
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):
            connection.rollback()
        if close:
            connection.close()


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, UnicodeError) as error:
        raise LoadError(f"cannot read the workspace ({error})", where=str(path),
                        hint="the file may be damaged or in use by another program; restore a backup") from None


