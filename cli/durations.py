"""Durations typed on the command line: ``14d``, ``36h``, ``90m``, ``3600s`` (also ``1.5h``, ``90min``).

Rule: a number followed by exactly one unit; no unit is an error (a bare ``14`` could mean days or hours,
and guessing wrong silently changes a run by a factor of 24).
"""

from __future__ import annotations

import argparse
import math
import re

SECONDS_PER_UNIT: dict[str, float] = {"s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(s|m|min|h|d)\s*$", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Seconds in ``text``; :class:`ValueError` with an example when it cannot be read."""
    match = _PATTERN.match(text)
    if match is None:
        raise ValueError(f"cannot read {text!r} as a duration; write a number and a unit, e.g. 14d, 36h, 90m, 3600s")
    seconds = float(match.group(1)) * SECONDS_PER_UNIT[match.group(2).lower()]
    if not math.isfinite(seconds):
        raise ValueError(f"the duration {text!r} is too large")
    return seconds


def duration_hours(text: str) -> float:
    """argparse ``type=``: the duration in hours, or a usage error that names the problem."""
    try:
        return parse_duration(text) / 3600.0
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
