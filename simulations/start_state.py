"""Start from today at run time: the backlog's items put in their stages at time 0, and when they are cleared.

Composed by the replication only when its spec has a start state (:class:`StartStateSpec`, compiled from the
workflow's :class:`flowmodel.start_state.StartState`), so a model without one schedules, draws and counts nothing
of this module's, and its hot loop has no branch for it. Rules:
- At time 0, before any source's first arrival, every backlog item is created with ``created = −age`` (so its SLA
  deadline counts its age: an item older than its target is late at once) and enters its stage. Ages come from the
  entry (``ages_h``) or are drawn uniformly from its range, from the stage's own stream of purpose "start" — the one
  thing that stream draws (entries in the state's order, items in order). Handle times and time-to-live are drawn
  at entry from the stage's streams as for any item.
- Items enter all stages' queues first, oldest first; then every team (without wellness caps) is dispatched, so
  the team's stage order and the stages' disciplines decide who is reviewed first — not the order of the entries.
  (A team with wellness caps takes items as they enter, by its seats' rules.)
- Backlog items are not arrivals of any source: they count in their stage's arrivals, reviews, waits and SLA
  attainment and in the outcomes when the run has no warm-up (they are created before it); with a warm-up they are
  left out of those statistics, as every item created before the warm-up is. They count in the replication's
  item totals (created = completed + expired + in system) and so towards an ``arrival_limit``.
- A wait-clock target and a time-to-live count from the start of the run for backlog items (when they entered
  their stage is not known; their age counts from their creation).

Records (kind ``start_backlog``; kept whether or not the items are counted; times in hours from the start of run):
- per stage with backlog entries (scope id the stage's): ``start_count``; ``cleared_h``, when the last backlog item
  at that stage began review (NaN if one still waited there at the end; an item that expired left the queue
  unreviewed and does not hold it open); ``reviewed_h``, when the last one's review there ended (NaN if not by the
  end); ``left_end_count`` (still waiting there at the end) and ``expired_count``.
- ``all``: the same over every stage (start_count, left_end_count and expired_count summed; cleared_h and
  reviewed_h the latest, NaN if any stage's is).
- per stage and SLA target (scope id ``<stage id>:<priority>``): ``sla_attainment_share`` of the backlog items of
  that priority (reviewed within the limit; expired ones and ones still waiting past it at the end are misses, ones
  still within it at the end are left out), ``sla_items_count`` and ``sla_within_s``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flowmodel.errors import ModelError
from flowmodel.nodes import ReviewStage
from flowmodel.start_state import StartState
from flowmodel.traffic import ItemClass
from simulations.dispatcher import dispatch
from simulations.results import MetricRecord

if TYPE_CHECKING:
    from flowmodel.workflow import Workflow
    from simulations.dispatcher import StageRuntime, TeamRuntime
    from simulations.engine import Item, Replication

HOUR_S = 3600.0


@dataclass(frozen=True)
class BacklogGroup:
    """One entry compiled: ``count`` items of class ``cls`` at node ``stage``; ages given, or a range in seconds."""

    stage: int
    cls: int
    count: int
    ages_s: tuple[float, ...]
    age_min_s: float
    age_max_s: float


@dataclass(frozen=True)
class StartStateSpec:
    groups: tuple[BacklogGroup, ...]


def start_classes(state: StartState | None) -> list[ItemClass]:
    """The item classes of the backlog's entries (the spec adds the ones no source produces after the sources')."""
    if state is None:
        return []
    return [ItemClass(e.category, e.language, e.priority) for e in state.entries if e.count > 0]


def compile_start_state(model: Workflow, classes: tuple[ItemClass, ...],
                        index_of: dict[str, int]) -> StartStateSpec | None:
    """The engine's form of ``model.start_state`` (None without one, or with no item in it)."""
    state = model.start_state
    if state is None:
        return None
    groups = []
    for row, entry in enumerate(state.entries, start=1):
        where = f"start state · row {row}"
        if not isinstance(model.nodes.get(entry.stage), ReviewStage):
            raise ModelError(f"the backlog's stage {entry.stage!r} is not a review stage of the workflow", where=where,
                             hint="pick a review stage for the row, or remove the row")
        if entry.count <= 0:
            continue
        if entry.ages_h and len(entry.ages_h) != entry.count:
            raise ModelError(f"{len(entry.ages_h)} ages for {entry.count} items", where=f"{where} · ages_h",
                             hint="give one age per item, or a range")
        cls = classes.index(ItemClass(entry.category, entry.language, entry.priority))
        groups.append(BacklogGroup(index_of[entry.stage], cls, entry.count,
                                   tuple(age * HOUR_S for age in entry.ages_h),
                                   entry.age_min_h * HOUR_S, entry.age_max_h * HOUR_S))
    return StartStateSpec(tuple(groups)) if groups else None


