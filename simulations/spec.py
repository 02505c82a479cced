"""Compile a workflow + scenario + run settings into an immutable, picklable run specification.

Rules:
- :func:`compile_run` applies the scenario to a copy of the workflow, validates it (errors raise
  :class:`SimulationError` carrying the issues), and resolves everything the engine needs into plain
  frozen dataclasses and tuples: node and team indices instead of ids, routing tables, handle-time
  samplers, arrival-rate tables and roster capacity timelines. No workflow object is needed at run time.
- Item classes are the distinct (category, language, priority) cells of all sources' mixes; an item's
  class never changes, so every per-attribute decision (attribute routing, per-category probabilities
  and handle times, skills, priority rank, SLA target) is a table lookup by class index.
- Routing tables drop branches with probability 0; cumulative probabilities are normalised and end at 1.
  An attribute router sends a class along the first edge (in edge order) whose condition matches it,
  else along its ``otherwise`` edge.
- Teams work a stage in a deterministic order: first the teams for which the stage ranks highest in
  their own stage list, then by the teams' order in the workflow.
- ``arrival_limit`` stops arrivals after that many items (over all sources); ``drain`` then runs past the
  horizon until the system is empty, at most :data:`DRAIN_CAP_S` (or one more horizon, if longer) after
  the horizon, so a stage nobody staffs cannot make a run endless.
- ``backlog_limit`` is the backlog guard's bound: the engine stops a replication once a stage has more items
  waiting (:data:`flowmodel.limits.MAX_BACKLOG_ITEMS` unless the run asks for a lower one, from
  :data:`flowmodel.limits.MIN_BACKLOG_LIMIT` up).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flowmodel.distributions import to_seconds
from flowmodel.errors import FlowmodelError, ModelError
from flowmodel.launch import launch_seconds
from flowmodel.limits import MAX_BACKLOG_ITEMS, MIN_BACKLOG_LIMIT
from flowmodel.nodes import Classifier, Delay, Edge, Outcome, ReviewStage, Router, Source
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Scenario, apply_scenario
from flowmodel.teams import Team
from flowmodel.traffic import ItemClass, outgoing_edges, routing
from flowmodel.validation import validate
from flowmodel.validation_issues import Issue, errors
from flowmodel.workflow import Workflow
from simulations.arrivals import RateTable, rate_table
from simulations.launch_marks import launch_marks
from simulations.launch_plan import LaunchPlan, compile_launch
from simulations.quality_spec import QualitySpec, compile_quality, quality_routing, uses_quality
from simulations.rosters import CapacityTimeline, capacity_timeline
from simulations.shares import cumulative
from simulations.start_state import StartStateSpec, compile_start_state, start_classes
from simulations.streams import SamplerSpec, sampler_spec
from simulations.timebase import horizon_start
from simulations.wellness import WellnessSpec, compile_wellness, has_caps, split_by_capped_category

DRAIN_CAP_S = 28 * 86400.0
NO_ROUTE = -1


class SimulationError(FlowmodelError):
    """The model cannot be simulated; ``issues`` lists the validation errors when that is the reason."""

    def __init__(self, message: str, *, where: str = "", hint: str = "", issues: list[Issue] | None = None) -> None:
        self.issues = list(issues or [])
        super().__init__(message, where=where, hint=hint)


class RunCancelled(FlowmodelError):
    """Raised from :func:`run_replication` when ``should_stop()`` returned True."""


@dataclass(frozen=True)
class Routing:
    """Where an item goes after a node.

    ``by_class[c]`` is the index into ``tables`` for item class ``c``; a table is (targets, cumulative
    probabilities). A table with one target is a fixed route; attribute routers compile to one-target tables.
    """

    tables: tuple[tuple[tuple[int, ...], tuple[float, ...]], ...]
    by_class: tuple[int, ...]
    #: Decision quality (:mod:`simulations.quality_spec`), all empty for a model without it: per truth (benign,
    #: violating) the table index of each class, in place of ``by_class``; the decision ("remove"/"keep" as 1/2) a
    #: branch into each target takes; a review stage's decision by accuracy.
    by_truth: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    decisions: tuple[tuple[int, int], ...] = ()
    decide: Decide | None = None


@dataclass(frozen=True)
class Decide:
    """A review stage that decides by accuracy: its other branches (``targets`` with cumulative absolute
    probabilities, the last = their sum) first, then remove or keep by the reviewing team's accuracy."""

    targets: tuple[int, ...]
    cumulative: tuple[float, ...]
    remove: int
    keep: int


