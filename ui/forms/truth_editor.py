"""A source's ground truth: which of its items truly violate, and how often a violating item is seen.

Rules (see :mod:`flowmodel.quality`): ticking "Items carry ground truth" gives the source a
:class:`~flowmodel.quality.GroundTruth` (10 % prevalence to start with), unticking clears it — the source's items
then carry no truth, as before decision quality existed. The prevalence is the share of reports that truly
violate, shown in %; per category (the categories in the source's mix) a prevalence or a views rate of its own
overrides the overall one. Views per hour of a violating item are optional (0 leaves views out of exposure).
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from flowmodel.quality import GroundTruth
from ui.forms.category_table import CategoryTable, Cells, NumberColumn
from ui.forms.number_box import NumberBox

STARTING_PREVALENCE = 0.1
MAX_VIEWS_PER_HOUR = 1e9


class TruthByCategory(CategoryTable):
    """Prevalence and views per hour per category; the value is (by_category, views_by_category)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([NumberColumn("Prevalence", tip="share of the category's reports that truly violate"),
                          NumberColumn("Views\nper hour", maximum=MAX_VIEWS_PER_HOUR, scale=1.0,
                                       tip="how often a violating item of the category is seen per hour while up")],
                         parent=parent)

    def to_rows(self, value: Any) -> dict[str, Cells]:
        prevalence, views = value or ({}, {})
        return {c: [prevalence.get(c), views.get(c)] for c in [*prevalence, *(v for v in views if v not in prevalence)]}

    def to_value(self, rows: dict[str, Cells]) -> Any:
        return ({c: cells[0] for c, cells in rows.items() if cells[0] is not None},
                {c: cells[1] for c, cells in rows.items() if cells[1] is not None})


class GroundTruthEditor(QWidget):
    """Edits ``Source.truth`` (a GroundTruth or None) with the composite editor protocol of the forms."""

    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: GroundTruth | None = None
        self.carries = QCheckBox("Items carry ground truth")
        self.carries.setToolTip("Each item is drawn violating or benign at this source, for decision quality: "
                                "classifier error, reviewer accuracy, wrongful removals, exposure")
        self.prevalence = NumberBox(0.0, 100.0, 2, " %", 1.0)
        self.prevalence.setToolTip("Share of reports that truly violate (every category without its own)")
        self.views = NumberBox(0.0, MAX_VIEWS_PER_HOUR, 2, " views/h", 1.0)
        self.views.setToolTip("How often a violating item is seen per hour while it is up (0: views left out)")
        self.by_category = TruthByCategory()
        self.details = QWidget()
        rows = QFormLayout(self.details)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addRow("Prevalence:", self.prevalence)
        hint = QLabel("share of reports that truly violate")
        hint.setEnabled(False)
        rows.addRow(hint)
        rows.addRow("Views per hour:", self.views)
        rows.addRow(QLabel("Per category (blank: the overall value):"))
        rows.addRow(self.by_category)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.carries)
        layout.addWidget(self.details)
        self.carries.clicked.connect(self._ticked)
        self.prevalence.valueChanged.connect(lambda shown: self.edited.emit("prevalence", shown / 100.0))
        self.views.valueChanged.connect(lambda shown: self.edited.emit("views_per_hour", float(shown)))
        self.by_category.edited.connect(lambda _, value: self._categories_edited(*value))
        self.by_category.problem.connect(self.problem.emit)

    def set_known(self, categories: list[str]) -> None:
        """The categories of the source's mix (rows of the per-category table)."""
        self.by_category.set_known(categories, self._defaults())

    def set_value(self, value: GroundTruth | None) -> None:
        self._value = copy.deepcopy(value)
        self.carries.setChecked(value is not None)
        self.details.setVisible(value is not None)
        if value is None:
            return
        self.prevalence.show_value(value.prevalence * 100.0)
        self.views.show_value(value.views_per_hour)
        self.by_category.defaults = self._defaults()
        self.by_category.set_value((value.by_category, value.views_by_category))

    def _defaults(self) -> list[float]:
        return [self._value.prevalence, self._value.views_per_hour] if self._value is not None else [0.0, 0.0]

    def _ticked(self, checked: bool) -> None:
        self.edited.emit("", GroundTruth(STARTING_PREVALENCE) if checked else None)

    def _categories_edited(self, prevalence: dict[str, float], views: dict[str, float]) -> None:
        if self._value is None:
            return
        truth = copy.deepcopy(self._value)
        truth.by_category, truth.views_by_category = prevalence, views
        self.edited.emit("", truth)
