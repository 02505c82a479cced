"""Helpers of the run and results tests: short run settings, a scenario to compare, worker-process checks."""

from __future__ import annotations

import psutil

from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Change, Scenario
from flowmodel.workflow import Workflow

RUN_TIMEOUT_MS = 60_000


def short_settings(replications: int = 3, horizon_hours: float = 48.0) -> RunSettings:
    return RunSettings(horizon_hours=horizon_hours, warmup_hours=4.0, replications=replications, seed=7,
                       interval_minutes=60.0)


def add_faster_review(workflow: Workflow) -> Scenario:
    """A scenario whose Tier 1 handle time is 20 % shorter (put straight into the model)."""
    stage = workflow.node_by_name("Tier 1")
    scenario = Scenario(name="Faster review", changes=[Change(stage.id, "handle_time.mean", "scale", 0.8)])
    workflow.put_scenario(scenario)
    return scenario


def child_processes() -> list[psutil.Process]:
    """Live child processes other than multiprocessing's resource tracker (one per session, by design)."""
    out = []
    for process in psutil.Process().children(recursive=True):
        try:
            if process.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(process.cmdline()):
                out.append(process)
        except psutil.NoSuchProcess:
            continue
    return out


def start_run(window, qtbot, settings: RunSettings) -> None:
    window.run_panel.set_settings(settings)
    window.run_panel.refresh_scenarios()
    window.run_panel.run_button.click()
    assert window.runs.running, window.run_panel.status.text()
