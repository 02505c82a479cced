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
- Decision quality (:mod:`flowmodel.quality`): a source with ground truth sends each class as two, violating
  and benign (``ItemClass.truth``), in proportion to the category's prevalence. A branch split by truth is
  taken with its probability for the class's truth; a review stage that decides by accuracy sends
  ``1 − Σp`` (its other branches' probabilities) to remove and keep by the accuracy of the teams that can
  review the class, weighted by their average available reviewers (exact when they share an accuracy). QA
  copies (``ReviewStage.qa_share``) arrive at the QA stage as extra items: they add load and take nothing
  from the stage's own branches.
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
from flowmodel.nodes import Classifier, Delay, Edge, Outcome, ReviewStage, Router, Source
from flowmodel.quality import resolve_accuracy
from flowmodel.workflow import Workflow

SECONDS_PER_HOUR = 3600.0


class ItemClass(NamedTuple):
    """The attributes routing and handle times depend on; ``truth`` ("violating", "benign") only for the items
    of a source with ground truth (:mod:`flowmodel.quality`), else "" — so models without truth keep their classes."""

    category: str
    language: str
    priority: str
    truth: str = ""

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


def outgoing_edges(workflow: Workflow) -> dict[str, list[Edge]]:
    """Per node id: its outgoing edges whose target exists, in edge order (built once per analysis,
    so that routing does not scan every edge for every node and class)."""
    outgoing: dict[str, list[Edge]] = {node_id: [] for node_id in workflow.nodes}
    for edge in workflow.edges.values():
        if edge.source in outgoing and edge.target in workflow.nodes:
            outgoing[edge.source].append(edge)
    return outgoing


def routing(workflow: Workflow, node_id: str, item_class: ItemClass,
            outgoing: dict[str, list[Edge]] | None = None) -> list[tuple[str, float]]:
    """Where an item of ``item_class`` leaving ``node_id`` goes: ``(target id, probability)`` pairs.

    This is the routing rule of the module docstring in one place, so that analytic checks and the
    engine can agree on it. Probabilities are returned as stated (validation checks their sums).
    Pass ``outgoing`` from :func:`outgoing_edges` when calling it for many nodes.
    """
    node = workflow.nodes.get(node_id)
    edges = (outgoing if outgoing is not None else outgoing_edges(workflow)).get(node_id, [])
    if node is None or isinstance(node, Outcome) or not edges:
        return []
    if isinstance(node, Delay):
        return [(edges[0].target, 1.0)]
    if isinstance(node, Router) and node.mode == "attribute":
        value = item_class.attribute(node.attribute)
        for edge in edges:
            if not edge.otherwise and edge.condition is not None and value in edge.condition.values:
                return [(edge.target, 1.0)]
        fallback = next((e for e in edges if e.otherwise), None)
        return [(fallback.target, 1.0)] if fallback is not None else []
    if item_class.truth and isinstance(node, ReviewStage) and decides_by_accuracy(edges):
        return _decision_routing(workflow, node, item_class, edges)
    pairs: list[tuple[str, float]] = []
    for edge in edges:
        probability = edge.probability
        if edge.by_truth is not None and item_class.truth:
            probability = edge.by_truth.probability(item_class.category, item_class.truth == VIOLATING)
        elif isinstance(node, Classifier) and item_class.category in edge.probability_by_category:
            probability = edge.probability_by_category[item_class.category]
        pairs.append((edge.target, _finite_non_negative(probability)))
    return pairs


VIOLATING, BENIGN = "violating", "benign"


def decides_by_accuracy(edges: list[Edge]) -> bool:
    """Whether a review stage with these outgoing edges decides remove/keep by accuracy (module rules)."""
    decisions = {edge.decision for edge in edges}
    return "remove" in decisions and "keep" in decisions


def splits_by_truth(edges: list[Edge]) -> bool:
    return any(edge.by_truth is not None for edge in edges)


def remove_probabilities(workflow: Workflow, stage: ReviewStage, item_class: ItemClass) -> tuple[float, float]:
    """(P(remove | violating), P(remove | benign)) of a decision at ``stage`` for ``item_class``: the accuracy of
    the teams that can review it, weighted by their average available reviewers (all alike weigh equally)."""
    teams = [t for t in workflow.teams_for_stage(stage.id) if t.can_review(item_class.language, item_class.category)]
    weights = [max(_finite_non_negative(t.mean_available_reviewers()) if t.shifts else 0.0, 0.0) for t in teams]
    if not teams:
        accuracies = [resolve_accuracy(stage.accuracy, stage.accuracy_by_category, None, {}, item_class.category)]
        weights = [1.0]
    else:
        accuracies = [resolve_accuracy(stage.accuracy, stage.accuracy_by_category, t.accuracy,
                                       t.accuracy_by_category, item_class.category) for t in teams]
        if sum(weights) <= 0:
            weights = [1.0] * len(teams)
    total = sum(weights)
    violating = sum(w * a.remove_probability(True) for w, a in zip(weights, accuracies, strict=True)) / total
    benign = sum(w * a.remove_probability(False) for w, a in zip(weights, accuracies, strict=True)) / total
    return violating, benign


def _decision_routing(workflow: Workflow, stage: ReviewStage, item_class: ItemClass,
                      edges: list[Edge]) -> list[tuple[str, float]]:
    others = [(e.target, _finite_non_negative(e.probability)) for e in edges if not e.decision]
    deciding = max(0.0, 1.0 - sum(p for _, p in others))
    on_violating, on_benign = remove_probabilities(workflow, stage, item_class)
    remove = on_violating if item_class.truth == VIOLATING else on_benign
    pairs: list[tuple[str, float]] = []
    for edge in edges:
        if edge.decision == "remove":
            pairs.append((edge.target, deciding * remove))
        elif edge.decision == "keep":
            pairs.append((edge.target, deciding * (1.0 - remove)))
        else:
            pairs.append((edge.target, _finite_non_negative(edge.probability)))
    return pairs


def qa_copies(workflow: Workflow, node_id: str, item_class: ItemClass,
              outgoing: dict[str, list[Edge]]) -> tuple[str, float] | None:
    """(QA stage id, copies per item passing ``node_id``) when the stage samples its decisions for QA."""
    node = workflow.nodes.get(node_id)
    if not isinstance(node, ReviewStage) or not node.qa_stage or node.qa_stage not in workflow.nodes:
        return None
    share = _finite_non_negative(node.qa_share)
    if share <= 0:
        return None
    edges = outgoing.get(node_id, [])
    decided = sum(p for target, p in routing(workflow, node_id, item_class, outgoing)
                  if any(e.target == target and e.decision for e in edges))
    return (node.qa_stage, share * decided) if decided > 0 else None


#: Per node an item class can reach: its routing for that class, in breadth-first order from the sources.
Transitions = dict[str, list[tuple[str, float]]]


def _transitions(workflow: Workflow, starts: list[str], item_class: ItemClass,
                 outgoing: dict[str, list[Edge]]) -> Transitions:
    """The routing of ``item_class`` at every node it can reach from ``starts`` (positive steps only)."""
    found: Transitions = {}
    queue = list(starts)
    seen = set(starts)
    for node_id in queue:
        found[node_id] = routing(workflow, node_id, item_class, outgoing)
        copies = qa_copies(workflow, node_id, item_class, outgoing)
        if copies is not None:
            found[node_id] = [*found[node_id], copies]
        for target, probability in found[node_id]:
            if probability > 0 and target not in seen:
                seen.add(target)
                queue.append(target)
    return found


def _external_arrivals(workflow: Workflow) -> dict[ItemClass, dict[str, float]]:
    """Per item class: arrivals per hour at each source."""
    arrivals: dict[ItemClass, dict[str, float]] = {}
    for node in workflow.nodes.values():
        if isinstance(node, Source):
            for item_class, rate in truth_class_rates(node).items():
                arrivals.setdefault(item_class, {})[node.id] = rate
    return arrivals


def truth_class_rates(source: Source) -> dict[ItemClass, float]:
    """:func:`source_class_rates`, each class split into violating and benign when the source has ground truth."""
    rates = source_class_rates(source)
    if source.truth is None:
        return rates
    split: dict[ItemClass, float] = {}
    for item_class, rate in rates.items():
        prevalence = min(max(_finite_non_negative(source.truth.prevalence_of(item_class.category)), 0.0), 1.0)
        for truth, share in ((VIOLATING, prevalence), (BENIGN, 1.0 - prevalence)):
            if share > 0:
                cell = item_class._replace(truth=truth)
                split[cell] = split.get(cell, 0.0) + rate * share
    return split


def classes_reaching(workflow: Workflow) -> dict[str, set[ItemClass]]:
    """Per node id: the item classes that can arrive there (by graph search; never raises).

    Validation uses this for checks that must work on broken models too (router exhaustiveness,
    reviewer skills), where the linear system may have no solution.
    """
    outgoing = outgoing_edges(workflow)
    reaching: dict[str, set[ItemClass]] = {node_id: set() for node_id in workflow.nodes}
    for item_class, sources in _external_arrivals(workflow).items():
        for node_id in _transitions(workflow, list(sources), item_class, outgoing):
            reaching[node_id].add(item_class)
    return reaching


def class_rates(workflow: Workflow) -> ClassRates:
    """Per node id: mean arrivals per hour of each item class (the traffic equations, solved exactly).

    Classes that are routed alike are solved together. Raises :class:`ClosedLoopError` (a
    :class:`ModelError`) when the equations have no solution, which happens only if items can enter a
    loop that they can never leave (validation reports that as ``loop-without-exit``).
    """
    outgoing = outgoing_edges(workflow)
    groups: dict[tuple, tuple[Transitions, list[tuple[ItemClass, dict[str, float]]]]] = {}
    for item_class, sources in _external_arrivals(workflow).items():
        transitions = _transitions(workflow, list(sources), item_class, outgoing)
        key = tuple((node_id, tuple(pairs)) for node_id, pairs in transitions.items())
        groups.setdefault(key, (transitions, []))[1].append((item_class, sources))
    rates: ClassRates = {node_id: {} for node_id in workflow.nodes}
    for transitions, members in groups.values():
        inflow = {node_id: np.array([sources.get(node_id, 0.0) for _, sources in members]) for node_id in transitions}
        try:
            solved = _solve(transitions, inflow)
        except _NoSolution as failure:
            raise ClosedLoopError(workflow, [n for n in workflow.nodes if n in failure.loop], members[0][0]) from None
        for node_id, values in solved.items():
            for (item_class, _), value in zip(members, values, strict=True):
                rates[node_id][item_class] = max(float(value), 0.0)
    return rates


def class_rates_by_source(workflow: Workflow) -> dict[str, ClassRates]:
    """Per source id: the class rates that source's arrivals alone cause at every node it reaches.

    The equations are linear in the external arrivals, so these add up to :func:`class_rates`; an interval
    estimate scales each source's share by its own hourly profile. Raises :class:`ClosedLoopError` as
    :func:`class_rates` does.
    """
    outgoing = outgoing_edges(workflow)
    out: dict[str, ClassRates] = {}
    for node in workflow.nodes.values():
        if not isinstance(node, Source):
            continue
        rates: ClassRates = {}
        for item_class, rate in truth_class_rates(node).items():
            transitions = _transitions(workflow, [node.id], item_class, outgoing)
            inflow = {node_id: np.array([rate if node_id == node.id else 0.0]) for node_id in transitions}
            try:
                solved = _solve(transitions, inflow)
            except _NoSolution as failure:
                raise ClosedLoopError(workflow, [n for n in workflow.nodes if n in failure.loop], item_class) from None
            for node_id, values in solved.items():
                if values[0] > 0:
                    rates.setdefault(node_id, {})[item_class] = float(values[0])
        out[node.id] = rates
    return out


class _NoSolution(Exception):
    def __init__(self, loop: set[str]) -> None:
        super().__init__("no solution")
        self.loop = loop


def _solve(transitions: Transitions, inflow: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """λ = s + Pᵀλ, one strongly connected component at a time in topological order: a component's
    arrivals are its external arrivals plus what upstream components send it, and only loops need a
    (small) linear solve. ``inflow`` holds the external arrivals and is added to in place.

    When each node's probabilities sum to 1 (as validation requires), a solution exists exactly when
    no loop is closed (items in it never leave); such a loop raises :class:`_NoSolution`.
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(transitions)
    for node_id, pairs in transitions.items():
        graph.add_edges_from((node_id, target) for target, p in pairs if p > 0)
    condensed = nx.condensation(graph)
    solved: dict[str, np.ndarray] = {}
    for component_id in nx.topological_sort(condensed):
        members = sorted(condensed.nodes[component_id]["members"])
        inside = set(members)
        cyclic = len(members) > 1 or graph.has_edge(members[0], members[0])
        if cyclic:
            if not any(target not in inside for n in members for target in graph.successors(n)):
                raise _NoSolution(inside)
            index = {node_id: i for i, node_id in enumerate(members)}
            system = np.eye(len(members))
            for node_id in members:
                for target, probability in transitions[node_id]:
                    if target in index:
                        system[index[target], index[node_id]] -= probability
            try:
                values = np.linalg.solve(system, np.array([inflow[n] for n in members]))
            except np.linalg.LinAlgError:
                raise _NoSolution(inside) from None
            solved.update({node_id: values[index[node_id]] for node_id in members})
        else:
            solved[members[0]] = inflow[members[0]]
        for node_id in members:
            for target, probability in transitions[node_id]:
                if target not in inside and probability > 0:
                    inflow[target] = inflow[target] + probability * solved[node_id]
    return solved


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

