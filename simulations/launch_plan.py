"""Compile a scenario's launch plan (:mod:`flowmodel.launch`) into what the engine applies over time.

Rules (the engine's semantics of timed and scoped changes):
- Each timed or scoped change belongs to one *part* of the model: a source's arrival rate, a review stage's
  handle times, a classifier's latency or a delay's duration, a node's routing, or a team's roster. A part with
  such a change is recomputed on a grid of instants (every start and end, and every ramp step): on each piece
  the part's value is the statically changed model's (every static change applied, on any field) with the
  timed and scoped changes active then applied on top in list order, separately for each group of item classes
  that the same scoped changes match. Parts without timed or scoped changes are compiled from the statically
  changed model, exactly as before launch plans existed.
- What each change does at its instant:
  - arrival rate: baked into the source's rate table (its arrivals stay one Exp(1) draw per item), and a
    scoped one also swaps the source's mix at that instant; items that arrived keep their class;
  - handle time: an item's handle time is drawn when it arrives at the stage (as always), so the value in
    force at its arrival holds for it, waiting or in review;
  - latency and delay durations: the value in force when the item enters;
  - routing: the branch is chosen with the table in force when the item leaves the node;
  - headcount, shift length, shrinkage and training: baked into the team's capacity timeline (a reduction never
    interrupts an item in hand, :mod:`simulations.dispatcher`).
- Streams stay keyed by node and purpose, and a swapped sampler or router draws from the same stream object,
  so common random numbers hold; a step equal to what is already in force is not emitted, so a plan whose
  changes all start after the horizon runs bit for bit as its static model.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flowmodel.errors import ModelError
from flowmodel.launch import (
    RAMP_SHAPES,
    RAMP_STEP_H,
    Backfill,
    Training,
    change_window,
    instant_seconds,
    launch_seconds,
    ramp_operand,
    ramp_values_match,
)
from flowmodel.launch_fields import NOT_TIMEABLE_HINT, SCOPED_PARTS, change_part, timing_problem
from flowmodel.nodes import Classifier, Delay, Node, Outcome, ReviewStage, Source
from flowmodel.scenarios import Change, Scenario, apply_change, describe_change
from flowmodel.traffic import ItemClass
from flowmodel.workflow import Workflow
from simulations.arrivals import RateTable, rate_table
from simulations.launch_capacity import spliced_timeline, training_removed
from simulations.quality_spec import quality_routing_per_class, quality_steps, uses_quality
from simulations.shares import cumulative
from simulations.streams import SamplerSpec, sampler_spec


@dataclass(frozen=True)
class Step:
    """At ``at_s``, part ``kind`` of node ``node`` takes ``payload``: handle (SamplerSpec per class), transit
    (one SamplerSpec), route (a :class:`simulations.spec.Routing`), mix (classes, cumulative); with decision
    quality (:mod:`simulations.quality_spec`), accuracy (a stage's accuracy table) and truth (a source's
    prevalence and views per class)."""

    at_s: float
    kind: str
    node: int
    payload: Any


@dataclass(frozen=True)
class BackfillSpec:
    id: str
    name: str
    node: int
    items: int
    classes: tuple[int, ...]
    cumulative: tuple[float, ...]
    start_s: float
    spread_s: float


@dataclass(frozen=True)
class LaunchPlan:
    """What a run applies over time; ``steps`` sorted by time (those at 0 apply before the first event)."""

    steps: tuple[Step, ...]
    backfills: tuple[BackfillSpec, ...]


def part_of(workflow: Workflow, change: Change) -> tuple[str, str]:
    """(part kind, node or team id) of a timed or scoped change (:mod:`flowmodel.launch_fields`); a
    :class:`ModelError` naming the change for a field that cannot vary in time or a scope it cannot take."""
    if workflow.find(change.target) is None:
        raise ModelError("the change addresses a node, edge or team that does not exist",
                         where=f"change of {change.path}", hint="remove the change or point it at an existing one")
    where = f"change {describe_change(workflow, change)}"
    part = change_part(workflow, change.target, change.path)
    if part is None:
        raise ModelError("this field cannot change during a run", where=where, hint=NOT_TIMEABLE_HINT)
    if change.is_scoped() and part[0] not in SCOPED_PARTS:
        raise ModelError(timing_problem(workflow, change), where=where, hint="remove the change's scope")
    return part


@dataclass
class _Timed:
    change: Change
    start_s: float
    end_s: float
    ramp_end_s: float


def _timed(change: Change, launch_s: float, run_start: datetime, where: str) -> _Timed:
    if change.ramp is not None:
        _check_ramp(change, where)
    start_s, end_s, ramp_end = change_window(change, launch_s, run_start, where)
    if end_s <= start_s:
        raise ModelError("the change ends before it starts", where=f"{where} · end",
                         hint="move its end after its start")
    return _Timed(change, start_s, end_s, ramp_end)


def _check_ramp(change: Change, where: str) -> None:
    """A ramp the engine can apply: a known shape, hours above 0, and a launch value of the value's kind."""
    ramp = change.ramp
    assert ramp is not None
    if ramp.shape not in RAMP_SHAPES:
        raise ModelError(f"unknown ramp shape {ramp.shape!r}", where=f"{where} · ramp",
                         hint=f"use {' or '.join(RAMP_SHAPES)}")
    if isinstance(ramp.hours, bool) or not isinstance(ramp.hours, (int, float)) or not ramp.hours > 0:
        raise ModelError(f"a ramp lasts more than 0 hours, not {ramp.hours!r}", where=f"{where} · ramp",
                         hint="give the ramp its length (linear) or half-life (learning curve) in hours")
    if not ramp_values_match(ramp.launch_value, change.value):
        raise ModelError("the ramp's value at launch is not the same kind of value as the change's",
                         where=f"{where} · ramp", hint="give one number, or one per weekday as the change has")


