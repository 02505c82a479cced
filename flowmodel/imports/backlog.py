"""Today's backlog from the queues' export (a CSV or XLSX): a :class:`~flowmodel.start_state.StartState` preview.

Rules:
- Columns (headers matched case- and spacing-insensitively, :func:`flowmodel.imports.tabular.find_column`):
  ``stage`` (a review stage's name, case-insensitive, or its id) — required; ``count`` — optional, the items the row
  stands for (a whole number ≥ 0; without the column every row is one item); the age, either an ``age`` column with
  its unit in the header (``age_h``, ``age_min``, ``Age (minutes)``, ``age_days``, ``age_s``) or a ``created``
  timestamp (age = ``now`` − created; ``now`` defaults to the current time, naive timestamps are read in
  ``timezone``: the caller's, else the first source's, else UTC); optional ``category``, ``language`` and
  ``priority`` (empty cells and missing columns take :class:`flowmodel.nodes.MixEntry`'s defaults).
- Rows are grouped by (stage, category, language, priority) in the order they first appear; each group becomes one
  entry with one age per item (rounded to :data:`AGE_DECIMALS` decimals of an hour).
- Every bad cell is an :class:`~flowmodel.imports.tabular.ImportFileError` naming the file, row and column and
  saying what to do: an unknown stage (the stages are listed), a count that is not a whole number ≥ 0, an age below
  0, a creation time after ``now``, text in a number column. A file without data rows, or with more than
  :data:`flowmodel.limits.MAX_BACKLOG_ITEMS` items, is refused. Nothing in the workflow changes here: the caller
  applies the preview (:func:`backlog_changes` says what would change).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flowmodel.imports.tabular import (
    Table,
    TimestampParser,
    find_column,
    is_empty,
    normalise_header,
    number_cell,
    open_table,
    zone_of,
)
from flowmodel.limits import MAX_BACKLOG_ITEMS
from flowmodel.nodes import MixEntry, ReviewStage, Source
from flowmodel.start_state import BacklogEntry, StartState
from flowmodel.workflow import Workflow

STAGE_NAMES = ("stage", "stage_name", "queue", "stage_id", "node")
COUNT_NAMES = ("count", "items", "backlog", "n")
CREATED_NAMES = ("created", "created_at", "creation_time", "reported_at", "timestamp", "created_utc")
ATTRIBUTE_NAMES = {"category": ("category", "policy_area", "policy"), "language": ("language", "lang", "locale"),
                   "priority": ("priority", "prio", "severity")}
#: Hours per unit word that may end an age header.
AGE_UNITS: dict[str, float] = {"s": 1 / 3600, "sec": 1 / 3600, "secs": 1 / 3600, "second": 1 / 3600,
                               "seconds": 1 / 3600, "m": 1 / 60, "min": 1 / 60, "mins": 1 / 60, "minute": 1 / 60,
                               "minutes": 1 / 60, "h": 1.0, "hr": 1.0, "hrs": 1.0, "hour": 1.0, "hours": 1.0,
                               "d": 24.0, "day": 24.0, "days": 24.0}
AGE_DECIMALS = 4


def read_backlog(path: str | Path, workflow: Workflow, *, sheet: str | None = None, now: datetime | None = None,
                 timezone: str | None = None) -> StartState:
    """The backlog in ``path`` as a start state for ``workflow`` (see the module rules); changes nothing."""
    table = open_table(path, sheet=sheet)
    stages = _stage_lookup(workflow)
    stage_column = find_column(table, STAGE_NAMES, what="stage")
    count_column = find_column(table, COUNT_NAMES, what="count", required=False)
    age_column, hours_per_unit = _age_column(table)
    created_column = None if age_column is not None else find_column(table, CREATED_NAMES, what="created",
                                                                      required=False)
    if age_column is None and created_column is None:
        raise table.error("no age or creation-time column", row=table.header_row,
                          hint="add a column 'age_h' (or age_min, age_days) with each item's age, or 'created' "
                               "with its creation time")
    attributes = {name: find_column(table, aliases, what=name, required=False)
                  for name, aliases in ATTRIBUTE_NAMES.items()}
    moment = (now or datetime.now(UTC))
    zone = zone_of(timezone or _first_zone(workflow))
    moment = moment.replace(tzinfo=zone).astimezone(UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    parser = TimestampParser(table, created_column) if created_column is not None else None
    groups: dict[tuple[str, str, str, str], list[float]] = {}
    total = 0
    rows = 0
    for row, cells in table.rows():
        rows += 1
        stage = _stage(cells[stage_column], stages, table, row, stage_column)
        count = _count(cells[count_column], table, row, count_column) if count_column is not None else 1
        if age_column is not None:
            age = number_cell(cells[age_column], table=table, row=row, column=age_column) * hours_per_unit
            if age < 0:
                raise table.error(f"the age {cells[age_column]!r} is below 0", row=row, column=age_column,
                                  hint="an age is how long the item has existed already")
        else:
            assert parser is not None and created_column is not None
            created = parser.parse_utc(cells[created_column], row=row, zone=zone)
            age = (moment - created).total_seconds() / 3600.0
            if age < 0:
                raise table.error(f"created {created:%Y-%m-%d %H:%M} UTC, after now ({moment:%Y-%m-%d %H:%M} UTC)",
                                  row=row, column=created_column,
                                  hint="give the time the export was taken as 'now', or check the dates' zone")
        key = (stage, *(_attribute(cells, attributes[name], name) for name in ATTRIBUTE_NAMES))
        total += count
        if total > MAX_BACKLOG_ITEMS:
            raise table.error(f"more than {MAX_BACKLOG_ITEMS:,} items", row=row,
                              hint="that is more than a run can hold at one stage; check the counts")
        groups.setdefault(key, []).extend([round(age, AGE_DECIMALS)] * count)  # type: ignore[arg-type]
    if rows == 0:
        raise table.error("the table has a header but no rows", row=table.header_row,
                          hint="export the queues with their items, one row per item or per group")
    entries = [BacklogEntry(stage, len(ages), category, language, priority, ages_h=ages)
               for (stage, category, language, priority), ages in groups.items()]
    how = f"ages as of {moment:%Y-%m-%d %H:%M} UTC" if created_column is not None else "ages as given"
    return StartState(entries, note=f"{table.file}: {rows:,} rows, {total:,} items, {how}")


def backlog_changes(workflow: Workflow, state: StartState) -> list[str]:
    """What applying ``state`` would change, per stage, in words ("Tier 1: 0 → 340 items")."""
    before = workflow.start_state.by_stage() if workflow.start_state is not None else {}
    after = state.by_stage()
    lines = []
    for stage_id in list(dict.fromkeys([*before, *after])):
        node = workflow.nodes.get(stage_id)
        name = node.name if node is not None else stage_id
        old, new = before.get(stage_id, 0), after.get(stage_id, 0)
        if old != new:
            lines.append(f"{name}: {old:,} → {new:,} items")
    if not lines and (workflow.start_state or StartState()).entries != state.entries:
        lines.append("same counts per stage; the items' ages or mix change")
    return lines


def _stage_lookup(workflow: Workflow) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for node in workflow.nodes.values():
        if isinstance(node, ReviewStage):
            lookup.setdefault(node.name.strip().lower(), node.id)
            lookup[node.id] = node.id
    return lookup


def _stage(value: object, stages: dict[str, str], table: Table, row: int, column: int) -> str:
    text = "" if value is None else str(value).strip()
    found = stages.get(text) or stages.get(text.lower())
    if found is None:
        names = sorted({key for key, stage_id in stages.items() if key != stage_id})
        raise table.error(f"{text!r} is not a review stage of the workflow" if text else "the stage is empty",
                          row=row, column=column,
                          hint=f"use one of the review stages' names: {', '.join(names) or 'none'}")
    return found


def _count(value: object, table: Table, row: int, column: int) -> int:
    number = number_cell(value, table=table, row=row, column=column)
    if number < 0 or number != int(number):
        raise table.error(f"the count {value!r} is not a whole number of items ≥ 0", row=row, column=column,
                          hint="write how many items the row stands for (1 for one item)")
    return int(number)


def _age_column(table: Table) -> tuple[int | None, float]:
    """The age column and its hours per unit; an ``age`` header without a known unit is refused."""
    for index, header in enumerate(table.headers):
        name = normalise_header(header.replace("(", " ").replace(")", " "))
        if name != "age" and not name.startswith("age_"):
            continue
        unit = name[4:].removeprefix("in_")
        if unit not in AGE_UNITS:
            raise table.error(f"the age column does not say its unit{f' ({unit!r} is not one)' if unit else ''}",
                              row=table.header_row, column=index,
                              hint="name it age_h, age_min, age_days or age_s (or 'Age (hours)')")
        return index, AGE_UNITS[unit]
    return None, 1.0


def _attribute(cells: list[object], column: int | None, name: str) -> str:
    if column is None or is_empty(cells[column]):
        return str(getattr(MixEntry(), name))
    return str(cells[column]).strip()


def _first_zone(workflow: Workflow) -> str:
    return next((n.timezone for n in workflow.nodes.values() if isinstance(n, Source)), "UTC")
