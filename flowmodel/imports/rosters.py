"""Rosters from the planner's spreadsheet (CSV or XLSX) into teams' shifts, and back out in the same layout.

Rules:
- Two layouts, told apart by the header. A **person** column (person, name, reviewer, employee, agent) with a
  **days** column makes it layout B ("people"), otherwise it is layout A ("shifts").
- Layout A, one row per shift: team, shift (its name), start, hours (or end) and one headcount column per weekday
  (Monday … Sunday, full or short English names, any case). A blank headcount is 0; a weekday without a column is
  0 on every row, with a note. Any other header is refused, since it may be a mistyped weekday whose headcounts
  would be lost; notes/comment/total columns are ignored, and so is a row with nothing but a note. A blank team
  cell continues the team above (a grouped sheet); a row that names a team and nothing else heads that team, and
  a team headed but given no shift rows is an error. The same team and shift name twice is an error naming both
  rows.
- Layout B, one row per person's schedule: person, team, days (``Mon-Fri``, ``Fri-Mon``, ``Mon,Wed,Fri``,
  ``Sat``, ``weekdays``, ``weekends``, ``daily``), start and end (or hours), optionally a shift name. People with
  the same team, shift name, start and hours are one shift whose headcount on a weekday is the number of them
  working that day; it is named ``HH:MM–HH:MM`` unless a shift column names it. A team's shifts are listed by
  start, then length. A person on two shifts at once (overlapping times, also across midnight) is an error
  naming both rows. Columns of other kinds are ignored, with a note.
- Times and days are read as :mod:`flowmodel.imports.roster_cells` says (``09:00``, ``9:30``, ``5pm``, Excel
  times; ``Mon-Fri``, ``weekends``). An end before the start wraps past midnight (22:00 to 06:00 is 8 hours; the
  shift belongs to the weekday it starts on); an end equal to the start is refused (use hours 24).
- Refused, naming file, row and column: start outside [0, 24), hours outside (0, 24], a headcount that is
  negative, fractional or above ``MAX_HEADCOUNT``, hours and end that disagree, unknown days, a file without
  rows. Team names match case-insensitively; spellings that differ only in case are one team, with a note.
- At most :data:`MAX_ROSTER_ROWS` data rows; a longer file is refused, naming the row where it passed the cap.
- :func:`write_roster` writes layout A (CSV as UTF-8 with a byte-order mark so Excel shows the dash, or XLSX with
  one sheet "Roster"), atomically. Reading what it wrote gives the same shifts exactly: a start is written as
  ``HH:MM[:SS]`` when that reads back to the same number and as the number otherwise; hours as numbers.
- :func:`roster_changes` compares an import with a workflow and changes nothing; :func:`apply_roster` gives the
  new shift lists per team id, which the caller applies as one undoable edit.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flowmodel.errors import ModelError, SaveError
from flowmodel.imports.roster_cells import (
    cell_text,
    day_header,
    days_cell,
    format_clock,
    headcount_cell,
    length_cell,
    parse_clock,
    shift_label,
    start_cell,
)
from flowmodel.imports.tabular import Table, find_column, is_empty, normalise_header, open_table
from flowmodel.jsonfile import write_atomically
from flowmodel.nodes import WEEKDAYS
from flowmodel.teams import Shift
from flowmodel.workflow import Workflow

TEAM = ("team", "team name", "queue team")
SHIFT = ("shift", "shift name")
PERSON = ("person", "name", "person name", "reviewer", "employee", "agent", "staff", "moderator")
DAYS = ("days", "weekdays", "working days", "day", "schedule", "pattern")
START = ("start", "start time", "starts", "from", "shift start")
END = ("end", "end time", "ends", "to", "until", "shift end")
HOURS = ("hours", "length", "duration", "shift hours", "length h", "hours per shift")
IGNORED = ("note", "notes", "comment", "comments", "total", "total hours", "paid hours", "weekly hours")
HEADER = ("team", "shift", "start", "hours", *WEEKDAYS)
SHEET = "Roster"
#: Rows in one roster: a person's schedules are kept while reading (to find double bookings), so the file is
#: capped well below a volume history's limit. 100,000 schedules is several times the largest operation's staff.
MAX_ROSTER_ROWS = 100_000



@dataclass(frozen=True)
class RosterImport:
    """Shifts per team as read from one file; nothing in a model has changed."""

    file: str
    layout: str  # "shifts" (one row per shift) or "people" (one row per person's schedule)
    teams: dict[str, list[Shift]]  # team name as the file spells it → its shifts, teams in file order
    notes: tuple[str, ...] = ()
    people_count: int | None = None  # layout B: the different people in the file


@dataclass(frozen=True)
class TeamRosterChange:
    team_id: str
    team_name: str  # as the workflow names it
    file_name: str  # as the file names it
    before: tuple[Shift, ...]
    after: tuple[Shift, ...]
    paid_hours_before: float  # rostered hours per week, headcount × hours summed over shifts and weekdays
    paid_hours_after: float
    contract_hours: float

    @property
    def changed(self) -> bool:
        return list(self.before) != list(self.after)

    @property
    def fte_before(self) -> float:
        return self.paid_hours_before / self.contract_hours

    @property
    def fte_after(self) -> float:
        return self.paid_hours_after / self.contract_hours


@dataclass(frozen=True)
class RosterPreview:
    """What applying a roster would change, team by team, and what it leaves alone."""

    file: str
    changes: tuple[TeamRosterChange, ...]
    not_in_workflow: tuple[str, ...]  # teams of the file the workflow has no team for (not applied)
    not_in_file: tuple[str, ...]  # the workflow's teams the file does not mention (left as they are)
    notes: tuple[str, ...] = field(default=())


# -- reading ------------------------------------------------------------------------------------------------
def read_roster(path: str | os.PathLike[str], *, sheet: str | None = None,
                max_rows: int = MAX_ROSTER_ROWS) -> RosterImport:
    """The teams' shifts in the roster file at ``path`` (the first sheet of a workbook unless ``sheet``)."""
    table = open_table(Path(path), sheet=sheet, max_rows=max_rows)
    person = find_column(table, PERSON, what="person", required=False)
    if person is not None and find_column(table, DAYS, what="days", required=False) is not None:
        return _read_people(table, person)
    if person is not None and not any(day_header(h) is not None for h in table.headers):
        find_column(table, DAYS, what="days")  # one row per person, but no days: say which column is missing
    return _read_shifts(table)


