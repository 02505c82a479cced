"""The one chart style of Flowmodel, shared by the report's Figures and the app's embedded charts (no Qt).

Rules:
- One palette: colour ``i`` is the ``i``-th scenario (or stage/team within one scenario); the reference is
  always the first colour.
- Two looks of the same style: :data:`PRINT` (smaller type, muted grey text, for pages and images) and
  :data:`SCREEN` (larger black type, for the results and comparison views).
- The warm-up is shaded grey because statistics start after it; bands are the p5–p95 range across
  replications around the mean line; error bars are 95 % confidence intervals.
- Grouped bars share 80 % of each slot between the groups, centred on the slot.
- A percent axis runs 0–100 % (a little headroom for error bars) with ticks every 25 %, written "50 %";
  a day axis has whole-day ticks, as few as the axis length allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.container import BarContainer
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

PALETTE = ("#2f6fbd", "#d9822b", "#2d9d78", "#c44e52", "#7b61c4", "#8c6d31", "#3d4451", "#e377c2")
WARMUP_FILL = "#e4e7eb"
GRID = "#e4e7eb"
TEXT = "#1f2933"
MUTED = "#52606d"
GROUP_SPAN = 0.8


@dataclass(frozen=True)
class Look:
    """Type sizes and colours of one medium; ``None`` keeps matplotlib's default."""

    title_size: float
    label_size: float
    tick_size: float
    grid_width: float
    title_colour: str
    label_colour: str
    spine_colour: str | None
    bar_fill: float  # share of a bar's slot that is filled
    band_alpha: float
    line_width: float
    error_colour: str | None
    error_width: float | None


PRINT = Look(9.5, 8.0, 7.5, 0.7, TEXT, MUTED, "#9aa5b1", 0.9, 0.16, 1.5, TEXT, 0.8)
SCREEN = Look(10.0, 8.5, 8.0, 0.8, "black", "black", None, 0.92, 0.18, 1.6, None, None)


def colour(position: int) -> str:
    return PALETTE[position % len(PALETTE)]


def style_axes(ax: Axes, title: str, xlabel: str = "", ylabel: str = "", look: Look = PRINT) -> None:
    ax.set_title(title, fontsize=look.title_size, fontweight="bold", loc="left", color=look.title_colour)
    ax.set_xlabel(xlabel, fontsize=look.label_size, color=look.label_colour)
    ax.set_ylabel(ylabel, fontsize=look.label_size, color=look.label_colour)
    ax.tick_params(labelsize=look.tick_size, colors=look.label_colour)
    ax.grid(True, color=GRID, linewidth=look.grid_width)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if look.spine_colour:
        for side in ("left", "bottom"):
            ax.spines[side].set_color(look.spine_colour)


def shade_warmup(ax: Axes, warmup_hours: float, label: str | None = None) -> None:
    """Grey span over the warm-up on a day axis (nothing when there is none)."""
    if warmup_hours > 0:
        ax.axvspan(0, warmup_hours / 24.0, color=WARMUP_FILL, zorder=0, linewidth=0, label=label)


def band(ax: Axes, days: np.ndarray, mean: Sequence[float], low: Sequence[float], high: Sequence[float],
         position: int, look: Look, label: str | None = None) -> None:
    """The mean line over its p5–p95 band, in colour ``position``."""
    ax.fill_between(days, low, high, color=colour(position), alpha=look.band_alpha, linewidth=0)
    ax.plot(days, mean, color=colour(position), linewidth=look.line_width, label=label)


def grouped_bars(ax: Axes, slots: np.ndarray, position: int, count: int, values: Sequence[float],
                 errors: Sequence[float] | list[Sequence[float]], look: Look, label: str | None = None,
                 horizontal: bool = False) -> BarContainer:
    """Group ``position`` of ``count`` bars in every slot, with error bars (asymmetric as ``[lows, highs]``)."""
    size = GROUP_SPAN / max(count, 1)
    offsets = slots + (position - (count - 1) / 2) * size
    error_kw = {key: value for key, value in (("elinewidth", look.error_width), ("ecolor", look.error_colour))
                if value is not None}
    if horizontal:
        return ax.barh(offsets, values, size * look.bar_fill, xerr=errors, capsize=2, color=colour(position),
                       error_kw=error_kw, label=label)
    return ax.bar(offsets, values, size * look.bar_fill, yerr=errors, capsize=2, color=colour(position),
                  error_kw=error_kw, label=label)


PERCENT_TICKS = (0, 25, 50, 75, 100)


def percent_axis(axis: Axis, top: float = 105.0) -> None:
    """0–100 % with five ticks written ``50 %`` (the values drawn are already in percent)."""
    if axis is axis.axes.xaxis:
        axis.axes.set_xlim(0, top)
    else:
        axis.axes.set_ylim(0, top)
    axis.set_major_locator(FixedLocator(PERCENT_TICKS))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f} %"))


def day_axis(axis: Axis) -> None:
    """Whole days, as many ticks as fit (matplotlib's automatic count, on integers)."""
    axis.set_major_locator(MaxNLocator(nbins="auto", integer=True, min_n_ticks=3))


def count_axis(axis: Axis) -> None:
    """Counts with thousands separators and a tick count that follows the axis length."""
    axis.set_major_locator(MaxNLocator(nbins="auto", min_n_ticks=3))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
