"""Class 2: runs that can never finish, or that would eat the machine, through the real command line.

Each run is refused before it starts (by the run settings' limits or by the pre-run estimate of
``simulations/run_budget.py``), or starts with a warning that says how long it will take, or is stopped by the
engine's backlog guard — in every case with one ``error:`` line that names the setting or the stage, no
traceback, the input file unchanged, and a child that stays small and quick.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hostile_helpers import MAIN, ROOT, Outcome, one_error_line, run_cli

from benchmarks.engine_throughput import reference_workflow
from flowmodel import Distribution, Edge, ReviewStage, RunSettings, Shift, Source, Team, Workflow
from flowmodel import Outcome as OutcomeNode
from flowmodel.documents import save_document
from flowmodel.nodes import Surge

SECONDS = 20.0
PEAK_RSS = 1024**3


def one_stage(path: Path, rate_per_hour: float, reviewers: int, settings: RunSettings | None = None,
              surges: list[Surge] | None = None) -> Path:
    """Reports → "Tier 1" (1 min per item, ``reviewers`` round the clock) → Done, saved at ``path``."""
    workflow = Workflow(name="Runaway", id="runaway")
    source = workflow.add_node(Source(name="Reports", id="reports", rate_per_hour=rate_per_hour,
                                      surges=surges or []))
    stage = workflow.add_node(ReviewStage(name="Tier 1", id="tier-1", handle_time=Distribution.exponential(1, "min")))
    done = workflow.add_node(OutcomeNode(name="Done", id="done", label="done"))
    workflow.add_edge(Edge(source.id, stage.id, probability=1.0))
    workflow.add_edge(Edge(stage.id, done.id, probability=1.0))
    workflow.add_team(Team(name="Moderators", id="moderators", shrinkage=0.0, stages=[stage.id],
                           shifts=[Shift(name="all day", start_hour=0, hours=24, headcount=[reviewers] * 7)]))
    if settings is not None:
        workflow.run_settings = settings
    save_document([workflow], path)
    return path


def assert_contained(outcome: Outcome, path: Path, before: bytes, code: int = 1) -> str:
    """Exit ``code``, one error line (returned), no traceback, the input unchanged, quick and small."""
    assert outcome.code == code, outcome.stderr
    assert not outcome.has_traceback, outcome.stderr
    assert path.read_bytes() == before
    assert outcome.seconds < SECONDS and outcome.peak_rss_bytes < PEAK_RSS, (outcome.seconds, outcome.peak_rss_bytes)
    return one_error_line(outcome)


# -- refused before anything runs --------------------------------------------------------------------------
def test_a_one_second_series_interval_over_thirty_days_is_refused(tmp_path: Path) -> None:
    """3.4 GB of series at 10 replications before: now refused by the series-point limit (the estimate would warn
    at 3.8 GB; tests/test_run_budget.py refuses a 1e-6 min interval by its samples and memory)."""
    path = one_stage(tmp_path / "fine.flow.json", 100, 10,
                     RunSettings(horizon_hours=30 * 24, warmup_hours=0, interval_minutes=1 / 60))
    before = path.read_bytes()
    line = assert_contained(run_cli("simulate", path, "--jobs", "1"), path, before)
    assert "interval" in line, line


def test_ten_thousand_replications_are_refused(tmp_path: Path) -> None:
    path = one_stage(tmp_path / "many.flow.json", 1000, 100, RunSettings(replications=10_000))
    before = path.read_bytes()
    line = assert_contained(run_cli("simulate", path), path, before)
    assert "replications" in line and "10,000" in line, line


def test_a_thousand_replications_of_a_busy_month_are_refused_by_their_estimate(tmp_path: Path) -> None:
    path = one_stage(tmp_path / "month.flow.json", 5000, 100)
    before = path.read_bytes()
    outcome = run_cli("simulate", path, "--replications", "1000", "--horizon", "30d", "--jobs", "2")
    line = assert_contained(outcome, path, before)
    assert line.startswith("error: run settings · replications: this run would simulate about 7.2 billion events: "
                           "1,000 replications × about 3.6 million arrivals each, mostly from source “Reports”"), line
    assert "more than the 5 billion events a run may take" in line and "reduce replications or the horizon" in line


def test_series_that_would_not_fit_in_memory_are_refused_by_their_estimate(tmp_path: Path) -> None:
    path = tmp_path / "tandem.flow.json"
    save_document([reference_workflow()], path)
    before = path.read_bytes()
    outcome = run_cli("simulate", path, "--replications", "800", "--horizon", "816h", "--interval", "1m",
                      "--warmup", "0h", "--jobs", "2")
    line = assert_contained(outcome, path, before)
    assert line.startswith("error: run settings · interval_minutes: this run needs about "), line
    assert "800 replications × 9 series × 48,960 points each (a 1 min interval over 34 d)" in line, line
    assert "more than the 4.0 GB a run may use" in line and "choose a longer time-series interval" in line


# -- stopped by the backlog guard --------------------------------------------------------------------------
def test_one_reviewer_under_half_a_million_items_an_hour_is_stopped_by_the_backlog_guard(tmp_path: Path) -> None:
    path = one_stage(tmp_path / "flood.flow.json", 500_000, 1, RunSettings(horizon_hours=7 * 24, replications=2))
    before = path.read_bytes()
    out = tmp_path / "results.json"
    outcome = run_cli("simulate", path, "--backlog-limit", "20000", "--jobs", "1", "--out", out)
    line = assert_contained(outcome, path, before)
    assert "[stage-overloaded]" in outcome.stderr  # the load warning the message points to
    assert line.startswith("error: every replication stopped early; in Baseline replication 1: the backlog of Tier 1 "
                           "passed 20,000 items at day 1, 00:0"), line
    assert line.endswith("the model is overloaded — see the load warning; the figures cover each replication only "
                         "up to its stop, so nothing was stored or written"), line
    assert "Stopped early:" in outcome.stdout and "Backlog at end: Tier 1" in outcome.stdout
    assert not out.exists()


def test_a_thousandfold_surge_is_stopped_by_the_backlog_guard(tmp_path: Path) -> None:
    surge = Surge(start_hour=3, duration_hours=2, multiplier=1000, label="viral")
    path = one_stage(tmp_path / "surge.flow.json", 10_000, 200,
                     RunSettings(horizon_hours=12, warmup_hours=1, replications=2), surges=[surge])
    before = path.read_bytes()
    outcome = run_cli("simulate", path, "--backlog-limit", "20000", "--jobs", "1")
    line = assert_contained(outcome, path, before)
    assert "[stage-overloaded]" not in outcome.stderr  # stable on average: only the surge overloads it
    assert "the backlog of Tier 1 passed 20,000 items at day 1, 03:00" in line, line


def test_a_bad_backlog_limit_is_refused_naming_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from main import main  # in this process: only the argument check runs

    path = one_stage(tmp_path / "ok.flow.json", 100, 10)
    before = path.read_bytes()
    assert main(["simulate", str(path), "--backlog-limit", "10"]) == 2
    assert capsys.readouterr().err == "error: --backlog-limit must be from 1,000 to 2,000,000 items, not 10\n"
    assert path.read_bytes() == before


# -- a long run starts with a warning that says how long ---------------------------------------------------
def test_a_long_run_starts_with_a_warning_of_its_duration_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    path = one_stage(tmp_path / "long.flow.json", 500, 100, RunSettings(horizon_hours=14 * 24, replications=1000))
    before = path.read_bytes()
    child = subprocess.Popen([sys.executable, str(MAIN), "simulate", str(path), "--jobs", "2"], cwd=ROOT,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONUNBUFFERED": "1"})
    started = time.monotonic()
    watchdog = threading.Timer(3 * SECONDS, child.kill)  # a child that never warns must not hang the suite
    watchdog.start()
    try:
        warning = ""
        for line in child.stderr:
            if line.startswith("warning: run settings · replications"):
                warning = line.strip()
                break
        assert warning, "no warning about the run's duration"
        time.sleep(1.0)
        child.send_signal(signal.SIGINT)  # the command's own process: it stops its workers itself
        rest = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        watchdog.cancel()
        if child.returncode is None and child.poll() is None:
            child.kill()
    assert warning.startswith("warning: run settings · replications: this run will take about 14 min on 2 processes "
                              "(about 337 million events: 1,000 replications"), warning
    assert warning.endswith("; reduce replications or the horizon")
    assert os.waitstatus_to_exitcode(status) == 130 and "Traceback" not in rest
    assert [line for line in rest.splitlines() if line.startswith("error:")] == \
        ["error: cancelled; nothing was stored or written"]
    assert path.read_bytes() == before
    assert time.monotonic() - started < SECONDS and usage.ru_maxrss * 1024 < PEAK_RSS
