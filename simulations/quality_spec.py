"""Compile a model's decision quality (:mod:`flowmodel.quality`) into what the engine's quality runtime reads.

Only a model that uses quality (:func:`uses_quality`) gets here, so every other model compiles exactly as before.
Rules:
- Truth is drawn at each source with ground truth: the prevalence of the class's category per class; backfill
  items (a launch plan's) take the sources' arrival-weighted prevalence of their category.
- Routing at a node whose branches are split by truth has one table per (class, truth): ``Routing.by_truth``.
  ``Routing.by_class`` then holds the benign tables (read only by code that knows no truth).
- A review stage with a remove and a keep branch decides by accuracy (``Routing.decide``); per team and class
  the accuracy table holds (P(remove | violating), P(remove | benign)) by the most specific accuracy stated.
- A branch with a decision elsewhere (a classifier's band) records it (``Routing.decisions``).
- QA: a stage sampling its decisions for QA names its QA stage; a QA stage without branches of its own ends the
  copies' journeys after review.
- A launch plan may time a team's or a stage's accuracy and a source's prevalence (:func:`quality_steps`: the
  tables in force per piece) and the shares of branches split by truth (a node's routing, as any route).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from flowmodel.errors import ModelError
from flowmodel.nodes import Edge, Node, ReviewStage, Source
from flowmodel.quality import resolve_accuracy
from flowmodel.scenarios import Scenario
from flowmodel.teams import Team
from flowmodel.traffic import (
    BENIGN,
    VIOLATING,
    ItemClass,
    decides_by_accuracy,
    outgoing_edges,
    routing,
    splits_by_truth,
)
from flowmodel.workflow import Workflow

REMOVED, KEPT = 1, 2
DECISION_CODES = {"remove": REMOVED, "keep": KEPT}

#: Per team (spec order) and item class: (P(remove | violating), P(remove | benign)).
AccuracyTable = tuple[tuple[tuple[float, float], ...], ...]


@dataclass(frozen=True)
class TruthSpec:
    """A source's ground truth per item class: the prevalence and a violating item's views per hour."""

    source: int
    prevalence: tuple[float, ...]
    views: tuple[float, ...]


@dataclass(frozen=True)
class QaSpec:
    stage: int
    share: float
    qa_stage: int


@dataclass(frozen=True)
class QualitySpec:
    categories: tuple[str, ...]
    category_by_class: tuple[int, ...]
    truth: tuple[TruthSpec, ...]
    backfill_prevalence: tuple[float, ...]
    backfill_views: tuple[float, ...]
    #: (stage index, accuracy table) of every stage that decides by accuracy or reviews QA copies.
    accuracy: tuple[tuple[int, AccuracyTable], ...]
    qa: tuple[QaSpec, ...]
    qa_stages: tuple[int, ...]


def uses_quality(model: Workflow) -> bool:
    """Whether anything in ``model`` states decision quality (ground truth, decisions, splits by truth, QA)."""
    return (any(isinstance(n, Source) and n.truth is not None for n in model.nodes.values())
            or any(e.decision or e.by_truth is not None for e in model.edges.values())
            or any(isinstance(n, ReviewStage) and n.qa_share > 0 and n.qa_stage for n in model.nodes.values()))


def qa_stage_ids(model: Workflow) -> set[str]:
    return {n.qa_stage for n in model.nodes.values() if isinstance(n, ReviewStage) and n.qa_share > 0 and n.qa_stage}


def quality_routing(model: Workflow, node: Node, classes: tuple[ItemClass, ...], index_of: dict[str, int],
                    outgoing: dict[str, list[Edge]], where: str):  # -> Routing (the spec module imports this one)
    """The node's :class:`~simulations.spec.Routing` in a quality model (see the module rules)."""
    if isinstance(node, ReviewStage) and not outgoing.get(node.id) and node.id in qa_stage_ids(model):
        from simulations.spec import Routing

        return Routing((), ())
    return quality_routing_per_class([model] * len(classes), node.id, classes, index_of, where,
                                     [outgoing] * len(classes))


