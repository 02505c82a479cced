"""Reviewer accuracy: how often reviewers decide right, overall and per category (a team's or a stage's).

Rules (see :mod:`flowmodel.quality`): accuracy is two shares, shown in %: "removes violating items"
(P(remove | violating), the reviewers' recall) and "keeps benign items" (P(keep | benign)). Overall it is
optional: unticked, nothing is stated (a stage then uses its teams' accuracy; a team with none is taken as always
right). Ticking states 95 % / 95 % to start with. Per category, a row overrides the overall accuracy; typing one of
its shares fills the other with the overall value, clearing one clears the category's row.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from flowmodel.quality import Accuracy
from ui.forms.category_table import CategoryTable, Cells, NumberColumn
from ui.forms.number_box import NumberBox

STARTING_ACCURACY = 0.95
REMOVES_VIOLATING = "Removes violating items"
KEEPS_BENIGN = "Keeps benign items"
NUMBER_WIDTH = 90


class AccuracyEditor(QWidget):
    """Edits an optional :class:`Accuracy` (``Team.accuracy``, ``ReviewStage.accuracy``); composite protocol."""

    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, stated_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stated = QCheckBox(stated_text)
        self.remove_violating = NumberBox(0.0, 100.0, 2, " %", 0.5)
        self.remove_violating.setToolTip("P(remove | violating): the share of violating items reviewers remove")
        self.keep_benign = NumberBox(0.0, 100.0, 2, " %", 0.5)
        self.keep_benign.setToolTip("P(keep | benign): the share of benign items reviewers keep")
        self.details = QWidget()
        rows = QGridLayout(self.details)
        rows.setContentsMargins(0, 0, 0, 0)
        for row, (box, words) in enumerate(((self.remove_violating, REMOVES_VIOLATING.lower()),
                                            (self.keep_benign, KEEPS_BENIGN.lower()))):
            box.setMinimumWidth(NUMBER_WIDTH)
            rows.addWidget(box, row, 0)
            rows.addWidget(QLabel(words), row, 1)
        rows.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stated)
        layout.addWidget(self.details)
        self.stated.clicked.connect(
            lambda checked: self.edited.emit("", Accuracy(STARTING_ACCURACY, STARTING_ACCURACY) if checked else None))
        self.remove_violating.valueChanged.connect(lambda shown: self.edited.emit("remove_violating", shown / 100.0))
        self.keep_benign.valueChanged.connect(lambda shown: self.edited.emit("keep_benign", shown / 100.0))

    def set_value(self, value: Accuracy | None) -> None:
        self.stated.setChecked(value is not None)
        self.details.setVisible(value is not None)
        if value is not None:
            self.remove_violating.show_value(value.remove_violating * 100.0)
            self.keep_benign.show_value(value.keep_benign * 100.0)


class AccuracyByCategory(CategoryTable):
    """``accuracy_by_category`` (category → Accuracy) as a paired per-category table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([NumberColumn("Removes\nviolating", tip="P(remove | violating) for the category"),
                          NumberColumn("Keeps\nbenign", tip="P(keep | benign) for the category")], paired=True,
                         parent=parent)

    def to_rows(self, value: Any) -> dict[str, Cells]:
        return {c: [a.remove_violating, a.keep_benign] for c, a in (value or {}).items()}

    def to_value(self, rows: dict[str, Cells]) -> Any:
        return {c: Accuracy(*copy.deepcopy(cells)) for c, cells in rows.items()}

    def set_overall(self, accuracy: Accuracy | None) -> None:
        """The values a category without its own accuracy shows (always right when none is stated)."""
        shown = accuracy or Accuracy()
        self.defaults = [shown.remove_violating, shown.keep_benign]
        self.set_known(self.known)
