"""Form of an edge: where items go from a node — by probability, per category, or by a condition.

Rules (see :mod:`flowmodel.nodes`): edges out of sources, classifiers, review stages and probability routers
carry a probability (0–1) and together sum to 1; a classifier's edge may override it per category; edges out
of an attribute router carry a condition or are the "otherwise" branch. The form shows only what applies to
the edge's source node, and the sum of the source's outgoing probabilities, so a planner sees at once
whether the split is complete. In scenario mode that sum is the scenario's (the probabilities as the scenario
sets them), the same values the form's fields and the canvas labels show.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QWidget

from flowmodel.nodes import Classifier, Edge, Router
from flowmodel.workflow import Workflow
from ui.forms.binding import ItemForm
from ui.forms.category_probabilities import CategoryProbabilities
from ui.forms.condition_editor import ConditionEditor
from ui.forms.mix_editor import values_in_mixes
from ui.forms.problem_label import PROBLEM_RED

SUM_TOLERANCE = 1e-9


class EdgeForm(ItemForm):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workflow, undo_stack, item_id, parent)
        self.route = QLabel()
        self.route.setWordWrap(True)
        self.rows.addRow("Connects:", self.route)
        self.add_text_row("Label", "label", "e.g. escalate, remove, no action")
        self.add_number_row("Probability", "probability", minimum=0.0, maximum=1.0, decimals=4, step=0.05)
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
        self.set_row_visible("probability", not by_attribute)
        self.set_row_visible("probability_by_category", isinstance(source, Classifier))
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
        total = sum(e.probability or 0.0 for e in siblings)
        complete = math.isclose(total, 1.0, abs_tol=SUM_TOLERANCE)
        self.outgoing_sum.setStyleSheet("" if complete else f"color: {PROBLEM_RED};")
        parts = " + ".join(f"{e.probability or 0:g}" for e in siblings)
        verdict = "✓" if complete else "— they must sum to 1"
        return f"{_count(len(siblings), 'edge', 'edges')} from {name}: {parts} = {total:.4g} {verdict}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _name(node: object) -> str:
    return getattr(node, "name", "") or "(unnamed)" if node is not None else "(missing node)"
