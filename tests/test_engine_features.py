"""Engine features checked on tiny cases with hand-computed, exact event traces.

Scripted arrivals (fixed times, no randomness) and fixed handle times make every start, expiry and
backlog value computable by hand; the sources' own Poisson rate is negligible (1e-9 per hour).
"""

from __future__ import annotations

from collections import Counter

import pytest
from engine_models import round_the_clock, settings, single_stage
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

from flowmodel import (
    Classifier,
    Condition,
    Delay,
    Distribution,
    Edge,
    MixEntry,
    Outcome,
    ReviewStage,
    Router,
    Shift,
    SlaTarget,
    Source,
    Team,
    Workflow,
)
from simulations.collect import collect
from simulations.engine import Replication, run_replication
from simulations.results import ReplicationResult
from simulations.spec import ItemClass, RunSpec, compile_run

NEVER = 1e-9  # arrivals per hour: no Poisson arrival within any test horizon
MINUTE, HOUR = 60.0, 3600.0
PRIORITIES = [MixEntry(priority=p, share=0.25) for p in ("P0", "P1", "P2", "P3")]


def traced_run(spec: RunSpec, arrivals: list[tuple[float, str, ItemClass]]
               ) -> tuple[list[tuple[str, float, int, str, str]], ReplicationResult]:
    """Run replication 0 with scripted arrivals (time s, source id, class); returns the trace and result."""
    run = Replication(spec, 0)
    trace: list[tuple[str, float, int, str, str]] = []
    run.trace = lambda kind, time, item, place, team: trace.append((kind, time, item.number, place, team))
    for at, source_id, item_class in arrivals:
        run.scripted_arrival(at, source_id, spec.item_classes.index(item_class))
    end = run.run(None, None)
    return trace, collect(run, end)


def starts(trace: list[tuple[str, float, int, str, str]]) -> list[tuple[int, float]]:
    return [(number, time) for kind, time, number, _, _ in trace if kind == "start"]


def p(priority: str) -> ItemClass:
    return ItemClass("general", "en", priority)


# Five items at one reviewer with a fixed 10-minute handle time: A (P3) starts at once; B (P2), C (P0),
# D (P1), E (P0) arrive while A is in hand and wait.
QUEUE_ARRIVALS = [(0.0, "P3"), (1 * MINUTE, "P2"), (2 * MINUTE, "P0"), (3 * MINUTE, "P1"), (4 * MINUTE, "P0")]


@pytest.mark.parametrize(("discipline", "expected_order"), [
    ("fifo", [1, 2, 3, 4, 5]),
    ("priority", [1, 3, 5, 4, 2]),  # P0 (C, E) then P1 (D) then P2 (B)
    # deadlines: B none; C 2 min + 60 min; D 3 min + 30 min; E 4 min + 60 min  →  D, C, E, B
    ("earliest_deadline", [1, 4, 3, 5, 2]),
])
def test_queue_discipline_orders_starts_exactly(discipline: str, expected_order: list[int]) -> None:
    sla = [SlaTarget("P0", 60, "min", 0.9), SlaTarget("P1", 30, "min", 0.9)]
    workflow = single_stage(NEVER, Distribution.fixed(10, "min"), 1, discipline=discipline, mix=PRIORITIES, sla=sla)
    spec = compile_run(workflow, None, settings(2))
    trace, _ = traced_run(spec, [(at, "reports", p(priority)) for at, priority in QUEUE_ARRIVALS])
    assert starts(trace) == [(number, k * 10 * MINUTE) for k, number in enumerate(expected_order)]


def two_stage_team_workflow() -> Workflow:
    """Two sources feed stages "First" and "Second"; one reviewer works [First, Second] in that order."""
    workflow = Workflow(name="Two stages", id="two-stages")
    done = workflow.add_node(Outcome(name="Done", id="done"))
    stage_ids = []
    for name in ("First", "Second"):
        source = workflow.add_node(Source(name=f"{name} reports", id=f"src-{name}", rate_per_hour=NEVER))
        stage = workflow.add_node(ReviewStage(name=name, id=f"stage-{name}",
                                              handle_time=Distribution.fixed(10, "min")))
        workflow.add_edge(Edge(source.id, stage.id, probability=1.0))
        workflow.add_edge(Edge(stage.id, done.id, probability=1.0))
        stage_ids.append(stage.id)
    workflow.add_team(Team(name="Solo", id="solo", shrinkage=0.0, stages=stage_ids, shifts=round_the_clock(1)))
    return workflow


