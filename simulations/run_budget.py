"""Pre-run estimate of a run's simulation events, wall time and peak memory, made before anything is simulated.

A run that could never finish, or that would take the machine's memory, is refused before it starts, and a
long or large one starts with a warning that says how long or how large. The estimate comes from the model's
analytic load — the traffic equations (:mod:`flowmodel.traffic`) give every node's arrivals per item entering
the model — and from the compiled run (:mod:`simulations.spec`): arrival-rate tables (profiles and surges
included), roster timelines, horizon, interval, drain, arrival limit and backlog guard.

The formula, per scenario (one compiled :class:`RunSpec`), with R replications per scenario and P worker
processes (the executor's jobs, at most the number of replications run):

- Arrivals A(t) = ∫₀ᵗ Σ_sources λ(u) du from the rate tables, capped at the arrival limit.
- Events per item e = 1 + Σ_stages v·(r + p_wait·[the stage expires items]) + Σ_classifiers, delays v, where
  v is the node's visits per item (traffic equations; a loop makes v > 1): the arrival, one review completion
  per stage visit that is reviewed (r = min(1, capacity ÷ load) of them), an expiry timer per visit that
  waits, one wake-up per classifier or delay.
- Waiting items, per staffing pool (stages sharing teams, :func:`flowmodel.traffic.staffing_pools`), as a
  fluid: work arrives at L·λ(t)/λ̄ reviewer-seconds per second (L = offered load in erlangs at the mean rate
  λ̄) and is done at c(t), the pool's available reviewers from the roster timelines. The backlog of work is
  the Lindley recursion B ← max(0, B + (L·λ(t)/λ̄ − c(t))·Δt) over the segments on which neither changes;
  items waiting = B ÷ the pool's mean handle time. So an overloaded pool (load ≥ capacity, the load warning
  of :mod:`flowmodel.validation_capacity`) grows at (arrivals − service) per second, and roster gaps and
  surges build backlogs that later drain. A pool whose stages all expire items holds at most λ·TTL of them.
  A stable pool's steady queue is Erlang C's Lq (c = its mean available reviewers); the larger one counts.
- The backlog guard (:mod:`simulations.engine`) stops a replication when a queue passes the run's
  ``backlog_limit``: when the fluid backlog reaches it at t_stop, the run is costed up to t_stop, and a
  queue never counts above the limit (plus the guard's slack).
- Run end T: t_stop, else the horizon, else with ``drain`` the end of arrivals plus the time the pools take
  to work off their final backlog plus the longest mean delay, handle or latency (at most the drain cap).
- Events per replication E = A(T)·e + T ÷ interval (series samples) + roster changes + T ÷ 1 h (ticks).
  Wall time = max(Σ over replications of E ÷ EVENTS_PER_SECOND ÷ P, the longest replication's time).
- Items in flight N = waiting (above) + in review (min(L·peak λ/λ̄, most reviewers available)) + in
  classifiers and delays (v·min(peak λ·mean duration, A(T))); plus the expiry timers that reviewed items
  leave pending until their time-to-live ends (λ_stage·p_wait·min(TTL, T)).
- Series: S = 2·stages + 2·teams + sources series of K = T ÷ interval points.
- Memory = main process + P × the largest worker replication. The main process keeps every replication's
  series (R·S·K·KEPT_SERIES_POINT_BYTES per scenario) and one band per series (S·K·BAND_POINT_BYTES); a worker
  holds its replication's items (N × ITEM bytes below) and, while collecting, its series
  (S·K·RUN_SERIES_POINT_BYTES). The interpreter and libraries (~110 MiB per process) are not counted: the
  budget is what the run adds.

Constants, measured on the 2-core development machine (Python 3, SimPy 4; tracemalloc for bytes, confirmed
with the resident set size; other work was running, so times are on the slow side):

- :data:`EVENTS_PER_SECOND` 200,000: the engine processed 182,000 events/s on the reference tandem network,
  230,000 on a 60-reviewer single stage, 113,000 on an overloaded stage (where each arrival also queues);
  ``benchmarks/engine_throughput.py`` reported 187,000.
- :data:`QUEUED_ITEM_BYTES` 300: 268 B per waiting item by tracemalloc, 298 B by RSS (10⁶ items queued).
- :data:`TIMED_ITEM_BYTES` 750: an item with a pending timer event (in review, in a classifier or delay, or
  waiting with an expiry timer): 548 B in a delay, 717 B waiting with an expiry timer.
- :data:`EXPIRY_TIMER_BYTES` 450: the timer alone (717 − 268), left pending after the item was reviewed.
- :data:`RUN_SERIES_POINT_BYTES` 24: per series point in a worker at its peak (8 B in the sampling array,
  14 B in the collected records, 4 B pickled to the main process: 22.8 B measured).
- :data:`KEPT_SERIES_POINT_BYTES` 16: per series point the main process keeps per replication (14.4 B
  measured with small counts; a count above 256 is its own object, up to 44 B).
- :data:`BAND_POINT_BYTES` 104: per series point of a scenario's band (mean, low, high as floats: 96 B
  measured, plus the times).

Check: 10 replications at a 1-second interval over 30 days with 5 series is 5 × 2,592,000 points ×
(10 × 16 + 104) B ≈ 3.4 GB, what such a run was seen to take.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from flowmodel.errors import ModelError
from flowmodel.limits import MAX_RUN_EVENTS, MAX_RUN_MEMORY_BYTES, WARN_RUN_MEMORY_BYTES, WARN_RUN_SECONDS
from flowmodel.nodes import Classifier, Delay, ReviewStage, Source
from flowmodel.scenarios import Scenario, apply_scenario
from flowmodel.traffic import ClassRates, StaffingPool, arrival_rates, class_rates, offered_load, staffing_pools
from flowmodel.workflow import Workflow
from simulations.analytic.erlang import erlang_c
from simulations.engine import GUARD_SLACK
from simulations.spec import RunSpec
from simulations.timebase import HOUR_S

EVENTS_PER_SECOND = 200_000.0
QUEUED_ITEM_BYTES = 300.0
TIMED_ITEM_BYTES = 750.0
EXPIRY_TIMER_BYTES = 450.0
RUN_SERIES_POINT_BYTES = 24.0
KEPT_SERIES_POINT_BYTES = 16.0
BAND_POINT_BYTES = 104.0

GIB = 1024.0**3


@dataclass(frozen=True)
class BudgetProblem:
    """A reason to refuse a run (``error``) or to start it with a warning; ``where`` names the setting or place."""

    severity: str
    where: str
    message: str

    def render(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


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
class RunEstimate:
    """Events, wall time and peak memory of a whole run (every scenario × replication); see the module rules."""

    scenarios: tuple[ScenarioLoad, ...]
    replications: int
    processes: int
    interval_minutes: float
    backlog_limit: int

    @property
    def tasks(self) -> int:
        return self.replications * len(self.scenarios)

    @property
    def events(self) -> float:
        return sum(self.replications * s.events for s in self.scenarios)

    @property
    def seconds(self) -> float:
        longest = max((s.events for s in self.scenarios), default=0.0)
        return max(self.events / self.processes, longest) / EVENTS_PER_SECOND

    @property
    def main_bytes(self) -> float:
        """The results the main process keeps: every replication's series and one band per series."""
        return sum(s.series * s.points * (self.replications * KEPT_SERIES_POINT_BYTES + BAND_POINT_BYTES)
                   for s in self.scenarios)

    @property
    def series_memory_bytes(self) -> float:
        return self.main_bytes + self.processes * max((s.series_bytes for s in self.scenarios), default=0.0)

    @property
    def items_memory_bytes(self) -> float:
        return self.processes * max((s.item_bytes for s in self.scenarios), default=0.0)

    @property
    def memory_bytes(self) -> float:
        worker = max((s.item_bytes + s.series_bytes for s in self.scenarios), default=0.0)
        return self.main_bytes + self.processes * worker

    def problems(self) -> list[BudgetProblem]:
        """Refusals (events or memory past the run limits) and warnings (large or long runs), in that order."""
        out: list[BudgetProblem] = []
        on = f"on {_plural(self.processes, 'process')}"
        too_many_events = self.events > MAX_RUN_EVENTS
        if too_many_events:
            where, what, advice = self._events_text()
            out.append(BudgetProblem(
                "error", where, f"this run would simulate {what}, about {duration_text(self.seconds)} {on} — more "
                f"than the {count_text(MAX_RUN_EVENTS)} events a run may take (beyond that it would occupy the "
                f"machine for hours); {advice}"))
        memory = self.memory_bytes
        if memory > WARN_RUN_MEMORY_BYTES:
            where, what, advice = self._memory_text()
            if memory > MAX_RUN_MEMORY_BYTES:
                out.append(BudgetProblem(
                    "error", where, f"{what} — more than the {bytes_text(MAX_RUN_MEMORY_BYTES)} a run may use, so "
                    f"that the app and the other processes keep room on the machine; {advice}"))
            else:
                out.append(BudgetProblem(
                    "warning", where, f"{what}; {advice} (a run above {bytes_text(WARN_RUN_MEMORY_BYTES)} starts with "
                    f"this warning, above {bytes_text(MAX_RUN_MEMORY_BYTES)} it is refused)"))
        if self.seconds > WARN_RUN_SECONDS and not too_many_events:
            where, what, advice = self._events_text()
            out.append(BudgetProblem(
                "warning", where, f"this run will take about {duration_text(self.seconds)} {on} ({what}); {advice}"))
        return out

    def errors(self) -> list[BudgetProblem]:
        return [p for p in self.problems() if p.severity == "error"]

    def warnings(self) -> list[BudgetProblem]:
        return [p for p in self.problems() if p.severity == "warning"]

    def _events_text(self) -> tuple[str, str, str]:
        """(where, what makes the events, what to do): the time-series samples when they are most of them (a tiny
        interval), else the arrivals."""
        biggest = max(self.scenarios, key=lambda s: s.events)
        runs = f"{_plural(self.replications, 'replication')}"
        runs += f" × {len(self.scenarios)} scenarios" if len(self.scenarios) > 1 else ""
        samples = sum(self.replications * s.points for s in self.scenarios)
        if 2 * samples >= self.events:
            return ("run settings · interval_minutes",
                    f"about {count_text(self.events)} events, mostly time-series samples: {runs} × "
                    f"{biggest.points:,} samples each (a {interval_text(self.interval_minutes)} interval over "
                    f"{span_text(biggest.end_s)})", "choose a longer time-series interval")
        source = f", mostly from source “{biggest.top_source}”" if biggest.top_source else ""
        return ("run settings · replications",
                f"about {count_text(self.events)} events: {runs} × about {count_text(biggest.arrivals)} arrivals "
                f"each{source} (surges included) over {span_text(biggest.end_s)}",
                "reduce replications or the horizon")

    def _memory_text(self) -> tuple[str, str, str]:
        """(where, what needs the memory, what to do) for the larger of the series and the items in flight."""
        memory = bytes_text(self.memory_bytes)
        if self.series_memory_bytes >= self.items_memory_bytes:
            biggest = max(self.scenarios, key=lambda s: s.series * s.points)
            return ("run settings · interval_minutes",
                    f"this run needs about {memory} of memory, mostly for its time series: "
                    f"{_plural(self.tasks, 'replication')} × {biggest.series} series × {biggest.points:,} points "
                    f"each (a {interval_text(self.interval_minutes)} interval over {span_text(biggest.end_s)})",
                    "choose a longer time-series interval, a shorter horizon or fewer replications")
        worst = max(self.scenarios, key=lambda s: s.item_bytes)
        place = max((worst.waiting, worst.in_transit), key=lambda p: p.bytes)
        each = f" in each of {self.processes} worker processes" if self.processes > 1 else ""
        what = f"this run needs about {memory} of memory for the items in flight: up to " \
               f"{count_text(place.items)} items at {place.where}{each}"
        if place is worst.waiting and worst.guard_stop_s is not None:
            what += f" (the backlog guard stops a replication at {self.backlog_limit:,} waiting items)"
            advice = "the model is overloaded (see the load warning; a surge or a roster gap can overload it too): " \
                     "add reviewers or reduce the volume, or run fewer worker processes"
        elif place is worst.waiting:
            advice = "add reviewers where the backlog builds, shorten the horizon, or run fewer worker processes"
        else:
            advice = "shorten the delay or the horizon, reduce the volume, or run fewer worker processes"
        return place.where, what, advice


