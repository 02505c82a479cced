"""Decision-quality charts (no Qt): errors and exposure per scenario with 95 % CIs, for the app and the PDF.

Rules:
- Each ``draw`` function draws one chart onto the ``Axes`` it is given, in the :mod:`reports.chart_style` look
  it is given (:data:`~reports.chart_style.SCREEN` in the app, :data:`~reports.chart_style.PRINT` on paper); one
  colour per scenario in the run's order, the reference first; error bars are the 95 % CIs of the run's
  summaries; the legend sits below the axes as a figure legend (the figure holds this chart only).
- **Errors**: wrongful removals, missed violations and overturns over all categories — the trade a classifier or
  policy change makes between removing too much and too little.
- **Exposure**: violating item-hours up (creation → removal) per category (all categories when there is one).
- :func:`quality_charts_for` names the report's quality charts for a run with quality results, none otherwise,
  as figure makers like :data:`reports.charts.CHARTS` (comparison, width in inches → Figure).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reports.chart_style import PRINT, SCREEN, Look, count_axis, grouped_bars, style_axes
from reports.comparison import Comparison
from reports.quality import OVERALL_ID, QUALITY, has_quality, scopes_of
from simulations.runner import RunResult

ERROR_METRICS: tuple[tuple[str, str], ...] = (("wrongful_removals_count", "wrongful removals"),
                                              ("missed_violations_count", "missed violations"),
                                              ("overturns_count", "overturns"))
ERRORS_TITLE = "Decision errors, all categories (95 % CI)"
EXPOSURE_TITLE = "Exposure of violating content (95 % CI)"
CHART_HEIGHT_IN = 3.2


def _values(run: RunResult, scenario_id: str, scope_id: str, metrics: list[str]) -> tuple[list[float], list[float]]:
    """Means and CI half-widths (0 where undefined) of ``metrics`` of one scope; NaN where there is no summary."""
    found = {s.metric: s for s in run.summaries
             if s.scenario_id == scenario_id and s.scope_kind == QUALITY and s.scope_id == scope_id}
    means = [found[m].mean if m in found else math.nan for m in metrics]
    errors = [found[m].half_width if m in found and found[m].ci_defined else 0.0 for m in metrics]
    return means, errors


def _legend(ax: Axes, look: Look) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.figure.legend(handles, labels, loc="outside lower center", ncols=min(len(handles), 3),
                         fontsize=8 if look is SCREEN else 7.5, frameon=False)


def _bars(ax: Axes, run: RunResult, scenario_ids: list[str], slots: list[tuple[str, str]], metric_of_slot: bool,
          look: Look) -> None:
    """One bar per scenario in every slot; a slot is a metric of the overall scope or a category's exposure."""
    x = np.arange(len(slots))
    for position, scenario_id in enumerate(scenario_ids):
        if metric_of_slot:
            means, errors = _values(run, scenario_id, OVERALL_ID, [key for key, _ in slots])
        else:
            pairs = [_values(run, scenario_id, key, ["exposure_h"]) for key, _ in slots]
            means, errors = [m[0] for m, _ in pairs], [e[0] for _, e in pairs]
        grouped_bars(ax, x, position, len(scenario_ids), means, errors, look,
                     run.scenario_names.get(scenario_id, scenario_id))
    ax.set_xticks(x, [label for _, label in slots])
    ax.set_ylim(bottom=0)
    count_axis(ax.yaxis)


def errors_chart(ax: Axes, run: RunResult, scenario_ids: list[str], look: Look = SCREEN) -> None:
    """Wrongful removals, missed violations and overturns, all categories, one bar per scenario (95 % CI)."""
    _bars(ax, run, scenario_ids, list(ERROR_METRICS), True, look)
    style_axes(ax, ERRORS_TITLE, "", "items", look)
    _legend(ax, look)


def exposure_chart(ax: Axes, run: RunResult, scenario_ids: list[str], look: Look = SCREEN) -> None:
    """Violating item-hours up per category (or all categories when there is one), one bar per scenario."""
    scopes = scopes_of(run, QUALITY)
    categories = [(scope_id, name) for scope_id, name in scopes if scope_id != OVERALL_ID]
    slots = categories if len(categories) > 1 else [s for s in scopes if s[0] == OVERALL_ID]
    _bars(ax, run, scenario_ids, slots, False, look)
    style_axes(ax, EXPOSURE_TITLE, "", "item-hours", look)
    _legend(ax, look)


def _print_figure(draw: Callable[[Axes, RunResult, list[str], Look], None]) -> Callable[[Comparison, float], Figure]:
    def make(comparison: Comparison, width_in: float = 7.0) -> Figure:
        figure = Figure(figsize=(width_in, CHART_HEIGHT_IN), facecolor="white", layout="constrained")
        draw(figure.subplots(), comparison.run, [s.id for s in comparison.scenarios], PRINT)
        return figure
    return make


#: name → chart maker, in report order (the name is also the image's stem).
QUALITY_CHARTS: dict[str, Callable[[Comparison, float], Figure]] = {
    "quality_errors": _print_figure(errors_chart),
    "quality_exposure": _print_figure(exposure_chart),
}


def quality_charts_for(run: RunResult | None) -> dict[str, Callable[[Comparison, float], Figure]]:
    """The quality charts for ``run`` (none for a run without quality results)."""
    return dict(QUALITY_CHARTS) if has_quality(run) else {}
