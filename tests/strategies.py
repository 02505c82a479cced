"""Workflows for property and stress tests.

:func:`workflows` draws random but structurally valid workflows: every node kind with random fields, edges
between existing nodes, teams with shifts working review stages, scenarios with changes, run settings.
"Structurally valid" means a loader must accept it (right types, unique ids, no dangling edges); the
numbers need not make a sensible model — validation is not what these tests are about.
:func:`large_workflow` is a deterministic, big workflow whose every part carries its version number, so
a test can tell a complete save from a torn one.
"""

from __future__ import annotations

from hypothesis import strategies as st

from flowmodel import (
    ArrivalProfile,
    Change,
    Classifier,
    Condition,
    Delay,
    Distribution,
    Edge,
    MixEntry,
    Outcome,
    ReviewStage,
    Router,
    RunSettings,
    Scenario,
    Shift,
    SlaTarget,
    Source,
    Surge,
    Team,
    Workflow,
)
from flowmodel.distributions import DISTRIBUTION_KINDS
from flowmodel.limits import MAX_ABS_NUMBER
from flowmodel.nodes import ITEM_ATTRIBUTES, NODE_KINDS, QUEUE_DISCIPLINES, Node
from flowmodel.scenarios import OPERATIONS

texts = st.text(max_size=12)
#: Numbers a loader accepts (flowmodel.limits.MAX_ABS_NUMBER bounds every number in a document), with room
#: for a test that moves or shifts them.
numbers = st.floats(min_value=-MAX_ABS_NUMBER / 10, max_value=MAX_ABS_NUMBER / 10)
shares = st.floats(min_value=0.0, max_value=1.0)
units = st.sampled_from(("s", "min", "h", "d"))
categories = st.sampled_from(("spam", "hate", "violence", "csam", "fraud", "general"))
languages = st.sampled_from(("en", "es", "de", "ja", "pt", "ar"))
priorities = st.sampled_from(("P0", "P1", "P2", "P3"))
timezones = st.sampled_from(("UTC", "Europe/Dublin", "America/New_York", "Asia/Manila"))

distributions = st.builds(
    Distribution, kind=st.sampled_from(DISTRIBUTION_KINDS), unit=units, mean=numbers, sd=numbers, low=numbers,
    mode=numbers, high=numbers, samples=st.lists(numbers, max_size=4),
)
profiles = st.sampled_from(("flat", "daily", "weekly")).flatmap(
    lambda kind: st.builds(ArrivalProfile, kind=st.just(kind),
                           multipliers=st.lists(shares, min_size=ArrivalProfile(kind).hours(),
                                                max_size=ArrivalProfile(kind).hours())))
surges = st.builds(Surge, start_hour=numbers, duration_hours=numbers, multiplier=numbers, label=texts)
mix_entries = st.builds(MixEntry, category=categories, language=languages, priority=priorities, share=shares)
sla_targets = st.builds(SlaTarget, priority=priorities, within=numbers, unit=units, share=shares)
shifts = st.builds(Shift, name=texts, start_hour=numbers,
                   hours=numbers, headcount=st.lists(st.integers(0, 500), min_size=7, max_size=7))
change_values = st.one_of(numbers, st.integers(-10**6, 10**6), texts, st.booleans(), st.lists(numbers, max_size=7))
run_settings = st.builds(
    RunSettings, horizon_hours=numbers, warmup_hours=numbers, replications=st.integers(0, 1000),
    seed=st.integers(0, int(MAX_ABS_NUMBER)), interval_minutes=numbers, start_weekday=st.integers(0, 6),
    start_date=st.dates().map(str),
)


def _node(kind: str, node_id: str) -> st.SearchStrategy[Node]:
    common = {"name": texts, "id": st.just(node_id), "x": numbers, "y": numbers, "notes": texts}
    if kind == "source":
        return st.builds(Source, rate_per_hour=numbers, timezone=timezones, profile=profiles,
                         surges=st.lists(surges, max_size=2), mix=st.lists(mix_entries, max_size=3), **common)
    if kind == "classifier":
        return st.builds(Classifier, latency=distributions, **common)
    if kind == "review_stage":
        return st.builds(ReviewStage, discipline=st.sampled_from(QUEUE_DISCIPLINES), handle_time=distributions,
                         handle_time_by_category=st.dictionaries(categories, distributions, max_size=2),
                         sla=st.lists(sla_targets, max_size=2), expiry=st.none() | distributions,
                         priority_order=st.lists(priorities, max_size=4), **common)
    if kind == "router":
        return st.builds(Router, mode=st.sampled_from(("attribute", "probability")),
                         attribute=st.sampled_from(ITEM_ATTRIBUTES), **common)
    if kind == "delay":
        return st.builds(Delay, duration=distributions, **common)
    return st.builds(Outcome, label=texts, **common)


