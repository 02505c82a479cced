"""Condition of an attribute router's edge: items whose attribute is one of the listed values go this way.

Rule: the whole condition is one value (attribute + values); an empty value list matches nothing, so it
is refused with a hint to use "otherwise" for a catch-all branch.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from flowmodel.nodes import ITEM_ATTRIBUTES, Condition
from ui.forms.tag_list_edit import TagListEdit, parse_tags


class ConditionEditor(QWidget):
    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: Condition | None = None
        self.attribute = QComboBox()
        self.attribute.addItems(list(ITEM_ATTRIBUTES))
        self.values = TagListEdit()
        self.values.edit.setPlaceholderText("e.g. es, pt")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.attribute)
        layout.addWidget(QLabel("is one of"))
        layout.addWidget(self.values, 1)
        self.attribute.activated.connect(lambda _: self._emit(parse_tags(self.values.edit.text())))
        self.values.edited.connect(lambda _, values: self._emit(values))

    def set_value(self, condition: Condition | None) -> None:
        self._value = condition
        shown = condition or Condition()
        self.attribute.setCurrentText(shown.attribute)
        self.values.set_value(shown.values)

    def _emit(self, values: list[str]) -> None:
        if not values:
            self.problem.emit("list at least one value (tick 'otherwise' for the branch that takes the rest)")
            return
        self.problem.emit("")
        condition = Condition(self.attribute.currentText(), list(values))  # type: ignore[arg-type]
        if condition != self._value:
            self.edited.emit("", condition)
