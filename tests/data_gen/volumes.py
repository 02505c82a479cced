"""Volume histories from known parameters, written as the planner's dashboard exports.

Known parameters (the truth the reading and forecasting tests recover):
- ``volumes_hourly.csv`` — counts per hour and (category, priority), :data:`WEEKS` weeks from
  :data:`START_LOCAL` in :data:`ZONE` (naive local times, ``YYYY-MM-DD HH:MM``), spanning the spring DST change
  of 2026-03-29 (the file has no 02:00 row that day). The rate at a local hour is :data:`BASE_PER_HOUR` ×
  :data:`TRUE_WEEKLY_PROFILE` (168 multipliers, Monday 00:00 first, mean 1) × :data:`INCIDENT_MULTIPLIER` on
  :data:`INCIDENT_DAY`; each row's count is Poisson with the rate × its category's and priority's share
  (:data:`CATEGORY_SHARES`, :data:`PRIORITY_SHARES`). The rows of the hours in :data:`MISSING_HOURS_LOCAL` are
  left out, :data:`DUPLICATED_ROWS` rows are written twice (the copies at the end, out of order).
- ``volumes_hourly.xlsx`` — the same rows with Excel datetimes, sheet ``History`` before a ``Read me`` sheet.
- ``volumes_items.csv`` — one row per item (``created_at`` with seconds, category, language, priority) for
  :data:`ITEM_WEEKS` weeks from :data:`ITEMS_START_LOCAL`, spanning the autumn DST change of 2026-10-25 (the
  repeated hour's items written in order, so 02:xx appears twice), at :data:`ITEMS_BASE_PER_HOUR` with the same
  profile; times alternate ``YYYY-MM-DD HH:MM:SS`` and ``YYYY-MM-DDTHH:MM:SS``, every 7th in UTC with ``Z``.
- ``volumes_messy.csv`` — semicolons, a byte-order mark, ``1 234``-style counts and ``n/a`` on row
  :data:`MESSY_TEXT_ROW`, column 'Volume'. ``volumes_daily.csv`` — daily totals (refused).
Every draw comes from ``numpy.random.default_rng(SEED)``, so the files are the same on every run.
"""

from __future__ import annotations

import csv
import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import xlsxwriter

SEED = 1515
ZONE = "Europe/Berlin"
START_LOCAL = datetime(2026, 2, 16)  # a Monday; 2026-03-29 (spring forward) is in week 6
WEEKS = 8
BASE_PER_HOUR = 120.0
INCIDENT_DAY = date(2026, 3, 11)  # a Wednesday
INCIDENT_MULTIPLIER = 3.0
CATEGORY_SHARES = {"spam": 0.5, "hate_speech": 0.3, "graphic_violence": 0.2}
PRIORITY_SHARES = {"P1": 0.2, "P2": 0.8}
LANGUAGE_SHARES = {"en": 0.6, "de": 0.4}  # only in the per-item file
#: Local hours whose rows the hourly file leaves out (3 UTC hours).
MISSING_HOURS_LOCAL = (datetime(2026, 3, 3, 4), datetime(2026, 3, 3, 5), datetime(2026, 3, 18, 13))
DUPLICATED_ROWS = 4
ITEMS_START_LOCAL = datetime(2026, 10, 19)  # a Monday; 2026-10-25 (fall back) is its Sunday
ITEM_WEEKS = 2
ITEMS_BASE_PER_HOUR = 15.0
MESSY_TEXT_ROW = 6


def _daily_shape(hour: int) -> float:
    """A weekday: quiet nights, a working-day plateau, the evening peak 20:00–22:00."""
    if hour < 6:
        return 0.4
    if hour < 9:
        return 0.4 + 0.2 * (hour - 5)  # 0.6, 0.8, 1.0
    if hour < 20:
        return 1.0
    if hour < 23:
        return 1.8
    return 0.8


def _profile() -> tuple[float, ...]:
    raw = [_daily_shape(h) * (1.2 if day >= 5 else 1.0) for day in range(7) for h in range(24)]
    mean = sum(raw) / len(raw)
    return tuple(r / mean for r in raw)


#: The true weekly profile in local time (Monday 00:00 first), mean exactly 1.
TRUE_WEEKLY_PROFILE: tuple[float, ...] = _profile()


def rate(local: datetime, base: float = BASE_PER_HOUR) -> float:
    """The true mean items per hour at a local hour, with the incident day."""
    multiplier = INCIDENT_MULTIPLIER if local.date() == INCIDENT_DAY else 1.0
    return base * TRUE_WEEKLY_PROFILE[local.weekday() * 24 + local.hour] * multiplier


def utc_hours(start_local: datetime, weeks: int) -> list[datetime]:
    """Every UTC hour of ``weeks`` local weeks from ``start_local`` (one fewer over a spring change)."""
    zone = ZoneInfo(ZONE)
    first = start_local.replace(tzinfo=zone).astimezone(UTC)
    last = (start_local + timedelta(weeks=weeks)).replace(tzinfo=zone).astimezone(UTC)
    return [first + timedelta(hours=i) for i in range(int((last - first) / timedelta(hours=1)))]


