"""Reading daily actuals (flowmodel.imports.actuals): figures per day and stage, and messages naming file, row,
column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from flowmodel.imports.actuals import read_actuals
from flowmodel.imports.tabular import ImportFileError

DATA = Path(__file__).parent / "data"


def _csv(tmp_path: Path, text: str, name: str = "actuals.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_generated_fortnight() -> None:
    actuals = read_actuals(DATA / "backtest_actuals.csv")
    assert actuals.series() == [("decided", ""), ("backlog", ""), ("created", "")]
    assert actuals.days() == [date(2026, 3, d) for d in range(2, 16)]
    assert actuals.values[("decided", "")][date(2026, 3, 2)] == 703
    assert actuals.stages() == []
    assert "14 days from 2026-03-02 to 2026-03-15" in actuals.notes[0]


def test_aliases_stages_blank_cells_and_gaps(tmp_path) -> None:
    path = _csv(tmp_path, "Day;Stage;Throughput;Open\n"
                          "02/03/2026;Tier 1;1 234;40\n"
                          "02/03/2026;Tier 2;300;\n"
                          "25/03/2026;Tier 1;1200;35\n")
    actuals = read_actuals(path)
    assert actuals.values[("decided", "Tier 1")] == {date(2026, 3, 2): 1234.0, date(2026, 3, 25): 1200.0}
    assert actuals.values[("backlog", "Tier 1")] == {date(2026, 3, 2): 40.0, date(2026, 3, 25): 35.0}
    assert ("backlog", "Tier 2") not in actuals.values  # its only cell is empty: nothing to compare
    assert actuals.stages() == ["Tier 1", "Tier 2"]
    assert actuals.rows[("decided", "Tier 1", date(2026, 3, 25))] == 4
    assert "22 day(s) inside the span have no row" in actuals.notes[1]


def test_a_workbook(tmp_path) -> None:
    path = tmp_path / "actuals.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Daily")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["Date", "Decided", "Backlog"])
    from datetime import datetime
    sheet.write_datetime(1, 0, datetime(2026, 3, 2), dates)
    sheet.write_row(1, 1, [700, 65])
    book.close()
    actuals = read_actuals(path, sheet="Daily")
    assert actuals.values[("backlog", "")] == {date(2026, 3, 2): 65.0}
    assert actuals.file == "actuals.xlsx (sheet 'Daily')"


@pytest.mark.parametrize(("text", "row", "column", "words"), [
    ("date,decided\n2026-03-02,10\n2026-03-03,x1\n", 3, "decided", "'x1' is not a number"),
    ("date,decided\n2026-03-02,10\n2026-03-02,11\n", 3, "date", "given twice (rows 2 and 3)"),
    ("date,stage,backlog\n2026-03-02,T1,-4\n", 2, "backlog", "below 0"),
    ("date,decided\n2026-03-02 14:00,10\n", 2, "date", "has a time of day"),
    ("date,decided\nyesterday,10\n", 2, "date", "'yesterday' is not a date"),
    ("date,headcount\n2026-03-02,10\n", 1, None, "no figure column"),
    ("when,decided\n2026-03-02,10\n", 1, None, "no date column"),
    ("date,decided\n", 1, None, "no data rows"),
])
def test_bad_files_name_row_and_column(tmp_path, text, row, column, words) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_actuals(_csv(tmp_path, text))
    error = caught.value
    assert words in error.message
    assert (error.file, error.row, error.column) == ("actuals.csv", row, column)
    assert error.hint


def test_the_same_day_at_two_stages_is_fine(tmp_path) -> None:
    actuals = read_actuals(_csv(tmp_path, "date,stage,decided\n2026-03-02,A,1\n2026-03-02,B,2\n"))
    assert actuals.values[("decided", "A")] == {date(2026, 3, 2): 1.0}
    assert actuals.values[("decided", "B")] == {date(2026, 3, 2): 2.0}


def test_an_empty_file(tmp_path) -> None:
    with pytest.raises(ImportFileError, match="empty"):
        read_actuals(_csv(tmp_path, ""))
