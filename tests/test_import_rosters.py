"""Roster import and export: the planner's layouts read to the stated shift tables, an exact round trip, errors
that name file, row and column, and a preview whose paid hours are worked out by hand."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from conftest import make_triage_workflow
from data_gen.rosters import PEOPLE_COUNT, PEOPLE_SHIFTS, SHIFTS, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowmodel import SaveError, Shift, Team, Workflow
from flowmodel.imports.rosters import (
    apply_roster,
    describe_preview,
    format_clock,
    parse_clock,
    read_roster,
    roster_changes,
    shift_label,
    workflow_roster,
    write_roster,
)
from flowmodel.imports.tabular import ImportFileError
from flowmodel.validation import validate

DATA = Path(__file__).resolve().parent / "data"


def as_table(teams: dict[str, list[Shift]]) -> dict[str, list[tuple[str, float, float, list[int]]]]:
    return {team: [(s.name, s.start_hour, s.hours, s.headcount) for s in shifts] for team, shifts in teams.items()}


def test_committed_files_are_what_the_generator_writes(tmp_path: Path) -> None:
    for written in write(tmp_path):
        assert written.read_bytes() == (DATA / written.name).read_bytes(), written.name


@pytest.mark.parametrize("name", ["roster_shifts.xlsx", "roster_shifts.csv"])
def test_shift_layout_reads_to_the_stated_table(name: str) -> None:
    roster = read_roster(DATA / name)
    assert roster.layout == "shifts" and roster.people_count is None
    assert as_table(roster.teams) == SHIFTS
    assert list(roster.teams) == ["Tier 1 EN", "Tier 2 ES", "Appeals"]  # file order


def test_workbook_notes_say_rows_continue_the_team_above() -> None:
    roster = read_roster(DATA / "roster_shifts.xlsx")
    assert roster.file == "roster_shifts.xlsx (sheet 'Rota Q3')"
    assert roster.notes == ("4 rows without a team name belong to the team named above them",)


def test_people_aggregate_into_the_hand_computed_shifts() -> None:
    roster = read_roster(DATA / "roster_people.csv")
    assert roster.layout == "people"
    assert roster.people_count == PEOPLE_COUNT
    assert as_table(roster.teams) == {team: PEOPLE_SHIFTS[team] for team in roster.teams}
    assert set(roster.teams) == set(PEOPLE_SHIFTS)
    # 60 people; 6 of them on two schedules: heads × days on shift equals the people's working days
    assert sum(sum(s.headcount) for shifts in roster.teams.values() for s in shifts) == 258


TRICKY = {
    "Tier 1, EN": [Shift("early", 7.0, 8.0, [12, 12, 12, 12, 12, 6, 6]),
                   Shift("half past", 9.5, 7.75, [1, 2, 3, 4, 5, 6, 7]),
                   Shift("third", 9 + 1 / 3, 8.0, [1, 0, 0, 0, 0, 0, 1]),
                   Shift("odd start", 7.123456789, 6.000001, [2, 2, 0, 0, 0, 0, 0]),
                   Shift("night", 22.0, 8.0, [4, 4, 4, 4, 4, 3, 3]),
                   Shift("all day", 0.0, 24.0, [1, 1, 1, 1, 1, 1, 1])],
    "Révision ES": [Shift("22:30–06:00", 22.5, 7.5, [0, 0, 0, 0, 0, 5, 5]),
                    Shift("=SUM(A1)", 0.1, 0.25, [0, 0, 0, 0, 0, 0, 100_000])],
    "Nobody": [],
}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_then_read_gives_the_same_shifts_exactly(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"roster{suffix}"
    assert write_roster(path, TRICKY) == ["Nobody"]
    roster = read_roster(path)
    assert roster.layout == "shifts" and roster.notes == ()
    expected = {team: shifts for team, shifts in TRICKY.items() if shifts}
    assert roster.teams == expected  # Shift equality: names, start and hours as floats, headcounts, exactly
    assert [type(c) for s in roster.teams["Tier 1, EN"] for c in s.headcount] == [int] * 42
    again = tmp_path / f"again{suffix}"
    write_roster(again, roster.teams)
    assert read_roster(again).teams == expected


def test_written_csv_is_layout_a_with_readable_times(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    write_roster(path, {"Appeals": [Shift("night", 22.5, 8, [1, 2, 3, 4, 5, 6, 7]),
                                    Shift("odd", 7.123456789, 8, [0] * 7)]})
    assert path.read_text(encoding="utf-8-sig").splitlines() == [
        "team,shift,start,hours,Mon,Tue,Wed,Thu,Fri,Sat,Sun",
        "Appeals,night,22:30,8,1,2,3,4,5,6,7",
        "Appeals,odd,7.123456789,8,0,0,0,0,0,0,0",
    ]


def test_written_workbook_has_one_roster_sheet(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "roster.xlsx"
    write_roster(path, {"Appeals": [Shift("night", 22.5, 8, [1, 2, 3, 4, 5, 6, 7])]})
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        assert workbook.sheetnames == ["Roster"]
        rows = [list(r) for r in workbook["Roster"].iter_rows(values_only=True)]
    finally:
        workbook.close()
    assert rows == [["team", "shift", "start", "hours", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
                    ["Appeals", "night", "22:30", 8, 1, 2, 3, 4, 5, 6, 7]]


def test_a_shift_the_reader_would_refuse_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("previous", encoding="utf-8")
    with pytest.raises(SaveError, match="team 'Appeals', shift 'bad': length 0 h"):
        write_roster(path, {"Appeals": [Shift("bad", 9, 0, [1] * 7)]})
    assert path.read_text(encoding="utf-8") == "previous"
    with pytest.raises(SaveError, match="could not save"):
        write_roster(tmp_path / "missing folder" / "roster.csv", {"Appeals": [Shift()]})


HEADER = "team,shift,start,hours,Mon,Tue,Wed,Thu,Fri,Sat,Sun\n"
ROW = "Appeals,core,09:00,8,3,3,3,3,3,0,0\n"
PEOPLE_HEADER = "person,team,days,start,end\n"


@pytest.mark.parametrize(("text", "row", "column", "words"), [
    ("team,shift,start,hours,Mnday,Tue\nA,x,9,8,1,1\n", 1, "Mnday", "'Mnday' is not a weekday"),
    ("team,shift,start,hours,Mon,Monday\nA,x,9,8,1,1\n", 1, "Monday", "a second column for Mon"),
    (HEADER + ROW + "Appeals,late,15:00,8,3,-1,3,3,3,0,0\n", 3, "Tue", "headcount -1 is not a whole number"),
    (HEADER + "Appeals,late,15:00,8,3,1.5,3,3,3,0,0\n", 2, "Tue", "headcount 1.5 is not a whole number"),
    (HEADER + "Appeals,late,15:00,8,3,ten,3,3,3,0,0\n", 2, "Tue", "'ten' is not a number"),
    (HEADER + "Appeals,late,15:00,8,3,100001,3,3,3,0,0\n", 2, "Tue", "above the limit of 100,000"),
    (HEADER + "Appeals,late,15:00,0,3,3,3,3,3,0,0\n", 2, "hours", "0 hours is not above 0 and at most 24"),
    (HEADER + ROW + "Appeals,late,15:00,24.5,3,3,3,3,3,0,0\n", 3, "hours", "24.5 hours is not above 0"),
    (HEADER + "Appeals,late,24:00,8,3,3,3,3,3,0,0\n", 2, "start", "start '24:00' is not from 00:00"),
    (HEADER + "Appeals,late,-1,8,3,3,3,3,3,0,0\n", 2, "start", "start '-1' is not from 00:00"),
    (HEADER + "Appeals,late,noon-ish,8,3,3,3,3,3,0,0\n", 2, "start", "'noon-ish' is not a time of day"),
    (HEADER + "Appeals\nQuality\nAppeals,core,9,8,1,1,1,1,1,0,0\n", 3, "team", "team 'Quality' has no shifts"),
    (HEADER + ",core,9,8,1,1,1,1,1,0,0\n", 2, "team", "no team is named"),
    (HEADER + ROW + "appeals,Core,10:00,8,1,1,1,1,1,0,0\n", 3, "shift", "has shift 'Core' twice: rows 2 and 3"),
    ("team,shift,start,end,Mon\nA,x,9:00,9:00,1\n", 2, "end", "the shift ends when it starts"),
    ("team,shift,start,hours,end,Mon\nA,x,9:00,8,18:00,1\n", 2, "hours", "8 hours does not match the end 18:00"),
    (HEADER, 1, None, "the roster has no rows"),
    (PEOPLE_HEADER + "Ana,Appeals,Mon-Fri,22:00,06:00\nBen,Appeals,Sat,9,17\nana,Appeals,Tue,05:00,13:00\n", 4,
     "days", "Ana is on two shifts at once: row 2 (Mon 22:00–06:00) and row 4 (Tue 05:00–13:00)"),
    (PEOPLE_HEADER + "Ana,Appeals,Mon-Funday,9,17\n", 2, "days", "'funday' in 'Mon-Funday' is not a weekday"),
    (PEOPLE_HEADER + "Ana,,Mon,9,17\n", 2, "team", "no team for Ana"),
    (PEOPLE_HEADER + "Ana,Appeals,Mon,9,\n", 2, "end", "no shift length"),
])
def test_bad_rosters_name_file_row_and_column(tmp_path: Path, text: str, row: int, column: str | None,
                                              words: str) -> None:
    path = tmp_path / "planner roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_roster(path)
    error = caught.value
    assert (error.file, error.row, error.column) == ("planner roster.csv", row, column)
    assert words in error.message
    rendered = str(error)
    assert rendered.startswith(f"planner roster.csv, row {row}") and "What to do:" in rendered
    if column:
        assert f"column '{column}'" in rendered


def test_the_committed_bad_file_names_its_cell() -> None:
    with pytest.raises(ImportFileError) as caught:
        read_roster(DATA / "roster_bad.csv")
    assert (caught.value.file, caught.value.row, caught.value.column) == ("roster_bad.csv", 4, "Wed")


def test_end_before_start_wraps_past_midnight_and_hours_may_be_typed_as_a_clock(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Team,Shift name,From,To,Hours,monday,TUESDAY,Wed.,thurs,Fr,sat,Sunday,Total\n"
                    "Nights,,10pm,6am,,1,1,1,1,1,,,5\nNights,,9:30,,7:45,2,,,,,,,2\n", encoding="utf-8")
    roster = read_roster(path)
    assert as_table(roster.teams) == {"Nights": [("22:00–06:00", 22.0, 8.0, [1, 1, 1, 1, 1, 0, 0]),
                                                 ("09:30–17:15", 9.5, 7.75, [2, 0, 0, 0, 0, 0, 0])]}


def test_missing_weekday_columns_are_nobody_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("team,shift,start,hours,Mon,Tue,Wed,Thu,Fri\nA,day,9,8,1,2,3,4,5\n", encoding="utf-8")
    roster = read_roster(path)
    assert roster.teams["A"][0].headcount == [1, 2, 3, 4, 5, 0, 0]
    assert roster.notes == ("no column for Sat, Sun: nobody is rostered then",)


def test_people_with_named_shifts_and_hours(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Name,Team,Working days,Start,Hours,Shift,Email\n"
                    "Ana,Appeals,weekends,22:00,8,night,a@x\nBen,APPEALS,Fri-Mon,22:00,8,night,b@x\n"
                    "Cy,Appeals,daily,09:00,8,,c@x\n", encoding="utf-8")
    roster = read_roster(path)
    assert roster.people_count == 3
    assert as_table(roster.teams) == {"Appeals": [("09:00–17:00", 9.0, 8.0, [1] * 7),
                                                  ("night", 22.0, 8.0, [1, 0, 0, 0, 1, 2, 2])]}
    assert roster.notes == ("columns not used: 'Email'", "'APPEALS' is read as team 'Appeals' (names match "
                            "whatever their case and spacing)")


def test_a_named_shift_with_two_different_times_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("person,team,days,start,end,shift\nAna,A,Mon,9,17,day\nBen,A,Tue,10,18,day\n",
                    encoding="utf-8")
    with pytest.raises(ImportFileError, match="shift 'day' of team 'A' is 09:00–17:00 on row 2 but 10:00–18:00"):
        read_roster(path)


@pytest.mark.parametrize(("cell", "hours"), [
    ("09:00", 9.0), ("9", 9.0), ("9:30", 9.5), ("9:30:36", 9.51), ("9.5", 9.5), ("5pm", 17.0), ("12am", 0.0),
    ("12:30 PM", 12.5), ("7h15", 7.25), (17, 17.0), ("24:00", 24.0), ("9:75", None), ("13pm", None), ("x", None),
])
def test_clock_cells(cell: object, hours: float | None) -> None:
    assert parse_clock(cell) == (pytest.approx(hours, abs=1e-12) if hours is not None else None)


def test_clock_text_reads_back_to_the_same_number() -> None:
    for hours in (0.0, 9.5, 9 + 1 / 3, 23 + 59 / 60, 0.1, 13.75):
        assert parse_clock(format_clock(hours)) == hours
    assert shift_label(22, 8) == "22:00–06:00" and shift_label(0, 24) == "00:00–00:00"


def roster_workflow() -> Workflow:
    workflow = Workflow(name="Roster preview")
    workflow.add_team(Team(name="tier 1 en", contract_hours=40, shifts=[Shift("day", 9, 8, [10] * 5 + [0, 0])]))
    workflow.add_team(Team(name="Quality", shifts=[Shift("day", 9, 8, [2] * 7)]))
    return workflow


def test_preview_lists_paid_hours_before_and_after_and_unmatched_teams() -> None:
    workflow = roster_workflow()
    before = {team.id: list(team.shifts) for team in workflow.teams.values()}
    roster = read_roster(DATA / "roster_shifts.csv")
    preview = roster_changes(workflow, roster)
    assert preview.not_in_workflow == ("Tier 2 ES", "Appeals") and preview.not_in_file == ("Quality",)
    (change,) = preview.changes
    assert (change.team_name, change.file_name, change.changed) == ("tier 1 en", "Tier 1 EN", True)
    # before: 10 heads × 5 days × 8 h; after: 8 h × (72 early + 59 late + 26 night) head-days
    assert change.paid_hours_before == 400.0
    assert change.paid_hours_after == 8 * (72 + 59 + 26) == 1256.0
    assert (change.fte_before, change.fte_after) == (10.0, 31.4)
    assert {team.id: list(team.shifts) for team in workflow.teams.values()} == before  # nothing applied yet

    new = apply_roster(workflow, preview)
    tier1 = workflow.team_by_name("tier 1 en")
    assert list(new) == [tier1.id] and new[tier1.id] == roster.teams["Tier 1 EN"]
    new[tier1.id][0].headcount[0] = 99  # the caller's lists are its own
    assert roster.teams["Tier 1 EN"][0].headcount[0] == 12
    tier1.shifts = apply_roster(workflow, preview)[tier1.id]
    assert tier1.paid_hours_per_week() == change.paid_hours_after
    assert not roster_changes(workflow, roster).changes[0].changed


def test_workflow_roster_exports_and_reimports(tmp_path: Path) -> None:
    workflow = roster_workflow()
    path = tmp_path / "teams.xlsx"
    write_roster(path, workflow_roster(workflow))
    preview = roster_changes(workflow, read_roster(path))
    assert [c.changed for c in preview.changes] == [False, False]
    assert preview.not_in_workflow == () and preview.not_in_file == ()


@pytest.mark.parametrize(("days", "worked"), [
    ("Mon-Fri", "1111100"), ("Mon - Fri", "1111100"), ("Monday to Friday", "1111100"), ("Fri–Mon", "1000111"),
    ("Mon,Wed,Fri", "1010100"), ("Mon Wed Fri", "1010100"), ("Tue and Thu", "0101000"), ("Sat", "0000010"),
    ("weekdays", "1111100"), ("Weekends", "0000011"), ("daily", "1111111"), ("Every day", "1111111"),
    ("Mon-Wed, Sat", "1110010"), ("sun", "0000001"),
])
def test_days_cells(tmp_path: Path, days: str, worked: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f'person,team,days,start,end\nAna,A,"{days}",9,17\n', encoding="utf-8")
    (shift,) = read_roster(path).teams["A"]
    assert "".join(str(c) for c in shift.headcount) == worked


def test_people_without_a_days_column_are_told_so(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("person,team,start,end\nAna,A,9,17\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no days column") as caught:
        read_roster(path)
    assert caught.value.row == 1


def test_semicolon_csv_with_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "rooster.csv"
    path.write_text("Team;Shift;Start;Hours;Mon;Tue;Wed;Thu;Fri;Sat;Sun\nA;early;7:30;7,5;1;1;1;1;1;0;0\n",
                    encoding="cp1252")
    assert as_table(read_roster(path).teams) == {"A": [("early", 7.5, 7.5, [1, 1, 1, 1, 1, 0, 0])]}


def test_workbook_with_times_as_lengths_and_a_chosen_sheet(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "rota.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Cover")
    sheet = workbook.add_worksheet("Weeks")
    clock = workbook.add_format({"num_format": "hh:mm"})
    sheet.write_row(0, 0, ["Team", "Start", "Hours", "Mon", "Sun"])
    sheet.write_row(1, 0, ["A"])
    sheet.write_datetime(1, 1, time(22, 30), clock)
    sheet.write_datetime(1, 2, time(7, 45), clock)
    sheet.write_row(1, 3, [3, 1])
    workbook.close()
    roster = read_roster(path, sheet="weeks")
    assert as_table(roster.teams) == {"A": [("22:30–06:15", 22.5, 7.75, [3, 0, 0, 0, 0, 0, 1])]}
    assert roster.file == "rota.xlsx (sheet 'Weeks')"
    with pytest.raises(ImportFileError, match="no sheet 'Rota'"):
        read_roster(path, sheet="Rota")


@pytest.mark.parametrize(("teams", "words"), [
    ({"": [Shift()]}, "a team without a name"),
    ({"Appeals": [Shift()], "APPEALS": [Shift()]}, "differ only in case"),
    ({"Appeals": [Shift("day"), Shift("Day", 14)]}, "a second shift of that name"),
    ({"Appeals": [Shift("day", 24, 8)]}, "start 24 is not from 0 to below 24"),
    ({"Appeals": [Shift("day", 9, 8, [1, 2, 3])]}, "is not 7 whole numbers"),
])
def test_rosters_that_would_not_read_back_are_not_written(tmp_path: Path, teams: dict[str, list[Shift]],
                                                           words: str) -> None:
    path = tmp_path / "roster.xlsx"
    with pytest.raises(SaveError, match=words):
        write_roster(path, teams)
    assert not path.exists()


def test_preview_in_words() -> None:
    workflow = roster_workflow()
    preview = roster_changes(workflow, read_roster(DATA / "roster_shifts.csv"))
    assert describe_preview(preview) == [
        "tier 1 en: 1 → 3 shifts, paid hours 400.0 → 1,256.0 per week (10.0 → 31.4 FTE)",
        "not in the workflow, left out: Tier 2 ES, Appeals",
        "not in the file, unchanged: Quality",
    ]


def test_a_heading_row_with_a_note_beside_it_is_still_a_heading(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("team,shift,start,hours,Mon,Tue,Wed,Thu,Fri,Sat,Sun,notes\nAppeals,,,,,,,,,,,from July\n"
                    ",core,9,8,1,1,1,1,1,,,\n,,,,,,,,,,,cover from Tier 1 in August\n", encoding="utf-8")
    assert as_table(read_roster(path).teams) == {"Appeals": [("core", 9.0, 8.0, [1, 1, 1, 1, 1, 0, 0])]}


def test_people_shift_names_match_whatever_their_case(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("person,team,days,start,end,shift\nAna,A,Mon,22,6,Night\nBen,A,Tue,22,6,night\n",
                    encoding="utf-8")
    assert as_table(read_roster(path).teams) == {"A": [("Night", 22.0, 8.0, [1, 1, 0, 0, 0, 0, 0])]}


NAMES = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=12).map(
    str.strip).filter(bool)
START = st.one_of(st.floats(0, 24, exclude_max=True), st.integers(0, 23 * 60).map(lambda m: m / 60))
ANY_SHIFT = st.builds(Shift, name=NAMES, start_hour=START, hours=st.floats(0, 24, exclude_min=True),
                      headcount=st.lists(st.integers(0, 100_000), min_size=7, max_size=7))
TEAMS = st.dictionaries(NAMES, st.lists(ANY_SHIFT, min_size=1, max_size=3, unique_by=lambda s: s.name.casefold()),
                        min_size=1, max_size=3).filter(lambda t: len({n.casefold() for n in t}) == len(t))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(teams=TEAMS)
def test_any_roster_round_trips_exactly(tmp_path: Path, suffix: str, teams: dict[str, list[Shift]]) -> None:
    path = tmp_path / f"roster{suffix}"
    write_roster(path, teams)
    assert read_roster(path).teams == teams


def test_an_applied_people_roster_validates_and_staffs_the_night_as_the_engine_counts_it(tmp_path: Path) -> None:
    workflow = make_triage_workflow()
    path = tmp_path / "people.csv"
    path.write_text("person,team,days,start,end\n" + "".join(f"P{k},generalists,daily,22:00,06:00\n" for k in range(3))
                    + "Q1,Generalists,Mon-Fri,6:00,22:00\n", encoding="utf-8")
    team = workflow.team_by_name("Generalists")
    team.shifts = apply_roster(workflow, roster_changes(workflow, read_roster(path)))[team.id]
    assert [i.render() for i in validate(workflow) if i.severity == "error"] == []
    # Monday 23:00 and Tuesday 05:00 are Monday's night shift; Monday 06:00 is the day shift's first hour
    assert [team.rostered_at(h) for h in (23, 29, 6, 21.99, 0.5)] == [3, 3, 1, 1, 3]
    assert team.paid_hours_per_week() == 3 * 8 * 7 + 16 * 5


def test_a_shift_roster_may_call_the_shift_column_name(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Team,Name,Start,End,Mon,Tue,Wed,Thu,Fri,Sat,Sun\nA,late,14:00,22:00,1,1,1,1,1,1,1\n",
                    encoding="utf-8")
    roster = read_roster(path)
    assert roster.layout == "shifts" and as_table(roster.teams) == {"A": [("late", 14.0, 8.0, [1] * 7)]}


def test_a_roster_past_the_row_cap_is_refused() -> None:
    with pytest.raises(ImportFileError, match="more than 40 data rows") as caught:
        read_roster(DATA / "roster_people.csv", max_rows=40)
    assert caught.value.row == 42  # the header is row 1


def test_team_names_match_whatever_their_spacing(tmp_path) -> None:
    workflow = make_triage_workflow()
    team = next(iter(workflow.teams.values()))
    spaced = "  " + team.name.upper().replace(" ", "   ") + " "
    path = tmp_path / "roster.csv"
    path.write_text("team,shift,start,hours,Mon,Tue,Wed,Thu,Fri,Sat,Sun\n"
                    f"{spaced},early,06:00,8,3,3,3,3,3,1,1\n", encoding="utf-8")
    preview = roster_changes(workflow, read_roster(path))
    assert [change.team_id for change in preview.changes] == [team.id]  # matched, not "not in the workflow"
