"""What the cards show beyond the model: scenario values, the analytic estimate and simulated results.

Rules:
- The scene owns one :class:`CanvasOverlay` (``scene.overlay``); node items ask it, never the other way
  round, and it never writes to the model. Without an overlay cards draw the baseline as before.
- In scenario mode the cards show the scenario's values (:meth:`ScenarioMode.shown_workflow`) and the
  nodes the scenario changes get an amber dashed outline and a "scenario" tag.
- Under every review stage a pill says first what is plainly true of the model — "no work arrives" (grey)
  when no item reaches the stage, "no team works this stage: backlog grows by ~X/week" (red) when items
  arrive and no team works it — and otherwise shows the instant estimate of the shown model by interval
  (:func:`simulations.analytic.stage_estimates`, its ``interval`` view): the busiest hour and its utilisation
  in the time zone of the stage's first team, the backlog it builds (or the mean wait when none builds), and
  the hours nobody able to review the stage's items is on shift — "est. peak 112 % Mon 09:00 · backlog ~340
  · 22:00–06:00 unstaffed"; "est. overloaded: backlog grows by ~2,300/week (load 104 % of reviewers)" when
  the week's work is more than its reviewers can do. A pill never shows a figure that is not a number
  ("inf %"). Red: the backlog grows without bound, the stage has unstaffed hours or misses an SLA target;
  amber: a backlog builds or the busiest hour is at 95 % or more; green otherwise. It is recomputed shortly
  after each edit. The pill sits just under its card, within the ``PILL_SPACE`` that auto-layout's row
  spacing keeps clear of the next card.
- With decision quality (:mod:`flowmodel.quality`), an outcome gets a pill with the items expected to end there
  per day and how many of them truly violate (traffic equations by truth, :func:`truth_at_outcomes`): "est.
  1,030/day · 97 % violating" — where the operation's mistakes end up, before any run.
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
from flowmodel.nodes import Outcome
from flowmodel.traffic import VIOLATING, class_rates
from flowmodel.workflow import Workflow
from simulations.analytic.stage_estimates import StageEstimate, stage_estimates
from simulations.quality_spec import uses_quality
from simulations.runner import RunResult
from ui.canvas import style
from ui.canvas.node_summary import NO_TEAM
from ui.scenarios.mode import ScenarioMode

if TYPE_CHECKING:
    from ui.canvas.node_item import NodeItem
    from ui.canvas.scene import WorkflowScene

HOURS_PER_WEEK = 168
PILL_GAP = 4.0
PILL_LINE = 16.0
PILL_HEIGHT = PILL_LINE + 6
PILL_PADDING = 8.0
PILL_ROWS = 3
PILL_SPACE = PILL_GAP + PILL_ROWS * PILL_LINE + 6   # auto-layout's ROW_SPACING leaves a clear gap after it
BADGE_OVERHANG = 30.0
SCENARIO_AMBER = QColor("#e0a100")
GOOD, BUSY, OVERLOADED = QColor("#2d9d78"), QColor("#e09b1c"), QColor("#d64545")
IDLE = QColor("#7b8794")
TRUTH_COLOUR = QColor("#52606d")
PILL_FONT = style.font(style.BADGE_POINTS)
TAG_FONT = style.font(8.5, bold=True)


def overlay_of(scene: Any) -> CanvasOverlay | None:
    return getattr(scene, "overlay", None)


def load_colour(share: float) -> QColor:
    """Green below 80 %, amber to 95 %, red above: a bottleneck reads at a glance."""
    return GOOD if share < 0.8 else BUSY if share < 0.95 else OVERLOADED


def _minutes(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "without end"
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
        #: Per outcome id: (violating, benign) items per hour expected to end there; empty without decision quality.
        self.truth_flows: dict[str, tuple[float, float]] = {}
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
        if node_id in self.truth_flows:
            return outcome_figure(*self.truth_flows[node_id])
        estimate = self.estimates.get(node_id)
        if estimate is None or self.workflow is None:
            return None
        return estimate_figure(self.shown_workflow(self.workflow), estimate)

    # -- updates -----------------------------------------------------------------------------------
    def update_estimates(self) -> None:
        """Recompute the analytic estimate of the shown model and redraw the cards."""
        self.estimates = {}
        self.truth_flows = {}
        if self.workflow is not None:
            shown = self.shown_workflow(self.workflow)
            try:
                self.estimates = stage_estimates(shown)
                self.truth_flows = truth_at_outcomes(shown)
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
            width = QFontMetricsF(TAG_FONT).horizontalAdvance("SCENARIO") + 16
            tag = QRectF(rect.width() - 10 - width, -10, width, 18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(SCENARIO_AMBER)
            painter.drawRoundedRect(tag, 8, 8)
            painter.setPen(QColor("#1f2933"))
            painter.setFont(TAG_FONT)
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, "SCENARIO")
        if figure is not None:
            self._paint_pill(painter, figure, rect, item)

    def badge(self, item: NodeItem) -> tuple[QRectF, tuple[str, ...]] | None:
        """Where the card's figure pill goes (item coordinates) and its rows, or None without a figure."""
        figure = self.figure(item.node_id)
        return badge_layout(figure, item) if figure is not None else None

    def _paint_pill(self, painter: QPainter, figure: StageFigure, rect: QRectF, item: NodeItem) -> None:
        box, rows = badge_layout(figure, item)
        radius = PILL_HEIGHT / 2 if len(rows) == 1 else 7.0
        painter.setPen(QPen(figure.colour, 1.2))
        painter.setBrush(style.PILL_FILL)
        painter.drawRoundedRect(box, radius, radius)
        painter.setPen(figure.colour.darker(130))
        painter.setFont(PILL_FONT)
        for i, row in enumerate(rows):
            painter.drawText(QRectF(box.left(), box.top() + 2 + i * PILL_LINE, box.width(), PILL_LINE),
                             Qt.AlignmentFlag.AlignCenter, row)


