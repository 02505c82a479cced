"""One key sequence, one action: no two actions or shortcuts of the window share a key in overlapping scopes,
and Ctrl+D duplicates on the canvas, also with X11's standard bindings (where Delete includes Ctrl+D)."""

from __future__ import annotations

import pytest
from editor_helpers import make_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QMenuBar, QToolBar, QToolButton, QWidget

from flowmodel.jsonfile import write_workflow_json
from ui import shortcuts
from ui.main_window import MainWindow

Std = QKeySequence.StandardKey
Ctx = Qt.ShortcutContext
#: The extra bindings Qt's X11 keyboard scheme gives some standard keys (the offscreen platform has none).
X11_EXTRAS = {Std.Delete: ["Ctrl+D"], Std.Cut: ["F20"], Std.Copy: ["F16"], Std.Paste: ["F18"],
              Std.Undo: ["F14"], Std.Redo: ["Ctrl+Shift+Z"], Std.Close: ["Ctrl+W"]}


def _x11_bindings(key: Std) -> list[QKeySequence]:
    bound = QKeySequence.keyBindings(key)
    texts = {b.toString() for b in bound}
    return bound + [QKeySequence(extra) for extra in X11_EXTRAS.get(key, []) if extra not in texts]


@pytest.fixture(params=["this platform", "x11 bindings"])
def keyed_window(request, qtbot, tmp_path, triage, monkeypatch) -> MainWindow:
    if request.param == "x11 bindings":
        monkeypatch.setattr(shortcuts, "standard_bindings", _x11_bindings)
    path = tmp_path / "triage.flow.json"
    write_workflow_json(triage, path)
    window = make_window(qtbot, tmp_path)
    assert window.open_path(path)
    qtbot.wait(10)
    window.activateWindow()  # shortcuts need the active window (also on a real X server without a window manager)
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    return window


def _scope(owner: QAction | QShortcut, window: QWidget) -> QWidget | None:
    """The widget a shortcut is live in (None: the whole application)."""
    context = owner.shortcutContext() if isinstance(owner, QAction) else owner.context()
    if context == Ctx.ApplicationShortcut:
        return None
    if isinstance(owner, QShortcut):
        widget = owner.parentWidget()
    else:
        widgets = [w for w in owner.associatedObjects() if isinstance(w, QWidget)
                   and not isinstance(w, QMenu | QMenuBar | QToolBar | QToolButton)]
        widget = widgets[0] if widgets else owner.parent()
    return widget.window() if context == Ctx.WindowShortcut else widget


def _overlap(a: QWidget | None, b: QWidget | None) -> bool:
    if a is None or b is None:
        return True
    return a is b or a.isAncestorOf(b) or b.isAncestorOf(a)


def bindings(window: QWidget) -> list[tuple[str, str, QWidget | None]]:
    """(key sequence, owner's text, scope) for every key of every QAction and QShortcut in the window."""
    found: list[tuple[str, str, QWidget | None]] = []
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            found.append((sequence.toString(), action.text() or action.objectName(), _scope(action, window)))
    for shortcut in window.findChildren(QShortcut):
        for sequence in shortcut.keys():  # noqa: SIM118 (QShortcut, not a dict)
            found.append((sequence.toString(), shortcut.objectName() or "QShortcut", _scope(shortcut, window)))
    return found


def test_no_key_sequence_is_bound_twice(keyed_window):
    found = bindings(keyed_window)
    assert len(found) > 20  # the collection really sees the window's actions
    clashes = [(key, a, b) for i, (key, a, scope_a) in enumerate(found) for key_b, b, scope_b in found[i + 1:]
               if key == key_b and _overlap(scope_a, scope_b)]
    assert clashes == []


def test_delete_keeps_its_delete_key_and_duplicate_keeps_ctrl_d(keyed_window):
    actions = keyed_window.actions
    assert QKeySequence("Del") in actions.delete.shortcuts()
    assert QKeySequence("Ctrl+D") not in actions.delete.shortcuts()
    assert actions.duplicate.shortcuts() == [QKeySequence("Ctrl+D")]


def test_ctrl_d_duplicates_the_selected_node_and_ctrl_z_undoes_it(qtbot, keyed_window):
    window = keyed_window
    workflow = window.document.workflow
    before = set(workflow.nodes)
    window.view.canvas_scene.select_ids([workflow.node_by_name("Tier 1").id])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    added = set(workflow.nodes) - before
    assert len(added) == 1
    assert workflow.nodes[added.pop()].kind == workflow.node_by_name("Tier 1").kind
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert set(workflow.nodes) == before


def test_drop_shadowed_bindings_keeps_the_explicit_key(qapp):
    explicit, standard = QAction("Duplicate"), QAction("Delete")
    shortcuts.bind_explicit(explicit, "Ctrl+D")
    standard.setShortcuts([QKeySequence("Del"), QKeySequence("Ctrl+D")])
    dropped = shortcuts.drop_shadowed_bindings([explicit, standard])
    assert [text for _, text in dropped] == ["Ctrl+D"]
    assert standard.shortcuts() == [QKeySequence("Del")]
    assert explicit.shortcuts() == [QKeySequence("Ctrl+D")]


def test_cut_copy_duplicate_and_delete_follow_the_selection(window, qtbot):
    actions = window.actions
    scene = window.view.canvas_scene
    scene.clearSelection()
    assert not any(a.isEnabled() for a in (actions.cut, actions.copy, actions.duplicate, actions.delete))
    scene.select_ids([next(iter(window.document.workflow.nodes))])
    assert all(a.isEnabled() for a in (actions.cut, actions.copy, actions.duplicate, actions.delete))
