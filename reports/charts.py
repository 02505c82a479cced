"""The report's charts as matplotlib Figures (no pyplot, no Qt): the PDF and image exports render them with the
Agg backend; the app's Export menu saves them as images.

Rules:
- The style (palette, type, warm-up shading, bands, grouped bars with CIs) is :mod:`reports.chart_style` in its
  print look; the app's own views draw :mod:`reports.run_charts` in the same style.
- One colour per scenario, in the run's order, in every chart; the reference is always the first colour.
- Time axes are days from the start of the horizon with the warm-up shaded (statistics start after it);
  lines are the mean across replications, bands the p5–p95 range across replications.
- Error bars are the 95 % confidence intervals of the run's summaries; SLA targets are drawn as black ticks.
- A duration axis uses one unit for all its bars (the unit of the largest) and switches to a log scale when the
  bars differ by more than :data:`LOG_SCALE_RATIO`, so a 2-minute median stays visible next to a 2-day p99.
- The launch charts (:data:`LAUNCH_CHARTS`: daily SLA attainment per target and the backlog per stage around
  the launch, one panel each, one line per scenario; :mod:`reports.launch_charts`) have something to show only
  for a run with launch results; for another run they say so in their place.
- :func:`figure_bytes` renders a Figure as PNG (at ``dpi``), SVG or PDF; :func:`save_chart` writes it atomically.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from flowmodel.errors import SaveError
from reports import launch_charts
from reports.chart_style import MUTED, PRINT, TEXT, band, colour, grouped_bars, shade_warmup, style_axes
from reports.comparison import Comparison, KeyFigure, duration_unit
from reports.files import write_file
from reports.findings import sla_target_text
from reports.formatting import value_text
from reports.launch import DAILY_SLA, has_launch
from simulations.runner import RunResult

LOG_SCALE_RATIO = 30.0
PANELS_TALL_IN = 8.0
PRINT_DPI = 200
IMAGE_FORMATS = ("png", "svg", "pdf")


def _figure(width_in: float, height_in: float) -> Figure:
    return Figure(figsize=(width_in, height_in), facecolor="white", layout="constrained")


def _scenario_legend(figure: Figure, comparison: Comparison) -> None:
    handles = [Patch(facecolor=colour(i), edgecolor="none") for i in range(len(comparison.scenarios))]
    figure.legend(handles, [s.name for s in comparison.scenarios], loc="outside lower center",
                  ncols=min(len(handles), 3), fontsize=8, frameon=False)


def backlog_over_time(comparison: Comparison, width_in: float = 7.0) -> Figure:
    """Queue length per stage (one panel each) over time, one line and band per scenario."""
    run = comparison.run
    stages = list(dict.fromkeys((b.scope_id, b.scope_name) for b in run.bands
                                if b.scope_kind == "stage" and b.metric == "queue_length"))
    columns = 1 if len(stages) <= 1 else 2
    rows = max(math.ceil(len(stages) / columns), 1)
    figure = _figure(width_in, 0.4 + 2.3 * rows)
    axes = figure.subplots(rows, columns, squeeze=False).flat
    for ax, (stage_id, stage_name) in zip(axes, stages, strict=False):
        shade_warmup(ax, run.options.settings.warmup_hours)
        for position, scenario in enumerate(comparison.scenarios):
            for series in run.bands:
                if (series.scenario_id, series.scope_kind, series.scope_id, series.metric) == (
                        scenario.id, "stage", stage_id, "queue_length") and series.times_h:
                    band(ax, np.asarray(series.times_h) / 24.0, series.mean, series.low, series.high, position,
                         PRINT)
        ax.set_ylim(bottom=0)
        style_axes(ax, stage_name, "day", "items waiting")
    for ax in list(axes)[len(stages):]:
        ax.set_visible(False)
    if not stages:
        figure.text(0.5, 0.5, "No review stages in this workflow", ha="center", color=MUTED)
    _scenario_legend(figure, comparison)
    return figure


def time_to_decision(comparison: Comparison, width_in: float = 7.0) -> Figure:
    """End-to-end time to decision (mean, p50, p90, p99) per scenario with 95 % CIs, values written on the bars."""
    figures = [f for f in comparison.figures if f.scope_kind == "system" and f.metric.startswith("time_to_decision")]
    figure = _figure(width_in, 3.0)
    ax = figure.subplots()
    if not figures:
        figure.text(0.5, 0.5, "No item reached an outcome", ha="center", color=MUTED)
        return figure
    largest = max((s.mean for f in figures for s in f.summaries if s is not None and math.isfinite(s.mean)),
                  default=0.0)
    unit = duration_unit(largest)
    values = [s.mean for f in figures for s in f.summaries if s is not None and s.mean > 0]
    log = bool(values) and max(values) / min(values) > LOG_SCALE_RATIO
    count = len(comparison.scenarios)
    x = np.arange(len(figures))
    for position, scenario in enumerate(comparison.scenarios):
        means, lows, highs = [], [], []
        for f in figures:
            s = f.summaries[position]
            mean = s.mean / unit.per if s is not None else math.nan
            half = s.half_width / unit.per if s is not None and s.ci_defined else 0.0
            means.append(mean)
            lows.append(min(half, mean * 0.999) if log else half)
            highs.append(half)
        bars = grouped_bars(ax, x, position, count, means, [lows, highs], PRINT, scenario.name)
        ax.bar_label(bars, [value_text(f.summaries[position].mean, f.unit) if math.isfinite(m) else ""
                            for f, m in zip(figures, means, strict=True)], fontsize=6.5, color=TEXT, padding=2)
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_xticks(x, [f.label.replace("Time to decision, ", "") for f in figures])
    style_axes(ax, "Time to decision, creation to outcome", "", unit.name + (" (log scale)" if log else ""))
    ax.margins(y=0.15)
    _scenario_legend(figure, comparison)
    return figure


def sla_attainment(comparison: Comparison, width_in: float = 7.0) -> Figure:
    """Share of items on time per stage × priority and scenario (95 % CI); the target is a black tick."""
    figures = [f for f in comparison.figures if f.scope_kind == "priority" and f.metric == "sla_attainment_share"]
    count = len(comparison.scenarios)
    figure = _figure(width_in, 0.9 + max(len(figures), 1) * (0.22 * count + 0.18))
    ax = figure.subplots()
    if not figures:
        figure.text(0.5, 0.5, "No SLA targets in this workflow", ha="center", color=MUTED)
        style_axes(ax, "SLA attainment")
        return figure
    y = np.arange(len(figures))
    for position, scenario in enumerate(comparison.scenarios):
        means, errors = _means_and_errors(figures, position, 100.0)
        grouped_bars(ax, y, position, count, means, errors, PRINT, scenario.name, horizontal=True)
    for row, f in enumerate(figures):
        if f.target is not None:
            ax.plot([f.target * 100] * 2, [row - 0.45, row + 0.45], color=TEXT, linewidth=2)
    ax.set_yticks(y, [f"{f.scope_name}\n(target {sla_target_text(f)})" if f.target is not None else f.scope_name
                      for f in figures])
    ax.set_xlim(0, 102)
    ax.invert_yaxis()
    style_axes(ax, "SLA attainment by stage and priority (black tick = target)", "% of items on time")
    _scenario_legend(figure, comparison)
    return figure


def utilisation(comparison: Comparison, width_in: float = 7.0) -> Figure:
    """Utilisation per team and scenario (95 % CI), with the 100 % line."""
    figures = [f for f in comparison.figures if f.metric == "utilisation_share"]
    figure = _figure(width_in, 2.8)
    ax = figure.subplots()
    _bars(ax, comparison, figures, scale=100.0)
    ax.axhline(100, color=TEXT, linewidth=0.8, linestyle="--")
    ax.set_ylim(0, 110)
    style_axes(ax, "Utilisation of available reviewer time per team", "", "% busy")
    _scenario_legend(figure, comparison)
    return figure


def _means_and_errors(figures: list[KeyFigure], position: int, scale: float) -> tuple[list[float], list[float]]:
    """One scenario's bar heights and 95 % CI half-widths, scaled (NaN / no bar where it has no summary)."""
    summaries = [f.summaries[position] for f in figures]
    return ([s.mean * scale if s is not None else math.nan for s in summaries],
            [s.half_width * scale if s is not None and s.ci_defined else 0.0 for s in summaries])


