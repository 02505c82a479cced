"""Today's backlog read from the queues' export: the generated file's known truth, other layouts, and bad cells."""

from __future__ import annotations

import csv
import statistics
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xlsxwriter

from flowmodel.imports.backlog import backlog_changes, read_backlog
from flowmodel.imports.tabular import ImportFileError
from flowmodel.jsonfile import read_workflow_json
from flowmodel.validation import validate
from tests.data_gen import backlog as truth

EXAMPLE = read_workflow_json("examples/user_report_triage.flow.json")
DATA = Path("tests/data") / truth.FILE
STAGE_ID = {node.name: node.id for node in EXAMPLE.nodes.values()}


def _write(tmp_path: Path, rows: list[list[object]], name: str = "queues.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_the_generated_backlog_is_read_as_its_parameters_say(tmp_path: Path) -> None:
    assert truth.write(tmp_path)[0].read_bytes() == DATA.read_bytes()  # the committed file is the generator's
    state = read_backlog(DATA, EXAMPLE, now=truth.NOW_UTC)
    assert state.by_stage() == {STAGE_ID[name]: count for name, count in truth.STAGE_COUNTS.items()}
    ages = [age for entry in state.entries for age in entry.ages_h]
    assert len(ages) == 500 and all(0 <= age <= truth.MAX_AGE_H for age in ages)
    assert statistics.mean(ages) == pytest.approx(truth.MEAN_AGE_H, abs=1.0)  # sd of the mean ≈ 0.27 h
    with DATA.open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    created = datetime.strptime(first["created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    entry = next(e for e in state.entries if (e.category, e.priority) == (first["category"], first["priority"]))
    assert entry.stage == STAGE_ID[first["stage"]]
    assert entry.ages_h[0] == round((truth.NOW_UTC - created).total_seconds() / 3600, 4)
    assert {(e.category, e.priority) for e in state.entries} <= set(truth.MIX)
    assert "500 items" in state.note
    assert backlog_changes(EXAMPLE, state) == ["Tier 1 review: 0 → 420 items", "Specialist review: 0 → 80 items"]
    workflow = EXAMPLE.copy()
    workflow.start_state = state
    assert [i.rule for i in validate(workflow) if i.rule.startswith("start-")] == ["start-warmup"]
    assert EXAMPLE.start_state is None  # reading changed nothing


def test_counts_and_an_age_column_in_minutes_from_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "queues.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Queues")
    for r, row in enumerate([["Queue", "Items", "Age (minutes)", "Priority"], ["tier 1 REVIEW", 3, 90, "P1"],
                             [STAGE_ID["Specialist review"], 2, 30, ""]]):
        sheet.write_row(r, 0, row)
    book.close()
    state = read_backlog(path, EXAMPLE, sheet="Queues")
    assert [(e.stage, e.count, e.priority, e.ages_h) for e in state.entries] == [
        (STAGE_ID["Tier 1 review"], 3, "P1", [1.5] * 3), (STAGE_ID["Specialist review"], 2, "P2", [0.5] * 2)]
    assert state.entries[0].category == "general"


def test_naive_creation_times_are_read_in_the_sources_zone(tmp_path: Path) -> None:
    path = _write(tmp_path, [["stage", "created"], ["Tier 1 review", "2026-03-09 04:00"]])
    state = read_backlog(path, EXAMPLE, now=datetime(2026, 3, 9, 12, 0, tzinfo=UTC))  # New York: UTC−4 on 9 March
    assert state.entries[0].ages_h == [4.0]


@pytest.mark.parametrize(("rows", "row", "column", "words"), [
    ([["stage", "age_h"], ["Tier 1 review", 2], ["Tier 9", 1]], 3, "stage", "'Tier 9' is not a review stage"),
    ([["stage", "age_h"], ["Report classifier", 1]], 2, "stage", "is not a review stage"),
    ([["stage", "count", "age_h"], ["Tier 1 review", 2.5, 1]], 2, "count", "is not a whole number"),
    ([["stage", "count", "age_h"], ["Tier 1 review", -1, 1]], 2, "count", "is not a whole number"),
    ([["stage", "age_h"], ["Tier 1 review", "two"]], 2, "age_h", "'two' is not a number"),
    ([["stage", "age_h"], ["Tier 1 review", -3]], 2, "age_h", "below 0"),
    ([["stage", "age"], ["Tier 1 review", 3]], 1, "age", "does not say its unit"),
    ([["stage", "created"], ["Tier 1 review", "2026-03-10T00:00:00Z"]], 2, "created", "after now"),
    ([["stage", "created"], ["Tier 1 review", "yesterday"]], 2, "created", "is not a date and time"),
])
def test_bad_cells_name_the_file_row_and_column(tmp_path: Path, rows: list, row: int, column: str,
                                                words: str) -> None:
    path = _write(tmp_path, rows)
    with pytest.raises(ImportFileError) as caught:
        read_backlog(path, EXAMPLE, now=datetime(2026, 3, 9, 9, tzinfo=UTC))
    error = caught.value
    assert (error.file, error.row, error.column) == ("queues.csv", row, column)
    assert words in error.message
    assert error.hint


def test_files_without_what_is_needed_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no age or creation-time column"):
        read_backlog(_write(tmp_path, [["stage", "priority"], ["Tier 1 review", "P1"]]), EXAMPLE)
    with pytest.raises(ImportFileError, match="no stage column"):
        read_backlog(_write(tmp_path, [["queue_name", "age_h"], ["Tier 1 review", 1]]), EXAMPLE)
    with pytest.raises(ImportFileError, match="no rows"):
        read_backlog(_write(tmp_path, [["stage", "age_h"]]), EXAMPLE)
    with pytest.raises(ImportFileError, match="no such file"):
        read_backlog(tmp_path / "missing.csv", EXAMPLE)
