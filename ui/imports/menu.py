"""The Import menu: the planner's files into the model (volumes, handle times, rosters, today's backlog, back-test).

Rules: entries keep this order; each one's dialog module (pandas, statsmodels and scipy behind it) is imported
only when the entry is chosen, so the app opens as fast as before.
"""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import QMenu

ENTRIES: tuple[tuple[str, str, str, str], ...] = (
    ("Arrival volumes…", "ui.imports.volumes_dialog", "open_volumes",
     "Fit a source's rate, weekly profile and mix from a history of volumes"),
    ("Handle times…", "ui.imports.handle_times_dialog", "open_handle_times",
     "Fit a stage's handle-time distribution from samples"),
    ("Roster…", "ui.imports.roster_dialog", "open_roster_import", "Import teams' shifts and headcounts"),
    ("Export roster…", "ui.imports.roster_dialog", "open_roster_export", "Write the teams' rosters to a file"),
    ("Today's backlog…", "ui.start_state_dialog", "open_start_state", "Start runs from the items waiting today"),
    ("Back-test…", "ui.imports.backtest_dialog", "open_backtest", "Simulate a past period and compare with it"),
)


def _open(window, module: str, function: str) -> None:
    getattr(importlib.import_module(module), function)(window)


def build_import_menu(window) -> QMenu:
    """The Import menu of ``window`` (a MainWindow), entries in the order of :data:`ENTRIES`."""
    menu = QMenu("&Import", window)
    menu.setObjectName("import_menu")
    for text, module, function, tip in ENTRIES:
        if text == "Today's backlog…":
            menu.addSeparator()
        action = menu.addAction(text)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False, m=module, f=function: _open(window, m, f))
    return menu
