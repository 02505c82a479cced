"""Validation of routing: edge probabilities and attribute-router conditions.

Rules:
- Sources, classifiers, review stages and probability routers route by probability:
  ``probability-missing`` (error) an outgoing edge without a probability;
  ``probability-range`` (error) a probability (or a per-category probability) outside [0, 1];
  ``probability-sum`` (error) the outgoing probabilities do not sum to 1 within 1e-9 — for a
  classifier also per category named in any edge's ``probability_by_category`` (a category missing from
  an edge's table uses the edge's probability); ``category-probabilities-ignored`` (warning) a
  per-category table on an edge that does not leave a classifier.
- Attribute routers: ``router-edge-condition`` (error) every edge has a condition with values or is the
  ``otherwise`` edge, never both; ``router-multiple-otherwise`` (error) at most one otherwise edge;
  ``router-condition-attribute`` (error) a condition tests the router's attribute;
  ``router-condition-overlap`` (error) no value is listed on two edges;
  ``router-not-exhaustive`` (error) without an otherwise edge, the conditions cover every value of the
  router's attribute that the sources' item mixes can bring to the router.
- Scenarios: ``scenario-probability-sum`` (warning) a scenario leaves the branches out of a node summing to
  something other than 1 where the baseline's sum to 1 (a branch's share set directly on its edge; a
  ``route.<branch>`` change rescales the other branches and cannot do this). The message names the scenario,
  the node, the sum and each branch; the hint says which branch to correct and by how much. The baseline can
  still run, so it is a warning, like ``scenario-invalid``.
"""

from __future__ import annotations

from flowmodel.errors import ModelError
from flowmodel.nodes import Classifier, Edge, Node, ReviewStage, Router, Source
from flowmodel.traffic import ItemClass, classes_reaching, decides_by_accuracy, outgoing_edges, splits_by_truth
from flowmodel.validation_issues import Issue, edge_issue, listing, node_issue, number
from flowmodel.workflow import Workflow

TOLERANCE = 1e-9


def routes_by_probability(node: Node) -> bool:
    return isinstance(node, (Source, Classifier, ReviewStage)) or (
        isinstance(node, Router) and node.mode == "probability")


def check_routing(workflow: Workflow) -> list[Issue]:
    outgoing = outgoing_edges(workflow)
    reaching = classes_reaching(workflow)
    issues: list[Issue] = []
    for node in workflow.nodes.values():
        edges = outgoing[node.id]
        if routes_by_probability(node) and edges:
            issues += _probabilities(workflow, node, edges)
        elif isinstance(node, Router) and node.mode == "attribute":
            issues += _conditions(workflow, node, edges, reaching[node.id])
        if not isinstance(node, Classifier):
            for edge in edges:
                if edge.probability_by_category:
                    issues.append(edge_issue(
                        "warning", "category-probabilities-ignored", workflow, edge,
                        "per-category probabilities only apply to edges leaving a classifier",
                        "clear the per-category table, or route through a classifier",
                        field="probability_by_category"))
    return issues + check_scenario_branch_sums(workflow)


def _branch_total(edges: list[Edge]) -> float | None:
    values = [number(e.probability) for e in edges]
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def check_scenario_branch_sums(workflow: Workflow) -> list[Issue]:
    """``scenario-probability-sum`` warnings (see module rules)."""
    from flowmodel.change_fields import branch_name
    from flowmodel.change_words import number_text
    from flowmodel.scenarios import apply_scenario

    issues: list[Issue] = []
    for scenario in workflow.scenarios.values():
        if not scenario.changes:
            continue
        try:
            model = apply_scenario(workflow, scenario)
        except ModelError:
            continue  # reported as scenario-does-not-apply by the parameter checks
        for node in model.nodes.values():
            edges = model.outgoing(node.id)
            base = _branch_total(workflow.outgoing(node.id))
            total = _branch_total(edges)
            if not routes_by_probability(node) or not edges or total is None or base is None:
                continue
            if abs(base - 1.0) > TOLERANCE or abs(total - 1.0) <= TOLERANCE:
                continue
            parts = " + ".join(f"{branch_name(model, e)} {number_text((e.probability or 0) * 100)} %" for e in edges)
            off = (total - 1.0) * 100
            changed = [e for e in edges if e.probability != workflow.edges[e.id].probability]
            which = branch_name(model, changed[0]) if changed else branch_name(model, edges[0])
            issues.append(node_issue(
                "warning", "scenario-probability-sum", node,
                f"in scenario “{scenario.name}” the branches sum to {number_text(total * 100)} %, not 100 % "
                f"({parts})",
                f"in the scenario, {'lower' if off > 0 else 'raise'} the {which} share by "
                f"{number_text(abs(off))} points, or change it as “{which} share” in the scenarios panel, "
                "which rescales the other branches",
                field="probability"))
    return issues