def test_free_reviewer_takes_the_team_highest_priority_stage_first() -> None:
    spec = compile_run(two_stage_team_workflow(), None, settings(2))
    general = ItemClass("general", "en", "P2")
    trace, _ = traced_run(spec, [(0.0, "src-Second", general), (1 * MINUTE, "src-Second", general),
                                 (2 * MINUTE, "src-First", general)])
    # item 2 waited longer, but "First" ranks above "Second" in the team's list
    assert [(n, t, place) for kind, t, n, place, _ in trace if kind == "start"] == [
        (1, 0.0, "Second"), (3, 10 * MINUTE, "First"), (2, 20 * MINUTE, "Second")]


def test_night_backlog_drains_in_the_morning_as_hand_computed() -> None:
    """One reviewer 09:00–17:00, 10-minute items arriving at hh:15 and hh:45 from 00:15 to 11:45."""
    day_shift = [Shift(name="day", start_hour=9, hours=8, headcount=[1] * 7)]
    workflow = single_stage(NEVER, Distribution.fixed(10, "min"), 1, shifts=day_shift)
    spec = compile_run(workflow, None, settings(24))
    arrivals = [((15 + 30 * k) * MINUTE, "reports", p("P2")) for k in range(24)]
    trace, result = traced_run(spec, arrivals)
    queue = next(s for s in result.series if s.scope_name == "Review" and s.metric == "queue_length")
    in_service = next(s for s in result.series if s.scope_name == "Review" and s.metric == "in_service")
    # snapshot at the end of hour h: 2 arrivals per hour; from 09:00 six starts per hour
    expected_queue = [2 * h for h in range(1, 10)] + [14, 10, 6, 0, 0] + [0] * 10
    assert queue.values == tuple(expected_queue)
    assert in_service.values == tuple([0] * 9 + [1, 1, 1, 1, 0] + [0] * 10)
    assert starts(trace) == [(k + 1, 9 * HOUR + 10 * MINUTE * k) for k in range(24)]
    available = next(s for s in result.series if s.scope_kind == "team" and s.metric == "available_reviewers")
    assert available.values == tuple([0] * 9 + [1] * 8 + [0] * 7)


def test_reviewer_finishes_the_item_in_hand_after_the_shift_ends() -> None:
    """Shift 09:00–10:00; 50-minute items: the second one runs until 10:40, the third waits a day."""
    shift = [Shift(name="short", start_hour=9, hours=1, headcount=[1] * 7)]
    workflow = single_stage(NEVER, Distribution.fixed(50, "min"), 1, shifts=shift)
    spec = compile_run(workflow, None, settings(48))
    trace, result = traced_run(spec, [(8 * HOUR, "reports", p("P2"))] * 3)
    assert starts(trace) == [(1, 9 * HOUR), (2, 9 * HOUR + 50 * MINUTE), (3, 33 * HOUR)]
    assert [t for kind, t, *_ in trace if kind == "outcome"] == [9 * HOUR + 50 * MINUTE, 10 * HOUR + 40 * MINUTE,
                                                                   33 * HOUR + 50 * MINUTE]
    # 150 busy minutes over 2 available hours plus the 40 minutes worked past the end of the first shift
    assert result.metric("team", "Team", "utilisation_share") == pytest.approx(150 / (2 * 60 + 40))
    assert result.metric("team", "Team", "overtime_h") == pytest.approx(40 / 60)


