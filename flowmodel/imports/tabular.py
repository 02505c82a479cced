"""Reading a planner's table (CSV, TSV or an XLSX sheet) one row at a time, and its cells as numbers and times.

Rules:
- Reading is streamed: a CSV goes through the ``csv`` module line by line and a workbook through openpyxl's
  read-only mode, so a file of any size costs memory per row, not per file. Importers aggregate as they read.
  A table past :data:`MAX_IMPORT_ROWS` data rows is refused (aggregate or split it) rather than read for hours.
- Row numbers are the spreadsheet's: the header is row 1 (or the row it sits on, after blank rows), the first
  data row is row 2. Blank rows are skipped but still counted, so a message's row is the row the planner sees.
- Text is read as UTF-8 (a byte-order mark is dropped); a file that is not UTF-8 is read as Windows-1252,
  what Excel writes on most planners' machines. The delimiter (comma, semicolon, tab, bar) is sniffed.
- Every fault in a cell is an :class:`ImportFileError` naming the file, the row and the column, and saying
  what to do; nothing here returns a half-read value.
- Numbers: Excel numbers, ``1234``, ``1,234``, ``1 234``, ``12.5``, ``12,5`` (a decimal comma), ``1.234,5``.
- Timestamps (:class:`TimestampParser`): ISO 8601 with or without an offset, ``YYYY-MM-DD HH:MM[:SS]``,
  ``DD/MM/YYYY HH:MM`` or ``MM/DD/YYYY HH:MM`` (the order decided per column from the cells that can only be
  read one way; a column where every cell reads both ways is refused), ``DD.MM.YYYY``, and Excel datetimes.
  A time without an offset is local time in the zone the caller gives; an offset is honoured.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flowmodel.errors import FlowmodelError

#: Data rows in one imported table. Five million hourly rows is 570 years; five million items is a large
#: platform's month of reports. Past it the file is an export of raw events that should be aggregated first.
MAX_IMPORT_ROWS = 5_000_000

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_SNIFF_BYTES = 1 << 16
_DELIMITERS = ",;\t|"


class ImportFileError(FlowmodelError):
    """A planner's file that cannot be read as asked: the message names the file, row and column."""

    def __init__(self, message: str, *, file: str, row: int | None = None, column: str | None = None,
                 hint: str = "") -> None:
        self.file = file
        self.row = row
        self.column = column
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(message, where=where, hint=hint)


@dataclass
class Table:
    """One table of a file: its header and a way to stream its data rows (again, if asked twice)."""

    path: Path
    headers: list[str]
    header_row: int
    sheet: str | None = None
    max_rows: int = MAX_IMPORT_ROWS
    _encoding: str = "utf-8-sig"
    _delimiter: str = ","
    _excel_dates: bool = field(default=False, repr=False)

    @property
    def file(self) -> str:
        """The file's name for messages (with the sheet, for a workbook)."""
        return f"{self.path.name} (sheet '{self.sheet}')" if self.sheet else self.path.name

    @property
    def is_workbook(self) -> bool:
        return self._excel_dates

    def column_name(self, column: int | str) -> str:
        if isinstance(column, str):
            return column
        return self.headers[column] if 0 <= column < len(self.headers) else f"#{column + 1}"

    def error(self, message: str, *, row: int | None = None, column: int | str | None = None,
              hint: str = "") -> ImportFileError:
        name = None if column is None else self.column_name(column)
        return ImportFileError(message, file=self.file, row=row, column=name, hint=hint)

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        """Data rows after the header as (spreadsheet row number, cells padded to the header's width)."""
        width = len(self.headers)
        count = 0
        for number, cells in self._raw_rows():
            if number <= self.header_row or _blank(cells):
                continue
            count += 1
            if count > self.max_rows:
                raise self.error(
                    f"more than {self.max_rows:,} data rows", row=number,
                    hint="aggregate the file (counts per hour instead of one row per item) or split it into "
                    "periods and import one at a time")
            cells = list(cells[:width]) + [None] * (width - len(cells))
            yield number, cells

    def _raw_rows(self) -> Iterator[tuple[int, Sequence[object]]]:
        if self._excel_dates:
            yield from _workbook_rows(self.path, self.sheet)
        else:
            yield from _csv_rows(self.path, self._encoding, self._delimiter, self.file)