def _probabilities(workflow: Workflow, node: Node, edges: list[Edge]) -> list[Issue]:
    if splits_by_truth(edges):
        return []  # the shares by truth are flowmodel.validation_quality's
    deciding = isinstance(node, ReviewStage) and decides_by_accuracy(edges)
    if deciding:
        edges = [e for e in edges if not e.decision]  # remove and keep take what the other branches leave
        if not edges:
            return []
    issues: list[Issue] = []
    usable = True
    for edge in edges:
        value = number(edge.probability)
        if edge.probability is None:
            usable = False
            issues.append(edge_issue("error", "probability-missing", workflow, edge, "the edge has no probability",
                                     "enter the share of items that take this branch (0–1)", field="probability"))
        elif value is None or not 0.0 <= value <= 1.0:
            usable = False
            issues.append(edge_issue("error", "probability-range", workflow, edge,
                                     f"probability {edge.probability!r} is not between 0 and 1",
                                     "enter a share between 0 and 1", field="probability"))
        if isinstance(node, Classifier):
            for category, raw in edge.probability_by_category.items():
                share = number(raw)
                if share is None or not 0.0 <= share <= 1.0:
                    usable = False
                    issues.append(edge_issue(
                        "error", "probability-range", workflow, edge,
                        f"probability {raw!r} for category {category} is not between 0 and 1",
                        "enter a share between 0 and 1", field=f"probability_by_category.{category}"))
    if not usable:
        return issues
    total = sum(number(e.probability) or 0.0 for e in edges)
    if deciding:
        if total > 1.0 + TOLERANCE:
            issues.append(node_issue("error", "probability-sum", node,
                                     f"the branches other than remove and keep take {total:.6g} of the items, more "
                                     "than all of them", "lower those branches' shares below 100 % together; the "
                                     "reviewers decide remove or keep for the rest", field="probability"))
        return issues
    if abs(total - 1.0) > TOLERANCE:
        issues.append(node_issue("error", "probability-sum", node,
                                 f"outgoing probabilities sum to {total:.6g}, not 1",
                                 "adjust the branch probabilities so that they add up to 100 %",
                                 field="probability"))
    if isinstance(node, Classifier):
        categories = sorted({c for e in edges for c in e.probability_by_category})
        for category in categories:
            per_category = sum(number(e.probability_by_category.get(category, e.probability)) or 0.0
                               for e in edges)
            if abs(per_category - 1.0) > TOLERANCE:
                issues.append(node_issue(
                    "error", "probability-sum", node,
                    f"outgoing probabilities for category {category} sum to {per_category:.6g}, not 1",
                    f"adjust the {category} probabilities on the branches so that they add up to 100 %",
                    field=f"probability_by_category.{category}"))
    return issues


def _conditions(workflow: Workflow, router: Router, edges: list[Edge], arriving: set[ItemClass]) -> list[Issue]:
    issues: list[Issue] = []
    otherwise = [e for e in edges if e.otherwise]
    owner: dict[str, Edge] = {}
    for edge in edges:
        condition = edge.condition
        if edge.otherwise and condition is not None:
            issues.append(edge_issue("error", "router-edge-condition", workflow, edge,
                                     "the edge is both 'otherwise' and has a condition",
                                     "clear the condition or untick 'otherwise'", field="condition"))
        elif not edge.otherwise and (condition is None or not condition.values):
            issues.append(edge_issue("error", "router-edge-condition", workflow, edge,
                                     f"the edge has no condition on {router.attribute}",
                                     f"list the {router.attribute} values that take this edge, "
                                     "or make it the 'otherwise' edge", field="condition"))
        if condition is None or edge.otherwise:
            continue
        if condition.attribute != router.attribute:
            issues.append(edge_issue("error", "router-condition-attribute", workflow, edge,
                                     f"the condition tests {condition.attribute} but the router splits by "
                                     f"{router.attribute}",
                                     f"state the condition on {router.attribute}", field="condition.attribute"))
        for value in condition.values:
            first = owner.setdefault(value, edge)
            if first is not edge:
                issues.append(edge_issue("error", "router-condition-overlap", workflow, edge,
                                         f"{router.attribute} {value} is also listed on the edge to "
                                         f"{_target_name(workflow, first)}",
                                         f"list {value} on one edge only", field="condition.values"))
    if len(otherwise) > 1:
        issues.append(node_issue("error", "router-multiple-otherwise", router,
                                 f"{len(otherwise)} edges are marked 'otherwise'; only one can be",
                                 "keep one 'otherwise' edge and give the others conditions"))
    if not otherwise and edges:
        produced = {item_class.attribute(router.attribute) for item_class in arriving}
        uncovered = produced - set(owner)
        if uncovered:
            issues.append(node_issue(
                "error", "router-not-exhaustive", router,
                f"no edge takes items with {router.attribute} {listing(uncovered)}",
                f"add {listing(uncovered)} to a condition, or add an 'otherwise' edge", field="condition"))
    return issues


def _target_name(workflow: Workflow, edge: Edge) -> str:
    node = workflow.nodes.get(edge.target)
    return f"“{node.name}”" if node is not None and node.name else edge.target[:8]
