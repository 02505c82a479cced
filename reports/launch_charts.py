"""Charts of a launch (no Qt): daily SLA attainment per target and the backlog per stage, around the launch.

Rules:
- The x axis is days from the launch (0 = the launch; negative = before it), so a plan reads the same whatever
  its date; the axis label gives the launch's date. The launch is a solid vertical line labelled "launch", every
  other dated step of the plan (``phase`` records) a dotted one numbered at the top of the axes (1, 2, … in time
  order; steps on one day share a line, "1,2"), the numbers named in the legend ("1 EN markets: more coverage",
  shortened; the tables keep them whole). The warm-up is shaded as on every time chart.
- The daily SLA axis zooms to [lowest daily mean or target, whichever is lower, − 5 pp; 100 %], never below 0,
  so a dip after the launch shows.
- Daily SLA attainment is drawn as steps: each day's share spans its day (the engine stamps it at the day's
  end). The band is the 95 % confidence interval of the day's mean across replications (Student t over the
  replications with items due that day); a day nothing fell due is a gap. The target is a dashed line in the
  line's colour.
- The backlog is the stage queue series (mean line, p5–p95 band), as on the results view's backlog chart.
- One scenario: one colour per target or stage. Several scenarios: one colour per scenario (one panel per
  target or stage is the caller's choice via ``scope_ids``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, MaxNLocator

from reports.chart_style import MUTED, SCREEN, TEXT, Look, colour, count_axis, style_axes
from reports.launch import DAILY_SLA, LaunchResults, daily_interval, launch_results, short_label
from simulations.runner import RunResult

MARK_TEXT_PT = 7.0
SLA_MARGIN_PP = 5.0
LEGEND_LABEL_CHARS = 26


def launch_of(run: RunResult, scenario_ids: list[str]) -> LaunchResults | None:
    """The launch whose marks a chart of ``scenario_ids`` shows: the first plan among them, else the first."""
    found = [r for r in launch_results(run) if r.scenario_id in scenario_ids]
    return next((r for r in found if r.is_plan), found[0] if found else None)


def launch_date_text(run: RunResult, launch_h: float) -> str:
    """``Tue 2026-01-07 00:00`` — the launch as a date (the horizon starts at the settings' start date)."""
    try:
        start = datetime.fromisoformat(str(run.options.settings.start_date))
    except ValueError:
        return ""
    return (start + timedelta(hours=launch_h)).strftime("%a %Y-%m-%d %H:%M")


def _shade_warmup(ax: Axes, run: RunResult, launch_h: float) -> None:
    warmup = run.options.settings.warmup_hours
    if warmup > 0:
        ax.axvspan(-launch_h / 24.0, (warmup - launch_h) / 24.0, color="#e4e7eb", zorder=0, linewidth=0)


def mark_days(launch: LaunchResults) -> list[tuple[float, list[tuple[int, str]]]]:
    """The plan's dated steps other than the launch by day from the launch, in time order, each numbered from 1:
    ``[(7.0, [(1, "EN markets: more coverage")]), …]``."""
    days: dict[float, list[str]] = {}
    for label, at_h in sorted(launch.phases, key=lambda phase: phase[1]):
        day = round((at_h - launch.launch_at_h) / 24.0, 6)
        if day != 0.0 or label.lower() != "launch":
            days.setdefault(day, []).append(label)
    marks, number = [], 0
    for day, labels in days.items():
        numbered = []
        for label in labels:
            number += 1
            numbered.append((number, label))
        marks.append((day, numbered))
    return marks


def launch_marks(ax: Axes, launch: LaunchResults, look: Look = SCREEN, run: RunResult | None = None) -> None:
    """The launch and the plan's numbered dated steps as vertical lines marked at the top of ``ax``, the numbers
    named by legend entries; with ``run``, the x axis spans the whole run, so panels of one figure line up."""
    if run is not None:
        ax.set_xlim(-launch.launch_at_h / 24.0, (run.options.settings.horizon_hours - launch.launch_at_h) / 24.0)
    transform = ax.get_xaxis_transform()
    size = MARK_TEXT_PT if look is SCREEN else MARK_TEXT_PT - 0.5
    steps = {day: ",".join(str(n) for n, _ in numbered) for day, numbered in mark_days(launch)}
    marks = [(0.0, f"launch {steps.pop(0.0)}" if 0.0 in steps else "launch", True)]
    marks += [(day, text, False) for day, text in steps.items()]
    for day, text, solid in marks:
        ax.axvline(day, color=TEXT if solid else MUTED, linewidth=1.3 if solid else 0.9,
                   linestyle="-" if solid else ":", zorder=3)
        ax.annotate(text, (day, 1.0), xycoords=transform, xytext=(2.5, -2), textcoords="offset points",
                    va="top", ha="left", fontsize=size, color=TEXT if solid else MUTED, annotation_clip=True,
                    zorder=4, bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 0.5})
    for _day, numbered in mark_days(launch):
        for number, label in numbered:
            ax.plot([], [], color=MUTED, linestyle=":", linewidth=0.9,
                    label=f"{number} {short_label(label, LEGEND_LABEL_CHARS)}")


def sla_limits(lowest_pct: float, target_pct: float | None) -> tuple[float, float]:
    """The daily SLA axis in percent: from the lower of the lowest daily mean and the target, less a margin
    (never below 0), to 100."""
    floor = min(lowest_pct, target_pct) if target_pct is not None else lowest_pct
    return max(0.0, floor - SLA_MARGIN_PP), 100.0


def _x_label(run: RunResult, launch: LaunchResults) -> str:
    date = launch_date_text(run, launch.launch_at_h)
    return f"days from launch ({date})" if date else "days from launch"


