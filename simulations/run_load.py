"""One replication's load for the pre-run estimate: arrivals, events, items waiting and in flight, the backlog
guard's stop — the per-scenario half of the formula in :mod:`simulations.run_budget`, with its byte constants
(measured; see there)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from flowmodel.errors import ModelError
from flowmodel.nodes import Classifier, Delay, ReviewStage, Source
from flowmodel.traffic import ClassRates, StaffingPool, arrival_rates, class_rates, offered_load, staffing_pools
from flowmodel.workflow import Workflow
from simulations.analytic.erlang import erlang_c
from simulations.engine import GUARD_SLACK
from simulations.spec import RunSpec
from simulations.timebase import HOUR_S

QUEUED_ITEM_BYTES = 300.0
TIMED_ITEM_BYTES = 750.0
EXPIRY_TIMER_BYTES = 450.0
RUN_SERIES_POINT_BYTES = 24.0


@dataclass(frozen=True)
class PlaceLoad:
    """The most items one kind of place holds at once in a replication, and where."""

    items: float
    where: str
    bytes: float


@dataclass(frozen=True)
class ScenarioLoad:
    """The estimate of one replication of one scenario."""

    scenario_name: str
    arrivals: float
    events: float
    end_s: float
    series: int
    points: int
    waiting: PlaceLoad
    in_transit: PlaceLoad
    other_item_bytes: float
    guard_stop_s: float | None
    guard_where: str
    top_source: str

    @property
    def item_bytes(self) -> float:
        return self.waiting.bytes + self.in_transit.bytes + self.other_item_bytes

    @property
    def series_bytes(self) -> float:
        """A worker's series while it collects them."""
        return self.series * self.points * RUN_SERIES_POINT_BYTES



@dataclass(frozen=True)
class _Timeline:
    """Piecewise-constant segments ``[edges[i], edges[i+1])`` over the horizon and the arrivals on them."""

    edges: np.ndarray
    rate: np.ndarray  # items per second entering the model, per segment
    cumulative: np.ndarray  # arrivals at each edge

    @property
    def widths(self) -> np.ndarray:
        return np.diff(self.edges)

    def values_on(self, times: Sequence[float], values: Sequence[float]) -> np.ndarray:
        """A step function (``values[i]`` from ``times[i]`` on) on each segment."""
        index = np.searchsorted(np.asarray(times, dtype=float), self.edges[:-1], side="right") - 1
        return np.asarray(values, dtype=float)[np.clip(index, 0, None)]

    def arrivals_until(self, t: float) -> float:
        return float(np.interp(t, self.edges, self.cumulative))

    def time_of_arrival(self, count: float) -> float:
        """When the ``count``-th arrival is expected (the end when fewer arrive)."""
        return _first_crossing(self.edges, self.cumulative, count)


def _first_crossing(edges: np.ndarray, values: np.ndarray, level: float) -> float:
    """The first time a piecewise-linear curve (``values`` at ``edges``) reaches ``level``; the last edge if never."""
    above = np.nonzero(values >= level)[0]
    if not above.size:
        return float(edges[-1])
    i = int(above[0])
    if i == 0:
        return float(edges[0])
    rise = values[i] - values[i - 1]
    share = (level - values[i - 1]) / rise if rise > 0 else 1.0
    return float(edges[i - 1] + share * (edges[i] - edges[i - 1]))


def _backfill_rates(spec: RunSpec) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
    """A launch plan's backfills as step functions (times, items per second): each over its spread, one all at
    once over its first second (so a batch counts towards the run's items and its queue)."""
    plan = spec.launch_plan
    out = []
    for backfill in plan.backfills if plan is not None else ():
        start = max(0.0, backfill.start_s)
        if start >= spec.horizon_s:
            continue
        length = max(1.0, backfill.spread_s - (start - backfill.start_s))
        out.append(((0.0, start, start + length), (0.0, backfill.items / length, 0.0)))
    return out


