"""Wellness caps at run time: reviewers of a capped team tracked one by one, each with a daily limit per category.

``Team.wellness_caps`` maps a category to the most hours one reviewer may spend on it per shift-day (graphic
violence ≤ 4 h). Composed onto the engine only for teams with caps and the stages they work
(:func:`compile_wellness` gives None otherwise), so a model without caps runs exactly the code and the random
numbers it ran before. Rules:
- Reviewers are tracked individually, as *seats*: a capped team with c available reviewers (its roster timeline,
  unchanged) has c seats. Each seat holds, for its current shift-day, the handle hours it has started on each
  capped category.
- The cap is checked when a review starts: a seat may start an item of a capped category only while its hours on
  that category are below the cap. The item's full handle time (known on arrival at the stage) counts at once, so
  a reviewer's day can pass the cap by less than one item's handle time and never more.
- A seat at its cap on a category takes only other work: the best item (the stage's discipline) of the other
  categories, stage by stage in the team's order, as an uncapped reviewer would. The stage's queue is split by
  capped category when compiled (:func:`split_by_capped_category`), so "the best item it may take" is the best
  head over the groups it may serve — the same order as one merged queue.
- Which free seat takes an item: one of a capped category goes to the free seat with budget that has the fewest
  hours on it; any other item to the free seat at its cap on the most categories, which keeps budget free for
  capped work. Ties go to the seat free the longest.
- When every eligible seat is at its cap the items wait in the queue until a seat with budget frees up: a seat of
  another team, a seat that renews at the next shift start, or a new seat when the roster grows. Nothing is
  dropped or re-routed.
- Roster changes (the team's capacity timeline): when capacity falls, free seats leave first, longest on first;
  busy ones leave when they finish their item (as the engine's reduction rule). When it rises, seats about to
  leave stay first, then fresh seats are added.
- Shift-day reset: at each shift start of the team, the shift's available people (``available_reviewers`` of its
  headcount on that weekday and the team's shrinkage; several shifts starting at one instant add up) take seats.
  If the roster grew at that same instant, the new seats are those people; the rest of them take the seats that
  have been on longest. A taken seat starts a new shift-day (hours 0); a busy one starts it when its item is
  done. A roster change and a shift start at one instant are handled in one event: capacity first, then the
  reset, then queued work is dispatched.
- Under a launch plan the seats follow the plan's capacity timeline, and resets follow the baseline's shifts.
- Metrics (scope ``wellness``, ``<team id>:<category>``): over the reviewer-days that began at or after the
  warm-up (a day still open at the end counts with its hours so far): reviewer_days_count,
  hours_per_day_mean_h, hours_per_day_p90_h, hours_per_day_max_h, capped_share (days that reached the cap).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import methodcaller
from typing import TYPE_CHECKING

from flowmodel.teams import Team, available_reviewers
from flowmodel.traffic import ItemClass
from simulations.dispatcher import StageRuntime, TeamRuntime, change_capacity, dispatch
from simulations.results import MetricRecord
from simulations.timebase import load_zone, to_seconds_since
from simulations.wakeup import Wakeup

if TYPE_CHECKING:
    from simpy.events import Event

    from simulations.dispatcher import StageQueue
    from simulations.engine import Item, Replication
    from simulations.spec import StageSpec

HOUR_S = 3600.0
_head_key = methodcaller("head_key")


# -- compile ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CappedTeamSpec:
    """One capped team: its caps (seconds per shift-day) and when shifts start with how many people."""

    team: int
    categories: tuple[str, ...]
    caps_s: tuple[float, ...]
    #: per item class: the index of its category in ``categories``, or -1 when the team does not cap it
    slot_by_class: tuple[int, ...]
    #: (seconds from the start, people whose shift starts then), in time order, within the run's span
    resets: tuple[tuple[float, int], ...]


@dataclass(frozen=True)
class WellnessSpec:
    teams: tuple[CappedTeamSpec, ...]
    #: the review stages a capped team works (their runtimes track seats)
    stages: frozenset[int]


def has_caps(teams: list[Team]) -> bool:
    return any(team.wellness_caps for team in teams)


def compile_wellness(team_list: list[Team], classes: tuple[ItemClass, ...], stages_by_team: list[tuple[int, ...]],
                     start: datetime, span_s: float) -> WellnessSpec | None:
    """The caps of ``team_list`` (validated), or None when no team has any (the engine then composes nothing)."""
    capped: list[CappedTeamSpec] = []
    stages: set[int] = set()
    for index, team in enumerate(team_list):
        if not team.wellness_caps:
            continue
        categories = tuple(team.wellness_caps)
        capped.append(CappedTeamSpec(
            index, categories, tuple(float(team.wellness_caps[c]) * HOUR_S for c in categories),
            tuple(categories.index(c.category) if c.category in categories else -1 for c in classes),
            shift_starts(team, start, span_s, f"team {team.name!r}")))
        stages.update(stages_by_team[index])
    return WellnessSpec(tuple(capped), frozenset(stages)) if capped else None


def shift_starts(team: Team, start: datetime, span_s: float, where: str) -> tuple[tuple[float, int], ...]:
    """Every shift start in ``(0, span_s)`` with the shift's available people that weekday (summed per instant)."""
    zone = load_zone(team.timezone, where)
    people: dict[float, int] = {}
    first_day = (start.astimezone(zone) - timedelta(days=8)).date()
    for offset in range(math.ceil(span_s / 86400.0) + 10):
        day = first_day + timedelta(days=offset)
        midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
        for shift in team.shifts:
            count = available_reviewers(shift.headcount[day.weekday()], team.shrinkage)
            t = to_seconds_since(start, midnight + timedelta(hours=shift.start_hour))
            if count > 0 and 0.0 < t < span_s:
                people[t] = people.get(t, 0) + count
    return tuple(sorted(people.items()))


