"""Expiry of a review stage: off, or a time-to-live in the queue after which an item leaves as "expired".

Rules: switching expiry on starts from 24 h fixed (a common policy clock); switching it off stores no
expiry (``None``); while on, the time-to-live is edited like any other duration.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from flowmodel.distributions import Distribution
from ui.forms.distribution_editor import DistributionEditor

DEFAULT_TIME_TO_LIVE = Distribution.fixed(24.0, "h")


class ExpiryEditor(QWidget):
    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox("Items expire if still waiting after")
        self.editor = DistributionEditor()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.editor)
        self.enabled.clicked.connect(lambda on: self.edited.emit("", DEFAULT_TIME_TO_LIVE if on else None))
        self.editor.edited.connect(self.edited)
        self.editor.problem.connect(self.problem)

    def set_value(self, expiry: Distribution | None) -> None:
        self.enabled.setChecked(expiry is not None)
        self.editor.setVisible(expiry is not None)
        if expiry is not None:
            self.editor.set_value(expiry)
        else:
            self.problem.emit("")
