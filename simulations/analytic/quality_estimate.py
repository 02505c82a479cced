"""The expected counts of decision quality — right and wrong removals, misses, appeals, overturns, QA findings —
without simulating, by linearity through the routing graph.

Method: per source and item class × truth (:func:`flowmodel.traffic.truth_class_rates`), an item's journey is an
absorbing Markov chain over states (node, standing decision), the decision one of none, removed, kept and
removed-under-appeal, moved exactly as :mod:`simulations.quality_runtime` moves it:
- a branch with a decision (a classifier's band) sets it; a review stage that decides by accuracy sends its other
  branches their probabilities and the rest ``1 − Σp`` to remove and keep by P(remove | truth);
- entering a deciding stage while removed makes the item removed-under-appeal (an appeal there); a decision on
  it then upholds (remove) or overturns (keep) the removal;
- a removal taken while the standing decision is none or kept counts as a correct (violating) or wrongful
  (benign) removal; an outcome tallies the standing decision (removed-under-appeal counts as removed);
- a deciding stage sampling for QA sends that share of its decisions' copies to its QA stage, whose own
  P(remove | truth) says whether the QA decision disagrees and whether it finds the original's error.
Visits per hour solve λ = s + Pᵀλ over the reachable states (one small linear solve per class), and every count
is the flow through the transitions that carry it. Items of a source without ground truth are benign, as the
runtime treats them.

When it is exact: the expected counts of the items created in the counted window (run hours − warm-up) whose
journeys all end (a run that drains, ``compile_run(..., drain=True)``) — for a static scenario, with no expiry
in queues (an expired item reaches no outcome; here it is not modelled), and where the teams eligible for a
class at a deciding or QA stage share one accuracy. Otherwise the teams are weighted by their mean available
reviewers (:func:`flowmodel.traffic.remove_probabilities`), while the engine uses whichever team takes the item.
Rates are the sources' mean rates (profiles average out, surges are left out, as in :mod:`flowmodel.traffic`).
Precision, recall and the overturn rate are ratios of expectations. Exposure (violating item-hours up) is not
linear in counts — it depends on waits and on the run's end for items never removed — and is left out.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, fields

import networkx as nx
import numpy as np

from flowmodel.errors import FlowmodelError, ModelError
from flowmodel.nodes import Edge, Outcome, ReviewStage, Source
from flowmodel.scenarios import Scenario, apply_scenario
from flowmodel.traffic import (
    BENIGN,
    VIOLATING,
    ItemClass,
    decides_by_accuracy,
    outgoing_edges,
    remove_probabilities,
    routing,
    truth_class_rates,
)
from flowmodel.workflow import Workflow
from simulations.quality_metrics import ALL_CATEGORIES
from simulations.quality_spec import uses_quality
from simulations.results import MetricRecord

NONE, REMOVED, KEPT, APPEALING = 0, 1, 2, 3
CODES = {"remove": REMOVED, "keep": KEPT}


@dataclass
class QualityCounts:
    """Expected counts of one category (or all), per hour or per run window (names as in the run's records)."""

    violating: float = 0.0
    correct_removals: float = 0.0
    wrongful_removals: float = 0.0
    removed_violating: float = 0.0
    removed_benign: float = 0.0
    missed_violations: float = 0.0
    kept_benign: float = 0.0
    undecided: float = 0.0
    appeals: float = 0.0
    upheld: float = 0.0
    overturns: float = 0.0

    @property
    def precision(self) -> float:
        return _ratio(self.removed_violating, self.removed_violating + self.removed_benign)

    @property
    def recall(self) -> float:
        return _ratio(self.removed_violating, self.removed_violating + self.missed_violations)

    @property
    def overturn_rate(self) -> float:
        return _ratio(self.overturns, self.overturns + self.upheld)

    def metric_values(self) -> list[tuple[str, float]]:
        """The ``quality`` scope's metrics this estimate gives (:mod:`simulations.quality_metrics`' names)."""
        counts = [(f"{f.name}_count", getattr(self, f.name)) for f in fields(self)]
        return [*counts, ("precision_share", self.precision), ("recall_share", self.recall),
                ("overturn_rate_share", self.overturn_rate)]


@dataclass
class StageCounts:
    """Expected counts of one deciding (or QA-sampling) stage."""

    removals: float = 0.0
    keeps: float = 0.0
    wrongful_removals: float = 0.0
    missed_violations: float = 0.0
    appeals: float = 0.0
    overturns: float = 0.0
    qa_reviews: float = 0.0
    qa_disagreements: float = 0.0
    qa_errors_found: float = 0.0

    @property
    def removal_share(self) -> float:
        return _ratio(self.removals, self.removals + self.keeps)

    @property
    def qa_disagreement_share(self) -> float:
        return _ratio(self.qa_disagreements, self.qa_reviews)

    def metric_values(self, samples_qa: bool) -> list[tuple[str, float]]:
        names = ["removals", "keeps", "wrongful_removals", "missed_violations", "appeals", "overturns"]
        values = [(f"{n}_count", getattr(self, n)) for n in names] + [("removal_share", self.removal_share)]
        if samples_qa:
            values += [("qa_reviews_count", self.qa_reviews), ("qa_disagreements_count", self.qa_disagreements),
                       ("qa_errors_found_count", self.qa_errors_found),
                       ("qa_disagreement_share", self.qa_disagreement_share)]
        return values


@dataclass
class QualityEstimate:
    """Expected counts per hour; :meth:`records` gives them per run window like a replication's records."""

    window_hours: float
    overall: QualityCounts
    by_category: dict[str, QualityCounts]
    #: Per deciding or QA-sampling stage id: its name and counts.
    stages: dict[str, tuple[str, StageCounts]]
    sampling: frozenset[str]
    #: Per QA stage id: QA copies arriving per hour (their load).
    qa_copies: dict[str, float]
    #: What the estimate leaves out for this model, in a planner's words.
    notes: tuple[str, ...] = field(default=())

    def records(self, hours: float | None = None) -> list[MetricRecord]:
        """Expected counts over ``hours`` (default: the run window), as ``quality`` and ``decision`` records."""
        scale = self.window_hours if hours is None else hours
        out: list[MetricRecord] = []

        def add(kind: str, scope_id: str, name: str, values: list[tuple[str, float]]) -> None:
            out.extend(MetricRecord(kind, scope_id, name, metric, value if metric.endswith("_share") else
                                    value * scale) for metric, value in values)

        add("quality", "quality", ALL_CATEGORIES, self.overall.metric_values())
        for category, counts in self.by_category.items():
            add("quality", f"quality:{category}", category, counts.metric_values())
        for stage_id, (name, counts) in self.stages.items():
            add("decision", stage_id, name, counts.metric_values(stage_id in self.sampling))
        return out

    def metric(self, kind: str, scope: str, metric: str, hours: float | None = None) -> float:
        """One expected value over ``hours`` (default the run window), found by scope id or name."""
        for record in self.records(hours):
            if record.scope_kind == kind and record.metric == metric and scope in (record.scope_id,
                                                                                     record.scope_name):
                return record.value
        raise KeyError(f"{kind} {scope!r} has no expected metric {metric!r}")


@dataclass(frozen=True)
class QualityUnavailable:
    """Why a model has no quality estimate, for the canvas or summary to show."""

    message: str
    where: str = ""
    hint: str = ""


def quality_expectation(workflow: Workflow, scenario: Scenario | None = None) -> QualityEstimate | QualityUnavailable:
    """The estimate of ``workflow`` with ``scenario``'s static changes applied (a launch plan's timed changes,
    backfills and trainings are the engine's, over time), or why there is none."""
    try:
        model = apply_scenario(workflow, scenario)
    except ModelError as error:
        name = scenario.name if scenario is not None else "baseline"
        return QualityUnavailable(error.message, f"scenario {name!r} · {error.where}".rstrip(" ·"), error.hint)
    if not uses_quality(model):
        return QualityUnavailable("the model states no decision quality", "sources and branches",
                                  "give a source ground truth (prevalence) and mark branches remove or keep")
    try:
        return estimate_quality(model)
    except FlowmodelError as error:
        return QualityUnavailable(error.message, error.where, error.hint)


# -- the chain ----------------------------------------------------------------------------------
#: A transition: (to state, probability, weighted events). An event is (scope, counter, weight); scope
#: "category" or a stage id.
Transition = tuple[tuple[str, int], float, tuple[tuple[str, str, float], ...]]


class _Chain:
    """The routing of one item class × truth over (node, standing decision) states (see the module rules)."""

    def __init__(self, model: Workflow, item_class: ItemClass, outgoing: dict[str, list[Edge]],
                 qa_sinks: set[str]) -> None:
        self.model = model
        self.item_class = item_class
        self.violating = item_class.truth == VIOLATING
        self.outgoing = outgoing
        self.qa_sinks = qa_sinks
        self._remove: dict[str, float] = {}

    def transitions(self, node_id: str, decision: int) -> list[Transition]:
        node = self.model.nodes[node_id]
        edges = self.outgoing.get(node_id, [])
        if isinstance(node, ReviewStage) and decides_by_accuracy(edges):
            return self._deciding(node, edges, decision)
        pairs = [(t, p) for t, p in routing(self.model, node_id, self.item_class, self.outgoing) if p > 0]
        total = sum(p for _, p in pairs)
        marks = {e.target: CODES[e.decision] for e in edges if e.decision}
        out: list[Transition] = []
        for target, p in pairs:
            events: list[tuple[str, str, float]] = []
            state = self._decide(decision, marks[target], None, events) if target in marks else decision
            out.append(self._enter(target, state, p / total, events))
        return out

    def _deciding(self, stage: ReviewStage, edges: list[Edge], decision: int) -> list[Transition]:
        others = [(e.target, float(e.probability or 0.0)) for e in edges if not e.decision]
        rest = 1.0 - sum(p for _, p in others)
        remove = self.remove_probability(stage)
        out = [self._enter(t, decision, p, []) for t, p in others if p > 0]
        qa = self._qa(stage)
        for code, share in ((REMOVED, rest * remove), (KEPT, rest * (1.0 - remove))):
            if share <= 0:
                continue
            events: list[tuple[str, str, float]] = []
            state = self._decide(decision, code, stage.id, events)
            if qa is not None:
                events += self._qa_events(stage.id, code, *qa)
            target = next(e.target for e in edges if e.decision == ("remove" if code == REMOVED else "keep"))
            out.append(self._enter(target, state, share, events))
        return out

    def remove_probability(self, stage: ReviewStage) -> float:
        if stage.id not in self._remove:
            on_violating, on_benign = remove_probabilities(self.model, stage, self.item_class)
            self._remove[stage.id] = on_violating if self.violating else on_benign
        return self._remove[stage.id]

    def _decide(self, previous: int, code: int, stage_id: str | None,
                events: list[tuple[str, str, float]]) -> int:
        """:meth:`simulations.quality_runtime.QualityRuntime.decided`, as events."""
        if stage_id is not None:
            if code == REMOVED:
                events.append((stage_id, "removals", 1.0))
                if not self.violating:
                    events.append((stage_id, "wrongful_removals", 1.0))
            else:
                events.append((stage_id, "keeps", 1.0))
                if self.violating:
                    events.append((stage_id, "missed_violations", 1.0))
        if previous == APPEALING:
            events.append(("category", "upheld" if code == REMOVED else "overturns", 1.0))
            if code == KEPT and stage_id is not None:
                events.append((stage_id, "overturns", 1.0))
        elif code == REMOVED and previous != REMOVED:
            events.append(("category", "correct_removals" if self.violating else "wrongful_removals", 1.0))
        return code

    def _enter(self, target: str, state: int, probability: float,
               events: list[tuple[str, str, float]]) -> Transition:
        """The appeal gate of a deciding stage and the final tally of an outcome."""
        node = self.model.nodes[target]
        if isinstance(node, ReviewStage) and decides_by_accuracy(self.outgoing.get(target, [])) \
                and state == REMOVED:
            state = APPEALING
            events = [*events, ("category", "appeals", 1.0), (target, "appeals", 1.0)]
        elif isinstance(node, Outcome):
            if state == NONE:
                final = "undecided"
            elif state == KEPT:
                final = "missed_violations" if self.violating else "kept_benign"
            else:
                final = "removed_violating" if self.violating else "removed_benign"
            events = [*events, ("category", final, 1.0)]
        return (target, state), probability, tuple(events)

    def _qa(self, stage: ReviewStage) -> tuple[float, float] | None:
        """(share sampled, the QA stage's P(remove)) where the stage samples for a QA stage that ends copies."""
        if stage.qa_share <= 0 or stage.qa_stage not in self.qa_sinks:
            return None
        qa_stage = self.model.nodes[stage.qa_stage]
        assert isinstance(qa_stage, ReviewStage)
        return min(float(stage.qa_share), 1.0), self.remove_probability(qa_stage)

    def _qa_events(self, stage_id: str, code: int, share: float, qa_remove: float) -> list[tuple[str, str, float]]:
        disagree = 1.0 - qa_remove if code == REMOVED else qa_remove
        finds_error = (code == REMOVED) != self.violating  # the original was wrong, so disagreeing is right
        return [(stage_id, "qa_reviews", share), (stage_id, "qa_disagreements", share * disagree),
                (stage_id, "qa_errors_found", share * disagree if finds_error else 0.0)]


def estimate_quality(model: Workflow) -> QualityEstimate:
    """The expected counts of ``model`` (a scenario already applied); see the module rules. Raises
    :class:`ModelError` when items can enter a loop that they never leave."""
    outgoing = outgoing_edges(model)
    qa_stages = {n.qa_stage for n in model.nodes.values()
                 if isinstance(n, ReviewStage) and n.qa_share > 0 and n.qa_stage in model.nodes}
    qa_sinks = {s for s in qa_stages if isinstance(model.nodes[s], ReviewStage) and not outgoing.get(s)}
    notes = [f"QA stage {model.nodes[s].name!r} has branches of its own: its copies go on along them, "
             "so their QA counts are not estimated" for s in sorted(qa_stages - qa_sinks)]
    categories: dict[str, QualityCounts] = {}
    stage_counts: dict[str, StageCounts] = defaultdict(StageCounts)
    qa_copies: dict[str, float] = defaultdict(float)
    deciding = {n.id for n in model.nodes.values() if isinstance(n, ReviewStage)
                and decides_by_accuracy(outgoing.get(n.id, [])) and n.id not in qa_stages}
    sampling = frozenset(n.id for n in model.nodes.values() if isinstance(n, ReviewStage) and n.qa_share > 0
                         and n.qa_stage in model.nodes)
    for source in (n for n in model.nodes.values() if isinstance(n, Source)):
        for item_class, rate in truth_class_rates(source).items():
            cell = item_class if item_class.truth else item_class._replace(truth=BENIGN)
            counts = categories.setdefault(item_class.category, QualityCounts())
            if cell.truth == VIOLATING:
                counts.violating += rate
            flows = _solve(_Chain(model, cell, outgoing, qa_sinks), source.id, rate)
            for scope, counter, flow in flows:
                if scope == "category":
                    setattr(counts, counter, getattr(counts, counter) + flow)
                else:
                    stage = stage_counts[scope]
                    setattr(stage, counter, getattr(stage, counter) + flow)
                    if counter == "qa_reviews":
                        qa_copies[model.nodes[scope].qa_stage] += flow  # type: ignore[union-attr]
    overall = QualityCounts()
    for counts in categories.values():
        for f in fields(QualityCounts):
            setattr(overall, f.name, getattr(overall, f.name) + getattr(counts, f.name))
    shown = [n for n in model.nodes.values() if n.id in deciding or n.id in sampling]
    settings = model.run_settings
    return QualityEstimate(
        window_hours=max(0.0, float(settings.horizon_hours) - float(settings.warmup_hours)), overall=overall,
        by_category=categories, stages={n.id: (n.name, stage_counts.get(n.id) or StageCounts()) for n in shown},
        sampling=sampling, qa_copies=dict(qa_copies), notes=tuple(notes))


def _solve(chain: _Chain, source_id: str, rate: float) -> list[tuple[str, str, float]]:
    """Visits per hour of every state reachable from (source, none) at ``rate`` items per hour, and the flow of
    every event: (scope, counter, items per hour)."""
    start = (source_id, NONE)
    index = {start: 0}
    order = [start]
    moves: list[list[Transition]] = []
    for state in order:  # breadth-first; ``order`` grows as states are found
        found = chain.transitions(*state)
        moves.append(found)
        for target, _, _ in found:
            if target not in index:
                index[target] = len(order)
                order.append(target)
    _check_exits(chain, order, index, moves)
    size = len(order)
    system = np.eye(size)
    for i, found in enumerate(moves):
        for target, p, _ in found:
            system[index[target], i] -= p
    inflow = np.zeros(size)
    inflow[0] = rate
    visits = np.linalg.solve(system, inflow)
    return [(scope, counter, visits[i] * p * weight) for i, found in enumerate(moves) for _, p, events in found
            for scope, counter, weight in events]


def _check_exits(chain: _Chain, order: list[tuple[str, int]], index: dict[tuple[str, int], int],
                 moves: list[list[Transition]]) -> None:
    """Raise when a state cannot reach the end of a journey (a loop without exit: no expected count is finite)."""
    into: list[list[int]] = [[] for _ in order]
    for i, found in enumerate(moves):
        for target, p, _ in found:
            if p > 0:
                into[index[target]].append(i)
    leaving = [i for i, found in enumerate(moves) if not found or sum(p for _, p, _ in found) < 1.0 - 1e-9]
    reached = set(leaving)
    queue = list(leaving)
    for i in queue:
        for j in into[i]:
            if j not in reached:
                reached.add(j)
                queue.append(j)
    stuck = [i for i in range(len(order)) if i not in reached]
    if stuck:
        graph = nx.DiGraph()
        graph.add_edges_from((i, index[t]) for i in stuck for t, p, _ in moves[i] if p > 0)
        closed = {order[i][0] for part in nx.strongly_connected_components(graph) for i in part
                  if len(part) > 1 or graph.has_edge(i, i)}
        names = ", ".join(n.name or n.id[:8] for n in chain.model.nodes.values() if n.id in closed)
        cell = chain.item_class
        raise ModelError(f"{cell.truth} {cell.language}/{cell.category}/{cell.priority} items can enter a loop they "
                         "never leave, so no expected count is finite", where=names,
                         hint="give every loop (appeal, re-review) an exit with a probability above 0 for these items")


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole > 0 else math.nan