@dataclass(frozen=True)
class SourceSpec:
    index: int
    id: str
    name: str
    rates: RateTable
    mix_classes: tuple[int, ...]
    mix_cumulative: tuple[float, ...]
    routing: Routing
    kind: str = "source"


@dataclass(frozen=True)
class ClassifierSpec:
    index: int
    id: str
    name: str
    latency: SamplerSpec
    routing: Routing
    kind: str = "classifier"


@dataclass(frozen=True)
class StageSpec:
    """A review stage. Per item class: handle sampler index, team group, priority rank, SLA limit (on the
    clock of the class's target: from creation, or from arrival at the stage for a wait target)."""

    index: int
    id: str
    name: str
    discipline: str
    handle: tuple[SamplerSpec, ...]
    handle_by_class: tuple[int, ...]
    expiry: SamplerSpec | None
    group_by_class: tuple[int, ...]
    group_teams: tuple[tuple[int, ...], ...]
    rank_by_class: tuple[int, ...]
    ranks: int
    sla_by_class: tuple[float, ...]
    sla_targets: tuple[tuple[str, float, float], ...]
    routing: Routing
    kind: str = "review_stage"
    #: per SLA target: its clock ("decision" or "wait"); per item class: whether its target times the wait.
    #: Both empty when no target times the wait, so such a stage compiles (and runs) as before clocks existed.
    sla_clocks: tuple[str, ...] = ()
    sla_wait_by_class: tuple[bool, ...] = ()


@dataclass(frozen=True)
class RouterSpec:
    index: int
    id: str
    name: str
    routing: Routing
    kind: str = "router"


@dataclass(frozen=True)
class DelaySpec:
    index: int
    id: str
    name: str
    duration: SamplerSpec
    routing: Routing
    kind: str = "delay"


@dataclass(frozen=True)
class OutcomeSpec:
    index: int
    id: str
    name: str
    label: str
    kind: str = "outcome"


NodeSpec = SourceSpec | ClassifierSpec | StageSpec | RouterSpec | DelaySpec | OutcomeSpec


@dataclass(frozen=True)
class TeamSpec:
    index: int
    id: str
    name: str
    stages: tuple[int, ...]
    timeline: CapacityTimeline
    hourly_cost: float


@dataclass(frozen=True)
class RunSpec:
    scenario_id: str
    scenario_name: str
    workflow_id: str
    workflow_name: str
    settings: RunSettings
    start_utc: str
    horizon_s: float
    warmup_s: float
    interval_s: float
    end_cap_s: float
    arrival_limit: int | None
    drain: bool
    item_classes: tuple[ItemClass, ...]
    nodes: tuple[NodeSpec, ...]
    teams: tuple[TeamSpec, ...]
    backlog_limit: int = MAX_BACKLOG_ITEMS
    #: Items to follow through replication 0 (:mod:`simulations.item_trace`); 0 = none, the normal run.
    trace_items: int = 0
    #: What a launch plan applies over time (:mod:`simulations.launch_plan`); None for a static scenario.
    launch_plan: LaunchPlan | None = None
    #: The launch instant (seconds from the start) launch metrics count from — the scenario's own, or for a run
    #: beside a launch plan (its baseline) the plan's; None: no daily SLA series and no launch metrics.
    launch_s: float | None = None
    recovery_days: int = 3
    #: (seconds from the start, label) of the plan's dated steps, for charts to mark.
    launch_marks: tuple[tuple[float, str], ...] = ()
    #: Ground truth, accuracy tables and QA sampling (:mod:`simulations.quality_spec`); None for a model without.
    quality: QualitySpec | None = None
    #: Wellness caps' seats and shift starts (:mod:`simulations.wellness`); None when no team has caps.
    wellness: WellnessSpec | None = None
    #: Today's backlog put in at time 0 (:mod:`simulations.start_state`); None: the run starts empty.
    start_state: StartStateSpec | None = None


