"""One piece of long work (a run, a staffing search) in the background without ever blocking the window.

Rules:
- :meth:`BackgroundController.launch` starts one :class:`QThread` that calls ``work(cancel, on_progress)``
  and only waits: the work hands its simulations to spawn worker processes (a
  :class:`~simulations.executors.ProcessPoolExecutor`). One job at a time; a second start is a
  :class:`~flowmodel.errors.FlowmodelError` the caller shows.
- Everything the thread reports reaches the window through Qt signals emitted on the thread, which Qt
  delivers as queued calls on the UI thread; the work touches no widget.
- Cancel sets the event the work was given; the work raises :class:`~simulations.spec.RunCancelled` once its
  workers have stopped and the controller reports ``cancelled``. Errors are reported as text (``failed``),
  never raised: a :class:`~simulations.spec.SimulationError` with its first validation issues, any other
  :class:`~flowmodel.errors.FlowmodelError` rendered, anything else as "The <what> stopped unexpectedly".
- The thread has ended (``running`` is False, ``running_changed(False)`` sent) before ``finished``,
  ``failed`` or ``cancelled`` is emitted, so their receivers may start the next job at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from flowmodel.errors import FlowmodelError
from simulations.spec import RunCancelled, SimulationError

ProgressSink = Callable[[object], None]
Work = Callable[[threading.Event, ProgressSink], object]

ISSUES_SHOWN = 5


def failure_text(error: Exception, what: str) -> str:
    """What a planner reads when background work fails: the typed error's own words, never a traceback."""
    if isinstance(error, SimulationError):
        details = "\n".join(issue.render() for issue in error.issues[:ISSUES_SHOWN])
        return error.render() + (f"\n{details}" if details else "")
    if isinstance(error, FlowmodelError):
        return error.render()
    return f"The {what} stopped unexpectedly: {error}"


class _WorkThread(QThread):
    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Work, what: str) -> None:
        super().__init__()
        self.work = work
        self.what = what
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            result = self.work(self.cancel, self.progressed.emit)
        except RunCancelled:
            self.cancelled.emit()
        except Exception as error:  # a fault in a worker must not leave the window waiting for ever
            self.failed.emit(failure_text(error, self.what))
        else:
            self.succeeded.emit(result)


class BackgroundController(QObject):
    """Starts, follows and cancels one piece of background work at a time.

    A subclass names the work (``what``, used in messages), declares ``finished`` with the arguments its
    window needs, builds the work in its own ``start`` and hands it to :meth:`launch`, and turns the work's
    return value into ``finished`` in :meth:`deliver`.
    """

    started = Signal()
    progressed = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    running_changed = Signal(bool)

    what = "job"

    def __init__(self, parent: QObject | None = None, jobs: int | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self._thread: _WorkThread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def check_idle(self) -> None:
        """Raise before a second job is prepared while one is still going."""
        if self._thread is not None:
            raise FlowmodelError(f"a {self.what} is already in progress", hint="wait for it or cancel it")

    def launch(self, work: Work) -> None:
        """Run ``work(cancel, on_progress)`` on a new thread; its return value goes to :meth:`deliver`."""
        self.check_idle()
        thread = _WorkThread(work, self.what)
        thread.progressed.connect(self.report_progress)
        thread.succeeded.connect(self._succeeded)
        thread.failed.connect(self._failed)
        thread.cancelled.connect(self._cancelled)
        self._thread = thread
        thread.start()
        self.started.emit()
        self.running_changed.emit(True)

    def cancel(self) -> None:
        """Ask the workers to stop; ``cancelled`` follows once every worker process has ended."""
        if self._thread is not None:
            self._thread.cancel.set()

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the thread has ended (closing a window or dialog, tests)."""
        return self._thread.wait(timeout_ms) if self._thread is not None else True

    # -- on the UI thread, queued from the work thread -------------------------------------------
    def report_progress(self, progress: object) -> None:
        """Pass progress on as the work reported it; a subclass may translate it first."""
        self.progressed.emit(progress)

    def deliver(self, result: object) -> None:
        """Emit the subclass's ``finished`` from what the work returned."""
        raise NotImplementedError(f"{type(self).__name__} must say how a finished {self.what} is delivered")

    def _end(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.wait()
            thread.deleteLater()
        self.running_changed.emit(False)

    def _succeeded(self, result: object) -> None:
        self._end()
        self.deliver(result)

    def _failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)

    def _cancelled(self) -> None:
        self._end()
        self.cancelled.emit()
