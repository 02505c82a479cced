"""One test per validation rule: a clean model broken in exactly one way reports exactly that rule.

Every case starts from :func:`clean_workflow`, which validates with no issue at all (that is the
"fixed model" of every case), breaks one thing and checks the rule code, the severity, the node, edge or
team it points at and the field.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
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
    Scenario,
    Shift,
    SlaTarget,
    Source,
    Surge,
    Team,
    Workflow,
)
from flowmodel.validation import Issue, errors, validate


def around_the_clock(headcount: int) -> list[Shift]:
    return [Shift(name="all day", start_hour=0, hours=24, headcount=[headcount] * 7)]


def clean_workflow() -> Workflow:
    """Reports → classifier → language router → EN / ES review → outcomes, with an appeal loop after EN.

    60 reports/h; 48/h reach the router, 24/h per language. EN: 0.8 erlangs, appeals 2.4/h ÷ 0.9 at
    10 min = 0.44 erlangs, both worked by the EN team (7 available); ES: 1.2 erlangs, ES team 3.5 available.
    """
    workflow = Workflow(name="Clean")
    add = workflow.add_node
    reports = add(Source(name="Reports", rate_per_hour=60.0, mix=[
        MixEntry("hate", "en", "P1", 0.25), MixEntry("spam", "en", "P2", 0.25), MixEntry("spam", "es", "P2", 0.5)]))
    classifier = add(Classifier(name="Classifier"))
    router = add(Router(name="By language", mode="attribute", attribute="language"))
    english = add(ReviewStage(name="EN review", handle_time=Distribution.fixed(2, "min"),
                              sla=[SlaTarget("P1", 1, "h", 0.95), SlaTarget("P2", 24, "h", 0.9)]))
    spanish = add(ReviewStage(name="ES review", handle_time=Distribution.fixed(3, "min")))
    window = add(Delay(name="Appeal window", duration=Distribution.fixed(3, "d")))
    appeals = add(ReviewStage(name="Appeal review", handle_time=Distribution.fixed(10, "min")))
    auto_removed, removed, kept, upheld = (add(Outcome(name=n, label=n.lower()))
                                           for n in ("Auto-removed", "Removed", "Kept", "Upheld"))
    edge = workflow.add_edge
    edge(Edge(reports.id, classifier.id, probability=1.0))
    edge(Edge(classifier.id, auto_removed.id, label="auto-remove", probability=0.2))
    edge(Edge(classifier.id, router.id, label="review", probability=0.8))
    edge(Edge(router.id, english.id, condition=Condition("language", ["en"])))
    edge(Edge(router.id, spanish.id, condition=Condition("language", ["es"])))
    edge(Edge(english.id, kept.id, label="keep", probability=0.6))
    edge(Edge(english.id, removed.id, label="remove", probability=0.3))
    edge(Edge(english.id, window.id, label="appealed", probability=0.1))
    edge(Edge(spanish.id, kept.id, label="keep", probability=1.0))
    edge(Edge(window.id, appeals.id))
    edge(Edge(appeals.id, upheld.id, label="decide", probability=0.9))
    edge(Edge(appeals.id, window.id, label="re-review", probability=0.1))
    workflow.add_team(Team(name="EN team", languages=["en"], shifts=around_the_clock(10),
                           stages=[english.id, appeals.id]))
    workflow.add_team(Team(name="ES team", languages=["es"], shifts=around_the_clock(5), stages=[spanish.id]))
    return workflow


def node(workflow: Workflow, name: str):
    return workflow.node_by_name(name)


def edge_between(workflow: Workflow, source: str, target: str) -> Edge:
    a, b = node(workflow, source).id, node(workflow, target).id
    return next(e for e in workflow.edges.values() if (e.source, e.target) == (a, b))


def team(workflow: Workflow, name: str) -> Team:
    return workflow.team_by_name(name)


@dataclass
class Case:
    """Break one thing; the breaker returns where the issue must point: {"node"|"edge"|"team": ..., "field": ...}."""

    rule: str
    breaker: Callable[[Workflow], dict]
    severity: str = "error"
    also: frozenset[str] = frozenset()


def _dangling(w: Workflow) -> dict:
    bad = Edge(node(w, "ES review").id, "no-such-node", probability=0.0)
    w.edges[bad.id] = bad
    return {"edge": bad.id, "field": "target"}


def _add_edge(w: Workflow, source: str, target: str, **fields) -> dict:
    new = w.add_edge(Edge(node(w, source).id, node(w, target).id, **fields))
    return {"edge": new.id}


def _remove_edge(w: Workflow, source: str, target: str) -> None:
    w.remove_edge(edge_between(w, source, target).id)


def _set(obj, **fields) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


def _no_source(w: Workflow) -> dict:
    w.remove_node(node(w, "Reports").id)
    return {}


def _dead_end(w: Workflow) -> dict:
    limbo = w.add_node(Delay(name="Limbo"))
    nowhere = w.add_node(ReviewStage(name="Nowhere"))
    w.add_edge(Edge(node(w, "ES review").id, limbo.id, probability=0.0))
    w.add_edge(Edge(limbo.id, nowhere.id))
    team(w, "ES team").stages.append(nowhere.id)
    return {"node": limbo.id}


def _loop_closed_for_hate_speech(w: Workflow) -> dict:
    """Appeals pass an automated screen that never lets hate-speech appeals out of the loop."""
    screen = w.add_node(Classifier(name="Appeal screen"))
    _remove_edge(w, "Appeal window", "Appeal review")
    _remove_edge(w, "Appeal review", "Upheld")
    edge_between(w, "Appeal review", "Appeal window").probability = 1.0
    _add_edge(w, "Appeal window", "Appeal screen", probability=1.0)
    w.add_edge(Edge(screen.id, node(w, "Upheld").id, probability=0.9, probability_by_category={"hate": 0.0}))
    w.add_edge(Edge(screen.id, node(w, "Appeal review").id, probability=0.1, probability_by_category={"hate": 1.0}))
    return {"node": node(w, "Appeal window").id}


def _edge_field(source: str, target: str, field: str, **fields) -> Callable[[Workflow], dict]:
    def breaker(w: Workflow) -> dict:
        found = edge_between(w, source, target)
        _set(found, **fields)
        return {"edge": found.id, "field": field}
    return breaker


def _node_field(name: str, field: str, **fields) -> Callable[[Workflow], dict]:
    def breaker(w: Workflow) -> dict:
        _set(node(w, name), **fields)
        return {"node": node(w, name).id, "field": field}
    return breaker


def _team_field(name: str, field: str | None, **fields) -> Callable[[Workflow], dict]:
    def breaker(w: Workflow) -> dict:
        _set(team(w, name), **fields)
        return {"team": team(w, name).id, "field": field}
    return breaker


def _handle_times(english: float, appeals: float) -> Callable[[Workflow], dict]:
    def breaker(w: Workflow) -> dict:
        node(w, "EN review").handle_time = Distribution.fixed(english, "min")
        node(w, "Appeal review").handle_time = Distribution.fixed(appeals, "min")
        return {"node": node(w, "EN review").id, "team": team(w, "EN team").id}
    return breaker


def _overloaded_stage(w: Workflow) -> dict:
    node(w, "EN review").handle_time = Distribution.fixed(20, "min")  # 24/h × 20 min = 8 erlangs vs 7
    return {"node": node(w, "EN review").id}


def _near_capacity_stage(w: Workflow) -> dict:
    node(w, "EN review").handle_time = Distribution.fixed(16.8, "min")  # 6.72 erlangs = 96 % of 7
    return {"node": node(w, "EN review").id}


CASES = [
    Case("dangling-edge", _dangling),
    Case("no-source", _no_source),
    Case("no-outcome", lambda w: (w.nodes.clear(), w.edges.clear(), w.teams.clear(),
                                  w.add_node(Source(name="Lonely")), {})[-1],
         also=frozenset({"no-outgoing-edge"})),
    Case("source-has-incoming", lambda w: {**_add_edge(w, "ES review", "Reports", probability=0.0),
                                           "node": node(w, "Reports").id}),
    Case("outcome-has-outgoing", lambda w: {**_add_edge(w, "Kept", "Removed"), "node": node(w, "Kept").id}),
    Case("self-loop", lambda w: _add_edge(w, "ES review", "ES review", probability=0.0)),
    Case("duplicate-edge", lambda w: _add_edge(w, "ES review", "Kept", probability=0.0)),
    Case("no-outgoing-edge", lambda w: (_remove_edge(w, "ES review", "Kept"), {"node": node(w, "ES review").id})[1]),
    Case("delay-edges", lambda w: {**_add_edge(w, "Appeal window", "Upheld"), "node": node(w, "Appeal window").id,
                                   "edge": None}),
    Case("unreachable-node", lambda w: {"node": w.add_node(Outcome(name="Orphan")).id}),
    Case("dead-end", _dead_end, also=frozenset({"no-outgoing-edge"})),
    Case("loop-without-exit", lambda w: (_edge_field("Appeal review", "Upheld", "", probability=0.0)(w),
                                         _edge_field("Appeal review", "Appeal window", "", probability=1.0)(w),
                                         {"node": node(w, "Appeal window").id})[-1]),
    Case("loop-without-exit", _loop_closed_for_hate_speech),
    Case("probability-missing", _edge_field("EN review", "Kept", "probability", probability=None)),
    Case("probability-range", _edge_field("EN review", "Kept", "probability", probability=1.5)),
    Case("probability-sum", lambda w: {**_edge_field("EN review", "Kept", "", probability=0.5)(w),
                                       "edge": None, "node": node(w, "EN review").id, "field": "probability"}),
    Case("probability-sum", lambda w: {**_edge_field("Classifier", "Auto-removed", "",
                                                     probability_by_category={"hate": 0.5})(w),
                                       "edge": None, "node": node(w, "Classifier").id,
                                       "field": "probability_by_category.hate"}),
    Case("category-probabilities-ignored", _edge_field("EN review", "Kept", "probability_by_category",
                                                       probability_by_category={"hate": 0.6}), severity="warning"),
    Case("router-edge-condition", _edge_field("By language", "ES review", "condition", otherwise=True)),
    Case("router-multiple-otherwise", lambda w: (
        _edge_field("By language", "ES review", "", condition=None, otherwise=True)(w),
        _add_edge(w, "By language", "Kept", otherwise=True),
        {"node": node(w, "By language").id})[-1]),
    Case("router-condition-attribute", _edge_field("By language", "EN review", "condition.attribute",
                                                   condition=Condition("category", ["en"]))),
    Case("router-condition-overlap", _edge_field("By language", "ES review", "condition.values",
                                                 condition=Condition("language", ["es", "en"]))),
    Case("router-not-exhaustive", lambda w: {**_edge_field("By language", "ES review", "",
                                                           condition=Condition("language", ["pt"]))(w),
                                             "edge": None, "node": node(w, "By language").id, "field": "condition"}),
    Case("invalid-rate", _node_field("Reports", "rate_per_hour", rate_per_hour=0.0)),
    Case("invalid-mix", lambda w: (_set(node(w, "Reports").mix[0], share=-0.1),
                                   {"node": node(w, "Reports").id, "field": "mix.0.share"})[1]),
    Case("invalid-mix", lambda w: (_set(node(w, "Reports").mix[0], share=0.15),
                                   {"node": node(w, "Reports").id, "field": "mix"})[1]),
    Case("invalid-profile", _node_field("Reports", "profile.multipliers",
                                        profile=ArrivalProfile("daily", [1.0] * 23))),
    Case("invalid-profile", _node_field("Reports", "profile.multipliers",
                                        profile=ArrivalProfile("weekly", [0.0] * 168))),
    Case("invalid-surge", _node_field("Reports", "surges.0.multiplier", surges=[Surge(5, 2, -1.0, "bad")])),
    Case("unknown-timezone", _node_field("Reports", "timezone", timezone="Europe/Atlantis")),
    Case("unknown-timezone", _team_field("ES team", "timezone", timezone="Mexico City")),
    Case("invalid-distribution", _node_field("EN review", "handle_time.sd",
                                             handle_time=Distribution.lognormal(3, 0, "min"))),
    Case("invalid-distribution", _node_field("Appeal window", "duration.high",
                                             duration=Distribution.uniform(2, 1, "d"))),
    Case("invalid-choice", _node_field("By language", "mode", mode="by-hand")),
    Case("invalid-choice", _node_field("EN review", "discipline", discipline="lifo")),
    Case("invalid-distribution", _node_field("Classifier", "latency", latency=5)),
    Case("invalid-sla", _node_field("EN review", "sla.P1.share", sla=[SlaTarget("P1", 1, "h", 1.5)])),
    Case("invalid-shrinkage", _team_field("ES team", "shrinkage", shrinkage=1.0)),
    Case("invalid-headcount", _team_field("ES team", "shifts.all day.headcount",
                                          shifts=[Shift("all day", 0, 24, [5, 5, 5, 5, 5, 5, -1])])),
    Case("invalid-shift-hours", _team_field("ES team", "shifts.all day.hours",
                                            shifts=[Shift("all day", 0, 25, [5] * 7)])),
    Case("invalid-cost", _team_field("ES team", "hourly_cost", hourly_cost=-5.0)),
    Case("team-stage-unknown", lambda w: (team(w, "ES team").stages.append("gone"),
                                          {"team": team(w, "ES team").id, "field": "stages"})[1]),
    Case("team-stage-not-review", lambda w: (team(w, "ES team").stages.append(node(w, "Classifier").id),
                                             {"team": team(w, "ES team").id, "field": "stages"})[1]),
    Case("invalid-run-settings", lambda w: (_set(w.run_settings, replications=0),
                                            {"field": "run_settings.replications"})[1]),
    Case("scenario-does-not-apply", lambda w: (w.put_scenario(Scenario("Broken", changes=[
        Change("deleted-node", "rate_per_hour", "scale", 2.0)])), {"field": "scenarios"})[1], severity="warning"),
    Case("stage-without-team", lambda w: (_team_field("ES team", None, stages=[])(w),
                                          {"node": node(w, "ES review").id})[1]),
    Case("stage-unstaffed", lambda w: (_team_field("ES team", None, shifts=around_the_clock(0))(w),
                                       {"node": node(w, "ES review").id})[1]),
    Case("stage-skills-gap", lambda w: (_team_field("ES team", None, languages=["pt"])(w),
                                        {"node": node(w, "ES review").id})[1]),
    Case("stage-overloaded", _overloaded_stage, severity="warning"),
    Case("stage-near-capacity", _near_capacity_stage, severity="warning"),
    Case("pool-overloaded", _handle_times(15, 25), severity="warning"),  # 6.0 + 1.11 erlangs vs 7
    Case("pool-near-capacity", _handle_times(15, 18), severity="warning"),  # 6.0 + 0.8 = 97 % of 7
    Case("sla-infeasible", _node_field("EN review", "sla.P1.within", sla=[SlaTarget("P1", 1, "min", 0.95)]),
         severity="warning"),
]


def test_the_clean_workflow_has_no_issue():
    assert validate(clean_workflow()) == []


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{i}" for i, c in enumerate(CASES)])
def test_breaking_one_rule_reports_exactly_that_rule(case: Case):
    workflow = clean_workflow()
    where = case.breaker(workflow)
    issues = validate(workflow)
    assert {i.rule for i in issues} == {case.rule} | case.also
    issue = next(i for i in issues if i.rule == case.rule)
    assert issue.severity == case.severity
    for key, attribute in (("node", "node_id"), ("edge", "edge_id"), ("team", "team_id"), ("field", "field")):
        if key in where:
            assert getattr(issue, attribute) == where[key], (key, issue)
    assert issue.hint
    named = workflow.find(issue.node_id or issue.team_id or "")
    if named is not None:
        assert named.name in issue.message


def test_an_overloaded_stage_says_how_many_reviewers_to_add():
    workflow = clean_workflow()
    _overloaded_stage(workflow)
    (issue,) = validate(workflow)
    # 8 erlangs / 0.85 − 7 = 2.41 more available; a 40 h/week reviewer at 30 % shrinkage gives 40/168 × 0.7.
    expected = math.ceil((8 / 0.85 - 7) / (40 / 168 * 0.7))
    assert f"add {expected} reviewers or reduce load" in issue.message
    assert "the backlog will grow without bound" in issue.message


def test_errors_keeps_only_blocking_issues():
    warning = Issue("warning", "w", "h", rule="stage-near-capacity")
    error = Issue("error", "e", "h", rule="no-source")
    assert errors([warning, error]) == [error]


def test_load_warnings_wait_until_the_model_has_no_errors():
    workflow = clean_workflow()
    _overloaded_stage(workflow)
    workflow.add_node(Outcome(name="Orphan"))
    assert [i.rule for i in validate(workflow)] == ["unreachable-node"]


def test_expiry_without_an_expired_outcome_is_fine():
    workflow = clean_workflow()
    node(workflow, "ES review").expiry = Distribution.fixed(2, "d")
    assert validate(workflow) == []


GARBAGE = st.sampled_from([None, "x", math.nan, -1, 0, 1e300, [], {}, True])
FIELDS = st.sampled_from([
    ("Reports", "rate_per_hour"), ("Reports", "timezone"), ("Reports", "mix"), ("Reports", "profile"),
    ("Reports", "surges"), ("EN review", "handle_time"), ("EN review", "sla"), ("EN review", "expiry"),
    ("EN review", "handle_time_by_category"), ("Appeal window", "duration"), ("Classifier", "latency"),
    ("By language", "mode"), ("By language", "attribute"),
])


@settings(max_examples=150, deadline=None)
@given(FIELDS, GARBAGE)
def test_validation_reports_instead_of_raising_on_nonsense_values(target, value):
    workflow = clean_workflow()
    setattr(node(workflow, target[0]), target[1], value)
    issues = validate(workflow)
    assert all(isinstance(i, Issue) and i.rule and i.message for i in issues)
