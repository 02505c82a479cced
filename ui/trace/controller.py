"""Trace a sample of items in the background: one replication of one scenario with the tracer attached.

Rules: a :class:`ui.background.BackgroundController` (one thread that only waits, queued signals, Cancel,
errors as text). The run is replication 0 of the chosen scenario with the workflow's run settings — the same
random numbers as replication 0 of a full run, so the traced items are items of that run — on one spawn
worker process; it arrives as a :class:`TraceResult`.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Signal

from flowmodel.errors import FlowmodelError
from flowmodel.run_settings import RunSettings
from flowmodel.workflow import Workflow
from simulations.executors import ProcessPoolExecutor
from simulations.item_trace import ItemTrace, run_traces
from simulations.runner import run_scenarios
from simulations.timebase import horizon_start
from ui.background import BackgroundController, ProgressSink


@dataclass(frozen=True)
class TraceResult:
    scenario_name: str
    traces: list[ItemTrace]
    start: datetime  # the calendar instant of simulated time 0
    horizon_s: float


class TraceController(BackgroundController):
    """Starts, follows and cancels one background trace run at a time."""

    finished = Signal(object)
    what = "trace run"

    def start(self, workflow: Workflow, scenario_id: str | None, settings: RunSettings, items: int) -> None:
        self.check_idle()
        problems = settings.problems()
        if problems:
            raise FlowmodelError(problems[0][1], where=f"run settings · {problems[0][0]}", hint="correct the settings")
        snapshot, one = workflow.copy(), dataclasses.replace(settings, replications=1)
        start = horizon_start(one)

        def work(cancel: threading.Event, on_progress: ProgressSink) -> TraceResult:
            run = run_scenarios(snapshot, [scenario_id], one, executor=ProcessPoolExecutor(1), on_progress=on_progress,
                                cancel=cancel, trace_items=items)
            traced = run_traces(run)
            name, traces = traced[0] if traced else (str(run.scenarios[0].get("name", "Baseline")), [])
            return TraceResult(name, traces, start, one.horizon_hours * 3600.0)

        self.launch(work)

    def deliver(self, result: TraceResult) -> None:
        self.finished.emit(result)