def quality_routing_per_class(models: list[Workflow], node_id: str, classes: tuple[ItemClass, ...],
                              index_of: dict[str, int], where: str,
                              outgoing: list[dict[str, list[Edge]]] | None = None):  # -> Routing
    """Routing at ``node_id`` where class ``c`` is routed as in ``models[c]`` (a launch plan's scoped changes give
    classes different models; a static model gives them all the same one)."""
    from simulations.spec import Decide, Routing, compile_routing, table_index

    if outgoing is None:
        by_model: dict[int, dict[str, list[Edge]]] = {}
        outgoing = [by_model.setdefault(id(m), outgoing_edges(m)) for m in models]
    edges_of = [o.get(node_id, []) for o in outgoing]
    edges = edges_of[0]
    node = models[0].nodes[node_id]
    benign = tuple(c._replace(truth=BENIGN) for c in classes)
    if isinstance(node, ReviewStage) and decides_by_accuracy(edges):
        decides = {_decide_shape(e, index_of) for e in edges_of}
        if len(decides) > 1:
            raise ModelError("a review stage that decides by accuracy cannot have its other branches' shares scoped "
                             "to some items", where=where, hint="remove the scope of the change, or time it for all")
        base = compile_routing(models, node_id, benign, index_of, where, outgoing)
        return dataclasses.replace(base, decide=Decide(*decides.pop()))
    marks = {tuple((index_of[e.target], DECISION_CODES[e.decision]) for e in es if e.decision) for es in edges_of}
    decisions = marks.pop() if len(marks) == 1 else ()
    if not splits_by_truth(edges):
        return dataclasses.replace(compile_routing(models, node_id, classes, index_of, where, outgoing),
                                   decisions=decisions)
    tables: list[tuple[tuple[int, ...], tuple[float, ...]]] = []
    by_truth: list[list[int]] = [[], []]
    for position, truth in enumerate((BENIGN, VIOLATING)):
        for item_class, model, out in zip(classes, models, outgoing, strict=True):
            kept = [(index_of[t], p) for t, p in routing(model, node_id, item_class._replace(truth=truth), out)
                    if p > 0]
            if not kept:
                raise ModelError(f"no branch takes {truth} items of category {item_class.category}, language "
                                 f"{item_class.language}, priority {item_class.priority}", where=where,
                                 hint="give a branch a share above 0 for these items")
            by_truth[position].append(table_index(tables, kept))
    return Routing(tuple(tables), tuple(by_truth[0]), (tuple(by_truth[0]), tuple(by_truth[1])), decisions)


def _decide_shape(edges: list[Edge], index_of: dict[str, int]) -> tuple:
    others = [(index_of[e.target], float(e.probability or 0.0)) for e in edges if not e.decision]
    sums, running = [], 0.0
    for _, p in others:
        running += p
        sums.append(running)
    remove = next(index_of[e.target] for e in edges if e.decision == "remove")
    keep = next(index_of[e.target] for e in edges if e.decision == "keep")
    return tuple(t for t, _ in others), tuple(sums), remove, keep


def quality_steps(part, model: Workflow, classes: tuple[ItemClass, ...], index_of: dict[str, int],
                  grid: list[float], where_at) -> list:  # -> list[simulations.launch_plan.Step]
    """A launch plan's timed accuracy or prevalence (a part of :mod:`simulations.launch_plan`) as steps: per piece
    of ``grid`` the accuracy table of every stage the part changes, or the source's truth per class."""
    from simulations.launch_plan import Step

    steps: list = []
    previous: dict[int, object] = {}
    deciding = {n.id for n in model.nodes.values() if isinstance(n, ReviewStage)
                and (decides_by_accuracy(model.outgoing(n.id)) or n.id in qa_stage_ids(model))}
    for a in grid:
        fragment = part.model(part.active(a), a, where_at(a))
        payloads: list[tuple[int, object]] = []
        if part.kind == "truth":
            truth = fragment.nodes[part.owner].truth
            if truth is None:
                continue
            payloads.append((index_of[part.owner], (
                tuple(_share(truth.prevalence_of(c.category)) for c in classes),
                tuple(max(0.0, float(truth.views_of(c.category))) for c in classes))))
        else:
            team_list = [fragment.teams.get(t.id, t) for t in model.teams.values()]
            stage_ids = [part.owner] if part.owner in model.nodes else \
                [s for s in model.teams[part.owner].stages if s in deciding]
            for stage_id in stage_ids:
                if stage_id in deciding:
                    stage = fragment.nodes.get(stage_id, model.nodes[stage_id])
                    payloads.append((index_of[stage_id], _accuracy_table(stage, classes, team_list)))
        for node, payload in payloads:
            if previous.get(node) != payload:
                steps.append(Step(a, part.kind, node, payload))
                previous[node] = payload
    return steps


