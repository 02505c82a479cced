"""Charts of a launch (no Qt): daily SLA attainment per target and the backlog per stage, around the launch.

Rules:
- The x axis is days from the launch (0 = the launch; negative = before it), so a plan reads the same whatever
  its date; the axis label gives the launch's date. The launch is a solid vertical line, every other dated step
  of the plan (``phase`` records) a dotted one, each labelled at the top of the axes (labels shortened; the
  tables keep them whole). The warm-up is shaded as on every time chart.
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
from matplotlib.ticker import MaxNLocator

from reports.chart_style import MUTED, SCREEN, TEXT, Look, colour, count_axis, percent_axis, style_axes
from reports.launch import DAILY_SLA, LaunchResults, daily_interval, launch_results, short_label
from simulations.runner import RunResult

MARK_TEXT_PT = 7.0


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


def launch_marks(ax: Axes, launch: LaunchResults, look: Look = SCREEN, run: RunResult | None = None) -> None:
    """The launch and the plan's dated steps as vertical lines labelled at the top of ``ax``; with ``run``, the x
    axis spans the whole run, so panels of one figure line up."""
    if run is not None:
        ax.set_xlim(-launch.launch_at_h / 24.0, (run.options.settings.horizon_hours - launch.launch_at_h) / 24.0)
    marks: dict[float, str] = {0.0: "launch"}
    for label, at_h in launch.phases:
        day = round((at_h - launch.launch_at_h) / 24.0, 6)
        marks[day] = short_label(label)
    transform = ax.get_xaxis_transform()
    for day, label in sorted(marks.items()):
        solid = day == 0.0
        ax.axvline(day, color=TEXT if solid else MUTED, linewidth=1.3 if solid else 0.9,
                   linestyle="-" if solid else ":", zorder=3)
        ax.annotate(label, (day, 0.99), xycoords=transform, xytext=(2.5, 0), textcoords="offset points",
                    rotation=90, va="top", ha="left", fontsize=MARK_TEXT_PT if look is SCREEN else MARK_TEXT_PT - 0.5,
                    color=TEXT if solid else MUTED, annotation_clip=True, zorder=4,
                    bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 0.3})


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
    for scope_id, scope_name in scopes.items():
        for scenario_id in scenario_ids:
            ends, mean, low, high = daily_interval(run, scenario_id, scope_id)
            if not len(ends):
                continue
            days = (ends - launch.launch_at_h) / 24.0
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
    percent_axis(ax.yaxis)
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
        ax.figure.legend(handles, labels, loc="outside lower center", ncols=min(len(handles), 3), fontsize=8,
                         frameon=False)