def open_table(path: str | Path, *, sheet: str | None = None, max_rows: int = MAX_IMPORT_ROWS) -> Table:
    """Open a CSV/TSV file or a workbook's sheet (the first one unless named) and read its header row."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError("no such file", file=path.name, hint="check the file's name and folder")
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        table = Table(path, [], 0, sheet=_sheet_name(path, sheet), max_rows=max_rows, _excel_dates=True)
        estimate = _stated_rows(path, table.sheet)
    elif suffix == ".xls":
        raise ImportFileError("old Excel workbooks (.xls) cannot be read", file=path.name,
                              hint="open it in Excel and save it as .xlsx or .csv")
    else:
        encoding = _encoding_of(path)
        table = Table(path, [], 0, max_rows=max_rows, _encoding=encoding,
                      _delimiter=_sniff_delimiter(path, encoding, suffix))
        estimate = _estimated_lines(path)
    if estimate > 2 * max_rows:
        raise table.error(
            f"the table has about {estimate:,} rows, more than the {max_rows:,} an import reads",
            hint="aggregate the file (counts per hour instead of one row per item) or split it into periods "
            "and import one at a time")
    raw = table._raw_rows()
    try:
        for number, cells in raw:
            if _blank(cells):
                continue
            table.header_row = number
            table.headers = [_header_text(c) for c in cells]
            while table.headers and not table.headers[-1]:
                table.headers.pop()
            break
    finally:
        raw.close()  # a workbook is closed now, not when the generator is collected
    if not table.headers:
        raise table.error("the table is empty: no header row",
                          hint="the first row must name the columns, e.g. timestamp,count")
    return table


def normalise_header(text: str) -> str:
    """``"Created At "`` → ``"created_at"``: how a header is matched against a column's aliases."""
    return re.sub(r"[\s\-./]+", "_", text.strip().lower()).strip("_")


def find_column(table: Table, aliases: Sequence[str], *, what: str, required: bool = True) -> int | None:
    """The index of the first header that matches one of ``aliases`` (in the aliases' order of preference)."""
    normalised = [normalise_header(h) for h in table.headers]
    for alias in aliases:
        key = normalise_header(alias)
        if key in normalised:
            return normalised.index(key)
    if required:
        raise table.error(
            f"no {what} column", row=table.header_row,
            hint=f"name one of the columns {', '.join(repr(a) for a in aliases)}; "
            f"the file's columns are {', '.join(repr(h) for h in table.headers)}")
    return None


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([,.]\d{3})+$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def number_cell(value: object, *, table: Table, row: int, column: int | str) -> float:
    """A cell as a finite number; text that is not a number is an error naming the cell."""
    if isinstance(value, bool):
        raise table.error(f"{value!r} is not a number", row=row, column=column)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            raise table.error("the cell is empty; a number is needed", row=row, column=column,
                              hint="fill it in or delete the row")
        number = _parse_number(text)
        if number is None:
            raise table.error(f"{text!r} is not a number", row=row, column=column,
                              hint="write a plain number such as 1234 or 12.5 (no units or words)")
    if not math.isfinite(number):
        raise table.error(f"{value!r} is not a finite number", row=row, column=column)
    return number


def _parse_number(text: str) -> float | None:
    text = _SPACES.sub("", text)
    if not text:
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in text and _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    if text.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        return None
    return number


# -- timestamps ------------------------------------------------------------------------------------------
_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?"
                  r"\s*([AaPp][Mm])?)?$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def zone_of(name: str | ZoneInfo) -> ZoneInfo:
    """A time zone by IANA name (``Europe/Berlin``), or a clear error."""
    if isinstance(name, ZoneInfo):
        return name
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise FlowmodelError(f"unknown time zone {name!r}", hint="use an IANA name such as Europe/Berlin") from exc


def local_to_utc(naive: datetime, zone: ZoneInfo, *, fold: int = 0) -> datetime:
    """A local wall time in ``zone`` as UTC. A time in a spring-forward gap reads as the offset before the
    change (02:30 in Berlin on the change day is 01:30 UTC, shown as 03:30); ``fold`` picks the repeated hour."""
    return naive.replace(tzinfo=zone, fold=fold).astimezone(UTC)


def is_nonexistent(naive: datetime, zone: ZoneInfo) -> bool:
    """True for a local time skipped by a spring-forward change."""
    back = local_to_utc(naive, zone).astimezone(zone).replace(tzinfo=None)
    return back != naive


