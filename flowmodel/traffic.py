"""Traffic equations: mean arrival rates, offered load and staffed capacity, without simulating.

The workflow is read as an open Jackson network. Items are tracked per *item class* (category,
language, priority) because routing can depend on the class: a classifier's per-category
probabilities and an attribute router's conditions. For each class the rates solve the linear system

    λ = s + Pᵀ λ      (λ: arrivals per hour at every node, s: the sources' arrivals of that class,
                      P: the class's routing matrix)

exactly, so loops (appeals, re-review) are handled without iterating: an item re-reviewed with
probability q arrives 1 / (1 − q) times on average.

Rules stated once:
- Rates are items per hour, the mean over a source's arrival profile, i.e. its ``rate_per_hour``.
  Surges are temporary and are not part of the mean.
- A source's item mix is used as relative weights (normalised to sum to 1; negative shares count as 0).
- Routing: sources, classifiers, review stages and probability routers split by edge probability
  (a missing probability counts as 0); a classifier's ``probability_by_category`` overrides the edge's
  probability for that category. An attribute router sends a class along the first edge (in edge order)
  whose condition lists the class's value of the *router's* attribute, else along its ``otherwise``
  edge; a class that matches nothing is lost (validation reports it). A delay passes everything to its
  first outgoing edge. Outcomes absorb.
- Items that expire in a queue are ignored: the offered load is an upper bound on the work that a
  stage's reviewers actually do.
- Capacity is Team.mean_available_reviewers (weekly paid hours × (1 − shrinkage) / 168). A team that
  works several stages is counted in full at each of them by :func:`staffed_capacity`;
  :func:`staffing_pools` checks the shared capacity of every group of stages that share teams.
- Skills are not part of capacity here (validation checks that some team can review each class).

Everything here is a pure function of the workflow; nothing is cached or mutated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import networkx as nx
import numpy as np

from flowmodel.errors import ModelError
from flowmodel.nodes import Classifier, Delay, Outcome, ReviewStage, Router, Source
from flowmodel.workflow import Workflow

SECONDS_PER_HOUR = 3600.0


class ItemClass(NamedTuple):
    """The attributes routing and handle times depend on."""

    category: str
    language: str
    priority: str

    def attribute(self, name: str) -> str:
        return {"category": self.category, "language": self.language, "priority": self.priority}.get(name, "")


#: Per node id: arrivals per hour of each item class that reaches it.
ClassRates = dict[str, dict[ItemClass, float]]


class ClosedLoopError(ModelError):
    """The traffic equations have no solution: items of ``item_class`` can enter a loop (``node_ids``)
    that they never leave."""

    def __init__(self, workflow: Workflow, node_ids: list[str], item_class: ItemClass) -> None:
        self.node_ids = node_ids
        self.item_class = item_class
        names = ", ".join(workflow.nodes[n].name or n[:8] for n in node_ids)
        super().__init__(
            f"{item_class.language}/{item_class.category}/{item_class.priority} items can enter a loop they "
            "never leave", where=names or "routing",
            hint="give every loop (appeal, re-review) an exit with a probability above 0 for these items")


@dataclass(frozen=True)
class StaffingPool:
    """Stages connected by the teams that work them: their reviewers are one shared pool."""

    stage_ids: tuple[str, ...]
    team_ids: tuple[str, ...]
    offered_load: float
    capacity: float

    @property
    def utilisation(self) -> float:
        """Offered load / capacity (infinite when nobody is available but work arrives)."""
        if self.capacity > 0:
            return self.offered_load / self.capacity
        return math.inf if self.offered_load > 0 else 0.0


def _finite_non_negative(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return 0.0
    return max(float(value), 0.0)


def source_class_rates(source: Source) -> dict[ItemClass, float]:
    """Arrivals per hour of each item class at ``source`` (its mix applied to its mean rate)."""
    rate = _finite_non_negative(source.rate_per_hour)
    weights: dict[ItemClass, float] = {}
    for entry in source.mix:
        item_class = ItemClass(str(entry.category), str(entry.language), str(entry.priority))
        weights[item_class] = weights.get(item_class, 0.0) + _finite_non_negative(entry.share)
    total = sum(weights.values())
    if total <= 0 or rate <= 0:
        return {}
    return {item_class: rate * weight / total for item_class, weight in weights.items() if weight > 0}


def routing(workflow: Workflow, node_id: str, item_class: ItemClass) -> list[tuple[str, float]]:
    """Where an item of ``item_class`` leaving ``node_id`` goes: ``(target id, probability)`` pairs.

    This is the routing rule of the module docstring in one place, so that analytic checks and the
    engine can agree on it. Probabilities are returned as stated (validation checks their sums).
    """
    node = workflow.nodes.get(node_id)
    outgoing = [e for e in workflow.outgoing(node_id) if e.target in workflow.nodes]
    if node is None or isinstance(node, Outcome) or not outgoing:
        return []
    if isinstance(node, Delay):
        return [(outgoing[0].target, 1.0)]
    if isinstance(node, Router) and node.mode == "attribute":
        value = item_class.attribute(node.attribute)
        for edge in outgoing:
            if not edge.otherwise and edge.condition is not None and value in edge.condition.values:
                return [(edge.target, 1.0)]
        fallback = next((e for e in outgoing if e.otherwise), None)
        return [(fallback.target, 1.0)] if fallback is not None else []
    pairs: list[tuple[str, float]] = []
    for edge in outgoing:
        probability = edge.probability
        if isinstance(node, Classifier) and item_class.category in edge.probability_by_category:
            probability = edge.probability_by_category[item_class.category]
        pairs.append((edge.target, _finite_non_negative(probability)))
    return pairs


def _reachable(workflow: Workflow, starts: list[str], item_class: ItemClass) -> list[str]:
    """Nodes an item of ``item_class`` can reach from ``starts`` (positive-probability steps only)."""
    seen = set(starts)
    order = list(starts)
    for node_id in order:
        for target, probability in routing(workflow, node_id, item_class):
            if probability > 0 and target not in seen:
                seen.add(target)
                order.append(target)
    return order


def _external_arrivals(workflow: Workflow) -> dict[ItemClass, dict[str, float]]:
    """Per item class: arrivals per hour at each source."""
    arrivals: dict[ItemClass, dict[str, float]] = {}
    for node in workflow.nodes.values():
        if isinstance(node, Source):
            for item_class, rate in source_class_rates(node).items():
                arrivals.setdefault(item_class, {})[node.id] = rate
    return arrivals


def classes_reaching(workflow: Workflow) -> dict[str, set[ItemClass]]:
    """Per node id: the item classes that can arrive there (by graph search; never raises).

    Validation uses this for checks that must work on broken models too (router exhaustiveness,
    reviewer skills), where the linear system may have no solution.
    """
    reaching: dict[str, set[ItemClass]] = {node_id: set() for node_id in workflow.nodes}
    for item_class, sources in _external_arrivals(workflow).items():
        for node_id in _reachable(workflow, list(sources), item_class):
            reaching[node_id].add(item_class)
    return reaching


def class_rates(workflow: Workflow) -> ClassRates:
    """Per node id: mean arrivals per hour of each item class (the traffic equations, solved exactly).

    Raises :class:`ClosedLoopError` (a :class:`ModelError`) when the equations have no solution, which
    happens only if items can enter a loop that they can never leave (validation reports that as
    ``loop-without-exit``).
    """
    rates: ClassRates = {node_id: {} for node_id in workflow.nodes}
    for item_class, sources in _external_arrivals(workflow).items():
        nodes = _reachable(workflow, list(sources), item_class)
        index = {node_id: i for i, node_id in enumerate(nodes)}
        transfer = np.zeros((len(nodes), len(nodes)))
        for node_id in nodes:
            for target, probability in routing(workflow, node_id, item_class):
                if target in index:
                    transfer[index[target], index[node_id]] += probability
        external = np.array([sources.get(node_id, 0.0) for node_id in nodes])
        system = np.eye(len(nodes)) - transfer
        try:
            solution = np.linalg.solve(system, external)
        except np.linalg.LinAlgError:
            solution = None
        if solution is None or not np.all(np.isfinite(solution)) or np.linalg.cond(system) > 1e12:
            raise ClosedLoopError(workflow, closed_loop(workflow, nodes, item_class), item_class)
        for node_id, value in zip(nodes, solution, strict=True):
            rates[node_id][item_class] = max(float(value), 0.0)
    return rates


def closed_loop(workflow: Workflow, nodes: list[str], item_class: ItemClass) -> list[str]:
    """Node ids of a loop among ``nodes`` that items of ``item_class`` can enter but never leave
    (empty if there is none), in workflow order."""
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    for node_id in nodes:
        graph.add_edges_from((node_id, target) for target, p in routing(workflow, node_id, item_class) if p > 0)
    for component in nx.strongly_connected_components(graph):
        first = next(iter(component))
        cyclic = len(component) > 1 or graph.has_edge(first, first)
        if cyclic and all(target in component for n in component for target in graph.successors(n)):
            return [n for n in workflow.nodes if n in component]
    return []


def arrival_rates(workflow: Workflow, rates: ClassRates | None = None) -> dict[str, float]:
    """Per node id: mean arrivals per hour, all classes together (0 for nodes nothing reaches).

    Pass ``rates`` from :func:`class_rates` to avoid solving the equations twice.
    """
    rates = class_rates(workflow) if rates is None else rates
    return {node_id: sum(rates.get(node_id, {}).values()) for node_id in workflow.nodes}


def mean_handle_seconds(stage: ReviewStage, mix: dict[ItemClass, float]) -> float:
    """Mean handle time at ``stage`` for items arriving with ``mix`` (class → rate or share):
    each class uses its category's handle time if the stage has one, else the stage's handle time."""
    total = sum(mix.values())
    if total <= 0:
        return stage.handle_time.mean_seconds()
    weighted = sum(rate * _handle_time_of(stage, item_class.category) for item_class, rate in mix.items())
    return weighted / total


def _handle_time_of(stage: ReviewStage, category: str) -> float:
    distribution = stage.handle_time_by_category.get(category, stage.handle_time)
    return distribution.mean_seconds()


def offered_load(workflow: Workflow, rates: ClassRates | None = None) -> dict[str, float]:
    """Per review stage id: offered load in erlangs (reviewers busy on average) =
    Σ over classes of arrival rate × that class's mean handle time. Expiry is ignored, so this is an
    upper bound on the work done."""
    rates = class_rates(workflow) if rates is None else rates
    load: dict[str, float] = {}
    for node in workflow.nodes.values():
        if isinstance(node, ReviewStage):
            load[node.id] = sum(
                rate * _handle_time_of(node, item_class.category) / SECONDS_PER_HOUR
                for item_class, rate in rates.get(node.id, {}).items()
            )
    return load


def team_capacity(workflow: Workflow) -> dict[str, float]:
    """Per team id: reviewers available on average over a week (0 for a team with a broken roster)."""
    capacity: dict[str, float] = {}
    for team in workflow.teams.values():
        try:
            capacity[team.id] = max(team.mean_available_reviewers(), 0.0)
        except (TypeError, ValueError):
            capacity[team.id] = 0.0
    return capacity


def staffed_capacity(workflow: Workflow) -> dict[str, float]:
    """Per review stage id: average available reviewers of every team that lists the stage, each
    counted in full (an upper bound when teams are shared; see :func:`staffing_pools`)."""
    per_team = team_capacity(workflow)
    return {
        node.id: sum(per_team[t.id] for t in workflow.teams_for_stage(node.id))
        for node in workflow.nodes.values()
        if isinstance(node, ReviewStage)
    }


def staffing_pools(workflow: Workflow, load: dict[str, float] | None = None) -> list[StaffingPool]:
    """The groups of review stages connected by shared teams, with their total load and capacity.

    A stage that no team works is a pool of its own with capacity 0. Pools come in node order.
    """
    load = offered_load(workflow) if load is None else load
    per_team = team_capacity(workflow)
    graph = nx.Graph()
    stages = [n for n in workflow.nodes.values() if isinstance(n, ReviewStage)]
    for stage in stages:
        graph.add_node(("stage", stage.id))
    for team in workflow.teams.values():
        for stage_id in team.stages:
            if isinstance(workflow.nodes.get(stage_id), ReviewStage):
                graph.add_edge(("team", team.id), ("stage", stage_id))
    position = {stage.id: i for i, stage in enumerate(stages)}
    pools: list[StaffingPool] = []
    for component in nx.connected_components(graph):
        stage_ids = tuple(sorted((i for kind, i in component if kind == "stage"), key=position.__getitem__))
        team_ids = tuple(t for t in workflow.teams if ("team", t) in component)
        if stage_ids:
            pools.append(StaffingPool(stage_ids, team_ids, sum(load.get(s, 0.0) for s in stage_ids),
                                      sum(per_team[t] for t in team_ids)))
    pools.sort(key=lambda pool: position[pool.stage_ids[0]])
    return pools

