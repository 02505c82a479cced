"""Where replications run: in this process, in a local process pool, or on a Dask cluster.

Rules:
- One interface: ``Executor.run(tasks, on_progress, cancel) -> list[ReplicationResult]``. A task is
  ``(RunSpec, replication)`` and the work is :func:`simulations.engine.run_replication`, a pure function,
  so results are returned in task order and are bit-identical whichever executor ran them.
- Progress (:class:`Progress`) is reported on the calling thread: replications done and simulated seconds
  (finished replications count in full; running ones as far as their clock has got — the Dask executor
  reports finished replications only).
- Cancellation: set the ``cancel`` event. Pending tasks are cancelled; running ones stop at their next
  ``should_stop`` check (the engine asks once per simulated hour; Dask workers look at most once a second);
  pool processes still alive after ``STOP_GRACE_S`` are terminated, every process is joined, and ``run``
  raises :class:`RunCancelled`.
- Pool workers are started with the ``spawn`` context (no inherited state, same behaviour on every
  platform) and ignore Ctrl-C: the caller turns Ctrl-C into a cancel, so no worker prints a traceback.
- Dask is an optional extra (``flowmodel[cluster]``) and is imported only when a cluster is used.
- ``with executor.kept_workers():`` keeps one pool of local workers for every ``run`` inside the block (a
  staffing search runs many small batches, and starting spawn workers costs seconds each time); a cancelled
  or failed run still stops its workers, and the next run in the block starts fresh ones. Other executors
  have nothing to keep.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import queue as queue_module
import signal
import socket
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flowmodel.errors import FlowmodelError
from simulations.engine import run_replication
from simulations.results import ReplicationResult
from simulations.spec import RunCancelled, RunSpec
from simulations.timebase import HOUR_S

Task = tuple[RunSpec, int]
POLL_S = 0.05
TICK_S = 0.25
STOP_GRACE_S = 3.0


@dataclass(frozen=True)
class Progress:
    replications_done: int
    replications_total: int
    simulated_s: float
    simulated_total_s: float
    #: (task index, result) of the replications finished since the previous report — what a caller needs to
    #: show a run taking shape while it goes on ("watch a run"); empty on clock-only reports.
    finished: tuple[tuple[int, ReplicationResult], ...] = ()

    @property
    def fraction(self) -> float:
        """Share of all simulated time done (0–1): smoother than counting replications."""
        if self.simulated_total_s <= 0:
            return self.replications_done / max(self.replications_total, 1)
        return min(self.simulated_s / self.simulated_total_s, 1.0)


ProgressCallback = Callable[[Progress], None]


class _Tracker:
    """Turns per-task clock ticks and completions into :class:`Progress` for the caller."""

    def __init__(self, tasks: Sequence[Task], on_progress: ProgressCallback | None) -> None:
        self.horizons = [spec.horizon_s for spec, _ in tasks]
        self.clock = [0.0] * len(tasks)
        self.done = 0
        self.on_progress = on_progress
        self.new: list[tuple[int, ReplicationResult]] = []

    def tick(self, index: int, simulated_s: float) -> None:
        if index >= len(self.clock):
            return  # a late tick of an earlier run on kept workers
        self.clock[index] = min(max(self.clock[index], simulated_s), self.horizons[index])

    def finished(self, index: int, result: ReplicationResult) -> None:
        self.clock[index] = self.horizons[index]
        self.done += 1
        self.new.append((index, result))

    def report(self) -> None:
        if self.on_progress is not None:
            self.on_progress(Progress(self.done, len(self.horizons), sum(self.clock), sum(self.horizons),
                                      tuple(self.new)))
        self.new.clear()


def _cancelled() -> RunCancelled:
    return RunCancelled("the run was cancelled")


def _throttled(send: Callable[[float], None]) -> Callable[[float], None]:
    """The engine's hourly ``progress(simulated_h)`` as ``send(simulated_s)`` at most every :data:`TICK_S` of wall
    time: a fast replication ticks thousands of times a second, more than a progress bar can use."""
    last = 0.0

    def tick(simulated_h: float) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= TICK_S:
            last = now
            send(simulated_h * HOUR_S)

    return tick


class Executor(ABC):
    @abstractmethod
    def run(self, tasks: Sequence[Task], on_progress: ProgressCallback | None = None,
            cancel: threading.Event | None = None) -> list[ReplicationResult]:
        """Run every task; results in task order. Raises :class:`RunCancelled` when ``cancel`` is set."""

    @contextlib.contextmanager
    def kept_workers(self) -> Iterator[None]:
        """Keep workers alive between runs inside the block (see the module rules); nothing to keep here."""
        yield


class SerialExecutor(Executor):
    """Runs replications one after another in the calling thread (tests, debugging, ``--jobs 1``)."""

    def run(self, tasks: Sequence[Task], on_progress: ProgressCallback | None = None,
            cancel: threading.Event | None = None) -> list[ReplicationResult]:
        tasks = list(tasks)
        tracker = _Tracker(tasks, on_progress)
        results: list[ReplicationResult] = []
        stop = cancel.is_set if cancel is not None else None
        for index, (spec, replication) in enumerate(tasks):
            def send(simulated_s: float, index: int = index) -> None:
                tracker.tick(index, simulated_s)
                tracker.report()

            if cancel is not None and cancel.is_set():
                raise _cancelled()
            results.append(run_replication(spec, replication, progress=_throttled(send), should_stop=stop))
            tracker.finished(index, results[-1])
            tracker.report()
        return results


# -- local process pool ------------------------------------------------------------------------------
_worker_ticks: Any = None
_worker_stop: Any = None


def _init_pool_worker(ticks: Any, stop: Any) -> None:
    global _worker_ticks, _worker_stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_ticks, _worker_stop = ticks, stop


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl+C held back (not lost) while worker processes are spawned: the signal mask survives fork and exec, so
    a worker starts with Ctrl+C blocked and an interrupt cannot reach it halfway through its interpreter's own
    start-up (a "Fatal Python error" there); the main process receives it when the block ends and cancels."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _pool_task(spec: RunSpec, replication: int, index: int) -> ReplicationResult:
    tick = _throttled(lambda simulated_s: _worker_ticks.put((index, simulated_s)))
    return run_replication(spec, replication, progress=tick, should_stop=_worker_stop.is_set)


class ProcessPoolExecutor(Executor):
    """Runs replications on ``jobs`` local worker processes (spawn context)."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
        self._keep = False
        self._workers: tuple[concurrent.futures.ProcessPoolExecutor, Any, Any] | None = None

    @contextlib.contextmanager
    def kept_workers(self) -> Iterator[None]:
        """One pool of ``jobs`` workers for every run inside the block, shut down when it ends."""
        self._keep = True
        try:
            yield
        finally:
            self._keep = False
            self._close_workers()

    def _start_workers(self, count: int) -> tuple[concurrent.futures.ProcessPoolExecutor, Any, Any]:
        if self._workers is not None:
            return self._workers
        context = multiprocessing.get_context("spawn")
        ticks, stop = context.Queue(), context.Event()
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.jobs if self._keep else min(self.jobs, count), mp_context=context,
            initializer=_init_pool_worker, initargs=(ticks, stop))
        workers = (pool, ticks, stop)
        if self._keep:
            self._workers = workers
        return workers

    def _close_workers(self, workers: tuple[concurrent.futures.ProcessPoolExecutor, Any, Any] | None = None,
                       stopped: bool = False) -> None:
        workers = workers or self._workers
        if workers is None:
            return
        if workers is self._workers:
            self._workers = None
        pool, ticks, _ = workers
        if not stopped:
            pool.shutdown(wait=True)
        ticks.close()
        ticks.join_thread()

    def run(self, tasks: Sequence[Task], on_progress: ProgressCallback | None = None,
            cancel: threading.Event | None = None) -> list[ReplicationResult]:
        tasks = list(tasks)
        if not tasks:
            return []
        workers = self._start_workers(len(tasks))
        pool, ticks, stop = workers
        tracker = _Tracker(tasks, on_progress)
        results: list[ReplicationResult | None] = [None] * len(tasks)
        try:
            with _interrupts_held():  # the first submit spawns the workers
                futures = {pool.submit(_pool_task, spec, replication, index): index
                           for index, (spec, replication) in enumerate(tasks)}
            pending = set(futures)
            while pending:
                done, pending = concurrent.futures.wait(pending, timeout=POLL_S,
                                                        return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    results[futures[future]] = _pool_result(future)
                    tracker.finished(futures[future], results[futures[future]])
                _drain(ticks, tracker)
                tracker.report()
                if cancel is not None and cancel.is_set():
                    raise _cancelled()
        except BaseException:
            stop.set()
            _stop_pool(pool)
            self._close_workers(workers, stopped=True)
            raise
        if workers is not self._workers:
            self._close_workers(workers)
        else:
            _drain(ticks, tracker)  # late ticks of this run must not be read as the next run's
        return [result for result in results if result is not None]


def _pool_result(future: concurrent.futures.Future[ReplicationResult]) -> ReplicationResult:
    try:
        return future.result()
    except concurrent.futures.process.BrokenProcessPool:
        raise FlowmodelError("a worker process stopped unexpectedly (out of memory, or killed)",
                             hint="run again with fewer jobs (--jobs) or fewer replications") from None


def _drain(ticks: Any, tracker: _Tracker) -> None:
    while True:
        try:
            index, simulated_s = ticks.get_nowait()
        except queue_module.Empty:
            return
        tracker.tick(index, simulated_s)


def _stop_pool(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Cancel what has not started, give running workers a moment to stop, then terminate and join them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + STOP_GRACE_S
    for process in processes:
        process.join(max(deadline - time.monotonic(), 0.0))
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join()
    pool.shutdown(wait=True)


# -- Dask ---------------------------------------------------------------------------------------------
def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise FlowmodelError("running on a cluster needs Dask, which is not installed",
                             hint="install the cluster extra: pip install 'flowmodel[cluster]'") from None
    return distributed


def _dask_task(spec: RunSpec, replication: int, stop_name: str) -> ReplicationResult:
    import distributed

    stop = distributed.Event(stop_name)
    last = [time.monotonic()]

    def should_stop() -> bool:
        now = time.monotonic()
        if now - last[0] < 1.0:
            return False
        last[0] = now
        return bool(stop.is_set())

    return run_replication(spec, replication, should_stop=should_stop)


class DaskExecutor(Executor):
    """Runs replications on a Dask distributed cluster given its scheduler address (``tcp://host:8786``)."""

    def __init__(self, address: str, connect_timeout_s: float = 10.0) -> None:
        _import_distributed()
        self.address = address
        self.connect_timeout_s = connect_timeout_s
        self._endpoint = _scheduler_endpoint(address)

    def _check_reachable(self) -> None:
        """Refuse an unreachable scheduler with a plain socket before Dask's client is made: a client that
        fails to connect tries to close itself at exit, hangs for 20 s and prints a traceback."""
        if self._endpoint is None:
            return
        try:
            socket.create_connection(self._endpoint, timeout=self.connect_timeout_s).close()
        except OSError as error:
            raise FlowmodelError(f"cannot reach the Dask scheduler at {self.address}: {error}",
                                 hint="check the address and that the scheduler is running") from None

    def run(self, tasks: Sequence[Task], on_progress: ProgressCallback | None = None,
            cancel: threading.Event | None = None) -> list[ReplicationResult]:
        distributed = _import_distributed()
        tasks = list(tasks)
        if not tasks:
            return []
        tracker = _Tracker(tasks, on_progress)
        self._check_reachable()
        try:
            client = distributed.Client(self.address, set_as_default=False, timeout=self.connect_timeout_s)
        except (OSError, TimeoutError) as error:
            raise FlowmodelError(f"cannot reach the Dask scheduler at {self.address}: {error}",
                                 hint="check the address and that the scheduler is running") from None
        with client:
            stop = distributed.Event(f"flowmodel-stop-{uuid.uuid4().hex}", client=client)
            futures = [client.submit(_dask_task, spec, replication, stop.name, pure=False)
                       for spec, replication in tasks]
            results: list[ReplicationResult | None] = [None] * len(tasks)
            try:
                pending = set(range(len(tasks)))
                while pending:
                    for index in [i for i in pending if futures[i].done()]:
                        results[index] = futures[index].result()
                        tracker.finished(index, results[index])
                        pending.discard(index)
                    tracker.report()
                    if cancel is not None and cancel.is_set():
                        raise _cancelled()
                    if pending:
                        time.sleep(POLL_S)
            except BaseException:
                stop.set()
                client.cancel(futures)
                raise
        return [result for result in results if result is not None]


def _scheduler_endpoint(address: str) -> tuple[str, int] | None:
    """(host, port) of a ``tcp://`` or ``tls://`` scheduler address (None for other transports); an address
    Dask cannot read is a :class:`FlowmodelError` at once, before anything runs."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        return parse_host_port(location) if scheme in ("tcp", "tls") else None
    except ValueError as error:
        raise FlowmodelError(f"cannot read the Dask scheduler address {address!r}: {error}",
                             hint="write it as tcp://host:port, e.g. tcp://10.0.0.5:8786") from None


def make_executor(jobs: int | None = None, cluster: str | None = None) -> Executor:
    """The executor for a run: Dask when a scheduler address is given, serial for one job, else a pool."""
    if cluster:
        return DaskExecutor(cluster)
    if jobs == 1:
        return SerialExecutor()
    return ProcessPoolExecutor(jobs)