def _scopes(run: RunResult, scenario_ids: list[str], kind: str, metric: str) -> dict[str, str]:
    pairs = dict.fromkeys((s.scope_id, s.scope_name) for r in run.replications if r.scenario_id in scenario_ids
                          for s in r.series if s.scope_kind == kind and s.metric == metric)
    return dict(list(pairs))


def _targets(run: RunResult, scenario_ids: list[str]) -> dict[str, float]:
    return {s.scope_id: s.mean for s in run.summaries
            if s.scenario_id in scenario_ids and s.scope_kind == "priority" and s.metric == "sla_target_share"}


def daily_sla(ax: Axes, run: RunResult, scenario_ids: list[str], look: Look = SCREEN,
              scope_ids: list[str] | None = None, title: str = "Daily SLA attainment (95 % CI band)",
              legend: bool = True) -> None:
    """Daily SLA attainment per target (one scenario) or per scenario (several), with targets and launch marks."""
    launch = launch_of(run, scenario_ids)
    scopes = _scopes(run, scenario_ids, "priority", DAILY_SLA)
    if scope_ids is not None:
        scopes = {k: v for k, v in scopes.items() if k in scope_ids}
    if launch is None or not scopes:
        ax.text(0.5, 0.5, "No SLA targets in this workflow", ha="center", va="center", transform=ax.transAxes)
        style_axes(ax, title, look=look)
        return
    _shade_warmup(ax, run, launch.launch_at_h)
    targets = _targets(run, scenario_ids)
    several = len(scenario_ids) > 1
    position = 0
    lowest = 100.0
    for scope_id, scope_name in scopes.items():
        for scenario_id in scenario_ids:
            ends, mean, low, high = daily_interval(run, scenario_id, scope_id)
            if not len(ends):
                continue
            days = (ends - launch.launch_at_h) / 24.0
            if np.isfinite(mean).any():
                lowest = min(lowest, float(np.nanmin(mean)) * 100)
            x = np.concatenate(([days[0] - 1.0], days))  # each value spans its day, from its start
            shade = colour(scenario_ids.index(scenario_id) if several else position)
            ax.fill_between(x, np.concatenate(([low[0]], low)) * 100, np.concatenate(([high[0]], high)) * 100,
                            step="pre", color=shade, alpha=look.band_alpha, linewidth=0)
            label = run.scenario_names.get(scenario_id, scenario_id) if several else scope_name
            if several and len(scopes) > 1:
                label = f"{label} · {scope_name}"
            ax.step(x, np.concatenate(([mean[0]], mean)) * 100, where="pre", color=shade,
                    linewidth=look.line_width, label=label)
        line_colour = TEXT if several else colour(position)
        if scope_id in targets:
            ax.axhline(targets[scope_id] * 100, color=line_colour, linewidth=1.0, linestyle="--", zorder=2)
        position += 1
    ax.plot([], [], color=TEXT, linestyle="--", linewidth=1.0, label="target")
    shown = [t * 100 for k, t in targets.items() if k in scopes]
    bottom, top = sla_limits(lowest, min(shown) if shown else None)
    ax.set_ylim(bottom, top + 0.5)  # a line at 100 % stays clear of the frame
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f} %" if value <= 100 else ""))
    ax.xaxis.set_major_locator(_day_locator())
    launch_marks(ax, launch, look, run)
    style_axes(ax, title, _x_label(run, launch), "items due that day within SLA", look)
    if legend:
        _legend(ax)


def launch_backlog(ax: Axes, run: RunResult, scenario_ids: list[str], look: Look = SCREEN,
                   scope_ids: list[str] | None = None, title: str = "Backlog around the launch (p5–p95 band)",
                   legend: bool = True) -> None:
    """Items waiting per stage (one scenario) or per scenario (several) on the launch's day axis, with marks."""
    launch = launch_of(run, scenario_ids)
    bands = [b for b in run.bands if b.scenario_id in scenario_ids and b.scope_kind == "stage"
             and b.metric == "queue_length" and (scope_ids is None or b.scope_id in scope_ids)]
    if launch is None or not bands:
        ax.text(0.5, 0.5, "No review stages in this workflow", ha="center", va="center", transform=ax.transAxes)
        style_axes(ax, title, look=look)
        return
    _shade_warmup(ax, run, launch.launch_at_h)
    several = len(scenario_ids) > 1
    stages = list(dict.fromkeys(b.scope_id for b in bands))
    for series in bands:
        position = scenario_ids.index(series.scenario_id) if several else stages.index(series.scope_id)
        days = (np.asarray(series.times_h) - launch.launch_at_h) / 24.0
        ax.fill_between(days, series.low, series.high, color=colour(position), alpha=look.band_alpha, linewidth=0)
        label = run.scenario_names.get(series.scenario_id, series.scenario_id) if several else series.scope_name
        if several and len(stages) > 1:
            label = f"{label} · {series.scope_name}"
        ax.plot(days, series.mean, color=colour(position), linewidth=look.line_width, label=label)
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(_day_locator())
    count_axis(ax.yaxis)
    launch_marks(ax, launch, look, run)
    style_axes(ax, title, _x_label(run, launch), "items waiting", look)
    if legend:
        _legend(ax)


def _day_locator() -> MaxNLocator:
    return MaxNLocator(nbins="auto", integer=True, min_n_ticks=3)


def _legend(ax: Axes) -> None:
    """The chart's legend below its axes (the figure holds this chart only, or panels that share it)."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.figure.legend(handles, labels, loc="outside lower center", ncols=min(len(handles), 2), fontsize=8,
                         frameon=False)