def _operand_at(timed: _Timed, piece_start: float) -> Any:
    """The change's operand on the piece starting at ``piece_start`` (a ramp's value at its step's midpoint)."""
    ramp = timed.change.ramp
    if ramp is None or piece_start >= timed.ramp_end_s:
        return timed.change.value
    step = RAMP_STEP_H * 3600.0
    j = math.floor((piece_start - timed.start_s) / step + 1e-9)
    lo = timed.start_s + j * step
    hi = min(lo + step, timed.ramp_end_s)
    elapsed_h = ((lo + hi) / 2.0 - timed.start_s) / 3600.0
    # a count's ramp is rounded where the field is written (flowmodel.scenarios)
    return ramp_operand(ramp.launch_value, timed.change.value, ramp.shape, ramp.hours, elapsed_h)


def _grid(changes: list[_Timed], span_s: float) -> list[float]:
    points = {0.0}
    step = RAMP_STEP_H * 3600.0
    for timed in changes:
        for t in (timed.start_s, timed.end_s):
            if 0.0 < t < span_s:
                points.add(t)
        if timed.change.ramp is not None:
            t = timed.start_s
            while t < min(timed.ramp_end_s, timed.end_s, span_s):
                if t > 0.0:
                    points.add(t)
                t += step
            if 0.0 < timed.ramp_end_s < span_s:
                points.add(timed.ramp_end_s)
    return sorted(points)


def _fragment(baseline: Workflow, kind: str, owner: str) -> Workflow:
    """A small workflow holding copies of just what the part's changes touch (cheap to copy per piece), from
    ``baseline`` — the statically changed model."""
    fragment = Workflow(name=baseline.name, id=baseline.id)
    if kind == "team" or owner in baseline.teams:
        fragment.teams[owner] = copy.deepcopy(baseline.teams[owner])
        return fragment
    fragment.nodes[owner] = copy.deepcopy(baseline.nodes[owner])
    for edge in baseline.outgoing(owner):
        fragment.edges[edge.id] = copy.deepcopy(edge)
        if edge.target not in fragment.nodes:
            fragment.nodes[edge.target] = baseline.nodes[edge.target]
    return fragment


