"""Edits of decision quality that span several branches, and the traffic figures the quality editors show.

Rules:
- Every edit is a :class:`~ui.forms.binding.DiscreteEditCommand` (a field of one node, edge or team; ``None``
  unsets an edge's probability, see :func:`ui.commands.unset_field`); edits that
  belong together (switching every branch of a node to "split by truth") are one macro, so one undo step —
  and in scenario mode each of them is recorded as a scenario change or refused, like any field edit.
- Switching a node's branches to "split by truth" keeps where items go: each branch takes the same share of
  violating and of benign items as its probability did. Switching back gives each branch the share of the
  node's arrivals it took (at the arriving items' prevalence), so the flow stays the same on average.
- The prevalence "at a node" is the share of violating items among the items with a truth arriving there,
  from the analytic class rates (:func:`flowmodel.traffic.class_rates`); unknown (None) when nothing with a
  truth arrives or the rates cannot be solved.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QUndoStack

from flowmodel.errors import ModelError
from flowmodel.nodes import Classifier, Edge, ReviewStage
from flowmodel.quality import DECISIONS, Split, TruthSplit, band_figures, band_split
from flowmodel.traffic import VIOLATING, class_rates, decides_by_accuracy, outgoing_edges, routing
from flowmodel.workflow import Workflow
from ui.forms.binding import DiscreteEditCommand

Edit = tuple[str, str, Any]  # (item id, field path, value)


def shown_workflow(workflow: Workflow, undo_stack: QUndoStack) -> Workflow:
    """The workflow as the editors show it: the scenario's version in scenario mode, else the model."""
    mode = getattr(undo_stack, "scenario_mode", None)
    if mode is not None and mode.active and mode.workflow is workflow:
        return mode.shown_workflow() or workflow
    return workflow


def push_edits(undo_stack: QUndoStack, workflow: Workflow, text: str, edits: Sequence[Edit]) -> bool:
    """Push ``edits`` as one undo step (a macro when there are several); edits that change nothing are left out.
    In scenario mode the edits are recorded all or none: when one of them cannot be a scenario change (switching
    to a split by truth changes the model's structure) none is, and the stack says why (``refused``)."""
    changing = [(item, path, value) for item, path, value in edits
                if _current(workflow, undo_stack, item, path) != value]
    if not changing:
        return False
    commands = [DiscreteEditCommand(workflow, item_id, path, value, text) for item_id, path, value in changing]
    mode = getattr(undo_stack, "scenario_mode", None)
    if mode is not None and mode.active and not all(_recordable(mode, command) for command in commands):
        refused = getattr(undo_stack, "refused", None)
        if refused is not None:
            refused.emit(f"Scenario mode: “{text}” changes the model's structure; leave scenario mode to make this "
                         "edit on the baseline.")
        return False
    if len(commands) > 1:
        undo_stack.beginMacro(text)
    try:
        for command in commands:
            undo_stack.push(command)
    finally:
        if len(commands) > 1:
            undo_stack.endMacro()
    return True


def _recordable(mode: Any, command: DiscreteEditCommand) -> bool:
    if command.value is None:
        return False  # unsetting a number: a scenario sets values
    try:
        mode.record_command(command)
    except ModelError:
        return False
    return True


def _current(workflow: Workflow, undo_stack: QUndoStack, item_id: str, path: str) -> Any:
    try:
        return shown_workflow(workflow, undo_stack).get_field(item_id, path)
    except ModelError:
        return object()  # a path that does not exist yet always changes


# -- traffic figures ----------------------------------------------------------------------------------------------
def arrival_prevalence(workflow: Workflow, node_id: str) -> tuple[float | None, dict[str, float]]:
    """(overall, per category) share of violating items among the items with a truth arriving at ``node_id``."""
    try:
        rates = class_rates(workflow).get(node_id, {})
    except (ModelError, ValueError, ArithmeticError):
        return None, {}
    violating: dict[str, float] = {}
    carrying: dict[str, float] = {}
    for item_class, rate in rates.items():
        if not item_class.truth or rate <= 0:
            continue
        carrying[item_class.category] = carrying.get(item_class.category, 0.0) + rate
        if item_class.truth == VIOLATING:
            violating[item_class.category] = violating.get(item_class.category, 0.0) + rate
    total = sum(carrying.values())
    overall = sum(violating.values()) / total if total > 0 else None
    return overall, {c: violating.get(c, 0.0) / rate for c, rate in carrying.items() if rate > 0}


def expected_shares(workflow: Workflow, node_id: str, category: str = "") -> dict[str, float] | None:
    """Per outgoing edge id: the share of the node's arrivals (of ``category``, or all) taking it; None when
    nothing arrives or the rates cannot be solved."""
    try:
        rates = class_rates(workflow).get(node_id, {})
    except (ModelError, ValueError, ArithmeticError):
        return None
    outgoing = outgoing_edges(workflow)
    edges = outgoing.get(node_id, [])
    taken = {edge.id: 0.0 for edge in edges}
    total = 0.0
    for item_class, rate in rates.items():
        if rate <= 0 or (category and item_class.category != category):
            continue
        total += rate
        for edge, (_, probability) in zip(edges, routing(workflow, node_id, item_class, outgoing), strict=False):
            taken[edge.id] += rate * probability
    return {edge_id: value / total for edge_id, value in taken.items()} if total > 0 else None


