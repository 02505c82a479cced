"""Read and write a field of a node, edge or team by a dotted path.

Paths are how scenario changes and generic edits address a field: ``rate_per_hour``,
``handle_time.mean``, ``shifts.day.headcount``, ``sla.P0.within``, ``handle_time_by_category.hate.mean``.

Rules: a segment names a dataclass attribute or a dictionary key; in a list, a segment selects the
element whose ``name`` (shifts), ``priority`` (SLA targets) or ``label`` matches, or a 0-based index.
A write keeps the field's type: numbers stay numbers (an ``int`` field stays an int), lists of
numbers stay lists of numbers; anything else is a :class:`ModelError` naming the path. A number written
must be usable (:func:`flowmodel.validation_limits.number_problem`: finite, within ±``MAX_ABS_NUMBER``), the
same rule loading applies, so an edit cannot store what a file could not hold.

Decision quality (:mod:`flowmodel.quality`) adds two rules, so a change to one category starts from what that
category has today:
- A missing key of a per-category table (``by_category`` of a ground truth or of a split by truth,
  ``views_by_category``, ``accuracy_by_category``) reads as the general value beside it (the prevalence, the
  split's shares, the accuracy); a write adds the entry. A stage's ``accuracy_by_category`` has such a default
  only while the stage states an accuracy of its own (otherwise its teams' apply, which differ).
- An unset optional part reads as what unset means when that is one value — a team's ``accuracy`` is always
  right, ``Accuracy(1, 1)`` — and a write sets it; any other (a source's ``truth``, a branch's ``by_truth``, a
  stage's ``accuracy`` or ``expiry``) is a :class:`ModelError` saying to set it first.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import typing
from collections.abc import Callable
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


#: What an unset optional part must be set to before a path can go through it (module rules).
_UNSET_HINTS: dict[str, str] = {
    "truth": "give the source a ground truth (its prevalence) in the source editor first",
    "by_truth": "give the branch its shares for violating and benign items in the node editor first",
    "accuracy": "state the stage's own accuracy in the stage editor first (it overrides its teams')",
}


def _unset_default(owner: Any, name: str, path: str) -> Any:
    """What the unset part ``name`` of ``owner`` reads as (module rules), or a ModelError saying to set it."""
    if type(owner).__name__ == "Team" and name == "accuracy":
        from flowmodel.quality import Accuracy

        return Accuracy()
    raise ModelError(f"{name.replace('_', ' ')} is not set, so {path!r} has nothing to change",
                     hint=_UNSET_HINTS.get(name, "set it first in the editor, then change it"))


def _category_default(owner: Any, name: str) -> Any:
    """The value a missing category of the table ``name`` of ``owner`` reads as (module rules); None: no default."""
    from flowmodel.quality import Accuracy, GroundTruth, Split, TruthSplit

    if isinstance(owner, GroundTruth) and name in ("by_category", "views_by_category"):
        return owner.prevalence if name == "by_category" else owner.views_per_hour
    if isinstance(owner, TruthSplit) and name == "by_category":
        return Split(owner.violating, owner.benign)
    if name == "accuracy_by_category" and type(owner).__name__ in ("Team", "ReviewStage"):
        accuracy = owner.accuracy
        if isinstance(accuracy, Accuracy):
            return copy.copy(accuracy)
        return Accuracy() if type(owner).__name__ == "Team" else None
    return None


Fill = list[Callable[[], None]]


def _child(owner: Any, name: str, obj: Any, segment: str, path: str, fills: Fill | None) -> tuple[Any, Any]:
    """(the object ``segment`` is read from, the value there): :func:`_step` with the module's quality rules;
    ``fills`` collects the writes that make a default real (a write applies them once its value is checked)."""
    if obj is None and owner is not None and dataclasses.is_dataclass(owner):
        obj = _unset_default(owner, name, path)
        if fills is not None:
            fills.append(functools.partial(setattr, owner, name, obj))
    if isinstance(obj, dict) and segment not in obj and owner is not None:
        default = _category_default(owner, name)
        if default is not None:
            if fills is not None:
                fills.append(functools.partial(obj.__setitem__, segment, default))
            return obj, default
        if name == "accuracy_by_category":
            raise ModelError(f"the stage states no accuracy for {segment} nor one of its own, so {path!r} has "
                             "nothing to change", hint="state the stage's own accuracy first, or change the "
                             "accuracy of the teams that work it")
    return obj, _step(obj, segment, path)


def _walk(obj: Any, segments: list[str], path: str, fills: Fill | None = None) -> tuple[Any, Any, str]:
    """(value at the end of ``segments``, the object holding it, its segment)."""
    owner, name = None, ""
    for segment in segments:
        owner, obj = _child(owner, name, obj, segment, path, fills)
        name = segment
    return obj, owner, name


def declared_number_type(obj: Any, path: str) -> type | None:
    """``int`` or ``float`` as the dataclass declares the field at ``path`` (or its list elements);
    ``None`` when it is not a number field. The declaration, not the current value, decides: a float
    field that happens to hold ``5`` is still a float field."""
    segments = path.split(".")
    parent, owner, name = _walk(obj, segments[:-1], path)
    if isinstance(parent, dict) and dataclasses.is_dataclass(owner) and not isinstance(owner, type):
        declared = _hints(type(owner)).get(name)  # a table: its values' declared type
        args = get_args(declared) if get_origin(declared) is dict else ()
        return args[1] if len(args) == 2 and args[1] in (int, float) else None
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
    return _walk(obj, path.split("."), path)[0]


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
    fills: Fill = []
    previous, parent, last = _walk(obj, path.split("."), path, fills)
    new = coerce_like(previous, value, path, declared_number_type(obj, path))
    for fill in fills:
        fill()
    if isinstance(parent, dict):
        parent[last] = new
    elif isinstance(parent, list):
        index = next(i for i, element in enumerate(parent) if element is previous) \
            if not last.isdigit() else int(last)
        parent[index] = new
    else:
        setattr(parent, last, new)
    return previous
