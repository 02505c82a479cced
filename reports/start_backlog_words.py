"""Today's backlog in words: the findings sentence and the "not cleared in k of n" note beside a mean.

Rules (the figures are the comparison's "Today's backlog" rows, :mod:`reports.start_backlog` says how they are
counted):
- The sentence, per scenario: "Today's backlog of 1,240 items is cleared 5.20 h (4.90–5.50) after the start" —
  the mean over replications of when its last item began review, with the 95 % interval in brackets — or "is
  not cleared by the end of the run in 2 of 5 replications; in the other 3 it is cleared …", or "in any of the
  5 replications (310 items still waiting at the end, on average)". Then the share of its items of each
  priority that miss their SLA ("3 % of its P1 items miss their SLA"; with backlog at several stages, per stage:
  "… P1 items at Tier 1 …"), or that every one meets it; then the items that expired unreviewed, if any.
- A mean some replications did not reach carries the note "not cleared by the end in 2 of 5 replications; mean
  of the other 3" (for the last review: "not all reviewed …"); with none reached the note is all there is.
- Nothing at all for a run without a start state.
"""

from __future__ import annotations

import math

from reports.comparison import Comparison, KeyFigure
from reports.formatting import number, scaled, suffix, summary_text
from reports.start_backlog import ALL, KIND

WORDS = {"cleared_h": "not cleared", "reviewed_h": "not all reviewed"}


def figure_note(figure: KeyFigure, position: int) -> str:
    """The note beside a backlog instant's mean ("" when every replication reached it, or for other figures)."""
    if not figure.not_reached:
        return ""
    missing, total = figure.not_reached[position]
    if not missing:
        return ""
    words = f"{WORDS.get(figure.metric, 'not reached')} by the end in {missing} of {total} replications"
    return words if missing == total else f"{words}; mean of the other {total - missing}"


def figure_notes(comparison: Comparison, figure: KeyFigure) -> str:
    """Every scenario's note on one row, "Baseline: not cleared … · Surge: …" ("" when there is none)."""
    notes = [(s.name, figure_note(figure, i)) for i, s in enumerate(comparison.scenarios)]
    notes = [(name, note) for name, note in notes if note]
    if len(comparison.scenarios) == 1:
        return notes[0][1] if notes else ""
    return " · ".join(f"{name}: {note}" for name, note in notes)


def cell_text(figure: KeyFigure, position: int, *, with_unit: bool = True) -> str:
    """``5.20 ± 0.30`` with its note, ``5.20 ± 0.30 (not cleared by the end in 2 of 5 …)``; the note alone when no
    replication reached it."""
    summary = figure.summaries[position]
    note = figure_note(figure, position)
    if note and (summary is None or summary.n == 0):
        return note
    text = summary_text(summary, figure.unit, with_unit=with_unit)
    return f"{text} ({note})" if note else text


def _row(comparison: Comparison, scope: str, metric: str) -> KeyFigure | None:
    try:
        return comparison.figure(KIND, scope, metric)
    except KeyError:
        return None


def _interval(figure: KeyFigure, position: int) -> str:
    """``5.20 h (4.90–5.50)``; the mean alone with one replication."""
    summary = figure.summaries[position]
    assert summary is not None
    unit = figure.unit
    mean = f"{number(scaled(summary.mean, unit))}{suffix(unit)}"
    if not summary.ci_defined or summary.half_width == 0:
        return mean
    return f"{mean} ({number(scaled(summary.ci_low, unit))}–{number(scaled(summary.ci_high, unit))})"


def _cleared_words(comparison: Comparison, position: int) -> str:
    cleared = _row(comparison, ALL, "cleared_h")
    if cleared is None:
        return ""
    missing, total = cleared.not_reached[position] if cleared.not_reached else (0, 0)
    summary = cleared.summaries[position]
    if missing == total and total:
        left = _row(comparison, ALL, "left_end_count")
        waiting = left.summaries[position] if left is not None else None
        tail = f" ({number(waiting.mean)} items still waiting at the end, on average)" \
            if waiting is not None and math.isfinite(waiting.mean) else ""
        return f"is not cleared by the end of the run in any of the {total} replications{tail}"
    if summary is None or not math.isfinite(summary.mean):
        return ""
    when = f"cleared {_interval(cleared, position)} after the start"
    if missing:
        return (f"is not cleared by the end of the run in {missing} of {total} replications; in the other "
                f"{total - missing} it is {when}")
    return f"is {when}"


def _sla_words(comparison: Comparison, position: int) -> str:
    rows = [f for f in comparison.figures if f.scope_kind == KIND and f.metric == "sla_attainment_share"
            and f.summaries[position] is not None and math.isfinite(f.summaries[position].mean)]
    if not rows:
        return ""
    stages = {f.scope_id.rsplit(":", 1)[0] for f in rows}
    misses = []
    for figure in rows:
        share = 1.0 - figure.summaries[position].mean
        if share <= 1e-12:
            continue
        stage_name, _, priority = figure.scope_name.rpartition(" · ")
        where = f" at {stage_name}" if len(stages) > 1 else ""
        misses.append(f"{number(share * 100)} % of its {priority or figure.scope_name} items{where}")
    if not misses:
        return "every one of its items with an SLA target meets it"
    joined = misses[0] if len(misses) == 1 else ", ".join(misses[:-1]) + " and " + misses[-1]
    return f"{joined} miss their SLA"


def backlog_sentence(comparison: Comparison, position: int) -> str:
    """The scenario's sentence about today's backlog (see the module rules); "" for a run without one."""
    count = _row(comparison, ALL, "start_count")
    cleared = _cleared_words(comparison, position)
    if count is None or not cleared or count.summaries[position] is None:
        return ""
    parts = [f"Today's backlog of {number(count.summaries[position].mean)} items {cleared}"]
    sla = _sla_words(comparison, position)
    if sla:
        parts.append(sla)
    expired = _row(comparison, ALL, "expired_count")
    gone = expired.summaries[position] if expired is not None else None
    if gone is not None and math.isfinite(gone.mean) and gone.mean > 0:
        parts.append(f"{number(gone.mean)} of its items expire unreviewed")
    return "; ".join(parts) + "."
