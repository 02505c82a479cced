"""The fields a scenario can change, in planner words, and the units a planner may type them in.

Why: a planner thinks "handle time +40 s" or "escalate share → 8 %", not ``handle_time.mean`` or
``route.escalate``. This catalogue names, per node or team, every field a scenario change can sensibly
address — its planner label, its path (:mod:`flowmodel.paths`, ``route.<branch>`` for a branch), its unit
family and the unit it is stored in — so the editor offers them in a list and every listing can describe
a change without showing a path.

Rules:
- Families: ``duration`` (stored in the unit of the distribution or target that holds it), ``rate``
  (items per hour), ``share`` (0–1, typed and shown in %), ``count`` (whole reviewers, per weekday for a
  shift's headcount), ``money`` (per hour) and ``number`` (anything else).
- What a planner types is converted to the stored unit when the change is stored (:func:`to_stored`), so
  a change keeps its plain JSON form (target, path, op, value) and the engine never sees a unit: "add
  40 s" on a stage whose handle time is in minutes stores ``+0.6667`` (40/60). A scale is a factor and
  has no unit.
- A handle time is changed where its distribution keeps its size: the mean (fixed, exponential,
  lognormal, gamma) or its low / most likely / high points (triangular, uniform).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flowmodel.distributions import SECONDS_PER_UNIT, Distribution
from flowmodel.errors import ModelError
from flowmodel.nodes import Classifier, Delay, Edge, Node, ReviewStage, Source
from flowmodel.paths import get_path
from flowmodel.teams import Team

if TYPE_CHECKING:
    from flowmodel.workflow import Workflow

ROUTE_PREFIX = "route."  # the same prefix as flowmodel.scenarios (which imports this module's users)

#: What each operation reads like in the editor.
OPERATION_WORDS: dict[str, str] = {"set": "set to", "scale": "multiply by", "add": "add"}
DURATION_UNITS: tuple[str, ...] = tuple(SECONDS_PER_UNIT)
RATE_UNITS: dict[str, float] = {"per hour": 1.0, "per day": 1 / 24, "per week": 1 / 168}
#: Units a planner can type a value of each family in (the first is the default).
UNIT_CHOICES: dict[str, tuple[str, ...]] = {
    "duration": DURATION_UNITS, "rate": tuple(RATE_UNITS), "share": ("%",),
    "count": (), "money": (), "number": (),
}
_POINT_WORDS = {"mean": "", "low": "shortest", "mode": "most likely", "high": "longest", "sd": "spread (sd)"}


@dataclass(frozen=True)
class ChangeField:
    """One changeable field: ``label`` in planner words, ``path`` as stored, its unit family and stored unit."""

    label: str
    path: str
    family: str = "number"
    unit: str = ""
    per_weekday: bool = False

    def units(self) -> tuple[str, ...]:
        """The units a planner may type this field's value in."""
        return UNIT_CHOICES.get(self.family, ())


def _duration_fields(label: str, path: str, duration: Distribution | None) -> list[ChangeField]:
    if duration is None:
        return []
    if duration.kind == "triangular":
        points = ("low", "mode", "high")
    elif duration.kind == "uniform":
        points = ("low", "high")
    elif duration.kind in ("lognormal", "gamma"):
        points = ("mean", "sd")
    elif duration.kind == "empirical":
        return []  # samples are data, not one number to change
    else:
        points = ("mean",)
    return [ChangeField(f"{label}, {_POINT_WORDS[p]}" if _POINT_WORDS[p] else label, f"{path}.{p}",
                        "duration", duration.unit) for p in points]


def branch_name(workflow: Workflow, edge: Edge) -> str:
    """The name a branch goes by: its label, else the name of the node it leads to."""
    target = workflow.nodes.get(edge.target)
    return edge.label or (target.name if target is not None else "") or edge.id


def _branch_fields(workflow: Workflow, node: Node) -> list[ChangeField]:
    outgoing = workflow.outgoing(node.id)
    if len(outgoing) < 2 or any(e.condition is not None or e.otherwise for e in outgoing):
        return []
    return [ChangeField(f"{branch_name(workflow, e)} share", f"{ROUTE_PREFIX}{branch_name(workflow, e)}",
                        "share") for e in outgoing]


def node_fields(workflow: Workflow, node: Node) -> list[ChangeField]:
    out: list[ChangeField] = []
    if isinstance(node, Source):
        out.append(ChangeField("arrival rate", "rate_per_hour", "rate", "per hour"))
        out += [ChangeField(f"surge “{s.label}”, multiplier", f"surges.{s.label}.multiplier")
                for s in node.surges if s.label]
    elif isinstance(node, Classifier):
        out += _duration_fields("latency", "latency", node.latency)
    elif isinstance(node, ReviewStage):
        out += _duration_fields("handle time", "handle_time", node.handle_time)
        for category, duration in node.handle_time_by_category.items():
            out += _duration_fields(f"handle time for {category}", f"handle_time_by_category.{category}", duration)
        for target in node.sla:
            out.append(ChangeField(f"SLA {target.priority}, time limit", f"sla.{target.priority}.within", "duration",
                                   target.unit))
            out.append(ChangeField(f"SLA {target.priority}, share on time", f"sla.{target.priority}.share", "share"))
        out += _duration_fields("time until items expire", "expiry", node.expiry)
    elif isinstance(node, Delay):
        out += _duration_fields("wait", "duration", node.duration)
    return out + _branch_fields(workflow, node)


