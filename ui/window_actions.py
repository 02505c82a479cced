"""The main window's actions, menus and toolbar, with platform-standard shortcuts.

Rules: shortcuts come from QKeySequence's standard keys where one exists (New, Open, Save, Save As,
Undo, Redo, Cut, Copy, Paste, Delete, Select All, Zoom In, Zoom Out), plus Ctrl+D duplicate, Ctrl+0
zoom to fit, Ctrl+L auto-layout. Canvas editing shortcuts (cut/copy/paste/delete/select all/duplicate)
only act while the canvas has focus, so Delete in a form's text field deletes text, not nodes.
One key sequence belongs to one action: a standard key's extra platform binding that an explicit shortcut
also uses (X11's Ctrl+D for Delete) is dropped, see :mod:`ui.shortcuts`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QToolBar

from ui import shortcuts
from ui.canvas.layout import ALIGNMENTS
from ui.imports.menu import build_import_menu

if TYPE_CHECKING:
    from ui.main_window import MainWindow

Std = QKeySequence.StandardKey


@dataclass
class WindowActions:
    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    quit: QAction
    rename: QAction
    undo: QAction
    redo: QAction
    cut: QAction
    copy: QAction
    paste: QAction
    duplicate: QAction
    delete: QAction
    select_all: QAction
    zoom_in: QAction
    zoom_out: QAction
    zoom_fit: QAction
    snap: QAction
    auto_layout: QAction
    recent_menu: QMenu
    examples_menu: QMenu


def _action(window: MainWindow, text: str, slot: Callable[[], object], keys: Std | str | None = None,
            tip: str = "", canvas_only: bool = False) -> QAction:
    action = QAction(text, window)
    if isinstance(keys, str):
        shortcuts.bind_explicit(action, keys)
    elif keys is not None:
        action.setShortcuts(shortcuts.standard_bindings(keys))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    if canvas_only:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        window.view.addAction(action)
    else:
        window.addAction(action)
    return action


def build_actions(window: MainWindow) -> WindowActions:
    """Create the actions and put them into the menu bar and the toolbar."""
    view, stack = window.view, window.undo_stack
    undo = stack.createUndoAction(window, "&Undo")
    undo.setShortcuts(shortcuts.standard_bindings(Std.Undo))
    redo = stack.createRedoAction(window, "&Redo")
    redo.setShortcuts(shortcuts.standard_bindings(Std.Redo))
    window.addActions([undo, redo])
    snap = QAction("Snap to &grid", window, checkable=True, checked=view.canvas_scene.snap_to_grid)
    snap.toggled.connect(lambda on: setattr(view.canvas_scene, "snap_to_grid", on))
    menu_bar = window.menuBar()
    file_menu = menu_bar.addMenu("&File")
    actions = WindowActions(
        new=_action(window, "&New", window.new_document, Std.New, "Start an empty workflow"),
        open=_action(window, "&Open…", window.open_dialog, Std.Open, "Open a .flow.json file or a .flowdb workspace"),
        save=_action(window, "&Save", window.save, Std.Save, "Save the document"),
        save_as=_action(window, "Save &As…", window.save_as, Std.SaveAs, "Save under a new name"),
        quit=_action(window, "&Quit", window.close, Std.Quit),
        rename=_action(window, "Workflow &name…", window.rename_workflow, tip="Rename the workflow on the canvas; "
                       "its name titles the window and the exports"),
        undo=undo, redo=redo,
        cut=_action(window, "Cu&t", view.clipboard.cut, Std.Cut, canvas_only=True),
        copy=_action(window, "&Copy", view.clipboard.copy, Std.Copy, canvas_only=True),
        paste=_action(window, "&Paste", view.clipboard.paste, Std.Paste, canvas_only=True),
        duplicate=_action(window, "D&uplicate", view.clipboard.duplicate, "Ctrl+D", canvas_only=True),
        delete=_action(window, "&Delete", window.delete_selection, Std.Delete, canvas_only=True),
        select_all=_action(window, "Select &All", window.select_all, Std.SelectAll, canvas_only=True),
        zoom_in=_action(window, "Zoom &In", view.zoom_in, Std.ZoomIn),
        zoom_out=_action(window, "Zoom &Out", view.zoom_out, Std.ZoomOut),
        zoom_fit=_action(window, "Zoom to &Fit", view.zoom_to_fit, "Ctrl+0"),
        snap=snap,
        auto_layout=_action(window, "Auto-&layout", window.auto_layout, "Ctrl+L",
                            "Arrange nodes left to right from sources to outcomes"),
        recent_menu=QMenu("Open &Recent", window),
        examples_menu=QMenu("&Examples", window),
    )
    file_menu.addActions([actions.new, actions.open])
    file_menu.addMenu(actions.recent_menu)
    file_menu.addMenu(actions.examples_menu)
    file_menu.addSeparator()
    file_menu.addActions([actions.save, actions.save_as])
    file_menu.addSeparator()
    file_menu.addAction(actions.rename)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    edit_menu = menu_bar.addMenu("&Edit")
    edit_menu.addActions([undo, redo])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.cut, actions.copy, actions.paste, actions.duplicate, actions.delete])
    edit_menu.addSeparator()
    edit_menu.addAction(actions.select_all)
    menu_bar.addMenu(build_import_menu(window))
    view_menu = menu_bar.addMenu("&View")
    view_menu.addActions([actions.zoom_in, actions.zoom_out, actions.zoom_fit])
    view_menu.addSeparator()
    view_menu.addAction(snap)
    view_menu.addSeparator()
    for dock in window.docks():
        view_menu.addAction(dock.toggleViewAction())
    arrange_menu = menu_bar.addMenu("&Arrange")
    arrange_menu.addAction(actions.auto_layout)
    align_menu = arrange_menu.addMenu("&Align")
    for how in ALIGNMENTS:
        align_menu.addAction(f"Align {how}", lambda how=how: window.align(how))
    _toolbar(window, actions)
    return actions


def _toolbar(window: MainWindow, actions: WindowActions) -> QToolBar:
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("main_toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.addActions([actions.new, actions.open, actions.save])
    toolbar.addSeparator()
    stack = window.undo_stack
    for text, slot, can_signal, can in (("Undo", stack.undo, stack.canUndoChanged, stack.canUndo),
                                        ("Redo", stack.redo, stack.canRedoChanged, stack.canRedo)):
        button = toolbar.addAction(text, slot)
        button.setToolTip(f"{text} the last edit" if text == "Undo" else f"{text} the edit just undone")
        button.setEnabled(can())
        can_signal.connect(button.setEnabled)
    toolbar.addSeparator()
    toolbar.addActions([actions.zoom_out, actions.zoom_in, actions.zoom_fit, actions.auto_layout])
    toolbar.addSeparator()
    name_label = QLabel(" Workflow: ")
    name_label.setBuddy(window.name_field)
    toolbar.addWidget(name_label)
    toolbar.addWidget(window.name_field)
    window.workflow_selector_action = toolbar.addWidget(window.workflow_selector)
    return toolbar
