"""Charts of one run drawn onto matplotlib axes (no Qt): the app's results and comparison views embed them.

Rules:
- Each function draws one chart onto the ``Axes`` it is given and returns nothing; the caller owns the
  figure (the app's QtAgg canvas, or a Figure saved with :func:`reports.charts.save_chart`).
- The style is :mod:`reports.chart_style` in its :data:`~reports.chart_style.SCREEN` look, the same palette,
  warm-up shading, bands and grouped error bars as the report's charts.
- Time axes are in days from the start of the horizon; the warm-up is shaded grey because statistics start
  after it. Bands are the across-replication percentile band (p5–p95) around the mean.
- Error bars on scalar metrics are the Student-t 95 % confidence intervals of the run's summaries.
- Colours follow the palette by scenario in comparisons and by stage or team within one scenario.
- Each chart is meant to have its figure to itself: its legend sits below the axes as a figure legend
  (constrained layout keeps it clear of the ticks), so no legend covers data and no axis needs headroom.
- Ticks: percent axes 0–100 % every 25 %, day axes on whole days, counts with separators, durations in the
  unit of the largest bar (s, min, h or d); the count of ticks follows the axis length.
"""

from __future__ import annotations

import math
import textwrap
import warnings
from collections import defaultdict

import numpy as np
from matplotlib.axes import Axes

from reports.chart_style import (
    SCREEN,
    TEXT,
    band,
    colour,
    count_axis,
    day_axis,
    grouped_bars,
    percent_axis,
    shade_warmup,
    style_axes,
)
from reports.formatting import readable_duration_unit
from simulations.aggregate import MetricSummary
from simulations.runner import RunResult

PERCENTILES = (("p50", "median"), ("p90", "p90"), ("p95", "p95"), ("p99", "p99"))
READABLE_UNIT_NAMES = {"s": "seconds", "min": "minutes", "h": "hours", "d": "days"}