@st.composite
def workflows(draw: st.DrawFn, max_nodes: int = 7) -> Workflow:
    """A random, structurally valid workflow (see the module docstring)."""
    kinds = draw(st.lists(st.sampled_from(NODE_KINDS), min_size=1, max_size=max_nodes))
    edge_ends = draw(st.lists(st.tuples(st.integers(0, len(kinds) - 1), st.integers(0, len(kinds) - 1)),
                              max_size=2 * len(kinds)))
    team_count = draw(st.integers(0, 3))
    scenario_count = draw(st.integers(0, 3))
    total = 1 + len(kinds) + len(edge_ends) + team_count + scenario_count
    ids = draw(st.lists(st.uuids().map(lambda u: u.hex), min_size=total, max_size=total, unique=True))
    workflow = Workflow(name=draw(texts), id=ids.pop(), description=draw(texts), run_settings=draw(run_settings))
    for kind in kinds:
        workflow.add_node(draw(_node(kind, ids.pop())))
    node_ids = list(workflow.nodes)
    for a, b in edge_ends:
        workflow.add_edge(Edge(
            source=node_ids[a], target=node_ids[b], id=ids.pop(), label=draw(texts),
            probability=draw(st.none() | shares),
            probability_by_category=draw(st.dictionaries(categories, shares, max_size=2)),
            condition=draw(st.none() | st.builds(Condition, attribute=st.sampled_from(ITEM_ATTRIBUTES),
                                                 values=st.lists(languages, max_size=3))),
            otherwise=draw(st.booleans())))
    stage_ids = [n.id for n in workflow.nodes.values() if n.kind == "review_stage"]
    for _ in range(team_count):
        workflow.add_team(Team(
            name=draw(texts), id=ids.pop(), languages=draw(st.lists(languages, max_size=3)),
            categories=draw(st.lists(categories, max_size=3)), timezone=draw(timezones),
            shifts=draw(st.lists(shifts, max_size=3)), shrinkage=draw(shares), hourly_cost=draw(numbers),
            stages=draw(st.lists(st.sampled_from(stage_ids), unique=True)) if stage_ids else []))
    targets = list(workflow.nodes) + list(workflow.teams)
    for _ in range(scenario_count):
        changes = draw(st.lists(st.builds(Change, target=st.sampled_from(targets), path=texts,
                                          op=st.sampled_from(OPERATIONS), value=change_values, note=texts),
                                max_size=3))
        workflow.put_scenario(Scenario(name=draw(texts), id=ids.pop(), description=draw(texts), changes=changes))
    return workflow


def large_workflow(version: int, stages: int = 120) -> Workflow:
    """A chain of ``stages`` review stages with teams and scenarios; ids are fixed and every part carries
    ``version`` (names, notes, descriptions, seed), and the scenario count varies with it, so a loaded
    copy is either exactly ``large_workflow(v)`` for some ``v`` or visibly torn."""
    tag = f"v{version}"
    workflow = Workflow(name=f"Load test {tag}", id="large-workflow", description=tag,
                        run_settings=RunSettings(seed=version))
    source = workflow.add_node(Source(name="Reports", id="source", rate_per_hour=100.0 + version, notes=tag))
    done = workflow.add_node(Outcome(name="Done", id="done", label="done", notes=tag))
    previous = source.id
    for i in range(stages):
        stage = workflow.add_node(ReviewStage(
            name=f"Stage {i}", id=f"stage-{i}", notes=tag, x=float(i), y=float(version),
            handle_time=Distribution.lognormal(3.0 + version, 1.0, "min"),
            sla=[SlaTarget(priority=p, within=24.0, share=0.9) for p in ("P0", "P1", "P2")]))
        workflow.add_edge(Edge(previous, stage.id, id=f"edge-{i}", label=tag, probability=1.0))
        workflow.add_team(Team(name=f"Team {i} {tag}", id=f"team-{i}", stages=[stage.id],
                               shifts=[Shift(name=tag, headcount=[version % 50] * 7)]))
        previous = stage.id
    workflow.add_edge(Edge(previous, done.id, id="edge-done", label=tag, probability=1.0))
    for j in range(10 + version % 7):
        workflow.put_scenario(Scenario(name=f"Scenario {j} {tag}", id=f"scenario-{j}", description=tag, changes=[
            Change(target=f"stage-{k}", path="handle_time.mean", op="add", value=float(version))
            for k in range(0, stages, 10)]))
    return workflow