def hourly_rows() -> list[tuple[datetime, str, str, int]]:
    """(UTC hour, category, priority, count) for every hour, before rows are left out or doubled."""
    rng = np.random.default_rng(SEED)
    zone = ZoneInfo(ZONE)
    rows = []
    for hour in utc_hours(START_LOCAL, WEEKS):
        mean = rate(hour.astimezone(zone).replace(tzinfo=None))
        for category, c_share in CATEGORY_SHARES.items():
            for priority, p_share in PRIORITY_SHARES.items():
                rows.append((hour, category, priority, int(rng.poisson(mean * c_share * p_share))))
    return rows


def _missing_utc() -> set[datetime]:
    zone = ZoneInfo(ZONE)
    return {h.replace(tzinfo=zone).astimezone(UTC) for h in MISSING_HOURS_LOCAL}


def written_hourly_rows() -> list[tuple[datetime, str, str, int]]:
    """The rows as the hourly files hold them: missing hours left out, duplicates appended out of order."""
    missing = _missing_utc()
    kept = [r for r in hourly_rows() if r[0] not in missing]
    picks = [len(kept) * k // (DUPLICATED_ROWS + 1) for k in range(DUPLICATED_ROWS, 0, -1)]
    return kept + [kept[i] for i in picks]


def item_times() -> list[tuple[datetime, str, str, str]]:
    """(UTC creation time, category, language, priority) of every item in the per-item file, in time order."""
    rng = np.random.default_rng(SEED + 1)
    zone = ZoneInfo(ZONE)
    items = []
    for hour in utc_hours(ITEMS_START_LOCAL, ITEM_WEEKS):
        mean = rate(hour.astimezone(zone).replace(tzinfo=None), ITEMS_BASE_PER_HOUR)
        seconds = np.sort(rng.integers(0, 3600, size=int(rng.poisson(mean))))
        for s in seconds:
            category = rng.choice(list(CATEGORY_SHARES), p=list(CATEGORY_SHARES.values()))
            language = rng.choice(list(LANGUAGE_SHARES), p=list(LANGUAGE_SHARES.values()))
            priority = rng.choice(list(PRIORITY_SHARES), p=list(PRIORITY_SHARES.values()))
            items.append((hour + timedelta(seconds=int(s)), str(category), str(language), str(priority)))
    return items


def _local_text(hour: datetime) -> str:
    return hour.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M")


def _write_hourly_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["timestamp", "category", "priority", "count"])
        for hour, category, priority, count in written_hourly_rows():
            out.writerow([_local_text(hour), category, priority, count])


def _write_hourly_xlsx(path: Path) -> None:
    zone = ZoneInfo(ZONE)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": datetime(2026, 4, 13)})  # the same bytes on every run
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet = book.add_worksheet("History")
    sheet.write_row(0, 0, ["Interval start", "Category", "Priority", "Reports"])
    for r, (hour, category, priority, count) in enumerate(written_hourly_rows(), start=1):
        sheet.write_datetime(r, 0, hour.astimezone(zone).replace(tzinfo=None), stamp)
        sheet.write_row(r, 1, [category, priority, count])
    about = book.add_worksheet("Read me")
    about.write(0, 0, "Hourly reports by category and priority, local time (Europe/Berlin).")
    book.close()


def _write_items_csv(path: Path) -> None:
    zone = ZoneInfo(ZONE)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["created_at", "category", "language", "priority"])
        for i, (created, category, language, priority) in enumerate(item_times()):
            if i % 7 == 6:
                text = created.strftime("%Y-%m-%dT%H:%M:%SZ")
            else:
                text = created.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S" if i % 2 else "%Y-%m-%d %H:%M:%S")
            out.writerow([text, category, language, priority])


def _write_messy_csv(path: Path) -> None:
    rows = ["2026-03-02 08:00;1 234", "2026-03-02 09:00;1 310", "2026-03-02 10:00;1 288", "2026-03-02 11:00;1 302",
            "2026-03-02 12:00;n/a", "2026-03-02 13:00;1 275"]
    assert rows[MESSY_TEXT_ROW - 2].endswith("n/a")
    path.write_bytes(("\ufeffDate/time;Volume\r\n" + "\r\n".join(rows) + "\r\n").encode("utf-8"))


def _write_daily_csv(path: Path) -> None:
    totals = [sum(c for h, _c, _p, c in hourly_rows() if h.date() == START_LOCAL.date() + timedelta(days=d))
              for d in range(7)]
    lines = [f"{(START_LOCAL + timedelta(days=d)).date().isoformat()},{t}" for d, t in enumerate(totals)]
    path.write_text("date,reports\n" + "\n".join(lines) + "\n", encoding="utf-8")


def write(directory: Path) -> list[Path]:
    """Write every volume file into ``directory`` and return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    writers = {
        "volumes_hourly.csv": _write_hourly_csv,
        "volumes_hourly.xlsx": _write_hourly_xlsx,
        "volumes_items.csv": _write_items_csv,
        "volumes_messy.csv": _write_messy_csv,
        "volumes_daily.csv": _write_daily_csv,
    }
    paths = []
    for name, writer in writers.items():
        writer(directory / name)
        paths.append(directory / name)
    assert all(p.stat().st_size < 2_000_000 for p in paths)
    assert math.isclose(sum(TRUE_WEEKLY_PROFILE) / 168, 1.0)
    return paths


if __name__ == "__main__":
    for written in write(Path(__file__).resolve().parents[1] / "data"):
        print(written.name, written.stat().st_size)
