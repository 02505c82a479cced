"""Validation of what SLA targets measure.

- ``sla-priority-absent`` (warning): an SLA target of a review stage is on a priority that no item reaching the
  stage carries, so the target is met vacuously and measures nothing. Stages nothing reaches are left to
  ``unreachable-node``. Works on models the traffic equations cannot solve (see :mod:`flowmodel.sla_priorities`).
"""

from __future__ import annotations

from flowmodel.nodes import ReviewStage
from flowmodel.sla_priorities import arriving_priorities
from flowmodel.validation_issues import Issue, node_issue, node_label
from flowmodel.workflow import Workflow


def check_sla_priorities(workflow: Workflow) -> list[Issue]:
    """One warning per SLA target whose priority never arrives at its stage."""
    issues: list[Issue] = []
    for stage in workflow.nodes.values():
        if not isinstance(stage, ReviewStage) or not stage.sla:
            continue
        arriving = arriving_priorities(workflow, stage.id)
        if not arriving:
            continue
        listed = ", ".join(sorted(arriving))
        for target in stage.sla:
            if target.priority not in arriving:
                issues.append(node_issue(
                    "warning", "sla-priority-absent", stage,
                    f"the SLA target for {target.priority} measures nothing: no {target.priority} items reach "
                    f"{node_label(stage)}; items arriving there are {listed}",
                    "change the target's priority or the sources' mix", field=f"sla.{target.priority}"))
    return issues
