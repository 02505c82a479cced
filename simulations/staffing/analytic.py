"""The analytic first guess: reviewers needed per team × hour of the week, then per team-shift.

Rules:
- Load per stage and hour: the traffic equations (:mod:`flowmodel.traffic`) are linear in the sources'
  arrivals, so each source's contribution to each stage is solved once and scaled by the source's arrival
  profile in that hour (in the source's time zone; surges left out, they are temporary). The grid is the
  first week of the horizon, hour by hour from its start. Travel time through the workflow is ignored: work
  reaches every stage in the hour it arrived.
- Reviewers per stage and hour: the smallest whole number that meets the stage's tightest goal. The SLA clock runs
  to the end of the review, so the goal is on wait + handle time: P(W + S ≤ T) = E_S[(1 − C·e^{−γ(T−S)})⁺ on S ≤
  T], with W from Erlang C (P(wait) = C, exponential tail of rate γ = c/s − λ) and S the stage's own handle-time
  law for that priority, after the time already spent in the delays every route to the stage passes
  (:mod:`simulations.staffing.upstream`; an appeal window), averaged over that time's law; queueing upstream is
  not subtracted (the simulation corrects it). A goal on the wait clock stops when review starts: Erlang C's P(W ≤
  T) = 1 − C·e^{−γT}. All priorities are taken as sharing one FIFO queue. A stage with expiry must also keep
  Erlang A's share of expired items (patience = mean time to expiry) within 1 − share, as expired items are
  misses. A stage without goals gets the fewest reviewers that keep it stable (offered load < reviewers). A
  maximum occupancy adds reviewers ≥ load / occupancy.
- Split over teams: each item class's share of a stage's load goes to the teams that work the stage, can
  review the class (skills) and have a shift under way at that hour, equally among those for which the stage
  ranks highest in their own stage list (hours where some class finds no such team are counted as
  uncovered: its items wait for the next shift whatever the headcount). A team working several stages
  adds their requirements (no pooling credit). The team's figure is divided by (1 − shrinkage): rostered,
  not available, reviewers.
- Per team-shift (see :class:`TeamShift`): where a team's shifts overlap, an hour's requirement is split
  equally over the shift-days under way; a team-shift needs the *maximum* of its share over the hours it
  covers (a shift has one headcount for all its hours, and it must cover its busiest hour). Figures stay
  fractional until this point and are then rounded up — rounding after aggregating, never per hour.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from flowmodel.nodes import ReviewStage, Source
from flowmodel.run_settings import RunSettings
from flowmodel.traffic import ClassRates, ItemClass, class_rates
from flowmodel.workflow import Workflow
from simulations.analytic.erlang import erlang_a, erlang_c, required_agents
from simulations.arrivals import rate_table
from simulations.staffing.handle_times import class_mix, mixed_quantiles
from simulations.staffing.targets import StaffingTargets, TeamShift, team_shifts
from simulations.staffing.upstream import upstream_seconds
from simulations.timebase import HOUR_S, horizon_start, load_zone, local_hour_of_week

HOURS = 168
#: Give up raising a stage's reviewers beyond this many times its load (plus a margin): the goal is then
#: only just above what handle times allow, and the simulation must decide.
MAX_SERVERS_FACTOR = 20


@dataclass(frozen=True)
class ShiftGuess:
    team_shift: TeamShift
    fractional: float
    rounded: int


@dataclass(frozen=True)
class AnalyticGuess:
    """``stage_reviewers``: available reviewers per stage for each hour from the horizon start (first week);
    ``team_reviewers``: rostered reviewers per team, same grid; ``shifts``: per team-shift."""

    stage_reviewers: dict[str, tuple[int, ...]]
    team_reviewers: dict[str, tuple[float, ...]]
    shifts: tuple[ShiftGuess, ...]
    uncovered_hours: dict[str, int]
    """Per stage id: hours of the week with work for it but no team able to review it on shift."""
    skill_needs: dict[tuple[str, tuple[str, ...]], tuple[float, ...]] = dataclasses.field(default_factory=dict)
    """Per (stage id, the teams able to review some of its items, when not every team of the stage can): the
    available reviewers of the stage's need, per hour, that only those teams can give (their items' share)."""


def decision_share_within(c: int, load: float, mean_handle_s: float, within_s: float,
                          handle_values: np.ndarray, handle_weights: np.ndarray,
                          upstream_s: np.ndarray | None = None) -> float:
    """P(upstream + wait + handle time ≤ ``within_s``) with ``c`` reviewers, Erlang C wait, the given handle-time
    law and ``upstream_s`` equally likely times already spent before the stage (none when None)."""
    if load >= c:
        return 0.0
    p_wait = erlang_c(c, load)
    gamma = (c - load) / mean_handle_s
    offsets = upstream_s if upstream_s is not None else np.zeros(1)
    slack = (within_s - offsets)[:, None] - handle_values[None, :]
    fits = slack >= 0
    on_time = np.where(fits, 1.0 - p_wait * np.exp(-gamma * np.where(fits, slack, 0.0)), 0.0)
    return float(np.mean(on_time @ handle_weights))


def required_reviewers(load: float, mean_handle_s: float, share: float, within_s: float, *,
                       handle_law: tuple[np.ndarray, np.ndarray] | None = None, patience_s: float | None = None,
                       max_occupancy: float | None = None, upstream_s: np.ndarray | None = None) -> int:
    """The fewest reviewers meeting "``share`` within ``within_s``" for ``load`` erlangs.

    Without ``handle_law`` the clock stops when the review starts (the call-centre service level, Erlang C);
    with it (handle times, probability weights) the clock stops at the end of the review, as the model's SLA,
    and ``upstream_s`` (equally likely times spent before the stage) is added to it.
    """
    if load <= 0:
        return 0
    if handle_law is None:
        c = required_agents(load, mean_handle_s, share, within_s)
    else:
        values, weights = handle_law
        c = max(1, math.floor(load) + 1)
        ceiling = c + MAX_SERVERS_FACTOR * math.ceil(load) + 50
        while c < ceiling and decision_share_within(c, load, mean_handle_s, within_s, values, weights,
                                                    upstream_s) < share:
            c += 1
    if patience_s is not None:
        rate = load / mean_handle_s
        while erlang_a(rate, mean_handle_s, c, patience_s).p_abandon > 1.0 - share:
            c += 1
    if max_occupancy is not None and max_occupancy > 0:
        c = max(c, math.ceil(load / max_occupancy - 1e-9))
    return c


def _hourly_multipliers(source: Source, settings: RunSettings) -> np.ndarray:
    """The source's rate in each hour of the first week, relative to its mean rate (surges left out)."""
    if source.rate_per_hour <= 0:
        return np.zeros(HOURS)
    calm = Source(rate_per_hour=source.rate_per_hour, timezone=source.timezone, profile=source.profile)
    table = rate_table(calm, horizon_start(settings), HOURS * HOUR_S, source.name or source.id)
    return np.array([table.expected_count(k * HOUR_S, (k + 1) * HOUR_S) / source.rate_per_hour
                     for k in range(HOURS)])