class StartStateRuntime:
    """Puts the backlog in at time 0 and follows each backlog item until it begins review at its stage."""

    def __init__(self, run: Replication, spec: StartStateSpec) -> None:
        self.run = run
        self.spec = spec
        self.first = 0  # item numbers first..last are the backlog's (created together, before any other)
        self.origin: list[int] = []  # per backlog item: its stage's node index until it begins review there, then −1
        self.cls_of: list[int] = []
        self.created_of: list[float] = []
        self.count: dict[int, int] = {}
        self.cleared: dict[int, float] = {}
        self.reviewed: dict[int, float] = {}
        self.sla: dict[tuple[int, int], list[int]] = {}  # (stage, class) → [met, total]

    def begin(self) -> None:
        """Create the backlog's items and put them in their stages (see the module rules); called at time 0."""
        run = self.run
        items: list[tuple[float, int, int]] = []  # (created, position, stage)
        classes: list[int] = []
        for group in self.spec.groups:
            ages = group.ages_s
            if not ages:
                low, high = group.age_min_s, group.age_max_s
                if high > low:
                    uniform = run.stream(run.spec.nodes[group.stage].id, "start").random
                    ages = tuple(low + (high - low) * uniform() for _ in range(group.count))
                else:
                    ages = (low,) * group.count
            for age in ages:
                items.append((-age, len(items), group.stage))
                classes.append(group.cls)
            self.count[group.stage] = self.count.get(group.stage, 0) + group.count
        items.sort()  # oldest first; ties in the entries' order
        held = [(team, team.capacity) for team in run.teams if team.seats is None]
        for team, _ in held:
            team.capacity = 0  # queue everything first, then let the teams choose (see the module rules)
        for index in self.count:
            self._follow(run.nodes[index])
        self.first = run.created + 1
        counted = run.warmup <= 0.0
        now = run.env.now
        from simulations.engine import Item  # the engine composes this module

        for created, position, stage in items:
            run.created += 1
            run.in_system += 1
            item = Item(classes[position], created, counted, run.created)
            self.origin.append(stage)
            self.cls_of.append(item.cls)
            self.created_of.append(created)
            node = run.nodes[stage]
            if run.trace is not None:
                run.trace("arrive", now, item, node.spec.name, "")
            node.enter(item)
        for team, capacity in held:
            team.capacity = capacity
        for team, _ in held:
            dispatch(team, now)

    def _follow(self, stage: StageRuntime) -> None:
        """Wrap the stage's ``start`` (on this instance only) to see backlog items begin review there."""
        review = stage.start
        index = stage.spec.index
        origin = self.origin
        cleared, reviewed, sla = self.cleared, self.reviewed, self.sla
        limits = stage.spec.sla_by_class
        on_wait = stage.spec.sla_wait_by_class

        def start(item: Item, team: TeamRuntime, now: float, wait: float) -> None:
            review(item, team, now, wait)
            k = item.number - self.first
            if 0 <= k < len(origin) and origin[k] == index:
                origin[k] = -1
                cleared[index] = now
                done = now + item.service
                if done > reviewed.get(index, -math.inf):
                    reviewed[index] = done
                cls = item.cls
                if limits[cls] < math.inf:
                    timed = now if on_wait and on_wait[cls] else done - item.created
                    tally = sla.setdefault((index, cls), [0, 0])
                    tally[0] += timed <= limits[cls]
                    tally[1] += 1

        stage.start = start  # type: ignore[method-assign]

    def records(self, end: float) -> list[MetricRecord]:
        """The ``start_backlog`` records of the run ended at ``end`` (see the module rules)."""
        run = self.run
        records: list[MetricRecord] = []
        totals = [0, 0, 0]
        latest = [0.0, 0.0]
        for index, count in self.count.items():
            stage = run.nodes[index]
            s = stage.spec
            waiting = {item.number - self.first for queue in stage.queues for item in queue.live_items()
                       if 0 <= item.number - self.first < len(self.origin)
                       and self.origin[item.number - self.first] == index}
            unstarted = [k for k, place in enumerate(self.origin) if place == index]
            expired = [k for k in unstarted if k not in waiting]
            left = len(waiting)
            cleared = math.nan if left else self.cleared.get(index, 0.0) / HOUR_S
            done = self.reviewed.get(index, 0.0)
            reviewed = math.nan if left or done > end else done / HOUR_S
            for position, value in enumerate((count, left, len(expired))):
                totals[position] += value
            for position, value in enumerate((cleared, reviewed)):
                latest[position] = math.nan if math.isnan(value) else max(latest[position], value)  # NaN sticks
            records += [MetricRecord("start_backlog", s.id, s.name, metric, float(value)) for metric, value in (
                ("start_count", count), ("cleared_h", cleared), ("reviewed_h", reviewed),
                ("left_end_count", left), ("expired_count", len(expired)))]
            misses: dict[int, int] = {}  # per class: expired, or still waiting past the limit
            for k in unstarted:
                cls = self.cls_of[k]
                if k not in waiting or end - self.created_of[k] > s.sla_by_class[cls]:
                    misses[cls] = misses.get(cls, 0) + 1
            records += self._sla_records(stage, misses)
        records += [MetricRecord("start_backlog", "all", "Today's backlog", metric, float(value)) for metric, value in (
            ("start_count", totals[0]), ("cleared_h", latest[0]), ("reviewed_h", latest[1]),
            ("left_end_count", totals[1]), ("expired_count", totals[2]))]
        return records

    def _sla_records(self, stage: StageRuntime, misses: dict[int, int]) -> list[MetricRecord]:
        """Per SLA target of the stage with backlog items of its priority: their attainment."""
        s = stage.spec
        classes = self.run.spec.item_classes
        present = {group.cls for group in self.spec.groups if group.stage == s.index}
        records: list[MetricRecord] = []
        for priority, within_s, _target in s.sla_targets:
            members = [c for c in present if classes[c].priority == priority]
            if not members:
                continue
            met = sum(self.sla.get((s.index, c), [0, 0])[0] for c in members)
            total = sum(self.sla.get((s.index, c), [0, 0])[1] + misses.get(c, 0) for c in members)
            records += [MetricRecord("start_backlog", f"{s.id}:{priority}", f"{s.name} · {priority}", metric,
                                     float(value))
                        for metric, value in (("sla_attainment_share", met / total if total else math.nan),
                                              ("sla_items_count", total), ("sla_within_s", within_s))]
        return records