def test_expiry_removes_waiting_items_as_an_outcome() -> None:
    workflow = single_stage(NEVER, Distribution.fixed(1, "h"), 1, expiry=Distribution.fixed(30, "min"))
    spec = compile_run(workflow, None, settings(3))
    trace, result = traced_run(spec, [(10.0, "reports", p("P2")), (20.0, "reports", p("P2")),
                                      (30.0, "reports", p("P2"))])
    assert [(n, t) for kind, t, n, *_ in trace if kind == "expire"] == [(2, 1820.0), (3, 1830.0)]
    assert result.metric("stage", "Review", "expired_count") == 2
    assert result.metric("outcome", "Expired at Review", "count") == 2
    assert result.metric("outcome", "Expired at Review", "time_to_decision_mean_s") == pytest.approx(1800.0)
    assert result.metric("outcome", "Done", "count") == 1
    assert result.metric("system", "system", "expired_count") == 2
    assert result.items_expired == 2
    assert result.items_created == result.items_completed + result.items_expired + result.items_in_system_at_end


def test_per_category_handle_times_override_the_stage_default() -> None:
    mix = [MixEntry(category="spam", share=0.5), MixEntry(category="hate", share=0.5)]
    workflow = single_stage(NEVER, Distribution.fixed(1, "min"), 1, mix=mix)
    workflow.nodes["review"].handle_time_by_category = {"hate": Distribution.fixed(10, "min")}
    spec = compile_run(workflow, None, settings(2))
    spam, hate = ItemClass("spam", "en", "P2"), ItemClass("hate", "en", "P2")
    trace, result = traced_run(spec, [(0.0, "reports", hate), (1.0, "reports", spam), (2.0, "reports", hate)])
    assert [(n, t) for kind, t, n, *_ in trace if kind == "outcome"] == [(1, 600.0), (2, 660.0), (3, 1260.0)]
    assert result.metric("stage", "Review", "handle_time_mean_s") == pytest.approx((600 + 60 + 600) / 3)


def test_skills_route_items_only_to_teams_that_can_review_them() -> None:
    mix = [MixEntry(language="en", share=0.5), MixEntry(language="zh", share=0.5)]
    workflow = single_stage(120, Distribution.exponential(20, "min"), 0, mix=mix)
    workflow.remove_team("team")
    stage_id = "review"
    for name, language in (("English", "en"), ("Chinese", "zh")):
        workflow.add_team(Team(name=name, id=name, languages=[language], shrinkage=0.0, stages=[stage_id],
                               shifts=round_the_clock(30)))
    spec = compile_run(workflow, None, settings(24))
    run = Replication(spec, 0)
    handled: Counter[tuple[str, str]] = Counter()
    run.trace = lambda kind, time, item, place, team: handled.update(
        [(spec.item_classes[item.cls].language, team)] if kind == "start" else [])
    result = collect(run, run.run(None, None))
    assert handled[("en", "English")] > 1000 and handled[("zh", "Chinese")] > 1000
    assert handled[("zh", "English")] == 0 and handled[("en", "Chinese")] == 0
    assert result.metric("stage", "Review", "throughput_count") > 2000


def routing_workflow() -> Workflow:
    """Classifier by category → attribute router by language → stages; an appeal loop back into review."""
    workflow = Workflow(name="Routing", id="routing")
    mix = [MixEntry("spam", "en", "P2", 0.5), MixEntry("hate", "en", "P2", 0.25), MixEntry("hate", "de", "P2", 0.25)]
    source = workflow.add_node(Source(name="Reports", id="reports", rate_per_hour=200, mix=mix))
    classifier = workflow.add_node(Classifier(name="Classifier", id="clf", latency=Distribution.fixed(1, "s")))
    router = workflow.add_node(Router(name="Language", id="lang", mode="attribute", attribute="language"))
    english = workflow.add_node(ReviewStage(name="English review", id="en-review",
                                            handle_time=Distribution.exponential(5, "min")))
    german = workflow.add_node(ReviewStage(name="German review", id="de-review",
                                           handle_time=Distribution.exponential(5, "min")))
    window = workflow.add_node(Delay(name="Appeal window", id="appeal", duration=Distribution.fixed(1, "h")))
    auto = workflow.add_node(Outcome(name="Auto-removed", id="auto"))
    removed = workflow.add_node(Outcome(name="Removed", id="removed"))
    kept = workflow.add_node(Outcome(name="Kept", id="kept"))
    workflow.add_edge(Edge(source.id, classifier.id, probability=1.0))
    workflow.add_edge(Edge(classifier.id, auto.id, probability=0.0, probability_by_category={"spam": 1.0}))
    workflow.add_edge(Edge(classifier.id, router.id, probability=1.0, probability_by_category={"spam": 0.0}))
    workflow.add_edge(Edge(router.id, german.id, condition=Condition("language", ["de"])))
    workflow.add_edge(Edge(router.id, english.id, otherwise=True))
    workflow.add_edge(Edge(english.id, removed.id, label="remove", probability=0.5))
    workflow.add_edge(Edge(english.id, kept.id, label="keep", probability=0.3))
    workflow.add_edge(Edge(english.id, window.id, label="appeal", probability=0.2))
    workflow.add_edge(Edge(window.id, english.id, probability=1.0))
    workflow.add_edge(Edge(german.id, removed.id, probability=1.0))
    workflow.add_team(Team(name="Everyone", id="everyone", shrinkage=0.0, stages=[english.id, german.id],
                           shifts=round_the_clock(20)))
    return workflow


