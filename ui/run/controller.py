"""Run scenarios in the background without ever blocking the window.

Rules:
- :meth:`RunController.start` takes a snapshot of the workflow (later edits do not reach a running run) and
  starts one :class:`QThread`. That thread only waits: it calls :func:`simulations.runner.run_scenarios` with
  a :class:`~simulations.executors.ProcessPoolExecutor`, whose spawn worker processes do the simulation.
- Everything the thread reports reaches the window through Qt signals emitted on the thread, which Qt
  delivers to the window's objects as queued calls on the UI thread; the thread touches no widget.
- When the document is a ``.flowdb`` workspace the thread stores the finished run in it (opening its own
  connection: a connection belongs to the thread that opened it), so a large result is never written on the
  UI thread. Otherwise the run stays in memory and is written by the next Save As ``.flowdb``
  (:class:`ui.run.history.RunHistory`).
- Cancel sets an event; the executor stops the workers (terminating any that do not stop in time, joining
  all of them) and the thread reports ``cancelled``. Errors are reported as text (``failed``), never raised.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from flowmodel.errors import FlowmodelError
from flowmodel.run_settings import RunSettings
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace
from simulations.executors import ProcessPoolExecutor, Progress
from simulations.persist import save_run_to_workspace
from simulations.runner import RunResult, run_scenarios
from simulations.spec import RunCancelled


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


class _RunThread(QThread):
    progressed = Signal(object)
    succeeded = Signal(object, str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, workflow: Workflow, scenario_ids: list[str | None], settings: RunSettings,
                 jobs: int | None, workspace_path: Path | None, label: str) -> None:
        super().__init__()
        self.workflow = workflow
        self.scenario_ids = scenario_ids
        self.settings = settings
        self.jobs = jobs
        self.workspace_path = workspace_path
        self.label = label
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            result = run_scenarios(self.workflow, self.scenario_ids, self.settings,
                                   executor=ProcessPoolExecutor(self.jobs), on_progress=self.progressed.emit,
                                   cancel=self.cancel)
            run_id = ""
            if self.workspace_path is not None:
                with Workspace.open(self.workspace_path) as workspace:
                    run_id = save_run_to_workspace(workspace, self.workflow, result, self.label)
        except RunCancelled:
            self.cancelled.emit()
        except FlowmodelError as error:
            self.failed.emit(error.render())
        except Exception as error:  # a fault in a worker must not leave the window waiting for ever
            self.failed.emit(f"The run stopped unexpectedly: {error}")
        else:
            self.succeeded.emit(result, run_id)


class RunController(QObject):
    """Starts, follows and cancels one background run at a time."""

    started = Signal()
    progressed = Signal(object)
    finished = Signal(object, str, object)
    failed = Signal(str)
    cancelled = Signal()
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, jobs: int | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self._thread: _RunThread | None = None
        self._started_at = 0.0
        self.snapshot: Workflow | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, workflow: Workflow, scenario_ids: list[str | None], settings: RunSettings,
              workspace_path: Path | None = None, label: str = "") -> None:
        """Run ``scenario_ids`` (first = reference; ``None`` = baseline) on a snapshot of ``workflow``."""
        if self._thread is not None:
            raise FlowmodelError("a run is already in progress", hint="wait for it or cancel it")
        problems = settings.problems()
        if problems:
            raise FlowmodelError(problems[0][1], where=f"run settings · {problems[0][0]}",
                                 hint="correct the run settings")
        self.snapshot = workflow.copy()
        thread = _RunThread(self.snapshot, list(scenario_ids), settings, self.jobs, workspace_path, label)
        thread.progressed.connect(self._progressed)
        thread.succeeded.connect(self._succeeded)
        thread.failed.connect(self._failed)
        thread.cancelled.connect(self._cancelled)
        self._thread = thread
        self._started_at = time.monotonic()
        thread.start()
        self.started.emit()
        self.running_changed.emit(True)

    def cancel(self) -> None:
        """Ask the workers to stop; ``cancelled`` follows once every worker process has ended."""
        if self._thread is not None:
            self._thread.cancel.set()

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the thread has ended (closing the window, tests)."""
        return self._thread.wait(timeout_ms) if self._thread is not None else True

    # -- from the run thread (queued onto the UI thread) -------------------------------------------
    def _progressed(self, progress: Progress) -> None:
        elapsed = time.monotonic() - self._started_at
        fraction = progress.fraction
        remaining = elapsed * (1.0 - fraction) / fraction if fraction > 0.01 else None
        self.progressed.emit(RunProgress(progress.replications_done, progress.replications_total,
                                         progress.simulated_s / 3600.0, progress.simulated_total_s / 3600.0,
                                         fraction, elapsed, remaining))

    def _end(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.wait()
            thread.deleteLater()
        self.running_changed.emit(False)

    def _succeeded(self, result: RunResult, run_id: str) -> None:
        snapshot = self.snapshot
        self._end()
        self.finished.emit(result, run_id, snapshot)

    def _failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)

    def _cancelled(self) -> None:
        self._end()
        self.cancelled.emit()
