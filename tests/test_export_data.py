"""CSV, zip and JSON exports hold the stored numbers exactly, in tidy long form."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile

from export_fixtures import SHORT_STAFFED, StoredComparison, stored  # noqa: F401 (fixture)

from flowmodel.workspace import Workspace
from reports.data_export import export_data


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _value(cell: str) -> float:
    return float(cell) if cell else math.nan


def test_single_csv_is_the_tidy_scalars_to_full_precision(stored: StoredComparison, tmp_path):  # noqa: F811
    path = export_data(stored.comparison, tmp_path / "figures.csv")
    rows = _rows(path.read_text(encoding="utf-8-sig"))
    assert rows[0] == ["run", "scenario", "replication", "metric", "scope", "value"]
    exported = {(r[1], int(r[2]), r[3], r[4]): _value(r[5]) for r in rows[1:]}
    assert {r[0] for r in rows[1:]} == {stored.run_id}
    with Workspace.open(stored.workspace) as workspace:
        metrics = workspace.run_metrics(stored.run_id)
    assert len(rows) - 1 == len(metrics)
    for m in metrics:
        value = exported[(m["scenario_name"], m["replication"], m["metric"], f"{m['scope_kind']}:{m['scope_name']}")]
        assert value == m["value"] or (math.isnan(value) and math.isnan(m["value"]))


def test_zip_holds_one_csv_per_table(stored: StoredComparison, tmp_path):  # noqa: F811
    path = export_data(stored.comparison, tmp_path / "tables.zip")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["assumptions.csv", "class_waits.csv", "deltas.csv", "scalars.csv",
                                              "scenario_changes.csv", "series.csv", "summary.csv"]
        series = _rows(archive.read("series.csv").decode("utf-8-sig"))
        summary = _rows(archive.read("summary.csv").decode("utf-8-sig"))
        deltas = _rows(archive.read("deltas.csv").decode("utf-8-sig"))
        changes = _rows(archive.read("scenario_changes.csv").decode("utf-8-sig"))
    with Workspace.open(stored.workspace) as workspace:
        stored_series = workspace.run_series(stored.run_id)
    assert series[0] == ["run", "scenario", "replication", "metric", "scope", "t_hours", "value"]
    assert [(float(r[5]), _value(r[6])) for r in series[1:]] == [(s["t_hours"], s["value"]) for s in stored_series]
    means = {(r[1], r[2], r[3]): _value(r[5]) for r in summary[1:]}
    for s in stored.run.summaries:
        assert means[(s.scenario_name, s.metric, f"{s.scope_kind}:{s.scope_name}")] == s.mean
    clear = {(r[1], r[3], r[4]): r[12] for r in deltas[1:]}
    assert clear[(SHORT_STAFFED, "backlog_end_count", "stage:Tier 1")] == "True"
    assert clear[("Same as baseline", "backlog_end_count", "stage:Tier 1")] == "False"
    assert [SHORT_STAFFED, "Generalists · headcount, all day shift → 4 every day "
            "(8 → 4 every day) — hiring freeze"] in changes


def test_json_document(stored: StoredComparison, tmp_path):  # noqa: F811
    data = json.loads(export_data(stored.comparison, tmp_path / "comparison.json").read_text(encoding="utf-8"))
    assert data["format"] == "flowmodel.comparison" and data["run_id"] == stored.run_id
    assert [s["name"] for s in data["scenarios"]] == ["Baseline", SHORT_STAFFED, "Same as baseline"]
    backlog = next(f for f in data["key_figures"] if f["label"] == "Backlog at end: Tier 1")
    short = stored.comparison.figure("stage", "Tier 1", "backlog_end_count")
    assert backlog["scenarios"][1]["delta"] == short.deltas[1].delta_mean and backlog["scenarios"][1]["clear"]
    assert any("grows without bound" in point for point in data["findings"]["by_scenario"][SHORT_STAFFED])
    assert data["assumptions"]["Base seed"] == 7
