"""Reading volume histories: both layouts, the generated files against their known truth, and every messy case."""

from __future__ import annotations

import math
import random
import tracemalloc
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flowmodel.errors import FlowmodelError
from flowmodel.imports.tabular import ImportFileError
from flowmodel.imports.volumes import read_volumes
from tests.data_gen import volumes as truth

DATA = Path(__file__).parent / "data"
BERLIN = "Europe/Berlin"


def write(tmp_path: Path, text: str, name: str = "v.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def note(history, words: str) -> str:
    found = [n for n in history.notes if words in n]
    assert found, f"no note with {words!r} in {history.notes}"
    return found[0]


# -- the generated files ------------------------------------------------------------------------------------
def hourly_truth() -> dict[datetime, int]:
    totals: dict[datetime, int] = defaultdict(int)
    for hour, _category, _priority, count in truth.hourly_rows():
        totals[hour] += count
    return totals


def test_hourly_csv_reads_to_the_generated_counts():
    history = read_volumes(DATA / "volumes_hourly.csv", timezone=BERLIN)
    expected = hourly_truth()
    hours = truth.utc_hours(truth.START_LOCAL, truth.WEEKS)
    assert history.start_utc == hours[0] == utc(2026, 2, 15, 23)
    assert history.hours == len(hours) == 8 * 168 - 1  # the spring change has a 23-hour day
    missing = {h.replace(tzinfo=ZoneInfo(BERLIN)).astimezone(UTC) for h in truth.MISSING_HOURS_LOCAL}
    for i, count in enumerate(history.counts):
        hour = history.hour_start(i)
        if hour in missing:
            assert math.isnan(count), hour
        else:
            assert count == expected[hour], hour
    assert history.missing_hours() == 3
    assert history.timezone == BERLIN and history.file == "volumes_hourly.csv"
    assert note(history, "no row") == ("3 hours have no row: 2026-03-03 04:00–06:00, 2026-03-18 13:00–14:00 "
                                       "(Europe/Berlin)")
    assert note(history, "duplicates").endswith("rows 8042, 8043, 8044, 8045")


def test_hourly_csv_mix_is_the_written_totals_per_key():
    history = read_volumes(DATA / "volumes_hourly.csv", timezone=BERLIN)
    missing = {h.replace(tzinfo=ZoneInfo(BERLIN)).astimezone(UTC) for h in truth.MISSING_HOURS_LOCAL}
    expected: Counter = Counter()
    for hour, category, priority, count in truth.hourly_rows():
        if hour not in missing:
            expected[(category, "en", priority)] += count
    assert history.mix == dict(expected)
    total = sum(history.mix.values())
    for category, share in truth.CATEGORY_SHARES.items():  # the stated shares, within Poisson noise
        got = sum(v for (c, _l, _p), v in history.mix.items() if c == category) / total
        assert abs(got - share) < 0.01


def test_hourly_xlsx_reads_the_same_as_the_csv():
    from_csv = read_volumes(DATA / "volumes_hourly.csv", timezone=BERLIN)
    from_xlsx = read_volumes(DATA / "volumes_hourly.xlsx", timezone=BERLIN, sheet="History")
    assert from_xlsx.file == "volumes_hourly.xlsx (sheet 'History')"
    assert from_xlsx.start_utc == from_csv.start_utc
    assert [0 if math.isnan(c) else c for c in from_xlsx.counts] == [0 if math.isnan(c) else c
                                                                    for c in from_csv.counts]
    assert from_xlsx.missing_hours() == 3 and from_xlsx.mix == from_csv.mix


def test_items_csv_counts_every_item_in_its_utc_hour_across_the_autumn_change():
    history = read_volumes(DATA / "volumes_items.csv", timezone=BERLIN)
    items = truth.item_times()
    expected = Counter(t.replace(minute=0, second=0) for t, *_ in items)
    hours = truth.utc_hours(truth.ITEMS_START_LOCAL, truth.ITEM_WEEKS)
    assert history.hours == len(hours) == 2 * 168 + 1  # the autumn change has a 25-hour day
    assert history.start_utc == hours[0]
    assert list(history.counts) == [float(expected.get(h, 0)) for h in hours]
    # the repeated local hour 02:00–03:00 on 2026-10-25 is two UTC hours, both with their own items
    assert history.counts[hours.index(utc(2026, 10, 25, 0))] == expected[utc(2026, 10, 25, 0)] > 0
    assert history.counts[hours.index(utc(2026, 10, 25, 1))] == expected[utc(2026, 10, 25, 1)] > 0
    assert history.total() == len(items)
    assert history.mix == dict(Counter((c, lang, p) for _t, c, lang, p in items))


def test_messy_file_names_file_row_and_column():
    with pytest.raises(ImportFileError, match="'n/a' is not a number") as info:
        read_volumes(DATA / "volumes_messy.csv", timezone=BERLIN)
    assert (info.value.file, info.value.row, info.value.column) == ("volumes_messy.csv", truth.MESSY_TEXT_ROW,
                                                                    "Volume")


def test_messy_file_without_its_bad_row_reads_spaced_thousands(tmp_path):
    text = (DATA / "volumes_messy.csv").read_text(encoding="utf-8-sig").replace("n/a", "1 299")
    history = read_volumes(write(tmp_path, text, "fixed.csv"), timezone=BERLIN)
    assert history.counts == (1234.0, 1310.0, 1288.0, 1302.0, 1299.0, 1275.0)
    assert history.start_utc == utc(2026, 3, 2, 7)


def test_daily_totals_are_refused():
    with pytest.raises(ImportFileError, match="1 day apart") as info:
        read_volumes(DATA / "volumes_daily.csv", timezone=BERLIN)
    assert info.value.file == "volumes_daily.csv" and info.value.column == "date"
    assert "per hour" in info.value.hint


# -- layouts and intervals ---------------------------------------------------------------------------------------
def test_quarter_hours_are_summed_and_a_partial_hour_has_no_count(tmp_path):
    rows = [f"2026-03-09 10:{m:02d},{i + 1}" for i, m in enumerate((0, 15, 30, 45))]
    rows += ["2026-03-09 11:00,5", "2026-03-09 11:15,5", "2026-03-09 11:45,5"]  # 11:30 missing
    rows += [f"2026-03-09 12:{m:02d},2" for m in (0, 15, 30, 45)]
    history = read_volumes(write(tmp_path, "interval,volume\n" + "\n".join(rows)), timezone=BERLIN)
    assert history.counts[0] == 10 and math.isnan(history.counts[1]) and history.counts[2] == 8
    assert "4 intervals of 15 minutes summed" in note(history, "summed")
    assert "2026-03-09 11:00–12:00" in note(history, "missing some")


def test_intervals_that_do_not_divide_an_hour_are_refused(tmp_path):
    path = write(tmp_path, "time,count\n2026-03-09 10:00,1\n2026-03-09 10:25,1\n")
    with pytest.raises(ImportFileError, match="25 minutes apart"):
        read_volumes(path, timezone=BERLIN)


def test_date_and_hour_columns_together(tmp_path):
    path = write(tmp_path, "date,hour,reports\n2026-03-09,0,4\n2026-03-09,1,6\n2026-03-09,2:00,8\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.start_utc == utc(2026, 3, 8, 23) and history.counts == (4.0, 6.0, 8.0)
    with pytest.raises(ImportFileError, match="not an hour") as info:
        read_volumes(write(tmp_path, "date,hour,reports\n2026-03-09,24,4\n", "bad.csv"), timezone=BERLIN)
    assert (info.value.row, info.value.column) == (2, "hour")


def test_offsets_in_the_file_are_honoured(tmp_path):
    path = write(tmp_path, "timestamp,count\n2026-03-09T10:00:00+00:00,1\n2026-03-09T12:00:00+01:00,2\n")
    history = read_volumes(path, timezone="America/New_York")
    assert history.start_utc == utc(2026, 3, 9, 10) and history.counts == (1.0, 2.0)


def test_keys_make_one_row_per_interval_and_key(tmp_path):
    path = write(tmp_path, "timestamp,count,category,language\n2026-03-09 10:00,3,spam,de\n"
                 "2026-03-09 10:00,4,hate,\n2026-03-09 11:00,5,spam,de\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.counts == (7.0, 5.0)
    assert history.mix == {("spam", "de", "P2"): 8.0, ("hate", "en", "P2"): 4.0}  # empty → the model's default


def test_unsorted_rows_read_the_same(tmp_path):
    lines = [f"2026-03-{9 + h // 24:02d} {h % 24:02d}:00,{h * 3 % 17}" for h in range(72)]
    ordered = read_volumes(write(tmp_path, "timestamp,count\n" + "\n".join(lines), "a.csv"), timezone=BERLIN)
    random.Random(3).shuffle(lines)
    shuffled = read_volumes(write(tmp_path, "timestamp,count\n" + "\n".join(lines), "b.csv"), timezone=BERLIN)
    assert shuffled.counts == ordered.counts and shuffled.start_utc == ordered.start_utc
    assert ordered.counts == tuple(float(h * 3 % 17) for h in range(72))


def test_per_item_hours_without_items_are_zero_not_missing(tmp_path):
    path = write(tmp_path, "created_at\n2026-03-09 10:05:00\n2026-03-09 10:59:59\n2026-03-09 13:00:00\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.counts == (2.0, 0.0, 0.0, 1.0) and history.missing_hours() == 0


# -- DST --------------------------------------------------------------------------------------------------------
def test_a_spring_forward_gap_time_is_read_as_the_hour_after_with_a_note(tmp_path):
    path = write(tmp_path, "timestamp,count\n2026-03-29 01:00,5\n2026-03-29 02:00,3\n2026-03-29 03:00,4\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.start_utc == utc(2026, 3, 29, 0)
    assert history.counts == (5.0, 7.0)  # 02:00 does not exist: counted with 03:00 CEST (01:00 UTC)
    assert "row 3 (2026-03-29 02:00)" in note(history, "do not exist in Europe/Berlin")


def test_a_repeated_hour_given_twice_is_two_utc_hours_in_file_order(tmp_path):
    path = write(tmp_path, "timestamp,count\n2026-10-25 01:00,1\n2026-10-25 02:00,2\n2026-10-25 02:00,3\n"
                 "2026-10-25 03:00,4\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.start_utc == utc(2026, 10, 24, 23)
    assert history.counts == (1.0, 2.0, 3.0, 4.0)
    assert not history.notes


def test_a_repeated_hour_given_once_is_the_first_and_the_second_is_missing(tmp_path):
    path = write(tmp_path, "timestamp,count\n2026-10-25 01:00,1\n2026-10-25 02:00,2\n2026-10-25 03:00,4\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.counts[:2] == (1.0, 2.0) and math.isnan(history.counts[2]) and history.counts[3] == 4.0
    assert "2026-10-25 02:00" in note(history, "happens twice")
    assert "1 hour has no row" in note(history, "no row")


# -- duplicates and bad cells -------------------------------------------------------------------------------------
def test_exact_duplicates_are_dropped_and_named(tmp_path):
    path = write(tmp_path, "timestamp,count\n2026-03-09 10:00,5\n2026-03-09 11:00,6\n2026-03-09 10:00,5\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.counts == (5.0, 6.0)
    assert note(history, "duplicates").endswith(": row 4")


def test_conflicting_duplicates_name_both_rows(tmp_path):
    path = write(tmp_path, "timestamp,category,count\n2026-03-09 10:00,spam,5\n2026-03-09 11:00,spam,6\n"
                 "2026-03-09 10:00,spam,7\n")
    with pytest.raises(ImportFileError, match="rows 2 and 4 give different counts") as info:
        read_volumes(path, timezone=BERLIN)
    assert (info.value.file, info.value.row, info.value.column) == ("v.csv", 4, "count")
    assert "category 'spam'" in info.value.message


@pytest.mark.parametrize(("cell", "words"), [("many", "'many' is not a number"), ("-3", "negative")])
def test_bad_counts_name_the_cell(tmp_path, cell, words):
    path = write(tmp_path, f"timestamp,count\n2026-03-09 10:00,5\n2026-03-09 11:00,{cell}\n")
    with pytest.raises(ImportFileError, match=words) as info:
        read_volumes(path, timezone=BERLIN)
    assert (info.value.file, info.value.row, info.value.column) == ("v.csv", 3, "count")


def test_an_empty_count_is_a_missing_hour_with_a_note(tmp_path):
    path = write(tmp_path, "timestamp,count\n2026-03-09 10:00,5\n2026-03-09 11:00,\n2026-03-09 12:00,6\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.counts[0] == 5 and math.isnan(history.counts[1]) and history.counts[2] == 6
    assert note(history, "empty counts").endswith("row 3")


def test_bad_timestamps_name_the_cell(tmp_path):
    path = write(tmp_path, "created_at\n2026-03-09 10:00\nsoon\n")
    with pytest.raises(ImportFileError, match="'soon' is not a date") as info:
        read_volumes(path, timezone=BERLIN)
    assert (info.value.row, info.value.column) == (3, "created_at")


def test_header_only_and_unknown_columns_are_clear_errors(tmp_path):
    with pytest.raises(ImportFileError, match="no data rows"):
        read_volumes(write(tmp_path, "timestamp,count\n"), timezone=BERLIN)
    with pytest.raises(ImportFileError, match="neither a count column nor a creation-time column") as info:
        read_volumes(write(tmp_path, "when,how many\n2026-03-09,3\n", "other.csv"), timezone=BERLIN)
    assert "'when', 'how many'" in info.value.hint
    with pytest.raises(ImportFileError, match="no timestamp column"):
        read_volumes(write(tmp_path, "moment,count\n2026-03-09,3\n", "third.csv"), timezone=BERLIN)


def test_an_unknown_zone_is_a_clear_error(tmp_path):
    with pytest.raises(FlowmodelError, match="unknown time zone 'Mars/Olympus'"):
        read_volumes(write(tmp_path, "timestamp,count\n2026-03-09 10:00,5\n"), timezone="Mars/Olympus")


def test_the_row_cap_applies(tmp_path):
    path = write(tmp_path, "created_at\n" + "2026-03-09 10:00:00\n" * 30)
    with pytest.raises(ImportFileError, match="more than 20 data rows"):
        read_volumes(path, timezone=BERLIN, max_rows=20)


def test_a_large_per_item_file_costs_memory_per_hour_not_per_row(tmp_path):
    path = tmp_path / "items.csv"
    start = datetime(2026, 3, 9)
    with path.open("w") as handle:
        handle.write("created_at,category\n")
        for i in range(30_000):
            handle.write(f"{(start + timedelta(seconds=i * 7)).isoformat()},{('spam', 'hate')[i % 2]}\n")
    tracemalloc.start()
    try:
        history = read_volumes(path, timezone=BERLIN)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert history.total() == 30_000 and history.hours == math.ceil(30_000 * 7 / 3600)
    assert peak < 2_000_000  # bytes; 30,000 rows held as rows would take well over 5 MB


def test_a_created_at_column_with_counts_is_counts_per_interval(tmp_path):
    path = write(tmp_path, "created_at,count\n2026-03-09 10:00,4\n2026-03-09 11:00,6\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.counts == (4.0, 6.0) and history.start_utc == utc(2026, 3, 9, 9)


def test_a_third_row_for_a_repeated_hour_is_a_duplicate_of_the_second(tmp_path):
    path = write(tmp_path, "timestamp,count\n2026-10-25 02:00,2\n2026-10-25 02:00,3\n2026-10-25 02:00,3\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.start_utc == utc(2026, 10, 25, 0) and history.counts == (2.0, 3.0)
    assert note(history, "duplicates").endswith(": row 4")


def test_per_item_times_in_the_spring_gap_count_in_the_hour_after(tmp_path):
    path = write(tmp_path, "created\n2026-03-29 01:59:00\n2026-03-29 02:10:00\n2026-03-29 03:05:00\n")
    history = read_volumes(path, timezone=BERLIN)
    assert history.start_utc == utc(2026, 3, 29, 0) and history.counts == (1.0, 2.0)
    assert "row 3 (2026-03-29 02:10)" in note(history, "do not exist")
