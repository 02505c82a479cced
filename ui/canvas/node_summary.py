"""What a card says about its node: a few short lines up front, and the full detail for its tooltip.

Rules: the card carries what a planner needs first — for a review stage its handle time, who works it
and its first SLA target — each line readable on its own, with its unit, in words rather than codes
("Tier 1 – LA + 1 more team", "3 categories · 2 languages"; never "(+1)" or "mix of 2"). Whatever does
not fit there (every team, every SLA target, the queue discipline) is in :func:`tooltip_lines`, so a
shortened card never hides a fact.
"""

from __future__ import annotations

from flowmodel.distributions import Distribution
from flowmodel.nodes import Classifier, Delay, Node, Outcome, ReviewStage, Router, SlaTarget, Source
from flowmodel.workflow import Workflow

DISCIPLINE_NAMES = {"fifo": "first in, first out", "priority": "highest priority first",
                    "earliest_deadline": "earliest SLA deadline first"}
PROFILE_NAMES = {"flat": "flat profile", "daily": "daily profile", "weekly": "weekly profile"}
NO_TEAM = "no team works this stage"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _mix(source: Source) -> str:
    """What varies in the source's mix, counted in words: "3 categories · 2 languages"."""
    categories = {cell.category for cell in source.mix}
    languages = {cell.language for cell in source.mix}
    text = _count(len(categories), "category", "categories")
    return text + (f" · {_count(len(languages), 'language')}" if len(languages) > 1 else "")


def _handle(duration: Distribution) -> str:
    """The mean first (what a planner multiplies by volume), ± the standard deviation where the distribution
    has one; its shape is in the tooltip."""
    unit = duration.unit
    if duration.kind == "fixed":
        return f"handle {_number(duration.mean)} {unit}"
    if duration.kind in ("lognormal", "gamma"):
        return f"handle {_number(duration.mean)} ± {_number(duration.sd)} {unit}"
    return f"handle avg {_number(duration.mean_value())} {unit}"


def _sla(target: SlaTarget) -> str:
    queue = " in queue" if target.clock == "wait" else ""
    return f"{target.priority}: {target.share:.0%} ≤ {target.within:g} {target.unit}{queue}"


def _teams(workflow: Workflow, stage: ReviewStage) -> str:
    teams = workflow.teams_for_stage(stage.id)
    if not teams:
        return "no team assigned"
    if len(teams) == 1:
        return f"team: {teams[0].name}"
    return f"{teams[0].name} + {_count(len(teams) - 1, 'more team')}"   # the count says these are teams


def key_lines(workflow: Workflow, node: Node) -> list[str]:
    """The card's lines for ``node`` (see module rules); a card wraps a line that is too long."""
    if isinstance(node, Source):
        surges = f" · {_count(len(node.surges), 'surge')}" if node.surges else ""
        return [f"{_number(node.rate_per_hour)} items/h{surges}",
                PROFILE_NAMES.get(node.profile.kind, node.profile.kind), _mix(node)]
    if isinstance(node, Classifier):
        return [f"latency {node.latency.describe()}"]
    if isinstance(node, ReviewStage):
        lines = [_handle(node.handle_time), _teams(workflow, node)]
        if node.sla:
            more = f" + {_count(len(node.sla) - 1, 'more target')}" if len(node.sla) > 1 else ""
            lines.append(f"SLA {_sla(node.sla[0])}{more}")
        else:
            lines.append("no SLA target")
        return lines
    if isinstance(node, Router):
        return [f"by {node.attribute}" if node.mode == "attribute" else "by probability"]
    if isinstance(node, Delay):
        return [f"wait {node.duration.describe()}"]
    if isinstance(node, Outcome):
        return [f"label: {node.label}" if node.label else "no label"]
    return []


def tooltip_lines(workflow: Workflow, node: Node) -> list[str]:
    """Everything the card shortens, in full: every team, every SLA target, the queue discipline."""
    if isinstance(node, ReviewStage):
        teams = workflow.teams_for_stage(node.id)
        lines = [f"Handle time: {node.handle_time.describe()}",
                 "Worked by: " + (", ".join(t.name for t in teams) if teams else NO_TEAM)]
        lines += [f"SLA {_sla(target)}" for target in node.sla] or ["No SLA target"]
        lines.append(f"Queue: {DISCIPLINE_NAMES.get(node.discipline, node.discipline)}")
        return lines
    if isinstance(node, Source):
        cells = ", ".join(f"{c.category}/{c.language}/{c.priority} {c.share:.0%}" for c in node.mix)
        return [*key_lines(workflow, node)[:2], f"Mix: {cells}"]
    return key_lines(workflow, node)
