""""Only for": which items a timed change applies to — checkable lists of categories, languages and priorities.

Why: a policy often launches market by market ("es or pt first"); a planner ticks the values the workflow's
sources actually produce rather than typing names that may not match any item.

Rules: the lists offer the values present in the workflow's source mixes (in the order they first appear),
plus any value a loaded scope names that no mix has (so loading and storing again keeps it). Nothing ticked in
a list means every value of it; nothing ticked at all is no scope (:meth:`ScopePicker.scope` is None).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QSizePolicy, QVBoxLayout, QWidget

from flowmodel.launch import Scope
from flowmodel.nodes import Source
from flowmodel.workflow import Workflow

ATTRIBUTES: tuple[tuple[str, str], ...] = (("categories", "Categories"), ("languages", "Languages"),
                                           ("priorities", "Priorities"))
LIST_HEIGHT = 66


def mix_values(workflow: Workflow) -> dict[str, list[str]]:
    """Per scope attribute, the values the workflow's source mixes hold, in order of first appearance."""
    out: dict[str, list[str]] = {name: [] for name, _ in ATTRIBUTES}
    for node in workflow.nodes.values():
        if isinstance(node, Source):
            for entry in node.mix:
                for name, value in (("categories", entry.category), ("languages", entry.language),
                                    ("priorities", entry.priority)):
                    if value not in out[name]:
                        out[name].append(value)
    return out


class ScopePicker(QWidget):
    """Three checkable lists side by side (see module rules); ``edited`` fires when a tick changes."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lists: dict[str, QListWidget] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for name, title in ATTRIBUTES:
            column = QVBoxLayout()
            column.setSpacing(1)
            heading = QLabel(title)
            heading.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
            values = QListWidget()
            values.setFixedHeight(LIST_HEIGHT)
            values.setMinimumWidth(60)
            values.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # the dock decides the width
            values.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            values.setTextElideMode(Qt.TextElideMode.ElideRight)
            values.setToolTip(f"Tick the {name} the change applies to; none ticked means all {name}")
            values.itemChanged.connect(lambda _item: self.edited.emit())
            column.addWidget(heading)
            column.addWidget(values)
            row.addLayout(column, 2 if name == "categories" else 1)  # category names are the long ones
            self.lists[name] = values

    def set_workflow(self, workflow: Workflow) -> None:
        """Offer the workflow's mix values, keeping what is ticked."""
        self._fill(mix_values(workflow), self.ticked())

    def ticked(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, values in self.lists.items():
            out[name] = [values.item(i).text() for i in range(values.count())
                         if values.item(i).checkState() == Qt.CheckState.Checked]
        return out

    def offered(self, name: str) -> list[str]:
        values = self.lists[name]
        return [values.item(i).text() for i in range(values.count())]

    def tick(self, name: str, value: str, on: bool = True) -> None:
        values = self.lists[name]
        for i in range(values.count()):
            if values.item(i).text() == value:
                values.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def scope(self) -> Scope | None:
        """The ticked values as a scope; None when nothing is ticked (every item)."""
        scope = Scope(**self.ticked())
        return None if scope.is_everything() else scope

    def load(self, scope: Scope | None) -> None:
        offered = {name: self.offered(name) for name in self.lists}
        ticked = {name: list(getattr(scope, name)) if scope is not None else [] for name in self.lists}
        for name, values in ticked.items():
            offered[name] += [v for v in values if v not in offered[name]]
        self._fill(offered, ticked)

    def _fill(self, offered: dict[str, list[str]], ticked: dict[str, list[str]]) -> None:
        for name, values in self.lists.items():
            values.blockSignals(True)
            values.clear()
            shown = offered.get(name, []) + [v for v in ticked.get(name, []) if v not in offered.get(name, [])]
            for value in shown:
                item = QListWidgetItem(value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if value in ticked.get(name, [])
                                   else Qt.CheckState.Unchecked)
                values.addItem(item)
            values.blockSignals(False)
        self.edited.emit()
