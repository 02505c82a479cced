"""The trim's analytic guard: a roster whose backlog would grow week after week is refused without simulating it.

Why: screening runs a week or two. A roster whose available reviewer-hours fall short of the week's work (the
interval estimate's ``unbounded``, :mod:`flowmodel.interval_load`) can still meet every SLA inside so short a
run while its backlog grows by a few per cent of a week's work every week; a plan must hold for as long as the
load lasts. Short simulations cannot see that, the estimate sees it in milliseconds. Staffing is monotone, so a
removal refused here would be refused from any smaller roster too.
"""

from __future__ import annotations

from flowmodel.interval_load import interval_estimates
from flowmodel.scenarios import Scenario, apply_scenario
from flowmodel.workflow import Workflow
from simulations.staffing.evaluation import Evaluation, Roster
from simulations.staffing.plan import TargetResult, roster_changes


def unstable_stages(base: Workflow, roster: Roster) -> list[tuple[str, float]]:
    """(stage name, offered share of the pool's reviewer-hours) of every stage whose backlog grows without bound."""
    workflow = apply_scenario(base, Scenario(name="roster", changes=roster_changes(base, roster)))
    return [(workflow.nodes[stage_id].name, estimate.offered_share)
            for stage_id, estimate in interval_estimates(workflow).items() if estimate.unbounded]


def stability_verdict(base: Workflow, roster: Roster) -> Evaluation | None:
    """A failed verdict naming the stages that would never catch up, or None when every backlog stays bounded."""
    unstable = unstable_stages(base, roster)
    if not unstable:
        return None
    share = max(s for _, s in unstable)
    where = ", ".join(name for name, _ in unstable) + " (backlog grows every week: the estimate's work exceeds " \
        "the reviewer-hours available)"
    return Evaluation([TargetResult("stability", where, 1.0, share, share, share, 0, False)], clear=True)
