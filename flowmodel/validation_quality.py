"""Validation of decision quality (:mod:`flowmodel.quality`): ground truth, splits by truth, decisions, accuracy, QA.

A model that states no quality (no ground truth, no decision, no split by truth, no accuracy, no QA) gets no issue
from here. Rules (errors unless stated):
- ``truth-prevalence-range``: a source's prevalence (overall or per category) is not a number from 0 to 1;
  ``truth-views-range``: its views per hour (overall or per category) is not a number of at least 0.
- ``truth-split-node``: a branch split by truth leaves a node other than a classifier or a probability router.
- ``truth-split-partial``: some of a node's branches are split by truth and some are not (all or none).
- ``truth-split-range``: a branch's share for violating or benign items (overall or per category) is not 0–1.
- ``truth-split-sum``: per truth — and per category that any of the node's branches names — the node's shares
  do not sum to 1.
- ``truth-missing``: items of a source without ground truth reach a node split by truth or a review stage that
  decides by accuracy, where the engine would take them as benign; named per source and node.
- ``decision-invalid``: a branch's decision is not remove, keep or none.
- ``decision-node``: a decision on a branch of a node other than a classifier or a review stage.
- ``decision-duplicate``: a review stage with two remove (or two keep) branches: only the first would be taken.
- ``decision-pair`` (warning): a review stage with a remove branch but no keep branch, or the reverse: it does
  not decide by accuracy, its branches keep their fixed shares.
- ``accuracy-range``: an accuracy (a team's or a stage's, overall or per category) not 0–1.
- ``accuracy-unstated`` (warning): a stage that decides by accuracy (or reviews QA copies) with no accuracy on
  it nor on any team working it: its reviewers are taken as always right.
- ``qa-share-range``: a stage's QA share is not 0–1. ``qa-stage-missing``: a QA share above 0 without a QA
  stage. ``qa-stage-invalid``: the QA stage does not exist, is not a review stage, is the stage itself, has no
  team, or items also reach it along edges (a QA stage reviews only QA copies). ``qa-without-decisions``
  (warning): a QA share on a stage without remove/keep branches: there is nothing to sample.
- ``qa-stage-has-edges`` (warning): a QA stage with outgoing edges; without them its copies end after their
  review there, with them the copies go on like items.

Reachability of QA stages (they have no edges of their own) is :mod:`flowmodel.validation_graph`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flowmodel.nodes import Classifier, Edge, Node, ReviewStage, Router, Source
from flowmodel.quality import DECISIONS, Accuracy
from flowmodel.traffic import outgoing_edges, qa_copies, routing, source_class_rates
from flowmodel.validation_graph import qa_stage_samplers
from flowmodel.validation_issues import Issue, edge_issue, listing, node_issue, node_label, number, team_issue
from flowmodel.workflow import Workflow

TOLERANCE = 1e-9
SHARE_HINT = "enter a share from 0 % to 100 %"


def uses_quality(workflow: Workflow) -> bool:
    """Whether ``workflow`` states any decision quality (otherwise nothing here is checked)."""
    nodes = workflow.nodes.values()
    return (any(isinstance(n, Source) and n.truth is not None for n in nodes)
            or any(e.decision or e.by_truth is not None for e in workflow.edges.values())
            or any(isinstance(n, ReviewStage) and (n.accuracy is not None or n.accuracy_by_category
                                                   or n.qa_stage or n.qa_share != 0) for n in nodes)
            or any(t.accuracy is not None or t.accuracy_by_category for t in workflow.teams.values()))


def check_quality(workflow: Workflow) -> list[Issue]:
    """Every decision-quality issue of ``workflow`` (module rules), in node order, then teams, then the graph's."""
    if not uses_quality(workflow):
        return []
    outgoing = outgoing_edges(workflow)
    issues: list[Issue] = []
    for node in workflow.nodes.values():
        edges = outgoing.get(node.id, [])
        if isinstance(node, Source) and node.truth is not None:
            issues += _truth_ranges(node)
        issues += _truth_splits(workflow, node, edges)
        issues += _decisions(workflow, node, edges)
        if isinstance(node, ReviewStage):
            issues += _accuracy_ranges(node.accuracy, node.accuracy_by_category,
                                       lambda m, h, f, n=node: node_issue("error", "accuracy-range", n, m, h, f))
            issues += _qa(workflow, node, edges)
    for team in workflow.teams.values():
        issues += _accuracy_ranges(team.accuracy, team.accuracy_by_category,
                                   lambda m, h, f, t=team: team_issue("error", "accuracy-range", t, m, h, f))
    issues += _unstated_accuracy(workflow, outgoing)
    issues += _qa_stage_edges(workflow, outgoing)
    issues += _truth_missing(workflow, outgoing)
    return issues


