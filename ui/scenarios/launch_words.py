"""A launch plan's timing in planner words: ``launch + 7 d → launch + 21 d · linear ramp over 3 d · es or pt``,
``from launch``, ``until 2027-01-11 09:00``.

Why a module of its own: the change list and the timeline both name when a change holds, and they must say it
the same way. Instants read as :func:`flowmodel.launch.describe_instant` has them; hours read in days when whole.
"""

from __future__ import annotations

from flowmodel.launch import Ramp, describe_instant
from flowmodel.scenarios import Change

RAMP_WORDS = {"linear": "linear ramp over", "learning": "learning curve, half-life"}


def hours_words(hours: float) -> str:
    """``3 d`` for 72 hours, ``36 h`` for 36."""
    return f"{hours / 24:g} d" if hours >= 24 and hours % 24 == 0 else f"{hours:g} h"


def ramp_words(ramp: Ramp) -> str:
    return f"{RAMP_WORDS.get(ramp.shape, ramp.shape)} {hours_words(ramp.hours)}"


def when_words(change: Change) -> str:
    """When and for what ``change`` holds ("" for a plain change: the whole run, every item)."""
    parts = []
    start, end = change.start.strip(), change.end.strip()
    if start and end:
        parts.append(f"{describe_instant(start)} → {describe_instant(end)}")
    elif start:
        parts.append(f"from {describe_instant(start)}")
    elif end:
        parts.append(f"until {describe_instant(end)}")
    if change.ramp is not None:
        parts.append(ramp_words(change.ramp))
    if change.scope is not None and not change.scope.is_everything():
        parts.append(change.scope.describe())
    return " · ".join(parts)
