"""Which charts the results and comparison views show, as :class:`~ui.results.figures.ChartSpec` lists.

Rules: one chart per figure (each gets the whole of its figure for its legend and labels); the SLA chart is
as tall as its bars need, so three scenarios × eight priorities never make it a sliver. A scenario with launch
results (a run with a launch instant) starts with its two launch charts — daily SLA attainment and the backlog
around the launch (:mod:`reports.launch_charts`); other runs show exactly the four charts they always had.
The draw functions only read the run, which is not changed once finished, so they may run on the render thread.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from reports import launch_charts, run_charts
from reports.launch import launch_results
from simulations.runner import RunResult
from ui.results.figures import MINIMUM_CHART, ChartSpec

SLA_BAR_PX = 15
SLA_ROW_GAP_PX = 12
SLA_FRAME_PX = 130


def sla_height(run: RunResult, scenarios: int) -> int:
    """Pixels the SLA chart needs so every bar is readable: title, axis and legend plus one band per row."""
    rows = max(run_charts.sla_rows(run), 1)
    return max(MINIMUM_CHART.height(), SLA_FRAME_PX + rows * (scenarios * SLA_BAR_PX + SLA_ROW_GAP_PX))


LAUNCH_SLA_HEIGHT = 340  # logical px: the legend's rows (lines, target, numbered plan steps) fit under the axes


def _one(draw):
    """A draw function on a figure's single axes."""
    def on_figure(figure: Figure) -> None:
        draw(figure.subplots())
    return on_figure


def scenario_charts(run: RunResult, scenario_id: str) -> list[ChartSpec]:
    """The results view's charts of one scenario (its launch charts first when it has launch results)."""
    launch = [ChartSpec("launch_sla", _one(lambda ax: launch_charts.daily_sla(ax, run, [scenario_id])),
                        LAUNCH_SLA_HEIGHT),
              ChartSpec("launch_backlog", _one(lambda ax: launch_charts.launch_backlog(ax, run, [scenario_id])))] \
        if any(r.scenario_id == scenario_id for r in launch_results(run)) else []
    return [
        *launch,
        ChartSpec("backlog", _one(lambda ax: run_charts.backlog_over_time(ax, run, scenario_id))),
        ChartSpec("time_to_decision", _one(lambda ax: run_charts.time_to_decision(ax, run, [scenario_id]))),
        ChartSpec("sla", _one(lambda ax: run_charts.sla_attainment(ax, run, [scenario_id])), sla_height(run, 1)),
        ChartSpec("utilisation", _one(lambda ax: run_charts.utilisation_over_time(ax, run, scenario_id))),
    ]


def _worst_target(run: RunResult, scenario_ids: list[str]) -> tuple[str, str] | None:
    """(scope id, title words) of the SLA target with the most days below it after a ticked plan's launch; the
    words say "none below target" when no target spent a day below it."""
    recoveries = [r for found in launch_results(run) if found.scenario_id in scenario_ids and found.is_plan
                  for r in found.recoveries if r.days_below is not None]
    worst = max(recoveries, key=lambda r: r.days_below.mean, default=None)  # type: ignore[union-attr]
    if worst is None:
        return None
    below = worst.days_below.mean > 0  # type: ignore[union-attr]
    return worst.scope_id, worst.scope_name if below else f"{worst.scope_name}, none below target"


def comparison_charts(run: RunResult, scenario_ids: list[str]) -> list[ChartSpec]:
    """The comparison view's overlay charts of the ticked scenarios; with a launch plan among them, first the
    daily SLA attainment of the target that spent the most days below it, one line per scenario."""
    ids = list(scenario_ids)
    worst = _worst_target(run, ids)
    launch = [ChartSpec("launch_sla", _one(lambda ax: launch_charts.daily_sla(
        ax, run, ids, scope_ids=[worst[0]], title=f"Daily SLA: {worst[1]} (95 % CI)")), LAUNCH_SLA_HEIGHT)] \
        if worst is not None else []
    return [
        *launch,
        ChartSpec("total_backlog", _one(lambda ax: run_charts.total_backlog_by_scenario(ax, run, ids))),
        ChartSpec("sla", _one(lambda ax: run_charts.sla_attainment(ax, run, ids)), sla_height(run, len(ids))),
        ChartSpec("team_utilisation", _one(lambda ax: run_charts.team_utilisation_by_scenario(ax, run, ids))),
    ]