class _Part:
    """One part's changes and how to evaluate it on a piece, per item class."""

    def __init__(self, baseline: Workflow, kind: str, owner: str, changes: list[_Timed]) -> None:
        self.baseline = baseline
        self.kind = kind
        self.owner = owner
        self.changes = changes

    def active(self, t: float) -> list[_Timed]:
        return [c for c in self.changes if c.start_s <= t < c.end_s]

    def model(self, active: list[_Timed], t: float, where: str) -> Workflow:
        """The part's owner with the ``active`` changes applied (the caller picks those that match its classes)."""
        fragment = _fragment(self.baseline, self.kind, self.owner)
        for timed in active:
            change = dataclasses.replace(timed.change, value=_operand_at(timed, t), start="", end="", ramp=None,
                                         scope=None)
            try:
                apply_change(fragment, change)
            except ModelError as error:
                raise ModelError(error.message, where=f"{where} · {error.where}", hint=error.hint) from None
        return fragment

    def by_signature(self, active: list[_Timed], t: float, classes: tuple[ItemClass, ...],
                     where: str) -> list[Workflow]:
        """Per item class: the part's model for that class on the piece (one model per scope signature)."""
        models: dict[tuple[int, ...], Workflow] = {}
        out = []
        for item_class in classes:
            signature = tuple(i for i, timed in enumerate(active)
                              if timed.change.scope is None or timed.change.scope.matches(*item_class[:3]))
            if signature not in models:
                models[signature] = self.model([active[i] for i in signature], t, where)
            out.append(models[signature])
        return out


def _instant_words(t: float, launch_s: float) -> str:
    days = (t - launch_s) / 86400.0
    return "the launch" if abs(days) < 1e-9 else f"launch {'+' if days > 0 else '−'} {abs(days):g} d"