def badge_layout(figure: StageFigure, item: NodeItem) -> tuple[QRectF, tuple[str, ...]]:
    """One line when it fits; else the figure's lines, a line still too wide split at its " · " (at most
    ``PILL_ROWS`` rows, if no other card lies in the space reserved under this one, ``PILL_SPACE``), else one
    line, elided. The pill is centred under the card and may reach ``BADGE_OVERHANG`` past either side into
    the gap between columns, never further."""
    metrics = QFontMetricsF(PILL_FONT)
    card = item.card_rect()
    widest = card.width() + 2 * BADGE_OVERHANG - 2 * PILL_PADDING
    rows: tuple[str, ...] = (figure.text,)
    if metrics.horizontalAdvance(figure.text) > widest and figure.lines:
        split = [part for line in figure.lines
                 for part in ([line] if metrics.horizontalAdvance(line) <= widest else line.split(" · "))]
        tall = QRectF(card.left() - BADGE_OVERHANG, card.bottom() + PILL_GAP, widest, PILL_SPACE - PILL_GAP)
        scene = item.scene()
        crowded = scene is not None and any(
            other is not item and hasattr(other, "node_id") and other.parentItem() is not item
            for other in scene.items(item.mapRectToScene(tall)))
        if not crowded:
            head, rest = split[:PILL_ROWS - 1], split[PILL_ROWS - 1:]
            rows = (*head, " · ".join(rest)) if rest else tuple(head)
    rows = tuple(metrics.elidedText(row, Qt.TextElideMode.ElideRight, widest) for row in rows)
    text_width = max(metrics.horizontalAdvance(row) for row in rows)
    width = max(card.width() + 8, min(widest, text_width) + 2 * PILL_PADDING)
    height = PILL_HEIGHT if len(rows) == 1 else len(rows) * PILL_LINE + 4
    return QRectF(card.center().x() - width / 2, card.bottom() + PILL_GAP, width, height), rows


def truth_at_outcomes(workflow: Workflow) -> dict[str, tuple[float, float]]:
    """Per outcome id: (violating, benign) items per hour ending there, for a model with ground truth; else empty."""
    if not uses_quality(workflow):
        return {}
    rates = class_rates(workflow)
    flows: dict[str, tuple[float, float]] = {}
    for node in workflow.nodes.values():
        if isinstance(node, Outcome):
            arriving = rates.get(node.id, {})
            flows[node.id] = (sum(r for c, r in arriving.items() if c.truth == VIOLATING),
                              sum(r for c, r in arriving.items() if c.truth != VIOLATING))
    return flows


def outcome_figure(violating: float, benign: float) -> StageFigure:
    """The pill of one outcome: items a day ending there and the share that truly violates."""
    total = violating + benign
    if not math.isfinite(total) or total <= 0:
        return StageFigure("est. no items end here", IDLE)
    share = violating / total
    words = f"{share:.0%}" if 0.01 <= share <= 0.99 or share in (0.0, 1.0) else f"{share:.1%}"
    return StageFigure(f"est. {_about(total * 24)}/day · {words} violating", TRUTH_COLOUR)


def _about(count: float) -> str:
    """``~340``, ``~1,260``: two or three significant figures are all a fluid estimate carries."""
    step = 10 if count >= 100 else 1
    return f"~{round(count / step) * step:,.0f}"


