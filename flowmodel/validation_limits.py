"""Checks against :mod:`flowmodel.limits` shared by loading, scenario changes, field edits, validation and the
engine, so that every entry point refuses the same numbers with the same words.

Rules:
- A number (an int or a float, never a bool) is *usable* when it is finite and its magnitude is at most
  :data:`~flowmodel.limits.MAX_ABS_NUMBER`; :func:`number_problem` says in words why one is not. Loading,
  scenario changes and edits refuse an unusable number; validation then holds usable numbers to the model
  limits (rule ``past-limit`` and ``invalid-run-settings``, see :mod:`flowmodel.validation_parameters`).
- Nothing here converts an int to a float before comparing it: Python compares ``10**400`` with ``1e12``
  exactly, while ``math.isfinite(10**400)`` or ``float(10**400)`` raises ``OverflowError``. So no check here
  raises, whatever number it is given, and :func:`fmt` writes such a number as ``1e400``.
- A start date is usable when it is written ``YYYY-MM-DD`` and falls in
  [:data:`~flowmodel.limits.EARLIEST_START_DATE`, :data:`~flowmodel.limits.LATEST_START_DATE`].
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

from flowmodel.limits import EARLIEST_START_DATE, LATEST_START_DATE, MAX_ABS_NUMBER


def is_number(value: object) -> bool:
    """An int or a float; a bool is not a number here (JSON's ``true`` is not 1 reviewer)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def fmt(value: object) -> str:
    """A number as a planner reads it: ``26,352``, ``0.25``, ``2.4e10``, ``1.00000000006e12``, ``1e400``,
    ``NaN``, ``infinity``."""
    if not is_number(value):
        return repr(value)
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, float) and math.isinf(value):
        return "infinity" if value > 0 else "-infinity"
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))  # exact for ints of any size
    if -4 <= exponent < 9:
        if isinstance(value, int):
            return f"{value:,}"
        text = f"{value:,.{max(5 - exponent, 0)}f}"  # 6 significant digits, no exponent
        return text.rstrip("0").rstrip(".") if "." in text else text
    # enough digits that a number just past a limit does not read as the limit; an int divides exactly, and
    # only beyond ±1e300 are logarithms needed (good to 12 digits)
    if -300 <= exponent <= 300:
        mantissa = abs(value) / 10**exponent if exponent >= 0 else abs(value) * 10**-exponent
        text = f"{mantissa:.15g}"
    else:
        text = f"{10 ** (math.log10(abs(value)) - exponent):.12g}"
    if text == "10":  # 9.999… rounded up
        text, exponent = "1", exponent + 1
    return f"{'-' if value < 0 else ''}{text}e{exponent}"


def number_problem(value: object) -> str:
    """Why ``value`` is not a usable number, as the tail of a sentence about it; "" when it is usable or when
    it is not a number at all (type checks report those)."""
    if not is_number(value):
        return ""
    if isinstance(value, float) and math.isnan(value):
        return "NaN (not a number) is not a usable number"
    if isinstance(value, float) and math.isinf(value):
        return f"{fmt(value)} is not a usable number"
    if abs(value) > MAX_ABS_NUMBER:
        return (f"the number {fmt(value)} is past the limit of ±{fmt(MAX_ABS_NUMBER)} for any number in a "
                "workflow (no real figure comes near it)")
    return ""


#: The hint that goes with :func:`number_problem`.
NUMBER_HINT = "correct the number: it is a typo or a damaged value"


def number_problems(value: object, where: str) -> Iterator[tuple[str, str]]:
    """(place, problem) for every unusable number in ``value`` and the lists and objects it holds; places
    extend ``where`` as loading names them (``changes[0].value[3]``, ``….value.mean``)."""
    if isinstance(value, list):
        for i, element in enumerate(value):
            yield from number_problems(element, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, element in value.items():
            yield from number_problems(element, f"{where}.{key}")
    elif problem := number_problem(value):
        yield where, problem


def comparable(value: object) -> float | int | None:
    """``value`` for comparing against a limit, never raising: None when it is not a number, NaN or infinite
    (other rules report those); an int as it is, so that one beyond float range still compares as past
    every limit."""
    if not is_number(value):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def finite(value: object) -> float | None:
    """``value`` as a float, or None when it is not a number, NaN, infinite or an int beyond float range: what
    :func:`flowmodel.validation_issues.number` gives, without the ``OverflowError`` it raises for ``10**400``."""
    usable = comparable(value)
    try:
        return None if usable is None else float(usable)
    except OverflowError:
        return None


def past(value: object, limit: float) -> bool:
    """Whether ``value`` is a number above ``limit``: an int beyond float range is; NaN and infinity are left
    to the rules that refuse non-finite numbers."""
    usable = comparable(value)
    return usable is not None and usable > limit


def start_date_problem(text: object) -> str:
    """Why ``text`` cannot be a run's start date, as a sentence; "" when it can."""
    try:
        day = date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        day = None
    if day is None:
        return f"the start date {text!r} is not a date written as YYYY-MM-DD"
    if not EARLIEST_START_DATE <= day <= LATEST_START_DATE:
        return (f"the start date {day.isoformat()} is outside the supported range {EARLIEST_START_DATE.isoformat()} "
                f"to {LATEST_START_DATE.isoformat()} (time zones and weekdays are exact only there, and a horizon "
                "added to the date must stay a date)")
    return ""