def compile_run(workflow: Workflow, scenario: Scenario | None, settings: RunSettings, *,
                arrival_limit: int | None = None, drain: bool = False,
                backlog_limit: int = MAX_BACKLOG_ITEMS, launch_reference: Scenario | None = None) -> RunSpec:
    """Apply ``scenario``, validate, and compile; see the module docstring for the rules.

    ``launch_reference`` is the launch plan a run without one of its own is compared with (its launch instant
    and recovery days then count for this run's launch metrics too)."""
    try:
        model = apply_scenario(workflow, scenario)
    except ModelError as error:
        name = scenario.name if scenario is not None else "baseline"
        raise SimulationError(error.message, where=f"scenario {name!r} · {error.where}".rstrip(" ·"),
                              hint=error.hint) from None
    problems = settings.problems()
    if problems:
        field_name, message = problems[0]
        raise SimulationError(message, where=f"run settings · {field_name}")
    model.run_settings = replace(settings)  # validate the settings this run uses, not the ones saved with it
    model.scenarios.clear()  # the run is of this one model; checking every other scenario here is wasted work
    if arrival_limit is not None and arrival_limit < 1:
        raise SimulationError("the arrival limit must be at least 1 item", where="run settings · arrival_limit")
    if isinstance(backlog_limit, bool) or not isinstance(backlog_limit, int) \
            or not MIN_BACKLOG_LIMIT <= backlog_limit <= MAX_BACKLOG_ITEMS:
        raise SimulationError(f"the backlog limit must be a whole number of items from {MIN_BACKLOG_LIMIT:,} to "
                              f"{MAX_BACKLOG_ITEMS:,}, not {backlog_limit!r}", where="run settings · backlog_limit")
    blocking = errors(validate(model))
    if blocking:
        listed = "\n".join(f"  - {issue.message}" for issue in blocking[:10])
        more = f"\n  … and {len(blocking) - 10} more" if len(blocking) > 10 else ""
        raise SimulationError(f"the model has {len(blocking)} error(s) and cannot be simulated:\n{listed}{more}",
                              hint="fix the errors listed in the validation panel (or by `validate`)",
                              issues=blocking)
    try:
        spec = _compile(model, scenario, replace(settings), arrival_limit, drain, backlog_limit)
        if scenario is not None and scenario.is_launch_plan():
            return _with_launch(spec, workflow, model, scenario)
        if launch_reference is not None and launch_reference.is_launch_plan():
            return _with_reference(spec, launch_reference)
        return spec
    except ModelError as error:
        raise SimulationError(error.message, where=error.where, hint=error.hint) from None


def _with_launch(spec: RunSpec, baseline: Workflow, model: Workflow, scenario: Scenario) -> RunSpec:
    """``spec`` with the scenario's launch plan compiled in (:mod:`simulations.launch_plan`)."""
    start = horizon_start(spec.settings)
    index_of = {node.id: i for i, node in enumerate(model.nodes.values())}
    plan, nodes, teams = compile_launch(baseline, model, scenario, spec.item_classes, index_of, start,
                                        spec.horizon_s, spec.end_cap_s, list(spec.nodes), list(spec.teams))
    launch_s = launch_seconds(scenario.launch, start, f"scenario {scenario.name!r} · launch")
    return replace(spec, nodes=tuple(nodes), teams=tuple(teams), launch_plan=plan, launch_s=launch_s,
                   recovery_days=scenario.recovery_days, launch_marks=launch_marks(baseline, scenario, start))


def _with_reference(spec: RunSpec, reference: Scenario) -> RunSpec:
    start = horizon_start(spec.settings)
    return replace(spec, launch_s=launch_seconds(reference.launch, start, f"scenario {reference.name!r} · launch"),
                   recovery_days=reference.recovery_days)


