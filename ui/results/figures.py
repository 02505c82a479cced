"""An embedded matplotlib figure (QtAgg) with the project's chart style.

Rule: a canvas draws only when it is shown and large enough for its axes (a chart in a dock or tab that is
not open yet would be squeezed to nothing); showing or resizing it draws it.
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtGui import QShowEvent

FIGURE_FACE = "#ffffff"
SMALLEST_DRAWN_PX = (420, 300)


class ChartCanvas(FigureCanvasQTAgg):
    """A figure of ``rows`` × ``columns`` axes, redrawn after :meth:`fresh_axes` with ``draw_idle``."""

    def __init__(self, rows: int, columns: int) -> None:
        self.figure_ = Figure(figsize=(9, 6), facecolor=FIGURE_FACE, layout="constrained")
        super().__init__(self.figure_)
        self.rows, self.columns = rows, columns

    def draw(self) -> None:
        if self.isVisible() and self.width() >= SMALLEST_DRAWN_PX[0] and self.height() >= SMALLEST_DRAWN_PX[1]:
            super().draw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.draw_idle()

    def fresh_axes(self) -> list:
        """Clear the figure and return new axes, row by row."""
        self.figure_.clear()
        return list(self.figure_.subplots(self.rows, self.columns).flat)

    def message(self, text: str) -> None:
        self.figure_.clear()
        self.figure_.text(0.5, 0.5, text, ha="center", va="center", color="#52606d")
        self.draw_idle()
