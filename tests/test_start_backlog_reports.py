"""Today's backlog in the comparison, the findings and every export, against runs whose numbers follow by hand.

The model: one stage, fixed 30-minute reviews, no arrivals to speak of (1e-9 an hour), 10 items aged 30 min
waiting at the start, SLA P2 90 % within 1 h of creation. With c reviewers the items start review in groups of c
every 30 min, so the last begins at (⌈10/c⌉ − 1) × 0.5 h and ends 0.5 h later; an item meets the SLA only when
it is done by 0.5 h after the start (1 h after its creation), i.e. the first c of them:
- c = 2: cleared 2 h after the start, last review done 2.5 h, 2 of 10 on time (80 % miss);
- c = 1: cleared 4.5 h, last review done 5 h, 1 of 10 on time (90 % miss).
Over 1.25 h with c = 2, six items have begun review (at 0, 0.5, 1 h) and 4 still wait: never cleared.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import zipfile

import openpyxl
import pytest
from engine_models import single_stage

from flowmodel import Change, Distribution, RunSettings, Scenario, SlaTarget
from flowmodel.fingerprint import workflow_fingerprint
from flowmodel.start_state import BacklogEntry, StartState
from flowmodel.workflow import Workflow
from reports.comparison import Comparison, build_comparison
from reports.data_export import csv_bytes, json_bytes, zip_bytes
from reports.findings import write_findings
from reports.report_html import report_html
from reports.start_backlog_words import cell_text
from reports.xlsx_export import xlsx_bytes
from simulations.executors import make_executor
from simulations.runner import RunResult, run_scenarios

NEVER = 1e-9
ONE = "One reviewer"
NOTE = "queues.csv at 08:00"


def waiting(*, start_state: bool = True, handle: Distribution | None = None, rate_per_hour: float = NEVER) -> Workflow:
    workflow = single_stage(rate_per_hour, handle or Distribution.fixed(30, "min"), 2,
                            sla=[SlaTarget("P2", 1, "h", 0.9)])
    if start_state:
        workflow.start_state = StartState([BacklogEntry(stage="review", count=10, ages_h=[0.5] * 10)], note=NOTE)
    workflow.put_scenario(Scenario(name=ONE, id="one", changes=[
        Change("team", "shifts.all day.headcount", "set", [1] * 7)]))
    return workflow


def run(workflow: Workflow, hours: float, scenarios: list[str | None], replications: int = 3,
        seed: int = 1) -> RunResult:
    settings = RunSettings(horizon_hours=hours, warmup_hours=0.0, replications=replications, seed=seed)
    return run_scenarios(workflow, scenarios, settings, executor=make_executor(jobs=1))


@pytest.fixture(scope="module")
def drained() -> tuple[Workflow, Comparison]:
    workflow = waiting()
    return workflow, build_comparison(run(workflow, 6.0, [None, "one"]), workflow, run_id="run-1")


@pytest.fixture(scope="module")
def never() -> Comparison:
    workflow = waiting()
    return build_comparison(run(workflow, 1.25, [None]), workflow)


def mean(comparison: Comparison, metric: str, position: int = 0, scope: str = "all") -> float:
    summary = comparison.figure("start_backlog", scope, metric).summaries[position]
    assert summary is not None
    return summary.mean


def test_the_key_figures_are_the_hand_computed_times(drained) -> None:
    _, comparison = drained
    group = [f for f in comparison.figures if f.group == "Today's backlog"]
    assert [f.label for f in group] == [
        "Backlog at start: all stages", "Backlog cleared after start: all stages",
        "Last backlog review done after start: all stages", "Backlog left at end: all stages",
        "Backlog items expired: all stages", "Backlog SLA met: Review · P2"]  # one stage: no per-stage repeat
    assert mean(comparison, "start_count") == 10
    assert mean(comparison, "cleared_h") == pytest.approx(2.0, abs=1e-9)  # (⌈10/2⌉ − 1) × 0.5 h
    assert mean(comparison, "reviewed_h") == pytest.approx(2.5, abs=1e-9)
    assert mean(comparison, "cleared_h", 1) == pytest.approx(4.5, abs=1e-9)  # one reviewer: 9 × 0.5 h
    assert mean(comparison, "reviewed_h", 1) == pytest.approx(5.0, abs=1e-9)
    assert mean(comparison, "sla_attainment_share", 0, "review:P2") == pytest.approx(0.2, abs=1e-12)
    assert mean(comparison, "sla_attainment_share", 1, "review:P2") == pytest.approx(0.1, abs=1e-12)
    assert mean(comparison, "left_end_count") == 0 and mean(comparison, "expired_count") == 0
    cleared = comparison.figure("start_backlog", "all", "cleared_h")
    assert cleared.not_reached == ((0, 3), (0, 3))
    assert cleared.deltas[1] is not None and cleared.deltas[1].delta_mean == pytest.approx(2.5, abs=1e-9)
    # the backlog's SLA rows are not SLA targets: the run's own SLA row is there once, under its group
    assert [f.group for f in comparison.figures if f.scope_kind == "priority" and f.metric == "sla_attainment_share"
            ] == ["SLA attainment"]


def test_the_findings_say_when_the_backlog_is_cleared(drained) -> None:
    _, comparison = drained
    findings = write_findings(comparison)
    assert ("Under 'Baseline', today's backlog of 10 items is cleared 2 h after the start; 80 % of its P2 items "
            "miss their SLA.") in findings.general
    one = findings.by_scenario[0]
    assert one.headlines[0] == ("Today's backlog of 10 items is cleared 4.50 h after the start; 90 % of its P2 items "
                                "miss their SLA.")
    # the stage's SLA target is named once (every item counts there); the backlog's own share is not a target
    assert [point for point in one.points if "Review · P2" in point] == [
        "SLA missed at Review · P2: 10 % on time against a target of 90 % within 1 h (Baseline: 20 %; −10 pp, clear)."]


def test_a_backlog_never_cleared_has_words_and_no_number(never) -> None:
    figure = never.figure("start_backlog", "all", "cleared_h")
    assert figure.summaries == (None,) and figure.not_reached == ((3, 3),)
    assert cell_text(figure, 0) == "not cleared by the end in 3 of 3 replications"
    assert mean(never, "left_end_count") == 4  # six began review at 0, 0.5 and 1 h
    assert write_findings(never).general == (
        "Today's backlog of 10 items is not cleared by the end of the run in any of the 3 replications (4 items "
        "still waiting at the end, on average); 80 % of its P2 items miss their SLA.",)


def test_a_mean_some_replications_did_not_reach_says_so() -> None:
    workflow = waiting(handle=Distribution.exponential(30, "min"))
    result = run(workflow, 2.0, [None], replications=6, seed=3)
    values = [r.metric("start_backlog", "all", "cleared_h") for r in result.replications]
    reached = [v for v in values if math.isfinite(v)]
    missing = len(values) - len(reached)
    assert 0 < missing < 6  # this seed gives both
    comparison = build_comparison(result, workflow)
    figure = comparison.figure("start_backlog", "all", "cleared_h")
    assert figure.not_reached == ((missing, 6),)
    assert figure.summaries[0].mean == pytest.approx(sum(reached) / len(reached), rel=1e-12)
    assert cell_text(figure, 0).endswith(f"(not cleared by the end in {missing} of 6 replications; mean of the "
                                         f"other {6 - missing})")
    sentence = write_findings(comparison).general[0]
    assert sentence.startswith(f"Today's backlog of 10 items is not cleared by the end of the run in {missing} of 6 "
                               f"replications; in the other {6 - missing} it is cleared ")


def _summary_rows(data: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(row) for row in book["Summary"].iter_rows(values_only=True)]


def test_the_workbook_has_the_group_the_note_and_the_assumptions(drained, never) -> None:
    _, comparison = drained
    rows = _summary_rows(xlsx_bytes(comparison))
    header = next(row for row in rows if row[0] == "Group")
    cleared = next(row for row in rows if row[1] == "Backlog cleared after start: all stages (h)")
    assert cleared[0] == "Today's backlog"
    assert cleared[header.index("Baseline: mean")] == pytest.approx(2.0, abs=1e-9)
    assert cleared[header.index(f"{ONE}: mean")] == pytest.approx(4.5, abs=1e-9)
    assert cleared[header.index(f"Δ {ONE}")] == pytest.approx(2.5, abs=1e-9)
    sla = next(row for row in rows if row[1] == "Backlog SLA met: Review · P2 (%)")
    assert sla[header.index("Baseline: mean")] == pytest.approx(0.2, abs=1e-12)
    assert "Note" not in header  # every replication cleared it: nothing to note
    assert any(str(row[0]).startswith("Under 'Baseline', today's backlog of 10 items is cleared 2 h") for row in rows)

    rows = _summary_rows(xlsx_bytes(never))
    header = next(row for row in rows if row[0] == "Group")
    cleared = next(row for row in rows if row[1] == "Backlog cleared after start: all stages (h)")
    assert cleared[header.index("Baseline: mean")] == "not cleared by the end in 3 of 3 replications"
    assert cleared[header.index("Note")] == "not cleared by the end in 3 of 3 replications"

    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(comparison)), read_only=True)
    settings = dict(row[:2] for row in book["Assumptions"].iter_rows(min_row=4, values_only=True) if row[0])
    assert settings["Today's backlog"] == f"10 items at 1 stage; {NOTE}"


def test_the_csv_zip_and_json_carry_the_figures(drained, never) -> None:
    _, comparison = drained
    scalars = list(csv.DictReader(io.StringIO(csv_bytes(comparison).decode("utf-8-sig"))))
    cleared = [row for row in scalars
               if row["metric"] == "cleared_h" and row["scope"] == "start_backlog:Today's backlog"]
    assert sorted((row["scenario"], float(row["value"])) for row in cleared) == [
        ("Baseline", 2.0)] * 3 + [(ONE, 4.5)] * 3
    with zipfile.ZipFile(io.BytesIO(zip_bytes(comparison))) as archive:
        table = list(csv.DictReader(io.StringIO(archive.read("start_backlog.csv").decode("utf-8-sig"))))
    row = next(r for r in table if r["scenario"] == ONE and r["metric"] == "reviewed_h")
    assert (float(row["mean"]), row["not_reached"], row["replications"]) == (5.0, "0", "3")
    assert float(row["delta"]) == pytest.approx(2.5, abs=1e-9)

    document = json.loads(json_bytes(never))
    row = next(r for r in document["start_backlog"] if r["metric"] == "cleared_h")
    assert (row["mean"], row["n"], row["not_reached"], row["replications"]) == (None, 0, 3, 3)
    assert row["note"] == "not cleared by the end in 3 of 3 replications"


def test_the_report_has_the_sentence_and_the_cells(drained, never) -> None:
    _, comparison = drained
    html = report_html(comparison, 600)
    assert "today&#x27;s backlog of 10 items is cleared 2 h after the start" in html
    assert "Today&#x27;s backlog</td>" in html  # the group's heading row in the table
    assert "Backlog cleared after start: all stages (h)" in html
    assert f"10 items at 1 stage; {NOTE}" in html
    assert "not&nbsp;cleared&nbsp;by&nbsp;the&nbsp;end&nbsp;in&nbsp;3&nbsp;of&nbsp;3&nbsp;replications" in \
        report_html(never, 600)


def test_a_run_without_a_start_state_is_compared_and_exported_as_before() -> None:
    busy = waiting(rate_per_hour=2.0)  # arrivals, so both runs have every other figure
    with_backlog = build_comparison(run(busy, 6.0, [None, "one"]), busy, run_id="run-1")
    plain = waiting(start_state=False, rate_per_hour=2.0)
    comparison = build_comparison(run(plain, 6.0, [None, "one"]), plain, run_id="run-2")
    assert not any(f.scope_kind == "start_backlog" or f.group == "Today's backlog" for f in comparison.figures)
    keys = [(f.group, f.label, f.scope_kind, f.scope_id, f.metric, f.not_reached) for f in comparison.figures]
    assert keys == [(f.group, f.label, f.scope_kind, f.scope_id, f.metric, f.not_reached)
                    for f in with_backlog.figures if f.group != "Today's backlog"]
    assert [k for k, _ in comparison.assumptions] == [k for k, _ in with_backlog.assumptions
                                                      if k != "Today's backlog"]
    findings = write_findings(comparison)
    assert not any("backlog of" in text for text in (*findings.general, *findings.by_scenario[0].points))
    header = next(row for row in _summary_rows(xlsx_bytes(comparison)) if row[0] == "Group")
    assert "Note" not in header
    with zipfile.ZipFile(io.BytesIO(zip_bytes(comparison))) as archive:
        assert "start_backlog.csv" not in archive.namelist()
    assert "start_backlog" not in json.loads(json_bytes(comparison))
    assert "Today&#x27;s backlog" not in report_html(comparison, 600)


def test_the_assumptions_say_where_imported_values_came_from() -> None:
    workflow = waiting()
    workflow.nodes["review"].provenance = "handle_times.csv (412 samples): lognormal, KS 0.031"
    workflow.teams["team"].provenance = "roster.xlsx, sheet Week 7"
    workflow.nodes["reports"].provenance = "volumes_hourly.csv, 16 Feb–12 Apr 2026: MSTL, MAPE 7.9 %"
    result = run(workflow, 3.0, [None], replications=2)
    rows = dict(build_comparison(result, workflow).assumptions)
    assert rows["Data: Review"] == "handle_times.csv (412 samples): lognormal, KS 0.031"
    assert rows["Data: Team"] == "roster.xlsx, sheet Week 7"
    assert rows["Data: Reports"] == "volumes_hourly.csv, 16 Feb–12 Apr 2026: MSTL, MAPE 7.9 %"
    assert rows["Today's backlog"] == f"10 items at 1 stage; {NOTE}"
    alone = dict(build_comparison(result).assumptions)  # no workflow: nothing to say where data came from
    assert not any(key.startswith("Data: ") or key == "Today's backlog" for key in alone)
    workflow.start_state = dataclasses.replace(workflow.start_state, note="")
    assert dict(build_comparison(result, workflow).assumptions)["Today's backlog"] == "10 items at 1 stage"
    stored = workflow_fingerprint(workflow)
    workflow.start_state = StartState([BacklogEntry(stage="review", count=3)])  # changed since the run
    stale = dict(build_comparison(result, workflow, fingerprint=stored).assumptions)
    assert "Today's backlog" not in stale and "Note" in stale
