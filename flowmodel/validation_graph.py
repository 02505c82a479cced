"""Validation of the workflow's shape (networkx): ends, reachability, edges, loops.

Rules (all errors):
- ``dangling-edge``: an edge whose source or target is not a node. Such edges are left out of the
  other checks.
- ``no-source`` / ``no-outcome``: a workflow needs at least one source and one outcome.
- ``source-has-incoming``: nothing flows into a source. ``outcome-has-outgoing``: outcomes are terminal.
- ``self-loop``: an edge from a node to itself (model re-review with a separate stage or a delay).
- ``duplicate-edge``: two edges with the same source and target.
- ``no-outgoing-edge``: a node other than an outcome with no outgoing edge (items would vanish). A QA stage
  (:func:`qa_stage_samplers`) needs none: its QA copies end after their review there.
- ``delay-edges``: a delay has exactly one outgoing edge.
- ``unreachable-node``: a node no source reaches (checked when there is a source); a QA stage is reached
  through the stages whose decisions it re-reviews (QA copies), not along edges.
- ``dead-end``: a node with outgoing edges from which no outcome can be reached (checked when there
  is an outcome).
- ``loop-without-exit``: a loop (a strongly connected component with a cycle) that no edge able to
  carry items (probability > 0, a condition, ``otherwise``, a delay's edge) leaves.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from flowmodel.nodes import Classifier, Delay, Edge, Outcome, ReviewStage, Router, Source
from flowmodel.validation_issues import Issue, edge_issue, listing, node_issue, node_label, number
from flowmodel.workflow import Workflow


def connected_edges(workflow: Workflow) -> list[Edge]:
    """The edges whose ends both exist."""
    return [e for e in workflow.edges.values() if e.source in workflow.nodes and e.target in workflow.nodes]


def can_carry_items(workflow: Workflow, edge: Edge) -> bool:
    """Whether any item can travel along ``edge`` (used for loop exits)."""
    node = workflow.nodes[edge.source]
    if isinstance(node, Delay):
        return True
    if isinstance(node, Router) and node.mode == "attribute":
        return edge.otherwise or (edge.condition is not None and bool(edge.condition.values))
    if edge.by_truth is not None:  # a branch split by truth (flowmodel.quality)
        split = edge.by_truth
        return any((number(p) or 0.0) > 0 for p in (split.violating, split.benign, *(
            x for s in split.by_category.values() for x in (s.violating, s.benign))))
    if edge.decision and isinstance(node, ReviewStage):
        return True  # remove and keep are drawn by accuracy
    probabilities = [edge.probability]
    if isinstance(node, Classifier):
        probabilities += list(edge.probability_by_category.values())
    return any((number(p) or 0.0) > 0 for p in probabilities)


def qa_stage_samplers(workflow: Workflow) -> dict[str, list[str]]:
    """Per QA stage id: the review stages that send it copies of their decisions (a QA share above 0 and a QA
    stage that is another review stage), in node order."""
    samplers: dict[str, list[str]] = {}
    for node in workflow.nodes.values():
        if isinstance(node, ReviewStage) and (number(node.qa_share) or 0.0) > 0 and isinstance(node.qa_stage, str) \
                and node.qa_stage != node.id and isinstance(workflow.nodes.get(node.qa_stage), ReviewStage):
            samplers.setdefault(node.qa_stage, []).append(node.id)
    return samplers


def check_graph(workflow: Workflow) -> list[Issue]:
    issues: list[Issue] = []
    for edge in workflow.edges.values():
        for end in ("source", "target"):
            if getattr(edge, end) not in workflow.nodes:
                issues.append(edge_issue(
                    "error", "dangling-edge", workflow, edge, f"its {end} is not a node of this workflow",
                    "delete the edge and draw it again between existing nodes", field=end))
    edges = connected_edges(workflow)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(workflow.nodes)
    for edge in edges:
        graph.add_edge(edge.source, edge.target, key=edge.id)
    sources = [n for n in workflow.nodes.values() if isinstance(n, Source)]
    outcomes = [n for n in workflow.nodes.values() if isinstance(n, Outcome)]
    if not sources:
        issues.append(Issue("error", "The workflow has no source, so no items arrive",
                            "add a source (user reports, proactive detection) and connect it", rule="no-source"))
    if not outcomes:
        issues.append(Issue("error", "The workflow has no outcome, so no item can finish",
                            "add outcomes (removed, kept, …) and connect the last stages to them",
                            rule="no-outcome"))
    issues += _edge_rules(workflow, edges)
    issues += _reachability(workflow, graph, sources, outcomes)
    issues += _loops(workflow, graph, edges)
    return issues


def _edge_rules(workflow: Workflow, edges: list[Edge]) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[tuple[str, str], Edge] = {}
    outgoing: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        outgoing[edge.source].append(edge)
        if edge.source == edge.target:
            issues.append(edge_issue("error", "self-loop", workflow, edge, "an edge leads back to the same node",
                                     "delete it; model re-review with a separate review stage or a delay"))
        pair = (edge.source, edge.target)
        if pair in seen:
            issues.append(edge_issue("error", "duplicate-edge", workflow, edge,
                                     "a second edge between the same two nodes",
                                     "delete one of them and give the other their combined probability"))
        seen.setdefault(pair, edge)
        source, target = workflow.nodes[edge.source], workflow.nodes[edge.target]
        if isinstance(target, Source):
            issues.append(node_issue("error", "source-has-incoming", target,
                                     f"a source cannot receive items (edge from {node_label(source)})",
                                     "delete the edge; point it at a stage or router instead", edge_id=edge.id))
        if isinstance(source, Outcome):
            issues.append(node_issue("error", "outcome-has-outgoing", source,
                                     f"an outcome is terminal but has an edge to {node_label(target)}",
                                     "delete the edge, or replace the outcome by a delay or stage "
                                     "(e.g. an appeal window) if items continue", edge_id=edge.id))
    qa_stages = qa_stage_samplers(workflow)
    for node in workflow.nodes.values():
        count = len(outgoing[node.id])
        if count == 0 and not isinstance(node, Outcome) and node.id not in qa_stages:
            issues.append(node_issue("error", "no-outgoing-edge", node, "has no outgoing edge, so items stop here",
                                     "connect it to the next step or to an outcome"))
        if isinstance(node, Delay) and count > 1:
            issues.append(node_issue("error", "delay-edges", node,
                                     f"a delay passes items on along exactly one edge, not {count}",
                                     "keep one edge; split after the delay with a router"))
    return issues


def _reachability(workflow: Workflow, graph: nx.MultiDiGraph, sources: list, outcomes: list) -> list[Issue]:
    issues: list[Issue] = []
    if sources:
        qa_stages = qa_stage_samplers(workflow)
        with_copies = graph.copy() if qa_stages else graph  # QA copies reach a QA stage from its samplers
        for qa_id, samplers in qa_stages.items():
            with_copies.add_edges_from((sampler, qa_id) for sampler in samplers)
        reached: set[str] = set()
        for source in sources:
            reached |= nx.descendants(with_copies, source.id) | {source.id}
        for node in workflow.nodes.values():
            if node.id not in reached:
                issues.append(node_issue("error", "unreachable-node", node, "no source reaches this node",
                                         "connect it from an upstream step, or delete it"))
    if outcomes:
        finishing: set[str] = set()
        for outcome in outcomes:
            finishing |= nx.ancestors(graph, outcome.id) | {outcome.id}
        for node in workflow.nodes.values():
            if node.id not in finishing and graph.out_degree(node.id) > 0:
                issues.append(node_issue("error", "dead-end", node, "items here can never reach an outcome",
                                         "connect the path after this node to an outcome"))
    return issues


def _loops(workflow: Workflow, graph: nx.MultiDiGraph, edges: list[Edge]) -> list[Issue]:
    issues: list[Issue] = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        exits = [e for e in edges if e.source in component and e.target not in component
                 and can_carry_items(workflow, e)]
        if exits:
            continue
        members = [workflow.nodes[n] for n in workflow.nodes if n in component]
        issues.append(node_issue(
            "error", "loop-without-exit", members[0],
            f"items in the loop {listing([node_label(n) for n in members])} can never leave it",
            "give the loop an exit: an edge with a probability above 0 to a node outside the loop"))
    return issues