def _timeline(spec: RunSpec) -> _Timeline:
    sources = [node for node in spec.nodes if node.kind == "source"]
    steps = [(s.rates.times, s.rates.rates) for s in sources] + _backfill_rates(spec)
    points = [np.asarray(times, dtype=float) for times, _ in steps]
    points += [np.asarray(t.timeline.times, dtype=float) for t in spec.teams]
    edges = np.unique(np.concatenate([np.array([0.0, spec.horizon_s]), *points]))
    edges = edges[(edges >= 0.0) & (edges <= spec.horizon_s)]
    partial = _Timeline(edges, np.zeros(len(edges) - 1), np.zeros(len(edges)))
    rate = sum((partial.values_on(times, rates) for times, rates in steps), np.zeros(len(edges) - 1))
    return _Timeline(edges, rate, np.concatenate([[0.0], np.cumsum(rate * partial.widths)]))


@dataclass(frozen=True)
class _PoolQueue:
    stage_ids: tuple[str, ...]
    label: str
    waiting: np.ndarray  # items waiting at each edge
    expires: bool
    p_wait: float
    served_share: float  # of the visits, the share reviewed (an overloaded pool reviews only its capacity)
    in_review: float
    drain_s: float  # time to work off the backlog at the end of arrivals


def _stage_label(names: list[str]) -> str:
    if len(names) == 1:
        return f"review stage “{names[0]}”"
    return "review stages " + ", ".join(f"“{n}”" for n in names) + " (they share teams)"


def _pool_queue(pool: StaffingPool, model: Workflow, spec: RunSpec, line: _Timeline, ratio: np.ndarray,
                node_rate: dict[str, float], arrivals_end: float) -> _PoolQueue | None:
    """The fluid backlog of one staffing pool (see the module rules); None for a pool no work reaches."""
    load = pool.offered_load
    arriving = sum(node_rate.get(s, 0.0) for s in pool.stage_ids) / HOUR_S  # items per second
    if load <= 0 or arriving <= 0:
        return None
    handle = load / arriving  # reviewer-seconds per item
    timelines = [t.timeline for t in spec.teams if t.id in pool.team_ids]
    capacity = sum((line.values_on(t.times, t.available) for t in timelines), np.zeros(len(ratio)))
    running = np.cumsum((load * ratio - capacity) * line.widths)
    backlog = running - np.minimum(np.minimum.accumulate(running), 0.0)
    waiting = np.concatenate([[0.0], backlog / handle])
    stages = [model.nodes[s] for s in pool.stage_ids]
    expires = all(isinstance(s, ReviewStage) and s.expiry is not None for s in stages)
    if expires:
        peak = float(ratio.max()) if ratio.size else 0.0
        held = sum(node_rate.get(s.id, 0.0) / HOUR_S * peak * s.expiry.mean_seconds()
                   for s in stages if isinstance(s, ReviewStage) and s.expiry is not None)
        waiting = np.minimum(waiting, held)
    servers = int(pool.capacity)
    stable = servers >= 1 and load < servers
    p_wait = erlang_c(servers, load) if stable else 1.0
    if stable:
        waiting = np.maximum(waiting, p_wait * load / (servers - load))
    in_review = min(load * (float(ratio.max()) if ratio.size else 0.0), float(capacity.max()) if capacity.size else 0)
    left = float(np.interp(arrivals_end, line.edges, waiting)) * handle
    drain_s = left / pool.capacity if pool.capacity > 0 else math.inf
    label = _stage_label([s.name for s in stages])
    served = min(1.0, pool.capacity / load)
    return _PoolQueue(pool.stage_ids, label, waiting, expires, p_wait, served, in_review, drain_s)


def _mean_duration(node: object) -> float:
    if isinstance(node, Delay):
        return node.duration.mean_seconds()
    if isinstance(node, Classifier):
        return node.latency.mean_seconds()
    if isinstance(node, ReviewStage):
        return node.handle_time.mean_seconds()
    return 0.0


def _traffic(model: Workflow) -> tuple[dict[str, float], list[StaffingPool]]:
    """Arrivals per hour at every node and the staffing pools; empty when the equations have no solution
    (validation has refused such a model before a run is estimated)."""
    try:
        rates: ClassRates = class_rates(model)
    except ModelError:
        return {}, []
    load = offered_load(model, rates)
    return arrival_rates(model, rates), staffing_pools(model, load)


