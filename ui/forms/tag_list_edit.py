"""A comma list of skills (languages or categories) with a menu of the values the workflow uses.

Rules: empty means "any" (as in :class:`flowmodel.teams.Team`); values are trimmed, blanks dropped and
repeats removed; the menu lists the values present in the workflow's item mixes, ticked when in the list.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget


def parse_tags(text: str) -> list[str]:
    out: list[str] = []
    for part in text.split(","):
        tag = part.strip()
        if tag and tag not in out:
            out.append(tag)
    return out


class TagListEdit(QWidget):
    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: list[str] = []
        self.known: list[str] = []
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("any (empty = any)")
        self.menu = QMenu(self)
        self.pick = QToolButton()
        self.pick.setText("Pick")
        self.pick.setToolTip("Values used in this workflow's item mixes")
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.pick.setMenu(self.menu)
        self.menu.aboutToShow.connect(self._fill_menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.pick)
        self.edit.editingFinished.connect(lambda: self._emit(parse_tags(self.edit.text())))

    def set_known(self, values: list[str]) -> None:
        self.known = list(values)

    def set_value(self, tags: list[str]) -> None:
        self._tags = list(tags)
        if parse_tags(self.edit.text()) != self._tags:
            self.edit.setText(", ".join(tags))

    def toggle(self, tag: str) -> None:
        tags = parse_tags(self.edit.text())
        self._emit([t for t in tags if t != tag] if tag in tags else [*tags, tag])

    def _emit(self, tags: list[str]) -> None:
        if tags != self._tags:
            self.edited.emit("", tags)

    def _fill_menu(self) -> None:
        self.menu.clear()
        tags = parse_tags(self.edit.text())
        for value in sorted(set(self.known) | set(tags)):
            action = self.menu.addAction(value)
            action.setCheckable(True)
            action.setChecked(value in tags)
            action.triggered.connect(lambda _=False, v=value: self.toggle(v))
