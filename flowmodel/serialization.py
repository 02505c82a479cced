"""Workflow ⇄ plain JSON-able data, with a schema version and strict, located errors.

Loading follows one order: parse to plain data → migrate to the current schema → check every field's
type against the dataclasses (errors name the place, e.g. ``nodes[3] (Tier 1).handle_time.mean``) →
build objects. Model-level problems (probabilities, reachability) are validation's job, not this
module's; here we only refuse what cannot be a workflow at all.

Rule: every number read, in a typed field or inside a free-form one (a scenario change's ``value``), must be
usable (:func:`flowmodel.validation_limits.number_problem`: finite, magnitude at most
:data:`~flowmodel.limits.MAX_ABS_NUMBER`). JSON holds ``10**400``, ``1e400`` (read as infinity) and
``NaN``; a float cannot carry them through a simulation, and no real figure comes near the limit.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from flowmodel.distributions import PARAMETERS, Distribution
from flowmodel.errors import LoadError
from flowmodel.launch import Backfill, Ramp, Training
from flowmodel.nodes import (
    NODE_CLASSES,
    Classifier,
    Delay,
    Edge,
    MixEntry,
    Node,
    Outcome,
    ReviewStage,
    Router,
    SlaTarget,
    Source,
)
from flowmodel.quality import Accuracy, GroundTruth, Split, TruthSplit
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Change, Scenario
from flowmodel.start_state import BacklogEntry, StartState
from flowmodel.teams import Shift, Team
from flowmodel.validation_limits import NUMBER_HINT, fmt, number_problem, number_problems
from flowmodel.workflow import Workflow

SCHEMA_VERSION = 1
FORMAT_NAME = "flowmodel.workflow"


# -- writing ------------------------------------------------------------------------------------
def _plain(value: Any, declared: Any = None) -> Any:
    """JSON-able data; numbers in float fields are written as floats (``5.0``), so a file reads back and
    saves again byte for byte, whatever type the number had when it was built in code."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        hints = _hints(type(value))
        optional = OMITTED_AT_DEFAULT.get(type(value), ())
        return {f.name: _plain(getattr(value, f.name), hints.get(f.name)) for f in dataclasses.fields(value)
                if f.name != "events" and not (f.name in optional and _at_default(value, f))}
    if isinstance(value, dict):
        inner = get_args(declared)[1] if get_origin(declared) is dict else None
        return {k: _plain(v, inner) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        inner = get_args(declared)[0] if get_origin(declared) is list else None
        return [_plain(v, inner) for v in value]
    if _is_float_type(declared) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


#: Fields left out of a written file while they hold their default: a launch plan's, so a workflow that uses
#: no launch feature writes (and round-trips) exactly the bytes it wrote before launch plans existed.
OMITTED_AT_DEFAULT: dict[type, tuple[str, ...]] = {
    Change: ("start", "end", "ramp", "scope"),
    Scenario: ("launch", "recovery_days", "backfills", "trainings"),
    # decision quality (flowmodel.quality): left out while unused, so older files keep their bytes
    Source: ("truth", "provenance"),
    ReviewStage: ("accuracy", "accuracy_by_category", "qa_share", "qa_stage", "provenance"),
    Edge: ("decision", "by_truth"),
    Team: ("accuracy", "accuracy_by_category", "wellness_caps", "provenance"),
    GroundTruth: ("by_category", "views_per_hour", "views_by_category"),
    TruthSplit: ("by_category",),
    # today's backlog (flowmodel.start_state): an entry with a range leaves out its empty age list
    BacklogEntry: ("ages_h",),
    StartState: ("note",),
}


def _at_default(value: Any, f: dataclasses.Field) -> bool:
    current = getattr(value, f.name)
    if f.default is not dataclasses.MISSING:
        return bool(current == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(current == f.default_factory())
    return False


def _is_float_type(declared: Any) -> bool:
    if declared is float:
        return True
    return get_origin(declared) in (Union, types.UnionType) and float in get_args(declared)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def workflow_to_dict(workflow: Workflow) -> dict[str, Any]:
    """The workflow as JSON-able data (lists keep insertion order, so output is stable)."""
    nodes = []
    for node in workflow.nodes.values():
        data = _plain(node)
        nodes.append({"kind": node.kind, **data})
    return {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "id": workflow.id,
        "name": workflow.name,
        "description": workflow.description,
        "nodes": nodes,
        "edges": [_plain(e) for e in workflow.edges.values()],
        "teams": [_plain(t) for t in workflow.teams.values()],
        "scenarios": [_plain(s) for s in workflow.scenarios.values()],
        "run_settings": _plain(workflow.run_settings),
        # left out without a start state, so files from before it keep their bytes
        **({"start_state": _plain(workflow.start_state)} if workflow.start_state is not None else {}),
    }


# -- reading ------------------------------------------------------------------------------------
def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if tp is float:
        return "a number"
    if tp is int:
        return "a whole number"
    if tp is str:
        return "text"
    if tp is bool:
        return "true or false"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin in (list, tuple):
        return "a list"
    if origin is dict:
        return "an object"
    if dataclasses.is_dataclass(tp):
        return "an object"
    return str(tp)


def _convert(tp: Any, value: Any, where: str) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = get_args(tp)
        if value is None and type(None) in options:
            return None
        real = [o for o in options if o is not type(None)]
        return _convert(real[0], value, where)
    if tp is Any:
        for place, problem in number_problems(value, where):
            raise LoadError(problem, where=place, hint=NUMBER_HINT)
        return value
    if origin is Literal:
        if value not in get_args(tp):
            raise LoadError(f"expected {_type_name(tp)}, found {value!r}", where=where)
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise LoadError(f"expected true or false, found {value!r}", where=where)
        return value
    if tp in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise LoadError(f"expected {_type_name(tp)}, found {value!r}", where=where)
        if problem := number_problem(value):
            raise LoadError(problem, where=where, hint=NUMBER_HINT)
        if tp is int:
            if value != int(value):
                raise LoadError(f"expected a whole number, found {value!r}", where=where)
            return int(value)
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise LoadError(f"expected text, found {value!r}", where=where)
        return value
    if origin is list:
        if not isinstance(value, list):
            raise LoadError(f"expected a list, found {type(value).__name__}", where=where)
        (inner,) = get_args(tp)
        return [_convert(inner, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise LoadError(f"expected an object, found {type(value).__name__}", where=where)
        _, inner = get_args(tp)
        return {str(k): _convert(inner, v, f"{where}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return build(tp, value, where)
    raise LoadError(f"cannot read a field of type {tp}", where=where)


#: Fields a document must state: the ones that decide the simulated numbers, so that a field lost in a
#: hand edit is an error rather than a silently invented default. Other fields (positions, notes, labels,
#: optional overrides) may be left out and take their defaults.
REQUIRED_FIELDS: dict[type, tuple[str, ...]] = {
    Source: ("id", "name", "rate_per_hour", "mix"),
    Classifier: ("id", "name", "latency"),
    ReviewStage: ("id", "name", "handle_time"),
    Router: ("id", "name", "mode"),
    Delay: ("id", "name", "duration"),
    Outcome: ("id", "name"),
    Edge: ("id", "source", "target"),
    Team: ("id", "name", "shifts", "shrinkage", "stages"),
    Shift: ("start_hour", "hours", "headcount"),
    MixEntry: ("category", "language", "priority", "share"),
    SlaTarget: ("priority", "within", "unit", "share"),
    Scenario: ("id", "name", "changes"),
    Change: ("target", "path", "op", "value"),
    Ramp: ("launch_value", "shape", "hours"),
    Backfill: ("id", "name", "target", "items", "mix"),
    Training: ("id", "name", "team", "hours_per_person", "start", "end"),
    GroundTruth: ("prevalence",),
    TruthSplit: ("violating", "benign"),
    Split: ("violating", "benign"),
    Accuracy: ("remove_violating", "keep_benign"),
    StartState: ("entries",),
    BacklogEntry: ("stage", "count", "category", "language", "priority"),
}


def _required(cls: type, data: dict[str, Any]) -> tuple[str, ...]:
    if cls is Distribution:
        kind = data.get("kind")
        return ("kind", "unit", *PARAMETERS.get(kind, ())) if isinstance(kind, str) else ("kind", "unit")
    return REQUIRED_FIELDS.get(cls, ())


def build(cls: type, data: Any, where: str) -> Any:
    """An instance of dataclass ``cls`` from ``data``, checking every field. Unknown keys are errors (a typo
    in a hand-edited file should not be silently dropped); so are missing :data:`REQUIRED_FIELDS`."""
    if not isinstance(data, dict):
        raise LoadError(f"expected an object, found {type(data).__name__}", where=where)
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.init and f.name != "events"}
    unknown = set(data) - names - {"kind"}
    if unknown:
        raise LoadError(f"unknown field(s) {', '.join(sorted(unknown))}", where=where,
                        hint=f"known fields: {', '.join(sorted(names))}")
    missing = [name for name in _required(cls, data) if name not in data]
    if missing:
        raise LoadError(f"missing field(s) {', '.join(missing)}", where=where,
                        hint="add the field(s); a Flowmodel-written file always has them")
    kwargs = {name: _convert(hints[name], data[name], f"{where}.{name}") for name in names if name in data}
    return cls(**kwargs)


def _label(data: Any, index: int, what: str) -> str:
    name = data.get("name") if isinstance(data, dict) else None
    return f"{what}[{index}] ({name})" if isinstance(name, str) and name else f"{what}[{index}]"


def _list(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise LoadError(f"expected a list, found {type(value).__name__}", where=key)
    return value


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring ``data`` to :data:`SCHEMA_VERSION`. Version 1 is the first; later versions add steps here."""
    version = data.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise LoadError("the document has no valid schema_version", where="schema_version",
                        hint="is this a Flowmodel workflow file?")
    if version > SCHEMA_VERSION:
        raise LoadError(f"schema version {fmt(version)} is newer than this Flowmodel understands ({SCHEMA_VERSION})",
                        where="schema_version", hint="open it with a newer Flowmodel")
    if version < 1:
        raise LoadError(f"unknown schema version {fmt(version)}", where="schema_version")
    return data


def workflow_from_dict(data: Any) -> Workflow:
    """Build a workflow from plain data, or raise :class:`LoadError` naming the bad place."""
    if not isinstance(data, dict):
        raise LoadError(f"expected a workflow object, found {type(data).__name__}")
    if data.get("format", FORMAT_NAME) != FORMAT_NAME:
        results = data.get("format") == "flowmodel.run-results"
        raise LoadError(f"not a Flowmodel workflow (format {data.get('format')!r})", where="format",
                        hint="this file holds simulation results (written by simulate --out); open the workflow's "
                             ".flow.json or .flowdb instead" if results else
                             "open a workflow exported from Flowmodel (.flow.json)")
    data = migrate(data)
    workflow = Workflow(
        name=_convert(str, data.get("name", "Untitled workflow"), "name"),
        id=_convert(str, data.get("id", ""), "id") or Workflow().id,
        description=_convert(str, data.get("description", ""), "description"),
    )
    for i, raw in enumerate(_list(data, "nodes")):
        where = _label(raw, i, "nodes")
        kind = raw.get("kind") if isinstance(raw, dict) else None
        cls = NODE_CLASSES.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise LoadError(f"unknown node kind {kind!r}", where=where,
                            hint=f"node kinds: {', '.join(NODE_CLASSES)}")
        node: Node = build(cls, raw, where)
        _unique(workflow.nodes, node.id, where)
        workflow.nodes[node.id] = node
    for i, raw in enumerate(_list(data, "edges")):
        where = f"edges[{i}]"
        edge: Edge = build(Edge, raw, where)
        _unique(workflow.edges, edge.id, where)
        for end in ("source", "target"):
            if getattr(edge, end) not in workflow.nodes:
                raise LoadError(f"the edge's {end} {getattr(edge, end)!r} is not a node of this workflow",
                                where=f"{where}.{end}", hint="remove the edge or fix the node id")
        workflow.edges[edge.id] = edge
    for i, raw in enumerate(_list(data, "teams")):
        where = _label(raw, i, "teams")
        team: Team = build(Team, raw, where)
        _unique(workflow.teams, team.id, where)
        workflow.teams[team.id] = team
    for i, raw in enumerate(_list(data, "scenarios")):
        where = _label(raw, i, "scenarios")
        scenario: Scenario = build(Scenario, raw, where)
        _unique(workflow.scenarios, scenario.id, where)
        workflow.scenarios[scenario.id] = scenario
    if "run_settings" in data:
        workflow.run_settings = build(RunSettings, data["run_settings"], "run_settings")
    if data.get("start_state") is not None:
        workflow.start_state = build(StartState, data["start_state"], "start_state")
    return workflow


def _unique(existing: dict, item_id: str, where: str) -> None:
    if not item_id:
        raise LoadError("missing id", where=f"{where}.id")
    if item_id in existing:
        raise LoadError(f"duplicate id {item_id!r}", where=f"{where}.id", hint="ids must be unique")
