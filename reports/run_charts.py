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
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict

import numpy as np
from matplotlib.axes import Axes

from reports.chart_style import SCREEN, TEXT, band, colour, grouped_bars, shade_warmup, style_axes
from simulations.aggregate import MetricSummary
from simulations.runner import RunResult

PERCENTILES = (("p50", "median"), ("p90", "p90"), ("p95", "p95"), ("p99", "p99"))


def _legend(ax: Axes, loc: str = "upper left", columns: int = 1) -> None:
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7.5, loc=loc, ncols=columns, frameon=True, framealpha=0.9, facecolor="#ffffff",
                  edgecolor="#e4e7eb")


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
    style_axes(ax, "Backlog over time (p5–p95 band)", "day", "items waiting", SCREEN)
    _legend(ax)


def time_to_decision(ax: Axes, run: RunResult, scenario_ids: list[str]) -> None:
    """End-to-end time to decision: mean and percentiles (minutes, as in the tables) with 95 % CIs."""
    names = ["mean"] + [label for _, label in PERCENTILES]
    metrics = ["time_to_decision_mean_s"] + [f"time_to_decision_{key}_s" for key, _ in PERCENTILES]
    x = np.arange(len(metrics))
    for i, scenario_id in enumerate(scenario_ids):
        means, errors = [], []
        for metric in metrics:
            found = _summary(run, scenario_id, "system", metric)
            means.append(found[0].mean / 60.0 if found else math.nan)
            errors.append(found[0].half_width / 60.0 if found and found[0].ci_defined else 0.0)
        grouped_bars(ax, x, i, len(scenario_ids), means, errors, SCREEN, run.scenario_names.get(scenario_id,
                                                                                               scenario_id))
    ax.set_xticks(x, names)
    style_axes(ax, "Time to decision (95 % CI)", "", "minutes", SCREEN)
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
    ax.set_xlim(0, 140)  # room on the right for the legend, clear of the bars
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.invert_yaxis()
    style_axes(ax, "SLA attainment per priority (| = target)", "% within SLA", "", SCREEN)
    _legend(ax, "lower right")


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
    ax.set_ylim(0, 135)  # the legend sits above the 100 % line
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    style_axes(ax, "Utilisation per team over time", "day", "% of available reviewers busy", SCREEN)
    _legend(ax, "upper left", columns=3)


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
    style_axes(ax, "Total backlog over time (mean of replications)", "day", "items waiting", SCREEN)
    _legend(ax)


def team_utilisation_by_scenario(ax: Axes, run: RunResult, scenario_ids: list[str]) -> None:
    """Comparison overlay: mean utilisation per team (95 % CI), one colour per scenario."""
    teams = _share_bars(ax, run, scenario_ids, "team", "utilisation_share")
    ax.set_xticks(np.arange(len(teams)), list(teams.values()))
    ax.set_ylim(0, 135)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    style_axes(ax, "Utilisation per team (95 % CI)", "", "% busy", SCREEN)
    _legend(ax, "upper left", columns=2)
