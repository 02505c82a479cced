"""The docks' first sizes, which follow the window: side panels by its width, the results at half its height.

Why a module of its own: each is decided once, after Qt has laid the window out (a queued call), and the
main window only says when (first shown; results first shown).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow


class DockSizes:
    """Sizes the palette and properties docks on the window's first show, and the results dock on its first."""

    def __init__(self, window: QMainWindow, palette: QDockWidget, properties: QDockWidget, validation: QDockWidget,
                 results: QDockWidget) -> None:
        self.window, self.palette, self.properties = window, palette, properties
        self.validation, self.results = validation, results
        self._sides_sized = self._results_sized = False

    def window_shown(self) -> None:
        if not self._sides_sized:
            self._sides_sized = True
            QTimer.singleShot(0, self._size_sides)

    def results_shown(self) -> None:
        if not self._results_sized and self.window.isVisible():
            self._results_sized = True
            QTimer.singleShot(0, self._size_results)  # once the layout has placed the dock just shown

    def _size_sides(self) -> None:
        """On a 1280-pixel screen the canvas keeps most of the width: the properties panel at 28 % of it,
        380–450 px (its forms need 380), the node palette 150–170 px."""
        width = self.window.width()
        palette = 150 if width < 1400 else 170
        self.window.resizeDocks([self.palette, self.properties], [palette, max(380, min(450, int(0.28 * width)))],
                                Qt.Orientation.Horizontal)

    def _size_results(self) -> None:
        """Tabbed with the validation list (so it has the bottom's whole width, which runs under the short node
        palette) and at least half the window high."""
        dock, validation = self.results, self.validation
        if dock.isHidden() or dock.isFloating():
            return
        if not validation.isHidden() and not validation.isFloating():
            self.window.tabifyDockWidget(validation, dock)
            dock.raise_()
        self.window.resizeDocks([dock], [max(dock.height(), self.window.height() // 2)], Qt.Orientation.Vertical)
