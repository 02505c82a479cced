"""A team's capacity under a launch plan: timed roster changes spliced in time, and training taken off the floor.

Rules:
- A team whose headcount, shift length or shrinkage changes over time gets, on each piece of the plan's grid, the
  capacity timeline of the team as changed on that piece (:func:`simulations.rosters.capacity_timeline` over
  that window), joined with equal neighbours merged.
- Training removes exactly R = people × hours per person reviewer-hours from the *available* reviewers (paid,
  not reviewing) over ``[start, end)``, in proportion to who is on the floor: with A the available
  reviewer-seconds in the period and f = R / A, a timeline piece of length L with a available reviewers loses
  f·a·L reviewer-seconds — ⌊f·a⌋ reviewers for the whole piece and one more for the first (f·a − ⌊f·a⌋)·L
  seconds of it (staggered sessions). Rostered (paid) reviewers do not change. Training needs more hours than
  the team has on the floor in the period (f > 1), or a period with nobody on the floor, is refused.
"""

from __future__ import annotations

import math
from datetime import datetime

from flowmodel.errors import ModelError
from flowmodel.launch import Training, instant_seconds
from flowmodel.teams import Team
from flowmodel.validation_limits import fmt
from simulations.rosters import CapacityTimeline, capacity_timeline


def spliced_timeline(pieces: list[tuple[float, float, Team]], run_start: datetime, span_s: float,
                     where: str) -> CapacityTimeline:
    """One timeline from each piece's team over its window (see the module rules)."""
    times: list[float] = []
    rostered: list[int] = []
    available: list[int] = []
    for a, b, team in pieces:
        if a >= span_s:
            break
        part = capacity_timeline(team, run_start, span_s, where, window=(a, min(b, span_s)))
        for t, r, v in zip(part.times, part.rostered, part.available, strict=True):
            if times and rostered[-1] == r and available[-1] == v:
                continue
            times.append(t)
            rostered.append(r)
            available.append(v)
    return CapacityTimeline(tuple(times), tuple(rostered), tuple(available))


def training_removed(timeline: CapacityTimeline, training: Training, team: Team, launch_s: float,
                     run_start: datetime, where: str) -> CapacityTimeline:
    """``timeline`` with the training's reviewer-hours taken off the floor (see the module rules)."""
    start = instant_seconds(training.start, launch_s, run_start, f"{where} · start")
    end = instant_seconds(training.end, launch_s, run_start, f"{where} · end")
    if end <= start:
        raise ModelError("the training ends before it starts", where=f"{where} · end", hint="move its end later")
    people = training.people if training.people > 0 else team.head_count()
    wanted = people * training.hours_per_person * 3600.0
    if wanted <= 0:
        return timeline
    on_floor = timeline.integral(timeline.available, start, end)
    if on_floor <= 0:
        raise ModelError("nobody of the team is on the floor during the training", where=where,
                         hint="move the training into rostered hours")
    share = wanted / on_floor
    if share > 1.0 + 1e-12:
        raise ModelError(f"the training needs {fmt(wanted / 3600.0)} reviewer-hours but the team has only "
                         f"{fmt(on_floor / 3600.0)} on the floor in the period", where=where,
                         hint="lengthen the period, or train fewer hours or people")
    share = min(share, 1.0)
    times, rostered, available = [], [], []
    bounds = [*timeline.times[1:], math.inf]
    for t, stop, r, a in zip(timeline.times, bounds, timeline.rostered, timeline.available, strict=True):
        lo, hi = max(t, start), min(stop, end)
        if hi <= lo or a == 0:
            _push(times, rostered, available, t, r, a)
            continue
        whole, part = divmod(share * a, 1.0)
        removed = int(whole)
        if lo > t:
            _push(times, rostered, available, t, r, a)
        extra_end = lo + part * (hi - lo)
        if part > 0 and extra_end > lo:
            _push(times, rostered, available, lo, r, a - removed - 1)
            _push(times, rostered, available, extra_end, r, a - removed)
        else:
            _push(times, rostered, available, lo, r, a - removed)
        if hi < stop:
            _push(times, rostered, available, hi, r, a)
    return CapacityTimeline(tuple(times), tuple(rostered), tuple(available))


def _push(times: list[float], rostered: list[int], available: list[int], t: float, r: int, a: int) -> None:
    if times and times[-1] == t:
        rostered[-1], available[-1] = r, a
        return
    if times and rostered[-1] == r and available[-1] == a:
        return
    times.append(t)
    rostered.append(r)
    available.append(a)
