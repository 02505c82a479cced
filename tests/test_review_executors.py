"""Review findings on the cluster executor: a mistyped or unreachable scheduler address is one clear
error, at once, rather than a Dask traceback (and a 20-second hang at exit)."""

from __future__ import annotations

import socket
import time

import pytest
from engine_models import settings, single_stage

from flowmodel import Distribution
from flowmodel.errors import FlowmodelError
from simulations.executors import make_executor
from simulations.spec import compile_run


@pytest.mark.parametrize("address", ["garbage address", "tcp://host-without-port"])
def test_an_unreadable_scheduler_address_is_refused_before_the_run(address: str) -> None:
    with pytest.raises(FlowmodelError, match="cannot read the Dask scheduler address") as caught:
        make_executor(cluster=address)
    assert "tcp://host:port" in caught.value.hint


def test_an_unreachable_scheduler_is_refused_quickly() -> None:
    with socket.socket() as probe:  # a port nobody listens on: bound, then released
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    executor = make_executor(cluster=f"tcp://127.0.0.1:{port}")
    spec = compile_run(single_stage(10, Distribution.fixed(1, "min"), 1), None, settings(1))
    started = time.monotonic()
    with pytest.raises(FlowmodelError, match="cannot reach the Dask scheduler"):
        executor.run([(spec, 0)])
    assert time.monotonic() - started < 5.0