def decides_by_accuracy(edges: list[Edge]) -> bool:
    """:func:`flowmodel.traffic.decides_by_accuracy`, safe on a decision of a type no editor can produce."""
    decisions = [e.decision for e in edges if isinstance(e.decision, str)]
    return "remove" in decisions and "keep" in decisions


def _share_problem(value: object) -> bool:
    share = number(value)
    return share is None or not 0.0 <= share <= 1.0


def _pct(value: object) -> str:
    share = number(value)
    return f"{share:.4g}" if share is None or not 0 <= share <= 1 else f"{share:.1%}"


def _truth_ranges(source: Source) -> list[Issue]:
    truth = source.truth
    assert truth is not None
    issues: list[Issue] = []
    for where, value, path in _per_category(truth.prevalence, truth.by_category, "truth.prevalence",
                                            "truth.by_category"):
        if _share_problem(value):
            issues.append(node_issue("error", "truth-prevalence-range", source,
                                     f"the prevalence{where} (share of items truly violating) is {value!r}; it must "
                                     "be from 0 % to 100 %", SHARE_HINT, field=path))
    for where, value, path in _per_category(truth.views_per_hour, truth.views_by_category, "truth.views_per_hour",
                                            "truth.views_by_category"):
        views = number(value)
        if views is None or views < 0:
            issues.append(node_issue("error", "truth-views-range", source,
                                     f"the views per hour of a violating item{where} is {value!r}; it must be a "
                                     "number of at least 0", "enter how often a violating item is seen per hour "
                                     "while it is up, or 0 to leave views out", field=path))
    return issues


def _per_category(overall: object, by_category: object, path: str, table: str) -> Iterator[tuple[str, object, str]]:
    """(words, value, field path) of a general value and of each per-category one."""
    yield "", overall, path
    if isinstance(by_category, dict):
        for category, value in by_category.items():
            yield f" for {category}", value, f"{table}.{category}"


# -- splits by truth --------------------------------------------------------------------------------------------
def _truth_splits(workflow: Workflow, node: Node, edges: list[Edge]) -> list[Issue]:
    split = [e for e in edges if e.by_truth is not None]
    if not split:
        return []
    issues: list[Issue] = []
    if not (isinstance(node, Classifier) or (isinstance(node, Router) and node.mode == "probability")):
        return [node_issue("error", "truth-split-node", node,
                           "its branches are split by truth, which only a classifier's bands or a probability "
                           "router's branches can be", "clear the split by truth on its branches and give them "
                           "shares, or put a probability router after it", edge_id=split[0].id)]
    if len(split) < len(edges):
        unsplit = [e for e in edges if e.by_truth is None]
        names = listing([_branch(workflow, e) for e in unsplit])
        issues.append(node_issue("error", "truth-split-partial", node,
                                 f"some branches are split by truth but {names} not: either every branch "
                                 "states its shares for violating and benign items or none",
                                 "give every branch its shares for violating and benign items",
                                 edge_id=unsplit[0].id))
    usable = True
    for edge in split:
        for words, value, path in _split_values(edge):
            if _share_problem(value):
                usable = False
                issues.append(edge_issue("error", "truth-split-range", workflow, edge,
                                         f"the share of {words} taking this branch is {value!r}; it must be from "
                                         "0 % to 100 %", SHARE_HINT, field=path))
    if usable and len(split) == len(edges):
        issues += _split_sums(workflow, node, split)
    return issues


