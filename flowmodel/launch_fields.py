"""Which changes a launch plan can time or scope: the one statement of the rule that validation, the scenario
editor and the engine's compile (:mod:`simulations.launch_plan`) share.

A change belongs to a *part* of the model — a source's ``rate``, a stage's ``handle`` times, a classifier's or
delay's ``transit`` time, a node's ``route`` (an edge's probability is its source node's routing) or a ``team``'s
roster (headcount, shift length, shrinkage), or decision quality (:mod:`flowmodel.quality`): a team's or a stage's
reviewer ``accuracy``, a source's ground ``truth`` (prevalence, views) and a branch's shares by truth (its node's
``route``). Only these can change during a run; SLA targets, surges (which have
their own times), expiry, cost and contract hours hold for the whole run. A scope (some items only) applies to
what is decided per item: rate, handle and route.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowmodel.nodes import Classifier, Delay, Edge, Node, ReviewStage, Source
from flowmodel.teams import Team

if TYPE_CHECKING:
    from flowmodel.scenarios import Change
    from flowmodel.workflow import Workflow

SCOPED_PARTS: tuple[str, ...] = ("rate", "handle", "route")
NOT_TIMEABLE_HINT = ("time arrival rates, handle times, latencies, waits, branch shares, headcounts, shift lengths, "
                     "shrinkage, reviewer accuracy or prevalence; SLA targets, surges, expiry, cost, contract hours, "
                     "wellness caps and QA shares hold for the whole run")


def change_part(workflow: Workflow, target_id: str, path: str) -> tuple[str, str] | None:
    """(part kind, node or team id) of a change to ``path`` on ``target_id``; None when it cannot vary in time."""
    item = workflow.find(target_id)
    if isinstance(item, Team):
        if path.startswith("accuracy"):
            return "accuracy", item.id
        return ("team", item.id) if path.startswith("shifts.") or path == "shrinkage" else None
    if isinstance(item, Edge):
        return ("route", item.source) if path == "probability" or path.startswith("by_truth.") else None
    if not isinstance(item, Node):
        return None
    if isinstance(item, ReviewStage) and path.startswith("accuracy"):
        return "accuracy", item.id
    if isinstance(item, Source) and path.startswith("truth."):
        return "truth", item.id
    if path.startswith("route."):
        return "route", item.id
    if isinstance(item, Source) and path == "rate_per_hour":
        return "rate", item.id
    if isinstance(item, ReviewStage) and path.startswith(("handle_time.", "handle_time_by_category.")):
        return "handle", item.id
    if isinstance(item, Classifier) and path.startswith("latency."):
        return "transit", item.id
    if isinstance(item, Delay) and path.startswith("duration."):
        return "transit", item.id
    return None


def can_time(workflow: Workflow, target_id: str, path: str) -> bool:
    return change_part(workflow, target_id, path) is not None


def can_scope(workflow: Workflow, target_id: str, path: str) -> bool:
    part = change_part(workflow, target_id, path)
    return part is not None and part[0] in SCOPED_PARTS


def timing_problem(workflow: Workflow, change: Change) -> str:
    """Why ``change`` cannot carry its timing or scope ("" when it can)."""
    if change.is_static():
        return ""
    part = change_part(workflow, change.target, change.path)
    if part is None:
        return "this field cannot change during a run"
    if change.is_scoped() and part[0] not in SCOPED_PARTS:
        return "a team's roster or accuracy, a prevalence, a latency or a wait cannot be scoped to some items"
    return ""