def _growth(per_week: float) -> str:
    return f"by {_about(per_week)}/week" if math.isfinite(per_week) and per_week >= 1 else "slowly"


def estimate_figure(workflow: Workflow, estimate: StageEstimate) -> StageFigure:
    """The pill of one stage: first what is plainly true of the model (no work arrives, no team works it),
    else the interval estimate, else the steady-state one; never a figure that is not a number."""
    interval = estimate.interval
    arrivals = interval.arrivals_per_hour if interval is not None else estimate.arrivals_per_hour
    arrives = math.isfinite(arrivals) and arrivals > 0
    staffed = bool(workflow.teams_for_stage(estimate.stage_id))
    if not arrives:
        return StageFigure("no work arrives" + ("" if staffed else f" · {NO_TEAM}"), IDLE,
                           ("no work arrives", NO_TEAM) if not staffed else ())
    if not staffed:
        growth = _growth(arrivals * HOURS_PER_WEEK)
        return StageFigure(f"{NO_TEAM}: backlog grows {growth}", OVERLOADED, (NO_TEAM, f"backlog grows {growth}"))
    if interval is not None:
        return interval_figure(workflow, interval)
    use = estimate.utilisation
    if not estimate.stable or not math.isfinite(use):
        return StageFigure("est. overloaded: backlog grows", OVERLOADED)
    return StageFigure(f"est. {use:.0%} busy · wait {_minutes(estimate.mean_wait_s)}", load_colour(use))


def _overloaded(interval: StageInterval) -> StageFigure:
    """The backlog grows without bound: say so first, then by how much and why."""
    growth = interval.growth_per_week
    if not math.isfinite(interval.offered_share):   # nobody on shift all week: everything that arrives waits
        growth = max(growth, interval.arrivals_per_hour * HOURS_PER_WEEK)
    why = (f"load {interval.offered_share:.0%} of reviewers" if math.isfinite(interval.offered_share)
           else "no reviewer on shift")
    second = f"{_growth(growth)} ({why})"
    return StageFigure(f"est. overloaded: backlog grows {second}", OVERLOADED,
                       ("est. overloaded: backlog grows", second))


def interval_figure(workflow: Workflow, interval: StageInterval) -> StageFigure:
    """The pill of one stage from its interval estimate (see the module rules)."""
    if interval.unbounded:
        return _overloaded(interval)
    teams = workflow.teams_for_stage(interval.stage_id)
    zone = teams[0].timezone if teams else "UTC"
    use = interval.busiest_utilisation
    try:
        start = horizon_start(workflow.run_settings)
        peak = hour_label(start, interval.busiest_hour, zone)
        gaps = describe_hours(start, interval.uncovered_hours, zone, with_zone=False)
    except ModelError:
        share = interval.utilisation
        return (StageFigure(f"est. {share:.0%} busy", load_colour(share)) if math.isfinite(share)
                else _overloaded(interval))
    stage = workflow.nodes.get(interval.stage_id)
    targets = {t.priority: t.share for t in getattr(stage, "sla", [])}
    missed = any(share < targets.get(priority, 0.0) for priority, share in interval.sla.items())
    parts = [f"est. peak {use:.0%} {peak}" if math.isfinite(use) else f"est. no reviewer on shift {peak}"]
    parts.append(f"backlog {_about(interval.peak_backlog)}" if interval.peak_backlog >= 1
                 else f"wait {_minutes(interval.mean_wait_s)}")
    if gaps:
        first = gaps.split("; ")[0].replace(" (Mon–Sun)", "")
        parts.append(f"{first} unstaffed" + (" …" if "; " in gaps else ""))
    lines = (parts[0], " · ".join(parts[1:]))
    if gaps or missed:
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
        wait = waits.get(stage_id, math.nan)
        rest = " · ".join([f"backlog {backlog:,.1f}" if math.isfinite(backlog) else "backlog grows",
                           *([f"wait {_minutes(wait)}"] if math.isfinite(wait) else [])])
        first = f"sim {use:.0%} busy" if math.isfinite(use) else "sim"
        text = f"{first} · {rest}" if math.isfinite(use) else f"sim {rest}"
        lines = (first, rest) if math.isfinite(use) else ()
        if colour_by == "backlog" and not math.isfinite(backlog):
            colour = OVERLOADED
        elif colour_by == "backlog":
            relative = backlog / largest if largest > 0 else 0.0
            colour = load_colour(0.5 + 0.5 * relative) if largest > 0 else GOOD
        else:
            colour = load_colour(use) if math.isfinite(use) else GOOD
        out[stage_id] = StageFigure(text, colour, lines)
    return out