def _bars(ax: Axes, comparison: Comparison, figures: list[KeyFigure], scale: float) -> None:
    count = len(comparison.scenarios)
    x = np.arange(len(figures))
    for position in range(count):
        means, errors = _means_and_errors(figures, position, scale)
        bars = grouped_bars(ax, x, position, count, means, errors, PRINT)
        ax.bar_label(bars, [f"{m:.0f} %" if math.isfinite(m) else "" for m in means], fontsize=6.5, color=TEXT,
                     padding=2)
    ax.set_xticks(x, [f.scope_name for f in figures])


def _panels(comparison: Comparison, scopes: list[tuple[str, str]], width_in: float, draw: Callable[..., None],
            empty: str) -> Figure:
    """One panel per scope (two columns from two scopes on), one line per scenario, a legend for them all."""
    if not has_launch(comparison.run) or not scopes:
        figure = _figure(width_in, 1.2)
        figure.text(0.5, 0.5, empty, ha="center", va="center", color=MUTED)
        return figure
    columns = 1 if len(scopes) <= 1 else 2
    rows = math.ceil(len(scopes) / columns)
    figure = _figure(width_in, 0.6 + min(2.5, PANELS_TALL_IN / rows) * rows)  # one page at most
    axes = list(figure.subplots(rows, columns, squeeze=False).flat)
    ids = [s.id for s in comparison.scenarios]
    for ax, (scope_id, scope_name) in zip(axes, scopes, strict=False):
        draw(ax, comparison.run, ids, PRINT, scope_ids=[scope_id], title=scope_name, legend=False)
        ax.xaxis.label.set_fontsize(7)
    for ax in axes[len(scopes):]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=min(len(handles), 4), fontsize=8,
                  frameon=False)
    return figure


