"""The launch plan's estimate under its timeline: backlog peaks and time back in SLA, in a blink, before any run.

Rules: the estimate (:mod:`simulations.analytic.launch_estimate`) is recomputed a moment after the last edit
(debounced), only for a launch plan, on a worker thread with a copy of the workflow, so the window never waits
for it; an answer for an older edit is dropped. A plan the engine would refuse shows the reason instead. The note
says it is an estimate: the run's figures are the simulation's.
"""

from __future__ import annotations

import html
import math
import threading

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from flowmodel.errors import FlowmodelError
from flowmodel.scenarios import Scenario
from flowmodel.workflow import Workflow
from simulations.analytic.launch_estimate import LaunchEstimate, estimate_launch

DEBOUNCE_MS = 300
#: Stages whose estimated backlog never passes this many items are left out of the note.
NOTABLE_BACKLOG = 1.0


def _days(hours: float) -> str:
    return f"{hours / 24.0:.1f} d" if hours >= 24.0 else f"{hours:.0f} h"


def estimate_lines(estimate: LaunchEstimate) -> list[str]:
    """The estimate in planner words: each target's recovery, then each stage's backlog peak."""
    lines: list[str] = []
    for target in estimate.targets:
        where = f"{target.stage_name} · {target.priority}"
        if target.days_below_target == 0:
            continue
        if math.isnan(target.recovery_h):
            lines.append(f"{where}: not back in SLA within the run ({target.days_below_target} days below target)")
        else:
            lines.append(f"{where}: back in SLA {_days(target.recovery_h)} after launch "
                         f"({target.days_below_target} days below target)")
    if not lines and estimate.targets:
        lines.append("Every SLA target holds from the launch on")
    for stage in estimate.stages:
        if stage.peak_items >= NOTABLE_BACKLOG:
            lines.append(f"{stage.stage_name}: backlog peaks at about {stage.peak_items:,.0f} items, "
                         f"{_days(stage.peak_after_launch_h)} after launch")
    return lines


class LaunchEstimateNote(QLabel):
    """A word-wrapped note with the selected launch plan's estimate (see the module rules)."""

    #: (edit generation, rich text) from the worker thread; delivered on the UI thread.
    answered = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("launchEstimate")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._workflow: Workflow | None = None
        self._scenario: Scenario | None = None
        self._generation = 0
        self.answered.connect(self._show_answer)
        self.hide()

    def show_scenario(self, workflow: Workflow, scenario: Scenario | None) -> None:
        self._workflow, self._scenario = workflow, scenario
        self._generation += 1
        if scenario is None or not scenario.is_launch_plan():
            self._timer.stop()
            self.hide()
            return
        self._timer.start()

    def refresh(self) -> None:
        """Start the estimate of what is shown now (the debounce timer calls this)."""
        workflow, scenario = self._workflow, self._scenario
        if workflow is None or scenario is None or not scenario.is_launch_plan():
            self.hide()
            return
        model = workflow.copy()  # the worker reads its own copy while the planner edits on
        plan = model.scenarios.get(scenario.id, scenario)
        generation = self._generation
        threading.Thread(target=self._work, args=(generation, model, plan), daemon=True,
                         name="launch-estimate").start()

    def _work(self, generation: int, workflow: Workflow, scenario: Scenario) -> None:
        try:
            lines = estimate_lines(estimate_launch(workflow, scenario))
            body = "<br>".join(f"• {html.escape(line)}" for line in lines)
            text = (f"<b>Estimate</b> <span style='color:#666'>(fluid, no simulation — run for the "
                    f"figures)</span><br>{body}")
        except FlowmodelError as error:
            text = f"<b>Estimate</b> <span style='color:#666'>unavailable: {html.escape(error.message)}</span>"
        except Exception:  # a fault of the estimate must not take the note (or a thread) down loudly
            text = "<b>Estimate</b> <span style='color:#666'>unavailable: the estimate stopped unexpectedly</span>"
        self.answered.emit(generation, text)

    def _show_answer(self, generation: int, text: str) -> None:
        if generation != self._generation:
            return  # an older edit's answer
        self.setText(text)
        self.show()
