"""Read and write a field of a node, edge or team by a dotted path.

Paths are how scenario changes and generic edits address a field: ``rate_per_hour``,
``handle_time.mean``, ``shifts.day.headcount``, ``sla.P0.within``, ``handle_time_by_category.hate.mean``.

Rules: a segment names a dataclass attribute or a dictionary key; in a list, a segment selects the
element whose ``name`` (shifts), ``priority`` (SLA targets) or ``label`` matches, or a 0-based index.
A write keeps the field's type: numbers stay numbers (an ``int`` field stays an int), lists of
numbers stay lists of numbers; anything else is a :class:`ModelError` naming the path.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from typing import Any

from flowmodel.errors import ModelError

_LIST_KEYS = ("name", "priority", "label", "category")


def _step(obj: Any, segment: str, path: str) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if segment in {f.name for f in dataclasses.fields(obj)}:
            return getattr(obj, segment)
    elif isinstance(obj, dict):
        if segment in obj:
            return obj[segment]
    elif isinstance(obj, list):
        for element in obj:
            for key in _LIST_KEYS:
                if getattr(element, key, None) == segment:
                    return element
        if segment.isdigit() and int(segment) < len(obj):
            return obj[int(segment)]
    raise ModelError(f"no field {segment!r} in path {path!r}",
                     hint="check the field name; paths look like 'handle_time.mean'")


def get_path(obj: Any, path: str) -> Any:
    """The value at ``path`` below ``obj``."""
    if not path:
        raise ModelError("empty field path")
    for segment in path.split("."):
        obj = _step(obj, segment, path)
    return obj


def coerce_like(current: Any, value: Any, path: str) -> Any:
    """``value`` converted to the type of ``current``, or a ModelError saying what was expected."""
    if isinstance(current, bool):
        if isinstance(value, bool):
            return value
        raise ModelError(f"{path} must be true or false, not {value!r}")
    if isinstance(current, (int, float)) and not isinstance(current, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ModelError(f"{path} must be a number, not {value!r}")
        if not math.isfinite(value):
            raise ModelError(f"{path} must be a finite number, not {value!r}")
        if isinstance(current, int) and not isinstance(current, bool):
            if float(value) != int(value):
                raise ModelError(f"{path} must be a whole number, not {value!r}")
            return int(value)
        return float(value)
    if isinstance(current, str):
        if not isinstance(value, str):
            raise ModelError(f"{path} must be text, not {value!r}")
        return value
    if isinstance(current, list) and all(isinstance(v, (int, float)) for v in current):
        if not isinstance(value, list):
            raise ModelError(f"{path} must be a list of numbers, not {value!r}")
        if current and len(value) != len(current):
            raise ModelError(f"{path} must have {len(current)} values, not {len(value)}")
        sample = current[0] if current else 0.0
        return [coerce_like(sample, v, path) for v in value]
    if current is None or dataclasses.is_dataclass(current) or isinstance(current, (list, dict)):
        return copy.deepcopy(value)
    raise ModelError(f"{path} cannot be set")


def set_path(obj: Any, path: str, value: Any) -> Any:
    """Write ``value`` at ``path`` below ``obj`` (in place); returns the previous value."""
    segments = path.split(".")
    parent = obj
    for segment in segments[:-1]:
        parent = _step(parent, segment, path)
    last = segments[-1]
    previous = _step(parent, last, path)
    new = coerce_like(previous, value, path)
    if isinstance(parent, dict):
        parent[last] = new
    elif isinstance(parent, list):
        index = next(i for i, element in enumerate(parent) if element is previous) \
            if not last.isdigit() else int(last)
        parent[index] = new
    else:
        setattr(parent, last, new)
    return previous
