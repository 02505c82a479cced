"""Review stages and teams at run time: queues, skills, rosters and the dispatch rule.

Rules (the engine's staffing semantics, DESIGN.md "Simulation semantics"):
- An item's handle time and (for stages with expiry) its time-to-live are drawn from the stage's own
  streams when the item *arrives* at the stage, whether or not it waits — so a scenario that only changes
  staffing sees the same work (common random numbers).
- An arriving item starts at once if a team that can review it (skills) has an idle reviewer; teams are
  tried in the stage's team order (see :mod:`simulations.spec`). Otherwise it queues.
- A stage's queue is split into *groups*: items whose classes the same set of teams can review. A group
  is ordered by the stage's discipline: ``fifo`` (arrival at the stage), ``priority`` (rank in the stage's
  ``priority_order``, unknown priorities last, FIFO within a rank) or ``earliest_deadline`` (created_at +
  the SLA limit for the item's priority; items without an SLA last; FIFO among equal deadlines; a target on
  the wait clock counts from arrival at the stage instead, see :mod:`simulations.wait_clock`).
- A reviewer who becomes free takes the best eligible item of the first stage in the team's stage list
  that has one (best = the smallest discipline key over the groups the team may serve). On a completion
  the reviewer picks the next item *before* the finished item moves on, so an escalation into a stage of
  the same team cannot jump the queue.
- Rosters: capacity changes at the timeline's instants. A reduction never interrupts work: reviewers finish
  the item in hand and are not replaced while ``busy ≥ capacity``. An increase starts queued work at once.
- Expiry: when the time-to-live runs out while the item still waits, it leaves the queue as expired (a lazy
  deletion: the queue skips it later) and ends its journey.
- Time averages are taken after the warm-up W: an item that waits from a to b adds max(0, b − max(a, W)) to
  the stage's queue area; open intervals are closed at the end of the run. Same for time in service.
- Waits and times to decision (creation → end of review here) of counted items are kept per *cell*: the
  distinct (category, priority) of the run's item classes, so languages and truth share a cell and the memory
  does not grow with them. The stage's total wait is the merge of its cells' (the same quantiles exactly, the
  same mean to float rounding), so a wait costs one update whether or not anyone reads it by priority.
"""

from __future__ import annotations

import heapq
from array import array
from collections import deque
from collections.abc import Callable
from operator import methodcaller
from typing import TYPE_CHECKING

from simulations.statistics import Summary, TimeWeighted
from simulations.wakeup import Wakeup

if TYPE_CHECKING:
    from simpy.events import Event

    from simulations.engine import Item, Replication
    from simulations.spec import StageSpec, TeamSpec
    from simulations.wellness import TeamSeats


def not_wired(item: Item) -> None:
    """Placeholder successor until the replication wires routing (reaching it is a bug)."""
    raise RuntimeError("routing was not wired")


class FifoQueue:
    __slots__ = ("items", "live")

    def __init__(self) -> None:
        self.items: deque[Item] = deque()
        self.live = 0

    def push(self, item: Item) -> None:
        self.items.append(item)
        self.live += 1

    def _head(self) -> Item:
        items = self.items
        while items[0].token < 0:
            items.popleft()
        return items[0]

    def head_key(self) -> tuple[float, ...]:
        return (self._head().seq,)

    def pop(self) -> Item:
        items = self.items
        item = items.popleft()
        while item.token < 0:
            item = items.popleft()
        self.live -= 1
        return item

    def discard(self, item: Item) -> None:
        """An expired item: no longer live; it is skipped when it reaches the head."""
        self.live -= 1

    def live_items(self) -> list[Item]:
        """The items still waiting (expired ones are left out), for end-of-run accounting."""
        return [item for item in self.items if item.token > 0]


class PriorityQueue:
    """One FIFO per priority rank."""

    __slots__ = ("live", "ranks")

    def __init__(self, ranks: int) -> None:
        self.ranks = [FifoQueue() for _ in range(ranks)]
        self.live = 0

    def push(self, item: Item) -> None:
        self.ranks[item.rank].push(item)
        self.live += 1

    def _first(self) -> FifoQueue:
        return next(q for q in self.ranks if q.live)

    def head_key(self) -> tuple[float, ...]:
        queue = self._first()
        return (queue._head().rank, queue._head().seq)

    def pop(self) -> Item:
        self.live -= 1
        return self._first().pop()

    def discard(self, item: Item) -> None:
        self.live -= 1
        self.ranks[item.rank].live -= 1

    def live_items(self) -> list[Item]:
        return [item for queue in self.ranks for item in queue.live_items()]