def test_classifier_router_delay_and_appeal_loop_route_every_item() -> None:
    spec = compile_run(routing_workflow(), None, settings(48, interval_minutes=60))
    run = Replication(spec, 0)
    created: Counter[str] = Counter()
    visits: Counter[int] = Counter()
    entered: Counter[tuple[str, str]] = Counter()

    def observe(kind: str, time: float, item, place: str, team: str) -> None:
        item_class = spec.item_classes[item.cls]
        if kind == "arrive":
            created[f"{item_class.category}/{item_class.language}"] += 1
        elif kind == "start":
            entered[(place, item_class.language)] += 1
            if place == "English review":
                visits[item.number] += 1
        elif kind == "outcome" and place == "Auto-removed":
            entered[("Auto-removed", item_class.category)] += 1

    run.trace = observe
    result = collect(run, run.run(None, None))
    # every spam item, and only spam, is removed by the classifier (per-category probabilities)
    assert entered[("Auto-removed", "spam")] == result.metric("outcome", "Auto-removed", "count")
    assert entered[("Auto-removed", "hate")] == 0
    assert created["spam/en"] - entered[("Auto-removed", "spam")] <= 5  # the last second's spam is in the classifier
    # the attribute router sends German items to German review only
    assert entered[("English review", "de")] == 0 and entered[("German review", "en")] == 0
    assert entered[("German review", "de")] > 0
    # appeals revisit English review: some items were reviewed there twice or more
    assert max(visits.values()) >= 2
    repeat_share = sum(1 for v in visits.values() if v >= 2) / len(visits)
    assert 0.15 < repeat_share < 0.25
    # conservation: every item is somewhere
    assert result.items_created == result.items_completed + result.items_in_system_at_end
    assert result.metric("system", "system", "in_delay_end_count") > 0


def test_backlog_and_items_in_flight_are_reported_at_the_end() -> None:
    """An overloaded stage: what is left at the horizon is counted, nothing silently dropped."""
    workflow = single_stage(10, Distribution.fixed(30, "min"), 1)
    result = run_replication(compile_run(workflow, None, settings(10)), 0)
    backlog = result.metric("stage", "Review", "backlog_end_count")
    in_service = result.metric("stage", "Review", "in_service_end_count")
    assert backlog > 50
    assert in_service == 1
    assert result.items_in_system_at_end == backlog + in_service
    assert result.items_created == result.items_completed + result.items_in_system_at_end
    assert result.metric("system", "system", "in_system_end_count") == result.items_in_system_at_end
    queue = next(s for s in result.series if s.metric == "queue_length")
    assert queue.values[-1] == backlog
    assert queue.times_h == tuple(float(h) for h in range(1, 11))


