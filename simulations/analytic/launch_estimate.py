"""A launch plan's estimate in a blink: hour by hour over the whole run, a fluid backlog per review stage, daily
SLA attainment, the backlog's peak and the time to recover — from the compiled run, so it sees exactly the plan
the engine runs (timed, ramped and scoped changes, backfills, training).

Rules (an approximation of the engine, stated so it can be checked against it):
- Hours are the run's hours from its start. Each hour uses what is in force at its start: the sources' mixes,
  stage handle times and node routing after the plan's steps up to then; arrivals are the rate table's exact
  expected count in the hour; a backfill adds its items evenly over its spread (all in its first hour when it
  has none; the items of a spread that began before the run enter in its first hour, as the engine injects them
  at its start).
- Flow: per item class, the visits to every node follow from the routing of the hour by the traffic equations
  (v = e (I − P)⁻¹), with no travel time — work reaches every stage in the hour it entered the workflow. With
  decision quality, per class and truth: a source's items split by the prevalence in force, branches split by
  truth take their share for that truth, and a stage deciding by accuracy sends remove and keep the mean
  P(remove | truth) of the teams that can review the class (QA copies' load is left out).
- Capacity: each team's available reviewer-hours in the hour (its compiled capacity timeline, so rosters,
  shrinkage, timed headcounts and training count). Teams with fewer stages give first; each gives its hours to
  its stages in its own order, up to each stage's work of the hour plus its backlog. Backlog (reviewer-hours of
  work) ← max(0, backlog + work − given), shown as items by the hour's mean handle time. At a stage with the
  ``priority`` discipline the hours go to the work of the highest rank first, so each rank has its own backlog;
  other disciplines are one first-come queue.
- Waits: in an hour that ends with no backlog ahead of the item, the M/M/c wait on the stage's reviewers c
  (what its teams gave it plus what they had left, rounded): P(wait > t) = C·e^{−t/m}, with C Erlang C's
  P(all busy) at the stage's whole load and m Cobham's conditional mean 1 / (cμ (1 − σ₋)(1 − σ₊)) — σ₋ and σ₊
  the loads of the higher ranks and of its own rank and higher over c (one rank at a first-come stage, where
  this is Erlang C's own e^{−(cμ − λ)t}); otherwise the fluid delay — an arrival at mid-hour waits
  until the stage's reviewers have worked off the backlog ahead of it (at a priority stage, that of its own
  and higher ranks). At an ``earliest_deadline`` stage the work is served in deadline order instead: the share
  of an hour's items done by their due instant x is the part of their work that the stage's cumulative reviewed
  work by x covers beyond the work due before them (and at most the stable-hour figure). An item meets its
  target when that wait
  (plus the mean handle time on the decision clock; upstream time is left out) is within the limit.
- Daily attainment, peak backlog and recovery follow the engine's definitions (:mod:`simulations.launch_metrics`):
  items are counted on their due day (arrival + limit), the peak is at hour ends from the launch on, and the
  recovery rule is the same function.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from flowmodel.erlang import erlang_c
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Scenario
from flowmodel.workflow import Workflow
from simulations.launch_metrics import recovery_measures
from simulations.quality_spec import AccuracyTable
from simulations.spec import Decide, RunSpec, StageSpec, compile_run

HOUR_S = 3600.0


@dataclass(frozen=True)
class TargetEstimate:
    stage_id: str
    stage_name: str
    priority: str
    target_share: float
    daily_share: tuple[float, ...]  # per run day (NaN: nothing due)
    recovery_h: float               # NaN: not back in SLA within the run
    days_below_target: int


@dataclass(frozen=True)
class StageEstimate:
    stage_id: str
    stage_name: str
    backlog_items: tuple[float, ...]  # at the end of each hour
    peak_items: float                 # from the launch on
    peak_after_launch_h: float


@dataclass(frozen=True)
class LaunchEstimate:
    launch_h: float
    stages: tuple[StageEstimate, ...]
    targets: tuple[TargetEstimate, ...]

    def target(self, stage_name_or_id: str, priority: str) -> TargetEstimate:
        return next(t for t in self.targets if priority == t.priority and stage_name_or_id in (t.stage_id,
                                                                                               t.stage_name))

    def stage(self, stage_name_or_id: str) -> StageEstimate:
        return next(s for s in self.stages if stage_name_or_id in (s.stage_id, s.stage_name))


def estimate_launch(workflow: Workflow, scenario: Scenario, settings: RunSettings | None = None) -> LaunchEstimate:
    """The estimate of ``scenario`` (a launch plan) on ``workflow``; raises what :func:`compile_run` raises."""
    spec = compile_run(workflow, scenario, settings if settings is not None else workflow.run_settings)
    return estimate_spec(spec)


class _State:
    """What is in force at the start of an hour: mixes, handle means per class, routing per node."""

    def __init__(self, spec: RunSpec) -> None:
        self.spec = spec
        self.mix = {n.index: (n.mix_classes, n.mix_cumulative) for n in spec.nodes if n.kind == "source"}
        self.handle = {n.index: [n.handle[i].mean_s for i in n.handle_by_class] for n in spec.nodes
                       if n.kind == "review_stage"}
        self.routing = {n.index: n.routing for n in spec.nodes if n.kind != "outcome"}
        quality = spec.quality
        #: decision quality: per source its prevalence per class, per deciding stage its accuracy table, in force
        self.prevalence = {t.source: t.prevalence for t in quality.truth} if quality is not None else {}
        self.accuracy = dict(quality.accuracy) if quality is not None else {}
        self.steps = list(spec.launch_plan.steps) if spec.launch_plan is not None else []
        self.next = 0
        self.version = 0

    def advance(self, t: float) -> None:
        while self.next < len(self.steps) and self.steps[self.next].at_s <= t + 1e-9:
            step = self.steps[self.next]
            if step.kind == "mix":
                self.mix[step.node] = step.payload
            elif step.kind == "handle":
                self.handle[step.node] = [s.mean_s for s in step.payload]
            elif step.kind == "route":
                self.routing[step.node] = step.payload
                self.version += 1
            elif step.kind == "accuracy":
                self.accuracy[step.node] = step.payload
                self.version += 1
            elif step.kind == "truth":
                self.prevalence[step.node] = step.payload[0]
            self.next += 1

    def truth_shares(self, node: int, cls: int) -> tuple[tuple[int, float], ...]:
        """(truth, share) of a source's items of class ``cls``: (0, 1) without decision quality."""
        prevalence = self.prevalence.get(node)
        if prevalence is None or self.spec.quality is None:
            return ((0, 1.0),)
        return ((0, 1.0 - prevalence[cls]), (1, prevalence[cls]))