class DeadlineQueue:
    """A heap on (deadline, arrival sequence)."""

    __slots__ = ("heap", "live")

    def __init__(self) -> None:
        self.heap: list[tuple[float, int, Item]] = []
        self.live = 0

    def push(self, item: Item) -> None:
        heapq.heappush(self.heap, (item.deadline, item.seq, item))
        self.live += 1

    def head_key(self) -> tuple[float, ...]:
        heap = self.heap
        while heap[0][2].token < 0:
            heapq.heappop(heap)
        return heap[0][:2]

    def pop(self) -> Item:
        heap = self.heap
        item = heapq.heappop(heap)[2]
        while item.token < 0:
            item = heapq.heappop(heap)[2]
        self.live -= 1
        return item

    def discard(self, item: Item) -> None:
        self.live -= 1

    def live_items(self) -> list[Item]:
        return [entry[2] for entry in self.heap if entry[2].token > 0]


StageQueue = FifoQueue | PriorityQueue | DeadlineQueue


class TeamRuntime:
    """A team's current capacity (from its roster), busy reviewers and the queues it may serve."""

    __slots__ = ("available", "busy", "busy_area", "busy_open", "capacity", "queues", "rostered", "seats",
                 "series_available", "series_busy", "spec", "staffed", "work")

    def __init__(self, spec: TeamSpec) -> None:
        self.spec = spec
        self.capacity = spec.timeline.available[0]
        self.busy = 0
        self.busy_area = 0.0
        self.busy_open = 0.0
        self.available = TimeWeighted(self.capacity, 0.0)
        self.rostered = TimeWeighted(spec.timeline.rostered[0], 0.0)
        # max(available, busy): reviewers finishing the item in hand after their shift are staffed too
        self.staffed = TimeWeighted(self.capacity, 0.0)
        self.series_available = array("q")
        self.series_busy = array("q")
        # (stage, queues this team may serve there), in the team's stage priority order
        self.work: list[tuple[StageRuntime, list[StageQueue]]] = []
        self.queues: list[StageQueue] = []  # every queue in ``work``, flattened
        self.seats: TeamSeats | None = None  # a team with wellness caps: its reviewers one by one


