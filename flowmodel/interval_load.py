"""Estimates by interval: offered load against rostered reviewers hour by hour through the week.

A weekly average hides the night shift nobody works and the Monday-morning peak; this estimate looks at each
of the 168 hours from the horizon start (:mod:`flowmodel.interval_grid`) and carries what an hour cannot
review into the next. Rules:

- Load per stage and hour: the traffic equations (:func:`flowmodel.traffic.class_rates_by_source`) are
  linear in the sources' arrivals, so each source's share of every stage is scaled by that source's profile
  in that hour (its own time zone) and, in the reported week, by its surges. Travel time through the
  workflow is ignored: work reaches every stage in the hour it arrived. Load is in erlangs (reviewers busy).
- Capacity per hour: each team's available reviewers on shift (roster, shrinkage, its time zone). A team
  gives its reviewers to the stages it lists, in its own priority order, up to each stage's work of the hour
  plus its backlog; teams with fewer stages give first (the specialists), so a generalist's time goes where
  nobody else can help. The engine's reviewers choose dynamically; this is a work-conserving approximation
  of it. A team counts for a stage only if it can review some item class arriving there (skills).
- Backlog, a fluid approximation: per stage, backlog_work ← max(0, backlog_work + (load − capacity)·1 h),
  in reviewer-hours of work, shown as items (÷ mean handle time). Items that expire leave the backlog: it
  never holds more than the work that arrived within the stage's mean time to expiry.
- The week is repeated from an empty backlog until the backlog carried from Sunday into Monday repeats
  (to 1e-6 reviewer-hours). If after ``MAX_WEEKS`` it still grows, the stage is ``unbounded``: its backlog
  grows by ``growth_per_week`` items a week for as long as the load lasts. A pool whose week of work is at
  least its week of reviewer-hours (``offered_share`` ≥ 1) is unbounded too, even when the fluid backlog
  balances exactly: at a load equal to capacity a random queue still grows without bound. The reported week
  is the repeating one (surges of the first week of the horizon are then added on top of it, from its
  carried backlog).
- Waits: in an hour without backlog the wait is Erlang C of the teams that work the stage: all the work they
  do in that hour (this stage's and what they give other stages) on all their reviewers, rounded down —
  so a specialist team that also helps Tier 1 is as busy for its own stage as it really is; Erlang A with
  patience = mean time to expiry for a stage with expiry whose teams work no other stage, when that time is
  under ``ERLANG_A_PATIENCE`` mean handle times — a longer one hardly changes an hour and is left to the
  backlog's expiry rule). In an hour with backlog the wait is the fluid
  delay: first-in first-out, an arrival waits until the capacity after it has reviewed the backlog ahead of
  it (linear across the hour). An hour's Erlang wait is capped at ``MAX_HOUR_WAIT_H``: near saturation the
  stationary queue takes far longer than an hour to build (relaxation time about s ÷ (1 − ρ)²), so the
  stationary figure would overstate one busy hour; a queue that really builds shows as fluid backlog.
- SLA attainment per target: the arrival-weighted share of the week's items of that priority whose wait
  (clock "wait") or wait + mean handle time (clock "decision") is within the limit: Erlang C's
  1 − C·e^{−(c − a)t/s} in hours without backlog, the fluid delay against the limit in hours with backlog.
  Time spent before the stage (upstream waits, delays) is left out, so for a decision clock on a later
  stage the estimate is optimistic; all priorities share one queue.
- Utilisation: the pool's load ÷ its available reviewers per hour (the busiest hour is its maximum over hours
  with reviewers); over the week, work reviewed ÷ reviewer-hours available.
- Uncovered hours: hours in which items arrive at the stage that no team on shift can review (no team that
  lists the stage, has a reviewer available in the hour and the skills for the item's language and category).

Everything is a pure function of the workflow and its run settings; nothing is cached but time-zone tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from flowmodel.distributions import to_seconds
from flowmodel.erlang import erlang_a
from flowmodel.interval_grid import HOURS, horizon_start, source_multipliers, surge_factors, team_available
from flowmodel.nodes import ReviewStage, SlaTarget, Source
from flowmodel.traffic import SECONDS_PER_HOUR, class_rates_by_source, classes_reaching, staffing_pools
from flowmodel.workflow import Workflow

#: Erlang A is used where the mean time to expiry is below this many mean handle times; beyond, expiry
#: hardly changes a stable hour (and the chain would be long), so Erlang C is used.
ERLANG_A_PATIENCE = 50.0
#: The longest Erlang C/A mean wait one stable hour is given (hours).
MAX_HOUR_WAIT_H = 0.5
#: Weeks repeated before a still-growing backlog is called unbounded.
MAX_WEEKS = 30
TOLERANCE = 1e-6


@dataclass(frozen=True)
class StageInterval:
    """The interval estimate of one review stage (hours are horizon hours 0…167)."""

    stage_id: str
    pool_stage_ids: tuple[str, ...]
    arrivals_per_hour: float              # mean over the reported week
    mean_handle_s: float
    load: tuple[float, ...]               # erlangs per hour (reported week)
    reviewers: tuple[float, ...]          # available reviewers of the teams that can work it, per hour
    reviewed: tuple[float, ...]           # reviewer-hours of its work done in each hour
    backlog_items: tuple[float, ...]      # fluid backlog at the end of each hour
    pool_utilisation: tuple[float, ...]   # pool load ÷ pool reviewers per hour (inf with work and nobody)
    busiest_hour: int
    busiest_utilisation: float
    overloaded_hours: tuple[int, ...]     # pool load ≥ pool reviewers (> 0)
    uncovered_hours: tuple[int, ...]
    peak_backlog: float
    peak_backlog_hour: int
    end_backlog: float                    # carried from Sunday into Monday
    clears_hour: int | None               # first hour after the peak at whose end no backlog is left (None: none)
    mean_wait_s: float
    longest_wait_s: float                 # the longest hourly mean wait of the week (an arrival at the worst hour)
    sla: dict[str, float]                 # priority → share within the target
    utilisation: float                    # the pool's, over the week
    offered_share: float                  # the pool's week of work ÷ its week of reviewer-hours (surges left out)
    unbounded: bool
    growth_per_week: float                # items, when unbounded


@dataclass(frozen=True)
class _Stage:
    stage: ReviewStage
    load: np.ndarray           # erlangs per hour, surges of the first week included
    calm_load: np.ndarray      # the same without surges (the week that repeats)
    arrivals: np.ndarray       # items per hour
    by_priority: dict[str, np.ndarray]
    uncovered: np.ndarray      # bool per hour
    expiry_h: float


def _stage_inputs(workflow: Workflow, start, available: dict[str, np.ndarray]) -> dict[str, _Stage]:
    by_source = class_rates_by_source(workflow)
    sources = {n.id: n for n in workflow.nodes.values() if isinstance(n, Source)}
    calm = {sid: source_multipliers(s, start) for sid, s in sources.items()}
    surged = {sid: calm[sid] * surge_factors(s) for sid, s in sources.items()}
    out: dict[str, _Stage] = {}
    for node in workflow.nodes.values():
        if not isinstance(node, ReviewStage):
            continue
        load, calm_load, arrivals = np.zeros(HOURS), np.zeros(HOURS), np.zeros(HOURS)
        by_priority: dict[str, np.ndarray] = {}
        by_class: dict = {}
        for source_id, rates in by_source.items():
            for item_class, rate in rates.get(node.id, {}).items():
                shape = surged[source_id] * rate
                handle = node.handle_time_by_category.get(item_class.category, node.handle_time).mean_seconds()
                arrivals += shape
                load += shape * handle / SECONDS_PER_HOUR
                calm_load += calm[source_id] * rate * handle / SECONDS_PER_HOUR
                by_priority[item_class.priority] = by_priority.get(item_class.priority, 0.0) + shape
                by_class[item_class] = by_class.get(item_class, 0.0) + shape
        uncovered = np.zeros(HOURS, dtype=bool)
        teams = workflow.teams_for_stage(node.id)
        for item_class, shape in by_class.items():
            able = [available[t.id] for t in teams if t.can_review(item_class.language, item_class.category)]
            on_shift = np.sum(able, axis=0) > 0 if able else np.zeros(HOURS, dtype=bool)
            uncovered |= (shape > 0) & ~on_shift
        expiry_h = node.expiry.mean_seconds() / SECONDS_PER_HOUR if node.expiry is not None else math.inf
        out[node.id] = _Stage(node, load, calm_load, arrivals, by_priority, uncovered, expiry_h)
    return out


#: Per team (in giving order), per stage: reviewer-hours given in each hour of the week.
Given = list[dict[str, list[float]]]


def _week(stages: dict[str, _Stage], givers: list[tuple[np.ndarray, list[str]]], carried: dict[str, float],
          surges: bool) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], Given]:
    """One week of the fluid model from ``carried`` backlog work: (reviewed, backlog at hour end) per stage and
    what each team gave each stage."""
    backlog = dict(carried)
    reviewed = {s: np.zeros(HOURS) for s in stages}
    given: Given = [{s: [0.0] * HOURS for s in order} for _, order in givers]
    ends = {s: np.zeros(HOURS) for s in stages}
    loads = {s: (st.load if surges else st.calm_load).tolist() for s, st in stages.items()}
    spare_of = [reviewers.tolist() for reviewers, _ in givers]
    window = {s: st.expiry_h for s, st in stages.items()}
    for k in range(HOURS):
        demand = {s: backlog[s] + loads[s][k] for s in stages}
        for (_, order), reviewers, gifts in zip(givers, spare_of, given, strict=True):
            spare = reviewers[k]
            for s in order:
                if spare <= 0:
                    break
                take = min(spare, demand[s])
                demand[s] -= take
                reviewed[s][k] += take
                gifts[s][k] = take
                spare -= take
        for s in stages:
            left = demand[s]
            if math.isfinite(window[s]):
                hours = max(1, math.ceil(window[s]))
                recent = sum(loads[s][(k - i) % HOURS] for i in range(min(hours, HOURS)))
                left = min(left, recent * window[s] / hours)
            backlog[s] = max(left, 0.0)
            ends[s][k] = backlog[s]
    return reviewed, ends, given


def _fluid_delays(reviewed: np.ndarray, ahead: np.ndarray, offset: int) -> np.ndarray:
    """Hours until the stage's reviewing from hour ``k + offset`` onwards covers ``ahead[k]`` and then starts on
    the arrival itself (so an arrival with nothing ahead in an hour nobody works waits for the next review); the
    periodic week is repeated three times, inf beyond."""
    cumulative = np.concatenate([[0.0], np.cumsum(np.tile(reviewed, 3))])
    hours = np.arange(HOURS) + offset
    goal = cumulative[hours] + np.maximum(ahead, 0.0) + 1e-9
    index = np.searchsorted(cumulative, goal, side="left")
    delays = np.full(HOURS, math.inf)
    ok = index < len(cumulative)
    i = index[ok]
    step = cumulative[i] - cumulative[i - 1]
    fraction = np.where(step > 0, (goal[ok] - cumulative[i - 1]) / np.where(step > 0, step, 1.0), 1.0)
    delays[ok] = np.maximum((i - 1 + fraction) - hours[ok], 0.0)
    return delays


def _erlang_hours(load: np.ndarray, arrivals: np.ndarray, reviewers: np.ndarray, patience_h: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per hour: P(wait), decay rate γ per hour, mean wait in hours (inf where not stable). Erlang C is the
    B recursion of :func:`flowmodel.erlang.erlang_c`, run for all hours at once."""
    p_wait, gamma, wait = np.ones(HOURS), np.zeros(HOURS), np.full(HOURS, math.inf)
    servers = np.floor(reviewers + 1e-9)
    idle = load <= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        handle_h = np.where(idle, 1.0, load / np.where(arrivals > 0, arrivals, 1.0))
    patient = patience_h < ERLANG_A_PATIENCE * handle_h
    stable = ~idle & (servers >= 1) & (load < servers) & ~patient
    if stable.any():
        a, c = load[stable], servers[stable]
        b = np.ones_like(a)
        for k in range(1, int(c.max()) + 1):
            b = np.where(k <= c, a * b / (k + a * b), b)
        with np.errstate(over="ignore"):  # handle times near 0 s at the limits: an infinite rate is right
            p_wait[stable] = c * b / (c - a * (1.0 - b))
            gamma[stable] = (c - a) / handle_h[stable]
            wait[stable] = p_wait[stable] * handle_h[stable] / (c - a)
    for k in np.nonzero(~idle & (servers >= 1) & patient)[0]:
        queue = erlang_a(float(arrivals[k]), float(handle_h[k]), int(servers[k]), patience_h)
        p_wait[k], wait[k] = queue.p_wait, queue.mean_wait
        gamma[k] = max((servers[k] - load[k]) / handle_h[k], 1.0 / patience_h)
    p_wait[idle], gamma[idle], wait[idle] = 0.0, math.inf, 0.0
    return p_wait, gamma, np.where(np.isfinite(wait), np.minimum(wait, MAX_HOUR_WAIT_H), math.inf)


