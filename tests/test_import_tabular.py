"""Reading planners' tables: CSV/TSV/XLSX, encodings, delimiters, row numbers, caps, number and time cells."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import xlsxwriter

from flowmodel.errors import FlowmodelError
from flowmodel.imports.tabular import (
    ImportFileError,
    TimestampParser,
    find_column,
    is_nonexistent,
    is_repeated,
    local_to_utc,
    number_cell,
    open_table,
)

BERLIN = ZoneInfo("Europe/Berlin")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def workbook(tmp_path: Path, sheets: dict[str, list[list[object]]], name: str = "book.xlsx") -> Path:
    path = tmp_path / name
    book = xlsxwriter.Workbook(str(path))
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for title, rows in sheets.items():
        sheet = book.add_worksheet(title)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                if isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, stamp)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return path


# -- opening -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    text = delimiter.join(["timestamp", "count"]) + "\n" + delimiter.join(["2026-03-01 10:00", "12"]) + "\n"
    table = open_table(write(tmp_path, "v.csv", text))
    assert table.headers == ["timestamp", "count"]
    assert list(table.rows()) == [(2, ["2026-03-01 10:00", "12"])]


def test_semicolon_file_with_decimal_commas_is_not_split_on_commas(tmp_path):
    text = "zeit;anzahl\n2026-03-01 10:00;12,5\n2026-03-01 11:00;1.234,5\n"
    table = open_table(write(tmp_path, "v.csv", text))
    rows = list(table.rows())
    assert table.headers == ["zeit", "anzahl"]
    assert [number_cell(cells[1], table=table, row=n, column=1) for n, cells in rows] == [12.5, 1234.5]


def test_bom_is_dropped_and_cp1252_is_read(tmp_path):
    bom = open_table(write(tmp_path, "bom.csv", "\ufefftimestamp,count\n2026-03-01,1\n"))
    assert bom.headers == ["timestamp", "count"]
    legacy = open_table(write(tmp_path, "legacy.csv", "catégorie,count\nhaine,1\n", encoding="cp1252"))
    assert legacy.headers == ["catégorie", "count"]


def test_utf16_is_refused_with_advice(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("timestamp,count\n".encode("utf-16"))
    with pytest.raises(ImportFileError, match="UTF-16") as info:
        open_table(path)
    assert "u16.csv" in str(info.value) and "CSV UTF-8" in info.value.hint


def test_row_numbers_are_the_spreadsheets_blank_rows_skipped_but_counted(tmp_path):
    text = "\n\ntimestamp,count\n2026-03-01 10:00,1\n,\n2026-03-01 11:00,2,extra\n2026-03-01 12:00\n"
    table = open_table(write(tmp_path, "v.csv", text))
    assert table.header_row == 3
    assert list(table.rows()) == [(4, ["2026-03-01 10:00", "1"]), (6, ["2026-03-01 11:00", "2"]),
                                  (7, ["2026-03-01 12:00", None])]


def test_rows_can_be_streamed_twice(tmp_path):
    table = open_table(write(tmp_path, "v.csv", "a\n1\n2\n"))
    assert list(table.rows()) == list(table.rows()) == [(2, ["1"]), (3, ["2"])]


@pytest.mark.parametrize("text", ["", "\n\n", " , ,\n"])
def test_empty_file_is_a_clear_error(tmp_path, text):
    with pytest.raises(ImportFileError, match="empty") as info:
        open_table(write(tmp_path, "empty.csv", text))
    assert info.value.file == "empty.csv"


def test_missing_file_and_old_excel_are_clear_errors(tmp_path):
    with pytest.raises(ImportFileError, match="no such file"):
        open_table(tmp_path / "nope.csv")
    with pytest.raises(ImportFileError, match=r"\.xls") as info:
        open_table(write(tmp_path, "old.xls", "x"))
    assert "xlsx" in info.value.hint


def test_a_corrupt_workbook_is_a_clear_error(tmp_path):
    with pytest.raises(ImportFileError) as info:
        open_table(write(tmp_path, "broken.xlsx", "not a zip at all"))
    assert info.value.file == "broken.xlsx"


def test_workbook_sheet_choice_and_row_numbers(tmp_path):
    path = workbook(tmp_path, {
        "Notes": [["read me"]],
        "History": [[], ["Timestamp", "Count"], [datetime(2026, 3, 1, 10), 12], [], ["2026-03-01 11:00", "1,234"]],
    })
    assert open_table(path).sheet == "Notes"  # the first sheet unless one is named
    table = open_table(path, sheet="history")  # names match without case
    assert table.sheet == "History" and table.header_row == 2 and table.headers == ["Timestamp", "Count"]
    assert list(table.rows()) == [(3, [datetime(2026, 3, 1, 10), 12]), (5, ["2026-03-01 11:00", "1,234"])]
    with pytest.raises(ImportFileError, match="no sheet 'Volumes'") as info:
        open_table(path, sheet="Volumes")
    assert "'Notes', 'History'" in info.value.hint


def test_an_empty_sheet_is_a_clear_error(tmp_path):
    path = workbook(tmp_path, {"History": [["timestamp"]], "Empty": []})
    with pytest.raises(ImportFileError, match="empty") as info:
        open_table(path, sheet="Empty")
    assert info.value.file == "book.xlsx (sheet 'Empty')"


def test_row_cap_names_the_row_and_says_to_aggregate(tmp_path):
    path = write(tmp_path, "big.csv", "count\n" + "1\n" * 11)
    table = open_table(path, max_rows=10)
    with pytest.raises(ImportFileError, match="more than 10 data rows") as info:
        list(table.rows())
    assert info.value.row == 12 and "aggregate" in info.value.hint


def test_reading_a_large_file_is_streamed(tmp_path):
    path = tmp_path / "large.csv"
    line = "2026-03-01 10:00:00,general,en,P2," + "x" * 960 + "\n"
    with path.open("w") as handle:
        handle.write("created_at,category,language,priority,comment\n")
        for _ in range(40):
            handle.write(line * 1_000)
    assert path.stat().st_size > 35_000_000
    table = open_table(path)
    tracemalloc.start()
    try:
        count = sum(1 for _ in table.rows())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 40_000
    assert peak < 5_000_000  # bytes: a few rows and a read buffer, not the file


# -- columns and numbers ---------------------------------------------------------------------------------------
def test_find_column_matches_aliases_in_order_of_preference(tmp_path):
    table = open_table(write(tmp_path, "v.csv", "Volume, Created At ,N\n1,2,3\n"))
    assert find_column(table, ["created_at", "timestamp"], what="creation time") == 1
    assert find_column(table, ["count", "volume", "n"], what="count") == 0
    assert find_column(table, ["priority"], what="priority", required=False) is None
    with pytest.raises(ImportFileError, match="no timestamp column") as info:
        find_column(table, ["timestamp", "time"], what="timestamp")
    assert "'timestamp', 'time'" in info.value.hint and "'Volume'" in info.value.hint


@pytest.mark.parametrize(("text", "number"), [
    ("1234", 1234.0), ("1,234", 1234.0), ("1 234", 1234.0), ("1\u00a0234", 1234.0), ("12.5", 12.5),
    ("12,5", 12.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1,234,567", 1234567.0), (" -3 ", -3.0),
    ("1e3", 1000.0),
])
def test_number_cells(tmp_path, text, number):
    table = open_table(write(tmp_path, "v.csv", "count\n1\n"))
    assert number_cell(text, table=table, row=2, column=0) == number


def test_excel_numbers_are_numbers(tmp_path):
    table = open_table(write(tmp_path, "v.csv", "count\n1\n"))
    assert number_cell(7, table=table, row=2, column=0) == 7.0
    assert number_cell(2.5, table=table, row=2, column=0) == 2.5


@pytest.mark.parametrize("value", ["n/a", "12 items", "nan", "inf", "", None, True, float("nan"), "1,23,4"])
def test_text_in_a_number_cell_names_file_row_and_column(tmp_path, value):
    table = open_table(write(tmp_path, "volumes.csv", "timestamp,count\n2026-03-01,1\n"))
    with pytest.raises(ImportFileError) as info:
        number_cell(value, table=table, row=14, column=1)
    error = info.value
    assert (error.file, error.row, error.column) == ("volumes.csv", 14, "count")
    assert error.where == "volumes.csv, row 14, column 'count'"
    assert str(error).startswith("volumes.csv, row 14, column 'count': ")
    assert isinstance(error, FlowmodelError)


# -- timestamps ---------------------------------------------------------------------------------------------------
def column_of(tmp_path: Path, cells: list[str]) -> tuple[TimestampParser, list[tuple[int, list[object]]]]:
    table = open_table(write(tmp_path, "t.csv", "time\n" + "".join(f'"{c}"\n' for c in cells)))
    return TimestampParser(table, 0), list(table.rows())


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-09 14:00", datetime(2026, 3, 9, 14)),
    ("2026-03-09T14:00:05", datetime(2026, 3, 9, 14, 0, 5)),
    ("2026-03-09", datetime(2026, 3, 9)),
    ("2026/03/09 14:00", datetime(2026, 3, 9, 14)),
    ("09.03.2026 14:00", datetime(2026, 3, 9, 14)),
    ("2026-03-09T14:00:00.250", datetime(2026, 3, 9, 14, 0, 0, 250_000)),
])
def test_naive_formats(tmp_path, text, expected):
    parser, rows = column_of(tmp_path, [text])
    assert parser.parse(rows[0][1][0], row=2) == expected


def test_offsets_are_honoured_and_naive_times_are_in_the_given_zone(tmp_path):
    parser, rows = column_of(tmp_path, ["2026-03-09T14:00:00+05:30", "2026-03-09T14:00:00Z", "2026-03-09 14:00"])
    utc = [parser.parse_utc(cells[0], row=n, zone=BERLIN) for n, cells in rows]
    assert utc == [datetime(2026, 3, 9, 8, 30, tzinfo=UTC), datetime(2026, 3, 9, 14, tzinfo=UTC),
                   datetime(2026, 3, 9, 13, tzinfo=UTC)]
    assert parser.parse(rows[0][1][0], row=2).utcoffset() == timedelta(hours=5, minutes=30)
    assert parser.parse(rows[0][1][0], row=2).tzinfo == timezone(timedelta(hours=5, minutes=30))


def test_day_first_decided_from_a_later_unambiguous_cell(tmp_path):
    parser, rows = column_of(tmp_path, ["03/04/2026 10:00", "05/04/2026 10:00", "25/04/2026 10:00"])
    parsed = [parser.parse(cells[0], row=n) for n, cells in rows]
    assert parsed == [datetime(2026, 4, 3, 10), datetime(2026, 4, 5, 10), datetime(2026, 4, 25, 10)]
    assert parser.day_first is True


def test_month_first_decided_from_an_unambiguous_cell(tmp_path):
    parser, rows = column_of(tmp_path, ["04/25/2026 10:00", "04/03/2026 1:05 PM"])
    parsed = [parser.parse(cells[0], row=n) for n, cells in rows]
    assert parsed == [datetime(2026, 4, 25, 10), datetime(2026, 4, 3, 13, 5)]
    assert parser.day_first is False


def test_a_column_that_reads_both_ways_asks_for_iso_dates(tmp_path):
    parser, rows = column_of(tmp_path, ["03/04/2026 10:00", "05/04/2026 10:00"])
    with pytest.raises(ImportFileError, match="both as day/month and as month/day") as info:
        parser.parse(rows[0][1][0], row=rows[0][0])
    assert (info.value.file, info.value.row, info.value.column) == ("t.csv", 2, "time")
    assert "ISO" in info.value.hint


def test_a_cell_against_the_columns_order_is_refused(tmp_path):
    parser, rows = column_of(tmp_path, ["25/04/2026 10:00", "04/25/2026 10:00"])
    parser.parse(rows[0][1][0], row=2)
    with pytest.raises(ImportFileError, match="day/month") as info:
        parser.parse(rows[1][1][0], row=3)
    assert info.value.row == 3


@pytest.mark.parametrize("text", ["yesterday", "2026-13-01 10:00", "32/01/2026", "2026-03-09 25:00", ""])
def test_text_that_is_not_a_time_names_the_cell(tmp_path, text):
    parser, _ = column_of(tmp_path, ["2026-03-09 10:00"])
    with pytest.raises(ImportFileError) as info:
        parser.parse(text, row=9)
    assert (info.value.file, info.value.row, info.value.column) == ("t.csv", 9, "time")


def test_excel_datetimes_and_serials(tmp_path):
    path = workbook(tmp_path, {"S": [["time"], [datetime(2026, 3, 9, 14, 30)], [46090.5]]})
    table = open_table(path)
    parser = TimestampParser(table, 0)
    parsed = [parser.parse(cells[0], row=n) for n, cells in table.rows()]
    assert parsed == [datetime(2026, 3, 9, 14, 30), datetime(2026, 3, 9, 12)]  # 46090 = 2026-03-09 in Excel


def test_numbers_are_not_times_in_a_csv(tmp_path):
    parser, _ = column_of(tmp_path, ["2026-03-09 10:00"])
    with pytest.raises(ImportFileError):
        parser.parse(46090.5, row=2)


def test_dst_helpers_in_berlin():
    gap = datetime(2026, 3, 29, 2, 30)
    assert is_nonexistent(gap, BERLIN) and not is_repeated(gap, BERLIN)
    assert local_to_utc(gap, BERLIN) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # read as 03:30 CEST
    repeat = datetime(2026, 10, 25, 2, 30)
    assert is_repeated(repeat, BERLIN) and not is_nonexistent(repeat, BERLIN)
    assert local_to_utc(repeat, BERLIN) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert local_to_utc(repeat, BERLIN, fold=1) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    plain = datetime(2026, 3, 9, 14)
    assert not is_nonexistent(plain, BERLIN) and not is_repeated(plain, BERLIN)


def test_a_vast_csv_is_refused_at_once_from_its_estimated_rows(tmp_path):
    path = write(tmp_path, "vast.csv", "created_at\n" + "2026-03-09 10:00:00\n" * 20_000)  # > the sniffed sample
    with pytest.raises(ImportFileError, match=r"about 20,\d{3} rows, more than the 1,000") as info:
        open_table(path, max_rows=1_000)
    assert info.value.file == "vast.csv" and "split" in info.value.hint
    assert sum(1 for _ in open_table(path, max_rows=20_000).rows()) == 20_000  # under the cap: read in full


@pytest.mark.parametrize("text", ["2026-03-09 14:00:00 +01:00", "2026-03-09 13:00 UTC", "2026-03-09T13:00:00z"])
def test_offset_spellings(tmp_path, text):
    parser, _ = column_of(tmp_path, ["2026-03-09 10:00"])
    assert parser.parse_utc(text, row=2, zone=BERLIN) == datetime(2026, 3, 9, 13, tzinfo=UTC)


def test_a_vast_sheet_is_refused_at_once_from_its_stated_size(tmp_path):
    path = workbook(tmp_path, {"S": [["count"]] + [[i] for i in range(3_000)]})
    with pytest.raises(ImportFileError, match="about 3,001 rows, more than the 1,000") as info:
        open_table(path, max_rows=1_000)
    assert info.value.file == "book.xlsx (sheet 'S')"
    assert sum(1 for _ in open_table(path, max_rows=3_000).rows()) == 3_000
