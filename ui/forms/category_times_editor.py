"""Handle times per category of a review stage ("hate speech takes 6 min, spam 40 s").

Rules: a category listed here uses its own distribution; every other category uses the stage's handle time.
Adding a category starts from a copy of the stage's handle time. Edits of one parameter are emitted as
``<category>.<parameter>`` (one undo step per field while typing); adding or removing a category is emitted
as the whole table.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from flowmodel.distributions import Distribution
from ui.forms.distribution_editor import DistributionEditor


class CategoryTimesEditor(QWidget):
    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._times: dict[str, Distribution] = {}
        self._added = ""
        self.default_time = Distribution.lognormal(3.0, 1.5, "min")
        self.list = QListWidget()
        self.list.setFixedHeight(60)
        self.list.setToolTip("Categories with their own handle time; the others use the stage's handle time")
        self.new_category = QComboBox()
        self.new_category.setEditable(True)
        self.new_category.setPlaceholderText("category")
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.editor = DistributionEditor()
        self.editor.setVisible(False)
        self.editor_title = QLabel()
        self.editor_title.setVisible(False)
        adding = QHBoxLayout()
        adding.addWidget(self.new_category, 1)
        adding.addWidget(self.add_button)
        adding.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(adding)
        layout.addWidget(self.editor_title)
        layout.addWidget(self.editor)
        self.list.currentTextChanged.connect(self._show_selected)
        self.add_button.clicked.connect(lambda: self.add_category(self.new_category.currentText().strip()))
        self.remove_button.clicked.connect(self.remove_selected)
        self.editor.edited.connect(self._edited)
        self.editor.problem.connect(self.problem)

    def set_known(self, categories: list[str]) -> None:
        """Categories offered for adding (those in the workflow's item mixes)."""
        text = self.new_category.currentText()
        self.new_category.clear()
        self.new_category.addItems(categories)
        self.new_category.setCurrentText(text)

    def set_value(self, times: dict[str, Distribution]) -> None:
        self._times = copy.deepcopy(times)
        current = self._added or (self.list.currentItem().text() if self.list.currentItem() is not None else None)
        self._added = ""
        if [self.list.item(r).text() for r in range(self.list.count())] != list(times):
            self.list.blockSignals(True)
            self.list.clear()
            self.list.addItems(list(times))
            self.list.blockSignals(False)
        rows = list(times)
        if rows:
            self.list.setCurrentRow(rows.index(current) if current in rows else 0)
        self._show_selected(self.list.currentItem().text() if self.list.currentItem() is not None else "")

    def add_category(self, category: str) -> None:
        if not category:
            self.problem.emit("type or pick a category to add")
            return
        if category in self._times:
            self.problem.emit(f"{category} already has its own handle time")
            return
        self._added = category
        self.edited.emit("", {**self._times, category: copy.deepcopy(self.default_time)})

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.edited.emit("", {k: v for k, v in self._times.items() if k != item.text()})

    def _show_selected(self, category: str) -> None:
        self.editor.setVisible(category in self._times)
        self.editor_title.setVisible(category in self._times)
        self.editor_title.setText(f"Handle time of {category}:")
        if category in self._times:
            self.editor.set_value(self._times[category])

    def _edited(self, field: str, value: object) -> None:
        category = self.list.currentItem().text()
        if "." not in category:
            self.edited.emit(f"{category}.{field}" if field else category, value)
            return
        whole = copy.deepcopy(self._times)  # a dot would split the field path: send the whole table
        if field:
            setattr(whole[category], field, value)
        else:
            whole[category] = value  # type: ignore[assignment]
        self.edited.emit("", whole)