def _contributions(workflow: Workflow) -> dict[str, ClassRates]:
    """Per source id: the class rates its arrivals alone cause at every node."""
    out: dict[str, ClassRates] = {}
    sources = [n for n in workflow.nodes.values() if isinstance(n, Source)]
    for source in sources:
        alone = workflow.copy()
        for other in sources:
            if other.id != source.id:
                alone.nodes[other.id].rate_per_hour = 0.0  # type: ignore[attr-defined]
        out[source.id] = class_rates(alone)
    return out


def stage_hourly_rates(workflow: Workflow, settings: RunSettings) -> dict[str, list[dict[ItemClass, float]]]:
    """Per review stage id: for each hour of the first week, arrivals per hour of each item class."""
    stages = [n.id for n in workflow.nodes.values() if isinstance(n, ReviewStage)]
    hourly: dict[str, list[dict[ItemClass, float]]] = {s: [{} for _ in range(HOURS)] for s in stages}
    for source_id, rates in _contributions(workflow).items():
        multipliers = _hourly_multipliers(workflow.nodes[source_id], settings)  # type: ignore[arg-type]
        for stage_id in stages:
            for item_class, rate in rates.get(stage_id, {}).items():
                for k in range(HOURS):
                    cell = hourly[stage_id][k]
                    cell[item_class] = cell.get(item_class, 0.0) + rate * multipliers[k]
    return hourly


