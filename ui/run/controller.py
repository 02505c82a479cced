"""Run scenarios in the background without ever blocking the window.

Rules:
- :class:`RunController` is a :class:`ui.background.BackgroundController` (its rules: one thread that only
  waits, queued signals, Cancel, errors as text). :meth:`RunController.start` takes a snapshot of the
  workflow (later edits do not reach a running run) and launches :func:`simulations.runner.run_scenarios`
  with a :class:`~simulations.executors.ProcessPoolExecutor`, whose spawn worker processes do the simulation.
- When the document is a ``.flowdb`` workspace the work stores the finished run in it (opening its own
  connection: a connection belongs to the thread that opened it), so a large result is never written on the
  UI thread. Otherwise the run stays in memory and is written by the next Save As ``.flowdb``
  (:class:`ui.run.history.RunHistory`). A run the workspace cannot take (locked by another program past the
  timeout) is kept beside it (:func:`simulations.persist.store_run`) and in memory; ``finished`` then carries
  its id as ``kept_id`` and a note saying where it is, and the next Save stores it.
- Progress reaches the window as :class:`RunProgress`, with elapsed and remaining time measured on the UI
  thread from the moment the run started. The run's estimate (:mod:`simulations.run_budget`) arrives as
  ``estimated`` before the first replication, so the panel can show its warnings; a run past the budget fails
  with the estimate's message.
- A run the engine's backlog guard cut short is not stored in the workspace (its figures cover each
  replication only up to its stop, which a stored run could not tell); it stays in this session's history.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from flowmodel.errors import FlowmodelError
from flowmodel.run_settings import RunSettings
from flowmodel.workflow import Workflow
from simulations.executors import ProcessPoolExecutor, Progress
from simulations.persist import RunKeptAside, store_run
from simulations.runner import RunResult, run_scenarios
from ui.background import BackgroundController, ProgressSink

RunOutcome = tuple[RunResult, str, Workflow, str, str]


@dataclass(frozen=True)
class RunProgress:
    """What the progress bar shows: replications, simulated time, elapsed and estimated remaining seconds."""

    replications_done: int
    replications_total: int
    simulated_h: float
    simulated_total_h: float
    fraction: float
    elapsed_s: float
    remaining_s: float | None


class RunController(BackgroundController):
    """Starts, follows and cancels one background run at a time."""

    #: (result, stored run id or "", snapshot, kept-aside run id or "", a note for the planner or "")
    finished = Signal(object, str, object, str, str)
    estimated = Signal(object)
    #: The run so far (a :class:`RunResult` of the replications finished), while it goes on: "watch a run".
    partial = Signal(object)
    what = "run"

    def __init__(self, parent: QObject | None = None, jobs: int | None = None) -> None:
        super().__init__(parent, jobs)
        self._started_at = 0.0

    def start(self, workflow: Workflow, scenario_ids: list[str | None], settings: RunSettings,
              workspace_path: Path | None = None, label: str = "") -> None:
        """Run ``scenario_ids`` (first = reference; ``None`` = baseline) on a snapshot of ``workflow``."""
        self.check_idle()
        problems = settings.problems()
        if problems:
            raise FlowmodelError(problems[0][1], where=f"run settings · {problems[0][0]}",
                                 hint="correct the run settings")
        snapshot = workflow.copy()
        ids, jobs = list(scenario_ids), self.jobs

        def work(cancel: threading.Event, on_progress: ProgressSink) -> RunOutcome:
            result = run_scenarios(snapshot, ids, settings, executor=ProcessPoolExecutor(jobs),
                                   on_progress=on_progress, cancel=cancel, on_estimate=self.estimated.emit,
                                   on_partial=self.partial.emit)
            if workspace_path is None or result.stopped_early():
                return result, "", snapshot, "", ""
            try:
                stored = store_run(workspace_path, snapshot, result, label)
            except RunKeptAside as kept:
                return result, "", snapshot, kept.run_id, kept.message
            return result, stored.run_id, snapshot, "", "; ".join(stored.notes())

        self._started_at = time.monotonic()
        self.launch(work)

    # -- on the UI thread, queued from the run's thread -------------------------------------------
    def report_progress(self, progress: Progress) -> None:
        elapsed = time.monotonic() - self._started_at
        fraction = progress.fraction
        remaining = elapsed * (1.0 - fraction) / fraction if fraction > 0.01 else None
        self.progressed.emit(RunProgress(progress.replications_done, progress.replications_total,
                                         progress.simulated_s / 3600.0, progress.simulated_total_s / 3600.0,
                                         fraction, elapsed, remaining))

    def deliver(self, outcome: RunOutcome) -> None:
        """The snapshot travels with the result, so the history records the model this run used."""
        self.finished.emit(*outcome)