def is_repeated(naive: datetime, zone: ZoneInfo) -> bool:
    """True for a local time that happens twice (a fall-back change)."""
    a = naive.replace(tzinfo=zone, fold=0).utcoffset()
    b = naive.replace(tzinfo=zone, fold=1).utcoffset()
    return a != b and not is_nonexistent(naive, zone)


class TimestampParser:
    """Reads one column's cells as datetimes: naive (local, to be read in the source's zone) or aware.

    The day/month order of ``01/02/2026``-style cells is decided once for the column: from the first cell that
    can only be read one way (``25/03/2026``), found by scanning the column again if the first slash date is
    ambiguous. A column that contradicts its order, or where every cell reads both ways, is refused."""

    def __init__(self, table: Table, column: int) -> None:
        self.table = table
        self.column = column
        self.day_first: bool | None = None

    def parse(self, value: object, *, row: int) -> datetime:
        """The cell's time: naive when the file gives no offset, aware (UTC offset honoured) otherwise."""
        if isinstance(value, datetime):
            return value
        if isinstance(value, date):
            return datetime.combine(value, time())
        if isinstance(value, int | float) and not isinstance(value, bool) and self.table.is_workbook:
            return self._excel_serial(float(value), row)
        text = "" if value is None else str(value).strip()
        if not text:
            raise self.table.error("the cell is empty; a date and time is needed", row=row, column=self.column,
                                   hint="fill it in or delete the row")
        parsed = self._parse_text(text, row)
        if parsed is None:
            raise self.table.error(
                f"{text!r} is not a date and time", row=row, column=self.column,
                hint="write ISO dates such as 2026-03-09 14:00 or 2026-03-09T14:00:00+01:00")
        return parsed

    def parse_utc(self, value: object, *, row: int, zone: ZoneInfo) -> datetime:
        """The cell's time in UTC; a naive time is local time in ``zone`` (the first of a repeated hour)."""
        parsed = self.parse(value, row=row)
        if parsed.tzinfo is None:
            return local_to_utc(parsed, zone)
        return parsed.astimezone(UTC)

    def _excel_serial(self, serial: float, row: int) -> datetime:
        if not 1 <= serial < 2_958_466:  # 1900-01-01 .. 9999-12-31
            raise self.table.error(f"{serial!r} is not a date and time", row=row, column=self.column,
                                   hint="format the column as dates in the workbook")
        base = datetime(1899, 12, 30)
        return base + timedelta(days=serial)

    def _parse_text(self, text: str, row: int) -> datetime | None:
        if text[:4].isdigit() and len(text) >= 10 and text[4] == "-":
            iso = text.replace(" ", "T", 1) if len(text) > 10 and text[10] == " " else text
            if iso.upper().endswith((" UTC", " GMT")):
                iso = iso[:-4] + "+00:00"
            elif iso.endswith(("z", "Z")):
                iso = iso[:-1] + "+00:00"
            iso = iso.replace(" +", "+").replace(" -", "-")
            try:
                return datetime.fromisoformat(iso)
            except ValueError:
                return None
        match = _YMD_SLASH.match(text)
        if match:
            y, mo, d, h, mi, s = match.groups()
            return _make(int(y), int(mo), int(d), h, mi, s, None, None)
        match = _DMY.match(text)
        if not match:
            return None
        a, sep, b, y, h, mi, s, frac, ampm = match.groups()
        first, second = int(a), int(b)
        # 09.03.2026 is day first wherever it is written
        day_first = True if sep == "." else self._order(first, second, row)
        day, month = (first, second) if day_first else (second, first)
        parsed = _make(int(y), month, day, h, mi, s, frac, ampm)
        if parsed is None:
            raise self.table.error(
                f"{text!r} is not a valid date when read as {'day/month' if day_first else 'month/day'}, the "
                "order the rest of the column uses", row=row, column=self.column,
                hint="use one date format in the column, ideally ISO (2026-03-09 14:00)")
        return parsed

    def _order(self, first: int, second: int, row: int) -> bool:
        own = _order_from(first, second)
        if self.day_first is None:
            self.day_first = own if own is not None else self._scan_order(row)
        return self.day_first

    def _scan_order(self, row: int) -> bool:
        for _number, cells in self.table.rows():
            cell = cells[self.column]
            match = _DMY.match(str(cell).strip()) if isinstance(cell, str) else None
            if match and match.group(2) != ".":
                own = _order_from(int(match.group(1)), int(match.group(3)))
                if own is not None:
                    return own
        raise self.table.error(
            "every date in the column reads both as day/month and as month/day (e.g. 03/04/2026)",
            row=row, column=self.column,
            hint="export the dates in ISO form (2026-04-03 14:00), which has only one reading")


