"""Handle-time samples from the review tool's export (a column of a CSV or XLSX), in seconds, overall and per
category, for :mod:`simulations.distribution_fit`.

Rules:
- The column: the one named by the caller, else the first header that reads as a handle time —
  :data:`HANDLE_TIME_NAMES` in that order of preference, optionally with a unit ("handle_time_min",
  "Handle time (min)", "duration_seconds"), or a bare unit ("seconds", "minutes").
- The unit: a unit in the header wins over the caller's ``unit`` (the file says what it holds), with a note when
  they differ. A workbook's time cells (``0:04:12``) and text written ``H:MM:SS`` are durations whatever the unit.
- Categories: the caller's ``category_column``, else a column named :data:`CATEGORY_NAMES` if the file has one;
  ``category_column=""`` reads no categories. A row without a category counts in the overall samples only.
  More than :data:`MAX_CATEGORIES` different categories is refused (it is an id column, not a category).
- Cells: text that is not a number, or a negative number, is an :class:`ImportFileError` naming the file, row and
  column. An empty handle-time cell (a review still open) is skipped with a note; a zero is kept (fitting drops
  zeros and says so).
- Memory: at most :data:`MAX_SAMPLES` samples are kept overall and per category, a uniform random subset beyond
  that (reservoir sampling from a fixed seed, so the same file gives the same samples), with a note. Samples
  are kept as 8-byte floats, so even a file at the row cap (``MAX_IMPORT_ROWS``, 5 million) holds at most
  5 million per-category samples plus 200,000 overall, about 42 MB.
"""

from __future__ import annotations

import random
import re
from array import array
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path

from flowmodel.distributions import SECONDS_PER_UNIT, UNIT_NAMES
from flowmodel.imports.tabular import ImportFileError, Table, is_empty, normalise_header, number_cell, open_table

HANDLE_TIME_NAMES = ("handle_time", "handling_time", "aht", "duration", "review_time", "time_spent")
CATEGORY_NAMES = ("category", "policy_area", "policy")
#: Header words naming a unit, as the last word of a handle-time header or alone.
UNIT_WORDS: dict[str, str] = {
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "m": "min", "min": "min", "mins": "min", "minute": "min", "minutes": "min",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
}
MAX_SAMPLES = 200_000
MAX_CATEGORIES = 500
RESERVOIR_SEED = 15
_CLOCK = re.compile(r"^(\d+):([0-5]\d):([0-5]\d(?:[.,]\d+)?)$")


@dataclass(frozen=True)
class HandleTimeSamples:
    """What was read: samples in seconds, in file order unless a reservoir had to sample them."""

    file: str  # the file's name (and sheet) for messages
    column: str  # the handle-time column's header
    unit: str  # the unit the column's numbers were read in
    samples_s: tuple[float, ...]
    by_category: dict[str, tuple[float, ...]] = field(default_factory=dict)  # empty without a category column
    category_column: str | None = None
    rows: int = 0  # data rows with a handle time
    notes: tuple[str, ...] = ()


def read_handle_times(path: str | Path, *, unit: str, column: str | None = None, category_column: str | None = None,
                      sheet: str | None = None) -> HandleTimeSamples:
    """Read handle-time samples; ``unit`` is what the numbers are in when the header does not say."""
    table = open_table(path, sheet=sheet)
    if unit not in SECONDS_PER_UNIT:
        raise ImportFileError(f"unknown time unit {unit!r}", file=table.file,
                              hint=f"use one of {', '.join(SECONDS_PER_UNIT)}")
    index, header_unit = _handle_time_column(table, column)
    notes: list[str] = []
    if header_unit is not None and header_unit != unit:
        notes.append(f"column '{table.headers[index]}' is in {UNIT_NAMES[header_unit]}: read as "
                     f"{UNIT_NAMES[header_unit]}, not {UNIT_NAMES[unit]}")
    unit = header_unit or unit
    category = _category_column(table, category_column, index)
    factor = SECONDS_PER_UNIT[unit]
    overall = _Reservoir(random.Random(RESERVOIR_SEED))
    groups: dict[str, _Reservoir] = {}
    rows = blank = uncategorised = 0
    first_blank: int | None = None
    for number, cells in table.rows():
        value = cells[index]
        if is_empty(value):
            blank += 1
            first_blank = first_blank or number
            continue
        seconds = _seconds(value, factor, table, number, index)
        rows += 1
        overall.add(seconds)
        if category is None:
            continue
        name = "" if is_empty(cells[category]) else str(cells[category]).strip()
        if not name:
            uncategorised += 1
            continue
        group = groups.get(name)
        if group is None:
            if len(groups) >= MAX_CATEGORIES:
                raise table.error(
                    f"more than {MAX_CATEGORIES} different categories", row=number, column=category,
                    hint="choose the column that holds the policy category, or import without categories")
            group = groups[name] = _Reservoir(random.Random(f"{RESERVOIR_SEED}|{name}"))
        group.add(seconds)
    if rows == 0:
        raise table.error("no handle times in the column", column=index,
                          hint="check the column and the sheet; the first row must name the columns")
    if blank:
        notes.append(f"{blank:,} rows without a handle time skipped (the first is row {first_blank})")
    if uncategorised:
        notes.append(f"{uncategorised:,} rows without a category count in the overall samples only")
    notes.extend(r.note(f"category '{name}'") for name, r in groups.items() if r.seen > MAX_SAMPLES)
    if overall.seen > MAX_SAMPLES:
        notes.append(overall.note("the file"))
    return HandleTimeSamples(
        file=table.file, column=table.headers[index], unit=unit, samples_s=tuple(overall.kept),
        by_category={name: tuple(r.kept) for name, r in groups.items()},
        category_column=None if category is None else table.headers[category], rows=rows, notes=tuple(notes))


