"""Roster files for the import tests, written from the tables stated below (seeded, so the same bytes each time).

- ``roster_shifts.xlsx``: layout A as a planner keeps it: Excel times, an end column instead of hours, full
  weekday names, the team written once above its shifts. ``roster_shifts.csv``: the same shifts with short
  weekday names, typed times (``7:00``, ``8:30``) and lengths in hours. Both read to :data:`SHIFTS`.
- ``roster_people.csv``: one row per person's schedule (60 people, some on two schedules in a week, rows shuffled)
  built from :data:`PEOPLE`; it aggregates to :data:`PEOPLE_SHIFTS`, worked out by hand from :data:`PEOPLE`.
- ``roster_bad.csv``: layout A with a fractional headcount (2.5 on row 4, column 'Wed').
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, time
from pathlib import Path

SEED = 15

#: team → (shift name, start hour, hours, headcount Mon..Sun): three teams, an overnight shift, weekend changes.
SHIFTS: dict[str, list[tuple[str, float, float, list[int]]]] = {
    "Tier 1 EN": [("early", 7.0, 8.0, [12, 12, 12, 12, 12, 6, 6]),
                  ("late", 15.0, 8.0, [10, 10, 10, 10, 9, 5, 5]),
                  ("night", 23.0, 8.0, [4, 4, 4, 4, 4, 3, 3])],
    "Tier 2 ES": [("day", 8.5, 7.5, [5, 5, 5, 5, 5, 0, 0]),
                  ("evening", 14.0, 9.5, [4, 4, 4, 4, 4, 2, 2])],
    "Appeals": [("core", 9.0, 8.0, [3, 3, 3, 3, 3, 0, 0]),
                ("weekend", 10.0, 6.0, [0, 0, 0, 0, 0, 2, 2])],
}

#: (team, days as written, start, end, people) — a row per person; the second table gives people on two schedules.
PEOPLE: list[tuple[str, str, str, str, int]] = [
    ("Tier 1 EN", "Mon-Fri", "07:00", "15:00", 8),
    ("Tier 1 EN", "weekends", "7:00", "15:00", 3),
    ("Tier 1 EN", "Mon,Wed,Fri", "07:00", "15:00", 2),
    ("Tier 1 EN", "weekdays", "15:00", "23:00", 7),
    ("Tier 1 EN", "Fri-Mon", "15", "23", 2),
    ("Tier 1 EN", "daily", "23:00", "07:00", 3),
    ("Tier 1 EN", "Sat", "23:00", "7:00", 1),
    ("Tier 1 EN", "Sun-Thu", "23:00", "07:00", 3),
    ("Tier 2 ES", "Mon-Fri", "08:30", "16:00", 6),
    ("Tier 2 ES", "Tue-Thu", "8:30", "16:00", 2),
    ("Tier 2 ES", "weekends", "14:00", "22:30", 3),
    ("Tier 2 ES", "Mon-Fri", "14:00", "22:30", 4),
    ("Appeals", "weekdays", "09:00", "17:00", 5),
    ("Appeals", "Sat, Sun", "10:00", "16:00", 2),
    ("Appeals", "Mon Wed Fri", "9:00", "17:00", 3),
]
#: (team, [(days, start, end), (days, start, end)], people): each person works both schedules in a week.
SPLIT_PEOPLE: list[tuple[str, list[tuple[str, str, str]], int]] = [
    ("Tier 1 EN", [("Mon-Wed", "07:00", "15:00"), ("Thu,Fri", "15:00", "23:00")], 4),
    ("Tier 2 ES", [("Mon,Tue", "08:30", "16:00"), ("Sat", "14:00", "22:30")], 2),
]
PEOPLE_COUNT = 60

#: What roster_people.csv aggregates to, added up by hand from PEOPLE and SPLIT_PEOPLE (shifts by start time).
PEOPLE_SHIFTS: dict[str, list[tuple[str, float, float, list[int]]]] = {
    # 07–15: 8 weekdays + 3 weekends + 2 Mon/Wed/Fri + 4 Mon–Wed (split)
    # 15–23: 7 weekdays + 2 Fri–Mon + 4 Thu/Fri (split)
    # 23–07: 3 daily + 1 Sat + 3 Sun–Thu
    "Tier 1 EN": [("07:00–15:00", 7.0, 8.0, [14, 12, 14, 8, 10, 3, 3]),
                  ("15:00–23:00", 15.0, 8.0, [9, 7, 7, 11, 13, 2, 2]),
                  ("23:00–07:00", 23.0, 8.0, [6, 6, 6, 6, 3, 4, 6])],
    # 08:30–16: 6 weekdays + 2 Tue–Thu + 2 Mon/Tue (split); 14–22:30: 3 weekends + 4 weekdays + 2 Sat (split)
    "Tier 2 ES": [("08:30–16:00", 8.5, 7.5, [8, 10, 8, 8, 6, 0, 0]),
                  ("14:00–22:30", 14.0, 8.5, [4, 4, 4, 4, 4, 5, 3])],
    # 09–17: 5 weekdays + 3 Mon/Wed/Fri; 10–16: 2 weekends
    "Appeals": [("09:00–17:00", 9.0, 8.0, [8, 5, 8, 5, 8, 0, 0]),
                ("10:00–16:00", 10.0, 6.0, [0, 0, 0, 0, 0, 2, 2])],
}

FULL_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FIRST_NAMES = ("Ana", "Ben", "Chloé", "Dara", "Emeka", "Fatima", "Gustav", "Hana", "Ivan", "Jia", "Kofi", "Lena",
               "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq")


def _clock(hours: float) -> time:
    minutes = round(hours * 60)
    return time(minutes // 60, minutes % 60)


def _typed(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def write_shifts_xlsx(path: Path) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": datetime(2026, 7, 1, 9, 0, 0)})  # the same bytes on every run
    sheet = workbook.add_worksheet("Rota Q3")
    clock = workbook.add_format({"num_format": "hh:mm"})
    headers = ["Team", "Shift", "Start time", "End time", *FULL_DAYS, "Notes"]
    sheet.write_row(0, 0, headers)
    row = 1
    for team, shifts in SHIFTS.items():
        for index, (name, start, hours, counts) in enumerate(shifts):
            if index == 0:
                sheet.write_string(row, 0, team)
            sheet.write_string(row, 1, name)
            sheet.write_datetime(row, 2, _clock(start), clock)
            sheet.write_datetime(row, 3, _clock((start + hours) % 24), clock)
            for day, count in enumerate(counts):
                if count:  # planners leave the days nobody works empty
                    sheet.write_number(row, 4 + day, count)
            if start + hours > 24:
                sheet.write_string(row, 11, "ends the next morning")
            row += 1
    workbook.close()
    return path


def write_shifts_csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["team", "shift", "start", "hours", *SHORT_DAYS])
        for team, shifts in SHIFTS.items():
            for name, start, hours, counts in shifts:
                writer.writerow([team, name, _typed(start), f"{hours:g}", *counts])
    return path


def write_people_csv(path: Path) -> Path:
    rng = random.Random(SEED)
    rows: list[list[str]] = []
    names = iter(f"{first} {chr(65 + k)}." for k in range(3) for first in FIRST_NAMES)
    for team, days, start, end, count in PEOPLE:
        for _ in range(count):
            rows.append([next(names), team, days, start, end])
    for team, schedules, count in SPLIT_PEOPLE:
        for _ in range(count):
            person = next(names)
            rows.extend([person, team, days, start, end] for days, start, end in schedules)
    rng.shuffle(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Person", "Team", "Days", "Start", "End"])
        writer.writerows(rows)
    return path


def write_bad_csv(path: Path) -> Path:
    path.write_text("team,shift,start,hours,Mon,Tue,Wed,Thu,Fri,Sat,Sun\n"
                    "Tier 1 EN,early,07:00,8,12,12,12,12,12,6,6\n"
                    "Tier 1 EN,late,15:00,8,10,10,10,10,9,5,5\n"
                    "Appeals,core,09:00,8,3,3,2.5,3,3,0,0\n", encoding="utf-8")
    return path


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return [write_shifts_xlsx(directory / "roster_shifts.xlsx"), write_shifts_csv(directory / "roster_shifts.csv"),
            write_people_csv(directory / "roster_people.csv"), write_bad_csv(directory / "roster_bad.csv")]


if __name__ == "__main__":
    for written in write(Path(__file__).resolve().parent.parent / "data"):
        print(written.name)
