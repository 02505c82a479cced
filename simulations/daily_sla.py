"""Daily SLA attainment at review stages, for runs with launch metrics (:mod:`simulations.launch_metrics`).

Composed onto the stage classes (as :mod:`simulations.wait_clock` is) only when the run asks for it, so a run
without launch metrics runs exactly the code it ran before.

Rules: an item is counted on the day its SLA falls due (run days of 24 h from the start of the run), whether it
met it or not — the share of the items due that day that were decided (or, on the wait clock, picked up) in
time. Each item is judged once, exactly as the run's overall attainment judges it: when its review ends
(decision clock) or starts (wait clock); an item that expires in the queue is a miss; an item still at the stage
when the run ends is a miss on its due day if that has passed, and is left out otherwise. An item still
upstream when the run ends (in a classifier, a delay or an earlier stage) is not counted at this stage, as the
run's overall attainment does not count it either; so a day's share is complete for the items that reached the
stage, and the last days of an overloaded run can look better than they were.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from simulations.dispatcher import StageRuntime, TeamRuntime
from simulations.wait_clock import WaitClockStage

if TYPE_CHECKING:
    from simpy.events import Event

    from simulations.engine import Item, Replication
    from simulations.spec import StageSpec

DAY_S = 86400.0


class DailySla:
    """Mixin: per (SLA target position, due day) counts of [met, due] (see the module rules)."""

    spec: StageSpec
    run: Replication
    sla_by_class: tuple[float, ...]

    def __init__(self, spec: StageSpec, run: Replication, samplers: list[Callable[[], float]],
                 expiry: Callable[[], float] | None, teams: list[TeamRuntime]) -> None:
        super().__init__(spec, run, samplers, expiry, teams)  # type: ignore[call-arg]
        position = {priority: i for i, (priority, _, _) in enumerate(spec.sla_targets)}
        classes = run.spec.item_classes
        self.daily_target = [position.get(c.priority, -1) for c in classes]
        self.daily_on_wait = list(spec.sla_wait_by_class) if spec.sla_wait_by_class else [False] * len(classes)
        self.daily: dict[tuple[int, int], list[int]] = {}

    def _daily_add(self, cls: int, due: float, met: bool) -> None:
        key = (self.daily_target[cls], int(due // DAY_S))
        counts = self.daily.get(key)
        if counts is None:
            self.daily[key] = [1 if met else 0, 1]
        else:
            counts[0] += met
            counts[1] += 1

    def finish(self, event: Event) -> None:
        item = event._value
        cls = item.cls
        if item.counted and self.daily_target[cls] >= 0 and not self.daily_on_wait[cls]:
            now = self.run.env._now
            limit = self.sla_by_class[cls]
            self._daily_add(cls, item.created + limit, now - item.created <= limit)
        super().finish(event)  # type: ignore[misc]

    def expire(self, event: Event) -> None:
        item, token = event._value
        cls = item.cls
        if item.token == token and item.counted and self.daily_target[cls] >= 0:
            clock = item.entered if self.daily_on_wait[cls] else item.created
            self._daily_add(cls, clock + self.sla_by_class[cls], False)
        super().expire(event)  # type: ignore[misc]

    def daily_counts(self, end: float) -> dict[tuple[int, int], list[int]]:
        """The counts with the sure misses of items still here at ``end`` added on their due days."""
        counts = {key: list(value) for key, value in self.daily.items()}
        for item in self.items_at_end():  # type: ignore[attr-defined]
            cls = item.cls
            if not item.counted or self.daily_target[cls] < 0:
                continue
            if self.daily_on_wait[cls]:
                if item.token == 0:
                    continue  # in review: judged when it started
                due = item.entered + self.sla_by_class[cls]
            else:
                due = item.created + self.sla_by_class[cls]
            if due < end:
                entry = counts.setdefault((self.daily_target[cls], int(due // DAY_S)), [0, 0])
                entry[1] += 1
        return counts


class DailyStage(DailySla, StageRuntime):
    """A plain review stage with daily SLA counts."""


class DailyWaitClockStage(DailySla, WaitClockStage):
    """A stage with a wait-clock target and daily SLA counts (wait targets are judged when review starts)."""

    def start(self, item: Item, team: TeamRuntime, now: float, wait: float) -> None:
        cls = item.cls
        if item.counted and self.daily_on_wait[cls] and self.daily_target[cls] >= 0:
            limit = self.sla_by_class[cls]
            self._daily_add(cls, now - wait + limit, wait <= limit)
        super().start(item, team, now, wait)


def daily_stage_class(wait_clock: bool) -> type[StageRuntime]:
    return DailyWaitClockStage if wait_clock else DailyStage