def _visits_matrix(spec: RunSpec, state: _State, cls: int, truth: int = 0) -> np.ndarray:
    """(I − P)⁻¹ for class ``cls`` (and ``truth``, with decision quality: routing by truth, a deciding stage's
    remove/keep by the mean accuracy of the teams that can review the class) under the hour's routing: row i =
    visits to every node per item entering i."""
    n = len(spec.nodes)
    transitions = np.zeros((n, n))
    for index, routing in state.routing.items():
        if routing.decide is not None:
            _decide_row(transitions[index], spec.nodes[index], routing.decide, state.accuracy[index], cls, truth)
            continue
        by_class = routing.by_truth[truth] if routing.by_truth is not None else routing.by_class
        if not routing.tables:
            continue  # a QA stage: its copies end after review
        targets, cumulative = routing.tables[by_class[cls]]
        previous = 0.0
        for target, edge in zip(targets, cumulative, strict=True):
            transitions[index, target] += edge - previous
            previous = edge
    return np.linalg.inv(np.eye(n) - transitions)


def _decide_row(row: np.ndarray, stage: StageSpec, decide: Decide, table: AccuracyTable, cls: int,
                truth: int) -> None:
    previous = 0.0
    for target, edge in zip(decide.targets, decide.cumulative, strict=True):
        row[target] += edge - previous
        previous = edge
    teams = stage.group_teams[stage.group_by_class[cls]] or tuple(range(len(table)))
    remove = sum(table[t][cls][0 if truth else 1] for t in teams) / len(teams) if teams else 1.0
    rest = 1.0 - previous
    row[decide.remove] += rest * remove
    row[decide.keep] += rest * (1.0 - remove)