def team_key(name: str) -> str:
    """What two spellings of one team name share: case and runs of spaces do not count (a roster typed by hand)."""
    return " ".join(name.split()).casefold()


class _Teams:
    """Team names in file order, matched whatever their case and spacing (:func:`team_key`), the first spelling
    kept."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.variants: set[str] = set()

    def name(self, text: str) -> str:
        first = self.names.setdefault(team_key(text), text)
        if first != text:
            self.variants.add(f"'{text}' is read as team '{first}' (names match whatever their case and spacing)")
        return first


def _read_shifts(table: Table) -> RosterImport:
    team_col = find_column(table, TEAM, what="team")
    name_col = find_column(table, (*SHIFT, "name"), what="shift", required=False)  # no person here: "name" is free
    start_col = find_column(table, START, what="start")
    hours_col = find_column(table, HOURS, what="hours", required=False)
    end_col = find_column(table, END, what="end", required=False)
    if hours_col is None and end_col is None:
        raise table.error("no hours or end column", row=table.header_row,
                          hint="give each shift its length (a column 'hours') or its end time (a column 'end')")
    known = {c for c in (name_col, start_col, hours_col, end_col) if c is not None}
    day_cols: dict[int, int] = {}
    for index, header in enumerate(table.headers):
        key = normalise_header(header).replace("_", " ")
        if index in known or index == team_col or not key or key in IGNORED:
            continue
        day = day_header(header)
        if day is None:
            raise table.error(f"'{header}' is not a weekday nor a roster column", row=table.header_row,
                              column=index, hint="name the headcount columns Mon … Sun (or Monday … Sunday); "
                              "the other columns are team, shift, start and hours or end")
        if day in day_cols:
            raise table.error(f"a second column for {WEEKDAYS[day]}", row=table.header_row, column=index,
                              hint=f"keep one of '{table.headers[day_cols[day]]}' and '{header}'")
        day_cols[day] = index
    if not day_cols:
        raise table.error("no headcount columns (Mon … Sun)", row=table.header_row,
                          hint="give one column per weekday with the reviewers rostered on the shift that day")
    notes = []
    missing = [WEEKDAYS[d] for d in range(7) if d not in day_cols]
    if missing:
        notes.append(f"no column for {', '.join(missing)}: nobody is rostered then")
    roster_cols = known | set(day_cols.values())
    teams = _Teams()
    shifts: dict[str, list[Shift]] = {}
    seen: dict[tuple[str, str], int] = {}
    headed: dict[str, int] = {}
    current = ""
    continued = 0
    for row, cells in table.rows():
        team_text = cell_text(cells[team_col])
        if not team_text and all(is_empty(cells[i]) for i in roster_cols):
            continue  # only a note on the row
        if team_text:
            current = teams.name(team_text)
            shifts.setdefault(current, [])
            if all(is_empty(cells[i]) for i in roster_cols):  # a heading row; notes beside it do not count
                headed.setdefault(current, row)
                continue
        elif not current:
            raise table.error("no team is named on this row or above it", row=row, column=team_col,
                              hint="write the team's name on the row")
        else:
            continued += 1
        start = start_cell(table, row, start_col, cells[start_col])
        hours = length_cell(table, row, start, hours_col, end_col, cells)
        name = cell_text(cells[name_col]) if name_col is not None else ""
        name = name or shift_label(start, hours)
        if (team_key(current), name.casefold()) in seen:
            first = seen[(team_key(current), name.casefold())]
            raise table.error(f"team '{current}' has shift '{name}' twice: rows {first} and {row}",
                              row=row, column=start_col if name_col is None else name_col,
                              hint="give each of a team's shifts its own name")
        seen[(team_key(current), name.casefold())] = row
        headcount = [0] * 7
        for day, column in day_cols.items():
            headcount[day] = headcount_cell(table, row, column, cells[column])
        shifts[current].append(Shift(name=name, start_hour=start, hours=hours, headcount=headcount))
    if continued:
        notes.append(f"{continued} rows without a team name belong to the team named above them")
    _check_teams(table, team_col, shifts, headed)
    return RosterImport(table.file, "shifts", shifts, tuple(notes + sorted(teams.variants)))


def _check_teams(table: Table, team_col: int, shifts: dict[str, list[Shift]], headed: dict[str, int]) -> None:
    for team, found in shifts.items():
        if not found:
            raise table.error(f"team '{team}' has no shifts", row=headed.get(team), column=team_col,
                              hint="add a row per shift under the team, or delete the team's row")
    if not shifts:
        raise table.error("the roster has no rows", row=table.header_row,
                          hint="add one row per shift (or per person's schedule) below the header")


def _read_people(table: Table, person_col: int) -> RosterImport:
    team_col = find_column(table, TEAM, what="team")
    days_col = find_column(table, DAYS, what="days")
    start_col = find_column(table, START, what="start")
    name_col = find_column(table, SHIFT, what="shift", required=False)
    hours_col = find_column(table, HOURS, what="hours", required=False)
    end_col = find_column(table, END, what="end", required=False)
    if hours_col is None and end_col is None:
        raise table.error("no end or hours column", row=table.header_row,
                          hint="give each person's shift its end time (a column 'end') or length ('hours')")
    used = {person_col, team_col, days_col, start_col, name_col, hours_col, end_col}
    ignored = [h for i, h in enumerate(table.headers) if i not in used and h]
    notes = [f"columns not used: {', '.join(repr(h) for h in ignored)}"] if ignored else []
    teams = _Teams()
    groups: dict[tuple[str, str, float, float], list[int]] = {}
    group_names: dict[tuple[str, str], tuple[float, float, int, str]] = {}
    order: dict[str, None] = {}
    schedules: dict[str, list[tuple[int, str, tuple[int, ...], float, float]]] = {}
    for row, cells in table.rows():
        person = cell_text(cells[person_col])
        if not person:
            raise table.error("no person is named on this row", row=row, column=person_col,
                              hint="write the person's name or id, or delete the row")
        team_text = cell_text(cells[team_col])
        if not team_text:
            raise table.error(f"no team for {person}", row=row, column=team_col, hint="write the team's name")
        team = teams.name(team_text)
        order.setdefault(team)
        days = days_cell(table, row, days_col, cells[days_col])
        start = start_cell(table, row, start_col, cells[start_col])
        hours = length_cell(table, row, start, hours_col, end_col, cells)
        _check_overlap(table, row, days, start, hours, schedules.setdefault(person.casefold(), []))
        schedules[person.casefold()].append((row, person, days, start, hours))
        name = (cell_text(cells[name_col]) if name_col is not None else "") or shift_label(start, hours)
        earlier = group_names.setdefault((team_key(team), name.casefold()), (start, hours, row, name))
        if earlier[:2] != (start, hours):
            raise table.error(f"shift '{name}' of team '{team}' is {shift_label(*earlier[:2])} on row {earlier[2]} "
                              f"but {shift_label(start, hours)} here", row=row, column=name_col,
                              hint="give shifts with different times different names")
        counts = groups.setdefault((team, earlier[3], start, hours), [0] * 7)
        for day in days:
            counts[day] += 1
    if not schedules:
        _check_teams(table, team_col, {}, {})
    shifts: dict[str, list[Shift]] = {team: [] for team in order}
    for (team, name, start, hours), counts in sorted(groups.items(), key=lambda kv: (kv[0][2], kv[0][3], kv[0][1])):
        shifts[team].append(Shift(name=name, start_hour=start, hours=hours, headcount=counts))
    return RosterImport(table.file, "people", shifts, tuple(notes + sorted(teams.variants)), len(schedules))


def _check_overlap(table: Table, row: int, days: tuple[int, ...], start: float, hours: float,
                   earlier: list[tuple[int, str, tuple[int, ...], float, float]]) -> None:
    for other_row, first_spelling, other_days, other_start, other_hours in earlier:
        for day in days:
            for other_day in other_days:
                a, b = day * 24 + start, other_day * 24 + other_start
                if (b - a) % 168 < hours or (a - b) % 168 < other_hours:
                    raise table.error(
                        f"{first_spelling} is on two shifts at once: row {other_row} ({WEEKDAYS[other_day]} "
                        f"{shift_label(other_start, other_hours)}) and row {row} ({WEEKDAYS[day]} "
                        f"{shift_label(start, hours)})", row=row, column="days",
                        hint="correct one of the two rows or delete the duplicate")


# -- writing ------------------------------------------------------------------------------------------------
def _start_value(start: float) -> str | float:
    text = format_clock(start)
    return text if parse_clock(text) == start else start


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def roster_rows(teams: Mapping[str, Sequence[Shift]]) -> list[list[object]]:
    """Layout A's rows (header first) for ``teams``: one row per team × shift. Teams without shifts are left out
    (a roster cannot say "no shifts"); a shift the reader would refuse is a :class:`SaveError`."""
    rows: list[list[object]] = [list(HEADER)]
    seen_teams: dict[str, str] = {}
    for team, shifts in teams.items():
        if shifts and not team.strip():
            raise SaveError("a team without a name has shifts", hint="name the team before exporting its roster")
        if shifts and seen_teams.setdefault(team_key(team), team) != team:
            raise SaveError(f"teams '{seen_teams[team_key(team)]}' and '{team}' differ only in case or spacing; "
                            "a roster file would read them as one team", hint="rename one of them")
        names: set[str] = set()
        for shift in shifts:
            problem = _shift_problem(shift)
            if shift.name.strip().casefold() in names:
                problem = "a second shift of that name (a roster file names each of a team's shifts once)"
            names.add(shift.name.strip().casefold())
            if problem:
                raise SaveError(f"team '{team}', shift '{shift.name}': {problem}",
                                hint="correct the shift in the team's roster before exporting it")
            rows.append([team, shift.name, _start_value(shift.start_hour), _number(shift.hours), *shift.headcount])
    return rows


def _shift_problem(shift: Shift) -> str:
    if not (isinstance(shift.start_hour, int | float) and 0 <= shift.start_hour < 24):
        return f"start {shift.start_hour!r} is not from 0 to below 24"
    if not (isinstance(shift.hours, int | float) and 0 < shift.hours <= 24):
        return f"length {shift.hours!r} h is not above 0 and at most 24"
    counts = shift.headcount
    if len(counts) != 7 or any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in counts):
        return f"headcount {counts!r} is not 7 whole numbers ≥ 0"
    return ""


def write_roster(path: str | os.PathLike[str], teams: Mapping[str, Sequence[Shift]]) -> list[str]:
    """Write ``teams`` (name → shifts) to ``path`` in layout A, as XLSX for a ``.xlsx`` name and CSV otherwise,
    all at once or not at all. Returns the names of the teams left out because they have no shifts."""
    path = Path(path)
    rows = roster_rows(teams)
    content = _xlsx_bytes(rows) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_bytes(rows)
    write_atomically(path, content)
    return [team for team, shifts in teams.items() if not shifts]


def workflow_roster(workflow: Workflow) -> dict[str, list[Shift]]:
    """A workflow's teams as :func:`write_roster` takes them."""
    return {team.name: list(team.shifts) for team in workflow.teams.values()}


