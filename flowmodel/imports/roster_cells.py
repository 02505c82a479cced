"""Cells of a roster as planners type them: times of day, shift lengths, headcounts and days of the week.

Rules:
- Times: ``09:00``, ``9``, ``9:30``, ``9:30:15``, ``9.5`` (hours), ``5pm``, ``7h15``, Excel times and durations
  (rounded to the second when a workbook's fraction of a day lands a microsecond off). A number is hours, never a
  fraction of a day. ``HH:MM:SS`` reads as ``h + m/60 + s/3600``, the same sum :func:`format_clock` inverts, so
  a written time reads back to the same number.
- Days: ``Mon-Fri``, ``Mon - Fri``, ``Monday to Friday``, ``Fri-Mon`` (wrapping over the weekend),
  ``Mon,Wed,Fri``, ``Mon Wed Fri``, ``Tue and Thu``, ``Sat``, ``weekdays``, ``weekends``, ``daily``, ``every day``.
- Every unreadable cell is the table's :class:`~flowmodel.imports.tabular.ImportFileError` naming file, row and
  column and saying what to write instead.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, time, timedelta

from flowmodel.imports.tabular import Table, is_empty, normalise_header, number_cell
from flowmodel.limits import MAX_HEADCOUNT

_DAY_NAMES = {
    0: ("mon", "monday", "mo"), 1: ("tue", "tues", "tuesday", "tu"), 2: ("wed", "weds", "wednesday", "we"),
    3: ("thu", "thur", "thurs", "thursday", "th"), 4: ("fri", "friday", "fr"), 5: ("sat", "saturday", "sa"),
    6: ("sun", "sunday", "su"),
}
DAY_OF = {name: day for day, names in _DAY_NAMES.items() for name in names}
DAY_GROUPS = {"weekdays": (0, 1, 2, 3, 4), "weekday": (0, 1, 2, 3, 4), "weekends": (5, 6), "weekend": (5, 6),
              "daily": tuple(range(7)), "every day": tuple(range(7)), "everyday": tuple(range(7)),
              "all": tuple(range(7)), "all week": tuple(range(7))}
CLOCK_TEXT = re.compile(r"^(\d{1,2})(?:[:h](\d{2})(?::(\d{2}))?)?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


def day_header(header: str) -> int | None:
    """The weekday a header names (``"Mon"``, ``"monday"``, ``"Wed."`` → 0, 0, 2), None for other headers."""
    return DAY_OF.get(normalise_header(header).replace("_", " ").rstrip("."))


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_clock(value: object) -> float | None:
    """Hours since midnight of a cell (``"09:30"`` → 9.5, an Excel time, a number of hours); None if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return _clock_hours(*divmod(round(seconds), 3600)) if abs(seconds - round(seconds)) < 1e-3 else seconds / 3600
    if isinstance(value, time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        # a workbook stores times as fractions of a day: 23:00 may come back a microsecond early
        return _clock_hours(*divmod(round(seconds), 3600)) if abs(seconds - round(seconds)) < 1e-3 else seconds / 3600
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().lower().replace(" ", "")
    match = CLOCK_TEXT.match(text)
    if not match:
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    hour, minute, second, half = match.groups()
    hours = int(hour)
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half.startswith("p") else 0)
    if int(minute or 0) > 59 or int(second or 0) > 59:
        return None
    return hours + int(minute or 0) / 60 + int(second or 0) / 3600


def _clock_hours(hours: int, rest: int) -> float:
    """Whole hours and seconds after them as hours, computed as a typed ``HH:MM:SS`` is."""
    minute, second = divmod(rest, 60)
    return hours + minute / 60 + second / 3600


def _clock_cell(table: Table, row: int, column: int, value: object, what: str) -> float:
    if is_empty(value):
        raise table.error(f"no {what} time", row=row, column=column, hint="write a time such as 09:00")
    hours = parse_clock(value)
    if hours is None:
        raise table.error(f"{cell_text(value)!r} is not a time of day", row=row, column=column,
                          hint="write a time such as 09:00, 9:30 or 17")
    return hours


def start_cell(table: Table, row: int, column: int, value: object) -> float:
    start = _clock_cell(table, row, column, value, "start")
    if not 0 <= start < 24:
        raise table.error(f"start {cell_text(value)!r} is not from 00:00 to before 24:00", row=row, column=column,
                          hint="write the time the shift starts, e.g. 22:00 for a night shift")
    return start


