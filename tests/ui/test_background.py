"""The shared background controller on plain work (no worker processes): progress, the finished value, each
kind of failure as readable text, Cancel, and one job at a time."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Signal

from flowmodel.errors import FlowmodelError
from flowmodel.validation_issues import Issue
from simulations.spec import RunCancelled, SimulationError
from ui.background import BackgroundController, ProgressSink

TIMEOUT_MS = 5000


class ChecklistController(BackgroundController):
    """A minimal user of the shared controller, as the run and staffing controllers are."""

    finished = Signal(object)
    what = "checklist"

    def deliver(self, result: object) -> None:
        self.finished.emit(result)


@pytest.fixture
def controller(qtbot) -> ChecklistController:
    controller = ChecklistController()
    yield controller
    controller.cancel()
    qtbot.waitUntil(lambda: not controller.running, timeout=TIMEOUT_MS)


def test_progress_and_the_result_arrive_after_the_thread_has_ended(controller, qtbot):
    progress, running, started, finished, running_when_finished = [], [], [], [], []
    controller.progressed.connect(progress.append)
    controller.running_changed.connect(running.append)
    controller.started.connect(lambda: started.append(controller.running))
    controller.finished.connect(finished.append)
    controller.finished.connect(lambda _result: running_when_finished.append(controller.running))

    def work(cancel: threading.Event, on_progress: ProgressSink) -> str:
        for step in (1, 2, 3):
            on_progress(step)
        return "three steps"

    controller.launch(work)
    assert started == [True]
    qtbot.waitUntil(lambda: finished == ["three steps"], timeout=TIMEOUT_MS)
    assert progress == [1, 2, 3]
    assert running == [True, False] and running_when_finished == [False]


def failing_with(error: Exception):
    def work(cancel: threading.Event, on_progress: ProgressSink) -> None:
        raise error
    return work


@pytest.mark.parametrize(("error", "text"), [
    (FlowmodelError("no team works at Triage", where="Triage", hint="add a team"),
     "Triage: no team works at Triage\nWhat to do: add a team"),
    (SimulationError("the model cannot be simulated", issues=[
        Issue("error", "Triage has no team", "give it a team", rule="stage-team")]),
     "the model cannot be simulated\nerror [stage-team] Triage has no team — give it a team"),
    (ValueError("worker died"), "The checklist stopped unexpectedly: worker died"),
])
def test_a_failure_is_reported_as_text(controller, qtbot, error, text):
    with qtbot.waitSignal(controller.failed, timeout=TIMEOUT_MS) as failed:
        controller.launch(failing_with(error))
    assert failed.args == [text]
    assert not controller.running


def test_cancel_reaches_the_work_and_is_reported(controller, qtbot):
    def work(cancel: threading.Event, on_progress: ProgressSink) -> None:
        if cancel.wait(TIMEOUT_MS / 1000):
            raise RunCancelled("cancelled")

    finished = []
    controller.finished.connect(finished.append)
    controller.launch(work)
    assert controller.running
    with qtbot.waitSignal(controller.cancelled, timeout=TIMEOUT_MS):
        controller.cancel()
    assert not controller.running and finished == []


def test_one_job_at_a_time(controller, qtbot):
    release = threading.Event()

    def work(cancel: threading.Event, on_progress: ProgressSink) -> str:
        release.wait(TIMEOUT_MS / 1000)
        return "done"

    controller.launch(work)
    with pytest.raises(FlowmodelError, match="a checklist is already in progress"):
        controller.launch(work)
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT_MS):
        release.set()
    controller.launch(work)
    assert controller.running
    release.set()
    assert controller.wait(TIMEOUT_MS)
