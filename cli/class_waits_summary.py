"""The per-priority and per-category block the ``simulate`` command prints: waits and time to decision by
item class at every review stage (:mod:`reports.class_waits` reads the records).

Rules: per scenario, one row per stage × priority and stage × category (mean ± the half-width of the 95 % CI
across replications, in the row's unit, named in the row). A stage's priorities are listed only when at least
two of them reach it, and likewise its categories: a single one would repeat the stage's own row of the summary
table. Nothing at all when no stage sees two priorities or two categories, so simple models print as before.
"""

from __future__ import annotations

from reports.class_waits import FIGURES, ClassRow, class_rows
from reports.quality import cell_text
from simulations.runner import RunResult

#: (metric, short heading) of the figures shown, of :data:`reports.class_waits.FIGURES`; the exports carry all.
SHOWN = (("arrivals_count", "Arrivals"), ("wait_mean_s", "Wait mean"), ("wait_p90_s", "Wait p90"),
         ("time_to_decision_mean_s", "Decision mean"), ("time_to_decision_p90_s", "Decision p90"),
         ("time_to_decision_p99_s", "Decision p99"))


def _listed(rows: list[ClassRow]) -> list[ClassRow]:
    """The rows of stage × kind groups with at least two members (see the module rules)."""
    groups: dict[tuple[str, str], list[ClassRow]] = {}
    for row in rows:
        groups.setdefault((row.stage, row.by), []).append(row)
    return [row for row in rows if len(groups[(row.stage, row.by)]) > 1]


def _cells(row: ClassRow) -> list[str]:
    index = {metric: position for position, (metric, _) in enumerate(FIGURES)}
    return [cell_text(row.summaries[index[metric]], row.unit_of(metric)) for metric, _ in SHOWN]


def class_waits_block(run: RunResult) -> str:
    """The block (see the module rules); "" when no stage has two priorities or two categories."""
    header = ["Stage · priority or category", *[heading for _, heading in SHOWN]]
    sections: list[tuple[str, list[list[str]]]] = []
    for scenario in run.scenarios:
        rows = _listed(class_rows(run, str(scenario["id"])))
        if rows:
            sections.append((str(scenario["name"]), [
                [f"{row.stage} · {row.by} {row.group} ({row.duration_unit.name})", *_cells(row)] for row in rows]))
    if not sections:
        return ""
    widths = [max(len(r[c]) for r in [header, *(row for _, rows in sections for row in rows)])
              for c in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(cell.ljust(w) if c == 0 else cell.rjust(w)
                         for c, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()

    out = ["", "Per priority and category at each stage: mean ± 95 % CI half-width across replications",
           "(wait: arrival at the stage → start of review; decision: creation → end of review there)."]
    for name, rows in sections:
        out += ["", f"{name}:", line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]
    return "\n".join(out)