def _legend(ax: Axes) -> None:
    """The chart's legend below its axes, outside them (a figure legend: the figure holds this chart only)."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.figure.legend(handles, labels, loc="outside lower center", ncols=min(len(handles), 3), fontsize=8,
                         frameon=False)


def sla_rows(run: RunResult) -> int:
    """How many stage × priority rows the SLA chart has (its height grows with them)."""
    return len({s.scope_id for s in run.summaries if s.scope_kind == "priority"
                and s.metric == "sla_attainment_share"})


def _summary(run: RunResult, scenario_id: str, kind: str, metric: str) -> list[MetricSummary]:
    return [s for s in run.summaries if s.scenario_id == scenario_id and s.scope_kind == kind and s.metric == metric]


def backlog_over_time(ax: Axes, run: RunResult, scenario_id: str) -> None:
    """Queue length per stage over time: mean line and p5–p95 band across replications."""
    shade_warmup(ax, run.options.settings.warmup_hours, "warm-up")
    bands = [b for b in run.bands if b.scenario_id == scenario_id and b.scope_kind == "stage"
             and b.metric == "queue_length"]
    for i, series in enumerate(bands):
        band(ax, np.asarray(series.times_h) / 24.0, series.mean, series.low, series.high, i, SCREEN,
             series.scope_name)
    ax.set_ylim(bottom=0)
    day_axis(ax.xaxis)
    count_axis(ax.yaxis)
    style_axes(ax, "Backlog over time (p5–p95 band)", "day", "items waiting", SCREEN)
    _legend(ax)


def time_to_decision(ax: Axes, run: RunResult, scenario_ids: list[str]) -> None:
    """End-to-end time to decision: mean and percentiles with 95 % CIs, in the unit of the largest bar."""
    names = ["mean"] + [label for _, label in PERCENTILES]
    metrics = ["time_to_decision_mean_s"] + [f"time_to_decision_{key}_s" for key, _ in PERCENTILES]
    x = np.arange(len(metrics))
    largest = max((s.mean for sid in scenario_ids for m in metrics for s in _summary(run, sid, "system", m)
                   if math.isfinite(s.mean)), default=60.0)
    unit = readable_duration_unit(largest)
    for i, scenario_id in enumerate(scenario_ids):
        means, errors = [], []
        for metric in metrics:
            found = _summary(run, scenario_id, "system", metric)
            means.append(found[0].mean / unit.per if found else math.nan)
            errors.append(found[0].half_width / unit.per if found and found[0].ci_defined else 0.0)
        grouped_bars(ax, x, i, len(scenario_ids), means, errors, SCREEN, run.scenario_names.get(scenario_id,
                                                                                               scenario_id))
    ax.set_xticks(x, names)
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:,.4g}")
    style_axes(ax, "Time to decision (95 % CI)", "", READABLE_UNIT_NAMES.get(unit.name, unit.name), SCREEN)
    _legend(ax)


def _share_bars(ax: Axes, run: RunResult, scenario_ids: list[str], kind: str, metric: str,
                horizontal: bool = False) -> dict[str, str]:
    """Grouped bars of a share metric in % (95 % CI) per scope and scenario; returns scope id → name, in order."""
    scopes: dict[str, str] = {}
    for summary in run.summaries:
        if summary.scope_kind == kind and summary.metric == metric:
            scopes.setdefault(summary.scope_id, summary.scope_name)
    slots = np.arange(len(scopes))
    for i, scenario_id in enumerate(scenario_ids):
        values: dict[str, MetricSummary] = {s.scope_id: s for s in _summary(run, scenario_id, kind, metric)}
        grouped_bars(ax, slots, i, len(scenario_ids),
                     [values[k].mean * 100 if k in values else math.nan for k in scopes],
                     [values[k].half_width * 100 if k in values and values[k].ci_defined else 0.0 for k in scopes],
                     SCREEN, run.scenario_names.get(scenario_id, scenario_id), horizontal=horizontal)
    return scopes


def sla_attainment(ax: Axes, run: RunResult, scenario_ids: list[str]) -> None:
    """Share of items within SLA per stage and priority (95 % CI), with the target as a black tick."""
    scopes = _share_bars(ax, run, scenario_ids, "priority", "sla_attainment_share", horizontal=True)
    if not scopes:
        ax.text(0.5, 0.5, "No SLA targets in this workflow", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        style_axes(ax, "SLA attainment per priority", look=SCREEN)
        return
    targets: dict[str, float] = {}
    for scenario_id in scenario_ids:
        for s in _summary(run, scenario_id, "priority", "sla_target_share"):
            targets.setdefault(s.scope_id, s.mean)
    for row, scope_id in enumerate(scopes):
        if scope_id in targets:
            ax.plot([targets[scope_id] * 100] * 2, [row - 0.45, row + 0.45], color=TEXT, linewidth=2)
    ax.set_yticks(np.arange(len(scopes)), list(scopes.values()))
    percent_axis(ax.xaxis)
    ax.invert_yaxis()
    style_axes(ax, "SLA attainment per priority (| = target)", "items within SLA", "", SCREEN)
    _legend(ax)


def utilisation_over_time(ax: Axes, run: RunResult, scenario_id: str) -> None:
    """Busy ÷ available reviewers per team over time: mean across replications with a p5–p95 band."""
    shade_warmup(ax, run.options.settings.warmup_hours, "warm-up")
    ratios: dict[tuple[str, str], list[np.ndarray]] = defaultdict(list)
    times: dict[tuple[str, str], np.ndarray] = {}
    for replication in run.replications:
        if replication.scenario_id != scenario_id:
            continue
        by_team = {(s.scope_id, s.metric): s for s in replication.series if s.scope_kind == "team"}
        for (team_id, metric), busy in by_team.items():
            available = by_team.get((team_id, "available_reviewers"))
            if metric != "busy_reviewers" or available is None:
                continue
            b, a = np.asarray(busy.values, dtype=float), np.asarray(available.values, dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratios[(team_id, busy.scope_name)].append(np.where(a > 0, b / a, np.nan) * 100)
            times[(team_id, busy.scope_name)] = np.asarray(busy.times_h) / 24.0
    for i, (key, series) in enumerate(ratios.items()):
        length = min(len(s) for s in series)
        matrix = np.array([s[:length] for s in series])
        with warnings.catch_warnings():  # hours with no reviewer on shift are NaN in every replication
            warnings.simplefilter("ignore", RuntimeWarning)
            mean = np.nanmean(matrix, axis=0)
            low, high = np.nanpercentile(matrix, 5, axis=0), np.nanpercentile(matrix, 95, axis=0)
        band(ax, times[key][:length], mean, low, high, i, SCREEN, key[1])
    percent_axis(ax.yaxis)
    day_axis(ax.xaxis)
    style_axes(ax, "Utilisation per team over time", "day", "available reviewers busy", SCREEN)
    _legend(ax)


def total_backlog_by_scenario(ax: Axes, run: RunResult, scenario_ids: list[str]) -> None:
    """Comparison overlay: the total backlog (all stages) over time, one line per scenario."""
    shade_warmup(ax, run.options.settings.warmup_hours, "warm-up")
    for i, scenario_id in enumerate(scenario_ids):
        bands = [b for b in run.bands if b.scenario_id == scenario_id and b.scope_kind == "stage"
                 and b.metric == "queue_length"]
        if not bands:
            continue
        length = min(len(b.mean) for b in bands)
        total = np.sum([np.asarray(b.mean[:length]) for b in bands], axis=0)
        ax.plot(np.asarray(bands[0].times_h[:length]) / 24.0, total, color=colour(i),
                linewidth=1.8, label=run.scenario_names.get(scenario_id, scenario_id))
    ax.set_ylim(bottom=0)
    day_axis(ax.xaxis)
    count_axis(ax.yaxis)
    style_axes(ax, "Total backlog over time (mean of replications)", "day", "items waiting", SCREEN)
    _legend(ax)


def team_utilisation_by_scenario(ax: Axes, run: RunResult, scenario_ids: list[str]) -> None:
    """Comparison overlay: mean utilisation per team (95 % CI), one colour per scenario."""
    teams = _share_bars(ax, run, scenario_ids, "team", "utilisation_share")
    ax.set_xticks(np.arange(len(teams)), [textwrap.fill(name, 18) for name in teams.values()])
    percent_axis(ax.yaxis)
    style_axes(ax, "Utilisation per team (95 % CI)", "", "busy", SCREEN)
    _legend(ax)
