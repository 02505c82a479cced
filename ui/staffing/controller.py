"""Run a staffing search in the background without ever blocking the window.

Rules (the pattern of :mod:`ui.run.controller`):
- :meth:`StaffingController.start` takes a snapshot of the workflow and starts one :class:`QThread` that only
  waits: it calls :func:`simulations.staffing.recommend_staffing` with a
  :class:`~simulations.executors.ProcessPoolExecutor`, whose spawn worker processes do the simulations.
- Everything the thread reports reaches the window through Qt signals (queued onto the UI thread); the thread
  touches no widget. Errors are reported as text (``failed``), never raised.
- Cancel sets an event; the executor stops and joins its workers and the thread reports ``cancelled``.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal

from flowmodel.errors import FlowmodelError
from flowmodel.run_settings import RunSettings
from flowmodel.workflow import Workflow
from simulations.executors import ProcessPoolExecutor
from simulations.spec import RunCancelled, SimulationError
from simulations.staffing import StaffingPlan, StaffingTargets, recommend_staffing


class _SearchThread(QThread):
    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, workflow: Workflow, scenario_id: str | None, targets: StaffingTargets, settings: RunSettings,
                 jobs: int | None, max_evaluations: int) -> None:
        super().__init__()
        self.workflow, self.scenario_id, self.targets, self.settings = workflow, scenario_id, targets, settings
        self.jobs, self.max_evaluations = jobs, max_evaluations
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            plan = recommend_staffing(self.workflow, self.scenario_id, self.targets, self.settings,
                                      executor=ProcessPoolExecutor(self.jobs), on_progress=self.progressed.emit,
                                      cancel=self.cancel, max_evaluations=self.max_evaluations)
        except RunCancelled:
            self.cancelled.emit()
        except SimulationError as error:
            details = "\n".join(issue.render() for issue in error.issues[:5])
            self.failed.emit(error.render() + (f"\n{details}" if details else ""))
        except FlowmodelError as error:
            self.failed.emit(error.render())
        except Exception as error:  # a fault in a worker must not leave the dialog waiting for ever
            self.failed.emit(f"The staffing search stopped unexpectedly: {error}")
        else:
            self.succeeded.emit(plan)


class StaffingController(QObject):
    """Starts, follows and cancels one background staffing search at a time."""

    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, jobs: int | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self._thread: _SearchThread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, workflow: Workflow, scenario_id: str | None, targets: StaffingTargets, settings: RunSettings,
              max_evaluations: int) -> None:
        """Search staffing for ``scenario_id`` (``None`` = baseline) on a snapshot of ``workflow``."""
        if self._thread is not None:
            raise FlowmodelError("a staffing search is already in progress", hint="wait for it or cancel it")
        problems = settings.problems()
        if problems:
            raise FlowmodelError(problems[0][1], where=f"staffing settings · {problems[0][0]}",
                                 hint="correct the settings")
        thread = _SearchThread(workflow.copy(), scenario_id, targets, settings, self.jobs, max_evaluations)
        thread.progressed.connect(self.progressed)
        thread.succeeded.connect(self._succeeded)
        thread.failed.connect(self._failed)
        thread.cancelled.connect(self._cancelled)
        self._thread = thread
        thread.start()
        self.running_changed.emit(True)

    def cancel(self) -> None:
        """Ask the workers to stop; ``cancelled`` follows once every worker process has ended."""
        if self._thread is not None:
            self._thread.cancel.set()

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the thread has ended (closing the dialog, tests)."""
        return self._thread.wait(timeout_ms) if self._thread is not None else True

    def _end(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.wait()
            thread.deleteLater()
        self.running_changed.emit(False)

    def _succeeded(self, plan: StaffingPlan) -> None:
        self._end()
        self.finished.emit(plan)

    def _failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)

    def _cancelled(self) -> None:
        self._end()
        self.cancelled.emit()
