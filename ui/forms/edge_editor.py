"""Form of an edge: where items go from a node — by probability, per category, or by a condition.

Rules (see :mod:`flowmodel.nodes`): edges out of sources, classifiers, review stages and probability routers
carry a probability (0–1) and together sum to 1; a classifier's edge may override it per category; edges out
of an attribute router carry a condition or are the "otherwise" branch. The form shows only what applies to
the edge's source node, and the sum of the source's outgoing probabilities, so a planner sees at once
whether the split is complete. In scenario mode that sum is the scenario's (the probabilities as the scenario
sets them), the same values the form's fields and the canvas labels show. Decision quality: a classifier's or
review stage's branch states its decision; a classifier's or probability router's branches can be split by truth
(all together, see :mod:`ui.forms.quality_edits`), and then show their shares of violating and benign items; a
review stage's remove/keep branch whose stage decides by accuracy shows that instead of a probability.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from flowmodel.nodes import Classifier, Edge, ReviewStage, Router
from flowmodel.traffic import decides_by_accuracy
from flowmodel.workflow import Workflow
from ui.forms.binding import ItemForm
from ui.forms.branch_words import BAND_DECISIONS, BY_ACCURACY, STAGE_DECISIONS, percent
from ui.forms.category_probabilities import CategoryProbabilities
from ui.forms.condition_editor import ConditionEditor
from ui.forms.mix_editor import values_in_mixes
from ui.forms.problem_label import PROBLEM_RED
from ui.forms.quality_edits import decision_edits, push_edits, truth_split_edits
from ui.forms.truth_split_editor import TruthSplitEditor

SUM_TOLERANCE = 1e-9


class EdgeForm(ItemForm):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workflow, undo_stack, item_id, parent)
        self.route = QLabel()
        self.route.setWordWrap(True)
        self.rows.addRow("Connects:", self.route)
        self.add_text_row("Label", "label", "e.g. escalate, remove, no action")
        self.decision = QComboBox()
        self.decision.setToolTip("What taking this branch decides (for correct and wrongful removals, appeals)")
        self.decision.activated.connect(self._decided)
        self.add_row("Decision", "decision", self.decision,
                     lambda value: self.decision.setCurrentIndex(max(0, self.decision.findData(value))))
        self.split = QCheckBox("Split by truth (every branch of the node)")
        self.split.setToolTip("The branch states its share of violating and of benign items instead of one "
                              "probability; all branches of the node switch together, in one undo step")
        self.split.clicked.connect(self._split_toggled)
        self.rows.addRow("", self.split)
        self.add_number_row("Probability", "probability", minimum=0.0, maximum=1.0, decimals=4, step=0.05)
        self.by_accuracy = QLabel(BY_ACCURACY)
        self.by_accuracy.setToolTip("The stage has a remove and a keep branch: its reviewers decide between them "
                                    "by the item's truth and their accuracy")
        self.rows.addRow("Share:", self.by_accuracy)
        self.add_editor_row("By truth", "by_truth", TruthSplitEditor())
        self.by_category = CategoryProbabilities()
        self.add_editor_row("Per category", "probability_by_category", self.by_category)
        self.condition = ConditionEditor()
        self.add_editor_row("Condition", "condition", self.condition)
        self.add_check_row("", "otherwise", "Otherwise (takes every item no other branch matches)")
        self.outgoing_sum = QLabel()
        self.outgoing_sum.setWordWrap(True)
        self.rows.addRow("Outgoing:", self.outgoing_sum)
        self.refresh()

    def refresh_context(self) -> None:
        edge = self.item
        if not isinstance(edge, Edge):
            return
        source = self.workflow.nodes.get(edge.source)
        target = self.workflow.nodes.get(edge.target)
        self.route.setText(f"{_name(source)} → {_name(target)}")
        by_attribute = isinstance(source, Router) and source.mode == "attribute"
        truth = edge.by_truth is not None
        shown_siblings = self.shown_workflow().outgoing(edge.source)
        deciding = isinstance(source, ReviewStage) and bool(edge.decision) and decides_by_accuracy(shown_siblings)
        self.set_row_visible("probability", not by_attribute and not truth and not deciding)
        self.rows.setRowVisible(self.by_accuracy, deciding)
        self.set_row_visible("by_truth", truth)
        self.set_row_visible("decision", isinstance(source, (Classifier, ReviewStage)))
        self._decision_words(source)
        splittable = isinstance(source, Classifier) or (isinstance(source, Router) and source.mode == "probability")
        self.rows.setRowVisible(self.split, splittable)
        self.split.setChecked(truth)
        self.set_row_visible("probability_by_category", isinstance(source, Classifier) and not truth)
        self.set_row_visible("condition", by_attribute)
        self.set_row_visible("otherwise", by_attribute)
        self.by_category.known_categories = values_in_mixes(self.workflow, "category")
        self.condition.values.set_known(values_in_mixes(self.workflow, edge.condition.attribute
                                                        if edge.condition else "language"))
        self.outgoing_sum.setText(self._sum_text(edge, by_attribute))

    def shown_workflow(self) -> Workflow:
        """The workflow as the form shows it: the scenario's version in scenario mode, else the model."""
        mode = getattr(self.undo_stack, "scenario_mode", None)
        if mode is not None and mode.active and mode.workflow is self.workflow:
            return mode.shown_workflow() or self.workflow
        return self.workflow

    def _sum_text(self, edge: Edge, by_attribute: bool) -> str:
        siblings = self.shown_workflow().outgoing(edge.source)
        name = _name(self.workflow.nodes.get(edge.source))
        if by_attribute:
            catch_all = sum(1 for e in siblings if e.otherwise)
            self.outgoing_sum.setStyleSheet("" if catch_all == 1 else f"color: {PROBLEM_RED};")
            return f"{_count(len(siblings), 'branch', 'branches')} from {name}; " + (
                "one is 'otherwise' ✓" if catch_all == 1 else f"{catch_all} are 'otherwise' — exactly one should be")
        if any(e.by_truth is not None for e in siblings):
            return self._truth_sum_text(siblings, name)
        total = sum(e.probability or 0.0 for e in siblings)
        complete = math.isclose(total, 1.0, abs_tol=SUM_TOLERANCE)
        self.outgoing_sum.setStyleSheet("" if complete else f"color: {PROBLEM_RED};")
        parts = " + ".join(f"{e.probability or 0:g}" for e in siblings)
        verdict = "✓" if complete else "— they must sum to 1"
        return f"{_count(len(siblings), 'edge', 'edges')} from {name}: {parts} = {total:.4g} {verdict}"


    def _truth_sum_text(self, siblings: list[Edge], name: str) -> str:
        parts, complete = [], True
        for which in ("violating", "benign"):
            total = sum(getattr(e.by_truth, which) if e.by_truth is not None else 0.0 for e in siblings)
            done = math.isclose(total, 1.0, abs_tol=SUM_TOLERANCE)
            complete = complete and done
            shares = " + ".join(percent(getattr(e.by_truth, which)) if e.by_truth else "—" for e in siblings)
            parts.append(f"{which} {shares} = {percent(total)} {'✓' if done else '— must be 100 %'}")
        self.outgoing_sum.setStyleSheet("" if complete else f"color: {PROBLEM_RED};")
        return f"{_count(len(siblings), 'edge', 'edges')} from {name} split by truth: " + "; ".join(parts)

    def _decision_words(self, source: object) -> None:
        words = BAND_DECISIONS if isinstance(source, Classifier) else STAGE_DECISIONS
        if [self.decision.itemData(i) for i in range(self.decision.count())] != [v for v, _ in words] or \
                self.decision.itemText(0) != words[0][1]:
            self.decision.clear()
            for value, text in words:
                self.decision.addItem(text, value)
        edge = self.item
        if isinstance(edge, Edge):
            self.decision.setCurrentIndex(max(0, self.decision.findData(edge.decision)))

    def _decided(self, index: int) -> None:
        push_edits(self.undo_stack, self.workflow, "Change decision",
                   decision_edits(self.shown_workflow(), self.item_id, self.decision.itemData(index)))

    def _split_toggled(self, checked: bool) -> None:
        edge = self.item
        if isinstance(edge, Edge):
            push_edits(self.undo_stack, self.workflow, f"{'Split' if checked else 'Stop splitting'} by truth",
                       truth_split_edits(self.shown_workflow(), edge.source, checked))
            self.refresh()


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _name(node: object) -> str:
    return getattr(node, "name", "") or "(unnamed)" if node is not None else "(missing node)"
