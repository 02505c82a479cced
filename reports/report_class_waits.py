"""The PDF report's table of waits and time to decision per priority and per category, as HTML for
:mod:`reports.report_html` (no Qt).

Rules:
- Only for a run with these records (:func:`reports.class_waits.has_class_waits`): "" otherwise. It starts on a
  new page, after decision quality and before the charts.
- One block per scenario (a shaded group row), its rows those of :mod:`reports.class_waits` (stage by stage:
  priorities, then categories); columns: arrivals, mean wait ± its 95 % CI half-width, p90 wait, mean time to
  decision ± its half-width, p90 time to decision — durations in the row's one unit (stated in the cell).
"""

from __future__ import annotations

import dataclasses

from reports.class_waits import FIGURES, class_rows, has_class_waits
from reports.comparison import Comparison
from reports.formatting import summary_text
from reports.report_html import ACCENT, GROUP_FILL, MUTED, TEXT, _cell, _e, _heading

TITLE = "Waits by priority and category"
COLUMNS = (("arrivals_count", "Arrivals"), ("wait_mean_s", "Wait, mean"), ("wait_p90_s", "Wait, p90"),
           ("time_to_decision_mean_s", "Time to decision, mean"), ("time_to_decision_p90_s", "Time to decision, p90"))
LABELS = ("Stage", "By", "Priority / category")


def class_waits_section(comparison: Comparison) -> str:
    """The section (see the module rules), or "" for a run without these records."""
    run = comparison.run
    if not has_class_waits(run):
        return ""
    position = {metric: i for i, (metric, _) in enumerate(FIGURES)}
    header = [*LABELS, *(heading for _, heading in COLUMNS)]
    head = "".join(f'<th align="{"left" if i < len(LABELS) else "right"}" style="padding: 4px 5px; '
                   f'background-color: {TEXT}; color: white; font-weight: bold;">{_e(h)}</th>'
                   for i, h in enumerate(header))
    rows: list[str] = []
    for scenario in comparison.scenarios:
        found = class_rows(run, scenario.id)
        if not found:
            continue
        rows.append(f'<tr><td colspan="{len(header)}" style="padding: 5px 5px 2px 5px; background-color: '
                    f'{GROUP_FILL}; color: {ACCENT}; font-weight: bold;">{_e(scenario.name)}</td></tr>')
        previous = ""
        for row in found:
            cells = [_cell(row.stage if row.stage != previous else "", align="left"), _cell(row.by, align="left"),
                     _cell(row.group, align="left")]
            previous = row.stage
            for metric, _ in COLUMNS:
                summary = row.summaries[position[metric]]
                if summary is not None and "_mean_" not in metric:
                    summary = dataclasses.replace(summary, ci_defined=False)  # the mean alone
                cells.append(_cell(summary_text(summary, row.unit_of(metric), with_unit=metric.endswith("_s"))))
            rows.append("<tr>" + "".join(cells) + "</tr>")
    legend = (f'<p style="color: {MUTED}; font-size: 8pt;">Wait: arrival at the stage to the start of review. Time '
              "to decision: creation to the end of review at the stage (a later stage's includes the earlier "
              "stages). Means across replications, ± the half-width of the 95 % confidence interval for the means; "
              "p90 is the replications' mean of each one's 90th percentile. The exports hold p50 and p99 too.</p>")
    return (_heading(TITLE)
            + f'<table width="100%" cellspacing="0" cellpadding="0" style="font-size: 8pt;"><thead><tr>{head}'
              f'</tr></thead>{"".join(rows)}</table>' + legend)
