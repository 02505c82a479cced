"""Read and write a field of a node, edge or team by a dotted path.

Paths are how scenario changes and generic edits address a field: ``rate_per_hour``,
``handle_time.mean``, ``shifts.day.headcount``, ``sla.P0.within``, ``handle_time_by_category.hate.mean``.

Rules: a segment names a dataclass attribute or a dictionary key; in a list, a segment selects the
element whose ``name`` (shifts), ``priority`` (SLA targets) or ``label`` matches, or a 0-based index.
A write keeps the field's type: numbers stay numbers (an ``int`` field stays an int), lists of
numbers stay lists of numbers; anything else is a :class:`ModelError` naming the path. A number written
must be usable (:func:`flowmodel.validation_limits.number_problem`: finite, within ±``MAX_ABS_NUMBER``), the
same rule loading applies, so an edit cannot store what a file could not hold.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import typing
from typing import Any, get_args, get_origin

from flowmodel.errors import ModelError
from flowmodel.validation_limits import NUMBER_HINT, number_problem

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


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def declared_number_type(obj: Any, path: str) -> type | None:
    """``int`` or ``float`` as the dataclass declares the field at ``path`` (or its list elements);
    ``None`` when it is not a number field. The declaration, not the current value, decides: a float
    field that happens to hold ``5`` is still a float field."""
    segments = path.split(".")
    parent = obj
    for segment in segments[:-1]:
        parent = _step(parent, segment, path)
    if not (dataclasses.is_dataclass(parent) and not isinstance(parent, type)):
        return None
    declared = _hints(type(parent)).get(segments[-1])
    if get_origin(declared) is list:
        declared = get_args(declared)[0]
    return declared if declared in (int, float) else None


def get_path(obj: Any, path: str) -> Any:
    """The value at ``path`` below ``obj``."""
    if not path:
        raise ModelError("empty field path")
    for segment in path.split("."):
        obj = _step(obj, segment, path)
    return obj


def _holds_numbers(current: list, number_type: type | None) -> bool:
    """Whether ``current`` is a list of numbers: its elements say so, or, when it is empty, the declaration
    (an empty ``list[SlaTarget]`` or ``list[str]`` is not a list of numbers)."""
    return all(isinstance(v, (int, float)) for v in current) if current else number_type is not None


def coerce_like(current: Any, value: Any, path: str, number_type: type | None = None) -> Any:
    """``value`` converted to the type of ``current`` (``number_type`` overrides it for numbers), or a
    ModelError saying what was expected."""
    if isinstance(current, bool):
        if isinstance(value, bool):
            return value
        raise ModelError(f"{path} must be true or false, not {value!r}")
    if isinstance(current, (int, float)) and not isinstance(current, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ModelError(f"{path} must be a number, not {value!r}")
        if problem := number_problem(value):
            raise ModelError(f"{path}: {problem}", hint=NUMBER_HINT)
        if (number_type or type(current)) is int:
            if not isinstance(value, int) and not value.is_integer():  # float(int) would round big ints
                raise ModelError(f"{path} must be a whole number, not {value!r}")
            return int(value)
        return float(value)
    if isinstance(current, str):
        if not isinstance(value, str):
            raise ModelError(f"{path} must be text, not {value!r}")
        return value
    if isinstance(current, list) and _holds_numbers(current, number_type):
        if not isinstance(value, list):
            raise ModelError(f"{path} must be a list of numbers, not {value!r}")
        if current and len(value) != len(current):
            raise ModelError(f"{path} must have {len(current)} values, not {len(value)}")
        sample = current[0] if current else 0.0
        return [coerce_like(sample, v, path, number_type) for v in value]
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
    new = coerce_like(previous, value, path, declared_number_type(obj, path))
    if isinstance(parent, dict):
        parent[last] = new
    elif isinstance(parent, list):
        index = next(i for i, element in enumerate(parent) if element is previous) \
            if not last.isdigit() else int(last)
        parent[index] = new
    else:
        setattr(parent, last, new)
    return previous