def scenario_load(model: Workflow, spec: RunSpec) -> ScenarioLoad:
    """The estimate of one replication of ``spec``, compiled from ``model`` (the scenario already applied)."""
    line = _timeline(spec)
    mean_rate = sum(max(float(n.rate_per_hour), 0.0) for n in model.nodes.values() if isinstance(n, Source)) / HOUR_S
    ratio = line.rate / mean_rate if mean_rate > 0 else np.zeros_like(line.rate)
    node_rate, pools = _traffic(model)
    per_item = mean_rate * HOUR_S
    visits = {node_id: rate / per_item for node_id, rate in node_rate.items()} if per_item > 0 else {}

    total = float(line.cumulative[-1])
    limit = spec.arrival_limit
    arrivals_end = line.time_of_arrival(limit) if limit is not None and limit < total else spec.horizon_s
    queues = [q for pool in pools if (q := _pool_queue(pool, model, spec, line, ratio, node_rate, arrivals_end))]

    guard = spec.backlog_limit
    stops = [(_first_crossing(line.edges, q.waiting, guard), q.label) for q in queues if q.waiting.max() >= guard]
    guard_stop, guard_where = min(stops) if stops else (None, "")
    transit_nodes = [n for n in model.nodes.values() if isinstance(n, (Classifier, Delay))]
    if guard_stop is not None:
        end = guard_stop
    elif spec.drain:
        longest = max((_mean_duration(n) for n in model.nodes.values()), default=0.0)
        end = min(spec.end_cap_s, arrivals_end + max((q.drain_s for q in queues), default=0.0) + longest)
    else:
        end = spec.horizon_s
    arrivals = min(line.arrivals_until(min(end, arrivals_end)), float(limit) if limit is not None else math.inf)

    ceiling = guard * (1.0 + GUARD_SLACK)
    waiting_items, waiting_bytes, waiting_where, timer_bytes, in_review = 0.0, 0.0, "", 0.0, 0.0
    most = -1.0
    for q in queues:
        before = q.waiting[line.edges <= end]
        items = min(max(float(before.max()) if before.size else 0.0, float(np.interp(end, line.edges, q.waiting))),
                    ceiling)
        waiting_items += items
        waiting_bytes += items * (TIMED_ITEM_BYTES if q.expires else QUEUED_ITEM_BYTES)
        in_review += q.in_review
        if items > most:
            most, waiting_where = items, q.label
    p_wait = {stage_id: q.p_wait for q in queues for stage_id in q.stage_ids}
    served = {stage_id: q.served_share for q in queues for stage_id in q.stage_ids}

    events_per_item = 1.0
    for node in model.nodes.values():
        v = visits.get(node.id, 0.0)
        if isinstance(node, ReviewStage):
            waits = p_wait.get(node.id, 0.0)
            events_per_item += v * (served.get(node.id, 1.0) + (waits if node.expiry is not None else 0.0))
            if node.expiry is not None:
                timer_bytes += (node_rate.get(node.id, 0.0) / HOUR_S * waits
                                * min(node.expiry.mean_seconds(), end) * EXPIRY_TIMER_BYTES)
        elif isinstance(node, (Classifier, Delay)):
            events_per_item += v

    peak_rate = float(line.rate.max()) if line.rate.size else 0.0
    transit_items, transit_where, most = 0.0, "", -1.0
    for node in transit_nodes:
        items = visits.get(node.id, 0.0) * min(peak_rate * _mean_duration(node), arrivals)
        transit_items += items
        if items > most:
            most, transit_where = items, f"{node.kind} “{node.name}”"

    points = int(end // spec.interval_s) if spec.interval_s > 0 else 0
    roster_changes = sum(int(np.searchsorted(np.asarray(t.timeline.times), end, side="right")) for t in spec.teams)
    events = arrivals * events_per_item + points + roster_changes + end / HOUR_S
    stages = sum(1 for n in spec.nodes if n.kind == "review_stage")
    sources = [n for n in spec.nodes if n.kind == "source"]
    top = max(sources, key=lambda s: s.rates.expected_count(0.0, end), default=None)
    return ScenarioLoad(
        scenario_name=spec.scenario_name, arrivals=arrivals, events=events, end_s=end,
        series=2 * stages + 2 * len(spec.teams) + len(sources), points=points,
        waiting=PlaceLoad(waiting_items, waiting_where, waiting_bytes),
        in_transit=PlaceLoad(transit_items, transit_where, transit_items * TIMED_ITEM_BYTES),
        other_item_bytes=in_review * TIMED_ITEM_BYTES + timer_bytes, guard_stop_s=guard_stop,
        guard_where=guard_where, top_source=top.name if top is not None else "")


# -- words -------------------------------------------------------------------------------------------------
