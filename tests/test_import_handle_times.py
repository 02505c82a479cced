"""Reading handle-time samples: the column and its unit found, categories split, cells checked with the file,
row and column named, the reservoir cap; the committed files' samples fit back to the laws they came from."""

from __future__ import annotations

import csv
from datetime import time
from pathlib import Path

import numpy as np
import pytest
import xlsxwriter

from flowmodel.imports import handle_times as reader
from flowmodel.imports.handle_times import header_unit, read_handle_times
from flowmodel.imports.tabular import ImportFileError
from simulations.distribution_fit import fit_handle_times
from tests.data_gen import handle_times as generated

DATA = Path(__file__).parent / "data"
TOLERANCE = 0.05  # 3,000 samples per law; see tests/test_distribution_fit.py for the standard errors


def write_csv(tmp_path: Path, rows: list[list[object]], name: str = "reviews.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _within(value: float, truth: float) -> bool:
    return abs(value / truth - 1.0) <= TOLERANCE


def test_csv_by_category_reads_seconds_and_each_category_fits_its_lognormal():
    samples = read_handle_times(DATA / "handle_times_by_category.csv", unit="s")
    assert (samples.file, samples.column, samples.unit, samples.category_column) == (
        "handle_times_by_category.csv", "handle_time_s", "s", "category")
    total = 3 * generated.SAMPLES_PER_CATEGORY + generated.ZERO_ROWS
    assert samples.rows == len(samples.samples_s) == total
    assert {name: len(v) for name, v in samples.by_category.items()} == {
        "spam": generated.SAMPLES_PER_CATEGORY + generated.ZERO_ROWS,
        "hate_speech": generated.SAMPLES_PER_CATEGORY, "graphic_violence": generated.SAMPLES_PER_CATEGORY}
    assert samples.notes == ()
    with (DATA / "handle_times_by_category.csv").open(newline="", encoding="utf-8") as handle:
        assert samples.samples_s[:3] == tuple(float(r["handle_time_s"]) for r, _ in zip(csv.DictReader(handle),
                                                                                         range(3), strict=False))
    for name, (mean, sd) in generated.LOGNORMAL_BY_CATEGORY.items():
        best = fit_handle_times(samples.by_category[name], unit="s").best
        assert best.family == "lognormal", name
        assert _within(best.distribution.mean, mean) and _within(best.distribution.sd, sd), best.parameters_text


def test_workbook_in_minutes_is_read_as_seconds_and_fits_its_lognormals():
    samples = read_handle_times(DATA / "handle_times.xlsx", unit="s", sheet="Samples")
    assert samples.file == "handle_times.xlsx (sheet 'Samples')"
    assert (samples.column, samples.unit, samples.category_column) == ("Handle time (min)", "min", "Category")
    assert samples.notes == ("column 'Handle time (min)' is in minutes: read as minutes, not seconds",)
    assert len(samples.samples_s) == 3 * generated.SAMPLES_PER_CATEGORY
    for name, (mean, sd) in generated.LOGNORMAL_BY_CATEGORY.items():
        fits = fit_handle_times(samples.by_category[name], unit="min")
        assert fits.best.family == "lognormal", name
        assert _within(fits.best.distribution.mean * 60, mean), fits.best.parameters_text
        assert _within(fits.best.distribution.sd * 60, sd), fits.best.parameters_text


def test_workbook_first_sheet_without_the_column_names_file_sheet_and_columns():
    with pytest.raises(ImportFileError) as caught:
        read_handle_times(DATA / "handle_times.xlsx", unit="s")
    error = caught.value
    assert error.file == "handle_times.xlsx (sheet 'Read me')" and error.row == 1
    assert error.message == "no handle-time column"
    assert "Handle times exported from the review tool" in error.hint


def test_gamma_file_fits_gamma():
    samples = read_handle_times(DATA / "handle_times_gamma.csv", unit="s")
    assert samples.by_category == {} and samples.category_column is None
    fits = fit_handle_times(samples.samples_s, unit="min")
    assert fits.best.family == "gamma"
    assert _within(fits.best.distribution.mean * 60, generated.GAMMA_MEAN_S)
    assert _within(fits.best.distribution.sd * 60, generated.GAMMA_SD_S)


def test_text_in_the_column_names_file_row_and_column(tmp_path):
    path = write_csv(tmp_path, [["id", "category", "handle_time_s"], [1, "spam", "12.5"], [2, "spam", "1,5"],
                                [3, "spam", "n/a"], [4, "spam", "30"]])
    with pytest.raises(ImportFileError) as caught:
        read_handle_times(path, unit="s")
    error = caught.value
    assert (error.file, error.row, error.column) == ("reviews.csv", 4, "handle_time_s")
    assert error.where == "reviews.csv, row 4, column 'handle_time_s'"
    assert "'n/a' is not a number" in error.message


def test_negative_handle_time_is_refused_at_its_row(tmp_path):
    path = write_csv(tmp_path, [["aht"], ["40"], ["-5"]])
    with pytest.raises(ImportFileError, match="negative") as caught:
        read_handle_times(path, unit="s")
    assert (caught.value.row, caught.value.column) == (3, "aht")


def test_blank_cells_and_rows_without_category_are_noted(tmp_path):
    path = write_csv(tmp_path, [["category", "duration"], ["spam", "2"], ["spam", ""], ["", "3"], ["hate", "4"],
                                ["hate", " "]])
    samples = read_handle_times(path, unit="min")
    assert samples.samples_s == (120.0, 180.0, 240.0)
    assert samples.by_category == {"spam": (120.0,), "hate": (240.0,)}
    assert samples.notes == ("2 rows without a handle time skipped (the first is row 3)",
                             "1 rows without a category count in the overall samples only")


def test_clock_durations_in_text_and_workbook_time_cells(tmp_path):
    path = write_csv(tmp_path, [["handle_time"], ["0:04:12"], ["1:00:00.5"], ["90"]])
    assert read_handle_times(path, unit="s").samples_s == (252.0, 3600.5, 90.0)
    book_path = tmp_path / "times.xlsx"
    book = xlsxwriter.Workbook(str(book_path))
    clock = book.add_format({"num_format": "[h]:mm:ss"})
    sheet = book.add_worksheet("Export")
    sheet.write_row(0, 0, ["Reviewer", "Time spent"])
    for r, value in enumerate([time(0, 4, 12), time(0, 0, 45)], start=1):
        sheet.write_string(r, 0, f"rv{r}")
        sheet.write_datetime(r, 1, value, clock)
    sheet.write_row(3, 0, ["rv3", 2.5])
    book.close()
    samples = read_handle_times(book_path, unit="min")
    assert samples.column == "Time spent"
    assert samples.samples_s == pytest.approx((252.0, 45.0, 150.0), abs=1e-6)


def test_chosen_columns_and_their_errors(tmp_path):
    path = write_csv(tmp_path, [["queue", "team", "secs_a", "minutes"], ["q1", "a", "30", "2"], ["q2", "b", "60",
                                                                                                   "3"]])
    auto = read_handle_times(path, unit="s")
    assert (auto.column, auto.unit, auto.samples_s, auto.by_category) == ("minutes", "min", (120.0, 180.0), {})
    chosen = read_handle_times(path, unit="s", column="secs_a", category_column="Queue")
    assert (chosen.column, chosen.unit, chosen.samples_s) == ("secs_a", "s", (30.0, 60.0))
    assert chosen.by_category == {"q1": (30.0,), "q2": (60.0,)}
    with pytest.raises(ImportFileError, match="no column 'aht'") as caught:
        read_handle_times(path, unit="s", column="aht")
    assert caught.value.row == 1 and "'queue', 'team', 'secs_a', 'minutes'" in caught.value.hint
    with pytest.raises(ImportFileError, match="no column 'policy'"):
        read_handle_times(path, unit="s", category_column="policy")
    with pytest.raises(ImportFileError, match="unknown time unit 'weeks'"):
        read_handle_times(path, unit="weeks")


def test_category_column_can_be_turned_off():
    samples = read_handle_times(DATA / "handle_times_gamma.csv", unit="s", category_column="")
    assert samples.by_category == {} and samples.rows == generated.SAMPLES_PER_CATEGORY
    by_category = read_handle_times(DATA / "handle_times_by_category.csv", unit="s", category_column="")
    assert by_category.by_category == {} and by_category.category_column is None


def test_an_id_column_as_categories_is_refused(tmp_path):
    path = write_csv(tmp_path, [["category", "handle_time_s"]] + [[f"R{i}", i + 1] for i in range(600)])
    with pytest.raises(ImportFileError, match=f"more than {reader.MAX_CATEGORIES} different categories") as caught:
        read_handle_times(path, unit="s")
    assert (caught.value.row, caught.value.column) == (reader.MAX_CATEGORIES + 2, "category")


def test_reservoir_keeps_a_seeded_uniform_subset_past_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_SAMPLES", 1_000)  # the cap is a module constant; 200,000 in use
    rows = [["category", "handle_time_s"]] + [["spam" if i % 2 else "hate", i + 1] for i in range(10_000)]
    path = write_csv(tmp_path, rows)
    first = read_handle_times(path, unit="s")
    again = read_handle_times(path, unit="s")
    assert first == again
    assert len(first.samples_s) == 1_000 and len(set(first.samples_s)) == 1_000
    assert set(first.samples_s) <= set(range(1, 10_001))
    # uniform over the file, not the first rows: the mean row is 5,000 ± 91 (one sd of a 1,000-sample mean)
    assert abs(np.mean(first.samples_s) - 5_000) < 400
    assert {name: len(v) for name, v in first.by_category.items()} == {"hate": 1_000, "spam": 1_000}
    assert all(v % 2 == 0 for v in first.by_category["spam"])
    assert first.rows == 10_000
    assert first.notes == (
        "category 'hate': 5,000 handle times, a random 1,000 of them kept (the same ones on every import of "
        "this file)",
        "category 'spam': 5,000 handle times, a random 1,000 of them kept (the same ones on every import of "
        "this file)",
        "the file: 10,000 handle times, a random 1,000 of them kept (the same ones on every import of this file)")


@pytest.mark.parametrize(("header", "expected"), [
    ("handle_time_s", ("handle_time", "s")), ("Handle time (min)", ("handle_time", "min")),
    ("duration_seconds", ("duration", "s")), ("AHT [hrs]", ("aht", "h")), ("minutes", ("", "min")),
    ("aht", ("aht", None)), ("reviewed_at", ("reviewed_at", None))])
def test_header_units(header, expected):
    assert header_unit(header) == expected
