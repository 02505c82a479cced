"""Instant, closed-form estimates (Erlang B/C/A, Jackson traffic per stage) that need no simulation.

They are shown next to each stage before a run, used by validation's load check and by staffing, and they
are the reference the engine's statistical tests check against.
"""

from flowmodel.interval_load import StageInterval, interval_estimates
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
    "AbandonmentEstimate", "QueueEstimate", "StageEstimate", "StageInterval", "erlang_a", "erlang_b", "erlang_c",
    "interval_estimates", "mmc", "required_agents", "service_level", "stage_estimates",
]