def _stage_requirement(workflow: Workflow, stage: ReviewStage, targets: StaffingTargets,
                       hourly: list[dict[ItemClass, float]], mean_rates: dict[ItemClass, float]) -> list[int]:
    goals = [g for g in targets.sla if g.stage_id == stage.id]
    mixes = {g.priority: class_mix(stage, mean_rates, g.priority) for g in goals}
    laws = {priority: mixed_quantiles(mix) for priority, mix in mixes.items() if mix}
    patience = stage.expiry.mean_seconds() if stage.expiry is not None else None
    upstream = upstream_seconds(workflow, stage.id)
    memo: dict[tuple[float, float], int] = {}
    out: list[int] = []
    for rates in hourly:
        arrivals = sum(rates.values()) / HOUR_S
        load = sum(r * stage.handle_time_by_category.get(c.category, stage.handle_time).mean_seconds()
                   for c, r in rates.items()) / HOUR_S
        if load <= 0:
            out.append(0)
            continue
        mean_s = load / arrivals
        key = (round(load, 9), round(mean_s, 9))
        if key not in memo:
            need = math.floor(load) + 1
            for goal in goals:
                if goal.priority in laws:
                    law = laws[goal.priority] if goal.clock == "decision" else None  # None: the wait clock
                    need = max(need, required_reviewers(load, mean_s, goal.share, goal.within_s,
                                                        handle_law=law, patience_s=patience,
                                                        upstream_s=upstream if law is not None else None))
            if targets.max_occupancy:
                need = max(need, math.ceil(load / targets.max_occupancy - 1e-9))
            memo[key] = need
        out.append(memo[key])
    return out


def analytic_guess(workflow: Workflow, targets: StaffingTargets, settings: RunSettings) -> AnalyticGuess:
    """Reviewers per stage and hour, per team and hour, and per team-shift (rules in the module docstring)."""
    start = horizon_start(settings)
    hourly = stage_hourly_rates(workflow, settings)
    mean_rates = class_rates(workflow)
    variables = team_shifts(workflow, targets.day_groups)
    local: dict[str, list[float]] = {
        team.id: [local_hour_of_week(start, (k + 0.5) * HOUR_S, load_zone(team.timezone, team.name))
                  for k in range(HOURS)] for team in workflow.teams.values()}
    on_shift = {(v.key, k): v.covers(workflow, local[v.team_id][k]) for v in variables for k in range(HOURS)}
    # team-shifts under way per team and hour, counted once (looked up per stage, class and team below)
    under_way = {(team_id, k): sum(1 for v in variables if v.team_id == team_id and on_shift[(v.key, k)])
                 for team_id in workflow.teams for k in range(HOURS)}

    stage_reviewers: dict[str, tuple[int, ...]] = {}
    skill_needs: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
    team_need = {team_id: np.zeros(HOURS) for team_id in workflow.teams}
    uncovered: dict[str, int] = {}
    for stage_id, rates_by_hour in hourly.items():
        stage = workflow.nodes[stage_id]
        assert isinstance(stage, ReviewStage)
        need = _stage_requirement(workflow, stage, targets, rates_by_hour, mean_rates.get(stage_id, {}))
        stage_reviewers[stage_id] = tuple(need)
        teams = workflow.teams_for_stage(stage_id)
        for k, rates in enumerate(rates_by_hour):
            load_by_class = {c: r * stage.handle_time_by_category.get(c.category, stage.handle_time).mean_seconds()
                             for c, r in rates.items() if r > 0}
            total = sum(load_by_class.values())
            if not need[k] or total <= 0:
                continue
            gap = False
            for item_class, load in load_by_class.items():
                able = [t for t in teams
                        if under_way[(t.id, k)] and t.can_review(item_class.language, item_class.category)]
                if not able:
                    gap = True
                    continue
                if len(able) < len(teams):
                    group = (stage_id, tuple(sorted(t.id for t in able)))
                    skill_needs.setdefault(group, np.zeros(HOURS))[k] += need[k] * load / total
                best = min(t.stages.index(stage_id) for t in able)
                first = [t for t in able if t.stages.index(stage_id) == best]
                for team in first:
                    team_need[team.id][k] += need[k] * load / total / len(first) / (1.0 - team.shrinkage)
            if gap:
                uncovered[stage_id] = uncovered.get(stage_id, 0) + 1
    shifts: list[ShiftGuess] = []
    for variable in variables:
        shares = [team_need[variable.team_id][k] / under_way[(variable.team_id, k)]
                  for k in range(HOURS) if on_shift[(variable.key, k)]]
        fractional = float(max(shares, default=0.0))
        shifts.append(ShiftGuess(variable, fractional, math.ceil(fractional - 1e-9)))
    return AnalyticGuess(stage_reviewers, {t: tuple(float(v) for v in need) for t, need in team_need.items()},
                         tuple(shifts), uncovered,
                         {group: tuple(float(v) for v in need) for group, need in skill_needs.items()})
