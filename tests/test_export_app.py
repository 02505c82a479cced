"""Export from the app: the save dialog's choice picks the format; a failure is a message box, not a traceback."""

from __future__ import annotations

import json

import pytest
from export_fixtures import SHORT_STAFFED, StoredComparison, stored  # noqa: F401 (fixture)
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reports.comparison import restrict_run
from ui.report import export_actions


@pytest.fixture
def answers(monkeypatch):
    """Record message boxes; the save dialog answers with ``answers["file"]``."""
    seen: dict = {"warnings": []}
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (seen["file"], seen.get("filter", "")))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: seen["warnings"].append(text))
    return seen


def test_export_of_the_picked_scenarios(stored: StoredComparison, tmp_path, qapp, answers):  # noqa: F811
    answers["file"] = str(tmp_path / "picked.json")
    path = export_actions.ask_and_export(None, stored.run, stored.workflow, ["baseline", "short"], stored.run_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [s["name"] for s in data["scenarios"]] == ["Baseline", SHORT_STAFFED]
    assert data["run_id"] == stored.run_id and answers["warnings"] == []


def test_the_filter_supplies_a_missing_suffix_and_images_are_the_workflow(stored, tmp_path, qapp, answers):  # noqa: F811
    answers["file"], answers["filter"] = str(tmp_path / "workflow"), "Workflow picture, SVG (*.svg)"
    path = export_actions.ask_and_export(None, stored.run, stored.workflow)
    assert path == tmp_path / "workflow.svg" and b"<svg" in path.read_bytes()


def test_a_failed_export_is_reported_in_a_message_box(stored, tmp_path, qapp, answers):  # noqa: F811
    (tmp_path / "report.xlsx").mkdir()
    answers["file"] = str(tmp_path / "report.xlsx")
    assert export_actions.ask_and_export(None, stored.run, stored.workflow) is None
    assert len(answers["warnings"]) == 1 and "a folder has this name" in answers["warnings"][0]


def test_cancelling_the_dialog_writes_nothing(stored, tmp_path, qapp, answers):  # noqa: F811
    answers["file"] = ""
    assert export_actions.ask_and_export(None, stored.run, stored.workflow) is None
    assert list(tmp_path.iterdir()) == []


def test_restricting_a_run_recomputes_deltas_against_the_new_reference(stored):  # noqa: F811
    pair = restrict_run(stored.run, ["short", "baseline"])
    assert pair.baseline_id == "short" and {d.scenario_id for d in pair.deltas} == {"baseline"}
    backlog = next(d for d in pair.deltas if d.metric == "backlog_end_count" and d.scope_kind == "stage")
    forward = next(d for d in stored.run.deltas if d.scenario_id == "short" and d.metric == "backlog_end_count"
                   and d.scope_kind == "stage")
    assert backlog.delta_mean == -forward.delta_mean
    with pytest.raises(KeyError, match="no scenario 'gone'"):
        restrict_run(stored.run, ["baseline", "gone"])