def estimate_spec(spec: RunSpec) -> LaunchEstimate:
    """The estimate of a compiled run (see the module rules)."""
    hours = math.ceil(spec.horizon_s / HOUR_S - 1e-9)
    classes = len(spec.item_classes)
    stages: list[StageSpec] = [n for n in spec.nodes if n.kind == "review_stage"]  # type: ignore[misc]
    state = _State(spec)
    cache: dict[tuple[int, int, int], np.ndarray] = {}
    ranks = [_ranks(stage) for stage in stages]
    depth = max((max(r) + 1 for r in ranks), default=1)
    work = np.zeros((len(stages), depth, hours))   # reviewer-hours arriving, per rank
    arrivals = np.zeros((len(stages), classes, hours))
    handle_by_hour = np.zeros((len(stages), classes, hours))  # mean handle time (hours) in force
    entries = _backfill_entries(spec, hours)
    for h in range(hours):
        state.advance(h * HOUR_S)
        inflow = np.zeros((2, classes, len(spec.nodes)))  # per truth (benign, violating) and class
        for node in spec.nodes:
            if node.kind != "source":
                continue
            count = node.rates.expected_count(h * HOUR_S, (h + 1) * HOUR_S)
            mix_classes, cumulative = state.mix[node.index]
            previous = 0.0
            for cls, edge in zip(mix_classes, cumulative, strict=True):
                for truth, share in state.truth_shares(node.index, cls):
                    inflow[truth, cls, node.index] += count * (edge - previous) * share
                previous = edge
        for (node_index, cls), per_hour in entries.items():
            inflow[0, cls, node_index] += per_hour[h]
        for s, stage in enumerate(stages):
            handle_by_hour[s, :, h] = np.array(state.handle[stage.index]) / HOUR_S
        for truth, cls in itertools.product((0, 1), range(classes)):
            if not inflow[truth, cls].any():
                continue
            key = (state.version, cls, truth)
            if key not in cache:
                cache[key] = _visits_matrix(spec, state, cls, truth)
            visits = inflow[truth, cls] @ cache[key]
            for s, stage in enumerate(stages):
                arrivals[s, cls, h] += visits[stage.index]
                work[s, ranks[s][cls], h] += visits[stage.index] * state.handle[stage.index][cls] / HOUR_S
    given, offered, backlog = _allocate(spec, stages, work, hours)
    state_handle = handle_by_hour
    launch_h = (spec.launch_s or 0.0) / HOUR_S
    stage_out, target_out = [], []
    for s, stage in enumerate(stages):
        mean_handle_h = _mean_handle_h(arrivals[s], work[s].sum(axis=0))
        total = backlog[s].sum(axis=0)
        items = tuple(float(b / m) if m > 0 else 0.0 for b, m in zip(total, mean_handle_h, strict=True))
        after = [(items[h], h + 1 - launch_h) for h in range(hours) if h + 1 >= launch_h - 1e-9]
        peak, at = max(after, key=lambda pair: (pair[0], -pair[1])) if after else (math.nan, math.nan)
        stage_out.append(StageEstimate(stage.id, stage.name, items, peak, at))
        for position, (priority, within_s, target) in enumerate(stage.sla_targets):
            members = [c for c, item_class in enumerate(spec.item_classes) if item_class.priority == priority]
            on_wait = bool(stage.sla_clocks) and stage.sla_clocks[position] == "wait"
            rank = max((ranks[s][c] for c in members), default=0)
            ahead = slice(0, rank + 1)
            loads = (work[s].sum(axis=0), work[s, :rank].sum(axis=0), work[s, ahead].sum(axis=0))
            shares = _daily_shares(arrivals[s], members, loads, given[s, ahead].sum(axis=0), offered[s],
                                   backlog[s, ahead].sum(axis=0), mean_handle_h, within_s / HOUR_S, on_wait, hours,
                                   _deadline_order(stage, arrivals[s], state_handle[s], given[s].sum(axis=0),
                                                   within_s / HOUR_S, priority, hours,
                                                   [c.priority for c in spec.item_classes]))
            recovery, _, below = recovery_measures(shares, target, max(0, int(launch_h // 24)), launch_h,
                                                   spec.recovery_days)
            target_out.append(TargetEstimate(stage.id, stage.name, priority, target, shares, recovery[1],
                                             int(below[1])))
    return LaunchEstimate(launch_h, tuple(stage_out), tuple(target_out))


def _backfill_entries(spec: RunSpec, hours: int) -> dict[tuple[int, int], np.ndarray]:
    """Per (node, class): backfill items entering in each hour."""
    entries: dict[tuple[int, int], np.ndarray] = {}
    plan = spec.launch_plan
    for backfill in plan.backfills if plan is not None else ():
        per_hour = np.zeros(hours)
        start = max(0.0, backfill.start_s)
        if start >= spec.horizon_s:
            continue
        if backfill.spread_s <= 0:
            per_hour[int(start // HOUR_S)] += backfill.items
        else:
            rate = backfill.items / backfill.spread_s
            per_hour[0] += rate * max(0.0, min(0.0, backfill.start_s + backfill.spread_s) - backfill.start_s)
            end = min(backfill.start_s + backfill.spread_s, spec.horizon_s)
            for h in range(int(start // HOUR_S), min(hours, math.ceil(end / HOUR_S))):
                per_hour[h] += rate * max(0.0, min(end, (h + 1) * HOUR_S) - max(start, h * HOUR_S))
        previous = 0.0
        for cls, edge in zip(backfill.classes, backfill.cumulative, strict=True):
            key = (backfill.node, cls)
            entries[key] = entries.get(key, np.zeros(hours)) + per_hour * (edge - previous)
            previous = edge
    return entries


def _ranks(stage: StageSpec) -> list[int]:
    """Per class: its rank in the stage's queue (all 0 unless the stage serves by priority)."""
    if stage.discipline != "priority":
        return [0] * len(stage.rank_by_class)
    return list(stage.rank_by_class)


def _allocate(spec: RunSpec, stages: list[StageSpec], work: np.ndarray, hours: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per stage (and rank) and hour: reviewer-hours given, reviewers offered (given + the teams' leftover) and
    the backlog (reviewer-hours of work) at the hour's end."""
    position = {stage.index: s for s, stage in enumerate(stages)}
    teams = sorted(spec.teams, key=lambda t: (len(t.stages), t.index))
    depth = work.shape[1]
    given = np.zeros((len(stages), depth, hours))
    offered = np.zeros((len(stages), hours))
    backlog = np.zeros((len(stages), depth, hours))
    carried = np.zeros((len(stages), depth))
    for h in range(hours):
        demand = carried + work[:, :, h]
        for team in teams:
            timeline = team.timeline
            left = timeline.integral(timeline.available, h * HOUR_S, (h + 1) * HOUR_S) / HOUR_S
            mine = [position[i] for i in team.stages if i in position]
            for s in mine:
                for r in range(depth):
                    share = min(left, max(0.0, demand[s, r] - given[s, r, h]))
                    given[s, r, h] += share
                    left -= share
            for s in mine:
                offered[s, h] += left
        offered[:, h] += given[:, :, h].sum(axis=1)
        carried = np.maximum(0.0, demand - given[:, :, h])
        backlog[:, :, h] = carried
    return given, offered, backlog


def _mean_handle_h(arrivals: np.ndarray, work: np.ndarray) -> np.ndarray:
    """Mean handle time (hours) per hour; an hour without arrivals keeps the last known one."""
    counts = arrivals.sum(axis=0)
    out = np.zeros(len(work))
    last = 0.0
    for h, (count, load) in enumerate(zip(counts, work, strict=True)):
        if count > 0:
            last = load / count
        out[h] = last
    if out.any():
        first = next(v for v in out if v > 0)
        out[out == 0] = first
    return out


def _on_time(servers: int, loads: tuple[float, float, float], handle_h: float, limit_h: float) -> float:
    """P(wait ≤ limit) in a stable hour (see the module rules); ``loads`` = (whole, higher ranks, own and higher)."""
    whole, higher, ahead = loads
    if servers <= 0 or handle_h <= 0:
        return 0.0
    below, within = higher / servers, ahead / servers
    if within >= 1.0 or whole >= servers:
        # the hour's work was done within it (no backlog at its end): a wait of under an hour
        return 1.0 if limit_h >= 1.0 else 0.0
    busy = erlang_c(servers, whole)
    mean = handle_h / (servers * (1.0 - below) * (1.0 - within))
    return 1.0 - busy * math.exp(-limit_h / mean)


def _deadline_order(stage: StageSpec, arrivals: np.ndarray, handle: np.ndarray, served: np.ndarray,
                    within_h: float, priority: str, hours: int, priorities: list[str]) -> np.ndarray | None:
    """At an earliest-deadline stage: per arrival hour of the target's items, the fluid share of them done by their
    due instant (see the module rules); None at other stages."""
    if stage.discipline != "earliest_deadline":
        return None
    limits = {p: limit / HOUR_S for p, limit, _ in stage.sla_targets}
    work = arrivals * handle  # per class and hour, reviewer-hours
    due: list[tuple[float, float, bool]] = []  # (due hour, work, of this target)
    for cls, item_class in enumerate(priorities):
        limit = limits.get(item_class, math.inf)
        for h in range(hours):
            if work[cls, h] > 0 and math.isfinite(limit):
                due.append((h + 0.5 + limit, float(work[cls, h]), item_class == priority))
    due.sort(key=lambda entry: entry[0])
    reviewed = np.concatenate(([0.0], np.cumsum(served)))
    shares = np.ones(hours)
    before = 0.0
    mine: dict[int, list[float]] = {}
    for at, amount, own in due:
        if own:
            whole = math.floor(at) if at < hours else hours
            done = reviewed[whole] + (served[whole] * (at - whole) if whole < hours else 0.0)
            covered = min(1.0, max(0.0, (done - before) / amount))
            hour = int(at - 0.5 - within_h + 1e-9)
            mine.setdefault(hour, [0.0, 0.0])
            mine[hour][0] += covered * amount
            mine[hour][1] += amount
        before += amount
    for hour, (covered, amount) in mine.items():
        if 0 <= hour < hours and amount > 0:
            shares[hour] = covered / amount
    return shares


def _daily_shares(arrivals: np.ndarray, members: list[int], loads: tuple[np.ndarray, np.ndarray, np.ndarray],
                  given: np.ndarray, offered: np.ndarray, backlog: np.ndarray, handle_h: np.ndarray, within_h: float,
                  on_wait: bool, hours: int, deadline_share: np.ndarray | None = None) -> tuple[float, ...]:
    """Per due day: the estimated share on time of the target's items; ``given`` and ``backlog`` are those of the
    queue ahead of them (their rank and above), ``loads`` the stage's (whole, higher ranks, own and higher)."""
    whole, higher, ahead_load = loads
    days = int(hours // 24)
    met = np.zeros(days + 2)
    due = np.zeros(days + 2)
    for h in range(hours):
        count = float(arrivals[members, h].sum())
        if count <= 0:
            continue
        limit = within_h if on_wait else within_h - handle_h[h]
        start_backlog = backlog[h - 1] if h > 0 else 0.0
        reviewers = offered[h]
        if deadline_share is not None:
            stable = _on_time(round(reviewers), (whole[h], higher[h], ahead_load[h]), handle_h[h], limit) \
                if limit >= 0 else 0.0
            share = min(float(deadline_share[h]), stable) if backlog[h] <= 1e-9 else float(deadline_share[h])
        elif backlog[h] > 1e-9 or start_backlog > 1e-9:
            ahead = max(0.0, start_backlog + 0.5 * (ahead_load[h] - given[h]))
            wait = ahead / reviewers if reviewers > 0 else math.inf
            share = 1.0 if wait <= limit else 0.0
        elif limit < 0:
            share = 0.0
        else:
            share = _on_time(round(reviewers), (whole[h], higher[h], ahead_load[h]), handle_h[h],
                             limit)
        day = int((h + 0.5 + within_h) // 24)
        if day < len(due):
            met[day] += share * count
            due[day] += count
    return tuple(float(met[d] / due[d]) if due[d] > 0 else math.nan for d in range(days))
