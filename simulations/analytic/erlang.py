"""Erlang B, Erlang C (M/M/c) and Erlang A (M/M/c+M), re-exported from :mod:`flowmodel.erlang`.

The formulas live in ``flowmodel`` because validation's interval load check (:mod:`flowmodel.interval_load`)
needs them and ``flowmodel`` may not import ``simulations``; this module keeps the engine's, staffing's and
the tests' imports working.
"""

from flowmodel.erlang import (
    MAX_STATES,
    TAIL_BOUND,
    AbandonmentEstimate,
    QueueEstimate,
    erlang_a,
    erlang_b,
    erlang_c,
    mmc,
    required_agents,
    service_level,
)

__all__ = [
    "MAX_STATES", "TAIL_BOUND", "AbandonmentEstimate", "QueueEstimate", "erlang_a", "erlang_b", "erlang_c", "mmc",
    "required_agents", "service_level",
]
