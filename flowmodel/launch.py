"""Launch plans: a scenario as a policy really rolls out — dated, phased by market, ramping, with backfill.

A scenario states an optional ``launch`` (a date-time; empty = the start of the run). Each of its changes may
carry a ``start``, an ``end``, a ``ramp`` and a ``scope``; the scenario may also hold :class:`Backfill`
batches and :class:`Training` periods. A scenario with none of these is a plain static diff, as before.

Rules:
- **Instants** (``start``, ``end``, a backfill's or training's ``start``/``end``) are text: ``launch``, an
  offset from the launch such as ``+7d``, ``+36h``, ``+2w``, ``-1d`` or ``launch+7d``, or a date-time
  ``2027-01-11`` / ``2027-01-11 09:00`` in UTC (a ``+01:00`` style offset may follow).
  :func:`instant_seconds` turns one into seconds from the run's start. A change's empty ``start`` is the
  run's start and its empty ``end`` the run's end (an untimed change).
- A timed change is active on ``[start, end)``; outside it the field has the value it has without the change.
  At every instant the field's value is the baseline's with every change active then applied in list order.
- **Ramp**: the change's operand (what it sets, multiplies by or adds) moves from ``ramp.launch_value`` at the
  start to the change's ``value`` (the settled value): ``linear`` over ``ramp.hours``, or ``learning`` — an
  exponential learning curve whose remaining gap halves every ``ramp.hours``. The engine applies a ramp in
  steps of :data:`RAMP_STEP_H` hours, each at the curve's value at the step's midpoint; a learning curve is
  taken as settled once its gap is below :data:`LEARNING_SETTLED_GAP` of the starting gap.
- **Scope**: a change may apply to items of some categories, languages and priorities only (an empty list
  means all). Scopes apply to what is decided per item: arrival rates (the scoped part of a source's volume,
  so a scoped change also changes its mix), handle times and routing. A team or SLA change cannot be scoped.
- **Backfill**: ``items`` extra items with a ``mix`` entering node ``target`` from ``start``, all at once or
  evenly spread over ``spread_hours`` (item *k* of *N* at start + k·spread/N) — re-review of existing content.
- **Training**: from ``start`` to ``end``, ``hours_per_person`` × ``people`` reviewer-hours of team ``team`` are
  taken off the floor (paid, not reviewing); ``people`` 0 means the team's head count (its weekly paid hours ÷
  contract hours, rounded). See :mod:`simulations.launch_capacity` for how the hours are spread.
- **Run start**: :func:`run_start` is the UTC instant of the run's time 0 — 00:00 UTC on ``start_weekday`` of
  the week holding ``start_date`` — the same instant as :func:`simulations.timebase.horizon_start`, so the editor
  can place instants on a timeline without importing the engine.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from flowmodel.errors import ModelError
from flowmodel.ids import new_id
from flowmodel.limits import MAX_HORIZON_HOURS
from flowmodel.nodes import MixEntry
from flowmodel.validation_limits import start_date_problem

if TYPE_CHECKING:
    from flowmodel.run_settings import RunSettings

RAMP_SHAPES: tuple[str, ...] = ("linear", "learning")
RAMP_STEP_H = 1.0
LEARNING_SETTLED_GAP = 0.01
LAUNCH_WORD = "launch"
#: The farthest an offset may lie from the launch: two of the longest horizons (a run and its drain).
MAX_OFFSET_HOURS = 2 * MAX_HORIZON_HOURS
_OFFSET = re.compile(r"^\s*(?:launch\s*)?([+\-−])\s*(\d+(?:\.\d+)?)\s*([hdw])\s*$", re.IGNORECASE)
_UNIT_HOURS = {"h": 1.0, "d": 24.0, "w": 168.0}


@dataclass
class Ramp:
    """The change's operand moves from ``launch_value`` to the change's ``value`` (see the module rules)."""

    launch_value: Any = 0.0
    shape: Literal["linear", "learning"] = "linear"
    hours: float = 168.0


@dataclass
class Scope:
    """Which items a change applies to; an empty list means every value of that attribute."""

    categories: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)

    def matches(self, category: str, language: str, priority: str) -> bool:
        return ((not self.categories or category in self.categories)
                and (not self.languages or language in self.languages)
                and (not self.priorities or priority in self.priorities))

    def is_everything(self) -> bool:
        return not (self.categories or self.languages or self.priorities)

    def describe(self) -> str:
        """``hate_speech · es or pt`` — the scope in a listing (empty for everything)."""
        parts = [" or ".join(values) for values in (self.categories, self.languages, self.priorities) if values]
        return " · ".join(parts)


@dataclass
class Backfill:
    """A one-off batch of items entering ``target`` (see the module rules)."""

    name: str = "Backfill"
    id: str = field(default_factory=new_id)
    target: str = ""
    items: int = 1000
    mix: list[MixEntry] = field(default_factory=list)
    start: str = LAUNCH_WORD
    spread_hours: float = 0.0
    note: str = ""


@dataclass
class Training:
    """Reviewer-hours of a team taken off the floor over a period (see the module rules)."""

    name: str = "Training"
    id: str = field(default_factory=new_id)
    team: str = ""
    hours_per_person: float = 4.0
    people: int = 0
    start: str = LAUNCH_WORD
    end: str = "+7d"
    note: str = ""


def parse_instant(text: str, where: str) -> tuple[str, float | datetime]:
    """``("offset", hours from the launch)`` or ``("at", a UTC date-time)``; empty text is the launch."""
    value = text.strip()
    if value == "" or value.lower() == LAUNCH_WORD:
        return "offset", 0.0
    if match := _OFFSET.match(value):
        sign, amount, unit = match.groups()
        hours = float(amount) * _UNIT_HOURS[unit.lower()]
        if hours > MAX_OFFSET_HOURS:
            raise ModelError(f"{value!r} is more than {MAX_OFFSET_HOURS / 24:,.0f} days from the launch", where=where,
                             hint="an instant lies within the run: check the number and its unit (h, d or w)")
        return "offset", -hours if sign in "-−" else hours
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ModelError(f"{value!r} is not an instant", where=where,
                         hint="write launch, an offset from the launch such as +7d, +36h or +2w, "
                              "or a date-time such as 2027-01-11 09:00 (UTC)") from None
    return "at", moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def run_start(settings: RunSettings) -> datetime:
    """The UTC instant of the run's time 0 (see the module rules); a ModelError for a date a run cannot use."""
    if problem := start_date_problem(settings.start_date):
        raise ModelError(problem, where="run settings · start_date", hint="write a date such as 2026-01-05")
    if settings.start_weekday not in range(7):
        raise ModelError("the start weekday is 0 (Monday) to 6 (Sunday)", where="run settings · start_weekday")
    day = date.fromisoformat(settings.start_date)
    first = day - timedelta(days=day.weekday()) + timedelta(days=settings.start_weekday)
    return datetime(first.year, first.month, first.day, tzinfo=UTC)


