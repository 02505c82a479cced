"""Team capacity over time, from shift rosters stated in the team's local time.

Rules:
- Rostered headcount at an instant = :meth:`Team.rostered_at` of the local wall-clock hour of the week in
  the team's time zone. Shift starts and ends are wall-clock times, so on a daylight-saving night a shift
  that spans the change lasts one hour more or less in real time.
- Available reviewers = rostered × (1 − shrinkage), rounded to the nearest whole reviewer with halves
  rounded up (10 × 0.65 = 6.5 → 7; :func:`flowmodel.teams.available_reviewers`, which validation shares).
  Shrinkage is modelled as fewer reviewers, not as slower ones.
- The compiled :class:`CapacityTimeline` lists the instants (seconds from the horizon start) at which the
  rostered or available count changes; equal neighbours are merged. Change points are every shift start
  and end, plus every UTC quarter hour for zones with daylight-saving changes.
- Paid hours are rostered hours (before shrinkage); both are integrals of the timeline.
- The compiled timeline refuses (:class:`ModelError`) a headcount past ``MAX_HEADCOUNT`` and a span longer
  than two of the longest horizons (a run's horizon plus its drain of at most one more horizon); validation
  refuses the first, and the run settings' limits keep the second away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flowmodel.errors import ModelError
from flowmodel.limits import MAX_HEADCOUNT, MAX_HORIZON_HOURS
from flowmodel.teams import Team, available_reviewers
from flowmodel.validation_limits import fmt
from simulations.timebase import QUARTER_HOUR_S, is_utc, load_zone, local_hour_of_week, to_seconds_since

#: The longest span a timeline covers: the longest horizon and a drain of at most one more horizon.
MAX_SPAN_S = 2 * MAX_HORIZON_HOURS * 3600.0


@dataclass(frozen=True)
class CapacityTimeline:
    """``rostered[i]`` and ``available[i]`` hold from ``times[i]`` until ``times[i+1]`` (the last one on)."""

    times: tuple[float, ...]
    rostered: tuple[int, ...]
    available: tuple[int, ...]

    def integral(self, values: tuple[int, ...], a: float, b: float) -> float:
        """∫ values(t) dt over [a, b] in reviewer-seconds."""
        total = 0.0
        for i, start in enumerate(self.times):
            stop = self.times[i + 1] if i + 1 < len(self.times) else math.inf
            lo, hi = max(a, start), min(b, stop)
            if hi > lo:
                total += values[i] * (hi - lo)
        return total


def capacity_timeline(team: Team, start: datetime, span_s: float, where: str,
                      window: tuple[float, float] | None = None) -> CapacityTimeline:
    """Compile the team's roster over ``[0, span_s]``, or over ``window`` of it only (for a launch plan's
    splice, :mod:`simulations.launch_capacity`)."""
    if not 0.0 <= team.shrinkage < 1.0:
        raise ModelError(f"shrinkage must be at least 0 and below 1, not {team.shrinkage}",
                         where=f"{where} · shrinkage", hint="enter the share of paid time not spent reviewing")
    for shift in team.shifts:
        if len(shift.headcount) != 7 or any(h < 0 for h in shift.headcount):
            raise ModelError("a shift needs 7 headcounts (Monday to Sunday), each ≥ 0",
                             where=f"{where} · shifts · {shift.name}")
        if any(h > MAX_HEADCOUNT for h in shift.headcount):
            raise ModelError(f"a shift's headcount is at most {fmt(MAX_HEADCOUNT)} on each weekday",
                             where=f"{where} · shifts · {shift.name}")
        if not 0 <= shift.start_hour < 24 or not 0 <= shift.hours <= 168:
            raise ModelError("a shift starts between 0 and 24 h and lasts 0 to 168 h",
                             where=f"{where} · shifts · {shift.name}")
    if not 0.0 <= span_s <= MAX_SPAN_S:
        raise ModelError(f"a roster spans at most {fmt(MAX_SPAN_S / 3600.0)} h, not {fmt(span_s / 3600.0)} h",
                         where=where)
    zone = load_zone(team.timezone, where)
    points = {0.0}
    first_day = (start.astimezone(zone) - timedelta(days=8)).date()
    days = math.ceil(span_s / 86400.0) + 10
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
        for shift in team.shifts:
            begin = midnight + timedelta(hours=shift.start_hour)
            for instant in (begin, begin + timedelta(hours=shift.hours)):
                t = to_seconds_since(start, instant)
                if 0.0 < t < span_s:
                    points.add(t)
    if not is_utc(zone):
        points.update(k * QUARTER_HOUR_S for k in range(1, math.ceil(span_s / QUARTER_HOUR_S)))
    if window is not None:
        lo, hi = window
        points = {lo, *(t for t in points if lo < t < hi)}
    times = sorted(points)

    out_times: list[float] = []
    out_rostered: list[int] = []
    out_available: list[int] = []
    for i, t in enumerate(times):
        stop = times[i + 1] if i + 1 < len(times) else t + QUARTER_HOUR_S
        if window is not None:
            stop = min(stop, window[1])
        rostered = team.rostered_at(local_hour_of_week(start, (t + stop) / 2.0, zone))
        available = available_reviewers(rostered, team.shrinkage)
        if out_times and out_rostered[-1] == rostered and out_available[-1] == available:
            continue
        out_times.append(t)
        out_rostered.append(rostered)
        out_available.append(available)
    return CapacityTimeline(tuple(out_times), tuple(out_rostered), tuple(out_available))
