"""Scenarios: named lists of policy changes applied to a baseline workflow.

A :class:`Change` addresses one node, edge or team by id and one field by path (see
:mod:`flowmodel.paths`) and either sets the field, scales it (×) or adds to it (+). Scale and add work
on numbers and element-wise on lists of numbers (a roster's headcount by weekday).

Rule: a change's value, and the result of a scale or add, must be usable numbers
(:func:`flowmodel.validation_limits.number_problem`: finite, within ±``MAX_ABS_NUMBER``), as in a loaded file;
otherwise the change does not apply (a :class:`ModelError` naming the change's target and path). Whether
the changed model stays within the model's limits is validation's job (``scenario-invalid``).

Two paths are special on nodes, because planners think of branches, not edges:
``route.<branch>`` sets the probability of the outgoing edge whose label (or target's name) is
``<branch>``; the node's other outgoing probabilities are rescaled so that they still sum to 1
("escalations 5 % → 8 %" means fewer items on the other branches, not a broken model).

Applying a scenario never mutates the baseline: :func:`apply_scenario` returns a new workflow.

Paths and stored units are the file's and the engine's language; planners read a change through
:func:`describe_change` / :func:`describe_scenario` ("Tier 1 review · handle time +40 s", see
:mod:`flowmodel.change_words`) and pick fields from :mod:`flowmodel.change_fields`, which converts what they
type (40 s on a stage timed in minutes) to the stored unit, so a change keeps its plain JSON form.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from flowmodel.change_fields import ROUTE_PREFIX, field_for
from flowmodel.errors import ModelError
from flowmodel.ids import new_id
from flowmodel.launch import Backfill, Ramp, Scope, Training
from flowmodel.limits import MAX_ABS_NUMBER
from flowmodel.nodes import Edge
from flowmodel.paths import declared_number_type, get_path, set_path
from flowmodel.validation_limits import NUMBER_HINT, fmt, number_problem, number_problems

if TYPE_CHECKING:
    from flowmodel.workflow import Workflow

Operation = Literal["set", "scale", "add"]
OPERATIONS: tuple[str, ...] = ("set", "scale", "add")
__all__ = ["OPERATIONS", "ROUTE_PREFIX", "Change", "Scenario", "apply_change", "apply_scenario", "copy_scenario",
           "current_value", "describe_change", "describe_scenario", "describe_target"]


@dataclass
class Change:
    """One field changed; ``start``/``end``/``ramp``/``scope`` make it part of a launch plan
    (:mod:`flowmodel.launch`), and a change without them holds for the whole run, for every item."""

    target: str = ""
    path: str = ""
    op: Operation = "set"
    value: Any = 0.0
    note: str = ""
    start: str = ""
    end: str = ""
    ramp: Ramp | None = None
    scope: Scope | None = None

    def is_timed(self) -> bool:
        return bool(self.start.strip() or self.end.strip() or self.ramp is not None)

    def is_scoped(self) -> bool:
        return self.scope is not None and not self.scope.is_everything()

    def is_static(self) -> bool:
        """True for a plain change: the whole run, every item (applied to the workflow as it is)."""
        return not self.is_timed() and not self.is_scoped()


@dataclass
class Scenario:
    """Named changes to the baseline; with a ``launch``, timed or scoped changes, backfills or trainings it is a
    launch plan (:mod:`flowmodel.launch`) whose launch metrics judge recovery over ``recovery_days`` days."""

    name: str = ""
    id: str = field(default_factory=new_id)
    description: str = ""
    changes: list[Change] = field(default_factory=list)
    launch: str = ""
    recovery_days: int = 3
    backfills: list[Backfill] = field(default_factory=list)
    trainings: list[Training] = field(default_factory=list)

    def is_launch_plan(self) -> bool:
        return bool(self.launch.strip() or self.backfills or self.trainings
                    or any(not c.is_static() for c in self.changes))


def _combine(current: Any, op: str, value: Any, where: str, number_type: type | None = None) -> Any:
    if op not in OPERATIONS:
        raise ModelError(f"unknown operation {op!r}", where=where, hint="use set, scale or add")
    for place, problem in number_problems(value, "the change's value"):
        raise ModelError(f"{place}: {problem}", where=where, hint=NUMBER_HINT)
    if op == "set":
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelError(f"{op} needs a number, not {value!r}", where=where)

    def one(x: Any) -> Any:
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise ModelError(f"cannot {op} a field that is not a number ({x!r})", where=where)
        if problem := number_problem(x):
            raise ModelError(f"the current value cannot be changed: {problem}", where=where, hint=NUMBER_HINT)
        result = x * value if op == "scale" else x + value
        if number_problem(result):
            verb = f"scaling {fmt(x)} by {fmt(value)}" if op == "scale" else f"adding {fmt(value)} to {fmt(x)}"
            raise ModelError(f"{verb} gives {fmt(result)}, which is not a usable number (finite, at most "
                             f"±{fmt(MAX_ABS_NUMBER)})", where=where, hint="use a smaller factor or amount")
        whole = number_type is int if number_type is not None else isinstance(x, int)
        return round(result) if whole else float(result)

    if isinstance(current, list):
        return [one(x) for x in current]
    return one(current)


def _branch_edges(workflow: Workflow, node_id: str, branch: str, where: str) -> tuple[Edge, list[Edge]]:
    outgoing = workflow.outgoing(node_id)
    for edge in outgoing:
        target = workflow.nodes.get(edge.target)
        if edge.label == branch or (target is not None and target.name == branch) or edge.id == branch:
            return edge, [e for e in outgoing if e is not edge]
    names = sorted({e.label or workflow.nodes[e.target].name for e in outgoing if e.target in workflow.nodes})
    raise ModelError(f"no branch {branch!r}", where=where,
                     hint=f"branches of this node: {', '.join(names) or 'none'}")


def _apply_route(workflow: Workflow, change: Change, where: str) -> None:
    branch = change.path[len(ROUTE_PREFIX):]
    edge, others = _branch_edges(workflow, change.target, branch, where)
    old = edge.probability if edge.probability is not None else 0.0
    new = _combine(old, change.op, change.value, where)
    if isinstance(new, bool) or not isinstance(new, (int, float)) or not 0.0 <= new <= 1.0:
        raise ModelError(f"branch probability must be between 0 and 1, not {new!r}", where=where)
    rest_old = sum(e.probability or 0.0 for e in others)
    if rest_old <= 0 and new < 1.0 and others:
        share = (1.0 - new) / len(others)
        for e in others:
            e.probability = share
    elif others:
        factor = (1.0 - new) / rest_old if rest_old > 0 else 0.0
        for e in others:
            e.probability = (e.probability or 0.0) * factor
    edge.probability = float(new)


def apply_change(workflow: Workflow, change: Change) -> None:
    """Apply one change to ``workflow`` in place (callers pass a copy)."""
    target = workflow.find(change.target)
    label = field_for(workflow, change.target, change.path).label  # planner words: messages show no path
    where = f"change {describe_target(workflow, change.target)} · {label}"
    if target is None:
        raise ModelError("the change addresses a node, edge or team that does not exist",
                         where=where, hint="remove the change or point it at an existing node or team")
    if change.path.startswith(ROUTE_PREFIX) and workflow.nodes.get(change.target) is not None:
        _apply_route(workflow, change, where)
        return
    try:
        current = get_path(target, change.path)
        new = _combine(current, change.op, change.value, where, declared_number_type(target, change.path))
        set_path(target, change.path, new)
    except ModelError as error:
        if error.where:
            raise
        raise ModelError(error.message, where=where, hint=error.hint) from None


def apply_scenario(baseline: Workflow, scenario: Scenario | None) -> Workflow:
    """A new workflow: the baseline with every static change of ``scenario`` applied in order.

    Timed and scoped changes, backfills and trainings are a launch plan's: the engine applies them over time
    (:mod:`simulations.launch_plan`); validation checks them at their extreme values
    (:mod:`flowmodel.validation_launch`)."""
    result = baseline.copy()
    if scenario is not None:
        for change in scenario.changes:
            if change.is_static():
                apply_change(result, change)
    return result


def describe_target(workflow: Workflow, target_id: str) -> str:
    item = workflow.find(target_id)
    if item is None:
        return "(a deleted node or team)"
    if isinstance(item, Edge):
        a = workflow.nodes.get(item.source)
        b = workflow.nodes.get(item.target)
        return f"{a.name if a else '?'} → {b.name if b else '?'}"
    return item.name


def describe_change(workflow: Workflow, change: Change) -> str:
    """One line in planner words, e.g. ``Tier 1 · handle time +40 s`` (:mod:`flowmodel.change_words`)."""
    from flowmodel.change_words import describe_change as words

    return words(workflow, change)


def describe_scenario(workflow: Workflow, scenario: Scenario) -> list[str]:
    """The scenario as a readable diff against ``workflow``: one line per change in planner words, with the
    field before → after when it is one number (``Reports · arrival rate ×1.25 (60 → 75 per hour)``)."""
    from flowmodel.change_words import describe_change as words
    from flowmodel.change_words import describe_effect

    lines = []
    for change in scenario.changes:
        line, effect = words(workflow, change), describe_effect(workflow, change)
        lines.append(f"{line} ({effect})" if effect and "⚠" not in line else line)
    return lines


def current_value(workflow: Workflow, change: Change) -> Any:
    """The value the field of ``change`` has in ``workflow`` (a branch's probability for ``route.*``)."""
    if change.path.startswith(ROUTE_PREFIX) and workflow.nodes.get(change.target) is not None:
        edge, _ = _branch_edges(workflow, change.target, change.path[len(ROUTE_PREFIX):], "")
        return edge.probability
    target = workflow.find(change.target)
    if target is None:
        raise ModelError("missing target")
    return get_path(target, change.path)


def copy_scenario(scenario: Scenario, name: str) -> Scenario:
    """A copy with a new id and name (for "new scenario from this one")."""
    return Scenario(name=name, description=scenario.description, changes=copy.deepcopy(scenario.changes),
                    launch=scenario.launch, recovery_days=scenario.recovery_days,
                    backfills=[dataclasses.replace(copy.deepcopy(b), id=new_id()) for b in scenario.backfills],
                    trainings=[dataclasses.replace(copy.deepcopy(t), id=new_id()) for t in scenario.trainings])
