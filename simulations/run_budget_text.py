"""Counts, sizes and durations as the pre-run estimate's messages write them ("about 3.4 GB", "2 h 10 min")."""

from __future__ import annotations

from simulations.timebase import HOUR_S

GIB = 1024.0**3


def plural(n: int, word: str) -> str:
    many = "processes" if word == "process" else f"{word}s"
    return f"{n:,} {word if n == 1 else many}"


def count_text(n: float) -> str:
    """A count as a planner reads it: 336,000 · 6.7 million · 5 billion."""
    for size, name in ((1e9, "billion"), (1e6, "million")):
        if n >= size:
            return f"{n / size:,.2g} {name}" if n < 10 * size else f"{n / size:,.0f} {name}"
    return f"{n:,.0f}"


def bytes_text(n: float) -> str:
    if n >= GIB:
        return f"{n / GIB:.1f} GB"
    return f"{max(n / 1024**2, 1):.0f} MB"


def duration_text(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3 h 20 min``, ``4 d 6 h``."""
    if seconds < 90:
        return f"{max(round(seconds), 1)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def span_text(seconds: float) -> str:
    """Simulated time: ``36 h``, ``30 d``."""
    hours = seconds / HOUR_S
    return f"{hours / 24:,.3g} d" if hours >= 48 else f"{hours:,.3g} h"


def interval_text(minutes: float) -> str:
    return f"{minutes * 60:g} s" if minutes < 1 else f"{minutes:g} min"
