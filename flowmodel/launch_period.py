"""Which part of a run a staffing search judges: the whole run, the launch period, or after the launch settles.

Why: a launch needs more people than the steady state it settles into; planners staff the two separately (extra
heads or overtime for the launch weeks, the settled roster after). A period is a statistics window of the run
(its warm-up and horizon, :class:`flowmodel.run_settings.RunSettings`): targets are judged on the items created
in it, while the run still simulates everything before it, so the backlog a launch builds carries in.

Rules:
- ``run``: the settings as they are.
- ``launch``: from the launch to ``days`` days after it (warm-up = the launch, horizon = launch + days, at most
  the run's horizon).
- ``settled``: from the moment the plan's last timed step has settled — the latest start, end and ramp end of its
  timed changes (past the launch), and the ends of its backfills and trainings — to the run's horizon.
A period that is empty or starts before the run's own warm-up ends is refused with a message saying why.
"""

from __future__ import annotations

import math
from dataclasses import replace

from flowmodel.errors import ModelError
from flowmodel.launch import change_window, instant_seconds, launch_seconds, run_start
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Scenario

PERIODS: tuple[str, ...] = ("run", "launch", "settled")
PERIOD_WORDS: dict[str, str] = {"run": "the whole run", "launch": "the launch period",
                                "settled": "after the launch settles"}
DEFAULT_LAUNCH_DAYS = 14


def settled_hours(scenario: Scenario, settings: RunSettings) -> float:
    """Hours from the run's start at which the plan's last timed step has settled (see the module rules)."""
    start = run_start(settings)
    where = f"scenario {scenario.name!r}"
    launch_s = launch_seconds(scenario.launch, start, f"{where} · launch")
    latest = launch_s
    for change in scenario.changes:
        if change.is_static():
            continue
        begin, end, ramp_end = change_window(change, launch_s, start, where)
        latest = max(latest, begin, ramp_end, end if math.isfinite(end) else begin)
    for backfill in scenario.backfills:
        latest = max(latest, instant_seconds(backfill.start, launch_s, start, where) + backfill.spread_hours * 3600.0)
    for training in scenario.trainings:
        latest = max(latest, instant_seconds(training.end, launch_s, start, where))
    return latest / 3600.0


def period_settings(scenario: Scenario | None, settings: RunSettings, period: str,
                    days: float = DEFAULT_LAUNCH_DAYS) -> RunSettings:
    """``settings`` with the statistics window of ``period`` (see the module rules)."""
    if period == "run":
        return replace(settings)
    if period not in PERIODS:
        raise ModelError(f"unknown staffing period {period!r}", hint=f"use one of {', '.join(PERIODS)}")
    if scenario is None or not scenario.is_launch_plan():
        raise ModelError(f"{PERIOD_WORDS[period]} needs a launch plan", where="staffing period",
                         hint="pick a scenario with a launch, or staff the whole run")
    horizon = settings.horizon_hours
    if period == "launch":
        begin = launch_seconds(scenario.launch, run_start(settings), f"scenario {scenario.name!r} · launch") / 3600.0
        end = min(horizon, begin + days * 24.0)
    else:
        begin, end = settled_hours(scenario, settings), horizon
    if begin < settings.warmup_hours:
        raise ModelError(f"{PERIOD_WORDS[period]} starts at hour {begin:g}, inside the run's warm-up "
                         f"({settings.warmup_hours:g} h)", where="staffing period",
                         hint="shorten the warm-up or move the launch later")
    if end - begin < 24.0:
        raise ModelError(f"{PERIOD_WORDS[period]} has {max(0.0, end - begin):g} h inside the run's horizon; "
                         "a staffing period needs at least a day", where="staffing period",
                         hint="lengthen the horizon or move the launch earlier")
    return replace(settings, warmup_hours=begin, horizon_hours=end)
