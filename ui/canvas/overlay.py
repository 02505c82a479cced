"""What the cards show beyond the model: scenario values, the analytic estimate and simulated results.

Rules:
- The scene owns one :class:`CanvasOverlay` (``scene.overlay``); node items ask it, never the other way
  round, and it never writes to the model. Without an overlay cards draw the baseline as before.
- In scenario mode the cards show the scenario's values (:meth:`ScenarioMode.shown_workflow`) and the
  nodes the scenario changes get an amber dashed outline and a "scenario" tag.
- Under every review stage a pill shows the instant Erlang / traffic-equation estimate
  (:func:`simulations.analytic.stage_estimates`) of the shown model: utilisation, mean wait, and
  "unstable" when the offered load reaches the reviewers; it is recomputed shortly after each edit.
- After a run the planner can colour stages by utilisation (the mean utilisation of the teams working the
  stage) or by backlog (mean queue length, relative to the largest); the pill then shows the simulated figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen

from flowmodel.errors import ModelError
from flowmodel.workflow import Workflow
from simulations.analytic.stage_estimates import StageEstimate, stage_estimates
from simulations.runner import RunResult
from ui.canvas import style
from ui.scenarios.mode import ScenarioMode

if TYPE_CHECKING:
    from ui.canvas.node_item import NodeItem
    from ui.canvas.scene import WorkflowScene

PILL_SPACE = 26.0
PILL_HEIGHT = 18.0
SCENARIO_AMBER = QColor("#e0a100")
GOOD, BUSY, OVERLOADED = QColor("#2d9d78"), QColor("#e09b1c"), QColor("#d64545")
PILL_FONT = style.font(7.5)
TAG_FONT = style.font(7.0, bold=True)


def overlay_of(scene: Any) -> CanvasOverlay | None:
    return getattr(scene, "overlay", None)


def load_colour(share: float) -> QColor:
    """Green below 80 %, amber to 95 %, red above: a bottleneck reads at a glance."""
    return GOOD if share < 0.8 else BUSY if share < 0.95 else OVERLOADED


def _minutes(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "∞"
    return f"{seconds / 60:.1f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


@dataclass(frozen=True)
class StageFigure:
    text: str
    colour: QColor


class CanvasOverlay(QObject):
    """Attach with :meth:`attach`; follows the scenario mode and the workflow's edits."""

    def __init__(self, mode: ScenarioMode, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.scene: WorkflowScene | None = None
        self.workflow: Workflow | None = None
        self.estimates: dict[str, StageEstimate] = {}
        self.results: dict[str, StageFigure] = {}
        self.colour_by = ""
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.update_estimates)
        mode.changed.connect(self._schedule)

    def attach(self, scene: WorkflowScene) -> None:
        scene.overlay = self
        self.scene = scene

    def set_workflow(self, workflow: Workflow) -> None:
        if self.workflow is not None:
            self.workflow.events.changed.unsubscribe(self._schedule)
        self.workflow = workflow
        workflow.events.changed.subscribe(self._schedule)
        self.results = {}
        self.update_estimates()

    def _schedule(self) -> None:
        self._timer.start()

    # -- what cards ask ----------------------------------------------------------------------------
    def shown_workflow(self, baseline: Workflow) -> Workflow:
        shown = self.mode.shown_workflow() if self.mode.workflow is baseline else None
        return shown if shown is not None else baseline

    def is_changed(self, node_id: str) -> bool:
        return node_id in self.mode.changed_item_ids()

    def figure(self, node_id: str) -> StageFigure | None:
        if self.colour_by and node_id in self.results:
            return self.results[node_id]
        estimate = self.estimates.get(node_id)
        if estimate is None:
            return None
        if not estimate.stable:
            return StageFigure(f"est. unstable · load {estimate.utilisation:.0%} of capacity",
                               OVERLOADED)
        return StageFigure(f"est. {estimate.utilisation:.0%} busy · wait {_minutes(estimate.mean_wait_s)}",
                           load_colour(estimate.utilisation))

    # -- updates -----------------------------------------------------------------------------------
    def update_estimates(self) -> None:
        """Recompute the analytic estimate of the shown model and redraw the cards."""
        self.estimates = {}
        if self.workflow is not None:
            try:
                self.estimates = stage_estimates(self.shown_workflow(self.workflow))
            except (ModelError, ValueError, ZeroDivisionError):
                self.estimates = {}
        self.refresh_cards()

    def set_results(self, run: RunResult | None, scenario_id: str, colour_by: str) -> None:
        """Colour stages by ``colour_by`` ("utilisation", "backlog" or "" for none) from ``run``."""
        self.colour_by = colour_by if run is not None else ""
        self.results = stage_figures(run, scenario_id, self.workflow, colour_by) if run is not None else {}
        self.refresh_cards()

    def refresh_cards(self) -> None:
        if self.scene is not None:
            for item in self.scene.node_items.values():
                item.refresh()

    # -- drawing -----------------------------------------------------------------------------------
    def paint_card(self, painter: QPainter, item: NodeItem, rect: QRectF) -> None:
        """Tint, scenario outline and the figure pill of one card (called from its ``paint``)."""
        figure = self.figure(item.node_id)
        if figure is not None and self.colour_by and item.node_id in self.results:
            tint = QColor(figure.colour)
            tint.setAlpha(46)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(tint)
            painter.drawRect(QRectF(0, style.HEADER_HEIGHT, rect.width(), rect.height() - style.HEADER_HEIGHT
                                    - style.CORNER_RADIUS))
        if self.is_changed(item.node_id):
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(SCENARIO_AMBER, 3.0, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), style.CORNER_RADIUS + 2, style.CORNER_RADIUS + 2)
            tag = QRectF(rect.width() - 74, -10, 64, 16)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(SCENARIO_AMBER)
            painter.drawRoundedRect(tag, 8, 8)
            painter.setPen(QColor("#1f2933"))
            painter.setFont(TAG_FONT)
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, "SCENARIO")
        if figure is not None:
            pill = QRectF(4, rect.height() + 5, rect.width() - 8, PILL_HEIGHT)
            painter.setPen(QPen(figure.colour, 1.2))
            painter.setBrush(style.PILL_FILL)
            painter.drawRoundedRect(pill, PILL_HEIGHT / 2, PILL_HEIGHT / 2)
            painter.setPen(figure.colour.darker(130))
            painter.setFont(PILL_FONT)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, figure.text)


