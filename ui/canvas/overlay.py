"""What the cards show beyond the model: scenario values, the analytic estimate and simulated results.

Rules:
- The scene owns one :class:`CanvasOverlay` (``scene.overlay``); node items ask it, never the other way
  round, and it never writes to the model. Without an overlay cards draw the baseline as before.
- In scenario mode the cards show the scenario's values (:meth:`ScenarioMode.shown_workflow`) and the
  nodes the scenario changes get an amber dashed outline and a "scenario" tag.
- Under every review stage a pill shows the instant estimate of the shown model by interval
  (:func:`simulations.analytic.stage_estimates`, its ``interval`` view): the busiest hour and its utilisation
  in the time zone of the stage's first team, the backlog it builds (or the mean wait when none builds), and
  the hours nobody able to review the stage's items is on shift — "est. peak 112 % Mon 09:00 · backlog ~340
  · 22:00–06:00 unstaffed"; "est. unstable · load 104 % of reviewers · backlog grows ~2,300/week" when the
  week's work is more than its reviewers can do. Red: the backlog grows without bound, the stage has
  unstaffed hours or misses an SLA target; amber: a backlog builds or the busiest hour is at 95 % or more;
  green otherwise. It is recomputed shortly after each edit.
- After a run the planner can colour stages by utilisation (the mean utilisation of the teams working the
  stage) or by backlog (mean queue length, relative to the largest); the pill then shows the simulated figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from flowmodel.errors import ModelError
from flowmodel.interval_grid import describe_hours, horizon_start, hour_label
from flowmodel.interval_load import StageInterval
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
    """``text`` is the whole figure; ``lines`` (optional) is how it breaks when one line would not fit."""

    text: str
    colour: QColor
    lines: tuple[str, ...] = ()


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
        if estimate.interval is None or self.workflow is None:
            return StageFigure(f"est. {estimate.utilisation:.0%} busy · wait {_minutes(estimate.mean_wait_s)}",
                               load_colour(estimate.utilisation))
        return interval_figure(self.shown_workflow(self.workflow), estimate.interval)

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
            self._paint_pill(painter, figure, rect, item)

    @staticmethod
    def _paint_pill(painter: QPainter, figure: StageFigure, rect: QRectF, item: NodeItem) -> None:
        """One line in a pill as wide as the card's drawing area when it fits; else the figure's two lines in a
        rounded box filling the space reserved under the card (``PILL_SPACE``) when no other card lies there;
        else one line, elided."""
        painter.setFont(PILL_FONT)
        metrics = QFontMetricsF(PILL_FONT)
        width = rect.width() + 8
        lines: tuple[str, ...] = (figure.text,)
        box = QRectF(-4, rect.height() + 5, width, PILL_HEIGHT)
        if metrics.horizontalAdvance(figure.text) > width - 12 and figure.lines:
            tall = QRectF(-4, rect.height() + 2, width, PILL_SPACE - 2)
            scene = item.scene()
            crowded = scene is not None and any(
                other is not item and hasattr(other, "node_id") for other in scene.items(item.mapRectToScene(tall)))
            if not crowded:
                lines, box = figure.lines, tall
        radius = PILL_HEIGHT / 2 if len(lines) == 1 else 7.0
        painter.setPen(QPen(figure.colour, 1.2))
        painter.setBrush(style.PILL_FILL)
        painter.drawRoundedRect(box, radius, radius)
        painter.setPen(figure.colour.darker(130))
        height = box.height() / len(lines)
        for i, line in enumerate(lines):
            text = metrics.elidedText(line, Qt.TextElideMode.ElideRight, width - 12)
            painter.drawText(QRectF(box.left(), box.top() + i * height, width, height), Qt.AlignmentFlag.AlignCenter,
                             text)

def _about(count: float) -> str:
    """``~340``, ``~1,260``: two or three significant figures are all a fluid estimate carries."""
    step = 10 if count >= 100 else 1
    return f"~{round(count / step) * step:,.0f}"


def interval_figure(workflow: Workflow, interval: StageInterval) -> StageFigure:
    """The pill of one stage from its interval estimate (see the module rules)."""
    teams = workflow.teams_for_stage(interval.stage_id)
    zone = teams[0].timezone if teams else "UTC"
    try:
        start = horizon_start(workflow.run_settings)
        peak = hour_label(start, interval.busiest_hour, zone)
        gaps = describe_hours(start, interval.uncovered_hours, zone, with_zone=False)
    except ModelError:
        return StageFigure(f"est. {interval.utilisation:.0%} busy", load_colour(interval.utilisation))
    stage = workflow.nodes.get(interval.stage_id)
    targets = {t.priority: t.share for t in getattr(stage, "sla", [])}
    missed = any(share < targets.get(priority, 0.0) for priority, share in interval.sla.items())
    use = interval.busiest_utilisation
    if interval.unbounded:
        parts = [f"est. unstable · load {interval.offered_share:.0%} of reviewers"
                 if math.isfinite(interval.offered_share) else "est. unstable · no reviewers"]
        if interval.growth_per_week >= 1:
            parts.append(f"backlog grows {_about(interval.growth_per_week)}/week")
    else:
        parts = [f"est. peak {use:.0%} {peak}" if math.isfinite(use) else "est. no reviewers"]
        parts.append(f"backlog {_about(interval.peak_backlog)}" if interval.peak_backlog >= 1
                     else f"wait {_minutes(interval.mean_wait_s)}")
    if gaps:
        first = gaps.split("; ")[0].replace(" (Mon–Sun)", "")
        parts.append(f"{first} unstaffed" + (" …" if "; " in gaps else ""))
    lines = (parts[0], " · ".join(parts[1:])) if len(parts) > 1 else ()
    if interval.unbounded or gaps or missed:
        colour = OVERLOADED
    elif interval.peak_backlog >= 1 or use >= 0.95:
        colour = BUSY
    else:
        colour = GOOD
    return StageFigure(" · ".join(parts), colour, lines)


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