def header_unit(header: str) -> tuple[str, str | None]:
    """``"Handle time (min)"`` → ``("handle_time", "min")``; ``"seconds"`` → ``("", "s")``; no unit → None."""
    words = [w for w in re.split(r"_+", re.sub(r"[()\[\]{}]", "_", normalise_header(header))) if w]
    if words and words[-1] in UNIT_WORDS:
        return "_".join(words[:-1]), UNIT_WORDS[words[-1]]
    return "_".join(words), None


def _handle_time_column(table: Table, column: str | None) -> tuple[int, str | None]:
    parsed = [header_unit(h) for h in table.headers]
    if column is not None:
        wanted = normalise_header(column)
        for i, header in enumerate(table.headers):
            if header == column or normalise_header(header) == wanted:
                return i, parsed[i][1]
        raise table.error(f"no column {column!r}", row=table.header_row,
                          hint=f"the file's columns are {_names(table)}")
    for name in HANDLE_TIME_NAMES:
        for i, (base, found_unit) in enumerate(parsed):
            if base == name:
                return i, found_unit
    for i, (base, found_unit) in enumerate(parsed):
        if base == "" and found_unit is not None:
            return i, found_unit
    raise table.error(
        "no handle-time column", row=table.header_row,
        hint=f"name the column (e.g. handle_time_s or 'Handle time (min)') or choose it; the file's columns are "
        f"{_names(table)}")


def _category_column(table: Table, category_column: str | None, handle_time: int) -> int | None:
    if category_column == "":
        return None
    wanted = [normalise_header(category_column)] if category_column is not None else list(CATEGORY_NAMES)
    normalised = [normalise_header(h) for h in table.headers]
    for name in wanted:
        if name in normalised and normalised.index(name) != handle_time:
            return normalised.index(name)
    if category_column is not None:
        raise table.error(f"no column {category_column!r}", row=table.header_row,
                          hint=f"the file's columns are {_names(table)}")
    return None


def _seconds(value: object, factor: float, table: Table, row: int, column: int) -> float:
    """A cell as seconds: a number in the column's unit, or a duration (time cell, ``H:MM:SS``)."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, time):
        seconds = value.hour * 3600.0 + value.minute * 60.0 + value.second + value.microsecond / 1e6
    elif isinstance(value, str) and (clock := _CLOCK.match(value.strip())):
        h, m, s = clock.groups()
        seconds = int(h) * 3600.0 + int(m) * 60.0 + float(s.replace(",", "."))
    else:
        seconds = number_cell(value, table=table, row=row, column=column) * factor
    if seconds < 0:
        raise table.error(f"{value!r} is negative; a handle time is ≥ 0", row=row, column=column,
                          hint="correct or delete the row")
    return seconds


def _names(table: Table) -> str:
    return ", ".join(repr(h) for h in table.headers)


class _Reservoir:
    """Algorithm R: a uniform random subset of at most :data:`MAX_SAMPLES` values, in one pass."""

    __slots__ = ("kept", "rng", "seen")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.kept = array("d")  # 8 bytes a sample, not a Python float's 32
        self.seen = 0

    def add(self, value: float) -> None:
        self.seen += 1
        if len(self.kept) < MAX_SAMPLES:
            self.kept.append(value)
            return
        slot = self.rng.randrange(self.seen)
        if slot < MAX_SAMPLES:
            self.kept[slot] = value

    def note(self, what: str) -> str:
        return (f"{what}: {self.seen:,} handle times, a random {MAX_SAMPLES:,} of them kept (the same ones on "
                "every import of this file)")
