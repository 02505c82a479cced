"""The key numbers a card shows for each node kind, as short lines of text.

Rules: at most four lines per card, each readable at a glance with its unit (a planner should not
have to open the property panel to see a rate, a handle time, who staffs a stage or its SLA).
"""

from __future__ import annotations

from flowmodel.nodes import Classifier, Delay, Node, Outcome, ReviewStage, Router, Source
from flowmodel.workflow import Workflow

DISCIPLINE_NAMES = {"fifo": "FIFO", "priority": "by priority", "earliest_deadline": "earliest SLA deadline"}
PROFILE_NAMES = {"flat": "flat profile", "daily": "daily profile", "weekly": "weekly profile"}


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


def key_lines(workflow: Workflow, node: Node) -> list[str]:
    """Lines of key numbers for ``node`` (see module rules)."""
    if isinstance(node, Source):
        cells = len(node.mix)
        surges = f" · {len(node.surges)} surge{'s' if len(node.surges) != 1 else ''}" if node.surges else ""
        return [f"{_number(node.rate_per_hour)} items/h{surges}",
                f"{PROFILE_NAMES.get(node.profile.kind, node.profile.kind)} · mix of {cells}"]
    if isinstance(node, Classifier):
        return [f"latency {node.latency.describe()}"]
    if isinstance(node, ReviewStage):
        teams = workflow.teams_for_stage(node.id)
        staffed = ", ".join(t.name for t in teams) if teams else "no team"
        lines = [f"handle {node.handle_time.describe()}", f"teams: {staffed}"]
        if node.sla:
            first = node.sla[0]
            more = f" (+{len(node.sla) - 1})" if len(node.sla) > 1 else ""
            queue = " in queue" if first.clock == "wait" else ""
            lines.append(f"SLA {first.priority}: {first.share:.0%} ≤ {first.within:g} {first.unit}{queue}{more}")
        else:
            lines.append("no SLA")
        lines.append(f"queue: {DISCIPLINE_NAMES.get(node.discipline, node.discipline)}")
        return lines
    if isinstance(node, Router):
        return [f"by {node.attribute}" if node.mode == "attribute" else "by probability"]
    if isinstance(node, Delay):
        return [f"wait {node.duration.describe()}"]
    if isinstance(node, Outcome):
        return [f"label: {node.label}" if node.label else "no label"]
    return []