class StageRuntime:
    """A review stage's queue, counters and streaming statistics."""

    def __init__(self, spec: StageSpec, run: Replication, samplers: list[Callable[[], float]],
                 expiry: Callable[[], float] | None, teams: list[TeamRuntime]) -> None:
        self.spec = spec
        self.run = run
        self.env = run.env
        self.warmup = run.warmup
        self.handle_by_class = [samplers[i] for i in spec.handle_by_class]
        self.expiry = expiry
        self.rank_by_class = spec.rank_by_class
        self.sla_by_class = spec.sla_by_class
        self.queues: list[StageQueue]
        if spec.discipline == "priority":
            self.queues = [PriorityQueue(spec.ranks) for _ in spec.group_teams]
        elif spec.discipline == "earliest_deadline":
            self.queues = [DeadlineQueue() for _ in spec.group_teams]
        else:
            self.queues = [FifoQueue() for _ in spec.group_teams]
        self.queue_by_class = [self.queues[g] for g in spec.group_by_class]
        self.teams_by_class = [[teams[t] for t in spec.group_teams[g]] for g in spec.group_by_class]
        self.next_node: Callable[[Item], None] = not_wired
        self.waiting = 0
        self.in_service = 0
        self.queue_area = 0.0
        self.queue_open = 0.0
        self.service_area = 0.0
        self.service_open = 0.0
        classes = run.spec.item_classes
        cell_of: dict[tuple[str, str], int] = {}
        self.cell_by_class = [cell_of.setdefault((c.category, c.priority), len(cell_of)) for c in classes]
        #: (category, priority) of each cell, in the order of the classes that first have it
        self.cells = list(cell_of)
        self.wait_by_cell = [Summary() for _ in self.cells]  # waits > 0; zero waits are counted per class
        self.decision_by_cell = [Summary() for _ in self.cells]
        # per class, the cell's Summary itself: one index on the hot path
        self.wait_cell_by_class = [self.wait_by_cell[c] for c in self.cell_by_class]
        self.decision_cell_by_class = [self.decision_by_cell[c] for c in self.cell_by_class]
        self.arrivals_by_class = [0] * len(classes)
        self.zero_waits = [0] * len(classes)  # most reviews start at once: counted here, folded in by collect
        self.waited = 0
        self.expired = 0
        self.handled = 0  # counted reviews finished here
        self.handle_sum = 0.0  # their handle times (s)
        self.sla_met = [0] * len(spec.sla_by_class)
        self.expired_time = Summary()
        self.on_finish = self.finish  # bound once: scheduled for every review
        self.series_queue = array("q")
        self.series_service = array("q")
        self.sla_total = [0] * len(spec.sla_by_class)

    def enter(self, item: Item) -> None:
        now = self.env._now
        cls = item.cls
        item.service = self.handle_by_class[cls]()
        ttl = self.expiry() if self.expiry is not None else 0.0
        if item.counted:
            self.arrivals_by_class[cls] += 1
        for team in self.teams_by_class[cls]:
            if team.busy < team.capacity:
                self.start(item, team, now, 0.0)
                return
        item.entered = now
        item.seq = self.run.next_seq()
        item.rank = self.rank_by_class[cls]
        item.deadline = item.created + self.sla_by_class[cls]
        self.queue_by_class[cls].push(item)
        self.waiting += 1
        self.queue_open += now if now > self.warmup else self.warmup
        if self.expiry is not None:
            item.token = self.run.next_seq()
            Wakeup(self.env, ttl, self.expire, (item, item.token))
        else:
            item.token = 1

    def start(self, item: Item, team: TeamRuntime, now: float, wait: float) -> None:
        warmup = self.warmup
        item.token = 0
        item.team = team
        if self.run.trace is not None:
            self.run.trace("start", now, item, self.spec.name, team.spec.name)
        if item.counted:
            if wait > 0.0:
                self.wait_cell_by_class[item.cls].add(wait)
                self.waited += 1
            else:
                self.zero_waits[item.cls] += 1
        team.busy += 1
        self.in_service += 1
        opened = now if now > warmup else warmup
        self.service_open += opened
        team.busy_open += opened
        item.started = opened
        Wakeup(self.env, item.service, self.on_finish, item)

    def leave_queue(self, item: Item, now: float) -> None:
        """Close the item's waiting interval in the queue area."""
        self.waiting -= 1
        opened = item.entered if item.entered > self.warmup else self.warmup
        self.queue_open -= opened
        if now > opened:
            self.queue_area += now - opened

    def finish(self, event: Event) -> None:
        item = event._value
        now = self.env._now
        team = item.team
        team.busy -= 1
        if team.busy >= team.capacity:  # someone was working past the end of their shift
            team.staffed.set(now, team.busy if team.busy > team.capacity else team.capacity)
        self.in_service -= 1
        opened = item.started
        self.service_open -= opened
        team.busy_open -= opened
        if now > opened:
            self.service_area += now - opened
            team.busy_area += now - opened
        if item.counted:
            self.handled += 1
            self.handle_sum += item.service
            cls = item.cls
            self.sla_total[cls] += 1
            decision = now - item.created
            self.decision_cell_by_class[cls].add(decision)
            if decision <= self.sla_by_class[cls]:
                self.sla_met[cls] += 1
        if team.busy < team.capacity:
            for queue in team.queues:  # inlined emptiness check: most completions find nothing waiting
                if queue.live:
                    dispatch(team, now)
                    break
        self.next_node(item)

    @property
    def arrivals(self) -> int:
        """Counted arrivals at the stage, all classes."""
        return sum(self.arrivals_by_class)

    def cell_waits(self) -> list[Summary]:
        """Per cell, every counted wait so far, the zero waits folded in (for collect; folding twice adds nothing)."""
        for cls, zeros in enumerate(self.zero_waits):
            self.wait_cell_by_class[cls].add_zeros(zeros)
            self.zero_waits[cls] = 0
        return self.wait_by_cell

    def items_at_end(self) -> list[Item]:
        """Items still waiting or in review here when the run stops (end-of-run accounting only: it scans
        the pending events for this stage's review completions)."""
        waiting = [item for queue in self.queues for item in queue.live_items()]
        reviewing = [entry[3]._value for entry in self.env._queue
                     if entry[3].callbacks and entry[3].callbacks[0] is self.on_finish]
        return waiting + reviewing

    def sla_counts(self, end: float) -> tuple[list[int], list[int]]:
        """Per item class: SLA (met, total) of the run ended at ``end``; the total includes the counted items
        still here whose time to decision is already past the limit (sure misses)."""
        total = list(self.sla_total)
        for item in self.items_at_end():
            if item.counted and end - item.created > self.sla_by_class[item.cls]:
                total[item.cls] += 1
        return self.sla_met, total

    def expire(self, event: Event) -> None:
        item, token = event._value
        if item.token != token:
            return
        now = self.env._now
        item.token = -1
        if self.run.trace is not None:
            self.run.trace("expire", now, item, self.spec.name, "")
        self.queue_by_class[item.cls].discard(item)
        self.leave_queue(item, now)
        if item.counted:
            self.expired += 1
            cls = item.cls
            self.sla_total[cls] += 1
        self.run.expired_at(self, item)


def dispatch(team: TeamRuntime, now: float) -> None:
    """Give idle reviewers of ``team`` the best eligible queued items, stage by stage."""
    if team.seats is not None:  # wellness caps: which reviewer may take what (simulations.wellness)
        team.seats.dispatch(now)
        return
    while team.busy < team.capacity:
        for stage, queues in team.work:
            if len(queues) == 1:
                queue = queues[0]
                if not queue.live:
                    continue
            else:
                candidates = [q for q in queues if q.live]
                if not candidates:
                    continue
                queue = min(candidates, key=methodcaller("head_key"))
            item = queue.pop()
            stage.leave_queue(item, now)
            stage.start(item, team, now, now - item.entered)
            break
        else:
            return


def change_capacity(team: TeamRuntime, now: float, rostered: int, available: int) -> None:
    """A roster change point: record the new levels; start queued work if capacity grew."""
    team.available.set(now, available)
    team.rostered.set(now, rostered)
    team.staffed.set(now, max(available, team.busy))
    grew = available > team.capacity
    team.capacity = available
    if grew:
        dispatch(team, now)
