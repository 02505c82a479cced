"""A launch plan at run time: the compiled steps applied at their instants, and backfills injected.

Composed by the replication only when its spec has a plan (:mod:`simulations.launch_plan`), so a static run
schedules no event of its own and draws no number of its own. Rules:
- Steps at 0 (or before) apply when the replication is built; later ones by one event per distinct instant,
  chained (the next is scheduled when one fires), before any other event of that instant (URGENT), so an item
  arriving at exactly a step's instant sees the new value.
- A swapped sampler or router draws from the node's existing stream (same object), so the stream goes on.
- A backfill injects its items from its start (clipped to the run's start) — all at once, or evenly spread,
  item k at start + k·spread/N — each drawing its class from the backfill's own stream (keyed by its id) and
  entering the target node as a new item created then (its SLA clock starts then). Injection stops at the
  horizon; a backfill counts as an open source until its last item, so a draining run waits for it. It counts
  towards ``arrival_limit`` like any arrival. A batch injected at one instant is injected in chunks of
  :data:`GUARD_CHUNK` items with the engine's backlog bound checked after each, so a batch larger than the bound
  stops the replication as the backlog guard does instead of taking the machine's memory first.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from simpy.events import URGENT

from simulations.streams import bind
from simulations.wakeup import Wakeup

if TYPE_CHECKING:
    from simpy.events import Event

    from simulations.engine import Replication
    from simulations.launch_plan import BackfillSpec, LaunchPlan, Step

_TRANSIT_PURPOSE = {"classifier": "latency", "delay": "duration"}
GUARD_CHUNK = 10_000


class LaunchRuntime:
    def __init__(self, run: Replication, plan: LaunchPlan) -> None:
        self.run = run
        self.plan = plan
        self.injected = [0] * len(plan.backfills)
        self.counted = [0] * len(plan.backfills)
        self._next = 0
        steps = plan.steps
        while self._next < len(steps) and steps[self._next].at_s <= 0.0:
            self.apply(steps[self._next])
            self._next += 1

    def apply(self, step: Step) -> None:
        run = self.run
        runtime = run.nodes[step.node]
        node_id = runtime.spec.id
        if step.kind == "handle":
            stream = run.stream(node_id, "handle")
            bound = {spec: bind(spec, stream) for spec in dict.fromkeys(step.payload)}
            runtime.handle_by_class = [bound[spec] for spec in step.payload]
        elif step.kind == "transit":
            runtime.duration = bind(step.payload, run.stream(node_id, _TRANSIT_PURPOSE[runtime.spec.kind]))
        elif step.kind == "route":
            runtime.next_node = run.router_for(node_id, step.payload)
        elif step.kind in ("accuracy", "truth"):
            run.quality.apply(step.kind, step.node, step.payload)
        else:  # mix
            runtime.classes, runtime.cumulative = step.payload

    def begin(self) -> None:
        """Schedule the later steps and open the backfills (called before the sources begin)."""
        self._schedule_next()
        for index, backfill in enumerate(self.plan.backfills):
            if backfill.items > 0 and backfill.start_s < self.run.spec.horizon_s:
                self._open(index, backfill)

    def _schedule_next(self) -> None:
        steps = self.plan.steps
        if self._next >= len(steps):
            return
        at = steps[self._next].at_s

        def fire(_event: Event) -> None:
            while self._next < len(steps) and steps[self._next].at_s <= at:
                self.apply(steps[self._next])
                self._next += 1
            self._schedule_next()

        Wakeup(self.run.env, at - self.run.env.now, fire, priority=URGENT)

    def _open(self, index: int, backfill: BackfillSpec) -> None:
        run = self.run
        run.open_sources += 1
        mix = run.stream(backfill.id, "backfill").random
        classes, cumulative = backfill.classes, backfill.cumulative
        enter = run.nodes[backfill.node].enter
        if run.quality is not None:
            enter = run.quality.backfill_entry(backfill.id, enter)
        gap = backfill.spread_s / backfill.items
        horizon = run.spec.horizon_s

        def inject(_event: Event) -> None:
            if not run.arrivals_open:
                return  # the arrival limit closed arrivals (and every source with them)
            batch = backfill.items if gap <= 0.0 else 1
            now = run.env._now
            for number in range(batch):
                if number and number % GUARD_CHUNK == 0:
                    self._check_backlog()
                cls = classes[bisect_right(cumulative, mix())] if len(classes) > 1 else classes[0]
                item = run.new_item(cls, now, backfill.name)
                self.injected[index] += 1
                if item.counted:
                    self.counted[index] += 1
                if run.created >= run.arrival_limit:
                    run.close_arrivals()
                    enter(item)
                    return
                enter(item)
            following = backfill.start_s + self.injected[index] * gap
            if self.injected[index] < backfill.items and gap > 0.0 and following < horizon:
                Wakeup(run.env, max(0.0, following - now), inject)
            else:
                run.source_closed()

        Wakeup(run.env, max(0.0, backfill.start_s), inject)

    def _check_backlog(self) -> None:
        """The backlog guard's bound, checked inside a large batch (see the module rules)."""
        from simulations.engine import BacklogOverflow, backlog_message  # the engine composes this module

        run = self.run
        longest = max(run.stages, key=lambda stage: stage.waiting, default=None)
        if longest is not None and longest.waiting > run.spec.backlog_limit:
            raise BacklogOverflow(backlog_message(longest.spec.name, run.spec.backlog_limit, run.env._now))
