"""Help → Keyboard shortcuts lists every action that has a key, read from the window's own actions; F1 opens it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.help_menu import shortcut_rows


def test_f1_lists_the_keys_of_the_menus(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    dialog = window.help.dialog
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    listed = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert listed["Duplicate"] == "Ctrl+D" and listed["Run simulation"] == "F5" and listed["Keyboard shortcuts"] == "F1"
    assert listed["Auto-layout"] == "Ctrl+L" and "&" not in "".join(listed)
    assert len(listed) == len(shortcut_rows(window)) >= 15


def test_about_says_which_flowmodel_this_is(window, monkeypatch):
    from reports.about import flowmodel_version
    from ui import help_menu

    shown = []
    monkeypatch.setattr(help_menu.QMessageBox, "about", staticmethod(lambda parent, title, text: shown.append(text)))
    window.help.about_action.trigger()
    assert len(shown) == 1 and f"Flowmodel {flowmodel_version()}" in shown[0]
