"""Time an item has already spent before it reaches a stage: the delays every path to the stage passes through.

Why: an SLA on the decision clock runs from the item's creation, so for a stage behind an appeal window most of
the goal may be spent before the item arrives. Leaving that time out makes the first guess under-staff such a
stage (and calls a target feasible that its delays alone make impossible).

Rules: the delays counted are the :class:`~flowmodel.nodes.Delay` nodes that dominate the stage in the routing
graph from the sources (every item reaching the stage passed each of them, whatever its route); delays on only
some routes, and queueing upstream, are left out (the simulation corrects them). The law of their sum is
:data:`POINTS` equally likely values (more for the feasibility check, where the tail decides): each delay's
quantiles, summed in a fixed shuffled order when there are several (independent delays; a fixed order keeps
the guess a pure function of the model).
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from flowmodel.nodes import Delay, Source
from flowmodel.workflow import Workflow
from simulations.staffing.handle_times import quantiles

POINTS = 64
_ROOT = "\0sources"


def dominating_delays(workflow: Workflow, stage_id: str) -> list[Delay]:
    """The delay nodes every route from a source to ``stage_id`` passes through, nearest the source first."""
    graph = nx.DiGraph()
    graph.add_node(_ROOT)
    graph.add_nodes_from(workflow.nodes)
    graph.add_edges_from((e.source, e.target) for e in workflow.edges.values())  # every edge: fewer dominators
    graph.add_edges_from((_ROOT, n.id) for n in workflow.nodes.values() if isinstance(n, Source))
    if stage_id not in graph or not nx.has_path(graph, _ROOT, stage_id):
        return []
    dominators = nx.immediate_dominators(graph, _ROOT)
    chain: list[Delay] = []
    node = stage_id
    while node != _ROOT and dominators.get(node, _ROOT) != node:
        node = dominators[node]
        candidate = workflow.nodes.get(node)
        if isinstance(candidate, Delay):
            chain.append(candidate)
    return chain[::-1]


def upstream_seconds(workflow: Workflow, stage_id: str, points: int = POINTS) -> np.ndarray | None:
    """``points`` equally likely values of the time spent in dominating delays, or None when there are none."""
    delays = dominating_delays(workflow, stage_id)
    if not delays:
        return None
    rng = np.random.default_rng(0)
    total = np.zeros(points)
    for number, delay in enumerate(delays):
        values = quantiles(delay.duration, points)
        total += values if number == 0 else rng.permutation(values)
    return total