# -- the estimate ------------------------------------------------------------------------------------------
def estimate_run(workflow: Workflow, scenarios: Sequence[Scenario | None], specs: Sequence[RunSpec], *,
                 replications: int | None = None, processes: int = 1) -> RunEstimate:
    """The estimate of running ``specs`` (compiled from ``workflow`` with ``scenarios``, in the same order)
    ``replications`` times each (default: their settings) on ``processes`` worker processes."""
    if not specs:
        raise ValueError("a run estimate needs at least one compiled scenario")
    reps = specs[0].settings.replications if replications is None else replications
    loads = tuple(scenario_load(apply_scenario(workflow, scenario), spec)
                  for scenario, spec in zip(scenarios, specs, strict=True))
    return RunEstimate(loads, reps, max(1, min(processes, reps * len(loads))), specs[0].settings.interval_minutes,
                       specs[0].backlog_limit)


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


def _timeline(spec: RunSpec) -> _Timeline:
    sources = [node for node in spec.nodes if node.kind == "source"]
    points = [np.asarray(s.rates.times, dtype=float) for s in sources]
    points += [np.asarray(t.timeline.times, dtype=float) for t in spec.teams]
    edges = np.unique(np.concatenate([np.array([0.0, spec.horizon_s]), *points]))
    edges = edges[(edges >= 0.0) & (edges <= spec.horizon_s)]
    partial = _Timeline(edges, np.zeros(len(edges) - 1), np.zeros(len(edges)))
    rate = sum((partial.values_on(s.rates.times, s.rates.rates) for s in sources), np.zeros(len(edges) - 1))
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
def _plural(n: int, word: str) -> str:
    plural = "processes" if word == "process" else f"{word}s"
    return f"{n:,} {word if n == 1 else plural}"


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