def _split_values(edge: Edge) -> Iterator[tuple[str, object, str]]:
    split = edge.by_truth
    assert split is not None
    yield "violating items", split.violating, "by_truth.violating"
    yield "benign items", split.benign, "by_truth.benign"
    if isinstance(split.by_category, dict):
        for category, cell in split.by_category.items():
            for truth in ("violating", "benign"):
                yield (f"{truth} {category} items", getattr(cell, truth, None),
                       f"by_truth.by_category.{category}.{truth}")


def _split_sums(workflow: Workflow, node: Node, edges: list[Edge]) -> list[Issue]:
    categories = sorted({str(c) for e in edges if e.by_truth is not None and isinstance(e.by_truth.by_category, dict)
                         for c in e.by_truth.by_category})
    issues: list[Issue] = []
    for category in ["", *categories]:
        for truth in ("violating", "benign"):
            total = sum(_share_of(e, category, truth) for e in edges)
            if abs(total - 1.0) > TOLERANCE:
                which = f"{truth} {category} items" if category else f"{truth} items"
                shares = ", ".join(f"{_branch(workflow, e)} {_pct(_share_of(e, category, truth))}" for e in edges)
                issues.append(node_issue("error", "truth-split-sum", node,
                                         f"the shares of {which} over its branches sum to {total:.1%}, not 100 % "
                                         f"({shares})", f"make the branches' shares of {which} add up to 100 %",
                                         field="by_truth", edge_id=edges[0].id))
    return issues


def _share_of(edge: Edge, category: str, truth: str) -> float:
    split = edge.by_truth
    assert split is not None
    cell = split.by_category.get(category) if category else None
    return number(getattr(cell, truth) if cell is not None else getattr(split, truth)) or 0.0


def _branch(workflow: Workflow, edge: Edge) -> str:
    target = workflow.nodes.get(edge.target)
    return f"“{edge.label or (target.name if target is not None else '') or edge.id[:8]}”"


# -- decisions --------------------------------------------------------------------------------------------------
def _decisions(workflow: Workflow, node: Node, edges: list[Edge]) -> list[Issue]:
    issues: list[Issue] = []
    for edge in edges:
        if edge.decision and not (isinstance(edge.decision, str) and edge.decision in DECISIONS):
            issues.append(edge_issue("error", "decision-invalid", workflow, edge,
                                     f"its decision {edge.decision!r} is unknown", "pick remove, keep or no decision",
                                     field="decision"))
    deciding = [e for e in edges if isinstance(e.decision, str) and e.decision in DECISIONS]
    if not deciding:
        return issues
    if not isinstance(node, (Classifier, ReviewStage)):
        return issues + [edge_issue("error", "decision-node", workflow, e,
                                    f"it decides “{e.decision}”, but only a classifier's bands and a review stage's "
                                    "branches decide", "clear the branch's decision, or move the decision to the "
                                    "classifier or review stage before it", field="decision") for e in deciding]
    if not isinstance(node, ReviewStage):
        return issues
    for decision in DECISIONS:
        same = [e for e in deciding if e.decision == decision]
        if len(same) > 1:
            issues.append(node_issue("error", "decision-duplicate", node,
                                     f"{', '.join(_branch(workflow, e) for e in same)} all decide “{decision}”; "
                                     f"reviewers send every {decision} decision along the first of them only",
                                     f"keep one “{decision}” branch and clear the decision on the others (split "
                                     "after it with a router if items go on differently)", edge_id=same[1].id,
                                     field="decision"))
    if not decides_by_accuracy(edges):
        have = deciding[0].decision
        lacking = "keep" if have == "remove" else "remove"
        issues.append(node_issue("warning", "decision-pair", node,
                                 f"it has a “{have}” branch but no “{lacking}” branch, so its reviewers do not decide "
                                 "by accuracy: every branch keeps its fixed share",
                                 f"mark the branch for {lacking} decisions “{lacking}” so that reviewers decide by "
                                 "the items' truth and their accuracy, or clear the decision", edge_id=deciding[0].id,
                                 field="decision"))
    return issues