def compile_launch(baseline: Workflow, model: Workflow, scenario: Scenario, classes: tuple[ItemClass, ...],
                   index_of: dict[str, int], run_start: datetime, horizon_s: float, end_cap_s: float,
                   nodes: list[Any], teams: list[Any]) -> tuple[LaunchPlan, list[Any], list[Any]]:
    """The plan's steps and backfills, with ``nodes`` (source rate tables) and ``teams`` (capacity timelines)
    updated where the plan changes them; ``model`` is the statically changed workflow the specs came from."""
    from simulations.spec import compile_routing  # the spec module imports this one

    quality = uses_quality(model)
    name = scenario.name or "scenario"
    launch_s = launch_seconds(scenario.launch, run_start, f"scenario {name!r} · launch")
    parts: dict[tuple[str, str], list[_Timed]] = {}
    dynamic: set[tuple[str, str]] = set()
    for position, change in enumerate(scenario.changes):
        where = f"scenario {name!r} · change {position + 1}"
        if change.is_static():
            continue  # in ``model`` already, which every piece starts from
        key = part_of(baseline, change)
        parts.setdefault(key, []).append(_timed(change, launch_s, run_start, where))
        dynamic.add(key)
    for training in scenario.trainings:
        _check_training(training, baseline, name)
        dynamic.add(("team", training.team))
        parts.setdefault(("team", training.team), [])

    steps: list[Step] = []
    nodes = list(nodes)
    teams = list(teams)
    for key in sorted(dynamic):
        kind, owner = key
        part = _Part(model, kind, owner, parts[key])
        where = f"scenario {name!r} · {_owner_name(baseline, kind, owner)}"
        if kind == "team":
            index = next(i for i, t in enumerate(teams) if t.id == owner)
            team_spec = teams[index]
            grid = _grid(part.changes, end_cap_s)
            pieces = [(a, b, part.model(part.active(a), a, f"{where} from {_instant_words(a, launch_s)}")
                       .teams[owner]) for a, b in zip(grid, [*grid[1:], end_cap_s], strict=True)]
            timeline = spliced_timeline(pieces, run_start, end_cap_s, where)
            for training in scenario.trainings:
                if training.team == owner:
                    timeline = training_removed(timeline, training, model.teams[owner], launch_s, run_start,
                                                f"scenario {name!r} · training {training.name!r}")
            teams[index] = dataclasses.replace(team_spec, timeline=timeline)
            continue
        if kind in ("accuracy", "truth"):
            steps += quality_steps(part, model, classes, index_of, _grid(part.changes, end_cap_s),
                                   lambda a, w=where: f"{w} from {_instant_words(a, launch_s)}")
            continue
        node_index = index_of[owner]
        grid = _grid(part.changes, horizon_s if kind == "rate" else end_cap_s)
        previous: Any = _initial(nodes[node_index], kind)
        rate_pieces: list[tuple[float, float, Source]] = []
        for a, b in zip(grid, [*grid[1:], horizon_s if kind == "rate" else end_cap_s], strict=True):
            at = f"{where} from {_instant_words(a, launch_s)}"
            per_class = part.by_signature(part.active(a), a, classes, at)
            if kind == "handle":
                payload: Any = tuple(_handle_spec(m.nodes[owner], c, at) for m, c in zip(per_class, classes,
                                                                                        strict=True))
            elif kind == "transit":
                payload = _transit_spec(per_class[0].nodes[owner], at)
            elif kind == "route" and quality:
                payload = quality_routing_per_class(per_class, owner, classes, index_of, at)
            elif kind == "route":
                payload = compile_routing(per_class, owner, classes, index_of, at)
            else:
                source, mix = _rate_piece(per_class, owner, classes, nodes[node_index], at)
                rate_pieces.append((a, b, source))
                payload = mix
            if payload != previous:
                steps.append(Step(a, "mix" if kind == "rate" else kind, node_index, payload))
                previous = payload
        if kind == "rate":
            table = _spliced_rates(rate_pieces, run_start, horizon_s, where)
            nodes[node_index] = dataclasses.replace(nodes[node_index], rates=table)
    backfills = tuple(_backfill(b, baseline, classes, index_of, launch_s, run_start, horizon_s, name)
                      for b in scenario.backfills)
    steps.sort(key=lambda s: s.at_s)
    return LaunchPlan(tuple(steps), backfills), nodes, teams


def _owner_name(baseline: Workflow, kind: str, owner: str) -> str:
    item = baseline.teams.get(owner) if kind == "team" else baseline.nodes.get(owner)
    return f"{'team' if kind == 'team' else 'node'} {item.name if item is not None else owner!r}"


def _initial(spec: Any, kind: str) -> Any:
    """What the static spec already has in force for ``kind`` (so an equal first piece emits no step)."""
    if kind == "handle":
        return tuple(spec.handle[i] for i in spec.handle_by_class)
    if kind == "transit":
        return spec.latency if spec.kind == "classifier" else spec.duration
    if kind == "route":
        return spec.routing
    return (spec.mix_classes, spec.mix_cumulative)


def _handle_spec(stage: ReviewStage, item_class: ItemClass, where: str) -> SamplerSpec:
    distribution = stage.handle_time_by_category.get(item_class.category, stage.handle_time)
    return sampler_spec(distribution, f"{where} · handle time")


def _transit_spec(node: Node, where: str) -> SamplerSpec:
    if isinstance(node, Classifier):
        return sampler_spec(node.latency, f"{where} · latency")
    assert isinstance(node, Delay)
    return sampler_spec(node.duration, f"{where} · duration")


