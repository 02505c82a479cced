"""Review findings on ``main.py simulate``: mistakes caught before a long run, messages that blame the right
setting, SLA rows that state their target."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.simulate_command import _duration_text, summary_table
from flowmodel import RunSettings, SlaTarget
from flowmodel.documents import save_document
from main import main
from simulations.results import MetricRecord, ReplicationResult
from simulations.runner import RunOptions, RunResult
from tests.conftest import make_triage_workflow

SHORT = ["--horizon", "6h", "--warmup", "1h", "--replications", "2", "--seed", "4", "--jobs", "1"]


@pytest.fixture
def triage_file(tmp_path: Path) -> Path:
    workflow = make_triage_workflow()
    workflow.node_by_name("Tier 1").sla = [SlaTarget("P2", 4, "h", 0.9)]
    path = tmp_path / "triage.flow.json"
    save_document([workflow], path)
    return path


def test_an_out_file_in_a_missing_folder_fails_before_the_run(triage_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "no such folder" / "results.json"
    assert main(["simulate", str(triage_file), *SHORT, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert "does not exist" in captured.err and "no such folder" in captured.err
    assert "Simulating" not in captured.err and captured.out == ""  # nothing ran


def test_an_out_path_that_is_a_folder_fails_before_the_run(triage_file: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "results.json"
    folder.mkdir()
    assert main(["simulate", str(triage_file), *SHORT, "--out", str(folder)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_a_horizon_shorter_than_the_saved_warmup_names_the_saved_warmup(triage_file: Path, capsys) -> None:
    """Only --horizon was given; the saved warm-up (24 h) is what conflicts, and the message says so."""
    assert main(["simulate", str(triage_file), "--horizon", "12h", "--replications", "1"]) == 2
    err = capsys.readouterr().err
    assert "the workflow's saved warm-up" in err and "--warmup:" not in err
    assert "horizon 12 h (--horizon)" in err and "warm-up 24 h (saved with the workflow)" in err


def test_invalid_saved_settings_are_an_invalid_model(tmp_path: Path, capsys) -> None:
    workflow = make_triage_workflow()
    workflow.run_settings.replications = 0
    path = tmp_path / "triage.flow.json"
    save_document([workflow], path)
    assert main(["simulate", str(path), "--horizon", "6h", "--warmup", "1h"]) == 1
    assert "the workflow's saved replications" in capsys.readouterr().err
    assert main(["simulate", str(path), *SHORT]) == 0  # --replications overrides it


def test_sla_rows_state_the_target(triage_file: Path, capsys) -> None:
    assert main(["simulate", str(triage_file), *SHORT]) == 0
    assert "SLA met: Tier 1 · P2 (%, target 90% in 4 h)" in capsys.readouterr().out


@pytest.mark.parametrize(("seconds", "text"), [(3600, "1 h"), (86400, "24 h"), (259200, "72 h"), (604800, "7 d"),
                                               (612000, "170 h"), (5400, "90 min"), (45, "45 s")])
def test_sla_limits_read_as_planners_write_them(seconds: float, text: str) -> None:
    assert _duration_text(seconds) == text


def test_a_mistyped_command_is_an_error_not_an_attempt_to_open_the_app(capsys) -> None:
    assert main(["simlate"]) == 2
    err = capsys.readouterr().err
    assert "'simlate' is neither a command nor a workflow file" in err and "simulate" in err


def test_simulate_help_shows_a_plain_percent_sign(capsys) -> None:
    assert main(["simulate", "--help"]) == 0
    out = capsys.readouterr().out
    assert "95 % confidence" in out and "%%" not in out


def test_an_empty_workspace_says_there_is_nothing_to_simulate(tmp_path: Path, capsys) -> None:
    path = tmp_path / "empty.flowdb"
    save_document([], path)
    assert main(["simulate", str(path), *SHORT]) == 2
    err = capsys.readouterr().err
    assert "holds no workflow" in err and "0 workflows" not in err


def test_a_row_takes_the_unit_of_its_largest_figure() -> None:
    """Baseline waits of 4 min and a scenario's of 23 h: the row is in hours, not "1,403 min"."""
    def replication(scenario: str, replication: int, wait_s: float) -> ReplicationResult:
        return ReplicationResult(scenario, scenario.title(), replication, 1,
                                 [MetricRecord("stage", "st", "Specialists", "wait_mean_s", wait_s)])

    results = [replication("baseline", k, 240.0 + k) for k in range(2)]
    results += [replication("surge", k, 84_000.0 + k) for k in range(2)]
    run = RunResult.from_replications("w", "W", RunOptions(RunSettings(replications=2)),
                                      [{"id": "baseline", "name": "Baseline"}, {"id": "surge", "name": "Surge"}],
                                      results)
    row = next(line for line in summary_table(run).splitlines() if line.startswith("Wait, mean"))
    assert row.startswith("Wait, mean: Specialists (h)") and "23.33" in row


def test_validating_a_results_file_says_it_holds_results(triage_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "results.json"
    assert main(["simulate", str(triage_file), *SHORT, "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["validate", str(out)]) == 2
    err = capsys.readouterr().err
    assert "not a Flowmodel workflow" in err and "holds simulation results" in err
