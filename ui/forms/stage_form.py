"""Form of a review stage: queue discipline, handle times, SLA targets, expiry and priority order.

Rules: which teams work the stage is stated on the teams (edited in the teams panel), so it is shown here
read-only; the priority order ranks the item priorities the queue serves first under "priority" discipline.
Decision quality: each branch's decision, the stage's own accuracy over its teams' (optional, and per category)
and QA sampling (a share of its decisions re-reviewed at another review stage).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QWidget

from flowmodel.nodes import ReviewStage
from flowmodel.workflow import Workflow
from ui.forms.accuracy_editor import AccuracyByCategory, AccuracyEditor
from ui.forms.band_editor import BranchTable
from ui.forms.binding import ItemForm, distribution_problem
from ui.forms.category_times_editor import CategoryTimesEditor
from ui.forms.distribution_editor import DistributionEditor
from ui.forms.expiry_editor import ExpiryEditor
from ui.forms.mix_editor import values_in_mixes
from ui.forms.ordered_checklist import OrderedChecklist
from ui.forms.problem_label import PROBLEM_RED
from ui.forms.qa_editor import QaStageCombo
from ui.forms.sla_editor import SlaEditor

DISCIPLINES = (("fifo", "First in, first out"), ("priority", "Highest priority first"),
               ("earliest_deadline", "Earliest SLA deadline first"))


def _times_problem(times: dict) -> str:
    return "; ".join(f"{category}: {distribution_problem(d)}" for category, d in times.items()
                     if distribution_problem(d))


class StageForm(ItemForm):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workflow, undo_stack, item_id, parent)
        self.add_text_row("Name", "name", "e.g. Tier 1")
        self.add_choice_row("Queue", "discipline", DISCIPLINES)
        self.add_editor_row("Handle time", "handle_time", DistributionEditor(), check=distribution_problem)
        self.category_times = CategoryTimesEditor()
        self.add_editor_row("Per category", "handle_time_by_category", self.category_times, check=_times_problem)
        self.add_provenance_row()
        self.add_editor_row("SLA targets", "sla", SlaEditor())
        self.add_editor_row("Expiry", "expiry", ExpiryEditor(), check=distribution_problem)
        self.priority_order = OrderedChecklist(checkable=False)
        self.add_editor_row("Priority order", "priority_order", self.priority_order)
        self.teams = QLabel()
        self.teams.setWordWrap(True)
        self.rows.addRow("Worked by:", self.teams)
        self._add_quality_rows(workflow, undo_stack, item_id)
        self.refresh()

    def _add_quality_rows(self, workflow: Workflow, undo_stack: QUndoStack, item_id: str) -> None:
        """Decisions of the branches, the stage's own reviewer accuracy (optional) and QA sampling."""
        self.branches = BranchTable(workflow, undo_stack, item_id, "stage")
        self.rows.addRow(QLabel("Branches (its outgoing edges):"))
        self.rows.addRow(self.branches)
        self.add_editor_row("Accuracy", "accuracy", AccuracyEditor("Its own (else its teams')"))
        self.accuracy_by_category = AccuracyByCategory()
        self.accuracy_by_category.columns = [replace(c, blank="the stage's, else its teams' accuracy")
                                             for c in self.accuracy_by_category.columns]
        self.add_editor_row("Accuracy per category (blank: as above)", "accuracy_by_category",
                            self.accuracy_by_category, wide=True)
        self.add_number_row("QA sampling", "qa_share", minimum=0.0, maximum=100.0, decimals=2, suffix=" %",
                            scale=100.0).setToolTip("Share of this stage's remove/keep decisions re-reviewed by QA")
        self.qa_stage = QaStageCombo()
        self.add_editor_row("QA stage", "qa_stage", self.qa_stage)

    def refresh_context(self) -> None:
        stage = self.item
        if not isinstance(stage, ReviewStage):
            return
        self.priority_order.set_options([(p, p) for p in stage.priority_order])
        self.category_times.set_known(values_in_mixes(self.workflow, "category"))
        self.category_times.default_time = stage.handle_time
        names = [team.name or "(unnamed team)" for team in self.workflow.teams_for_stage(stage.id)]
        self.teams.setText(", ".join(names) if names else "no team works this stage yet — tick it in the Teams panel")
        self.teams.setStyleSheet("" if names else f"color: {PROBLEM_RED};")
        self.branches.refresh()
        self.accuracy_by_category.defaults = ([stage.accuracy.remove_violating, stage.accuracy.keep_benign]
                                              if stage.accuracy is not None else [None, None])
        self.accuracy_by_category.set_known(values_in_mixes(self.workflow, "category"))
        self.qa_stage.set_options([(node.id, node.name or "(unnamed stage)") for node in self.workflow.nodes.values()
                                   if isinstance(node, ReviewStage) and node.id != stage.id])
