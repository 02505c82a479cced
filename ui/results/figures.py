"""An embedded matplotlib figure (QtAgg) with the project's chart style."""

from __future__ import annotations

import warnings

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

FIGURE_FACE = "#ffffff"
# A chart in a dock that is not shown yet is drawn at almost no size; the layout is applied again when the
# dock opens, so matplotlib's complaint about that first draw says nothing to a planner.
warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)


class ChartCanvas(FigureCanvasQTAgg):
    """A figure of ``rows`` × ``columns`` axes, redrawn by :meth:`draw_with`."""

    def __init__(self, rows: int, columns: int) -> None:
        self.figure_ = Figure(figsize=(9, 6), facecolor=FIGURE_FACE, layout="constrained")
        super().__init__(self.figure_)
        self.rows, self.columns = rows, columns
        self.setMinimumHeight(320)

    def fresh_axes(self) -> list:
        """Clear the figure and return new axes, row by row."""
        self.figure_.clear()
        return list(self.figure_.subplots(self.rows, self.columns).flat)

    def message(self, text: str) -> None:
        self.figure_.clear()
        self.figure_.text(0.5, 0.5, text, ha="center", va="center", color="#52606d")
        self.draw_idle()
