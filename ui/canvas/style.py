"""How the canvas looks: one place for colours and sizes per node kind (glyphs: :mod:`ui.canvas.glyphs`).

Rules: every node kind has a header colour and a human name; node cards share one width so
columns line up after auto-layout; every size is a multiple of the grid so snapping keeps cards aligned.
Text sizes are chosen for zoom-to-fit, not for 100 %: a five-column workflow is shown at about 0.56 ×
on a 1600×1000 window, so card text is drawn large enough to stay readable there, and zoom to fit
goes no smaller than ``LEGIBLE_SCALE``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont

GRID = 20
NODE_WIDTH = 220
HEADER_HEIGHT = 26
LINE_HEIGHT = 20
NAME_LINE_HEIGHT = 22
BODY_PADDING = 8
CORNER_RADIUS = 8
PORT_RADIUS = 6
LAYER_SPACING = NODE_WIDTH + 120    # the gap leaves room for an edge's label between two columns
ROW_SPACING = 80                    # room for a stage's estimate badge and a clear gap before the next card

HEADER_POINTS = 9.0
NAME_POINTS = 13.0
KEY_POINTS = 11.5
BADGE_POINTS = 10.0
# Zoom to fit stops here (key text 6.4 pt, about 8.5 px on screen); a wider drawing is shown from its sources.
LEGIBLE_SCALE = 0.56

CANVAS_BACKGROUND = QColor("#f6f7f9")
GRID_MINOR = QColor("#e9ebef")
GRID_MAJOR = QColor("#dde0e6")
CARD_FILL = QColor("#ffffff")
CARD_BORDER = QColor("#c3c8d0")
CARD_TEXT = QColor("#1f2933")
CARD_MUTED = QColor("#3e4c59")
CARD_QUIET = QColor("#7b8794")
SELECTION = QColor("#2f80ed")
ERROR = QColor("#d64545")
WARNING = QColor("#e09b1c")
EDGE_COLOUR = QColor("#7b8794")
EDGE_SELECTED = QColor("#2f80ed")
PILL_FILL = QColor("#ffffff")
PILL_BORDER = QColor("#cbd2d9")


@dataclass(frozen=True)
class KindStyle:
    title: str
    colour: QColor


KIND_STYLES: dict[str, KindStyle] = {
    "source": KindStyle("Source", QColor("#2d9d78")),
    "classifier": KindStyle("Classifier", QColor("#7b61c4")),
    "review_stage": KindStyle("Review stage", QColor("#2f6fbd")),
    "router": KindStyle("Router", QColor("#d9822b")),
    "delay": KindStyle("Delay", QColor("#8a8f98")),
    "outcome": KindStyle("Outcome", QColor("#3d4451")),
}


def kind_style(kind: str) -> KindStyle:
    return KIND_STYLES.get(kind, KindStyle(kind, QColor("#888888")))


def font(point_size: float = 9.0, *, bold: bool = False) -> QFont:
    result = QFont()
    result.setPointSizeF(point_size)
    result.setBold(bold)
    return result
