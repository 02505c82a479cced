"""An embedded matplotlib figure (QtAgg) with the project's chart style.

Rule: a canvas too small for its axes (a dock that is not opened wide yet) is drawn without the constrained
layout, which could not fit them; showing or resizing it draws it again with the layout.
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
        if self.width() >= SMALLEST_DRAWN_PX[0] and self.height() >= SMALLEST_DRAWN_PX[1]:
            super().draw()
            return
        engine = self.figure_.get_layout_engine()
        self.figure_.set_layout_engine("none")
        try:
            super().draw()
        finally:
            self.figure_.set_layout_engine(engine)

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