def _compile(model: Workflow, scenario: Scenario | None, settings: RunSettings, arrival_limit: int | None,
             drain: bool, backlog_limit: int) -> RunSpec:
    start = horizon_start(settings)
    horizon_s = settings.horizon_hours * 3600.0
    end_cap_s = horizon_s + max(DRAIN_CAP_S, horizon_s) if drain else horizon_s
    node_list = list(model.nodes.values())
    index_of = {node.id: i for i, node in enumerate(node_list)}
    classes = _item_classes(model, scenario)
    team_list = list(model.teams.values())
    outgoing = outgoing_edges(model)
    quality = uses_quality(model)

    teams = tuple(
        TeamSpec(i, team.id, team.name,
                 tuple(index_of[s] for s in team.stages if isinstance(model.nodes.get(s), ReviewStage)),
                 capacity_timeline(team, start, end_cap_s, f"team {team.name!r}"), float(team.hourly_cost))
        for i, team in enumerate(team_list))

    nodes: list[NodeSpec] = []
    for i, node in enumerate(node_list):
        where = f"{node.kind.replace('_', ' ')} {node.name!r}"
        if isinstance(node, Outcome):
            nodes.append(OutcomeSpec(i, node.id, node.name, node.label or node.name))
            continue
        routing = quality_routing(model, node, classes, index_of, outgoing, where) if quality else \
            _routing(model, node.id, classes, index_of, outgoing, where)
        if isinstance(node, Source):
            nodes.append(_source(node, i, classes, routing, start, horizon_s, where))
        elif isinstance(node, Classifier):
            nodes.append(ClassifierSpec(i, node.id, node.name, sampler_spec(node.latency, f"{where} · latency"),
                                        routing))
        elif isinstance(node, ReviewStage):
            nodes.append(_stage(node, i, classes, team_list, routing, where))
        elif isinstance(node, Router):
            nodes.append(RouterSpec(i, node.id, node.name, routing))
        elif isinstance(node, Delay):
            nodes.append(DelaySpec(i, node.id, node.name, sampler_spec(node.duration, f"{where} · duration"),
                                   routing))
        else:
            raise ModelError(f"unknown node kind {node.kind!r}", where=where)
    return RunSpec(
        scenario_id=scenario.id if scenario is not None else "baseline",
        scenario_name=scenario.name if scenario is not None else "Baseline",
        workflow_id=model.id, workflow_name=model.name, settings=settings, start_utc=start.isoformat(),
        horizon_s=horizon_s, warmup_s=settings.warmup_hours * 3600.0, interval_s=settings.interval_minutes * 60.0,
        end_cap_s=end_cap_s, arrival_limit=arrival_limit, drain=drain, item_classes=classes, nodes=tuple(nodes),
        teams=teams, backlog_limit=backlog_limit,
        quality=compile_quality(model, scenario, classes, index_of, team_list) if quality else None,
        wellness=compile_wellness(team_list, classes, [t.stages for t in teams], start, end_cap_s)
        if has_caps(team_list) else None,
        start_state=compile_start_state(model, classes, index_of))


def _item_classes(model: Workflow, scenario: Scenario | None = None) -> tuple[ItemClass, ...]:
    """The sources' mix cells, then any a launch plan's backfills add, then today's backlog's (so a model without
    backfills or a start state keeps its classes, and their order, exactly)."""
    seen: dict[ItemClass, None] = {}
    mixes = [node.mix for node in model.nodes.values() if isinstance(node, Source)]
    mixes += [backfill.mix for backfill in scenario.backfills] if scenario is not None else []
    for mix in mixes:
        for entry in mix:
            if entry.share > 0:
                seen.setdefault(ItemClass(entry.category, entry.language, entry.priority))
    for item_class in start_classes(model.start_state):
        seen.setdefault(item_class)
    return tuple(seen)


def _routing(model: Workflow, node_id: str, classes: tuple[ItemClass, ...], index_of: dict[str, int],
             outgoing: dict[str, list[Edge]], where: str) -> Routing:
    """Routing tables from :func:`flowmodel.traffic.routing` — the one statement of the routing rule, so the
    engine and the analytic estimates cannot disagree on where an item goes."""
    return compile_routing([model] * len(classes), node_id, classes, index_of, where, [outgoing] * len(classes))


