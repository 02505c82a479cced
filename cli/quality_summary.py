"""The decision-quality block the ``simulate`` and ``compare`` commands print for a run with quality results.

Rules: one table, figures down and scenarios across (mean ± the half-width of the 95 % CI), then per compared
scenario its paired change against the reference with the interval in brackets and ``*`` when it excludes 0
(``+70.7 (+37.9 to +103) *``). Groups, in order: all categories (every figure of :mod:`reports.quality`), each
category (the headline figures), each deciding stage (its errors, appeals and QA disagreement) and, when the
run recorded it, wellness per team · category. Units are in the row labels. Nothing at all for a run without
quality results, so the output of any other run is unchanged.
"""

from __future__ import annotations

from reports.quality import (
    QualityFigure,
    cell_text,
    change_text,
    figure_groups,
    has_quality,
    quality_figures,
)
from simulations.runner import RunResult

INDENT = "  "


def _delta_cell(figure: QualityFigure, position: int) -> str:
    delta = figure.deltas[position]
    return change_text(delta, figure.unit) + (" *" if delta is not None and delta.clear else "")


def quality_block(run: RunResult) -> str:
    """The decision-quality block of ``run`` (see the module rules); "" when it has no quality results."""
    if not has_quality(run):
        return ""
    names = [str(s["name"]) for s in run.scenarios]
    header = ["Figure", *names, *[f"Δ {name}" for name in names[1:]]]
    rows: list[list[str]] = []
    for title, figures in figure_groups(quality_figures(run)):
        rows.append([title])
        for figure in figures:
            rows.append([INDENT + figure.label_with_unit, *[cell_text(s, figure.unit) for s in figure.summaries],
                         *[_delta_cell(figure, position) for position in range(1, len(names))]])
    full = [r for r in [header, *rows] if len(r) == len(header)]
    widths = [max(len(r[c]) for r in full) for c in range(len(header))]

    def line(row: list[str]) -> str:
        if len(row) == 1:
            return row[0]
        return "  ".join(cell.ljust(w) if c == 0 else cell.rjust(w)
                         for c, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()

    intro = "Decision quality: mean ± 95 % CI half-width across replications"
    if len(names) > 1:
        intro += f"; Δ paired with {names[0]} (95 % interval in brackets, * = it excludes 0)"
    return "\n".join(["", intro + ".", line(header), "  ".join("-" * w for w in widths),
                      *[line(row) for row in rows]])
