"""Run a staffing search in the background without ever blocking the window.

Rules:
- :class:`StaffingController` is a :class:`ui.background.BackgroundController` (its rules: one thread that
  only waits, queued signals, Cancel, errors as text). :meth:`StaffingController.start` takes a snapshot of
  the workflow and launches :func:`simulations.staffing.recommend_staffing` with a
  :class:`~simulations.executors.ProcessPoolExecutor`, whose spawn worker processes do the simulations.
- Progress is passed on as the search reports it; the finished search arrives as one
  :class:`~simulations.staffing.StaffingPlan`.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Signal

from flowmodel.errors import FlowmodelError
from flowmodel.run_settings import RunSettings
from flowmodel.workflow import Workflow
from simulations.executors import ProcessPoolExecutor
from simulations.staffing import StaffingPlan, StaffingTargets, recommend_staffing
from simulations.staffing.search import DEFAULT_TIME_BUDGET_S
from ui.background import BackgroundController, ProgressSink


class StaffingController(BackgroundController):
    """Starts, follows and cancels one background staffing search at a time."""

    finished = Signal(object)
    what = "staffing search"

    def start(self, workflow: Workflow, scenario_id: str | None, targets: StaffingTargets, settings: RunSettings,
              max_evaluations: int, time_budget_s: float = DEFAULT_TIME_BUDGET_S) -> None:
        """Search staffing for ``scenario_id`` (``None`` = baseline) on a snapshot of ``workflow``."""
        self.check_idle()
        problems = settings.problems()
        if problems:
            raise FlowmodelError(problems[0][1], where=f"staffing settings · {problems[0][0]}",
                                 hint="correct the settings")
        snapshot, jobs = workflow.copy(), self.jobs

        def work(cancel: threading.Event, on_progress: ProgressSink) -> StaffingPlan:
            return recommend_staffing(snapshot, scenario_id, targets, settings, executor=ProcessPoolExecutor(jobs),
                                      on_progress=on_progress, cancel=cancel, max_evaluations=max_evaluations,
                                      time_budget_s=time_budget_s)

        self.launch(work)

    def deliver(self, plan: StaffingPlan) -> None:
        self.finished.emit(plan)
