"""QA sampling of a review stage: which review stage re-reviews a share of its remove/keep decisions.

Rules (see :mod:`flowmodel.quality`): the share is edited as a number row in % (``qa_share``); the QA stage is
picked from the workflow's other review stages (``qa_stage``, "" = none). A QA stage reviews only QA copies, so
validation asks for one that no edge leads into.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

NO_QA_STAGE = "(no QA stage)"


class QaStageCombo(QComboBox):
    """The QA stage picker; composite editor protocol (``edited("", stage id)``)."""

    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = ""
        self.setToolTip("The review stage that re-reviews the sampled decisions (its load is added there)")
        self.activated.connect(lambda index: self.edited.emit("", self.itemData(index)))

    def set_options(self, stages: list[tuple[str, str]]) -> None:
        """(stage id, name) of the review stages that can be picked."""
        wanted = [("", NO_QA_STAGE), *stages]
        if [(self.itemData(i), self.itemText(i)) for i in range(self.count())] != wanted:
            self.blockSignals(True)
            self.clear()
            for stage_id, name in wanted:
                self.addItem(name, stage_id)
            self.blockSignals(False)
        self.set_value(self._value)

    def set_value(self, value: str) -> None:
        self._value = value or ""
        index = self.findData(self._value)
        if index < 0 and self._value:
            self.addItem(f"(missing stage {self._value[:8]})", self._value)
            index = self.count() - 1
        self.blockSignals(True)
        self.setCurrentIndex(max(0, index))
        self.blockSignals(False)
