"""A fluid estimate of when today's backlog is reviewed, per stage: backlog work against the hours' capacity.

Shown beside the simulated ``start_backlog`` · ``reviewed_h`` (:mod:`simulations.start_state`). Rules:
- Backlog work B of a stage: Σ items × mean handle time of their category (reviewer-hours).
- Reviewers per hour from the rosters (:func:`flowmodel.interval_grid.team_available`: shifts, shrinkage, time
  zones; the week repeats over the horizon). A team that works several stages gives this stage what is left of
  its reviewers after the arrival load of the stages it lists before it (fluid; skills are not looked at).
- Arrival load per hour (erlangs) of the stage: the traffic equations' class rates per source × each source's
  hourly profile (surges left out), × mean handle time.
- Who goes first: under ``fifo`` and ``earliest_deadline`` the backlog is older than anything arriving, so the
  reviewers work it first — its rate is the stage's reviewers; under ``priority`` arrivals may jump it, so only
  the spare (reviewers − arrival load, ≥ 0) works it (the planner's "spare capacity" view, a pessimistic bound).
- The estimate is the first instant the cumulative rate reaches B, interpolated within its hour; NaN if not within
  :data:`LOOKAHEAD_H` hours. It ignores randomness and the last item's own review time being whole (a fluid
  model), so it is close when the backlog is many reviews deep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from flowmodel.interval_grid import HOURS, horizon_start, source_multipliers, team_available
from flowmodel.nodes import ReviewStage, Source
from flowmodel.traffic import class_rates_by_source
from flowmodel.workflow import Workflow

LOOKAHEAD_H = 8 * HOURS


@dataclass(frozen=True)
class BacklogEstimate:
    stage_id: str
    stage_name: str
    items: int
    work_h: float        # reviewer-hours of backlog work
    reviewed_h: float    # hours from the start of the run until it is reviewed; NaN beyond the look-ahead
    backlog_first: bool  # True: the backlog is worked before arrivals (fifo, earliest deadline)


def backlog_estimates(workflow: Workflow) -> list[BacklogEstimate]:
    """Per stage with backlog items (in the order the start state names them), the fluid estimate."""
    state = workflow.start_state
    if state is None:
        return []
    start = horizon_start(workflow.run_settings)
    available = {team.id: team_available(team, start) for team in workflow.teams.values()}
    loads = _arrival_loads(workflow, start)
    out: list[BacklogEstimate] = []
    for stage_id, items in state.by_stage().items():
        node = workflow.nodes.get(stage_id)
        if not isinstance(node, ReviewStage):
            continue
        work_s = sum(e.count * node.handle_time_by_category.get(e.category, node.handle_time).mean_seconds()
                     for e in state.entries if e.stage == stage_id)
        reviewers = np.zeros(HOURS)
        for team in workflow.teams_for_stage(stage_id):
            ahead = team.stages[:team.stages.index(stage_id)]
            used = np.sum([loads[s] for s in ahead if s in loads], axis=0) if ahead else np.zeros(HOURS)
            reviewers += np.maximum(available[team.id] - used, 0.0)
        backlog_first = node.discipline != "priority"
        rate = reviewers if backlog_first else np.maximum(reviewers - loads.get(stage_id, 0.0), 0.0)
        out.append(BacklogEstimate(stage_id, node.name, items, work_s / 3600.0,
                                   first_reaching(rate, work_s / 3600.0), backlog_first))
    return out


def first_reaching(rate_per_hour: np.ndarray, work_h: float) -> float:
    """The first instant (hours) the weekly-repeating ``rate_per_hour`` (reviewer-hours per hour) has done
    ``work_h``; NaN if not within :data:`LOOKAHEAD_H`."""
    if work_h <= 0:
        return 0.0
    rates = np.tile(rate_per_hour, LOOKAHEAD_H // HOURS)
    cumulative = np.concatenate([[0.0], np.cumsum(rates)])
    hour = int(np.searchsorted(cumulative, work_h - 1e-12, side="left"))
    if hour >= len(cumulative):
        return math.nan
    before = cumulative[hour - 1]
    return (hour - 1) + (work_h - before) / rates[hour - 1]


def _arrival_loads(workflow: Workflow, start: object) -> dict[str, np.ndarray]:
    """Erlangs of arriving work per review stage and hour of the week (see the module rules)."""
    sources = {n.id: n for n in workflow.nodes.values() if isinstance(n, Source)}
    loads: dict[str, np.ndarray] = {}
    for source_id, rates in class_rates_by_source(workflow).items():
        shape = source_multipliers(sources[source_id], start)  # type: ignore[arg-type]
        for node_id, by_class in rates.items():
            node = workflow.nodes[node_id]
            if not isinstance(node, ReviewStage):
                continue
            erlangs = sum(rate * node.handle_time_by_category.get(c.category, node.handle_time).mean_seconds()
                          for c, rate in by_class.items()) / 3600.0
            loads[node_id] = loads.get(node_id, np.zeros(HOURS)) + shape * erlangs
    return loads
