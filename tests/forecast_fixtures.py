"""Synthetic hourly volume histories from known parameters, for the forecast tests.

The truth: a weekly profile in Europe/Berlin with an evening peak at 20:00 local and a weekend uplift, a mean
level per hour, Poisson counts per UTC hour, optionally an incident day (every hour of one local day × a
factor) and missing hours. Eight weeks from Monday 2 March 2026 cross the spring-forward night of 29 March.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from flowmodel.imports.history import VolumeHistory

ZONE = "Europe/Berlin"
START_LOCAL = datetime(2026, 3, 2, 0, 0, tzinfo=ZoneInfo(ZONE))  # a Monday, four weeks before the DST change
DST_CHANGE = date(2026, 3, 29)
PEAK_HOUR = 20
WEEKEND_UPLIFT = 1.3
INCIDENT_DAY = date(2026, 4, 14)  # a Tuesday, after the change
INCIDENT_FACTOR = 3.0


def _daily_shape(hour: int) -> float:
    def bump(centre: float, width: float) -> float:
        distance = min(abs(hour - centre), 24 - abs(hour - centre))
        return math.exp(-((distance / width) ** 2))

    return 0.35 + 0.5 * bump(14, 5) + 1.1 * bump(PEAK_HOUR, 2)


def true_profile() -> list[float]:
    """168 local multipliers, Monday 00:00 first, mean 1."""
    values = [_daily_shape(h % 24) * (WEEKEND_UPLIFT if h // 24 >= 5 else 1.0) for h in range(168)]
    mean = sum(values) / len(values)
    return [v / mean for v in values]


def local_hour_of_week(start_utc: datetime, index: int, zone: str = ZONE) -> int:
    local = (start_utc + timedelta(hours=index)).astimezone(ZoneInfo(zone))
    return local.weekday() * 24 + local.hour


def synthetic_history(*, weeks: float = 8, level: float = 120.0, seed: int = 7, incident: date | None = None,
                      missing_hours: tuple[int, ...] = (), zone: str = ZONE,
                      profile: list[float] | None = None, start_local: datetime = START_LOCAL) -> VolumeHistory:
    """Poisson counts per UTC hour at ``level × profile[local hour of week]``; ``incident`` (a local date) × 3."""
    rng = np.random.default_rng(seed)
    start_utc = start_local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    shape = profile or true_profile()
    counts = []
    for i in range(int(weeks * 168)):
        rate = level * shape[local_hour_of_week(start_utc, i, zone)]
        if incident is not None and (start_utc + timedelta(hours=i)).astimezone(ZoneInfo(zone)).date() == incident:
            rate *= INCIDENT_FACTOR
        counts.append(float(rng.poisson(rate)))
    for i in missing_hours:
        counts[i] = math.nan
    mix = {("spam", "en", "P2"): 600.0, ("hate", "de", "P1"): 300.0, ("csam", "en", "P0"): 100.0}
    return VolumeHistory(file="volumes.csv", timezone=zone, start_utc=start_utc, counts=tuple(counts), mix=mix)
