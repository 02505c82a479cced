"""``main.py simulate`` end to end on the small triage workflow: table, stored run, --out files, exit codes."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from cli.durations import parse_duration
from flowmodel import Change, Scenario
from flowmodel.documents import save_document
from flowmodel.workspace import Workspace
from main import main
from tests.conftest import make_triage_workflow

REPO = Path(__file__).resolve().parent.parent
SHORT = ["--horizon", "1d", "--warmup", "2h", "--replications", "3", "--seed", "4", "--jobs", "1"]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    workflow = make_triage_workflow()
    tier1 = workflow.node_by_name("Tier 1")
    workflow.put_scenario(Scenario(name="Faster", changes=[Change(tier1.id, "handle_time.mean", "scale", 0.8)]))
    json_path, db_path = tmp_path / "triage.flow.json", tmp_path / "triage.flowdb"
    save_document([workflow], json_path)
    save_document([workflow], db_path)
    return json_path, db_path


def test_simulate_prints_a_table_with_deltas_and_writes_json(files, tmp_path, capsys) -> None:
    json_path, _ = files
    out = tmp_path / "results.json"
    assert main(["simulate", str(json_path), *SHORT, "--scenario", "Faster", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Time to decision, mean" in captured.out and "Utilisation: Generalists" in captured.out
    assert "Δ Faster" in captured.out and "3 replication(s)" in captured.out
    assert "100% (6/6 replications)" in captured.err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["settings"]["horizon_hours"] == 24.0 and data["settings"]["seed"] == 4
    assert [s["name"] for s in data["scenarios"]] == ["Baseline", "Faster"]
    created = [a for a in data["aggregates"] if a["metric"] == "created_count"]
    assert len(created) == 2 and all(a["n"] == 3 for a in created)
    handle = next(d for d in data["deltas"] if d["metric"] == "handle_time_mean_s")
    assert handle["delta_mean"] < 0 and handle["clear"] is True


def test_simulate_a_workspace_stores_the_run_and_writes_tidy_csv(files, tmp_path, capsys) -> None:
    _, db_path = files
    out = tmp_path / "results.csv"
    assert main(["simulate", str(db_path), *SHORT, "--label", "check", "--out", str(out)]) == 0
    assert "Stored as run" in capsys.readouterr().out
    with Workspace.open(db_path) as workspace:
        ((workflow_id, _),) = workspace.list_workflows()
        (run,) = workspace.list_runs(workflow_id)
        stored = workspace.run_metrics(run["id"])
    assert run["label"] == "check" and run["settings"]["replications"] == 3
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["run", "scenario", "replication", "metric", "scope", "value"]
    assert {r["run"] for r in rows} == {run["id"]}
    assert len(rows) == len(stored)
    assert {r["replication"] for r in rows} == {"0", "1", "2"}


def test_settings_default_to_the_workflows_run_settings(files, capsys) -> None:
    json_path, _ = files
    assert main(["simulate", str(json_path), "--horizon", "6h", "--warmup", "1h", "--jobs", "1"]) == 0
    assert "10 replication(s)" in capsys.readouterr().out  # RunSettings' default, saved with the workflow


def test_an_invalid_model_exits_1_listing_the_issues(tmp_path, capsys) -> None:
    workflow = make_triage_workflow()
    workflow.remove_team(next(iter(workflow.teams)))
    path = tmp_path / "broken.flow.json"
    save_document([workflow], path)
    assert main(["simulate", str(path), *SHORT]) == 1
    err = capsys.readouterr().err
    assert "error [" in err and "Tier 1" in err and "nothing was run" in err


@pytest.mark.parametrize("extra", [["--horizon", "14"], ["--replications", "0"], ["--out", "results.xlsx"],
                                   ["--scenario", "Nope"], ["--workflow", "Other"], ["--jobs", "0"]])
def test_bad_arguments_exit_2(files, extra, capsys) -> None:
    json_path, _ = files
    assert main(["simulate", str(json_path), *SHORT, *extra]) == 2
    assert capsys.readouterr().err.strip()


def test_unreadable_input_exits_2(tmp_path, capsys) -> None:
    path = tmp_path / "garbage.flow.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["simulate", str(path), *SHORT]) == 2
    assert str(path) in capsys.readouterr().err
    assert main(["simulate", str(tmp_path / "missing.flowdb"), *SHORT]) == 2


def test_ctrl_c_cancels_cleanly_with_exit_130(files) -> None:
    json_path, _ = files
    command = [sys.executable, "main.py", "simulate", str(json_path), "--horizon", "1000d", "--warmup", "1d",
               "--replications", "2", "--jobs", "2"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 30
        workers: list[psutil.Process] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = [p for p in psutil.Process(process.pid).children()
                       if "resource_tracker" not in " ".join(p.cmdline())]
        assert len(workers) == 2, "the worker processes did not start"
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert "cancelled" in err and "Traceback" not in err
    psutil.wait_procs(workers, timeout=5)
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)


def test_durations_need_a_unit() -> None:
    assert parse_duration("14d") == 14 * 86400 and parse_duration("36h") == 36 * 3600
    assert parse_duration("90m") == parse_duration("90min") == 5400 and parse_duration("3600s") == 3600
    assert parse_duration("1.5h") == 5400
    for text in ("14", "h", "-3h", "3 weeks"):
        with pytest.raises(ValueError, match=r"e\.g\. 14d"):
            parse_duration(text)


def test_progress_bar_redraws_in_place_on_a_terminal() -> None:
    import io

    from cli.progress import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = ProgressBar("Simulating", 4, stream)
    bar.update(0.5, 2)
    bar.update(1.0, 4)
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n") and "\n" not in text[:-1]
    assert "50%" in text and "4/4 replications" in text
