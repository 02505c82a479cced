"""Zoom: wheel and Ctrl +/− zoom by steps around the cursor or centre; zoom to fit frames every card.

Rule: the scale stays between MIN_SCALE and MAX_SCALE so a planner never loses the drawing. Zoom to fit
(View menu, Ctrl+0) frames every card, however small that makes them — it does what it says. The view a
document opens with (``legible=True``) goes no smaller than ``style.LEGIBLE_SCALE``, where card text is
still readable: a drawing wider than that opens at its left edge (the sources, where the flow starts), and
the planner scrolls on or zooms to fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt

from ui.canvas import style

if TYPE_CHECKING:
    from ui.canvas.view import CanvasView

ZOOM_STEP = 1.2
MIN_SCALE, MAX_SCALE = 0.1, 3.0
FIT_MARGIN = 40.0


def current_scale(view: CanvasView) -> float:
    return view.transform().m11()


def zoom_by(view: CanvasView, factor: float) -> None:
    """Multiply the scale by ``factor``, clamped to the allowed range."""
    target = min(MAX_SCALE, max(MIN_SCALE, current_scale(view) * factor))
    factor = target / current_scale(view)
    if factor != 1.0:
        view.scale(factor, factor)


def zoom_to_fit(view: CanvasView, legible: bool = False) -> None:
    """Frame all cards (at most at 100 %, so a small workflow is not blown up); with ``legible``, no smaller than
    readable text allows (see the module rule)."""
    scene = view.canvas_scene
    if not scene.node_items:
        return
    rect = scene.itemsBoundingRect().adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
    view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
    if current_scale(view) > 1.0:
        view.resetTransform()
    elif legible and current_scale(view) < style.LEGIBLE_SCALE:
        zoom_by(view, style.LEGIBLE_SCALE / current_scale(view))
        half_width = view.viewport().width() / 2 / current_scale(view)
        view.centerOn(QPointF(rect.left() + half_width, rect.center().y()))
        return
    view.centerOn(rect.center())