def _order_from(first: int, second: int) -> bool | None:
    if first > 12 >= second:
        return True
    if second > 12 >= first:
        return False
    return None


def _make(y: int, mo: int, d: int, h: str | None, mi: str | None, s: str | None, frac: str | None,
          ampm: str | None) -> datetime | None:
    hour = int(h) if h else 0
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    micro = int((frac or "0").ljust(6, "0")[:6])
    try:
        return datetime(y, mo, d, hour, int(mi or 0), int(s or 0), micro)
    except ValueError:
        return None


# -- the two readers -------------------------------------------------------------------------------------
def _blank(cells: Sequence[object]) -> bool:
    return all(is_empty(c) for c in cells)


def _header_text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _encoding_of(path: Path) -> str:
    with path.open("rb") as handle:
        sample = handle.read(_SNIFF_BYTES)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError("the file is UTF-16 text", file=path.name,
                              hint="save it as 'CSV UTF-8' in Excel (File › Save As)")
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _estimated_lines(path: Path) -> int:
    """Lines in a text file judged from its size and its first lines, so a vast file is refused at once."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        sample = handle.read(_SNIFF_BYTES)
    if len(sample) >= size:
        return sample.count(b"\n")
    return int(size / max(1, len(sample)) * sample.count(b"\n"))


def _sniff_delimiter(path: Path, encoding: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(_SNIFF_BYTES)
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if len(sample) == _SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _csv_rows(path: Path, encoding: str, delimiter: str, file: str) -> Iterator[tuple[int, Sequence[object]]]:
    number = 0
    with path.open("r", encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, cells
        except UnicodeDecodeError as exc:
            raise ImportFileError("the file's text is not UTF-8 from here on", file=file, row=number + 1,
                                  hint="save the file as 'CSV UTF-8' and import it again") from exc
        except csv.Error as exc:
            raise ImportFileError(f"the row cannot be read as CSV ({exc})", file=file, row=number + 1,
                                  hint="check the quotes on this row") from exc


def _load_workbook(path: Path):
    import openpyxl  # imported here: only workbooks need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ImportFileError(f"the workbook cannot be opened ({exc.__class__.__name__})", file=path.name,
                              hint="open it in Excel and save it again as .xlsx") from exc
    except Exception as exc:  # a zip that is not a workbook raises zipfile.BadZipFile and others
        raise ImportFileError("the file is not an Excel workbook", file=path.name,
                              hint="save it as .xlsx or .csv") from exc


def _stated_rows(path: Path, sheet: str | None) -> int:
    """The rows a sheet says it has (its stored dimension; 0 when it states none), read without its cells."""
    workbook = _load_workbook(path)
    try:
        stated = workbook[sheet].max_row if sheet else 0
    except Exception:  # a malformed dimension tag: the streamed count still applies
        stated = 0
    finally:
        workbook.close()
    return stated or 0


def _sheet_name(path: Path, sheet: str | None) -> str:
    workbook = _load_workbook(path)
    try:
        names = list(workbook.sheetnames)
    finally:
        workbook.close()
    if not names:
        raise ImportFileError("the workbook has no sheets", file=path.name)
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    folded = [n for n in names if n.strip().lower() == sheet.strip().lower()]
    if folded:
        return folded[0]
    raise ImportFileError(f"the workbook has no sheet {sheet!r}", file=path.name,
                          hint=f"choose one of its sheets: {', '.join(repr(n) for n in names)}")


def _workbook_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, Sequence[object]]]:
    workbook = _load_workbook(path)
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        worksheet.reset_dimensions()  # a stale "dimension" tag must not cut the sheet short
        for cells in worksheet.iter_rows():
            number = next((c.row for c in cells if getattr(c, "row", None)), None)
            if number is None:
                continue
            yield number, [c.value for c in cells]
    finally:
        workbook.close()
