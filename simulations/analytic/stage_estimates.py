"""Instant per-stage estimates: the Jackson traffic equations plus Erlang C, before any simulation.

Rules:
- Arrival rates and offered loads come from :mod:`flowmodel.traffic` (mean rates, surges and expiry left
  out), capacity from its staffing pools: stages that share a team share its reviewers.
- A stage whose teams work no other stage is an M/M/c queue of its own. Stages connected by shared teams
  are estimated as one pooled M/M/c queue (total load, total reviewers, load-weighted mean handle time),
  and every stage of the pool gets the pool's P(wait) and mean wait: the teams' stage priorities are
  ignored, so a high-priority stage will do better than this and a low-priority one worse.
- Servers are whole reviewers: the pool's average available reviewers rounded down (a fraction of a
  reviewer cannot take an item). Utilisation is offered load / average available reviewers; ``stable``
  is Erlang C's condition offered load < servers, so a pool at 98 % of 5.6 reviewers is unstable on 5.
- Handle times are not exponential in general; Erlang C is the usual planning approximation for them.
- Each estimate also carries the interval view (:func:`flowmodel.interval_load.interval_estimates`): the same
  load and rosters hour by hour through the week, with the backlog that hours short of reviewers carry into
  the next, the busiest hour and the hours nobody on shift can review. The weekly figures above stay as they
  were (the findings' "unstable" is their Erlang condition); the canvas badge and the load warnings read the
  interval view, so the overlay, the reports and validation use one estimate.
- A model whose traffic equations have no solution (a loop without exit) raises
  :class:`flowmodel.errors.ModelError`, as :func:`flowmodel.traffic.class_rates` does; so does one whose
  profiles, time zones or start date the interval view cannot use (validation reports those first).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flowmodel.interval_load import StageInterval, interval_estimates
from flowmodel.nodes import ReviewStage
from flowmodel.traffic import (
    SECONDS_PER_HOUR,
    class_rates,
    mean_handle_seconds,
    offered_load,
    staffing_pools,
)
from flowmodel.workflow import Workflow
from simulations.analytic.erlang import mmc


@dataclass(frozen=True)
class StageEstimate:
    stage_id: str
    stage_name: str
    arrivals_per_hour: float
    mean_handle_s: float
    offered_load: float
    available_reviewers: float
    servers: int
    utilisation: float
    p_wait: float
    mean_wait_s: float
    stable: bool
    shared_with: tuple[str, ...]
    interval: StageInterval | None = None


def stage_estimates(workflow: Workflow) -> dict[str, StageEstimate]:
    """Per review stage id: offered load, reviewers, utilisation, P(wait), mean wait and stability, and the
    interval view."""
    rates = class_rates(workflow)
    intervals = interval_estimates(workflow)
    load = offered_load(workflow, rates)
    arrivals = {node_id: sum(by_class.values()) for node_id, by_class in rates.items()}
    estimates: dict[str, StageEstimate] = {}
    for pool in staffing_pools(workflow, load):
        pool_arrivals = sum(arrivals.get(s, 0.0) for s in pool.stage_ids) / SECONDS_PER_HOUR
        pool_load = pool.offered_load
        servers = math.floor(pool.capacity + 1e-9)
        if pool_load <= 0:
            p_wait, wait, stable = 0.0, 0.0, True
        elif servers < 1:
            p_wait, wait, stable = 1.0, math.inf, False
        else:
            queue = mmc(pool_arrivals, pool_load / pool_arrivals, servers)
            p_wait, wait, stable = queue.p_wait, queue.mean_wait, queue.stable
        utilisation = pool.utilisation
        for stage_id in pool.stage_ids:
            stage = workflow.nodes[stage_id]
            assert isinstance(stage, ReviewStage)
            estimates[stage_id] = StageEstimate(
                stage_id=stage_id, stage_name=stage.name,
                arrivals_per_hour=arrivals.get(stage_id, 0.0),
                mean_handle_s=mean_handle_seconds(stage, rates.get(stage_id, {})),
                offered_load=load.get(stage_id, 0.0), available_reviewers=pool.capacity, servers=servers,
                utilisation=utilisation, p_wait=p_wait, mean_wait_s=wait, stable=stable,
                shared_with=tuple(s for s in pool.stage_ids if s != stage_id), interval=intervals.get(stage_id),
            )
    return estimates
