"""The week grid of the interval estimate: hour by hour from the horizon start, in every local time zone.

Rules:
- Hour ``k`` (0…167) is ``[start + k h, start + (k + 1) h)`` where ``start`` is the horizon start: 00:00 UTC
  on ``start_weekday`` of the week that contains ``start_date`` (the engine's rule, see
  ``simulations.timebase``; it is restated here because ``flowmodel`` may not import ``simulations``).
- Sources' profiles and teams' rosters are in local wall-clock time (IANA zone, daylight-saving time
  included). Each UTC hour is looked at on its four quarter hours (every UTC offset in use is a whole
  quarter hour), and an hour's figure is the mean of its quarters: a source's profile multiplier (scaled to
  mean 1, as the engine scales it), a surge's multiplier, a team's available reviewers
  (:func:`flowmodel.teams.available_reviewers`, rounded as the engine rounds them). A shift that starts on
  the half hour thus gives that hour half its reviewers.
- Surges are hours after the horizon start; only those within the first week are on this grid.
- Hours are described to planners in one zone: runs of consecutive hours as "22:00–06:00", grouped by the
  days they start on ("Mon–Fri", "Sat, Sun", "Mon–Sun").
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from flowmodel.errors import ModelError
from flowmodel.launch import run_start
from flowmodel.nodes import WEEKDAYS, Source
from flowmodel.run_settings import RunSettings
from flowmodel.teams import Team

HOURS = 168
QUARTERS = 4


def horizon_start(settings: RunSettings) -> datetime:
    """The UTC instant of hour 0 (:func:`flowmodel.launch.run_start`; a :class:`ModelError` for a start the engine
    would refuse too)."""
    return run_start(settings)


def zone(name: str, where: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ModelError(f"unknown time zone {name!r}", where=f"{where} · timezone",
                         hint="use an IANA time zone name such as 'Europe/Dublin' or 'UTC'") from None


@lru_cache(maxsize=128)
def local_quarters(start: datetime, zone_name: str) -> np.ndarray:
    """Local hour of the week (0 = Monday 00:00) at each of the week's 672 UTC quarter hours."""
    tz = zone(zone_name, zone_name)
    out = np.empty(HOURS * QUARTERS)
    for q in range(HOURS * QUARTERS):
        local = (start + timedelta(minutes=15 * q)).astimezone(tz)
        out[q] = local.weekday() * 24 + local.hour + local.minute / 60.0
    out.setflags(write=False)
    return out


def source_multipliers(source: Source, start: datetime) -> np.ndarray:
    """The source's rate in each hour relative to its mean rate (profile only, surges left out)."""
    profile = source.profile
    if profile.kind == "flat":
        return np.ones(HOURS)
    values = np.array([float(v) for v in profile.multipliers])
    if len(values) != profile.hours() or not np.all(np.isfinite(values)) or np.any(values < 0) or values.sum() <= 0:
        raise ModelError(f"a {profile.kind} profile needs {profile.hours()} finite multipliers ≥ 0, not all 0",
                         where=f"{source.name or source.id} · profile.multipliers")
    values = values / values.mean()
    hours = np.floor(local_quarters(start, source.timezone) + 1e-9).astype(int) % len(values)
    return values[hours].reshape(HOURS, QUARTERS).mean(axis=1)


def surge_factors(source: Source) -> np.ndarray:
    """Per hour of the first week: the mean over its quarters of the surges' product (1 where none runs)."""
    factors = np.ones(HOURS * QUARTERS)
    quarter_starts = np.arange(HOURS * QUARTERS) / QUARTERS
    for surge in source.surges:
        begin, length, multiplier = float(surge.start_hour), float(surge.duration_hours), float(surge.multiplier)
        if not all(math.isfinite(v) for v in (begin, length, multiplier)):
            continue
        active = (quarter_starts >= begin) & (quarter_starts < begin + length)
        factors[active] *= multiplier
    return factors.reshape(HOURS, QUARTERS).mean(axis=1)