# -- switching a node's branches to and from a split by truth -------------------------------------------------------
def truth_split_edits(workflow: Workflow, node_id: str, on: bool) -> list[Edit]:
    """The edits that switch every branch of ``node_id`` to (``on``) or from a split by truth (module rules)."""
    node = workflow.nodes[node_id]
    edges = workflow.outgoing(node_id)
    edits: list[Edit] = []
    if on:
        for edge in edges:
            if edge.by_truth is not None:
                continue
            share = edge.probability or 0.0
            per_category = {c: Split(p, p) for c, p in edge.probability_by_category.items()} \
                if isinstance(node, Classifier) else {}
            edits += [(edge.id, "by_truth", TruthSplit(share, share, per_category)), (edge.id, "probability", None)]
            if per_category:
                edits.append((edge.id, "probability_by_category", {}))
        return edits
    overall = expected_shares(workflow, node_id)
    for edge in edges:
        if edge.by_truth is None:
            continue
        split = edge.by_truth
        share = overall[edge.id] if overall is not None else (split.violating + split.benign) / 2
        edits += [(edge.id, "probability", round(share, 6)), (edge.id, "by_truth", None)]
        if isinstance(node, Classifier) and split.by_category:
            per_category = {}
            for category, cell in split.by_category.items():
                shares = expected_shares(workflow, node_id, category)
                per_category[category] = round(shares[edge.id] if shares is not None
                                               else (cell.violating + cell.benign) / 2, 6)
            edits.append((edge.id, "probability_by_category", per_category))
    return edits


def category_override_edits(edges: Sequence[Edge], category: str) -> list[Edit]:
    """Give every branch its own shares for ``category`` (copied from its defaults) so that one can be changed
    while the shares per truth still sum to 1 across the branches (a dictionary entry is added by writing the
    whole split: field paths address existing entries only)."""
    edits: list[Edit] = []
    for edge in edges:
        split = edge.by_truth
        if split is not None and category not in split.by_category:
            by_category = {**copy.deepcopy(split.by_category), category: Split(split.violating, split.benign)}
            edits.append((edge.id, "by_truth", TruthSplit(split.violating, split.benign, by_category)))
    return edits


def clear_category_edits(edges: Sequence[Edge], category: str) -> list[Edit]:
    """Drop ``category``'s own shares from every branch (the branches' defaults apply again)."""
    edits: list[Edit] = []
    for edge in edges:
        split = edge.by_truth
        if split is not None and category in split.by_category:
            remaining = {c: copy.deepcopy(s) for c, s in split.by_category.items() if c != category}
            edits.append((edge.id, "by_truth", TruthSplit(split.violating, split.benign, remaining)))
    return edits


# -- decisions on a review stage's branches ------------------------------------------------------------------------
def decision_edits(workflow: Workflow, edge_id: str, decision: str) -> list[Edit]:
    """Set a branch's decision. At a review stage that comes to decide by accuracy (a remove and a keep branch)
    the remove and keep branches lose their probabilities (the reviewers decide); one that stops deciding gives
    them back the share of arrivals they took, so the flow stays the same on average."""
    edge = workflow.edges[edge_id]
    node = workflow.nodes.get(edge.source)
    edits: list[Edit] = [(edge_id, "decision", decision)]
    if not isinstance(node, ReviewStage):
        return edits
    siblings = workflow.outgoing(node.id)
    after = [decision if e.id == edge_id else e.decision for e in siblings]
    deciding_before = decides_by_accuracy(siblings)
    deciding_after = "remove" in after and "keep" in after
    if deciding_after:
        edits += [(e.id, "probability", None) for e, d in zip(siblings, after, strict=True)
                  if d in DECISIONS and e.probability is not None]
    elif deciding_before:
        shares = expected_shares(workflow, node.id) or {}
        edits += [(e.id, "probability", round(shares.get(e.id, 0.0), 6)) for e in siblings
                  if e.decision in DECISIONS and e.probability is None]
    return edits


# -- a band's shares, typed or from a model card ---------------------------------------------------------------------
def changed_split(split: Split, key: str, value: float, prevalence: float | None, hold_precision: bool) -> Split:
    """``split`` with the figure ``key`` ("violating", "benign" or "precision") set to ``value``. Precision (and,
    when ``hold_precision``, recall with the band's precision kept) turn into the benign share at ``prevalence``
    (:func:`flowmodel.quality.band_split`); ValueError when the figures cannot hold together."""
    if key == "benign":
        return Split(split.violating, value)
    if key == "violating":
        precision = band_figures(prevalence, split)[1] if prevalence is not None and hold_precision else math.nan
        return Split(value, split.benign) if math.isnan(precision) else band_split(prevalence, value, precision)
    if prevalence is None:
        raise ValueError("precision needs ground truth on the sources whose items arrive here")
    return band_split(prevalence, split.violating, value)


def band_share_edits(edges: Sequence[Edge], edge: Edge, category: str, new: Split) -> list[Edit]:
    """The edits that give ``edge`` the shares ``new`` (for ``category``, or every category when "")."""
    if not category:
        return [(edge.id, "by_truth.violating", new.violating), (edge.id, "by_truth.benign", new.benign)]
    edits = [e for e in category_override_edits(edges, category) if e[0] != edge.id]
    split = edge.by_truth
    by_category = {c: Split(s.violating, s.benign) for c, s in split.by_category.items()}
    by_category[category] = new
    return [*edits, (edge.id, "by_truth", TruthSplit(split.violating, split.benign, by_category))]
