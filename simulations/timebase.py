"""The engine's clock: seconds (float) from the start of the horizon, and local wall-clock time.

Rules:
- The horizon starts at 00:00 UTC on ``settings.start_weekday`` (0 = Monday) of the week that contains
  ``settings.start_date``.
- Profiles and rosters are stated in local wall-clock time of a source's or team's time zone
  (IANA name, via :mod:`zoneinfo`, daylight-saving time included). A UTC instant is mapped to its local
  "hour of the week" (0 = Monday 00:00 local); all UTC offsets in use are whole quarter hours, so the
  local hour is constant on each UTC quarter hour.
- The start date lies in [``EARLIEST_START_DATE``, ``LATEST_START_DATE``] (:mod:`flowmodel.limits`), as
  validation requires; :func:`horizon_start` refuses any other with a :class:`ModelError`, so that a horizon of
  up to ``MAX_HORIZON_HOURS`` (and the drain and roster margins after it) added to it is always a date.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flowmodel.errors import ModelError
from flowmodel.launch import run_start
from flowmodel.run_settings import RunSettings

QUARTER_HOUR_S = 900.0
HOUR_S = 3600.0
WEEK_S = 7 * 24 * HOUR_S


def horizon_start(settings: RunSettings) -> datetime:
    """The UTC instant at which simulated time 0 falls (:func:`flowmodel.launch.run_start`, which the editor's
    launch timeline shares)."""
    return run_start(settings)


def load_zone(name: str, where: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ModelError(f"unknown time zone {name!r}", where=f"{where} · timezone",
                         hint="use an IANA time zone name such as 'Europe/Dublin' or 'UTC'") from None


def is_utc(zone: ZoneInfo) -> bool:
    return zone.key in ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Zulu")


def local_hour_of_week(start: datetime, seconds: float, zone: ZoneInfo) -> float:
    """Local wall-clock hours since Monday 00:00 at ``seconds`` after ``start``."""
    local = (start + timedelta(seconds=seconds)).astimezone(zone)
    return local.weekday() * 24 + local.hour + local.minute / 60.0 + (local.second + local.microsecond / 1e6) / 3600.0


def to_seconds_since(start: datetime, instant: datetime) -> float:
    return (instant.astimezone(UTC) - start).total_seconds()
