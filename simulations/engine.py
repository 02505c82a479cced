"""The simulation engine: one replication of a compiled :class:`RunSpec` on SimPy's event loop.

Rules:
- Items are plain ``__slots__`` records moved by event callbacks (bare SimPy timeouts with a callback);
  there is no generator process and no ``Resource`` per item. Review stages and teams are dispatched by
  :mod:`simulations.dispatcher`, which owns the staffing rules.
- A replication is a pure function of (spec, replication index): all randomness comes from streams
  keyed by (base seed, replication, node or team id, purpose) — see :mod:`simulations.streams`. Purposes:
  source "arrivals" and "mix", every routing node "route", classifier "latency", stage "handle" and
  "expiry", delay "duration", a launch plan's backfill "backfill"; with decision quality, a source's
  and a backfill's "truth" and a sampling stage's "qa" (:mod:`simulations.quality_runtime`). Each is one
  object per replication, so a launch plan's swapped sampler or router (:mod:`simulations.launch_runtime`,
  composed only when the spec has a plan) goes on drawing from the stream it replaces.
- Statistics count items *created* after the warm-up; time averages run from the warm-up to the end.
- Routing: at a node with several branches one uniform number from the node's "route" stream picks the
  branch (cumulative probabilities of the item's class); a single branch draws nothing.
- The run ends at the horizon, or with ``drain`` when arrivals have stopped and the system is empty (at
  the latest at the spec's ``end_cap_s``). Items still in the system at the end are reported (queues,
  in service, in delays and classifiers), never dropped.
- ``progress(simulated_hours)`` and ``should_stop()`` are called once per simulated hour; a True from
  ``should_stop`` raises :class:`RunCancelled`.
- Backlog guard: a check event looks at every stage's queue and stops the replication once one holds more
  than ``spec.backlog_limit`` items (the model is overloaded: its backlog would take the machine's memory).
  The replication then ends there and reports what it measured, with the reason in
  ``ReplicationResult.stopped_early``. The check is not on the items' path (no cost per item): it runs
  every (headroom ÷ the sources' peak arrival rate) seconds, at most an hour apart, where headroom is the
  bound minus the longest queue but at least :data:`GUARD_SLACK` of the bound — no queue can grow faster
  than items arrive, so it overshoots the bound by about that share at most (more only when items revisit
  a stage in a loop). Its events change nothing in the model and are left out of the events count, so a
  run that stays below the bound is bit-identical to one without the guard.
"""

from __future__ import annotations

import itertools
import math
import random
from array import array
from bisect import bisect_right
from collections.abc import Callable
from math import log

import simpy
from simpy.events import URGENT, Event

from simulations.arrivals import ArrivalClock
from simulations.collect import collect
from simulations.dispatcher import StageRuntime, TeamRuntime, change_capacity, not_wired
from simulations.item_trace import attach_tracer
from simulations.launch_runtime import LaunchRuntime
from simulations.quality_runtime import QualityRuntime
from simulations.results import ReplicationResult
from simulations.spec import (
    ClassifierSpec,
    DelaySpec,
    NodeSpec,
    OutcomeSpec,
    RouterSpec,
    Routing,
    RunCancelled,
    RunSpec,
    SourceSpec,
)
from simulations.start_state import StartStateRuntime
from simulations.statistics import Summary
from simulations.streams import bind, make_stream
from simulations.timebase import HOUR_S
from simulations.wait_clock import stage_runtime
from simulations.wakeup import Wakeup
from simulations.wellness import WellnessRuntime

#: Share of the backlog bound the guard may let a queue pass it by between two checks.
GUARD_SLACK = 0.05


class BacklogOverflow(Exception):
    """Raised inside the event loop by the backlog guard; :meth:`Replication.run` ends the run on it."""


