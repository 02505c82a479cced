"""The back-test as pictures: per compared figure, the actual days against the simulated mean and its 95 % band.

Rules:
- One panel per compared (figure, stage), at most :data:`reports.backtest.CHART_FIGURES`, stacked on one page;
  each panel's title carries its error figures (MAPE, bias, days inside the band), the way the dialog shows them.
- Actual days are dots (hollow when outside the band), the simulated mean a line over the shaded band; the x axis
  is the local day, the y axis starts at 0.
- Saved as .pdf or .png by :func:`reports.charts.save_chart` (atomic), so the CLI and the app write the same page.
"""

from __future__ import annotations

import math

from matplotlib.dates import num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from reports.backtest import CHART_FIGURES
from reports.chart_style import PRINT, colour, count_axis, style_axes
from simulations.backtest import BacktestResult

PANEL_HEIGHT_IN = 2.4
WIDTH_IN = 8.0


def _percent(value: float) -> str:
    return f"{value:.1f} %" if math.isfinite(value) else "n/a"


def backtest_figure(result: BacktestResult) -> Figure:
    """The page of panels for ``result`` (module rules)."""
    errors = result.errors[:CHART_FIGURES]
    figure = Figure(figsize=(WIDTH_IN, 0.9 + PANEL_HEIGHT_IN * max(len(errors), 1)), facecolor="white",
                    layout="constrained")
    figure.suptitle(f"Back-test of {result.workflow_name}: {result.replications} replications against "
                    f"{result.actuals_file}", fontsize=PRINT.title_size + 1, fontweight="bold", x=0.01, ha="left")
    if not errors:
        ax = figure.add_subplot(1, 1, 1)
        ax.axis("off")
        ax.text(0.5, 0.5, "No day was compared", ha="center", va="center")
        return figure
    axes = figure.subplots(len(errors), 1, squeeze=False)[:, 0]
    for ax, error in zip(axes, errors, strict=True):
        rows = result.series(error.figure, error.stage)
        days = [row.day for row in rows]
        inside = [row.within_band for row in rows]
        ax.fill_between(days, [r.band_low for r in rows], [r.band_high for r in rows], color=colour(0),
                        alpha=PRINT.band_alpha, linewidth=0, label="95 % band")
        ax.plot(days, [r.mean for r in rows], color=colour(0), linewidth=PRINT.line_width, label="simulated mean")
        ax.scatter([d for d, ok in zip(days, inside, strict=True) if ok],
                   [r.actual for r, ok in zip(rows, inside, strict=True) if ok], color=colour(1), s=16, zorder=3,
                   label="actual")
        outside = [(d, r.actual) for d, r, ok in zip(days, rows, inside, strict=True) if not ok]
        if outside:
            ax.scatter(*zip(*outside, strict=True), facecolors="white", edgecolors=colour(1), s=16, zorder=3,
                       label="actual outside the band")
        style_axes(ax, f"{error.label}: MAPE {_percent(error.mape_pct)}, bias {_percent(error.bias_pct)}, "
                       f"{error.within_band_share:.0%} of {error.days} days inside the band", ylabel="items")
        ax.set_ylim(bottom=0)
        count_axis(ax.yaxis)
        ax.tick_params(axis="x", labelrotation=0)
        ax.xaxis.set_major_formatter(FuncFormatter(_day_label))
    axes[0].legend(fontsize=PRINT.tick_size, frameon=False, loc="lower right", ncols=4)
    return figure


def _day_label(value: float, _position: int | None = None) -> str:
    """A date on the x axis as ``2 Mar`` (matplotlib passes day numbers)."""
    moment = num2date(value)
    return f"{moment.day} {moment:%b}"
