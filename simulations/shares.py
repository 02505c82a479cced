"""Cumulative shares for a draw by one uniform number (mixes, branches): the one place they are normalised."""

from __future__ import annotations


def cumulative(weights: list[float]) -> tuple[float, ...]:
    """Running sums of ``weights`` over their total, the last exactly 1 (a uniform draw never falls past it)."""
    total = sum(weights)
    running, out = 0.0, []
    for w in weights:
        running += w
        out.append(running / total)
    out[-1] = 1.0
    return tuple(out)