@pytest.mark.parametrize(("discipline", "expected"), [
    # FIFO across the team's two queues: item 3 (zh) joined before item 4 (en)
    ("fifo", [(1, 0.0, "All"), (2, 0.0, "Chinese"), (3, 600.0, "All"), (5, 600.0, "Chinese"),
              (4, 1200.0, "All")]),
    # priority: item 4 is P0, so "All" takes it first although item 3 waited longer
    ("priority", [(1, 0.0, "All"), (2, 0.0, "Chinese"), (4, 600.0, "All"), (3, 600.0, "Chinese"),
                  (5, 1200.0, "All")]),
])
def test_a_team_with_broader_skills_serves_its_queues_by_the_discipline(
        discipline: str, expected: list[tuple[int, float, str]]) -> None:
    """Team "All" reviews any language, team "Chinese" only zh: zh items form a queue both may serve."""
    mix = [MixEntry(language=lang, priority=prio, share=0.25) for lang in ("en", "zh") for prio in ("P0", "P2")]
    workflow = single_stage(NEVER, Distribution.fixed(10, "min"), 1, discipline=discipline, mix=mix)
    workflow.teams["team"].name = "All"
    workflow.add_team(Team(name="Chinese", id="zh-team", languages=["zh"], shrinkage=0.0, stages=["review"],
                           shifts=round_the_clock(1)))
    spec = compile_run(workflow, None, settings(2))
    en, zh, en_urgent = ItemClass("general", "en", "P2"), ItemClass("general", "zh", "P2"), ItemClass(
        "general", "en", "P0")
    trace, _ = traced_run(spec, [(0.0, "reports", en), (0.0, "reports", zh), (60.0, "reports", zh),
                                 (120.0, "reports", en_urgent), (180.0, "reports", zh)])
    assert [(number, time, team) for kind, time, number, _, team in trace if kind == "start"] == expected


def test_arrival_limit_and_drain_finish_every_item() -> None:
    workflow = single_stage(600, Distribution.exponential(5, "min"), 60)
    result = run_replication(compile_run(workflow, None, settings(10), arrival_limit=500, drain=True), 0)
    assert result.items_created == 500
    assert result.items_completed == 500 and result.items_in_system_at_end == 0
    assert result.metric("system", "system", "in_system_end_count") == 0
    assert 0.5 < result.end_time_h < 10  # 500 arrivals at 600/h take ≈ 50 minutes, then the last reviews end


@settings_hypothesis(max_examples=25, deadline=None)
@given(discipline=st.sampled_from(["fifo", "priority", "earliest_deadline"]),
       handle=st.sampled_from([Distribution.exponential(6, "min"), Distribution.lognormal(6, 4, "min"),
                               Distribution.gamma(6, 3, "min"), Distribution.triangular(1, 4, 15, "min"),
                               Distribution.uniform(2, 10, "min"), Distribution.empirical([1, 5, 20], "min")]),
       expiry_minutes=st.one_of(st.none(), st.floats(1, 120)),
       headcounts=st.lists(st.integers(0, 6), min_size=3, max_size=3),
       shrinkage=st.floats(0, 0.5), seed=st.integers(0, 10_000))
def test_any_small_model_conserves_items_and_keeps_counts_sane(discipline: str, handle: Distribution,
                                                               expiry_minutes: float | None,
                                                               headcounts: list[int], shrinkage: float,
                                                               seed: int) -> None:
    """Random disciplines, handle-time kinds, expiry and three 8-hour shifts: every item is accounted for."""
    shifts = [Shift(name=f"s{k}", start_hour=8 * k, hours=8, headcount=[max(h, 1 if k == 0 else 0)] * 7)
              for k, h in enumerate(headcounts)]
    sla = [SlaTarget("P0", 30, "min", 0.9), SlaTarget("P2", 4, "h", 0.8)]
    expiry = Distribution.exponential(expiry_minutes, "min") if expiry_minutes is not None else None
    workflow = single_stage(40, handle, 0, discipline=discipline, mix=PRIORITIES, sla=sla, expiry=expiry,
                            shifts=shifts)
    workflow.teams["team"].shrinkage = shrinkage
    result = run_replication(compile_run(workflow, None, settings(24, warmup=2, seed=seed)), 0)
    assert result.items_created == result.items_completed + result.items_expired + result.items_in_system_at_end
    queue = result.metric("stage", "Review", "backlog_end_count")
    assert result.items_in_system_at_end == queue + result.metric("stage", "Review", "in_service_end_count")
    for series in result.series:
        assert min(series.values) >= 0
    busy = next(s for s in result.series if s.metric == "busy_reviewers")
    assert max(busy.values) <= max(max(headcounts), 1)
    share = result.metric("priority", "review:P0", "sla_attainment_share")
    assert share != share or 0.0 <= share <= 1.0  # NaN when no P0 item was decided
