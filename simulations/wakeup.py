"""The engine's scheduled event: a SimPy timeout created together with its callback."""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappush

import simpy
from simpy.events import NORMAL, Event


class Wakeup(Event):
    """A timeout created with its callback: the only kind of event the engine schedules.

    Like SimPy's own ``Timeout.__init__``, it inlines the event set-up and ``Environment.schedule``
    because it is created once per arrival, service and delay. ``priority`` URGENT runs it before the
    ordinary events of the same instant (used for time-series snapshots).
    """

    def __init__(self, env: simpy.Environment, delay: float, callback: Callable[[Event], None],
                 value: object = None, priority: int = NORMAL) -> None:
        self.env = env
        self.callbacks = [callback]
        self._value = value
        self._ok = True
        heappush(env._queue, (env._now + delay, priority, next(env._eid), self))