def interval_estimates(workflow: Workflow) -> dict[str, StageInterval]:
    """Per review stage id: the interval estimate (rules in the module docstring).

    Raises :class:`flowmodel.errors.ModelError` for a model whose traffic equations, profiles, time zones or
    start date cannot be used (validation reports each of those first).
    """
    start = horizon_start(workflow.run_settings)
    available = {t.id: team_available(t, start) for t in workflow.teams.values()}
    stages = _stage_inputs(workflow, start, available)
    givers = _givers(workflow, stages, available)
    carried = {s: 0.0 for s in stages}
    growing: dict[str, float] = {}
    for _ in range(MAX_WEEKS):
        reviewed, ends, _ = _week(stages, givers, carried, surges=False)
        after = {s: float(ends[s][-1]) for s in stages}
        growing = {s: after[s] - carried[s] for s in stages if after[s] - carried[s] > TOLERANCE}
        carried = after
        if not growing:
            break
    reviewed, ends, given = _week(stages, givers, carried, surges=True)
    erlang = {s: _stage_erlang(s, stages, givers, given) for s in stages}
    return _results(workflow, stages, available, reviewed, ends, carried, growing, erlang)


def _stage_erlang(stage_id: str, stages: dict[str, _Stage], givers: list[tuple[np.ndarray, list[str]]],
                  given: Given) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Erlang C (or A) per hour for a stage: all the work of the teams that work it, on all their reviewers."""
    mine = [g for g, (_, order) in enumerate(givers) if stage_id in order]
    reviewers, work, arrivals = np.zeros(HOURS), np.zeros(HOURS), np.zeros(HOURS)
    for g in mine:
        reviewers += givers[g][0]
        for other, hours in given[g].items():
            handle_h = _mean_handle_h(stages[other])
            work += np.array(hours)
            arrivals += np.array(hours) / handle_h
    alone = all(givers[g][1] == [stage_id] for g in mine)
    return _erlang_hours(work, arrivals, reviewers, stages[stage_id].expiry_h if alone else math.inf)


def _mean_handle_h(st: _Stage) -> float:
    total = float(st.arrivals.sum())
    return float(st.load.sum()) / total if total > 0 else st.stage.handle_time.mean_seconds() / SECONDS_PER_HOUR


def _givers(workflow: Workflow, stages: dict[str, _Stage], available: dict[str, np.ndarray]
            ) -> list[tuple[np.ndarray, list[str]]]:
    """Teams as (available reviewers per hour, the stages they can work in priority order), fewest stages first."""
    reaching = classes_reaching(workflow)
    givers: list[tuple[int, np.ndarray, list[str]]] = []
    for position, team in enumerate(workflow.teams.values()):
        order = [s for s in team.stages if s in stages and (not reaching.get(s) or any(
            team.can_review(c.language, c.category) for c in reaching[s]))]
        if order:
            givers.append((len(order) * 1000 + position, available[team.id], order))
    givers.sort(key=lambda g: g[0])
    return [(reviewers, order) for _, reviewers, order in givers]


def _results(workflow: Workflow, stages: dict[str, _Stage], available: dict[str, np.ndarray],
             reviewed: dict[str, np.ndarray], ends: dict[str, np.ndarray], carried: dict[str, float],
             growing: dict[str, float], erlang: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
             ) -> dict[str, StageInterval]:
    out: dict[str, StageInterval] = {}
    for pool in staffing_pools(workflow, {s: 0.0 for s in stages}):
        ids = [s for s in pool.stage_ids if s in stages]
        pool_load = np.sum([stages[s].load for s in ids], axis=0)
        pool_reviewers = np.sum([available[t] for t in pool.team_ids], axis=0) if pool.team_ids else np.zeros(HOURS)
        with np.errstate(divide="ignore", invalid="ignore"):
            use = np.where(pool_reviewers > 0, pool_load / np.where(pool_reviewers > 0, pool_reviewers, 1.0),
                           np.where(pool_load > 0, math.inf, 0.0))
        staffed = pool_reviewers > 0
        busiest = int(np.argmax(np.where(staffed, use, -1.0))) if staffed.any() else 0
        overloaded = tuple(int(k) for k in np.nonzero(staffed & (pool_load >= pool_reviewers) & (pool_load > 0))[0])
        total_reviewers = float(pool_reviewers.sum())
        week_use = float(sum(reviewed[s].sum() for s in ids)) / total_reviewers if total_reviewers > 0 else (
            math.inf if pool_load.sum() > 0 else 0.0)
        calm_work = float(np.sum([stages[s].calm_load for s in ids]))
        offered = calm_work / total_reviewers if total_reviewers > 0 else (math.inf if calm_work > 0 else 0.0)
        if offered >= 1.0 - 1e-9:
            growing = {**{s: 0.0 for s in ids}, **growing}
        for s in ids:
            out[s] = _stage_result(workflow, stages[s], tuple(ids), available, reviewed[s], ends[s], carried[s],
                                   growing.get(s), use, busiest, overloaded, week_use, offered, erlang[s])
    return out


def _stage_result(workflow: Workflow, st: _Stage, pool_ids: tuple[str, ...], available: dict[str, np.ndarray],
                  reviewed: np.ndarray, ends: np.ndarray, carried: float, growth: float | None, use: np.ndarray,
                  busiest: int, overloaded: tuple[int, ...], week_use: float, offered: float,
                  erlang: tuple[np.ndarray, np.ndarray, np.ndarray]) -> StageInterval:
    stage = st.stage
    teams = workflow.teams_for_stage(stage.id)
    reviewers = np.sum([available[t.id] for t in teams], axis=0) if teams else np.zeros(HOURS)
    total_arrivals = float(st.arrivals.sum())
    handle_h = float(st.load.sum()) / total_arrivals if total_arrivals > 0 else stage.handle_time.mean_seconds() / 3600
    items = ends / handle_h if handle_h > 0 else np.zeros(HOURS)
    starts = np.concatenate([[carried], ends[:-1]])
    unbounded = growth is not None
    p_wait, gamma, erlang_wait = erlang
    if unbounded:
        waits, longest, shares = math.inf, math.inf, {t.priority: 0.0 for t in stage.sla}
    else:
        delay_start = _fluid_delays(reviewed, starts, 0)
        delay_end = _fluid_delays(reviewed, ends, 1)
        fluid = (starts > 1e-9) | (ends > 1e-9) | ~np.isfinite(erlang_wait)
        hourly_wait = np.where(fluid, (delay_start + delay_end) / 2, erlang_wait)
        waits = _weighted(hourly_wait, st.arrivals) * SECONDS_PER_HOUR
        longest = float(np.max(np.where(st.arrivals > 0, hourly_wait, 0.0))) * SECONDS_PER_HOUR
        shares = {}
        for target in stage.sla:
            limit_h = _limit_hours(target) - (handle_h if getattr(target, "clock", "decision") != "wait" else 0.0)
            weight = st.by_priority.get(target.priority, st.arrivals)
            with np.errstate(over="ignore", invalid="ignore"):
                erlang_share = np.where(limit_h >= 0, 1.0 - p_wait * np.exp(-gamma * max(limit_h, 0.0)), 0.0)
            share = np.where(fluid, _on_time_share(delay_start, delay_end, limit_h),
                             np.nan_to_num(erlang_share, nan=0.0))
            shares[target.priority] = _weighted(share, weight)
    peak_hour = int(np.argmax(items))
    clears = next((int((peak_hour + i) % HOURS) for i in range(1, HOURS + 1) if items[(peak_hour + i) % HOURS] < 0.5),
                  None) if items[peak_hour] >= 0.5 and not unbounded else None
    return StageInterval(
        stage_id=stage.id, pool_stage_ids=pool_ids, arrivals_per_hour=total_arrivals / HOURS,
        mean_handle_s=handle_h * SECONDS_PER_HOUR, load=tuple(st.load), reviewers=tuple(reviewers),
        reviewed=tuple(reviewed), backlog_items=tuple(items), pool_utilisation=tuple(use), busiest_hour=busiest,
        busiest_utilisation=float(use[busiest]), overloaded_hours=overloaded,
        uncovered_hours=tuple(int(k) for k in np.nonzero(st.uncovered)[0]), peak_backlog=float(items[peak_hour]),
        peak_backlog_hour=peak_hour, end_backlog=float(items[-1]), clears_hour=clears, mean_wait_s=waits,
        longest_wait_s=longest,
        sla=shares, utilisation=week_use, offered_share=offered, unbounded=unbounded,
        growth_per_week=(growth / handle_h if unbounded and handle_h > 0 else 0.0))


def _limit_hours(target: SlaTarget) -> float:
    return to_seconds(target.within, target.unit) / SECONDS_PER_HOUR


def _on_time_share(first: np.ndarray, last: np.ndarray, limit: float) -> np.ndarray:
    """Share of an hour's arrivals whose delay, linear from ``first`` to ``last`` across it, is ≤ ``limit``."""
    finite = np.isfinite(first) & np.isfinite(last)
    with np.errstate(invalid="ignore"):  # inf − inf where a delay is infinite: masked out by ``finite``
        span = np.where(finite, last - first, 0.0)
    flat = np.abs(span) < 1e-12
    safe = np.where(flat, 1.0, span)
    with np.errstate(invalid="ignore"):
        rising = np.clip((limit - first) / safe, 0.0, 1.0)       # d grows: the early part of the hour makes it
        falling = 1.0 - np.clip((first - limit) / -safe, 0.0, 1.0)  # d shrinks: the late part makes it
        ramp = np.where(flat, (first <= limit).astype(float), np.where(span > 0, rising, falling))
    lowest = np.minimum(first, last)
    return np.where(finite, ramp, (np.isfinite(lowest) & (lowest <= limit)).astype(float))


def _weighted(values: np.ndarray, weights: np.ndarray) -> float:
    total = float(np.sum(weights))
    if total <= 0:
        return 0.0
    with np.errstate(invalid="ignore"):
        return float(np.sum(np.where(weights > 0, values * weights, 0.0)) / total)