def split_by_capped_category(ordered: list[tuple[int, Team]], classes: tuple[ItemClass, ...]
                             ) -> tuple[list[tuple[int, ...]], list[int]]:
    """A stage's queue groups (eligible team positions) and each class's group, split further so that a group
    holds one category some eligible team caps, or only categories none of them caps."""
    keys: list[tuple[tuple[int, ...], str]] = []
    group_by_class: list[int] = []
    for item_class in classes:
        able = [(position, team) for position, team in ordered
                if team.can_review(item_class.language, item_class.category)]
        eligible = tuple(position for position, _ in able)
        capped = item_class.category if any(item_class.category in team.wellness_caps for _, team in able) else ""
        if (eligible, capped) not in keys:
            keys.append((eligible, capped))
        group_by_class.append(keys.index((eligible, capped)))
    return [eligible for eligible, _ in keys], group_by_class


# -- run time -----------------------------------------------------------------------------------------
class Seat:
    """One reviewer of a capped team: handle seconds started on each capped category in the current shift-day."""

    __slots__ = ("at_cap", "busy", "day_start", "hours", "number", "on_since", "renew")

    def __init__(self, number: int, now: float, slots: int) -> None:
        self.number = number
        self.busy = False
        self.renew = False
        self.on_since = now
        self.day_start = now
        self.hours = [0.0] * slots
        self.at_cap = 0  # capped categories whose cap this shift-day has reached


