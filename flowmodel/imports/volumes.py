"""Reading a history of report volumes (CSV or XLSX) into a :class:`~flowmodel.imports.history.VolumeHistory`.

Rules:
- Two layouts, told apart by the headers. *Counts per interval*: a time column (timestamp, time, interval, hour,
  datetime, date, or a date column with an hour column) and a count column (count, volume, reports, items, n),
  with optional category, language and priority columns (then one row per interval and key). *One row per item*:
  a creation-time column (created, created_at, timestamp) and no count column; every row is one item.
- Intervals shorter than an hour are summed into hours (an hour missing some of its intervals has no count);
  intervals longer than an hour (daily totals) are refused: an hourly profile cannot be learned from them.
- Times without an offset are local times in the source's zone. A time skipped by a spring-forward change is
  read as the hour after it (clocks moved on), with a note. A repeated fall-back hour given twice for the same
  key is read as the two UTC hours in the file's order; given once, as the first (the second is then missing).
- Exact duplicates (same interval, key and count) are dropped with a note naming their rows; the same interval
  and key with different counts is an error naming both rows. Hours inside the span with no row are NaN, with a
  note; in a per-item file an hour without items had none (0). Rows may come in any order.
- Rows are streamed and aggregated as they are read: memory grows with the hours (and keys), not with the rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from flowmodel.imports.history import VolumeHistory
from flowmodel.imports.tabular import (
    MAX_IMPORT_ROWS,
    Table,
    TimestampParser,
    find_column,
    is_empty,
    is_nonexistent,
    is_repeated,
    local_to_utc,
    number_cell,
    open_table,
    zone_of,
)
from flowmodel.nodes import MixEntry

TIME_ALIASES = ("timestamp", "datetime", "date_time", "time", "interval", "interval_start", "start", "hour", "date",
                "created", "created_at")
COUNT_ALIASES = ("count", "volume", "reports", "items", "n")
CREATED_ALIASES = ("created", "created_at", "creation_time", "created_time", "timestamp")
CATEGORY_ALIASES = ("category", "policy", "policy_area")
LANGUAGE_ALIASES = ("language", "lang", "locale")
PRIORITY_ALIASES = ("priority", "prio")
_HOUR = timedelta(hours=1)
_LISTED = 8  # rows or hour ranges named in one note; the rest are counted

Key = tuple[str, str, str]


@dataclass
class _Columns:
    time: int
    hour: int | None  # an hour-of-day column to add to a date column
    count: int | None  # None: one row per item
    keys: tuple[int | None, int | None, int | None]


@dataclass
class _Reading:
    """What the rows gave so far: counts per interval start (UTC) and key, with where each came from."""

    table: Table
    zone: ZoneInfo
    cols: _Columns
    parser: TimestampParser
    cells: dict[tuple[datetime, Key], tuple[float, int]] = field(default_factory=dict)
    shifted: dict[tuple[datetime, Key], float] = field(default_factory=lambda: defaultdict(float))
    repeats: dict[tuple[datetime, Key], int] = field(default_factory=lambda: defaultdict(int))
    dropped: list[int] = field(default_factory=list)
    gap_rows: list[tuple[int, datetime]] = field(default_factory=list)
    empty_counts: list[int] = field(default_factory=list)
    empty_starts: set[datetime] = field(default_factory=set)  # intervals whose count cell is empty: no count
    repeat_window: dict[datetime, tuple[datetime, int]] = field(default_factory=dict)
    plain_offsets: dict[datetime, timedelta | None] = field(default_factory=dict)  # local hour → its one offset

    def plain_utc(self, naive: datetime) -> datetime | None:
        """The UTC time of a local time in an hour with one offset throughout (no change), else None; cached
        per hour so a file of millions of items converts each hour once."""
        hour = naive.replace(minute=0, second=0, microsecond=0)
        if hour not in self.plain_offsets:
            ends = (hour, hour + timedelta(minutes=59, seconds=59))
            offsets = {t.replace(tzinfo=self.zone, fold=f).utcoffset() for t in ends for f in (0, 1)}
            self.plain_offsets[hour] = offsets.pop() if len(offsets) == 1 else None
        offset = self.plain_offsets[hour]
        return None if offset is None else (naive - offset).replace(tzinfo=UTC)


def read_volumes(path: str | Path, *, timezone: str, sheet: str | None = None,
                 max_rows: int = MAX_IMPORT_ROWS) -> VolumeHistory:
    """Read a file of counts per interval or of one row per item into hourly counts in UTC."""
    zone = zone_of(timezone)
    table = open_table(path, sheet=sheet, max_rows=max_rows)
    cols = _columns(table)
    reading = _Reading(table, zone, cols, TimestampParser(table, cols.time))
    per_item = cols.count is None
    any_row = False
    for row, cells in table.rows():
        any_row = True
        if per_item:
            _read_item(reading, row, cells)
        else:
            _read_count(reading, row, cells)
    if not any_row:
        raise table.error("the table has a header but no data rows", row=table.header_row,
                          hint="export the history with at least a few weeks of hourly rows")
    if not reading.cells and not reading.shifted:
        raise table.error("no row has a count", hint="fill in the count column")
    return _history(reading, per_item)


def _columns(table: Table) -> _Columns:
    count = find_column(table, COUNT_ALIASES, what="count", required=False)
    keys = (find_column(table, CATEGORY_ALIASES, what="category", required=False),
            find_column(table, LANGUAGE_ALIASES, what="language", required=False),
            find_column(table, PRIORITY_ALIASES, what="priority", required=False))
    if count is None:
        created = find_column(table, CREATED_ALIASES, what="creation time", required=False)
        if created is None:
            raise table.error(
                "neither a count column nor a creation-time column", row=table.header_row,
                hint="for counts per hour name the columns timestamp and count; for one row per item name the "
                f"column created_at. The file's columns are {', '.join(repr(h) for h in table.headers)}")
        return _Columns(created, None, None, keys)
    time = find_column(table, TIME_ALIASES, what="timestamp")
    assert time is not None
    hour = None
    date = find_column(table, ("date", "day"), what="date", required=False)
    hour_col = find_column(table, ("hour", "hour_of_day"), what="hour", required=False)
    if date is not None and hour_col is not None and time in (date, hour_col):
        time, hour = date, hour_col
    return _Columns(time, hour, count, keys)


def _key(cells: list[object], cols: _Columns) -> Key:
    defaults = (MixEntry.category, MixEntry.language, MixEntry.priority)
    return tuple(  # type: ignore[return-value]
        default if index is None or is_empty(cells[index]) else str(cells[index]).strip()
        for index, default in zip(cols.keys, defaults, strict=True))


def _local_time(reading: _Reading, row: int, cells: list[object]) -> datetime:
    moment = reading.parser.parse(cells[reading.cols.time], row=row)
    if reading.cols.hour is None:
        return moment
    value = cells[reading.cols.hour]
    text = "" if value is None else str(value).strip()
    hour_text = text.split(":")[0] if ":" in text else text
    hour = number_cell(hour_text, table=reading.table, row=row, column=reading.cols.hour) if text else math.nan
    if not (0 <= hour <= 23 and hour == int(hour)):
        raise reading.table.error(f"{text!r} is not an hour of the day (0–23)", row=row, column=reading.cols.hour)
    return moment.replace(hour=int(hour), minute=0, second=0, microsecond=0)


def _read_count(reading: _Reading, row: int, cells: list[object]) -> None:
    cols, table = reading.cols, reading.table
    assert cols.count is not None
    moment = _local_time(reading, row, cells)
    key = _key(cells, cols)
    if is_empty(cells[cols.count]):
        reading.empty_counts.append(row)
        reading.empty_starts.add(local_to_utc(moment, reading.zone) if moment.tzinfo is None
                                 else moment.astimezone(UTC))
        return
    count = number_cell(cells[cols.count], table=table, row=row, column=cols.count)
    if count < 0:
        raise table.error(f"a count cannot be negative ({count:g})", row=row, column=cols.count)
    start, in_gap = _utc_start(reading, row, moment, lambda: _count_fold(reading, moment, key))
    if in_gap:
        reading.shifted[(start, key)] += count
        return
    earlier = reading.cells.get((start, key))
    if earlier is None:
        reading.cells[(start, key)] = (count, row)
    elif earlier[0] == count:
        reading.dropped.append(row)
    else:
        raise table.error(
            f"rows {earlier[1]} and {row} give different counts ({earlier[0]:g} and {count:g}) for the same "
            f"interval {_local_label(start, reading.zone)}{_key_label(key, cols)}", row=row, column=cols.count,
            hint="keep one of the two rows (a dashboard export run twice?) and import again")


def _read_item(reading: _Reading, row: int, cells: list[object]) -> None:
    moment = reading.parser.parse(cells[reading.cols.time], row=row)
    key = _key(cells, reading.cols)
    start, _in_gap = _utc_start(reading, row, moment, lambda: _item_fold(reading, moment))
    hour = start.replace(minute=0, second=0, microsecond=0)
    count, first = reading.cells.get((hour, key), (0.0, row))
    reading.cells[(hour, key)] = (count + 1, first)


def _utc_start(reading: _Reading, row: int, moment: datetime, repeat_fold: Callable[[], int]) -> tuple[datetime, bool]:
    """The UTC instant of a file's time and whether it fell in a DST gap (recorded for the notes; read as the hour
    after). A local time in a repeated hour takes ``repeat_fold()``: which of its two passes the row is."""
    plain = None if moment.tzinfo is not None else reading.plain_utc(moment)
    if plain is not None:
        return plain, False
    if moment.tzinfo is not None:
        return moment.astimezone(UTC), False
    if is_nonexistent(moment, reading.zone):
        reading.gap_rows.append((row, moment))
        return local_to_utc(moment, reading.zone), True
    if is_repeated(moment, reading.zone):
        return local_to_utc(moment, reading.zone, fold=repeat_fold()), False
    return local_to_utc(moment, reading.zone), False


def _count_fold(reading: _Reading, moment: datetime, key: Key) -> int:
    """Counts in a repeated hour: the first row of an interval and key is the first pass, the next the second."""
    seen = reading.repeats[(moment, key)]
    reading.repeats[(moment, key)] = seen + 1
    return min(seen, 1)


def _item_fold(reading: _Reading, moment: datetime) -> int:
    """Items in a repeated hour are read in file order: once a time goes back inside the hour, it is the second."""
    window = moment.replace(minute=0, second=0, microsecond=0)
    latest, fold = reading.repeat_window.get(window, (moment, 0))
    if moment < latest:
        fold = 1
    reading.repeat_window[window] = (max(latest, moment), fold)
    return fold


def _history(reading: _Reading, per_item: bool) -> VolumeHistory:
    table, zone = reading.table, reading.zone
    intervals: dict[datetime, float] = defaultdict(float)
    mix: dict[Key, float] = defaultdict(float)
    for (start, key), (count, _row) in reading.cells.items():
        intervals[start] += count
        mix[key] += count
    for (start, key), count in reading.shifted.items():
        intervals[start] += count
        mix[key] += count
    notes: list[str] = []
    step = _step(sorted(set(intervals) | reading.empty_starts), table, per_item, reading.cols.time)
    hours: dict[datetime, float] = defaultdict(float)
    parts: dict[datetime, int] = defaultdict(int)
    for start, count in intervals.items():
        hour = start.replace(minute=0, second=0, microsecond=0)
        hours[hour] += count
        parts[hour] += 1
    per_hour = round(_HOUR / step)
    partial = {h for h, n in parts.items() if n < per_hour}
    blank = {s.replace(minute=0, second=0, microsecond=0) for s in reading.empty_starts}
    first, last = min(hours.keys() | blank), max(hours.keys() | blank)
    span = int((last - first) / _HOUR) + 1
    counts = []
    for i in range(span):
        hour = first + i * _HOUR
        if hour in hours and hour not in partial and hour not in blank:
            counts.append(hours[hour])
        else:
            counts.append(0.0 if per_item else math.nan)
    if per_hour > 1:
        notes.append(f"{per_hour} intervals of {int(step.total_seconds() // 60)} minutes summed into each hour")
    if partial:
        notes.append(f"hours missing some of their {int(step.total_seconds() // 60)}-minute intervals, left "
                     f"without a count ({len(partial)}): {_hour_ranges(sorted(partial), zone)}")
    notes.extend(_reading_notes(reading))
    missing = [first + i * _HOUR for i, c in enumerate(counts) if math.isnan(c)]
    missing_rowless = [h for h in missing if h not in partial and h not in blank]
    if missing_rowless:
        n = len(missing_rowless)
        verb = "1 hour has" if n == 1 else f"{n} hours have"
        notes.append(f"{verb} no row: {_hour_ranges(missing_rowless, zone)}")
    return VolumeHistory(file=table.file, timezone=zone.key, start_utc=first, counts=tuple(counts),
                         mix=dict(mix), notes=tuple(notes))


def _step(starts: list[datetime], table: Table, per_item: bool, column: int) -> timedelta:
    if per_item or len(starts) < 2:
        return _HOUR
    step = min(b - a for a, b in pairwise(starts))
    if step > _HOUR:
        raise table.error(
            f"the rows are {_duration(step)} apart: totals over {_duration(step)} cannot give an hourly profile",
            column=column,
            hint="export counts per hour (or shorter intervals), or one row per item with its creation time")
    if step < timedelta(minutes=1) or _HOUR % step:
        raise table.error(
            f"the intervals are {_duration(step)} apart, which does not divide an hour",
            column=column, hint="export counts per hour, or per 5, 10, 15 or 30 minutes")
    return step


def _reading_notes(reading: _Reading) -> list[str]:
    notes = []
    zone = reading.zone
    if reading.dropped:
        notes.append("exact duplicates dropped (the same interval, key and count as an earlier row): "
                     + _rows(reading.dropped))
    if reading.gap_rows:
        when = sorted({moment for _row, moment in reading.gap_rows})
        notes.append(f"local times that do not exist in {zone.key} (clocks go forward), read as the hour "
                     f"after: {_rows([r for r, _m in reading.gap_rows])} "
                     f"({', '.join(m.strftime('%Y-%m-%d %H:%M') for m in when[:_LISTED])})")
    repeated_once = sorted({m for (m, _k), n in reading.repeats.items() if n == 1})
    if repeated_once:
        notes.append("a local hour that happens twice (clocks go back) has one row, read as the first: "
                     + ", ".join(m.strftime("%Y-%m-%d %H:%M") for m in repeated_once[:_LISTED]))
    if reading.empty_counts:
        notes.append("empty counts, read as missing: " + _rows(reading.empty_counts))
    return notes


def _local_label(start: datetime, zone: ZoneInfo) -> str:
    return start.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _key_label(key: Key, cols: _Columns) -> str:
    named = [f"{what} {value!r}" for what, value, index in zip(("category", "language", "priority"), key,
                                                                cols.keys, strict=True) if index is not None]
    return f" ({', '.join(named)})" if named else ""


def _rows(rows: list[int]) -> str:
    listed = ", ".join(str(r) for r in sorted(rows)[:_LISTED])
    more = f" and {len(rows) - _LISTED} more" if len(rows) > _LISTED else ""
    return f"row{'s' if len(rows) > 1 else ''} {listed}{more}"


def _hour_ranges(hours: list[datetime], zone: ZoneInfo) -> str:
    """Consecutive UTC hours as local ranges: ``2026-03-09 02:00–15:00``."""
    runs: list[tuple[datetime, datetime]] = []
    for hour in hours:
        if runs and hour - runs[-1][1] == _HOUR:
            runs[-1] = (runs[-1][0], hour)
        else:
            runs.append((hour, hour))
    labels = []
    for start, end in runs[:_LISTED]:
        a, b = start.astimezone(zone), (end + _HOUR).astimezone(zone)
        b_text = b.strftime("%H:%M") if a.date() == b.date() else b.strftime("%Y-%m-%d %H:%M")
        labels.append(f"{a.strftime('%Y-%m-%d %H:%M')}–{b_text}")
    more = f" and {len(runs) - _LISTED} more gaps" if len(runs) > _LISTED else ""
    return ", ".join(labels) + more + f" ({zone.key})"


def _duration(step: timedelta) -> str:
    seconds = step.total_seconds()
    if seconds >= 86400 and seconds % 86400 == 0:
        days = int(seconds // 86400)
        return f"{days} day" + ("s" if days > 1 else "")
    if seconds >= 3600:
        return f"{seconds / 3600:g} hours"
    return f"{seconds / 60:g} minutes"