def length_cell(table: Table, row: int, start: float, hours_col: int | None, end_col: int | None,
            cells: list[object]) -> float:
    """The shift's hours from the hours column, or from the end column (wrapping past midnight)."""
    from_end = None
    if end_col is not None and not is_empty(cells[end_col]):
        end = _clock_cell(table, row, end_col, cells[end_col], "end")
        if not 0 <= end <= 24:
            raise table.error(f"end {cell_text(cells[end_col])!r} is not from 00:00 to 24:00", row=row, column=end_col,
                              hint="write the time the shift ends; an end before the start is the next day")
        from_end = (end - start) % 24
        if from_end == 0:
            raise table.error("the shift ends when it starts", row=row, column=end_col,
                              hint="for a 24-hour shift give hours 24 instead of an end time")
    if hours_col is None or is_empty(cells[hours_col]):
        if from_end is None:
            column = end_col if hours_col is None else hours_col
            raise table.error("no shift length", row=row, column=column,
                              hint="write the shift's hours (e.g. 8) or its end time (e.g. 17:00)")
        return from_end
    value = cells[hours_col]
    clock_like = isinstance(value, time | timedelta) or (isinstance(value, str) and ":" in value)
    hours = parse_clock(value) if clock_like else None
    if hours is None:
        hours = number_cell(value, table=table, row=row, column=hours_col)
    if not 0 < hours <= 24:
        raise table.error(f"{cell_text(value)} hours is not above 0 and at most 24", row=row, column=hours_col,
                          hint="a shift lasts more than 0 and at most 24 hours; split longer ones")
    if from_end is not None and abs(from_end - hours) > 1e-9:
        raise table.error(f"{cell_text(value)} hours does not match the end {cell_text(cells[end_col])}", row=row,
                          column=hours_col, hint="correct the hours or the end, or leave one of them empty")
    return hours


def headcount_cell(table: Table, row: int, column: int, value: object) -> int:
    if is_empty(value):
        return 0
    count = number_cell(value, table=table, row=row, column=column)
    if count < 0 or not count.is_integer():
        raise table.error(f"headcount {cell_text(value)} is not a whole number of reviewers ≥ 0", row=row,
                          column=column, hint="write how many reviewers are rostered, e.g. 12 (0 or empty: none)")
    if count > MAX_HEADCOUNT:
        raise table.error(f"headcount {cell_text(value)} is above the limit of {MAX_HEADCOUNT:,} on one shift",
                          row=row, column=column, hint="check the cell: it is probably a typo")
    return int(count)


def days_cell(table: Table, row: int, column: int, value: object) -> tuple[int, ...]:
    """Weekdays (Monday = 0) of a days cell: ``Mon-Fri``, ``Fri-Mon``, ``Mon,Wed``, ``weekends``, ``daily``."""
    text = cell_text(value).lower()
    if not text:
        raise table.error("no days", row=row, column=column, hint="write the person's days, e.g. Mon-Fri")
    if text in DAY_GROUPS:
        return DAY_GROUPS[text]
    text = re.sub(r"\s*(?:[-–—]|\bto\b|\bthrough\b|\bthru\b)\s*", "-", text)  # "Mon - Fri", "Monday to Friday"
    days: list[int] = []
    for part in re.split(r"[,;/+&\s]+|\band\b", text):
        if not part:
            continue
        if part in DAY_GROUPS:
            days.extend(DAY_GROUPS[part])
            continue
        ends = part.split("-")
        first, last = DAY_OF.get(ends[0].strip(".")), DAY_OF.get(ends[-1].strip("."))
        if len(ends) > 2 or first is None or last is None:
            bad = next((e for e in ends if DAY_OF.get(e.strip(".")) is None), part)
            raise table.error(f"{bad!r} in {cell_text(value)!r} is not a weekday or a range of them", row=row,
                              column=column, hint="write days like Mon-Fri, Mon,Wed,Fri, Sat, weekdays, weekends "
                              "or daily")
        days.extend((first + k) % 7 for k in range((last - first) % 7 + 1))
    return tuple(sorted(set(days)))


def format_clock(hours: float) -> str:
    """``9.5`` → ``"09:30"``, ``9.25001…`` → ``"09:15:00"`` only when it reads back to the same number."""
    seconds = round(hours * 3600)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}" if not s else f"{h:02d}:{m:02d}:{s:02d}"


def shift_label(start: float, hours: float) -> str:
    """A shift's name from its times: ``"22:00–06:00"``."""
    return f"{format_clock(start)}–{format_clock((start + hours) % 24)}"