def _rate_piece(per_class: list[Workflow], owner: str, classes: tuple[ItemClass, ...], spec: Any,
                where: str) -> tuple[Source, tuple[tuple[int, ...], tuple[float, ...]]]:
    """The source with its total rate on the piece, and its mix (unchanged unless a scoped change is active)."""
    rates = [m.nodes[owner].rate_per_hour for m in per_class]  # type: ignore[union-attr]
    first = per_class[spec.mix_classes[0]].nodes[owner]
    assert isinstance(first, Source)
    members = spec.mix_classes
    if all(rates[c] == rates[members[0]] for c in members):
        return first, (spec.mix_classes, spec.mix_cumulative)
    cumulative_in = spec.mix_cumulative
    shares = [cumulative_in[0]] + [b - a for a, b in itertools.pairwise(cumulative_in)]
    weights = [max(0.0, rates[c]) * share for c, share in zip(members, shares, strict=True)]
    total = sum(weights)
    if total <= 0:
        return dataclasses.replace(first, rate_per_hour=0.0), (spec.mix_classes, spec.mix_cumulative)
    return dataclasses.replace(first, rate_per_hour=total), (members, cumulative(weights))


def _spliced_rates(pieces: list[tuple[float, float, Source]], run_start: datetime, horizon_s: float,
                   where: str) -> RateTable:
    times: list[float] = []
    rates: list[float] = []
    for a, b, source in pieces:
        if a >= horizon_s:
            break
        table = rate_table(source, run_start, horizon_s, where, window=(a, min(b, horizon_s)))
        for t, r in zip(table.times, table.rates, strict=True):
            if not rates or rates[-1] != r:
                times.append(t)
                rates.append(r)
    return RateTable(tuple(times), tuple(rates), horizon_s)


def _check_training(training: Training, baseline: Workflow, scenario_name: str) -> None:
    where = f"scenario {scenario_name!r} · training {training.name!r}"
    if training.team not in baseline.teams:
        raise ModelError("the training is for a team that does not exist", where=where, hint="pick the team")
    if not training.hours_per_person > 0:
        raise ModelError("a training takes more than 0 hours per person", where=f"{where} · hours per person")
    if isinstance(training.people, bool) or not isinstance(training.people, int) or training.people < 0:
        raise ModelError("a training's people are a whole number ≥ 0 (0: everyone on the team)",
                         where=f"{where} · people")


def _backfill(backfill: Backfill, baseline: Workflow, classes: tuple[ItemClass, ...], index_of: dict[str, int],
              launch_s: float, run_start: datetime, horizon_s: float, scenario_name: str) -> BackfillSpec:
    where = f"scenario {scenario_name!r} · backfill {backfill.name!r}"
    if backfill.target not in index_of:
        raise ModelError("the backfill enters a node that does not exist", where=where,
                         hint="pick the stage the items enter")
    if isinstance(baseline.nodes.get(backfill.target), (Source, Outcome)):
        raise ModelError("a backfill enters a stage, classifier, router or delay, not a source or an outcome",
                         where=where, hint="pick the stage the items enter")
    if isinstance(backfill.items, bool) or not isinstance(backfill.items, int) or backfill.items < 1:
        raise ModelError(f"a backfill has at least 1 item, not {backfill.items!r}", where=f"{where} · items")
    if not backfill.spread_hours >= 0:
        raise ModelError("a backfill is spread over 0 hours (all at once) or more", where=f"{where} · spread")
    start_s = instant_seconds(backfill.start, launch_s, run_start, f"{where} · start")
    cells = [(classes.index(ItemClass(e.category, e.language, e.priority)), e.share) for e in backfill.mix
             if e.share > 0]
    if not cells:
        raise ModelError("the backfill's mix needs an entry with a share above 0", where=f"{where} · mix")
    return BackfillSpec(backfill.id, backfill.name, index_of[backfill.target], int(backfill.items),
                        tuple(c for c, _ in cells), cumulative([share for _, share in cells]), start_s,
                        backfill.spread_hours * 3600.0)
