"""Executors: serial, process pool and Dask give identical results; progress arrives; cancel is prompt and clean."""

from __future__ import annotations

import threading
import time

import psutil
import pytest

from flowmodel import RunSettings
from simulations.executors import (
    DaskExecutor,
    ProcessPoolExecutor,
    Progress,
    SerialExecutor,
    make_executor,
)
from simulations.spec import RunCancelled, compile_run
from tests.conftest import make_triage_workflow


def _tasks(horizon_hours: float = 24.0, replications: int = 3) -> list:
    settings = RunSettings(horizon_hours=horizon_hours, warmup_hours=2.0, replications=replications, seed=7)
    spec = compile_run(make_triage_workflow(), None, settings)
    return [(spec, replication) for replication in range(replications)]


def _workers() -> set[int]:
    """Live child processes, without multiprocessing's resource tracker (it lives as long as this process)."""
    out = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if "resource_tracker" not in " ".join(child.cmdline()):
                out.add(child.pid)
        except psutil.NoSuchProcess:
            continue
    return out


def test_serial_pool_and_dask_give_identical_results_in_task_order() -> None:
    distributed = pytest.importorskip("distributed")
    tasks = _tasks()
    progress: list[Progress] = []
    serial = SerialExecutor().run(tasks, progress.append)
    pooled = ProcessPoolExecutor(jobs=2).run(tasks)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        dasked = DaskExecutor(cluster.scheduler_address).run(tasks)
    assert [r.replication for r in serial] == [0, 1, 2]
    assert serial == pooled == dasked
    assert serial[0].metrics != serial[1].metrics
    assert progress[-1].replications_done == 3 and progress[-1].fraction == 1.0
    assert [p.replications_done for p in progress] == sorted(p.replications_done for p in progress)


def test_serial_progress_reports_simulated_time_of_the_running_replication() -> None:
    tasks = _tasks(horizon_hours=24 * 20, replications=1)
    progress: list[Progress] = []
    SerialExecutor().run(tasks, progress.append)
    partial = [p for p in progress if p.replications_done == 0]
    assert partial, "no progress arrived while the replication ran"
    assert 0 < partial[0].simulated_s < tasks[0][0].horizon_s
    assert progress[-1].simulated_s == progress[-1].simulated_total_s == tasks[0][0].horizon_s


def test_serial_cancel_raises_run_cancelled() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(RunCancelled):
        SerialExecutor().run(_tasks(), cancel=cancel)


def test_cancel_during_a_pool_run_is_prompt_and_leaves_no_processes() -> None:
    before = _workers()
    tasks = _tasks(horizon_hours=24 * 365 * 3, replications=4)  # the longest horizon a run may have
    cancel = threading.Event()
    seen: list[Progress] = []
    workers: set[int] = set()

    def on_progress(progress: Progress) -> None:
        seen.append(progress)
        workers.update(_workers() - before)
        if progress.simulated_s > 0:
            cancel.set()

    started = time.monotonic()
    with pytest.raises(RunCancelled):
        ProcessPoolExecutor(jobs=2).run(tasks, on_progress, cancel)
    elapsed = time.monotonic() - started
    assert elapsed < 10.0
    assert any(p.simulated_s > 0 and p.replications_done == 0 for p in seen), "no simulated-time progress"
    assert workers, "the pool never started a worker"
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
                   for pid in workers)
    assert _workers() <= before


def test_a_missing_cluster_is_a_clear_error() -> None:
    pytest.importorskip("distributed")
    from flowmodel.errors import FlowmodelError

    with pytest.raises(FlowmodelError, match="cannot reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:9", connect_timeout_s=1.0).run(_tasks(replications=1))


def test_make_executor_picks_by_jobs_and_cluster() -> None:
    assert isinstance(make_executor(jobs=1), SerialExecutor)
    pool = make_executor(jobs=3)
    assert isinstance(pool, ProcessPoolExecutor) and pool.jobs == 3
