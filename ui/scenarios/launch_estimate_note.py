"""The launch plan's estimate under its timeline: backlog peaks and time back in SLA, in a blink, before any run.

Rules: the estimate (:mod:`simulations.analytic.launch_estimate`) is recomputed a moment after the last edit
(debounced, so typing does not stall the window), only for a launch plan; a plan the engine would refuse shows the
reason instead. The note says it is an estimate: the run's figures are the simulation's.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QTimer
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
        self.hide()

    def show_scenario(self, workflow: Workflow, scenario: Scenario | None) -> None:
        self._workflow, self._scenario = workflow, scenario
        if scenario is None or not scenario.is_launch_plan():
            self._timer.stop()
            self.hide()
            return
        self._timer.start()

    def refresh(self) -> None:
        """Compute and show the estimate now (the debounce timer calls this)."""
        workflow, scenario = self._workflow, self._scenario
        if workflow is None or scenario is None or not scenario.is_launch_plan():
            self.hide()
            return
        try:
            lines = estimate_lines(estimate_launch(workflow, scenario))
            body = "<br>".join(f"• {line}" for line in lines)
            self.setText(f"<b>Estimate</b> <span style='color:#666'>(fluid, no simulation — run for the "
                         f"figures)</span><br>{body}")
        except FlowmodelError as error:
            self.setText(f"<b>Estimate</b> <span style='color:#666'>unavailable: {error.message}</span>")
        self.show()
