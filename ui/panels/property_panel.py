"""The property panel: the form of the selected node or edge.

Rules:
- The panel shows one item at a time (``show_item``); the canvas calls it on selection changes. Showing
  the item already shown keeps its form, so a selection refresh never interrupts typing.
- It listens to the workflow's events: a change of the shown item refreshes only the rows that the changed
  path can affect (after undo/redo too); any change elsewhere refreshes the read-only context (sums, teams
  working a stage); removing the shown item empties the panel. Refreshing never pushes a command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from flowmodel.nodes import Edge, Node
from flowmodel.workflow import Workflow
from ui.forms.binding import ItemForm
from ui.forms.classifier_form import ClassifierForm
from ui.forms.delay_form import DelayForm
from ui.forms.edge_editor import EdgeForm
from ui.forms.outcome_form import OutcomeForm
from ui.forms.router_form import RouterForm
from ui.forms.source_form import SourceForm
from ui.forms.stage_form import StageForm

FORMS: dict[str, type[ItemForm]] = {
    "source": SourceForm, "classifier": ClassifierForm, "review_stage": StageForm, "router": RouterForm,
    "delay": DelayForm, "outcome": OutcomeForm,
}
KIND_TITLES: dict[str, str] = {
    "source": "Source", "classifier": "Classifier", "review_stage": "Review stage", "router": "Router",
    "delay": "Delay", "outcome": "Outcome",
}
NOTHING_SELECTED = "Select a node or edge on the canvas to see and edit its properties."


#: Characters a drop-down of a form keeps when the panel is narrow (it shows the rest when opened).
COMBO_CHARACTERS = 8


def narrowable(form: QWidget) -> None:
    """Let a form shrink to a narrow side panel (1280-pixel screens): drop-downs no longer insist on the width
    of their longest entry, so the fields stay in view instead of behind a horizontal scroll bar."""
    for combo in form.findChildren(QComboBox):
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(COMBO_CHARACTERS)


class PropertyPanel(QWidget):
    def __init__(self, workflow: Workflow, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.workflow: Workflow | None = None
        self.item_id: str | None = None
        self.form: ItemForm | None = None
        self._subscriptions: list[tuple[Any, Callable[..., None]]] = []
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setContentsMargins(8, 6, 8, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.scroll, 1)
        self.set_workflow(workflow)

    def set_workflow(self, workflow: Workflow) -> None:
        """Show another document (after New/Open); the panel starts empty."""
        for signal, callback in self._subscriptions:
            signal.unsubscribe(callback)
        self.workflow = workflow
        events = workflow.events
        self._subscriptions = [
            (events.node_changed, self._item_changed), (events.edge_changed, self._item_changed),
            (events.node_removed, self._item_removed), (events.edge_removed, self._item_removed),
            (events.changed, self._context_changed),
        ]
        for signal, callback in self._subscriptions:
            signal.subscribe(callback)
        self.item_id = None
        self.show_item(None)

    def show_item(self, item_id: str | None) -> None:
        """Show the form of the node or edge ``item_id``; ``None`` (or an unknown id) shows a hint."""
        assert self.workflow is not None
        item: Node | Edge | None = self.workflow.nodes.get(item_id or "") or self.workflow.edges.get(item_id or "")
        if item is None:
            self.item_id, self.form = None, None
            self.title.setText("Properties")
            hint = QLabel(NOTHING_SELECTED)
            hint.setWordWrap(True)
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            hint.setEnabled(False)
            self.scroll.setWidget(hint)
            return
        if item_id == self.item_id and self.form is not None:
            return
        self.item_id = item.id
        form_class = EdgeForm if isinstance(item, Edge) else FORMS[item.kind]
        self.form = form_class(self.workflow, self.undo_stack, item.id)
        narrowable(self.form)
        self.scroll.setWidget(self.form)
        self._show_title()

    def _show_title(self) -> None:
        item = self.workflow.find(self.item_id) if self.workflow and self.item_id else None
        if isinstance(item, Edge):
            self.title.setText(f"Edge — {item.label}" if item.label else "Edge")
        elif isinstance(item, Node):
            self.title.setText(f"{KIND_TITLES[item.kind]} — {item.name or '(unnamed)'}")

    # -- model events ----------------------------------------------------------------------------
    def _item_changed(self, item_id: str, path: str) -> None:
        if item_id != self.item_id or self.form is None or path == "position":
            return
        self.form.refresh(path)
        if path in ("name", "label"):
            self._show_title()

    def _item_removed(self, item: Node | Edge) -> None:
        if item.id == self.item_id:
            self.show_item(None)

    def _context_changed(self) -> None:
        if self.form is not None:
            self.form.refresh_context()