def team_available(team: Team, start: datetime) -> np.ndarray:
    """The team's available reviewers in each hour (mean over the hour's quarters)."""
    quarters = local_quarters(start, team.timezone)
    rostered = np.zeros(len(quarters))
    for shift in team.shifts:  # Shift.covers, for every quarter at once
        for day, count in enumerate(shift.headcount):
            if count:
                rostered += np.where((quarters - (day * 24 + shift.start_hour)) % HOURS < shift.hours, count, 0)
    per_quarter = np.floor(rostered * (1.0 - team.shrinkage) + 0.5 + 1e-9)  # as available_reviewers rounds
    return per_quarter.reshape(HOURS, QUARTERS).mean(axis=1)


def hour_label(start: datetime, hour: int, zone_name: str) -> str:
    """``Mon 09:00``: the local start of horizon hour ``hour``."""
    local = (start + timedelta(hours=hour)).astimezone(zone(zone_name, zone_name))
    return f"{WEEKDAYS[local.weekday()]} {local:%H:%M}"


def clock_label(start: datetime, hour: int, zone_name: str) -> str:
    """``09:00``: the local clock time at the start of horizon hour ``hour`` (may be 168 or more)."""
    local = (start + timedelta(hours=hour)).astimezone(zone(zone_name, zone_name))
    return f"{local:%H:%M}"


def runs(hours: list[int] | tuple[int, ...]) -> list[tuple[int, int]]:
    """Consecutive runs of the week's hours as (first hour, length), wrapping from Sunday into Monday."""
    chosen = sorted(set(h % HOURS for h in hours))
    if not chosen:
        return []
    if len(chosen) == HOURS:
        return [(0, HOURS)]
    found: list[list[int]] = []
    for h in chosen:
        if found and h == found[-1][0] + found[-1][1]:
            found[-1][1] += 1
        else:
            found.append([h, 1])
    if len(found) > 1 and found[0][0] == 0 and found[-1][0] + found[-1][1] == HOURS:
        last = found.pop()
        found[0] = [last[0], last[1] + found[0][1]]
    return [(first, length) for first, length in found]


def day_list(days: list[int]) -> str:
    """``Mon–Sun``, ``Mon–Fri``, ``Sat, Sun``, ``Mon, Wed–Fri``."""
    chosen = sorted(set(days))
    if len(chosen) == 7:
        return "Mon–Sun"
    parts: list[str] = []
    group: list[int] = []
    for day in [*chosen, 99]:
        if group and day == group[-1] + 1:
            group.append(day)
            continue
        if group:
            parts.append(WEEKDAYS[group[0]] if len(group) == 1 else
                         f"{WEEKDAYS[group[0]]}, {WEEKDAYS[group[1]]}" if len(group) == 2 else
                         f"{WEEKDAYS[group[0]]}–{WEEKDAYS[group[-1]]}")
        group = [day]
    return ", ".join(parts)


def describe_hours(start: datetime, hours: list[int] | tuple[int, ...], zone_name: str, *,
                   with_zone: bool = True) -> str:
    """Planner words for a set of horizon hours: ``22:00–06:00 (Mon–Sun, Europe/Dublin)``.

    Runs with the same local start and end times are grouped by the weekday they start on; at most three
    groups are named, then "and more".
    """
    found = runs(hours)
    if not found:
        return ""
    if found == [(0, HOURS)]:
        return f"around the clock ({zone_name})" if with_zone else "around the clock"
    tz = zone(zone_name, zone_name)
    groups: dict[tuple[str, str], list[int]] = {}
    for first, length in found:
        begin = (start + timedelta(hours=first)).astimezone(tz)
        end = (start + timedelta(hours=first + length)).astimezone(tz)
        span = f"{begin:%H:%M}–{end:%H:%M}" if length < 24 else f"{begin:%a %H:%M}–{end:%a %H:%M}"
        groups.setdefault((span, ""), []).append(begin.weekday())
    parts = [f"{span} ({day_list(days)}{', ' + zone_name if with_zone else ''})" if len(span) <= 11
             else f"{span} ({zone_name})" if with_zone else span
             for (span, _), days in groups.items()]
    if len(parts) > 3:
        parts = [*parts[:3], f"{len(parts) - 3} more"]
    return "; ".join(parts)
