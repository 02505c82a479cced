"""A run's results as tidy tables (one observation per row), shared by the CSV, XLSX and JSON exports.

Rules:
- ``scalars``: run, scenario, replication, metric, scope, value — one row per stored per-replication scalar.
  ``series``: the same plus t_hours — one row per time point. ``summary``: per scenario × scalar the mean,
  sd, 95 % CI and n. ``deltas``: per non-reference scenario × scalar the paired delta, its CI, the relative
  change and whether it is clear. ``staffing``: the staffing table's own columns, when there is one.
- ``scope`` is ``kind:name`` (e.g. ``stage:Tier 1 review``); metric names keep their unit suffix
  (``_s`` seconds, ``_h`` hours, ``_share`` 0–1, ``_count``), so a row never needs context to be read.
- Values are the stored floats themselves (never rounded or converted); a value with no data (NaN) is None.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from reports.comparison import Comparison

SCALAR_COLUMNS = ("run", "scenario", "replication", "metric", "scope", "value")
SERIES_COLUMNS = ("run", "scenario", "replication", "metric", "scope", "t_hours", "value")
SUMMARY_COLUMNS = ("run", "scenario", "metric", "scope", "n", "mean", "sd", "ci_low", "ci_high", "half_width")
DELTA_COLUMNS = ("run", "scenario", "reference", "metric", "scope", "n", "reference_mean", "scenario_mean",
                 "delta", "ci_low", "ci_high", "relative_delta", "clear")


def scope_text(kind: str, name: str) -> str:
    return f"{kind}:{name}"


def finite(value: float) -> float | None:
    """``value``, or None for NaN and infinities (CSV, JSON and Excel have no NaN)."""
    return value if math.isfinite(value) else None


def scalar_rows(comparison: Comparison) -> Iterator[tuple[Any, ...]]:
    run_id = comparison.run_id
    for result in comparison.run.replications:
        for m in result.metrics:
            yield (run_id, result.scenario_name, result.replication, m.metric, scope_text(m.scope_kind, m.scope_name),
                   finite(m.value))


def series_rows(comparison: Comparison) -> Iterator[tuple[Any, ...]]:
    run_id = comparison.run_id
    for result in comparison.run.replications:
        for s in result.series:
            scope = scope_text(s.scope_kind, s.scope_name)
            for t_hours, value in zip(s.times_h, s.values, strict=True):
                yield run_id, result.scenario_name, result.replication, s.metric, scope, t_hours, finite(value)


def summary_rows(comparison: Comparison) -> Iterator[tuple[Any, ...]]:
    for s in comparison.run.summaries:
        yield (comparison.run_id, s.scenario_name, s.metric, scope_text(s.scope_kind, s.scope_name), s.n,
               finite(s.mean), finite(s.sd), finite(s.ci_low), finite(s.ci_high), finite(s.half_width))


def delta_rows(comparison: Comparison) -> Iterator[tuple[Any, ...]]:
    reference = comparison.reference.name
    for d in comparison.run.deltas:
        yield (comparison.run_id, d.scenario_name, reference, d.metric, scope_text(d.scope_kind, d.scope_name), d.n,
               finite(d.baseline_mean), finite(d.scenario_mean), finite(d.delta_mean), finite(d.ci_low),
               finite(d.ci_high), finite(d.relative_delta), d.clear)


def tables(comparison: Comparison) -> dict[str, tuple[tuple[str, ...], Iterator[tuple[Any, ...]]]]:
    """name → (columns, rows) of every tidy table of ``comparison``, in export order."""
    out = {"scalars": (SCALAR_COLUMNS, scalar_rows(comparison)),
           "series": (SERIES_COLUMNS, series_rows(comparison)),
           "summary": (SUMMARY_COLUMNS, summary_rows(comparison)),
           "deltas": (DELTA_COLUMNS, delta_rows(comparison))}
    staffing = comparison.staffing
    if staffing is not None:
        out["staffing"] = (staffing.columns, iter(staffing.rows))
    return out