# -- accuracy ---------------------------------------------------------------------------------------------------
def _accuracy_ranges(accuracy: object, by_category: object, issue: Callable[[str, str, str], Issue]) -> list[Issue]:
    """``accuracy-range`` for an accuracy and its per-category table; ``issue(message, hint, field)`` places it."""
    issues: list[Issue] = []
    tables: list[tuple[str, object, str]] = [("", accuracy, "accuracy")] if accuracy is not None else []
    if isinstance(by_category, dict):
        tables += [(f" for {c}", a, f"accuracy_by_category.{c}") for c, a in by_category.items()]
    for where, found, path in tables:
        for name, words in (("remove_violating", "removing violating items (recall)"),
                            ("keep_benign", "keeping benign items (specificity)")):
            value = getattr(found, name, None) if isinstance(found, Accuracy) else None
            if _share_problem(value):
                issues.append(issue(f"the accuracy{where} of {words} is {value!r}; it must be from 0 % to 100 %",
                                    SHARE_HINT, f"{path}.{name}"))
    return issues


def _reviews_by_accuracy(workflow: Workflow, outgoing: dict[str, list[Edge]]) -> list[ReviewStage]:
    """The review stages whose reviewers decide by accuracy: deciding stages and QA stages."""
    qa = qa_stage_samplers(workflow)
    return [n for n in workflow.nodes.values() if isinstance(n, ReviewStage)
            and (decides_by_accuracy(outgoing.get(n.id, [])) or n.id in qa)]


def _unstated_accuracy(workflow: Workflow, outgoing: dict[str, list[Edge]]) -> list[Issue]:
    issues: list[Issue] = []
    for stage in _reviews_by_accuracy(workflow, outgoing):
        teams = workflow.teams_for_stage(stage.id)
        if stage.accuracy is not None or stage.accuracy_by_category or any(
                t.accuracy is not None or t.accuracy_by_category for t in teams):
            continue
        names = listing([f"“{t.name}”" for t in teams]) or "its team"
        issues.append(node_issue("warning", "accuracy-unstated", stage,
                                 f"reviewers at {node_label(stage)} are taken as always right: no accuracy is stated "
                                 "on the stage nor on any team working it",
                                 f"state the accuracy of {names} (removing violating items, keeping benign ones) in "
                                 "the team editor, or the stage's own", field="accuracy"))
    return issues