def sla_daily(comparison: Comparison, width_in: float = 7.0) -> Figure:
    """Daily SLA attainment per target around the launch, one line (95 % CI band) per scenario, targets dashed."""
    run = comparison.run
    scopes = list(dict.fromkeys((s.scope_id, s.scope_name) for r in run.replications for s in r.series
                                if s.scope_kind == "priority" and s.metric == DAILY_SLA))
    return _panels(comparison, scopes, width_in, launch_charts.daily_sla, "No launch in this run")


def backlog_around_launch(comparison: Comparison, width_in: float = 7.0) -> Figure:
    """Items waiting per stage around the launch, one line (p5–p95 band) per scenario, with the plan's marks."""
    stages = list(dict.fromkeys((b.scope_id, b.scope_name) for b in comparison.run.bands
                                if b.scope_kind == "stage" and b.metric == "queue_length"))
    return _panels(comparison, stages, width_in, launch_charts.launch_backlog, "No launch in this run")


#: name → chart, in report order (the name is also the image file's stem).
CHARTS: dict[str, Callable[[Comparison, float], Figure]] = {
    "backlog_over_time": backlog_over_time,
    "time_to_decision": time_to_decision,
    "sla_attainment": sla_attainment,
    "utilisation": utilisation,
    "sla_daily": sla_daily,
    "backlog_around_launch": backlog_around_launch,
}
#: The charts of the report's launch page (the other charts are on its charts pages).
LAUNCH_CHARTS = ("sla_daily", "backlog_around_launch")


def charts_for(run: RunResult | None) -> dict[str, Callable[[Comparison, float], Figure]]:
    """The charts that have something to show for ``run``: all of :data:`CHARTS` for a run with launch results,
    the others without the launch charts (they would only say "No launch in this run")."""
    return dict(CHARTS) if has_launch(run) else {k: v for k, v in CHARTS.items() if k not in LAUNCH_CHARTS}


def figure_bytes(figure: Figure, image_format: str, dpi: int = PRINT_DPI) -> bytes:
    """``figure`` rendered as ``png``, ``svg`` or ``pdf`` (Agg for PNG; matplotlib's own vector backends)."""
    if image_format not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {image_format!r}")
    buffer = io.BytesIO()
    figure.savefig(buffer, format=image_format, dpi=dpi, facecolor="white")
    return buffer.getvalue()


def save_chart(figure: Figure, path: str | os.PathLike[str], dpi: int = PRINT_DPI) -> Path:
    """Write ``figure`` to ``path`` as its suffix says (.png, .svg or .pdf), atomically."""
    path = Path(path)
    image_format = path.suffix.lower().lstrip(".")
    if image_format not in IMAGE_FORMATS:
        raise SaveError(f"a chart cannot be saved as {path.suffix or 'a file without a suffix'}", where=str(path),
                        hint="use .png, .svg or .pdf")
    return write_file(path, figure_bytes(figure, image_format, dpi))