def _csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([repr(c) if isinstance(c, float) else c for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    import xlsxwriter  # imported here: only workbook exports need it

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(SHEET)
    bold = workbook.add_format({"bold": True})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, c, value, bold if r == 0 else None)
            elif float(f"{value:.16g}") == value:
                sheet.write_number(r, c, value)
            else:  # a number the workbook would store rounded: as text, which reads back exactly
                sheet.write_string(r, c, repr(value))
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 1, 18)
    workbook.close()
    return buffer.getvalue()


# -- preview and apply --------------------------------------------------------------------------------------
def roster_changes(workflow: Workflow, roster: RosterImport) -> RosterPreview:
    """What :func:`apply_roster` would change: each team of the file matched by name (any case and spacing) to the
    workflow's."""
    by_name: dict[str, list[str]] = {}
    for team in workflow.teams.values():
        by_name.setdefault(team_key(team.name), []).append(team.id)
    notes = list(roster.notes)
    changes, missing = [], []
    matched: set[str] = set()
    for name, shifts in roster.teams.items():
        ids = by_name.get(team_key(name), [])
        if len(ids) > 1:
            notes.append(f"team '{name}' is not applied: the workflow has {len(ids)} teams of that name")
            matched.update(ids)
            continue
        if not ids:
            missing.append(name)
            continue
        team = workflow.teams[ids[0]]
        matched.add(team.id)
        after = tuple(_copy(s) for s in shifts)
        changes.append(TeamRosterChange(team.id, team.name, name, tuple(_copy(s) for s in team.shifts), after,
                                        paid_hours(team.shifts), paid_hours(after), team.contract_hours))
    untouched = tuple(t.name for t in workflow.teams.values() if t.id not in matched)
    return RosterPreview(roster.file, tuple(changes), tuple(missing), untouched, tuple(notes))


