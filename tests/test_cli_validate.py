"""``flowmodel validate``: the issue table, the summary line and the exit codes 0 / 1 / 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_triage_workflow

import main
from flowmodel.documents import save_document
from flowmodel.workflow import Workflow


def clean() -> Workflow:
    workflow = make_triage_workflow()
    workflow.name = "User report triage"
    return workflow


def understaffed() -> Workflow:
    """Valid, but 4 reviewers for 5 erlangs of work: a warning, not an error."""
    workflow = clean()
    workflow.name = "Understaffed triage"
    team = workflow.team_by_name("Generalists")
    workflow.set_field(team.id, "shifts.all day.headcount", [4] * 7)
    return workflow


def broken() -> Workflow:
    """Tier 1 routes 50 % + 70 %: an error."""
    workflow = clean()
    workflow.name = "Broken triage"
    stage = workflow.node_by_name("Tier 1")
    workflow.set_field(workflow.outgoing(stage.id)[0].id, "probability", 0.5)
    return workflow


def test_a_clean_workflow_exits_0_with_a_summary_and_no_table(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "triage.flow.json"
    save_document([clean()], path)
    assert main.main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out == "0 errors, 0 warnings in 'User report triage'\n"


def test_warnings_only_exit_0_and_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "triage.flow.json"
    save_document([understaffed()], path)
    assert main.main(["validate", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["SEVERITY", "WORKFLOW", "WHERE", "FIELD", "MESSAGE", "HINT"]
    assert lines[1].startswith("warning   Understaffed triage  Tier 1 ")
    assert "offered load 5.0 erlangs vs 4.0 reviewers" in lines[1]
    assert lines[-1] == "0 errors, 1 warning in 'Understaffed triage'"


def test_an_error_exits_1_and_the_table_columns_line_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ops.flowdb"
    save_document([understaffed(), broken()], path)
    assert main.main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    header, first, second = lines[:3]
    assert first.startswith("error     Broken triage        Tier 1  probability  outgoing probabilities sum to 1.2")
    assert second.startswith("warning   Understaffed triage  Tier 1               offered load")
    for row, columns in ((first, ("WHERE", "FIELD", "MESSAGE", "HINT")), (second, ("WHERE", "MESSAGE", "HINT"))):
        for column in columns:  # each cell starts right under its heading (the warning has no field)
            start = header.index(column)
            assert row[start - 2:start] == "  " and row[start] != " ", (column, row)
    assert lines[-2:] == ["1 error, 0 warnings in 'Broken triage'", "0 errors, 1 warning in 'Understaffed triage'"]


def test_workflow_option_checks_only_the_named_workflow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ops.flowdb"
    save_document([understaffed(), broken()], path)
    assert main.main(["validate", str(path), "--workflow", "Understaffed triage"]) == 0
    out = capsys.readouterr().out
    assert "Broken triage" not in out and out.endswith("0 errors, 1 warning in 'Understaffed triage'\n")


def test_an_unknown_workflow_name_exits_2_listing_the_names(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ops.flowdb"
    save_document([clean()], path)
    assert main.main(["validate", str(path), "--workflow", "Appeals"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"error: {path}: no workflow named 'Appeals' "
                            "(what to do: workflows in this file: 'User report triage')\n")


def test_an_unreadable_file_exits_2_with_one_line_on_stderr(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "triage.flow.json"
    path.write_text('{"format": "flowmodel.workflow", "schema_version": 1, "nodes": [', encoding="utf-8")
    assert main.main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.err.startswith(f"error: {path}, line 1 column ")


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["validate", str(tmp_path / "nowhere.flowdb")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_an_empty_workspace_is_reported_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.flowdb"
    save_document([], path)
    assert main.main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == f"no workflows in {path}\n"


def test_help_lists_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--help"]) == 0
    assert "validate" in capsys.readouterr().out
    assert main.main(["validate", "--help"]) == 0
    assert "--workflow NAME" in capsys.readouterr().out
