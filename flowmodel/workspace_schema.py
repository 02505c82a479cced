"""The tables of a ``.flowdb`` workspace, how a file is recognised as one, and how old layouts are upgraded.

Rules:
- A workspace is an SQLite database whose ``meta`` table says ``format = flowmodel.workspace``. Its layout
  version is ``PRAGMA user_version`` (mirrored in ``meta.schema_version`` for people reading the file).
- Version 1 is the first layout; version 2 adds a content ``checksum`` to every workflow and run row (see
  :mod:`flowmodel.workspace_integrity`), computed for the rows already there when a version-1 file is upgraded.
  :data:`MIGRATIONS` maps a version ``v`` to the function that turns a
  version-``v`` layout into version ``v + 1``; opening an older file applies every step in order inside one
  transaction, so an upgrade either completes or leaves the file as it was.
- A file is checked before anything is read from it: SQLite's own ``quick_check`` (damaged pages), the
  format name, the version (a newer one is refused, never guessed at) and every table and column used.
- Workflow documents are JSON text; the run tables are flat rows that mirror the engine's result records
  (one row per scalar, one row per time-series point) so they go straight into ``insert_all``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from flowmodel.errors import LoadError
from flowmodel.safe_files import read_header_bytes

WORKSPACE_FORMAT = "flowmodel.workspace"
WORKSPACE_VERSION = 2
WORKSPACE_SUFFIX = ".flowdb"
SQLITE_HEADER = b"SQLite format 3\x00"

#: table → (columns with their types, primary key); every column is NOT NULL except :data:`NULLABLE`.
TABLES: dict[str, tuple[dict[str, type], tuple[str, ...] | None]] = {
    "meta": ({"key": str, "value": str}, ("key",)),
    "workflows": ({"id": str, "name": str, "document": str, "updated_at": str, "checksum": str}, ("id",)),
    "scenarios": ({"workflow_id": str, "id": str, "name": str, "position": int, "document": str},
                  ("workflow_id", "id")),
    "run_settings": ({"workflow_id": str, "document": str}, ("workflow_id",)),
    "runs": ({"id": str, "workflow_id": str, "created_at": str, "label": str, "settings": str,
              "scenarios": str, "workflow_fingerprint": str, "status": str, "checksum": str}, ("id",)),
    "run_metrics": ({"run_id": str, "scenario_id": str, "scenario_name": str, "replication": int,
                     "scope_kind": str, "scope_id": str, "scope_name": str, "metric": str, "value": float}, None),
    "run_series": ({"run_id": str, "scenario_id": str, "scenario_name": str, "replication": int,
                    "scope_kind": str, "scope_id": str, "scope_name": str, "metric": str, "t_hours": float,
                    "value": float}, None),
}
#: (table, column) pairs that may hold NULL: a result value with no data (NaN) is stored as NULL.
NULLABLE: frozenset[tuple[str, str]] = frozenset({("run_metrics", "value"), ("run_series", "value")})
INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("scenarios", ("workflow_id", "position")),
    ("runs", ("workflow_id",)),
    ("run_metrics", ("run_id",)),
    ("run_series", ("run_id",)),
)

Migration = Callable[[Database], None]


def add_checksums(db: Database) -> None:
    """Version 1 → 2: a ``checksum`` column on ``workflows`` and ``runs``, filled from the rows as they are."""
    from flowmodel.workspace_integrity import add_result_row, start_run_checksum, workflow_checksum

    for table in ("workflows", "runs"):
        if "checksum" not in {column.name for column in db.table(table).columns}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN checksum TEXT NOT NULL DEFAULT ''")
    for row in list(db.query("SELECT * FROM workflows WHERE checksum = ''")):
        scenarios = db.query("SELECT * FROM scenarios WHERE workflow_id = ? ORDER BY position, id", [row["id"]])
        settings = db.execute("SELECT document FROM run_settings WHERE workflow_id = ?", [row["id"]]).fetchone()
        checksum = workflow_checksum(row["document"], scenarios, settings[0] if settings else None)
        db.execute("UPDATE workflows SET checksum = ? WHERE id = ?", [checksum, row["id"]])
    for run in list(db.query("SELECT * FROM runs WHERE checksum = ''")):
        checksum = start_run_checksum(run)
        for table in ("run_metrics", "run_series"):
            for result in db.query(f"SELECT * FROM {table} WHERE run_id = ? ORDER BY rowid", [run["id"]]):
                add_result_row(checksum, table, result)
        db.execute("UPDATE runs SET checksum = ? WHERE id = ?", [checksum.hexdigest(), run["id"]])


#: from-version → the step that brings a workspace of that version to the next one.
MIGRATIONS: dict[int, Migration] = {1: add_checksums}


def create_schema(db: Database) -> None:
    """Create every table and index of the current layout in an empty database (caller holds the transaction)."""
    for name, (columns, pk) in TABLES.items():
        not_null = [c for c in columns if (name, c) not in NULLABLE]
        key: str | list[str] | None = None if pk is None else pk[0] if len(pk) == 1 else list(pk)
        db.table(name).create(columns, pk=key, not_null=not_null)
    for table, columns in INDEXES:
        db.table(table).create_index(list(columns))
    db.table("meta").insert({"key": "format", "value": WORKSPACE_FORMAT})
    set_version(db, WORKSPACE_VERSION)


def set_version(db: Database, version: int) -> None:
    db.table("meta").insert({"key": "schema_version", "value": str(version)}, replace=True)
    db.execute(f"PRAGMA user_version = {int(version)}")


def read_header(path: Path) -> None:
    """Refuse what is not an SQLite file before SQLite sees it, so the message can say what the file is."""
    header = read_header_bytes(path, len(SQLITE_HEADER))
    if not header:
        raise LoadError("the file is empty, not a Flowmodel workspace", where=str(path),
                        hint="restore it from a backup")
    if header != SQLITE_HEADER:
        raise LoadError("not a Flowmodel workspace (the file is not an SQLite database)", where=str(path),
                        hint=f"workspaces end in {WORKSPACE_SUFFIX}; open a workflow file as .flow.json")


def check_workspace(db: Database, path: Path) -> int:
    """The layout version of the workspace in ``db``, after checking it is an intact Flowmodel workspace."""
    problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    if problems != ["ok"]:
        detail = " ".join(str(problems[0]).replace("*** in database main ***", "").split())
        raise LoadError(f"the workspace is damaged ({detail})", where=str(path),
                        hint="restore the file from a backup; Flowmodel will not read a damaged workspace")
    if "meta" not in db.table_names():
        raise LoadError("not a Flowmodel workspace (an SQLite database without Flowmodel's tables)",
                        where=str(path), hint=f"choose a {WORKSPACE_SUFFIX} file saved by Flowmodel")
    formats = [row[0] for row in db.execute("SELECT value FROM meta WHERE key = 'format'").fetchall()]
    if formats != [WORKSPACE_FORMAT]:
        raise LoadError(f"not a Flowmodel workspace (format {formats[0] if formats else 'missing'!r})",
                        where=f"{path} › meta.format", hint=f"choose a {WORKSPACE_SUFFIX} file saved by Flowmodel")
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > WORKSPACE_VERSION:
        raise LoadError(f"the workspace has layout version {version}, newer than this Flowmodel understands "
                        f"({WORKSPACE_VERSION})", where=str(path), hint="open it with a newer Flowmodel")
    return version


def upgrade(db: Database, path: Path, version: int) -> None:
    """Apply :data:`MIGRATIONS` from ``version`` to the current layout in one transaction."""
    if version == WORKSPACE_VERSION:
        return
    with db.atomic():
        while version < WORKSPACE_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise LoadError(f"the workspace has layout version {version}, which this Flowmodel cannot "
                                "upgrade", where=str(path), hint="open it with the Flowmodel that saved it "
                                "and export the workflows as .flow.json")
            step(db)
            version += 1
            set_version(db, version)


def check_tables(db: Database, path: Path) -> None:
    """Every table and column the workspace code reads must be there (a hand-edited file may lack some)."""
    existing = set(db.table_names())
    for name, (columns, _) in TABLES.items():
        if name not in existing:
            raise LoadError(f"the workspace has no table {name!r}", where=str(path),
                            hint="the file was changed outside Flowmodel; restore a backup")
        missing = set(columns) - {column.name for column in db.table(name).columns}
        if missing:
            raise LoadError(f"table {name!r} lacks column(s) {', '.join(sorted(missing))}", where=str(path),
                            hint="the file was changed outside Flowmodel; restore a backup")
