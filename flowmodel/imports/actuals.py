"""Reading what really happened, day by day (CSV or XLSX), for a back-test (:mod:`simulations.backtest`).

Rules:
- One row per day (and per stage, when the file has a stage column): a date column (date, day) and any of the
  figures *decided* (decided, throughput, completed, reviewed, closed), *backlog* — items waiting at the end of
  the day (backlog, backlog_end, open, waiting, queue) — and *created* (created, arrivals, incoming, new). At
  least one figure column is needed; a row may leave a figure empty (that day is then not compared for it).
- Without a stage column a row describes the whole workflow; with one, the stage named (by name or id, matched
  against the workflow by the back-test, not here). A blank stage cell is the whole workflow too.
- A day is a local calendar day of the volume history's zone; a date with a time of day other than midnight is
  refused (one row per day, not per hour). Figures are numbers ≥ 0.
- The same day (and stage) twice is an error naming both rows; nothing is summed silently.
- Streamed through :func:`flowmodel.imports.tabular.open_table`, so a huge file is capped, not loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from flowmodel.imports.tabular import (
    MAX_IMPORT_ROWS,
    Table,
    TimestampParser,
    find_column,
    is_empty,
    number_cell,
    open_table,
)

FIGURES: tuple[str, ...] = ("decided", "backlog", "created")
FIGURE_WORDS = {"decided": "decided per day", "backlog": "backlog at the end of the day",
                "created": "created per day"}
DATE_ALIASES = ("date", "day", "local_date", "report_date")
FIGURE_ALIASES: dict[str, tuple[str, ...]] = {
    "decided": ("decided", "throughput", "completed", "reviewed", "closed", "decisions"),
    "backlog": ("backlog", "backlog_end", "end_of_day_backlog", "open", "waiting", "queue"),
    "created": ("created", "arrivals", "incoming", "new", "created_count"),
}
STAGE_ALIASES = ("stage", "queue_name", "review_stage", "step")
WHOLE_WORKFLOW = ""  # the scope of a row without a stage


@dataclass(frozen=True)
class DailyActuals:
    """Actual figures per (figure, stage) and day; stage ``""`` is the whole workflow."""

    file: str
    values: dict[tuple[str, str], dict[date, float]]
    notes: tuple[str, ...] = ()
    rows: dict[tuple[str, str, date], int] = field(default_factory=dict)  # (figure, stage, day) → file row

    def series(self) -> list[tuple[str, str]]:
        """(figure, stage) pairs the file has, figures in :data:`FIGURES` order, then stages as first read."""
        order = {name: i for i, name in enumerate(FIGURES)}
        return sorted(self.values, key=lambda key: order[key[0]])

    def days(self) -> list[date]:
        return sorted({day for by_day in self.values.values() for day in by_day})

    def stages(self) -> list[str]:
        return list(dict.fromkeys(stage for _, stage in self.values if stage != WHOLE_WORKFLOW))


def read_actuals(path: str | Path, *, sheet: str | None = None, max_rows: int = MAX_IMPORT_ROWS) -> DailyActuals:
    """Read a file of daily actuals (see the module rules); faults are ImportFileErrors naming row and column."""
    table = open_table(path, sheet=sheet, max_rows=max_rows)
    day_column = find_column(table, DATE_ALIASES, what="date")
    assert day_column is not None
    columns = {figure: find_column(table, aliases, what=figure, required=False)
               for figure, aliases in FIGURE_ALIASES.items()}
    present = {figure: column for figure, column in columns.items() if column is not None}
    if not present:
        wanted = "; ".join(f"{figure}: {', '.join(repr(a) for a in FIGURE_ALIASES[figure][:3])}" for figure in FIGURES)
        raise table.error("no figure column to compare with", row=table.header_row,
                          hint=f"name at least one column for a daily figure ({wanted}); the file's columns are "
                          f"{', '.join(repr(h) for h in table.headers)}")
    stage_column = find_column(table, STAGE_ALIASES, what="stage", required=False)
    parser = TimestampParser(table, day_column)
    values: dict[tuple[str, str], dict[date, float]] = {}
    rows: dict[tuple[str, str, date], int] = {}
    seen: dict[tuple[str, date], int] = {}
    any_row = False
    for row, cells in table.rows():
        any_row = True
        day = _day(parser, table, row, cells[day_column], day_column)
        stage = "" if stage_column is None or is_empty(cells[stage_column]) else str(cells[stage_column]).strip()
        if (stage, day) in seen:
            what = f"{day.isoformat()}" + (f" at stage {stage!r}" if stage else "")
            raise table.error(f"{what} is given twice (rows {seen[(stage, day)]} and {row})", row=row,
                              column=day_column, hint="keep one row per day (and stage); delete the duplicate")
        seen[(stage, day)] = row
        for figure, column in present.items():
            if is_empty(cells[column]):
                continue
            value = number_cell(cells[column], table=table, row=row, column=column)
            if value < 0:
                raise table.error(f"{value:g} is below 0", row=row, column=column,
                                  hint=f"a count of items {FIGURE_WORDS[figure]} is 0 or more")
            values.setdefault((figure, stage), {})[day] = value
            rows[(figure, stage, day)] = row
    if not any_row:
        raise table.error("the table has a header but no data rows", row=table.header_row,
                          hint="add one row per day: date and the day's figures")
    if not values:
        raise table.error("no row has a figure", hint="fill in the daily figures")
    return DailyActuals(table.file, values, tuple(_notes(table, present, values)), rows)


def _day(parser: TimestampParser, table: Table, row: int, value: object, column: int) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    moment = parser.parse(value, row=row)
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)
    if moment.time() != time():
        raise table.error(f"{value!r} has a time of day; a date is needed", row=row, column=column,
                          hint="give one row per day, e.g. 2026-03-09 (the day in the history's time zone)")
    return moment.date()


def _notes(table: Table, present: dict[str, int], values: dict[tuple[str, str], dict[date, float]]) -> list[str]:
    found = ", ".join(f"{FIGURE_WORDS[figure]} ('{table.column_name(column)}')" for figure, column in present.items())
    days = sorted({day for by_day in values.values() for day in by_day})
    notes = [f"{table.file}: {len(days)} days from {days[0].isoformat()} to {days[-1].isoformat()}; figures: {found}"]
    gaps = [d for d in (days[0].fromordinal(o) for o in range(days[0].toordinal(), days[-1].toordinal() + 1))
            if d not in set(days)]
    if gaps:
        notes.append(f"{table.file}: {len(gaps)} day(s) inside the span have no row (first {gaps[0].isoformat()}); "
                     "they are not compared")
    return notes