def apply_roster(workflow: Workflow, preview: RosterPreview) -> dict[str, list[Shift]]:
    """The new shift lists per team id of ``preview``; the caller applies them as one edit."""
    result = {}
    for change in preview.changes:
        if change.team_id not in workflow.teams:
            raise ModelError(f"team '{change.team_name}' is no longer in the workflow",
                             hint="import the roster again to preview it against the workflow as it is now")
        result[change.team_id] = [_copy(s) for s in change.after]
    return result


def describe_preview(preview: RosterPreview) -> list[str]:
    """The preview in a planner's words, one line per team, then what is left alone."""
    lines = []
    for change in preview.changes:
        if not change.changed:
            lines.append(f"{change.team_name}: unchanged ({len(change.after)} shifts)")
            continue
        lines.append(f"{change.team_name}: {len(change.before)} → {len(change.after)} shifts, paid hours "
                     f"{change.paid_hours_before:,.1f} → {change.paid_hours_after:,.1f} per week "
                     f"({change.fte_before:,.1f} → {change.fte_after:,.1f} FTE)")
    if preview.not_in_workflow:
        lines.append(f"not in the workflow, left out: {', '.join(preview.not_in_workflow)}")
    if preview.not_in_file:
        lines.append(f"not in the file, unchanged: {', '.join(preview.not_in_file)}")
    return lines + list(preview.notes)


def paid_hours(shifts: Iterable[Shift]) -> float:
    """Rostered hours per week (as :meth:`Team.paid_hours_per_week` counts them)."""
    return sum(shift.hours * sum(shift.headcount) for shift in shifts)


def _copy(shift: Shift) -> Shift:
    return Shift(name=shift.name, start_hour=shift.start_hour, hours=shift.hours, headcount=list(shift.headcount))
