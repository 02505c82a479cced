"""Instant, closed-form estimates (Erlang B/C/A, Jackson traffic per stage) that need no simulation.

They are shown next to each stage before a run, used by validation's load check and by staffing, and they
are the reference the engine's statistical tests check against.
"""

from simulations.analytic.erlang import (
    AbandonmentEstimate,
    QueueEstimate,
    erlang_a,
    erlang_b,
    erlang_c,
    mmc,
    required_agents,
    service_level,
)
from simulations.analytic.stage_estimates import StageEstimate, stage_estimates

__all__ = [
    "AbandonmentEstimate", "QueueEstimate", "StageEstimate", "erlang_a", "erlang_b", "erlang_c", "mmc",
    "required_agents", "service_level", "stage_estimates",
]