# -- QA ---------------------------------------------------------------------------------------------------------
def _qa(workflow: Workflow, stage: ReviewStage, edges: list[Edge]) -> list[Issue]:
    share = number(stage.qa_share)
    if _share_problem(stage.qa_share):
        return [node_issue("error", "qa-share-range", stage,
                           f"its QA share (decisions re-reviewed) is {stage.qa_share!r}; it must be from 0 % to 100 %",
                           SHARE_HINT, field="qa_share")]
    if not share:
        return []
    if not isinstance(stage.qa_stage, str) or not stage.qa_stage:
        return [node_issue("error", "qa-stage-missing", stage,
                           f"{share:.1%} of its decisions are to be re-reviewed, but no QA stage is named",
                           "pick the review stage that re-reviews them, or set the QA share to 0", field="qa_stage")]
    issues: list[Issue] = []
    qa_stage = workflow.nodes.get(stage.qa_stage)
    problem = ""
    if qa_stage is None:
        problem = "names a QA stage that does not exist"
    elif not isinstance(qa_stage, ReviewStage):
        problem = f"sends its QA copies to {node_label(qa_stage)}, which is not a review stage"
    elif qa_stage.id == stage.id:
        problem = "names itself as its QA stage"
    elif not workflow.teams_for_stage(qa_stage.id):
        problem = f"sends its QA copies to {node_label(qa_stage)}, which no team works"
    elif feeding := [e for e in workflow.edges.values() if e.target == qa_stage.id and e.source in workflow.nodes]:
        problem = (f"sends its QA copies to {node_label(qa_stage)}, which items also reach along edges (from "
                   f"{listing([node_label(workflow.nodes[e.source]) for e in feeding])}); a QA stage reviews "
                   "only QA copies")
    if problem:
        issues.append(node_issue("error", "qa-stage-invalid", stage, problem,
                                 "pick a review stage of its own for QA (no edges into it) with a team that works "
                                 "it, or set the QA share to 0", field="qa_stage"))
    if not any(isinstance(e.decision, str) and e.decision in DECISIONS for e in edges):
        issues.append(node_issue("warning", "qa-without-decisions", stage,
                                 f"a QA share of {share:.1%} is set, but no branch decides remove or keep, so no "
                                 "decision is sampled", "mark its remove and keep branches, or set the QA share to 0",
                                 field="qa_share"))
    return issues


def _qa_stage_edges(workflow: Workflow, outgoing: dict[str, list[Edge]]) -> list[Issue]:
    issues: list[Issue] = []
    for qa_id, samplers in qa_stage_samplers(workflow).items():
        edges = outgoing.get(qa_id, [])
        if edges:
            names = listing([node_label(workflow.nodes[s]) for s in samplers])
            issues.append(node_issue("warning", "qa-stage-has-edges", workflow.nodes[qa_id],
                                     f"it re-reviews QA copies of {names} and has outgoing edges, which send the "
                                     "copies on as if they were items; a QA stage needs none",
                                     "delete its outgoing edges: without them QA copies end after their review "
                                     "here", edge_id=edges[0].id))
    return issues


# -- truth reaching where it is needed --------------------------------------------------------------------------
def _needs_truth(workflow: Workflow, node: Node, edges: list[Edge]) -> str:
    """Why items arriving at ``node`` need a truth ("" when they do not)."""
    if any(e.by_truth is not None for e in edges):
        return "its branches are split by truth"
    if isinstance(node, ReviewStage) and decides_by_accuracy(edges):
        return "its reviewers decide by the items' truth"
    return ""


def _truth_missing(workflow: Workflow, outgoing: dict[str, list[Edge]]) -> list[Issue]:
    """Per source without ground truth, the first nodes needing truth its items reach (by the routing)."""
    needing = {n.id: why for n in workflow.nodes.values() if (why := _needs_truth(workflow, n, outgoing.get(n.id, [])))}
    if not needing:
        return []
    issues: list[Issue] = []
    for source in workflow.nodes.values():
        if not isinstance(source, Source) or source.truth is not None:
            continue
        reached: set[str] = set()
        for item_class in source_class_rates(source):
            queue, seen = [source.id], {source.id}
            for node_id in queue:
                if node_id in needing:
                    reached.add(node_id)
                    continue  # where such items go from here is not defined
                steps = [t for t, p in routing(workflow, node_id, item_class, outgoing) if p > 0]
                copies = qa_copies(workflow, node_id, item_class, outgoing)
                steps += [copies[0]] if copies is not None else []
                for target in steps:
                    if target not in seen and target in workflow.nodes:
                        seen.add(target)
                        queue.append(target)
        for node_id in sorted(reached, key=list(workflow.nodes).index):
            node = workflow.nodes[node_id]
            issues.append(node_issue("error", "truth-missing", node,
                                     f"items from {node_label(source)} arrive here without a ground truth, but "
                                     f"{needing[node_id]}", f"give {node_label(source)} a prevalence (the share of "
                                     "its items truly violating) in the source editor, or route its items around "
                                     "this node"))
    return issues
