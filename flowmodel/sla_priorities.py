"""Which item priorities reach a review stage, and how many per hour: what an SLA target can measure.

Why: an SLA target on a priority that never arrives at its stage is met vacuously and measures nothing, so
the SLA editor proposes the priority that arrives most and validation flags targets on absent priorities.
Rates come from the traffic equations; a model they cannot solve (a loop with no exit) falls back to the
graph search, which says which priorities arrive but not how many (rate 0).
"""

from __future__ import annotations

from flowmodel.errors import ModelError
from flowmodel.traffic import class_rates, classes_reaching
from flowmodel.workflow import Workflow

FALLBACK_PRIORITY = "P2"  # what a new source emits
KNOWN_PRIORITIES = ("P0", "P1", "P2", "P3")


def arriving_priorities(workflow: Workflow, stage_id: str) -> dict[str, float]:
    """Priority → mean arrivals per hour at ``stage_id``, for every priority that reaches it (highest first)."""
    rates: dict[str, float] = {}
    try:
        for item_class, rate in class_rates(workflow).get(stage_id, {}).items():
            if rate > 0:
                rates[item_class.priority] = rates.get(item_class.priority, 0.0) + rate
    except (ModelError, ArithmeticError, ValueError):
        for item_class in classes_reaching(workflow).get(stage_id, set()):
            rates.setdefault(item_class.priority, 0.0)
    return dict(sorted(rates.items(), key=lambda pair: (-pair[1], pair[0])))


def default_sla_priority(workflow: Workflow | None, stage_id: str | None, used: set[str]) -> str:
    """The priority a new SLA target of the stage should start with: the highest-volume arriving priority that
    has no target yet, else P2 (what new sources emit), else the first free of P0–P3."""
    arriving = arriving_priorities(workflow, stage_id) if workflow is not None and stage_id is not None else {}
    for priority in (*arriving, FALLBACK_PRIORITY, *KNOWN_PRIORITIES):
        if priority not in used:
            return priority
    return f"P{len(used)}"
