"""Flat result records of one replication — they go straight into the workspace's tables.

A replication reports scalars (:class:`MetricRecord`) and time series (:class:`SeriesRecord`), each
addressed by a scope (``system``, ``stage``, ``team``, ``outcome``, ``priority``) and a metric name.
Units are in the metric name (``_s`` seconds, ``_h`` hours, ``share`` 0–1, ``count``) so that a
record never needs context to be read. Aggregation across replications lives elsewhere; these
records are per replication only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCOPE_KINDS: tuple[str, ...] = ("system", "stage", "team", "outcome", "priority", "source", "phase", "quality",
                                 "decision", "stage_priority", "stage_category", "wellness", "start_backlog")


@dataclass(frozen=True)
class MetricRecord:
    scope_kind: str
    scope_id: str
    scope_name: str
    metric: str
    value: float


@dataclass(frozen=True)
class SeriesRecord:
    """Values sampled at the end of each reporting interval; ``times_h`` are hours from the start of
    the horizon (warm-up included, so a chart can show it shaded)."""

    scope_kind: str
    scope_id: str
    scope_name: str
    metric: str
    times_h: tuple[float, ...]
    values: tuple[float, ...]


@dataclass
class ReplicationResult:
    scenario_id: str
    scenario_name: str
    replication: int
    seed: int
    metrics: list[MetricRecord] = field(default_factory=list)
    series: list[SeriesRecord] = field(default_factory=list)
    items_created: int = 0
    items_completed: int = 0
    items_in_system_at_end: int = 0
    events: int = 0
    items_expired: int = 0
    end_time_h: float = 0.0
    #: Why the engine's backlog guard stopped this replication before its end ("" when it ran to the end);
    #: its figures then cover the run up to ``end_time_h`` only.
    stopped_early: str = ""
    #: Items followed through the workflow (:class:`simulations.item_trace.ItemTrace`), replication 0 of a run
    #: that asked for them; empty otherwise. Kept in memory and exported, not stored in workspaces.
    traces: list[Any] = field(default_factory=list)

    def metric(self, scope_kind: str, scope_name_or_id: str, metric: str) -> float:
        """One scalar, found by scope name or id (convenient in tests and reports)."""
        for record in self.metrics:
            if (record.scope_kind == scope_kind and metric == record.metric
                    and scope_name_or_id in (record.scope_id, record.scope_name)):
                return record.value
        raise KeyError(f"{scope_kind} {scope_name_or_id!r} has no metric {metric!r}")