def launch_seconds(launch: str, run_start: datetime, where: str) -> float:
    """The launch instant in seconds from the run's start (an empty launch is the run's start)."""
    if not launch.strip():
        return 0.0
    kind, value = parse_instant(launch, where)
    if kind == "offset":
        assert isinstance(value, float)
        return value * 3600.0  # an offset launch counts from the run's start
    assert isinstance(value, datetime)
    return (value - run_start).total_seconds()


def instant_seconds(text: str, launch_s: float, run_start: datetime, where: str) -> float:
    """An instant in seconds from the run's start (offsets count from ``launch_s``)."""
    kind, value = parse_instant(text, where)
    if kind == "offset":
        assert isinstance(value, float)
        return launch_s + value * 3600.0
    assert isinstance(value, datetime)
    return (value - run_start).total_seconds()


def change_window(change: Any, launch_s: float, run_start: datetime, where: str) -> tuple[float, float, float]:
    """(start, end, ramp end) of a change in seconds from the run's start: an empty start is the run's start, an
    empty end never comes (``inf``), a ramp ends when it has settled (:func:`ramp_length_h`; the start without
    one). The one statement of the rule the engine's compile and the staffing periods share."""
    start = instant_seconds(change.start, launch_s, run_start, f"{where} · start") if change.start.strip() else 0.0
    end = instant_seconds(change.end, launch_s, run_start, f"{where} · end") if change.end.strip() else math.inf
    ramp = change.ramp
    return start, end, start + ramp_length_h(ramp.shape, ramp.hours) * 3600.0 if ramp is not None else start


def ramp_values_match(launch_value: Any, settled: Any) -> bool:
    """Whether a ramp's launch value is the same kind as the value it settles at: a usable number for a number,
    a list of as many usable numbers for a list (the rule validation and the engine's compile share)."""
    def usable(value: Any) -> bool:
        return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)

    if isinstance(settled, list):
        return (isinstance(launch_value, list) and len(launch_value) == len(settled)
                and all(usable(v) for v in [*launch_value, *settled]))
    return usable(launch_value) and usable(settled)


def ramp_operand(launch_value: Any, settled: Any, shape: str, hours: float, elapsed_h: float) -> Any:
    """The ramp's operand ``elapsed_h`` hours after its start (element-wise for lists of numbers)."""
    if isinstance(settled, list) and isinstance(launch_value, list):
        return [ramp_operand(a, b, shape, hours, elapsed_h) for a, b in zip(launch_value, settled, strict=True)]
    if hours <= 0:
        return settled
    weight = 0.5 ** (elapsed_h / hours) if shape == "learning" else max(0.0, 1.0 - elapsed_h / hours)
    return settled + (launch_value - settled) * weight


def ramp_length_h(shape: str, hours: float) -> float:
    """Hours until a ramp counts as settled (a learning curve: its gap below :data:`LEARNING_SETTLED_GAP`)."""
    if hours <= 0:
        return 0.0
    if shape == "learning":
        return hours * math.log2(1.0 / LEARNING_SETTLED_GAP)
    return hours


def describe_instant(text: str) -> str:
    """An instant as a listing shows it: ``launch``, ``launch + 7 d``, ``2027-01-11 09:00``."""
    value = text.strip()
    if value == "" or value.lower() == LAUNCH_WORD:
        return LAUNCH_WORD
    match = _OFFSET.match(value)
    if match:
        sign, amount, unit = match.groups()
        number = float(amount)
        shown = f"{number:g}"
        return f"{LAUNCH_WORD} {'−' if sign == '-' else '+'} {shown} {unit.lower()}"
    return value
