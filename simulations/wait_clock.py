"""Review stages with an SLA target on the wait clock: the time from arrival at the stage to the start of review.

Composed onto :class:`~simulations.dispatcher.StageRuntime` rather than branched inside it, so a stage whose
targets all time the decision runs exactly the code (and the random numbers) it ran before clocks existed;
:func:`stage_runtime` picks the class when the replication is built.

Rules, per item class whose priority has a wait target (``spec.sla_wait_by_class``):
- A counted item is measured when its review starts: met if it waited no longer than the limit (an item
  that starts at once waited 0). An item that expires in the queue is a miss.
- At the end of the run, an item still waiting past the limit is a sure miss; one still within it is left
  out (its result is unknown), and one in review was measured when it started.
- ``earliest_deadline`` orders such items by arrival at the stage + the limit, so the discipline works
  towards the target's own clock; items of decision-clock classes keep creation + limit.
The base class's time-to-decision counts are still kept for every class; :meth:`WaitClockStage.sla_counts`
reports the wait counts in their place for wait-clock classes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from simulations.dispatcher import DeadlineQueue, StageRuntime, TeamRuntime
from simulations.wellness import wellness_stage_class

if TYPE_CHECKING:
    from simpy.events import Event

    from simulations.engine import Item, Replication
    from simulations.spec import StageSpec


class ArrivalDeadlineQueue(DeadlineQueue):
    """A deadline heap where items of wait-clock classes are due at arrival at the stage + their limit."""

    __slots__ = ("wait_limit_by_class",)

    def __init__(self, wait_limit_by_class: list[float | None]) -> None:
        super().__init__()
        self.wait_limit_by_class = wait_limit_by_class

    def push(self, item: Item) -> None:
        limit = self.wait_limit_by_class[item.cls]
        if limit is not None:
            item.deadline = item.entered + limit
        super().push(item)


class WaitClockStage(StageRuntime):
    """A stage with at least one wait-clock SLA target (see the module rules)."""

    def __init__(self, spec: StageSpec, run: Replication, samplers: list[Callable[[], float]],
                 expiry: Callable[[], float] | None, teams: list[TeamRuntime]) -> None:
        super().__init__(spec, run, samplers, expiry, teams)
        self.wait_by_class = spec.sla_wait_by_class
        self.wait_met = [0] * len(spec.sla_by_class)
        self.wait_total = [0] * len(spec.sla_by_class)
        if spec.discipline == "earliest_deadline":
            limits = [limit if on_wait else None for limit, on_wait in zip(spec.sla_by_class, self.wait_by_class,
                                                                            strict=True)]
            self.queues = [ArrivalDeadlineQueue(limits) for _ in spec.group_teams]
            self.queue_by_class = [self.queues[g] for g in spec.group_by_class]

    def start(self, item: Item, team: TeamRuntime, now: float, wait: float) -> None:
        super().start(item, team, now, wait)
        cls = item.cls
        if item.counted and self.wait_by_class[cls]:
            self.wait_total[cls] += 1
            if wait <= self.sla_by_class[cls]:
                self.wait_met[cls] += 1

    def expire(self, event: Event) -> None:
        item, token = event._value
        expiring = item.token == token and item.counted and self.wait_by_class[item.cls]
        super().expire(event)
        if expiring:
            self.wait_total[item.cls] += 1

    def sla_counts(self, end: float) -> tuple[list[int], list[int]]:
        met, total = super().sla_counts(end)
        met, total = list(met), list(total)
        for cls, on_wait in enumerate(self.wait_by_class):
            if on_wait:
                met[cls], total[cls] = self.wait_met[cls], self.wait_total[cls]
        for queue in self.queues:
            for item in queue.live_items():
                cls = item.cls
                if item.counted and self.wait_by_class[cls] and end - item.entered > self.sla_by_class[cls]:
                    total[cls] += 1
        return met, total


def stage_runtime(spec: StageSpec, run: Replication, samplers: list[Callable[[], float]],
                  expiry: Callable[[], float] | None, teams: list[TeamRuntime]) -> StageRuntime:
    """The runtime for ``spec``: the plain stage unless one of its SLA targets times the wait; with daily SLA
    counts (:mod:`simulations.daily_sla`) when the run has launch metrics."""
    if run.spec.launch_s is not None and spec.sla_targets:
        from simulations.daily_sla import daily_stage_class  # composes this module's class

        kind: type[StageRuntime] = daily_stage_class(bool(spec.sla_wait_by_class))
    else:
        kind = WaitClockStage if spec.sla_wait_by_class else StageRuntime
    if run.spec.wellness is not None and spec.index in run.spec.wellness.stages:
        kind = wellness_stage_class(kind)
    return kind(spec, run, samplers, expiry, teams)
