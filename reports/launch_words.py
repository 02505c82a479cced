"""A launch plan's timing in planner words, for the scenarios panel, its lists and the exports (no Qt):
``launch + 7 d → launch + 21 d · linear ramp over 3 d, from ×1 · es or pt``, ``from launch``,
``until 2027-01-11 09:00``.

Rules: the one place these words are written, so the editor and the exports say them the same way. Instants read
as :func:`flowmodel.launch.describe_instant` has them; hours read in days when whole. A ramp's launch value reads
as the change's amount does (:func:`flowmodel.change_words.amount_text`, in the field's planner unit: ``40 s``
for 0.6667 on a minutes field), never raw; the exports give it, the editor shows it in its own field. A stored
scenario document is read as plain data (the run keeps it as it was run); the plan's launch instant, backfills
and trainings each get a line of their own. A change with no start, end, ramp or scope has no timing words.
"""

from __future__ import annotations

from typing import Any

from flowmodel.change_fields import field_for
from flowmodel.change_words import amount_text
from flowmodel.launch import Ramp, Scope, describe_instant
from flowmodel.scenarios import Change
from flowmodel.workflow import Workflow

RAMP_WORDS = {"linear": "linear ramp over", "learning": "learning curve, half-life"}


def hours_words(hours: float) -> str:
    """``3 d`` for 72 hours, ``36 h`` for 36."""
    return f"{hours / 24:g} d" if hours >= 24 and hours % 24 == 0 else f"{hours:g} h"


def launch_value_words(change: Change, workflow: Workflow | None = None) -> str:
    """The ramp's launch value as the change's amount reads (``×1``, ``+40 s``, ``8 %``), "" without a ramp."""
    if change.ramp is None:
        return ""
    entry = field_for(workflow if workflow is not None else Workflow(), change.target, change.path)
    return amount_text(entry, change.op, change.ramp.launch_value).removeprefix("→ ")


def ramp_words(ramp: Ramp, launch_value: str = "") -> str:
    """``linear ramp over 3 d`` or ``learning curve, half-life 2 d``, then ``, from +40 s`` when given."""
    words = f"{RAMP_WORDS.get(ramp.shape, ramp.shape)} {hours_words(ramp.hours)}"
    return f"{words}, from {launch_value}" if launch_value else words


def when_words(change: Change, workflow: Workflow | None = None, *, launch_value: bool = False) -> str:
    """When and for what ``change`` holds ("" for a plain change: the whole run, every item); with
    ``launch_value``, the ramp's starting amount too (the editor shows it in its own field)."""
    parts = []
    start, end = change.start.strip(), change.end.strip()
    if start and end:
        parts.append(f"{describe_instant(start)} → {describe_instant(end)}")
    elif start:
        parts.append(f"from {describe_instant(start)}")
    elif end:
        parts.append(f"until {describe_instant(end)}")
    if change.ramp is not None:
        parts.append(ramp_words(change.ramp, launch_value_words(change, workflow) if launch_value else ""))
    if change.scope is not None and not change.scope.is_everything():
        parts.append(change.scope.describe())
    return " · ".join(parts)


def stored_change(change: dict[str, Any]) -> Change:
    """A change as a run stored it (a plain dict), its ramp and scope as the model's own."""
    ramp, scope = change.get("ramp"), change.get("scope")
    return Change(target=str(change.get("target") or ""), path=str(change.get("path") or ""),
                  op=str(change.get("op") or "set"), value=change.get("value"),
                  start=str(change.get("start") or ""), end=str(change.get("end") or ""),
                  ramp=Ramp(ramp.get("launch_value", 0.0), str(ramp.get("shape", "linear")),
                            float(ramp.get("hours", 0) or 0)) if isinstance(ramp, dict) else None,
                  scope=Scope(**{k: list(scope.get(k) or []) for k in ("categories", "languages", "priorities")})
                  if isinstance(scope, dict) else None)


def timing_text(change: dict[str, Any], workflow: Workflow | None = None) -> str:
    """The timing words of a stored change ("" for a plain one): :func:`when_words` of it, its launch value too."""
    return when_words(stored_change(change), workflow, launch_value=True)


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
