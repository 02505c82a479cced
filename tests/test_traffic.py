"""Traffic equations against values computed by hand."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowmodel import (
    Classifier,
    Condition,
    Delay,
    Distribution,
    Edge,
    MixEntry,
    ModelError,
    Outcome,
    ReviewStage,
    Router,
    Shift,
    Source,
    Team,
    Workflow,
)
from flowmodel.traffic import (
    ClosedLoopError,
    ItemClass,
    arrival_rates,
    class_rates,
    offered_load,
    routing,
    source_class_rates,
    staffed_capacity,
    staffing_pools,
)


def test_triage_rates_load_and_capacity(triage):
    rates = arrival_rates(triage)
    by_name = {triage.nodes[i].name: r for i, r in rates.items()}
    assert by_name == pytest.approx({"User reports": 60.0, "Tier 1": 60.0, "Removed": 18.0, "Kept": 42.0})
    tier1 = triage.node_by_name("Tier 1").id
    assert offered_load(triage) == pytest.approx({tier1: 60.0 * 5 / 60})
    assert staffed_capacity(triage) == pytest.approx({tier1: 8.0})


def appeal_workflow(rate: float, remove: float, appeal: float, rereview: float) -> Workflow:
    """Reports → Tier 1 → removed (→ appeal window → Appeal review ⟲ re-review) | kept."""
    workflow = Workflow(name="Appeals")
    source = workflow.add_node(Source(name="Reports", rate_per_hour=rate))
    tier1 = workflow.add_node(ReviewStage(name="Tier 1", handle_time=Distribution.fixed(2, "min")))
    removed = workflow.add_node(Outcome(name="Removed", label="removed"))
    kept = workflow.add_node(Outcome(name="Kept", label="kept"))
    window = workflow.add_node(Delay(name="Appeal window", duration=Distribution.fixed(3, "d")))
    appeals = workflow.add_node(ReviewStage(name="Appeal review", handle_time=Distribution.fixed(10, "min")))
    second_look = workflow.add_node(Delay(name="Second look", duration=Distribution.fixed(1, "h")))
    upheld = workflow.add_node(Outcome(name="Upheld", label="upheld"))
    workflow.add_edge(Edge(source.id, tier1.id, probability=1.0))
    workflow.add_edge(Edge(tier1.id, kept.id, label="keep", probability=1 - remove - appeal))
    workflow.add_edge(Edge(tier1.id, removed.id, label="remove", probability=remove))
    workflow.add_edge(Edge(tier1.id, window.id, label="appealed", probability=appeal))
    workflow.add_edge(Edge(window.id, appeals.id))
    workflow.add_edge(Edge(appeals.id, upheld.id, label="decide", probability=1 - rereview))
    workflow.add_edge(Edge(appeals.id, second_look.id, label="re-review", probability=rereview))
    workflow.add_edge(Edge(second_look.id, appeals.id))
    return workflow


def test_a_re_review_loop_multiplies_arrivals_by_one_over_one_minus_q():
    workflow = appeal_workflow(rate=100.0, remove=0.3, appeal=0.1, rereview=0.25)
    rates = {workflow.nodes[i].name: r for i, r in arrival_rates(workflow).items()}
    assert rates["Appeal window"] == pytest.approx(10.0)
    assert rates["Appeal review"] == pytest.approx(10.0 / (1 - 0.25))
    assert rates["Second look"] == pytest.approx(10.0 * 0.25 / (1 - 0.25))
    assert rates["Upheld"] == pytest.approx(10.0)
    appeals = workflow.node_by_name("Appeal review").id
    assert offered_load(workflow)[appeals] == pytest.approx(10.0 / 0.75 * 10 / 60)


@given(rate=st.floats(1, 1000), remove=st.floats(0, 0.5), appeal=st.floats(0, 0.5), rereview=st.floats(0, 0.95))
def test_every_item_that_arrives_finishes_at_exactly_one_outcome(rate, remove, appeal, rereview):
    workflow = appeal_workflow(rate, remove, appeal, rereview)
    rates = arrival_rates(workflow)
    finished = sum(rates[n.id] for n in workflow.nodes.values() if isinstance(n, Outcome))
    assert finished == pytest.approx(rate, rel=1e-9)


def test_a_loop_items_never_leave_has_no_solution():
    workflow = appeal_workflow(rate=10.0, remove=0.5, appeal=0.5, rereview=1.0)
    with pytest.raises(ClosedLoopError, match="loop") as caught:
        class_rates(workflow)
    assert isinstance(caught.value, ModelError)
    assert [workflow.nodes[n].name for n in caught.value.node_ids] == ["Appeal review", "Second look"]


def random_loops(seed: int) -> Workflow:
    """A source feeding stages that send items to each other at random, each with an exit to the outcome."""
    rng = random.Random(seed)
    workflow = Workflow(name=f"Random loops {seed}")
    source = workflow.add_node(Source(name="Reports", rate_per_hour=rng.uniform(1, 500)))
    stages = [workflow.add_node(ReviewStage(name=f"Stage {i}")) for i in range(rng.randint(1, 12))]
    done = workflow.add_node(Outcome(name="Done"))
    workflow.add_edge(Edge(source.id, stages[0].id, probability=1.0))
    for stage in stages:
        targets = rng.sample(stages, rng.randint(0, len(stages)))
        weights = [rng.uniform(0.05, 1) for _ in targets] + [rng.uniform(0.05, 1)]
        for target, weight in zip([*targets, done], weights, strict=True):
            workflow.add_edge(Edge(stage.id, target.id, probability=weight / sum(weights)))
    return workflow


@given(st.integers(0, 10**6))
def test_component_by_component_solution_equals_the_dense_linear_solve(seed):
    workflow = random_loops(seed)
    ids = list(workflow.nodes)
    transfer = np.zeros((len(ids), len(ids)))
    for edge in workflow.edges.values():
        transfer[ids.index(edge.target), ids.index(edge.source)] += edge.probability
    external = np.zeros(len(ids))
    external[0] = workflow.node_by_name("Reports").rate_per_hour
    dense = np.linalg.solve(np.eye(len(ids)) - transfer, external)
    rates = arrival_rates(workflow)
    assert [rates[i] for i in ids] == pytest.approx(list(dense), rel=1e-9, abs=1e-9)


def multilingual_workflow() -> Workflow:
    """Reports (hate/spam × en/es/pt) → classifier (auto-remove per category) → language router."""
    workflow = Workflow(name="Multilingual")
    source = workflow.add_node(Source(name="Reports", rate_per_hour=200.0, mix=[
        MixEntry("hate", "en", "P1", 0.2), MixEntry("spam", "en", "P2", 0.3),
        MixEntry("hate", "es", "P1", 0.1), MixEntry("spam", "es", "P2", 0.2),
        MixEntry("spam", "pt", "P2", 0.2)]))
    classifier = workflow.add_node(Classifier(name="Classifier"))
    removed = workflow.add_node(Outcome(name="Auto-removed", label="removed"))
    router = workflow.add_node(Router(name="By language", mode="attribute", attribute="language"))
    english = workflow.add_node(ReviewStage(name="EN review", handle_time=Distribution.fixed(2, "min"),
                                            handle_time_by_category={"hate": Distribution.fixed(8, "min")}))
    latam = workflow.add_node(ReviewStage(name="ES/PT review", handle_time=Distribution.fixed(3, "min")))
    done = workflow.add_node(Outcome(name="Decided", label="decided"))
    workflow.add_edge(Edge(source.id, classifier.id, probability=1.0))
    workflow.add_edge(Edge(classifier.id, removed.id, label="auto-remove", probability=0.5,
                           probability_by_category={"hate": 0.25}))
    workflow.add_edge(Edge(classifier.id, router.id, label="review", probability=0.5,
                           probability_by_category={"hate": 0.75}))
    workflow.add_edge(Edge(router.id, english.id, condition=Condition("language", ["en"])))
    workflow.add_edge(Edge(router.id, latam.id, otherwise=True))
    workflow.add_edge(Edge(english.id, done.id, probability=1.0))
    workflow.add_edge(Edge(latam.id, done.id, probability=1.0))
    return workflow


def test_per_class_rates_follow_category_probabilities_and_the_attribute_router():
    workflow = multilingual_workflow()
    rates = class_rates(workflow)
    english = workflow.node_by_name("EN review").id
    latam = workflow.node_by_name("ES/PT review").id
    assert rates[english] == pytest.approx({ItemClass("hate", "en", "P1"): 40 * 0.75,
                                            ItemClass("spam", "en", "P2"): 60 * 0.5})
    assert rates[latam] == pytest.approx({ItemClass("hate", "es", "P1"): 20 * 0.75,
                                          ItemClass("spam", "es", "P2"): 40 * 0.5,
                                          ItemClass("spam", "pt", "P2"): 40 * 0.5})
    removed = workflow.node_by_name("Auto-removed").id
    assert arrival_rates(workflow, rates)[removed] == pytest.approx(60 * 0.25 + 140 * 0.5)
    load = offered_load(workflow, rates)
    assert load[english] == pytest.approx((30 * 8 + 30 * 2) / 60)
    assert load[latam] == pytest.approx(55 * 3 / 60)


def test_routing_sends_a_class_along_the_first_matching_condition_else_otherwise():
    workflow = multilingual_workflow()
    router = workflow.node_by_name("By language").id
    english = workflow.node_by_name("EN review").id
    latam = workflow.node_by_name("ES/PT review").id
    assert routing(workflow, router, ItemClass("spam", "en", "P2")) == [(english, 1.0)]
    assert routing(workflow, router, ItemClass("spam", "zh", "P2")) == [(latam, 1.0)]


def test_item_mix_is_used_as_relative_weights():
    source = Source(rate_per_hour=90.0, mix=[MixEntry("a", "en", "P1", 2.0), MixEntry("b", "en", "P1", 1.0),
                                            MixEntry("a", "en", "P1", 1.0), MixEntry("c", "en", "P1", -1)])
    assert source_class_rates(source) == pytest.approx({ItemClass("a", "en", "P1"): 67.5,
                                                        ItemClass("b", "en", "P1"): 22.5})


def test_teams_shared_between_stages_form_one_pool():
    workflow = multilingual_workflow()
    english = workflow.node_by_name("EN review").id
    latam = workflow.node_by_name("ES/PT review").id
    # 10 reviewers × 8 h × 5 days = 400 paid hours a week; after 30 % shrinkage 400 × 0.7 / 168 available.
    weekday = Shift(name="day", start_hour=9, hours=8, headcount=[10, 10, 10, 10, 10, 0, 0])
    workflow.add_team(Team(name="Global", shrinkage=0.3, shifts=[weekday], stages=[english, latam]))
    workflow.add_team(Team(name="LATAM", shrinkage=0.0, stages=[latam],
                           shifts=[Shift(name="all day", start_hour=0, hours=24, headcount=[2] * 7)]))
    global_available = 400 * 0.7 / 168
    assert staffed_capacity(workflow) == pytest.approx({english: global_available, latam: global_available + 2})
    (pool,) = staffing_pools(workflow)
    assert pool.stage_ids == (english, latam)
    assert pool.capacity == pytest.approx(global_available + 2)
    assert pool.offered_load == pytest.approx((30 * 8 + 30 * 2) / 60 + 55 * 3 / 60)
    assert pool.utilisation == pytest.approx(pool.offered_load / pool.capacity)