def compile_routing(models: list[Workflow], node_id: str, classes: tuple[ItemClass, ...], index_of: dict[str, int],
                    where: str, outgoing: list[dict[str, list[Edge]]] | None = None) -> Routing:
    """Routing tables at ``node_id`` where class ``c`` is routed as in ``models[c]`` (a launch plan's scoped
    routing gives classes different models; a static model gives them all the same one)."""
    if outgoing is None:
        by_model: dict[int, dict[str, list[Edge]]] = {}
        outgoing = [by_model.setdefault(id(m), outgoing_edges(m)) for m in models]
    tables: list[tuple[tuple[int, ...], tuple[float, ...]]] = []
    by_class: list[int] = []
    for item_class, model, edges in zip(classes, models, outgoing, strict=True):
        kept = [(index_of[target], p) for target, p in routing(model, node_id, item_class, edges) if p > 0]
        if not kept:
            raise ModelError(f"no branch takes items of category {item_class.category}, language "
                             f"{item_class.language}, priority {item_class.priority}", where=where,
                             hint="give a branch a probability above 0, or add a condition or an 'otherwise' branch")
        by_class.append(table_index(tables, kept))
    return Routing(tuple(tables), tuple(by_class))


def table_index(tables: list[tuple[tuple[int, ...], tuple[float, ...]]], kept: list[tuple[int, float]]) -> int:
    """The index in ``tables`` of the routing table of branches ``kept`` ((target, weight) pairs), added if new:
    classes routed alike share one table."""
    table = (tuple(t for t, _ in kept), cumulative([w for _, w in kept]))
    if table not in tables:
        tables.append(table)
    return tables.index(table)


def _source(node: Source, index: int, classes: tuple[ItemClass, ...], routing: Routing, start: datetime,
            horizon_s: float, where: str) -> SourceSpec:
    cells = [(classes.index(ItemClass(e.category, e.language, e.priority)), e.share) for e in node.mix if e.share > 0]
    if not cells:
        raise ModelError("the item mix needs at least one entry with a share above 0", where=f"{where} · mix")
    return SourceSpec(index, node.id, node.name, rate_table(node, start, horizon_s, where),
                      tuple(c for c, _ in cells), cumulative([s for _, s in cells]), routing)


def _stage(node: ReviewStage, index: int, classes: tuple[ItemClass, ...], team_list: list[Team], routing: Routing,
           where: str) -> StageSpec:
    handle = [sampler_spec(node.handle_time, f"{where} · handle_time")]
    handle_index: dict[str, int] = {}
    for category, distribution in node.handle_time_by_category.items():
        handle_index[category] = len(handle)
        handle.append(sampler_spec(distribution, f"{where} · handle_time_by_category.{category}"))
    expiry = sampler_spec(node.expiry, f"{where} · expiry") if node.expiry is not None else None

    working = [(team.stages.index(node.id), position, team) for position, team in enumerate(team_list)
               if node.id in team.stages]
    ordered = [(position, team) for _, position, team in sorted(working, key=lambda w: (w[0], w[1]))]
    groups: list[tuple[int, ...]] = []
    group_by_class: list[int] = []
    for item_class in classes:
        eligible = tuple(position for position, team in ordered
                         if team.can_review(item_class.language, item_class.category))
        if eligible not in groups:
            groups.append(eligible)
        group_by_class.append(groups.index(eligible))
    if has_caps([team for _, team in ordered]):  # one capped category per queue group (simulations.wellness)
        groups, group_by_class = split_by_capped_category(ordered, classes)

    order = list(node.priority_order)
    sla_s = {t.priority: to_seconds(t.within, t.unit) for t in node.sla}
    on_wait = {t.priority for t in node.sla if t.clock == "wait"}
    clocks = tuple(t.clock for t in node.sla) if on_wait else ()
    return StageSpec(
        index, node.id, node.name, node.discipline, tuple(handle),
        tuple(handle_index.get(c.category, 0) for c in classes), expiry, tuple(group_by_class), tuple(groups),
        tuple(order.index(c.priority) if c.priority in order else len(order) for c in classes), len(order) + 1,
        tuple(sla_s.get(c.priority, float("inf")) for c in classes),
        tuple((t.priority, sla_s[t.priority], t.share) for t in node.sla), routing, sla_clocks=clocks,
        sla_wait_by_class=tuple(c.priority in on_wait for c in classes) if on_wait else ())