def backlog_message(stage_name: str, limit: int, at_s: float) -> str:
    """Why the guard stopped a replication, with the simulated time as day and clock (day 1 starts the run)."""
    minutes = int(at_s // 60)
    day, minute_of_day = divmod(minutes, 24 * 60)
    return (f"the backlog of {stage_name} passed {limit:,} items at day {day + 1}, "
            f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}: the model is overloaded — see the load warning")


class Item:
    """One report or piece of content on its way through the workflow."""

    __slots__ = ("cls", "counted", "created", "deadline", "decision", "entered", "number", "origin", "rank", "seq",
                 "service", "started", "team", "token", "truth", "views")

    def __init__(self, cls: int, created: float, counted: bool, number: int) -> None:
        self.cls = cls
        self.created = created
        self.counted = counted
        self.number = number
        self.token = 0


class SourceRuntime:
    """Poisson arrivals of one source (see :mod:`simulations.arrivals`) and their item classes."""

    def __init__(self, spec: SourceSpec, run: Replication) -> None:
        self.spec = spec
        self.run = run
        self.clock = ArrivalClock(spec.rates)
        self.uniform = run.stream(spec.id, "arrivals").random
        self.mix_random = run.stream(spec.id, "mix").random
        self.classes = spec.mix_classes
        self.cumulative = spec.mix_cumulative
        self.next_node: Callable[[Item], None] = not_wired
        self.arrivals = 0
        self.in_interval = 0
        self.series = array("q")
        self.on_arrival = self.arrive  # bound once: scheduled for every arrival

    def begin(self) -> None:
        first = self.clock.next_time(0.0, -log(1.0 - self.uniform()))
        if first < math.inf:
            self.run.schedule(first, self.arrive)
        else:
            self.run.source_closed()

    def admit(self, cls: int, now: float) -> Item:
        """A new item of class ``cls`` created now (it is routed on by the caller)."""
        self.in_interval += 1
        item = self.run.new_item(cls, now, self.spec.name)
        if item.counted:
            self.arrivals += 1
        return item

    def arrive(self, event: Event) -> None:
        run = self.run
        if not run.arrivals_open:
            return
        now = run.env._now
        classes = self.classes
        cls = classes[bisect_right(self.cumulative, self.mix_random())] if len(classes) > 1 else classes[0]
        # admit() and Replication.new_item(), inlined: this runs once per item
        run.created += 1
        run.in_system += 1
        self.in_interval += 1
        item = Item(cls, now, now >= run.warmup, run.created)
        if item.counted:
            self.arrivals += 1
        if run.trace is not None:
            run.trace("arrive", now, item, self.spec.name, "")
        if run.created >= run.arrival_limit:
            run.close_arrivals()
        else:
            e = -log(1.0 - self.uniform())  # Exp(1) by inversion
            clock = self.clock
            rate = clock.rate
            # the common case, the next arrival within the same segment, needs no call (next_time's first step)
            following = now + e / rate if rate > 0.0 and now + e / rate < clock.stop else clock.next_time(now, e)
            if following < math.inf:
                Wakeup(run.env, following - now, self.on_arrival)
            else:
                run.source_closed()
        self.next_node(item)


class TransitRuntime:
    """A classifier (latency) or delay (duration): hold the item for a sampled time, then route it."""

    def __init__(self, spec: ClassifierSpec | DelaySpec, run: Replication, duration: Callable[[], float]) -> None:
        self.spec = spec
        self.run = run
        self.duration = duration
        self.next_node: Callable[[Item], None] = not_wired
        self.in_transit = 0

    def enter(self, item: Item) -> None:
        self.in_transit += 1
        Wakeup(self.run.env, self.duration(), self.leave, item)

    def leave(self, event: Event) -> None:
        self.in_transit -= 1
        self.next_node(event._value)


class RouterRuntime:
    """A router takes no time: it only chooses the branch."""

    def __init__(self, spec: RouterSpec) -> None:
        self.spec = spec
        self.next_node: Callable[[Item], None] = not_wired

    def enter(self, item: Item) -> None:
        self.next_node(item)


class OutcomeRuntime:
    """Where an item's journey ends: its count and time to decision."""

    def __init__(self, spec: OutcomeSpec, run: Replication) -> None:
        self.spec = spec
        self.run = run
        self.count = 0
        self.time_to_decision = Summary()

    def enter(self, item: Item) -> None:
        run = self.run
        run.completed += 1
        run.in_system -= 1
        if run.trace is not None:
            run.trace("outcome", run.env._now, item, self.spec.name, "")
        if item.counted:
            self.count += 1
            elapsed = run.env._now - item.created
            self.time_to_decision.add(elapsed)
        if run.in_system == 0 and not run.arrivals_open:
            run.maybe_drained()


class Replication:
    """The run-time state of one replication; built from the spec, run once, then collected."""

    def __init__(self, spec: RunSpec, replication: int) -> None:
        self.spec = spec
        self.replication = replication
        self.env = simpy.Environment()
        self.warmup = spec.warmup_s
        self.arrival_limit = spec.arrival_limit if spec.arrival_limit is not None else math.inf
        self.next_seq = itertools.count(1).__next__
        self.created = 0
        self.completed = 0
        self.expired = 0
        self.in_system = 0
        self.arrivals_open = True
        self.open_sources = 0
        self.done: simpy.Event | None = None
        self.samples = 0
        self.guard_events = 0
        #: Why the backlog guard ended the run early ("" when it ran to its end).
        self.stopped_early = ""
        #: Optional observer ``trace(kind, time, item, place, team)`` of "arrive", "start", "expire" and
        #: "outcome" events, for hand-checked traces; None in normal runs.
        self.trace: Callable[[str, float, Item, str, str], None] | None = None

        self._streams: dict[tuple[str, str], random.Random] = {}
        self.teams = [TeamRuntime(team) for team in spec.teams]
        #: Seats of the teams with wellness caps (:mod:`simulations.wellness`); None when no team has caps.
        self.wellness = WellnessRuntime(self, spec.wellness) if spec.wellness is not None else None
        self.nodes: list[SourceRuntime | StageRuntime | TransitRuntime | RouterRuntime | OutcomeRuntime] = []
        for node in spec.nodes:
            if node.kind == "source":
                self.nodes.append(SourceRuntime(node, self))
            elif node.kind == "review_stage":
                handle_stream = self.stream(node.id, "handle")  # one stream for the default and per-category times
                samplers = [bind(s, handle_stream) for s in node.handle]
                expiry = bind(node.expiry, self.stream(node.id, "expiry")) if node.expiry is not None else None
                self.nodes.append(stage_runtime(node, self, samplers, expiry, self.teams))
            elif node.kind == "classifier":
                self.nodes.append(TransitRuntime(node, self, bind(node.latency, self.stream(node.id, "latency"))))
            elif node.kind == "delay":
                self.nodes.append(TransitRuntime(node, self, bind(node.duration, self.stream(node.id, "duration"))))
            elif node.kind == "router":
                self.nodes.append(RouterRuntime(node))
            else:
                self.nodes.append(OutcomeRuntime(node, self))
        self.node_index = {node.id: node.index for node in spec.nodes}
        #: Truth, decisions by accuracy and their tallies (:mod:`simulations.quality_runtime`); None without quality.
        self.quality = QualityRuntime(self, spec.quality) if spec.quality is not None else None
        for node, runtime in zip(spec.nodes, self.nodes, strict=True):
            if node.kind != "outcome":
                runtime.next_node = self._router(node)
        for team in self.teams:
            for stage_index in team.spec.stages:
                stage = self.nodes[stage_index]
                queues = [q for q, eligible in zip(stage.queues, stage.spec.group_teams, strict=True)
                          if team.spec.index in eligible]
                team.work.append((stage, queues))
                team.queues.extend(queues)
        self.sources = [n for n in self.nodes if isinstance(n, SourceRuntime)]
        self.stages = [n for n in self.nodes if isinstance(n, StageRuntime)]
        #: The launch plan's steps and backfills (:mod:`simulations.launch_runtime`); None for a static scenario.
        self.launch = LaunchRuntime(self, spec.launch_plan) if spec.launch_plan is not None else None
        #: Today's backlog (:mod:`simulations.start_state`); None for a run that starts empty.
        self.start_state = StartStateRuntime(self, spec.start_state) if spec.start_state is not None else None

    # -- plumbing ------------------------------------------------------------------------------
    def stream(self, owner_id: str, purpose: str) -> random.Random:
        """The one stream of (owner, purpose) in this replication (asked for again, the same object)."""
        key = (owner_id, purpose)
        stream = self._streams.get(key)
        if stream is None:
            stream = self._streams[key] = make_stream(self.spec.settings.seed, self.replication, owner_id, purpose)
        return stream

    def events_scheduled(self) -> int:
        """SimPy events scheduled so far (SimPy numbers them in scheduling order)."""
        return next(self.env._eid)

    def schedule(self, delay: float, callback: Callable[[Event], None], value: object = None) -> None:
        Wakeup(self.env, delay, callback, value)

    def _router(self, node: NodeSpec) -> Callable[[Item], None]:
        """The callable that moves an item on from ``node`` (see the module rules)."""
        return self.router_for(node.id, node.routing)

    def router_for(self, node_id: str, routing: Routing) -> Callable[[Item], None]:
        """The callable that routes by ``routing`` at the node ``node_id`` (a launch plan swaps it in over time;
        its draws come from the node's one "route" stream)."""
        if self.quality is not None:
            return self.quality.router_for(node_id, routing)
        tables = [([self.nodes[t].enter for t in targets], cumulative)
                  for targets, cumulative in routing.tables]
        if len(tables) == 1 and len(tables[0][0]) == 1:
            return tables[0][0][0]
        uniform = self.stream(node_id, "route").random
        if len(tables) == 1:
            enters, cumulative = tables[0]

            def route_all(item: Item) -> None:
                enters[bisect_right(cumulative, uniform())](item)

            return route_all
        by_class = [tables[t] for t in routing.by_class]

        def route(item: Item) -> None:
            enters, cumulative = by_class[item.cls]
            if len(enters) == 1:
                enters[0](item)
            else:
                enters[bisect_right(cumulative, uniform())](item)

        return route

    # -- arrivals and the end of the run -------------------------------------------------------
    def scripted_arrival(self, at: float, source_id: str, item_class: int) -> None:
        """One extra arrival at a fixed time (``at`` seconds) at the source with ``source_id``, of class
        ``item_class`` (an index into ``spec.item_classes``) — for replays and hand-computed traces. It
        draws no random numbers, happens even after the source's Poisson arrivals have stopped, and counts
        towards ``arrival_limit``."""
        source = next(s for s in self.sources if s.spec.id == source_id)

        def arrive(_event: Event) -> None:
            item = source.admit(item_class, self.env.now)
            if self.created >= self.arrival_limit:
                self.close_arrivals()
            source.next_node(item)

        self.schedule(at, arrive)

    def new_item(self, cls: int, now: float, place: str) -> Item:
        """An item of class ``cls`` created now at ``place`` (a source's, or a backfill's): counted in the run and
        traced; the caller counts it where it entered and routes it on. (A source's arrival inlines this.)"""
        self.created += 1
        self.in_system += 1
        item = Item(cls, now, now >= self.warmup, self.created)
        if self.trace is not None:
            self.trace("arrive", now, item, place, "")
        return item

    def source_closed(self) -> None:
        self.open_sources -= 1
        if self.open_sources == 0:
            self.close_arrivals()

    def close_arrivals(self) -> None:
        self.arrivals_open = False
        if self.in_system == 0:
            self.maybe_drained()

    def maybe_drained(self) -> None:
        if self.done is not None and not self.done.triggered:
            self.done.succeed()

    def expired_at(self, stage: StageRuntime, item: Item) -> None:
        self.expired += 1
        self.in_system -= 1
        if item.counted:
            elapsed = self.env._now - item.created
            stage.expired_time.add(elapsed)
        if self.in_system == 0 and not self.arrivals_open:
            self.maybe_drained()

    # -- clock-driven events ---------------------------------------------------------------------
    def _roster(self, team: TeamRuntime, index: int) -> None:
        if team.seats is not None:
            return  # a capped team's roster and shift starts are one chain of the wellness runtime's
        timeline = team.spec.timeline
        delay = timeline.times[index] - self.env.now

        def change(_event: Event) -> None:
            change_capacity(team, self.env.now, timeline.rostered[index], timeline.available[index])
            if index + 1 < len(timeline.times):
                self._roster(team, index + 1)

        self.schedule(delay, change)

    def _end_warmup(self, _event: Event) -> None:
        for team in self.teams:
            team.available.restart(self.env.now)
            team.rostered.restart(self.env.now)
            team.staffed.restart(self.env.now)

    def _sample(self, _event: Event) -> None:
        self.take_sample()
        Wakeup(self.env, self.spec.interval_s, self._sample, priority=URGENT)

    def take_sample(self) -> None:
        """Series values at the end of a reporting interval: the state just before the events of that
        instant (the snapshot is scheduled URGENT), i.e. the state over the interval's last moment."""
        self.samples += 1
        for source in self.sources:
            source.series.append(source.in_interval)
            source.in_interval = 0
        for stage in self.stages:
            stage.series_queue.append(stage.waiting)
            stage.series_service.append(stage.in_service)
        for team in self.teams:
            team.series_available.append(team.capacity)
            team.series_busy.append(team.busy)

    def _tick(self, progress: Callable[[float], None] | None, should_stop: Callable[[], bool] | None) -> None:
        def tick(_event: Event) -> None:
            if progress is not None:
                progress(self.env.now / HOUR_S)
            if should_stop is not None and should_stop():
                raise RunCancelled(f"run cancelled at simulated hour {self.env.now / HOUR_S:.0f}")
            self.schedule(HOUR_S, tick)

        self.schedule(HOUR_S, tick)

    def _guard(self) -> None:
        """Schedule the backlog guard's checks (see the module rules)."""
        stages = self.stages
        if not stages:
            return
        limit = self.spec.backlog_limit
        peak_rate = sum(max(source.spec.rates.rates) for source in self.sources)  # items per second, at most
        least = GUARD_SLACK * limit

        def check(_event: Event | None) -> None:
            longest = max(stages, key=_waiting)
            if longest.waiting > limit:
                raise BacklogOverflow(backlog_message(longest.spec.name, limit, self.env._now))
            headroom = max(limit - longest.waiting, least)
            self.guard_events += 1
            Wakeup(self.env, min(headroom / peak_rate, HOUR_S) if peak_rate > 0 else HOUR_S, check)

        check(None)

    def run(self, progress: Callable[[float], None] | None, should_stop: Callable[[], bool] | None) -> float:
        """Run to the end (or until the backlog guard stops it); returns the simulated end time in seconds."""
        spec = self.spec
        for team in self.teams:
            if len(team.spec.timeline.times) > 1:
                self._roster(team, 1)
        if self.warmup > 0:
            self.schedule(self.warmup, self._end_warmup)
        Wakeup(self.env, spec.interval_s, self._sample, priority=URGENT)
        if progress is not None or should_stop is not None:
            self._tick(progress, should_stop)
        self._guard()
        self.open_sources = len(self.sources)
        if self.start_state is not None:
            self.start_state.begin()
        if self.launch is not None:
            self.launch.begin()
        for source in self.sources:
            source.begin()
        try:
            if spec.drain:
                self.done = self.env.event()
                if not self.arrivals_open and self.in_system == 0:
                    self.done.succeed()
                self.schedule(spec.end_cap_s, lambda _event: self.maybe_drained())
                self.env.run(until=self.done)
            else:
                self.env.run(until=spec.horizon_s)
        except BacklogOverflow as overflow:
            self.stopped_early = str(overflow)
        end = self.env.now
        # An interval ending exactly at the end of the run is sampled here (the run stops before
        # processing events at its final instant).
        while (self.samples + 1) * spec.interval_s <= end + 1e-6:
            self.take_sample()
        return end


def _waiting(stage: StageRuntime) -> int:
    return stage.waiting


def run_replication(spec: RunSpec, replication: int, *, progress: Callable[[float], None] | None = None,
                    should_stop: Callable[[], bool] | None = None) -> ReplicationResult:
    """Run one replication; the same (spec, replication) gives a bit-identical result anywhere."""
    run = Replication(spec, replication)
    tracer = attach_tracer(run)  # None unless the run asks for item traces
    end = run.run(progress, should_stop)
    result = collect(run, end)
    if tracer is not None:
        result.traces = tracer.traces(end)
    return result
