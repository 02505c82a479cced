"""Content checksums and row checks for what a workspace stores, so damage is reported instead of exported.

Rules:
- Every stored workflow carries a SHA-256 over its three parts (workflow document, scenario rows in order,
  run settings); every stored run one over its row and all of its result rows, in the order they were saved.
  A checksum is written in the same transaction as the content and verified whenever the content is read, so
  a flipped page, a truncated file or a hand edit that SQLite's own check misses is named (workflow or run)
  rather than shown or exported.
- A value is hashed by its type and ``repr`` — exact for text, whole numbers and floats (a float read back from
  SQLite is the same double that was written), and NULL stays distinct from every number.
- Every row read back is type-checked against :data:`~flowmodel.workspace_schema.TABLES` before it is used:
  text where text belongs, whole numbers, finite numbers (``value`` may be NULL: no data).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from typing import Any

from flowmodel.errors import LoadError
from flowmodel.workspace_schema import NULLABLE, TABLES

RESTORE_HINT = ("the file was damaged or changed outside Flowmodel; restore it from a backup, "
                "or run the simulation again")
RUN_COLUMNS: tuple[str, ...] = tuple(c for c in TABLES["runs"][0] if c != "checksum")
RESULT_COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(c for c in TABLES[table][0] if c != "run_id") for table in ("run_metrics", "run_series")}


class Checksum:
    """A running SHA-256 over rows of plain values (text, int, float, None)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, values: Iterable[Any]) -> None:
        self._hash.update(repr(tuple(values)).encode("utf-8", "surrogatepass"))
        self._hash.update(b"\n")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def workflow_checksum(document: str, scenario_rows: Iterable[dict[str, Any]], settings_document: str | None) -> str:
    """The checksum of one workflow's stored parts (scenario rows in position order)."""
    checksum = Checksum()
    checksum.add(("workflow", document))
    for row in scenario_rows:
        checksum.add(("scenario", row["id"], row["name"], row["position"], row["document"]))
    checksum.add(("settings", settings_document))
    return checksum.hexdigest()


def start_run_checksum(run: dict[str, Any]) -> Checksum:
    """A checksum over a run's row; its result rows are added as they stream in or are read back."""
    checksum = Checksum()
    checksum.add(run[column] for column in RUN_COLUMNS)
    return checksum


def add_result_row(checksum: Checksum, table: str, row: dict[str, Any]) -> None:
    checksum.add((table, *(row[column] for column in RESULT_COLUMNS[table])))


def check_row(table: str, row: dict[str, Any], where: str) -> None:
    """Raise :class:`LoadError` at ``where`` unless every column of ``row`` holds its table's type."""
    for column, kind in TABLES[table][0].items():
        if column not in row:
            continue
        value = row[column]
        if value is None:
            if (table, column) in NULLABLE or column == "checksum":
                continue
            raise _bad(where, column, "is empty")
        if kind is str:
            ok = isinstance(value, str)
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, float | int) and not isinstance(value, bool) and math.isfinite(value)
        if not ok:
            expected = {str: "text", int: "a whole number", float: "a finite number"}[kind]
            raise _bad(where, column, f"holds {value!r}, not {expected}")


def _bad(where: str, column: str, problem: str) -> LoadError:
    return LoadError(f"the stored value of {column} {problem}", where=where, hint=RESTORE_HINT)


def damaged(what: str, where: str, hint: str = RESTORE_HINT) -> LoadError:
    """The error for content that parses but differs from what was saved (a flipped page, a hand edit)."""
    return LoadError(f"{what} is damaged: its content no longer matches the checksum saved with it", where=where,
                     hint=hint)
