"""One branch's shares by truth on the edge form: the share of violating and of benign items taking it.

Rule: per-category shares are listed read-only here; they are edited on the node (the classifier's bands or the
router's branches), where every branch changes together so that each column still sums to 100 %.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from flowmodel.quality import TruthSplit
from ui.forms.branch_words import percent
from ui.forms.number_box import NumberBox


class TruthSplitEditor(QWidget):
    """One branch's shares of violating and benign items (``Edge.by_truth``), in %; composite editor protocol.
    Per-category shares are listed read-only: they are edited on the node, where every branch changes together."""

    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.violating = NumberBox(0.0, 100.0, 2, " %", 1.0)
        self.benign = NumberBox(0.0, 100.0, 2, " %", 1.0)
        self.per_category = QLabel()
        self.per_category.setWordWrap(True)
        self.per_category.setEnabled(False)
        rows = QFormLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addRow("Violating items:", self.violating)
        rows.addRow("Benign items:", self.benign)
        rows.addRow(self.per_category)
        self.violating.valueChanged.connect(lambda shown: self.edited.emit("violating", shown / 100.0))
        self.benign.valueChanged.connect(lambda shown: self.edited.emit("benign", shown / 100.0))

    def set_value(self, value: TruthSplit | None) -> None:
        if value is None:
            return
        self.violating.show_value(value.violating * 100.0)
        self.benign.show_value(value.benign * 100.0)
        listed = ", ".join(f"{category}: V {percent(split.violating)} / B {percent(split.benign)}"
                           for category, split in value.by_category.items())
        self.per_category.setText(f"Per category ({listed}) — edit them on the node, where every branch changes "
                                  "together." if listed else "")
        self.per_category.setVisible(bool(listed))