def team_fields(team: Team) -> list[ChangeField]:
    out = [ChangeField(f"headcount, {s.name} shift", f"shifts.{s.name}.headcount", "count", per_weekday=True)
           for s in team.shifts]
    out += [ChangeField(f"length of the {s.name} shift", f"shifts.{s.name}.hours", "duration", "h")
            for s in team.shifts]
    out += [ChangeField("shrinkage", "shrinkage", "share"), ChangeField("hourly cost", "hourly_cost", "money"),
            ChangeField("contract hours a week", "contract_hours", "number")]
    return out


def edge_fields(workflow: Workflow, edge: Edge) -> list[ChangeField]:
    return [ChangeField("share", "probability", "share")]


def fields_for(workflow: Workflow, target_id: str) -> list[ChangeField]:
    """Every field of the node, team or edge ``target_id`` a planner can change (empty when it is missing)."""
    item = workflow.find(target_id)
    if isinstance(item, Team):
        return team_fields(item)
    if isinstance(item, Edge):
        return edge_fields(workflow, item)
    if isinstance(item, Node):
        return node_fields(workflow, item)
    return []


def field_for(workflow: Workflow, target_id: str, path: str) -> ChangeField:
    """The catalogue entry of ``path`` on ``target_id``, or one made from the path's words (a change written by
    hand or by scenario mode on a field the catalogue does not list), so no listing has to show a path."""
    for entry in fields_for(workflow, target_id):
        if entry.path == path:
            return entry
    if path.startswith(ROUTE_PREFIX):
        return ChangeField(f"{path[len(ROUTE_PREFIX):]} share", path, "share")
    return _guessed_field(workflow, target_id, path)


def _guessed_field(workflow: Workflow, target_id: str, path: str) -> ChangeField:
    words = [segment.replace("_", " ") for segment in path.split(".")]
    if words and words[-1] in ("mean",):
        words.pop()
    label = ", ".join(words) or "field"
    item = workflow.find(target_id)
    head = path.rpartition(".")[0]
    if item is not None and head:
        try:
            parent = get_path(item, head)
        except ModelError:
            parent = None
        unit = getattr(parent, "unit", None)
        if isinstance(unit, str) and unit in SECONDS_PER_UNIT:
            return ChangeField(label, path, "duration", unit)
    if path == "rate_per_hour":
        return ChangeField("arrival rate", path, "rate", "per hour")
    if path.endswith("probability") or path.endswith("share") or path == "shrinkage":
        return ChangeField(label, path, "share")
    if path.endswith("headcount"):
        return ChangeField(label, path, "count", per_weekday=True)
    return ChangeField(label, path)


def to_stored(entry: ChangeField, op: str, value: Any, unit: str = "") -> Any:
    """``value`` typed in ``unit`` converted to what the change stores (see module rules); lists element-wise."""
    if op == "scale" or isinstance(value, bool):
        return value
    if isinstance(value, list):
        return [to_stored(entry, op, v, unit) for v in value]
    if not isinstance(value, (int, float)):
        return value
    if entry.family == "duration" and unit in SECONDS_PER_UNIT and entry.unit in SECONDS_PER_UNIT:
        return value * SECONDS_PER_UNIT[unit] / SECONDS_PER_UNIT[entry.unit] if unit != entry.unit else value
    if entry.family == "share" and unit == "%":
        return value / 100.0
    if entry.family == "rate" and unit in RATE_UNITS:
        return value * RATE_UNITS[unit] if unit != "per hour" else value
    return value


def from_stored(entry: ChangeField, op: str, value: Any, unit: str = "") -> Any:
    """The inverse of :func:`to_stored`: a stored value as typed in ``unit`` (for editing a change again)."""
    if op == "scale" or isinstance(value, bool):
        return value
    if isinstance(value, list):
        return [from_stored(entry, op, v, unit) for v in value]
    if not isinstance(value, (int, float)):
        return value
    if entry.family == "duration" and unit in SECONDS_PER_UNIT and entry.unit in SECONDS_PER_UNIT:
        return value * SECONDS_PER_UNIT[entry.unit] / SECONDS_PER_UNIT[unit] if unit != entry.unit else value
    if entry.family == "share" and unit == "%":
        return value * 100.0
    if entry.family == "rate" and unit in RATE_UNITS:
        return value / RATE_UNITS[unit] if unit != "per hour" else value
    return value