def compile_quality(model: Workflow, scenario: Scenario | None, classes: tuple[ItemClass, ...],
                    index_of: dict[str, int], team_list: list[Team]) -> QualitySpec:
    categories = tuple(dict.fromkeys(c.category for c in classes))
    truth: list[TruthSpec] = []
    weight: dict[str, float] = {}
    violating: dict[str, float] = {}
    views: dict[str, float] = {}
    for node in model.nodes.values():
        if not isinstance(node, Source) or node.truth is None:
            continue
        truth.append(TruthSpec(index_of[node.id],
                               tuple(_share(node.truth.prevalence_of(c.category)) for c in classes),
                               tuple(max(0.0, float(node.truth.views_of(c.category))) for c in classes)))
        total_share = sum(max(0.0, e.share) for e in node.mix) or 1.0
        for entry in node.mix:
            rate = max(0.0, node.rate_per_hour) * max(0.0, entry.share) / total_share
            prevalence = _share(node.truth.prevalence_of(entry.category))
            weight[entry.category] = weight.get(entry.category, 0.0) + rate
            violating[entry.category] = violating.get(entry.category, 0.0) + rate * prevalence
            views[entry.category] = views.get(entry.category, 0.0) + rate * prevalence * node.truth.views_of(
                entry.category)
    backfill_prevalence = tuple(violating.get(c.category, 0.0) / weight[c.category] if weight.get(c.category)
                                else 0.0 for c in classes)
    backfill_views = tuple(views.get(c.category, 0.0) / violating[c.category] if violating.get(c.category)
                           else 0.0 for c in classes)
    outgoing: dict[str, list[Edge]] = {n: model.outgoing(n) for n in model.nodes}
    qa_ids = qa_stage_ids(model)
    accuracy: list[tuple[int, AccuracyTable]] = []
    for node in model.nodes.values():
        if isinstance(node, ReviewStage) and (decides_by_accuracy(outgoing[node.id]) or node.id in qa_ids):
            accuracy.append((index_of[node.id], _accuracy_table(node, classes, team_list)))
    qa = tuple(QaSpec(index_of[n.id], _share(n.qa_share), index_of[n.qa_stage]) for n in model.nodes.values()
               if isinstance(n, ReviewStage) and n.qa_share > 0 and n.qa_stage in index_of)
    return QualitySpec(categories, tuple(categories.index(c.category) for c in classes), tuple(truth),
                       backfill_prevalence, backfill_views, tuple(accuracy), qa,
                       tuple(sorted(index_of[s] for s in qa_ids if s in index_of)))


def _accuracy_table(stage: ReviewStage, classes: tuple[ItemClass, ...], team_list: list[Team]) -> AccuracyTable:
    rows = []
    for team in team_list:
        row = []
        for item_class in classes:
            found = resolve_accuracy(stage.accuracy, stage.accuracy_by_category, team.accuracy,
                                     team.accuracy_by_category, item_class.category)
            row.append((found.remove_probability(True), found.remove_probability(False)))
        rows.append(tuple(row))
    return tuple(rows)


def _share(value: float) -> float:
    return min(max(float(value), 0.0), 1.0)
