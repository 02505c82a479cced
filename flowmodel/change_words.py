"""Scenario changes in planner words: "Tier 1 review · handle time +40 s", "Reports · arrival rate ×1.25".

Why: every place that lists a scenario (the scenarios panel, the comparison behind the PDF, XLSX and HTML
exports) must read as the planner thinks of the change, never as an internal path or a raw stored value.

Rules:
- A line is ``<node or team> · <field label> <amount>``; the label comes from :mod:`flowmodel.change_fields`.
- Amounts: ``×1.25`` (scale), ``+40 s`` / ``−2`` (add), ``→ 8 %`` (set). Durations are shown in the unit
  that reads best (40 s rather than 0.6667 min); shares in %, added shares in percentage points; a
  headcount set per weekday lists the days it changes ("→ 20 on Mon–Fri").
- A change that cannot apply keeps its words and gets ``⚠ <reason>`` appended.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowmodel.change_fields import SECONDS_PER_UNIT, ChangeField, field_for
from flowmodel.errors import ModelError
from flowmodel.nodes import WEEKDAYS

if TYPE_CHECKING:
    from flowmodel.scenarios import Change
    from flowmodel.workflow import Workflow

MINUS = "−"


def number_text(value: float) -> str:
    """A number as a planner reads it: at most four significant digits, thousands separated, no exponent."""
    if isinstance(value, bool):
        return str(value)
    if abs(value) >= 10000:
        return f"{value:,.0f}"
    text = f"{value:.4g}"
    return f"{value:.0f}" if "e" in text else text


def _is_round(value: float) -> bool:
    return abs(value - round(value, 2)) <= 1e-6 * max(1.0, abs(value))


def duration_text(value: float, unit: str) -> str:
    """A duration stored in ``unit`` in the unit that reads best: the stored one when the number is round and
    at least 1, else the largest unit in which it is a round number of at least 1 (0.6667 min → 40 s)."""
    if unit not in SECONDS_PER_UNIT or value == 0:
        return f"{number_text(value)} {unit}".strip()
    if abs(value) >= 1 and _is_round(value):
        return f"{number_text(value)} {unit}"
    seconds = value * SECONDS_PER_UNIT[unit]
    for candidate in reversed(tuple(SECONDS_PER_UNIT)):
        shown = seconds / SECONDS_PER_UNIT[candidate]
        if abs(shown) >= 1 and _is_round(shown):
            return f"{number_text(shown)} {candidate}"
    return f"{number_text(value)} {unit}"


def value_text(entry: ChangeField, value: Any) -> str:
    """A stored value of ``entry`` with its unit, as shown to a planner."""
    if isinstance(value, list):
        return ", ".join(value_text(entry, v) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if entry.family == "duration":
        return duration_text(value, entry.unit)
    if entry.family == "share":
        return f"{number_text(value * 100)} %"
    if entry.family == "rate":
        return f"{number_text(value)} per hour"
    return number_text(value)


def _signed(text: str, value: float) -> str:
    return f"{MINUS}{text.lstrip('-')}" if value < 0 else f"+{text}"


def weekday_text(values: list[Any], before: list[Any] | None) -> str:
    """"20 on Mon–Fri, 5 on Sat": the days whose value changes (every day when ``before`` is unknown)."""
    if len(values) != len(WEEKDAYS):
        return "[" + ", ".join(number_text(v) for v in values) + "]"
    changed = [d for d in range(7) if before is None or len(before) != 7 or before[d] != values[d]]
    if not changed:
        return "unchanged"
    if len(changed) == 7 and len(set(values)) == 1:
        return f"{number_text(values[0])} every day"
    runs: list[list[int]] = []
    for day in changed:
        if runs and runs[-1][-1] == day - 1 and values[runs[-1][-1]] == values[day]:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        days = WEEKDAYS[run[0]] if len(run) == 1 else f"{WEEKDAYS[run[0]]}–{WEEKDAYS[run[-1]]}"
        parts.append(f"{number_text(values[run[0]])} on {days}")
    return ", ".join(parts)


def weekday_effect(before: list[Any], after: list[Any]) -> str:
    """"8 → 20 on Mon–Fri": each run of days whose value changes alike ("" when no day changes)."""
    runs: list[list[int]] = []
    for day in (d for d in range(7) if before[d] != after[d]):
        if runs and runs[-1][-1] == day - 1 and (before[day], after[day]) == (before[day - 1], after[day - 1]):
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        days = "every day" if len(run) == 7 else WEEKDAYS[run[0]] if len(run) == 1 else \
            f"{WEEKDAYS[run[0]]}–{WEEKDAYS[run[-1]]}"
        on = days if days == "every day" else f"on {days}"
        parts.append(f"{number_text(before[run[0]])} → {number_text(after[run[0]])} {on}")
    return ", ".join(parts)


def amount_text(entry: ChangeField, op: str, value: Any, before: Any = None) -> str:
    """``×1.25``, ``+40 s``, ``→ 8 %``: what a change does, without the field's name."""
    if op == "scale":
        return f"×{number_text(value)}" if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else f"× {value}"
    if op == "add":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"+ {value}"
        if entry.family == "share":
            return _signed(f"{number_text(abs(value) * 100)} pts", value)
        text = _signed(value_text(entry, abs(value)), value)
        return f"{text} each day" if entry.per_weekday else text
    if isinstance(value, list) and entry.per_weekday:
        return f"→ {weekday_text(value, before if isinstance(before, list) else None)}"
    return f"→ {value_text(entry, value)}"


def _before(workflow: Workflow, change: Change) -> Any:
    from flowmodel.scenarios import current_value

    try:
        return current_value(workflow, change)
    except ModelError:
        return None


def describe_change(workflow: Workflow, change: Change) -> str:
    """One line in planner words, e.g. ``Tier 1 review · handle time +40 s`` (see module rules)."""
    from flowmodel.scenarios import apply_change, describe_target

    entry = field_for(workflow, change.target, change.path)
    line = f"{describe_target(workflow, change.target)} · {entry.label} " \
           f"{amount_text(entry, change.op, change.value, _before(workflow, change))}"
    try:
        apply_change(workflow.copy(), change)
    except ModelError as error:
        return f"{line}  ⚠ {error.message}"
    return line


def describe_change_alone(change: Change) -> str:
    """The words of ``change`` when the model it addresses is not at hand (a stored run exported on its own): the
    field and the amount, without the node's name, which only the model knows."""
    from flowmodel.workflow import Workflow

    entry = field_for(Workflow(), change.target, change.path)
    return f"{entry.label} {amount_text(entry, change.op, change.value)}"


def describe_effect(workflow: Workflow, change: Change) -> str:
    """``5 min → 5.667 min``: the field before and after the change (one number), "" when that says nothing more."""
    from flowmodel.scenarios import apply_change, current_value

    entry = field_for(workflow, change.target, change.path)
    try:
        before = current_value(workflow, change)
        after_workflow = workflow.copy()
        apply_change(after_workflow, change)
        after = current_value(after_workflow, change)
    except ModelError:
        return ""
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after) == len(WEEKDAYS):
        return weekday_effect(before, after)
    if isinstance(before, list) or isinstance(after, list):
        return ""
    if isinstance(before, bool) or not isinstance(before, (int, float)) or not isinstance(after, (int, float)):
        return ""
    if entry.family == "duration":
        return f"{number_text(before)} → {number_text(after)} {entry.unit}"
    if entry.family == "rate":
        return f"{number_text(before)} → {number_text(after)} per hour"
    return f"{value_text(entry, before)} → {value_text(entry, after)}"