class TeamSeats:
    """A capped team's seats, their shift-days and the dispatch rule of the module docstring."""

    def __init__(self, run: Replication, team: TeamRuntime, spec: CappedTeamSpec) -> None:
        self.run = run
        self.team = team
        self.spec = spec
        self.caps = spec.caps_s
        self.slot_by_class = spec.slot_by_class
        self.seats: list[Seat] = []
        #: the free seats, longest free first (the order breaks ties between equally good seats)
        self.free: list[Seat] = []
        self.created = 0
        self.leaving = 0
        self.pending: Seat | None = None
        self.seat_of: dict[Item, Seat] = {}
        self.slot_of_queue: dict[StageQueue, int] = {}
        #: closed reviewer-days counted after the warm-up: hours (seconds) per capped category
        self.days: list[list[float]] = []
        self._add(team.capacity, 0.0)
        team.seats = self

    # seats come and go
    def _add(self, count: int, now: float) -> None:
        for _ in range(count):
            self.created += 1
            seat = Seat(self.created, now, len(self.caps))
            self.seats.append(seat)
            self.free.append(seat)

    def _leave(self, seat: Seat) -> None:
        self._close(seat)
        self.seats.remove(seat)

    def _close(self, seat: Seat) -> None:
        if seat.day_start >= self.run.warmup:
            self.days.append(seat.hours)

    def _new_day(self, seat: Seat, now: float) -> None:
        self._close(seat)
        seat.hours = [0.0] * len(self.caps)
        seat.at_cap = 0
        seat.day_start = now
        seat.renew = False

    def resize(self, available: int, now: float) -> int:
        """Follow a capacity change (see the module rules); returns the fresh seats added."""
        surplus = len(self.seats) - self.leaving - available
        if surplus > 0:
            going = sorted(self.free, key=_seniority)[:surplus]
            for seat in going:
                self.free.remove(seat)
                self._leave(seat)
            self.leaving += surplus - len(going)
            return 0
        staying = min(-surplus, self.leaving)
        self.leaving -= staying
        self._add(-surplus - staying, now)
        return -surplus - staying

    def reset(self, people: int, added: int, now: float) -> None:
        """A shift start: ``people`` take seats; the ``added`` newest seats are already theirs."""
        old = self.seats[:len(self.seats) - added] if added else self.seats
        for seat in sorted(old, key=_seniority)[:max(0, people - added)]:
            seat.on_since = now
            if seat.busy:
                seat.renew = True
            else:
                self._new_day(seat, now)

    # reviews start and end
    def free_seat(self, slot: int) -> Seat | None:
        """The free seat that takes an item of capped category ``slot`` (-1: none), or None (module rules)."""
        best: Seat | None = None
        if slot >= 0:
            low = self.caps[slot]
            for seat in self.free:
                if seat.hours[slot] < low:
                    best, low = seat, seat.hours[slot]
            return best
        most = -1
        for seat in self.free:
            if seat.at_cap > most:
                best, most = seat, seat.at_cap
        return best

    def occupy(self, item: Item) -> None:
        slot = self.slot_by_class[item.cls]
        seat = self.pending if self.pending is not None else self.free_seat(slot)
        self.pending = None
        if seat is None:
            raise RuntimeError(f"no free seat in team {self.team.spec.name!r}")  # the dispatch rule was broken
        seat.busy = True
        self.free.remove(seat)
        self.seat_of[item] = seat
        if slot >= 0:
            before = seat.hours[slot]
            seat.hours[slot] = after = before + item.service
            cap = self.caps[slot]
            if before < cap <= after:
                seat.at_cap += 1

    def release(self, item: Item, now: float) -> None:
        seat = self.seat_of.pop(item)
        seat.busy = False
        if self.leaving:
            self.leaving -= 1
            self._leave(seat)
            return
        if seat.renew:
            self._new_day(seat, now)
        self.free.append(seat)

    def dispatch(self, now: float) -> None:
        """Give free seats the best queued items they may take, stage by stage in the team's order."""
        team = self.team
        slot_of = self.slot_of_queue
        while team.busy < team.capacity:
            for stage, queues in team.work:
                live = [q for q in queues if q.live]
                if len(live) > 1:
                    live.sort(key=_head_key)
                for queue in live:
                    seat = self.free_seat(slot_of[queue])
                    if seat is not None:
                        break
                else:
                    continue
                self.pending = seat
                item = queue.pop()
                stage.leave_queue(item, now)
                stage.start(item, team, now, now - item.entered)
                break
            else:
                return

    # the roster and the shift starts, in one chain of events
    def begin(self) -> None:
        timeline = self.team.spec.timeline
        instants: dict[float, list[int]] = {}
        for index in range(1, len(timeline.times)):
            instants.setdefault(timeline.times[index], [-1, 0])[0] = index
        for at, people in self.spec.resets:
            instants.setdefault(at, [-1, 0])[1] = people
        self.plan = sorted((at, index, people) for at, (index, people) in instants.items())
        self._schedule(0)

    def _schedule(self, position: int) -> None:
        if position >= len(self.plan):
            return
        env = self.run.env
        at, index, people = self.plan[position]

        def change(_event: Event) -> None:
            now = env.now
            timeline = self.team.spec.timeline
            added = self.resize(timeline.available[index], now) if index >= 0 else 0
            if people:
                self.reset(people, added, now)
            if index >= 0:
                change_capacity(self.team, now, timeline.rostered[index], timeline.available[index])
            dispatch(self.team, now)
            self._schedule(position + 1)

        Wakeup(env, at - env.now, change)

    def day_hours(self) -> list[list[float]]:
        """Every counted reviewer-day's hours (seconds) per capped category: closed days, then the open ones."""
        warmup = self.run.warmup
        return self.days + [seat.hours for seat in self.seats if seat.day_start >= warmup]


