"""The "Today's backlog" block the ``simulate`` command prints for a workflow with a start state.

Rules: the baseline's figures (mean ± 95 % half-width over replications, :mod:`simulations.start_state`) — overall,
then per stage: the items; when all were reviewed, beside the fluid estimate of that
(:mod:`simulations.analytic.start_state_estimate`); when the queue was cleared (the last backlog item began
review). A figure no replication reached is "not by the end of the run"; one only some reached says in how many.
Nothing at all for a workflow without a start state.
"""

from __future__ import annotations

import math

from flowmodel.errors import FlowmodelError
from flowmodel.workflow import Workflow
from reports.formatting import number
from simulations.aggregate import MetricSummary
from simulations.analytic.start_state_estimate import backlog_estimates
from simulations.runner import RunResult


def _hours(summary: MetricSummary | None, replications: int) -> str:
    if summary is None or summary.n == 0 or math.isnan(summary.mean):
        return "not by the end of the run"
    half = f" ± {number(summary.half_width)}" if summary.ci_defined else ""
    some = f" (in {summary.n} of {replications} replications; not by the end in the others)" \
        if summary.n < replications else ""
    return f"{number(summary.mean)}{half} h{some}"


def start_state_block(workflow: Workflow, run: RunResult) -> str:
    """The block (see the module rules); "" without a start state or backlog results."""
    if workflow.start_state is None:
        return ""
    found = {(s.scope_id, s.metric): s for s in run.summaries
             if s.scenario_id == run.baseline_id and s.scope_kind == "start_backlog"}
    if not found:
        return ""
    try:
        estimates = {e.stage_id: e.reviewed_h for e in backlog_estimates(workflow)}
    except FlowmodelError:
        estimates = {}
    lines = [""]
    stages = [scope for scope, metric in found if metric == "start_count" and scope != "all"]
    for scope in ["all", *stages]:
        count = found.get((scope, "start_count"))
        if scope == "all":
            ends = list(estimates.values())
            estimate = max(ends) if ends and not any(math.isnan(v) for v in ends) else math.nan
            head = "Today's backlog"
        else:
            estimate = estimates.get(scope, math.nan)
            head = f"  {count.scope_name}" if count is not None else f"  {scope}"
        guess = f" (estimate {number(estimate)} h)" if not math.isnan(estimate) else ""
        items = number(count.mean) if count is not None else "?"
        runs = len([r for r in run.replications if r.scenario_id == run.baseline_id])
        lines.append(f"{head}: {items} items; all reviewed after {_hours(found.get((scope, 'reviewed_h')), runs)}"
                     f"{guess}; queue cleared after {_hours(found.get((scope, 'cleared_h')), runs)}")
    return "\n".join(lines)
