"""Time zone chooser: every IANA zone (``zoneinfo.available_timezones()``), typed with completion.

Rule: only a known IANA name is accepted; anything else is shown as a problem and not stored.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget


@cache
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


class TimezoneCombo(QComboBox):
    edited = Signal(str, object)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(list(time_zones()))
        self.setMaxVisibleItems(15)
        completer = QCompleter(list(time_zones()), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self._zone = "UTC"
        self._loading = False
        self.lineEdit().editingFinished.connect(lambda: self._commit(self.currentText().strip()))
        self.activated.connect(lambda index: self._commit(self.itemText(index)))

    def set_value(self, zone: str) -> None:
        self._zone = zone
        if self.currentText() != zone:
            self._loading = True
            self.setCurrentText(zone)
            self._loading = False
        self.problem.emit("" if zone in time_zones() else f"unknown time zone {zone!r}")

    def _commit(self, zone: str) -> None:
        if self._loading or zone == self._zone:
            return
        if zone not in time_zones():
            self.problem.emit(f"unknown time zone {zone!r} — pick one from the list, e.g. Europe/Dublin")
            return
        self.problem.emit("")
        self.edited.emit("", zone)
