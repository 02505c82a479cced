"""A launch plan's timing in words, for the exports' lists of policy changes (no Qt).

Rules: a stored scenario document is read as plain data (the run keeps it as it was run). A change with a
``start``, ``end``, ``ramp`` or ``scope`` gets a suffix saying when and to what it applies
(``from launch + 2 d until launch + 9 d, ramping (learning curve, gap halves every 72 h) from 40, only
hate_speech``); the plan's launch instant, backfills and trainings each get a line of their own. A change with
none of these reads exactly as before.
"""

from __future__ import annotations

from typing import Any

from flowmodel.launch import describe_instant
from flowmodel.workflow import Workflow

SHAPE_WORDS = {"linear": "linear", "learning": "learning curve"}


def timing_text(change: dict[str, Any]) -> str:
    """The suffix of a timed, ramped or scoped change ("" for a plain one)."""
    parts = []
    start, end = str(change.get("start") or "").strip(), str(change.get("end") or "").strip()
    if start:
        parts.append(f"from {describe_instant(start)}")
    if end:
        parts.append(f"until {describe_instant(end)}")
    ramp = change.get("ramp")
    if isinstance(ramp, dict):
        shape = str(ramp.get("shape", "linear"))
        hours = float(ramp.get("hours", 0) or 0)
        how = f"gap halves every {hours:g} h" if shape == "learning" else f"over {hours:g} h"
        parts.append(f"ramping ({SHAPE_WORDS.get(shape, shape)}, {how}) from {ramp.get('launch_value')}")
    scope = change.get("scope")
    if isinstance(scope, dict):
        values = [" or ".join(map(str, scope.get(k) or [])) for k in ("categories", "languages", "priorities")]
        described = " · ".join(v for v in values if v)
        if described:
            parts.append(f"only {described}")
    return ", ".join(parts)


def _name(workflow: Workflow | None, target: str) -> str:
    found = workflow.find(target) if workflow is not None and target else None
    return str(getattr(found, "name", "") or target or "?")


def plan_lines(document: dict[str, Any], workflow: Workflow | None = None) -> list[str]:
    """The plan's own lines: its launch instant, each backfill and each training (empty for a static diff)."""
    lines = []
    launch = str(document.get("launch") or "").strip()
    if launch:
        when = describe_instant(launch)  # an offset counts from the run's start here
        when = "the run's start" + when[len("launch"):] if when.startswith("launch") else when
        lines.append(f"launch at {when} (recovery: {document.get('recovery_days', 3)} days in a row at or above "
                     "each SLA target)")
    for backfill in document.get("backfills") or []:
        spread = float(backfill.get("spread_hours") or 0)
        when = f"from {describe_instant(str(backfill.get('start') or ''))}" + (
            f", spread over {spread:g} h" if spread else ", all at once")
        lines.append(f"backfill '{backfill.get('name')}': {int(backfill.get('items') or 0):,} items into "
                     f"{_name(workflow, str(backfill.get('target') or ''))} {when}")
    for training in document.get("trainings") or []:
        people = int(training.get("people") or 0)
        lines.append(f"training '{training.get('name')}': {float(training.get('hours_per_person') or 0):g} h per "
                     f"person off the floor for {_name(workflow, str(training.get('team') or ''))} "
                     f"({people if people else 'everyone'}) from {describe_instant(str(training.get('start') or ''))}"
                     f" until {describe_instant(str(training.get('end') or ''))}")
    return lines
