"""An ordered choice: tick the entries that apply and move them up or down to set their priority.

Used for the stages a team works (highest priority first) and a review stage's priority order.
Rule: the emitted value is the ticked keys in list order; unticked entries stay below, in their own order.
With ``checkable=False`` every entry counts and only the order is edited.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

KEY_ROLE = Qt.ItemDataRole.UserRole


class OrderedChecklist(QWidget):
    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, checkable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checkable = checkable
        self._options: list[tuple[str, str]] = []
        self._chosen: list[str] = []
        self._loading = False
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.up_button = QPushButton("Up")
        self.down_button = QPushButton("Down")
        self.up_button.setToolTip("Raise the priority of the selected entry")
        self.down_button.setToolTip("Lower the priority of the selected entry")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(+1))
        buttons = QVBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(buttons)
        self.list.itemChanged.connect(self._ticked)

    def set_options(self, options: list[tuple[str, str]]) -> None:
        """All entries that can be chosen, as (key, text shown)."""
        self._options = list(options)
        self._show()

    def set_value(self, chosen: list[str]) -> None:
        self._chosen = list(chosen)
        self._show()

    def keys(self) -> list[str]:
        """Keys in the order shown."""
        return [self.list.item(row).data(KEY_ROLE) for row in range(self.list.count())]

    def move_current(self, step: int) -> None:
        """Swap the selected entry with its neighbour (``step`` −1 = up, +1 = down); selection follows it."""
        row = self.list.currentRow()
        if row < 0 or not 0 <= row + step < self.list.count():
            return
        keys = self.keys()
        keys[row], keys[row + step] = keys[row + step], keys[row]
        ticked = set(self._current_choice())
        self._emit([k for k in keys if k in ticked])

    def _current_choice(self) -> list[str]:
        if not self.checkable:
            return self.keys()
        return [self.list.item(r).data(KEY_ROLE) for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.CheckState.Checked]

    def _ticked(self, item: QListWidgetItem) -> None:
        if not self._loading:
            self._emit(self._current_choice())

    def _emit(self, chosen: list[str]) -> None:
        if chosen != self._chosen:
            self.edited.emit("", chosen)

    def _show(self) -> None:
        """Rebuild the list when it differs from options + value; keep the selected entry selected."""
        texts = dict(self._options)
        order = [k for k in self._chosen if k in texts or not self.checkable]
        order += [k for k, _ in self._options if k not in order]
        wanted = [(k, texts.get(k, k), self._check_state(k in self._chosen)) for k in order]
        shown = [(self.list.item(r).data(KEY_ROLE), self.list.item(r).text(),
                  self.list.item(r).checkState() if self.checkable else None) for r in range(self.list.count())]
        if wanted == shown:
            return
        current = self.list.currentItem().data(KEY_ROLE) if self.list.currentItem() is not None else None
        self._loading = True
        self.list.clear()
        for key, text, state in wanted:
            item = QListWidgetItem(text)
            item.setData(KEY_ROLE, key)
            if state is not None:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(state)
            self.list.addItem(item)
            if key == current:
                self.list.setCurrentItem(item)
        self._loading = False
        rows = max(2, min(self.list.count(), 6))
        self.list.setFixedHeight(rows * (self.list.sizeHintForRow(0) if self.list.count() else 20) + 6)

    def _check_state(self, ticked: bool) -> Qt.CheckState | None:
        if not self.checkable:
            return None
        return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