def stage_figures(run: RunResult, scenario_id: str, workflow: Workflow | None, colour_by: str
                  ) -> dict[str, StageFigure]:
    """Per stage id: the simulated utilisation (of the teams working it) or backlog, as text and colour."""
    def mean(kind: str, metric: str) -> dict[str, float]:
        return {s.scope_id: s.mean for s in run.summaries
                if s.scenario_id == scenario_id and s.scope_kind == kind and s.metric == metric}

    queue = mean("stage", "queue_length_mean")
    waits = mean("stage", "wait_mean_s")
    team_use = mean("team", "utilisation_share")
    largest = max([v for v in queue.values() if math.isfinite(v)] or [0.0])
    out: dict[str, StageFigure] = {}
    for stage_id, backlog in queue.items():
        teams = workflow.teams_for_stage(stage_id) if workflow is not None else []
        shares = [team_use[t.id] for t in teams if t.id in team_use and math.isfinite(team_use[t.id])]
        use = sum(shares) / len(shares) if shares else math.nan
        text = (f"sim {use:.0%} busy · backlog {backlog:,.1f}" if math.isfinite(use)
                else f"sim backlog {backlog:,.1f}") + f" · wait {_minutes(waits.get(stage_id, math.nan))}"
        if colour_by == "backlog":
            relative = backlog / largest if largest > 0 else 0.0
            colour = load_colour(0.5 + 0.5 * relative) if largest > 0 else GOOD
        else:
            colour = load_colour(use) if math.isfinite(use) else GOOD
        out[stage_id] = StageFigure(text, colour)
    return out
