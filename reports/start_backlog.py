"""Today's backlog in the comparison: which replications did not clear it, counted from the stored records.

A run started from today's backlog (a workflow with a start state) stores records of kind ``start_backlog``
(:mod:`simulations.start_state`); a run without one has none, and nothing here adds a row, a note or a sentence
for it. Rules:
- ``cleared_h`` (the last backlog item began review) and ``reviewed_h`` (its review ended) are NaN in a
  replication where that did not happen by the end of the run. Aggregation leaves NaN out
  (:mod:`simulations.aggregate`), so a mean is over the replications that did clear the backlog: such a mean is
  never shown alone — every export writes beside it "not cleared in k of n replications (mean of the m that
  were)", and when no replication cleared it there is no number at all, only "not cleared by the end in n of n".
- A replication counts as "not cleared" for a scope when it stored that scope's ``start_count`` but no finite
  value of the figure, so a figure no replication reached still gets its row (with no number in it).
- Rows: "all" stages, then each stage with backlog — only "all" when the backlog is at one stage.
- Only the two instants can be "not reached"; the counts are always finite, and a backlog SLA share that is NaN
  (no backlog item of that priority due by the end) is simply left out, as for any SLA attainment.
"""

from __future__ import annotations

import math

from simulations.runner import RunResult

KIND = "start_backlog"
ALL = "all"
#: The figures that are NaN in a replication that did not get there by the end of the run.
INSTANTS = frozenset(("cleared_h", "reviewed_h"))


def has_start_backlog(run: RunResult) -> bool:
    """True when the run was started from today's backlog (it has ``start_backlog`` records)."""
    return any(s.scope_kind == KIND for s in run.summaries)


def backlog_scopes(run: RunResult) -> list[tuple[str, str]]:
    """(scope id, name) of "all" and every stage with backlog — from ``start_count``, which is always finite;
    "all" alone when the backlog is at one stage (its rows would repeat the stage's)."""
    scopes = dict.fromkeys((s.scope_id, s.scope_name) for s in run.summaries
                           if s.scope_kind == KIND and s.metric == "start_count")
    ordered = sorted(scopes, key=lambda scope: scope[0] != ALL)
    return ordered[:1] if len(ordered) == 2 and ordered[0][0] == ALL else ordered


def not_reached(run: RunResult, scenario_id: str, scope_id: str, metric: str) -> tuple[int, int]:
    """(replications that did not reach ``metric`` at the scope, replications with backlog there) of a scenario."""
    missing = total = 0
    for result in run.replications:
        if result.scenario_id != scenario_id:
            continue
        values = {m.metric: m.value for m in result.metrics if m.scope_kind == KIND and m.scope_id == scope_id}
        if "start_count" not in values:
            continue
        total += 1
        if not math.isfinite(values.get(metric, math.nan)):
            missing += 1
    return missing, total
