"""Validation issues: what a check found, where, and what to do about it.

An issue is an *error* (the model cannot be simulated as it stands; runs are blocked) or a *warning*
(the model runs but the planner should look: a backlog that grows without bound, an SLA nobody can meet).
Every issue names the node or team by name in its message, carries the id for click-to-select, the
field path when one field is at fault (the same paths as :mod:`flowmodel.paths`), a hint saying what
to do, and a stable ``rule`` code that tests and the UI can rely on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from flowmodel.nodes import Edge, Node
from flowmodel.teams import Team
from flowmodel.workflow import Workflow

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    severity: Severity
    message: str
    hint: str
    node_id: str | None = None
    edge_id: str | None = None
    team_id: str | None = None
    field: str | None = None
    rule: str = ""

    def render(self) -> str:
        """One line for a terminal: ``error [rule] message — hint``."""
        return f"{self.severity} [{self.rule}] {self.message} — {self.hint}"


def errors(issues: list[Issue]) -> list[Issue]:
    """The issues that block a run."""
    return [issue for issue in issues if issue.severity == "error"]


def node_label(node: Node) -> str:
    """A node's name for messages, or its kind and short id when it has none."""
    return f"“{node.name}”" if node.name else f"unnamed {node.kind.replace('_', ' ')} {node.id[:8]}"


def team_label(team: Team) -> str:
    return f"team “{team.name}”" if team.name else f"unnamed team {team.id[:8]}"


def edge_label(workflow: Workflow, edge: Edge) -> str:
    """``“A” → “B”`` (with the branch label when there is one)."""
    ends = [workflow.nodes.get(end) for end in (edge.source, edge.target)]
    a, b = (node_label(n) if n is not None else f"missing node {end[:8]}"
            for n, end in zip(ends, (edge.source, edge.target), strict=True))
    return f"edge {a} → {b}" + (f" ({edge.label})" if edge.label else "")


def node_issue(severity: Severity, rule: str, node: Node, message: str, hint: str,
               field: str | None = None, edge_id: str | None = None) -> Issue:
    return Issue(severity, f"{node_label(node)}: {message}", hint, node_id=node.id, edge_id=edge_id,
                 field=field, rule=rule)


def edge_issue(severity: Severity, rule: str, workflow: Workflow, edge: Edge, message: str, hint: str,
               field: str | None = None) -> Issue:
    node_id = edge.source if edge.source in workflow.nodes else None
    return Issue(severity, f"{edge_label(workflow, edge)}: {message}", hint, node_id=node_id, edge_id=edge.id,
                 field=field, rule=rule)


def team_issue(severity: Severity, rule: str, team: Team, message: str, hint: str,
               field: str | None = None) -> Issue:
    return Issue(severity, f"{team_label(team)}: {message}", hint, team_id=team.id, field=field, rule=rule)


def number(value: object) -> float | None:
    """``value`` as a finite float, or None when it is not a usable number (validation never raises)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def listing(values: list[str] | set[str], limit: int = 8) -> str:
    """``a, b, c`` (sorted), cut after ``limit`` items."""
    ordered = sorted(str(v) for v in values)
    text = ", ".join(ordered[:limit])
    return text + (f" and {len(ordered) - limit} more" if len(ordered) > limit else "")