def _seniority(seat: Seat) -> tuple[float, int]:
    return seat.on_since, seat.number


class CappedTeams:
    """The teams that may start an item of one class at once, skipping a capped team without a seat that may
    take the class's capped category (iterated by :meth:`StageRuntime.enter` in place of its team list)."""

    __slots__ = ("entries",)

    def __init__(self, entries: list[tuple[TeamRuntime, int]]) -> None:
        self.entries = entries

    def __iter__(self) -> Iterator[TeamRuntime]:
        for team, slot in self.entries:
            if slot < 0:
                yield team
                continue
            seats = team.seats
            seat = seats.free_seat(slot)
            if seat is not None:
                seats.pending = seat  # the seat the item starts on: a free seat means busy < capacity
                yield team


class WellnessRuntime:
    """The replication's capped teams (built before its stages, which look their seats up here)."""

    def __init__(self, run: Replication, spec: WellnessSpec) -> None:
        self.run = run
        self.spec = spec
        self.seats = [TeamSeats(run, run.teams[t.team], t) for t in spec.teams]
        for seats in self.seats:
            seats.begin()


_STAGE_CLASSES: dict[type[StageRuntime], type[StageRuntime]] = {}


def wellness_stage_class(base: type[StageRuntime]) -> type[StageRuntime]:
    """``base`` with seats: an item starts on a seat with budget, and frees it when done."""
    kind = _STAGE_CLASSES.get(base)
    if kind is None:
        kind = _STAGE_CLASSES[base] = type(f"Wellness{base.__name__}", (WellnessStage, base), {})
    return kind


class WellnessStage(StageRuntime):
    """Composed in front of a stage class by :func:`wellness_stage_class`."""

    def __init__(self, spec: StageSpec, run: Replication, samplers: list[Callable[[], float]],
                 expiry: Callable[[], float] | None, teams: list[TeamRuntime]) -> None:
        super().__init__(spec, run, samplers, expiry, teams)
        first_class = {g: spec.group_by_class.index(g) for g in set(spec.group_by_class)}
        for g, queue in enumerate(self.queues):
            for t in spec.group_teams[g]:
                seats = teams[t].seats
                if seats is not None:
                    seats.slot_of_queue[queue] = seats.slot_by_class[first_class[g]]
        for cls, able in enumerate(self.teams_by_class):
            entries = [(team, team.seats.slot_by_class[cls] if team.seats is not None else -1) for team in able]
            if any(slot >= 0 for _, slot in entries):
                self.teams_by_class[cls] = CappedTeams(entries)  # type: ignore[call-overload]

    def start(self, item: Item, team: TeamRuntime, now: float, wait: float) -> None:
        super().start(item, team, now, wait)
        if team.seats is not None:
            team.seats.occupy(item)

    def finish(self, event: Event) -> None:
        item = event._value
        if item.team.seats is not None:
            item.team.seats.release(item, self.env._now)  # before the base dispatches the next item
        super().finish(event)


# -- metrics ----------------------------------------------------------------------------------------------
def _quantile(ordered: list[float], q: float) -> float:
    """Linear interpolation between order statistics (NaN when empty)."""
    if not ordered:
        return math.nan
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def wellness_records(runtime: WellnessRuntime, metrics: list[MetricRecord]) -> None:
    """Per capped team × category: hours per reviewer-day (see the module rules)."""
    for seats in runtime.seats:
        team = seats.team.spec
        days = seats.day_hours()
        for slot, category in enumerate(seats.spec.categories):
            hours = sorted(day[slot] / HOUR_S for day in days)
            cap_h = seats.caps[slot] / HOUR_S
            values = [
                ("reviewer_days_count", float(len(hours))),
                ("hours_per_day_mean_h", sum(hours) / len(hours) if hours else math.nan),
                ("hours_per_day_p90_h", _quantile(hours, 0.9)),
                ("hours_per_day_max_h", hours[-1] if hours else math.nan),
                ("capped_share", sum(1 for h in hours if h >= cap_h) / len(hours) if hours else math.nan),
            ]
            metrics.extend(MetricRecord("wellness", f"{team.id}:{category}", f"{team.name} · {category}", name, value)
                           for name, value in values)
