"""Charts of a run drawn onto matplotlib axes, in one consistent style (the results and comparison views).

Rules:
- Each function draws one chart onto the ``Axes`` it is given and returns nothing; the caller owns the
  figure, so the same functions serve the embedded QtAgg canvases and saved images.
- Time axes are in days from the start of the horizon; the warm-up is shaded grey because statistics start
  after it. Bands are the across-replication percentile band (p5–p95) around the mean.
- Error bars on scalar metrics are the Student-t 95 % confidence intervals of the run's summaries.
- Colours follow one palette, by scenario in comparisons and by stage or team within one scenario.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict

import numpy as np
from matplotlib.axes import Axes

from simulations.aggregate import MetricSummary
from simulations.runner import RunResult

PALETTE = ("#2f6fbd", "#d9822b", "#2d9d78", "#c44e52", "#7b61c4", "#8c6d31", "#3d4451", "#e377c2")
WARMUP_FILL = "#e4e7eb"
PERCENTILES = (("p50", "median"), ("p90", "p90"), ("p95", "p95"), ("p99", "p99"))


def style_axes(ax: Axes, title: str, xlabel: str = "", ylabel: str = "") -> None:
    ax.set_title(title, fontsize=10, fontweight="bold", loc="left")
    ax.set_xlabel(xlabel, fontsize=8.5)
    ax.set_ylabel(ylabel, fontsize=8.5)
    ax.tick_params(labelsize=8)
    ax.grid(True, color="#e4e7eb", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _warmup(ax: Axes, run: RunResult) -> None:
    warmup_d = run.options.settings.warmup_hours / 24.0
    if warmup_d > 0:
        ax.axvspan(0, warmup_d, color=WARMUP_FILL, zorder=0, label="warm-up")


def _legend(ax: Axes, loc: str = "upper left", columns: int = 1) -> None:
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7.5, loc=loc, ncols=columns, frameon=True, framealpha=0.9, facecolor="#ffffff",
                  edgecolor="#e4e7eb")


def _summary(run: RunResult, scenario_id: str, kind: str, metric: str) -> list[MetricSummary]:
    return [s for s in run.summaries if s.scenario_id == scenario_id and s.scope_kind == kind and s.metric == metric]


def backlog_over_time(ax: Axes, run: RunResult, scenario_id: str) -> None:
    """Queue length per stage over time: mean line and p5–p95 band across replications."""
    _warmup(ax, run)
    bands = [b for b in run.bands if b.scenario_id == scenario_id and b.scope_kind == "stage"
             and b.metric == "queue_length"]
    for i, band in enumerate(bands):
        colour = PALETTE[i % len(PALETTE)]
        days = np.asarray(band.times_h) / 24.0
        ax.fill_between(days, band.low, band.high, color=colour, alpha=0.18, linewidth=0)
        ax.plot(days, band.mean, color=colour, linewidth=1.6, label=band.scope_name)
    style_axes(ax, "Backlog over time (p5–p95 band)", "day", "items waiting")
    _legend(ax)


def time_to_decision(ax: Axes, run: RunResult, scenario_ids: list[str]) -> None:
    """End-to-end time to decision: mean and percentiles (minutes, as in the tables) with 95 % CIs."""
    names = ["mean"] + [label for _, label in PERCENTILES]
    metrics = ["time_to_decision_mean_s"] + [f"time_to_decision_{key}_s" for key, _ in PERCENTILES]
    width = 0.8 / max(len(scenario_ids), 1)
    x = np.arange(len(metrics))
    for i, scenario_id in enumerate(scenario_ids):
        means, errors = [], []
        for metric in metrics:
            found = _summary(run, scenario_id, "system", metric)
            means.append(found[0].mean / 60.0 if found else math.nan)
            errors.append(found[0].half_width / 60.0 if found and found[0].ci_defined else 0.0)
        ax.bar(x + (i - (len(scenario_ids) - 1) / 2) * width, means, width * 0.92, yerr=errors, capsize=2,
               color=PALETTE[i % len(PALETTE)], label=run.scenario_names.get(scenario_id, scenario_id))
    ax.set_xticks(x, names)
    style_axes(ax, "Time to decision (95 % CI)", "", "minutes")
    _legend(ax)


def sla_attainment(ax: Axes, run: RunResult, scenario_ids: list[str]) -> None:
    """Share of items within SLA per stage and priority (95 % CI), with the target as a black tick."""
    scopes: dict[str, str] = {}
    for summary in run.summaries:
        if summary.scope_kind == "priority" and summary.metric == "sla_attainment_share":
            scopes.setdefault(summary.scope_id, summary.scope_name)
    if not scopes:
        ax.text(0.5, 0.5, "No SLA targets in this workflow", ha="center", va="center", transform=ax.transAxes)
        style_axes(ax, "SLA attainment per priority")
        return
    ids = list(scopes)
    y = np.arange(len(ids))
    height = 0.8 / max(len(scenario_ids), 1)
    targets: dict[str, float] = {}
    for i, scenario_id in enumerate(scenario_ids):
        values: dict[str, MetricSummary] = {s.scope_id: s for s in _summary(run, scenario_id, "priority",
                                                                            "sla_attainment_share")}
        for s in _summary(run, scenario_id, "priority", "sla_target_share"):
            targets.setdefault(s.scope_id, s.mean)
        means = [values[k].mean * 100 if k in values else math.nan for k in ids]
        errors = [values[k].half_width * 100 if k in values and values[k].ci_defined else 0.0 for k in ids]
        ax.barh(y + (i - (len(scenario_ids) - 1) / 2) * height, means, height * 0.92, xerr=errors, capsize=2,
                color=PALETTE[i % len(PALETTE)], label=run.scenario_names.get(scenario_id, scenario_id))
    for row, scope_id in enumerate(ids):
        if scope_id in targets:
            ax.plot([targets[scope_id] * 100] * 2, [row - 0.45, row + 0.45], color="#1f2933", linewidth=2)
    ax.set_yticks(y, [scopes[k] for k in ids])
    ax.set_xlim(0, 140)  # room on the right for the legend, clear of the bars
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.invert_yaxis()
    style_axes(ax, "SLA attainment per priority (| = target)", "% within SLA", "")
    _legend(ax, "lower right")


def utilisation_over_time(ax: Axes, run: RunResult, scenario_id: str) -> None:
    """Busy ÷ available reviewers per team over time: mean across replications with a p5–p95 band."""
    _warmup(ax, run)
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
        colour = PALETTE[i % len(PALETTE)]
        with warnings.catch_warnings():  # hours with no reviewer on shift are NaN in every replication
            warnings.simplefilter("ignore", RuntimeWarning)
            mean = np.nanmean(matrix, axis=0)
            low, high = np.nanpercentile(matrix, 5, axis=0), np.nanpercentile(matrix, 95, axis=0)
        days = times[key][:length]
        ax.fill_between(days, low, high, color=colour, alpha=0.18, linewidth=0)
        ax.plot(days, mean, color=colour, linewidth=1.6, label=key[1])
    ax.set_ylim(0, 135)  # the legend sits above the 100 % line
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    style_axes(ax, "Utilisation per team over time", "day", "% of available reviewers busy")
    _legend(ax, "upper left", columns=3)


def total_backlog_by_scenario(ax: Axes, run: RunResult, scenario_ids: list[str]) -> None:
    """Comparison overlay: the total backlog (all stages) over time, one line per scenario."""
    _warmup(ax, run)
    for i, scenario_id in enumerate(scenario_ids):
        bands = [b for b in run.bands if b.scenario_id == scenario_id and b.scope_kind == "stage"
                 and b.metric == "queue_length"]
        if not bands:
            continue
        length = min(len(b.mean) for b in bands)
        total = np.sum([np.asarray(b.mean[:length]) for b in bands], axis=0)
        ax.plot(np.asarray(bands[0].times_h[:length]) / 24.0, total, color=PALETTE[i % len(PALETTE)],
                linewidth=1.8, label=run.scenario_names.get(scenario_id, scenario_id))
    style_axes(ax, "Total backlog over time (mean of replications)", "day", "items waiting")
    _legend(ax)


def team_utilisation_by_scenario(ax: Axes, run: RunResult, scenario_ids: list[str]) -> None:
    """Comparison overlay: mean utilisation per team (95 % CI), one colour per scenario."""
    teams: dict[str, str] = {}
    for summary in run.summaries:
        if summary.scope_kind == "team" and summary.metric == "utilisation_share":
            teams.setdefault(summary.scope_id, summary.scope_name)
    ids = list(teams)
    x = np.arange(len(ids))
    width = 0.8 / max(len(scenario_ids), 1)
    for i, scenario_id in enumerate(scenario_ids):
        values = {s.scope_id: s for s in _summary(run, scenario_id, "team", "utilisation_share")}
        ax.bar(x + (i - (len(scenario_ids) - 1) / 2) * width,
               [values[k].mean * 100 if k in values else math.nan for k in ids], width * 0.92,
               yerr=[values[k].half_width * 100 if k in values and values[k].ci_defined else 0.0 for k in ids],
               capsize=2, color=PALETTE[i % len(PALETTE)], label=run.scenario_names.get(scenario_id, scenario_id))
    ax.set_xticks(x, [teams[k] for k in ids])
    ax.set_ylim(0, 135)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    style_axes(ax, "Utilisation per team (95 % CI)", "", "% busy")
    _legend(ax, "upper left", columns=2)
