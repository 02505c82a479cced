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
- Decision quality (:mod:`flowmodel.quality`) is offered where the model states it: a source's prevalence
  (overall and per category of its mix), a branch's shares by truth (overall and per category of the sources'
  mixes; such a branch has no plain share, and its node no ``route.*`` fields), a team's accuracy (and per
  category of its skills) in a model with ground truth, a stage's own accuracy when it states one, a stage's QA
  share when it names a QA stage, a team's wellness caps. A category that has no entry of its own starts from
  the general value (:mod:`flowmodel.paths`). Categories whose name holds a dot cannot be addressed by a path
  and are not offered.
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
    from flowmodel.traffic import decides_by_accuracy  # traffic imports the workflow, which imports this module

    outgoing = workflow.outgoing(node.id)
    if any(e.by_truth is not None for e in outgoing):
        return []  # shares by truth are the edges' fields (edge_fields)
    if isinstance(node, ReviewStage) and decides_by_accuracy(outgoing):
        return [ChangeField(f"{branch_name(workflow, e)} share", f"{ROUTE_PREFIX}{branch_name(workflow, e)}",
                            "share") for e in outgoing if not e.decision]  # remove/keep follow accuracy
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
        out += _truth_fields(node)
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
        out += _stage_quality_fields(workflow, node)
    elif isinstance(node, Delay):
        out += _duration_fields("wait", "duration", node.duration)
    return out + _branch_fields(workflow, node)


def team_fields(team: Team, workflow: Workflow | None = None) -> list[ChangeField]:
    """The team's fields; with ``workflow``, its accuracy too when the model has ground truth."""
    out = [ChangeField(f"headcount, {s.name} shift", f"shifts.{s.name}.headcount", "count", per_weekday=True)
           for s in team.shifts]
    out += [ChangeField(f"length of the {s.name} shift", f"shifts.{s.name}.hours", "duration", "h")
            for s in team.shifts]
    out += [ChangeField("shrinkage", "shrinkage", "share"), ChangeField("hourly cost", "hourly_cost", "money"),
            ChangeField("contract hours a week", "contract_hours", "number")]
    with_truth = workflow is not None and any(isinstance(n, Source) and n.truth is not None
                                              for n in workflow.nodes.values())
    if team.accuracy is not None or team.accuracy_by_category or with_truth:
        skills = team.categories or (_mix_categories(workflow) if workflow is not None else [])
        out += _accuracy_fields(_addressable([*team.accuracy_by_category, *skills]))
    out += [ChangeField(f"wellness cap for {c} (hours a reviewer a shift-day)", f"wellness_caps.{c}", "duration",
                        "h") for c in _addressable(list(team.wellness_caps))]
    return out


def edge_fields(workflow: Workflow, edge: Edge) -> list[ChangeField]:
    if edge.by_truth is None:
        return [ChangeField("share", "probability", "share")]
    way = "band" if isinstance(workflow.nodes.get(edge.source), Classifier) else "branch"
    categories = _addressable([*edge.by_truth.by_category, *_mix_categories(workflow)])
    return [ChangeField(f"share of {truth}{f' {c}' if c else ''} items taking this {way}",
                        f"by_truth.by_category.{c}.{truth}" if c else f"by_truth.{truth}", "share")
            for c in ["", *categories] for truth in ("violating", "benign")]


# -- decision quality (flowmodel.quality) -------------------------------------------------------------------------
ACCURACY_WORDS: dict[str, str] = {"remove_violating": "reviewers remove violating{} items (recall)",
                                  "keep_benign": "reviewers keep benign{} items (specificity)"}


def _addressable(categories: list[str]) -> list[str]:
    """``categories`` once each, in order, without those a path cannot address (a dot in the name)."""
    return [c for c in dict.fromkeys(str(c) for c in categories) if c and "." not in c]


def _mix_categories(workflow: Workflow) -> list[str]:
    return [e.category for n in workflow.nodes.values() if isinstance(n, Source) for e in n.mix]


def _accuracy_fields(categories: list[str]) -> list[ChangeField]:
    """An accuracy's two fields, overall and per category."""
    return [ChangeField(words.format(f" {c}" if c else ""),
                        f"accuracy_by_category.{c}.{name}" if c else f"accuracy.{name}", "share")
            for c in ["", *categories] for name, words in ACCURACY_WORDS.items()]


def _truth_fields(source: Source) -> list[ChangeField]:
    truth = source.truth
    if truth is None:
        return []
    out = [ChangeField("prevalence (share truly violating)", "truth.prevalence", "share")]
    out += [ChangeField(f"prevalence of {c} (share truly violating)", f"truth.by_category.{c}", "share")
            for c in _addressable([*truth.by_category, *(e.category for e in source.mix)])]
    out.append(ChangeField("views per hour of a violating item", "truth.views_per_hour"))
    out += [ChangeField(f"views per hour of a violating {c} item", f"truth.views_by_category.{c}")
            for c in _addressable(list(truth.views_by_category))]
    return out


def _stage_quality_fields(workflow: Workflow, stage: ReviewStage) -> list[ChangeField]:
    """The stage's own accuracy (when it states one: otherwise its teams' applies) and its QA share."""
    out: list[ChangeField] = []
    if stage.accuracy is not None:
        out += _accuracy_fields(_addressable([*stage.accuracy_by_category, *_mix_categories(workflow)]))
    elif stage.accuracy_by_category:
        out += _accuracy_fields(_addressable(list(stage.accuracy_by_category)))[2:]
    if stage.qa_stage:
        out.append(ChangeField("share of decisions re-reviewed by QA", "qa_share", "share"))
    return out


def fields_for(workflow: Workflow, target_id: str) -> list[ChangeField]:
    """Every field of the node, team or edge ``target_id`` a planner can change (empty when it is missing)."""
    item = workflow.find(target_id)
    if isinstance(item, Team):
        return team_fields(item, workflow)
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


def _quality_words(path: str) -> ChangeField | None:
    """A decision-quality path's entry in the catalogue's words, for a path the catalogue does not list here (a
    stage whose own accuracy is not set, a category no mix has)."""
    segments = path.split(".")
    category = f" {segments[1]}" if len(segments) == 3 and segments[0].endswith("by_category") else ""
    if segments[0] in ("accuracy", "accuracy_by_category") and segments[-1] in ACCURACY_WORDS:
        return ChangeField(ACCURACY_WORDS[segments[-1]].format(category), path, "share")
    if path == "truth.prevalence" or (len(segments) == 3 and segments[:2] == ["truth", "by_category"]):
        which = f" of {segments[2]}" if len(segments) == 3 else ""
        return ChangeField(f"prevalence{which} (share truly violating)", path, "share")
    if segments[0] == "by_truth" and segments[-1] in ("violating", "benign"):
        which = f" {segments[2]}" if len(segments) == 4 else ""
        return ChangeField(f"share of {segments[-1]}{which} items taking this branch", path, "share")
    if path == "qa_share":
        return ChangeField("share of decisions re-reviewed by QA", path, "share")
    return None


def _guessed_field(workflow: Workflow, target_id: str, path: str) -> ChangeField:
    if (quality := _quality_words(path)) is not None:
        return quality
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
