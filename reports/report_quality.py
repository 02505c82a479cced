"""The PDF report's decision-quality page, as HTML for :mod:`reports.report_html` (no Qt).

Rules:
- Only for a run with quality results (:func:`reports.quality.has_quality`): "" otherwise, so every other
  report is unchanged. It starts on a new page, after the launch page and before the charts.
- One table, scenarios across: all categories with every figure, then each category with its headline figures,
  each deciding stage with its errors, appeals and QA disagreement, and wellness per team · category when the
  run recorded it; each group under a shaded group row. Cells are mean ± the 95 % CI half-width in the row's
  unit (the label states it); the Δ columns are the paired change against the reference, with its interval when
  one scenario is compared, highlighted when it is clear.
- Then the errors and exposure charts (:mod:`reports.quality_charts`) the caller provided, each with its heading.
- Every number is formatted by :mod:`reports.quality` / :mod:`reports.formatting`, like the rest of the report.
"""

from __future__ import annotations

from reports.comparison import Comparison
from reports.formatting import verdict
from reports.quality import (
    QualityFigure,
    cell_text,
    change_text,
    figure_groups,
    has_quality,
    quality_figures,
)
from reports.report_html import ACCENT, CLEAR_FILL, GROUP_FILL, MUTED, TEXT, _cell, _e, _heading, chart_image

CHART_CAPTIONS: dict[str, tuple[str, str]] = {
    "quality_errors": ("Decision errors by scenario", "Wrongful removals (benign items removed), missed violations "
                       "(violating items kept at the end) and overturned removals, all categories: means across "
                       "replications with 95 % confidence intervals."),
    "quality_exposure": ("Exposure of violating content", "Hours violating items stayed up (creation to removal, or "
                         "to the end of the run) per category: means across replications with 95 % confidence "
                         "intervals."),
}


def _chart(name: str, width: int, brk: str) -> str:
    title, caption = CHART_CAPTIONS[name]
    return (f'<h3 style="{brk}font-size: 11pt; color: {TEXT}; margin-bottom: 2px;">{_e(title)}</h3>'
            f'<p style="color: {MUTED}; font-size: 8pt; margin-top: 0px;">{_e(caption)}</p>'
            f'<p><img src="{chart_image(name)}" width="{width}"/></p>')


def _row(figure: QualityFigure, with_ci: bool) -> str:
    cells = [_cell(figure.label_with_unit, align="left", width="30%")]
    cells += [_cell(cell_text(s, figure.unit)) for s in figure.summaries]
    for delta in figure.deltas[1:]:
        style = f"background-color: {CLEAR_FILL}; font-weight: bold;" if delta is not None and delta.clear else \
            f"color: {MUTED};"
        text = change_text(delta, figure.unit)
        if not with_ci and delta is not None and delta.ci_defined and text != "unchanged":
            text = text.split(" (")[0]
        word = verdict(delta)
        cells.append(_cell(f"{text} · {word}" if word in ("not clear", "n/a") else text, style=style))
    return "".join(cells)


def quality_page(comparison: Comparison, charts: list[str], width: int) -> str:
    """The page (see the module rules); ``charts`` are the quality chart names whose images were provided."""
    run = comparison.run
    if not has_quality(run):
        return ""
    compared = comparison.scenarios[1:]
    with_ci = len(compared) <= 1
    header = ["Figure", *[s.name for s in comparison.scenarios],
              *[(f"Δ {s.name}" if len(compared) > 1 else "Δ (95 % CI)") for s in compared]]
    head = "".join(f'<th align="{"left" if i == 0 else "right"}" style="padding: 4px 5px; background-color: '
                   f'{TEXT}; color: white; font-weight: bold;">{_e(h)}</th>' for i, h in enumerate(header))
    rows = []
    for title, figures in figure_groups(quality_figures(run), ": "):
        rows.append(f'<tr><td colspan="{len(header)}" style="padding: 5px 5px 2px 5px; background-color: '
                    f'{GROUP_FILL}; color: {ACCENT}; font-weight: bold;">{_e(title)}</td></tr>')
        rows += ["<tr>" + _row(f, with_ci) + "</tr>" for f in figures]
    intro = ("How right the decisions were. Correct and wrongful removals count each item's first removal (a "
             "wrongful removal later overturned included); missed violations are violating items kept at the end of "
             "their journey. Precision is the share of removed items that violate, recall the share of decided "
             "violating items removed; an overturn is an appeal decided as keep. Exposure is the hours violating "
             "items stayed up before their removal; time to action runs from a violating item's creation to its "
             "removal.")
    legend = (f'<p style="color: {MUTED}; font-size: 8pt;">Values are means across replications ± the half-width of '
              f"the 95 % confidence interval. Δ is the scenario minus {_e(comparison.reference.name)}, paired "
              "replication by replication; bold on yellow when the difference is clear. pp = percentage points.</p>")
    parts = [_heading("Decision quality"), f"<p>{_e(intro)}</p>",
             f'<table width="100%" cellspacing="0" cellpadding="0" style="font-size: 8pt;"><thead><tr>{head}'
             f'</tr></thead>{"".join(rows)}</table>', legend]
    parts += [_chart(name, width, "page-break-before: always; " if index == 0 else "")
              for index, name in enumerate(n for n in charts if n in CHART_CAPTIONS)]
    return "".join(parts)
