"""The engine's decision quality against its analytic expectation (:mod:`simulations.analytic.quality_estimate`).

Every run here drains (``arrival_limit`` items, then the run goes on until the system is empty), so no journey is
censored and the expectation of each count, given the number of arrivals n, is n × its expectation per item.
Tolerance: 4 standard deviations of a Poisson count, 4·√E — for a count of at most one event per item (a
binomial) the variance n·p·(1 − p) is below the Poisson one, and the appeal loop adds a second event to so few
items that the variance stays within it. With a fixed seed the runs are the same every time; across the ~50
counts checked, a correct engine fails one with probability below 1 %.
"""

from __future__ import annotations

import math

import pytest
from engine_models import round_the_clock, settings
from scipy.stats import binomtest

from flowmodel import (
    Classifier,
    Delay,
    Distribution,
    Edge,
    MixEntry,
    Outcome,
    ReviewStage,
    Router,
    Source,
    Team,
    Workflow,
)
from flowmodel.quality import Accuracy, GroundTruth, Split, TruthSplit
from flowmodel.traffic import class_rates, offered_load
from simulations.analytic.quality_estimate import QualityEstimate, estimate_quality
from simulations.engine import run_replication
from simulations.results import ReplicationResult
from simulations.spec import compile_run

SIGMAS = 4.0


def appeal_loop_model(qa_share: float = 0.0) -> Workflow:
    """Reports (spam 30 % violating, hate 55 %) → a classifier by its error per band (hate's bands differ) →
    Review by accuracy (hate's lower), 10 % escalated to Specialists → every removal, automated or not, may be
    appealed (a wrongful one far more often) → a 2 h appeal window → Appeal review upholds or overturns, and
    sends 15 % back to Review for a second look. Optionally Review's decisions are sampled for QA."""
    w = Workflow(name="Appeal loop", id="appeal-loop")
    mix = [MixEntry(category="spam", share=0.6), MixEntry(category="hate", priority="P1", share=0.4)]
    w.add_node(Source(name="Reports", id="reports", rate_per_hour=300.0, mix=mix,
                      truth=GroundTruth(0.3, {"hate": 0.55})))
    w.add_node(Classifier(name="Classifier", id="classifier", latency=Distribution.fixed(1.0, "s")))
    minute = Distribution.exponential(1.0, "min")
    w.add_node(ReviewStage(name="Review", id="review", handle_time=minute, qa_share=qa_share,
                           qa_stage="qa" if qa_share else ""))
    w.add_node(ReviewStage(name="Specialists", id="specialists", handle_time=minute))
    w.add_node(Router(name="Appealed?", id="appealed"))
    w.add_node(Delay(name="Appeal window", id="window", duration=Distribution.fixed(2.0, "h")))
    w.add_node(ReviewStage(name="Appeal review", id="appeal", handle_time=Distribution.exponential(3.0, "min")))
    for outcome in ("Removed", "Kept", "Restored"):
        w.add_node(Outcome(name=outcome, id=outcome.lower(), label=outcome.lower()))
    edges = [
        Edge("reports", "classifier", id="e-in", probability=1.0),
        Edge("classifier", "appealed", id="e-auto", label="auto-action", decision="remove",
             by_truth=TruthSplit(0.45, 0.03, {"hate": Split(0.3, 0.02)})),
        Edge("classifier", "kept", id="e-close", label="auto-close", decision="keep", by_truth=TruthSplit(0.05, 0.5)),
        Edge("classifier", "review", id="e-human", label="human review",
             by_truth=TruthSplit(0.5, 0.47, {"hate": Split(0.65, 0.48)})),
        Edge("review", "appealed", id="e-remove", label="remove", decision="remove"),
        Edge("review", "kept", id="e-keep", label="keep", decision="keep"),
        Edge("review", "specialists", id="e-escalate", label="escalate", probability=0.1),
        Edge("specialists", "appealed", id="e-s-remove", label="remove", decision="remove"),
        Edge("specialists", "kept", id="e-s-keep", label="keep", decision="keep"),
        Edge("appealed", "window", id="e-appealed", label="appealed", by_truth=TruthSplit(0.06, 0.45)),
        Edge("appealed", "removed", id="e-stands", label="not appealed", by_truth=TruthSplit(0.94, 0.55)),
        Edge("window", "appeal", id="e-window", probability=1.0),
        Edge("appeal", "removed", id="e-upheld", label="upheld", decision="remove"),
        Edge("appeal", "restored", id="e-overturned", label="overturned", decision="keep"),
        Edge("appeal", "review", id="e-second-look", label="second look", probability=0.15),
    ]
    for edge in edges:
        w.add_edge(edge)
    w.add_team(Team(name="Reviewers", id="reviewers", shrinkage=0.0, stages=["review"], shifts=round_the_clock(6),
                    accuracy=Accuracy(0.9, 0.95), accuracy_by_category={"hate": Accuracy(0.8, 0.9)}))
    w.add_team(Team(name="Specialists", id="specialist-team", shrinkage=0.0, stages=["specialists"],
                    shifts=round_the_clock(2), accuracy=Accuracy(0.97, 0.97)))
    w.add_team(Team(name="Appeals", id="appeals", shrinkage=0.0, stages=["appeal"], shifts=round_the_clock(3),
                    accuracy=Accuracy(0.95, 0.9)))
    if qa_share:
        w.add_node(ReviewStage(name="QA", id="qa", handle_time=minute))
        w.add_team(Team(name="QA team", id="qa-team", shrinkage=0.0, stages=["qa"], shifts=round_the_clock(3),
                        accuracy=Accuracy(0.97, 0.96)))
    w.run_settings = settings(200.0)
    return w


def drained_runs(workflow: Workflow, items: int, replications: int) -> list[ReplicationResult]:
    spec = compile_run(workflow, None, workflow.run_settings, arrival_limit=items, drain=True)
    return [run_replication(spec, r) for r in range(replications)]


def arrivals(results: list[ReplicationResult]) -> float:
    return sum(m.value for r in results for m in r.metrics if m.scope_kind == "source" and m.metric == "arrivals_count")


def assert_counts_agree(estimate: QualityEstimate, results: list[ReplicationResult], hours: float) -> int:
    """Every count the estimate gives against the runs' total (4 sd of a Poisson count); returns how many."""
    checked = 0
    for expected in estimate.records(hours):
        if not expected.metric.endswith("_count"):
            continue
        simulated = sum(r.metric(expected.scope_kind, expected.scope_id, expected.metric) for r in results)
        tolerance = SIGMAS * math.sqrt(expected.value) + 1e-9
        assert abs(simulated - expected.value) <= tolerance, (
            f"{expected.scope_name} {expected.metric}: simulated {simulated}, expected {expected.value:.1f} ± "
            f"{tolerance:.1f}")
        checked += 1
    return checked


@pytest.fixture(scope="module")
def appeal_loop_runs() -> list[ReplicationResult]:
    """Four drained runs of 25,000 reports each (about half a second per run)."""
    return drained_runs(appeal_loop_model(), 25000, 4)


def test_simulated_errors_appeals_and_overturns_agree_with_the_expectation_on_an_appeal_loop(
        appeal_loop_runs: list[ReplicationResult]) -> None:
    results = appeal_loop_runs
    assert all(r.items_in_system_at_end == 0 for r in results)  # drained: no journey censored
    n = arrivals(results)
    assert n == 100000
    estimate = estimate_quality(appeal_loop_model())
    checked = assert_counts_agree(estimate, results, hours=n / 300.0)
    assert checked == 3 * 11 + 3 * 6  # all categories, spam, hate; Review, Specialists, Appeal review
    # the loop is exercised: second looks bring appealed items back to Review, where a keep overturns
    assert sum(r.metric("decision", "review", "overturns_count") for r in results) > 0
    assert estimate.metric("decision", "review", "overturns_count") > 0
    assert estimate.metric("quality", "quality", "undecided_count") == 0.0


def test_the_expected_shares_are_the_ratios_the_runs_approach(appeal_loop_runs: list[ReplicationResult]) -> None:
    """Precision, recall and the overturn rate within 4 binomial sd of the runs' shares."""
    estimate = estimate_quality(appeal_loop_model()).overall
    total = {m: sum(r.metric("quality", "quality", f"{m}_count") for r in appeal_loop_runs)
             for m in ("removed_violating", "removed_benign", "missed_violations", "overturns", "upheld")}
    for expected, part, other in (
            (estimate.precision, total["removed_violating"], total["removed_benign"]),
            (estimate.recall, total["removed_violating"], total["missed_violations"]),
            (estimate.overturn_rate, total["overturns"], total["upheld"])):
        whole = part + other
        assert abs(part / whole - expected) <= SIGMAS * math.sqrt(expected * (1 - expected) / whole)


def one_stage_model(prevalence: float, accuracy: Accuracy) -> Workflow:
    """Reports → Review deciding by accuracy → Removed / Kept: one team, three reviewers."""
    w = Workflow(name="One decision", id="one-decision")
    w.add_node(Source(name="Reports", id="reports", rate_per_hour=60.0, truth=GroundTruth(prevalence)))
    w.add_node(ReviewStage(name="Review", id="review", handle_time=Distribution.exponential(1.0, "min")))
    w.add_node(Outcome(name="Removed", id="removed"))
    w.add_node(Outcome(name="Kept", id="kept"))
    w.add_edge(Edge("reports", "review", id="e-in", probability=1.0))
    w.add_edge(Edge("review", "removed", id="e-remove", label="remove", decision="remove"))
    w.add_edge(Edge("review", "kept", id="e-keep", label="keep", decision="keep"))
    w.add_team(Team(name="Team", id="team", shrinkage=0.0, stages=["review"], shifts=round_the_clock(3),
                    accuracy=accuracy))
    w.run_settings = settings(200.0)
    return w


def test_binomial_outcome_shares_at_one_stage() -> None:
    prevalence, accuracy = 0.3, Accuracy(remove_violating=0.85, keep_benign=0.9)
    share = prevalence * 0.85 + (1 - prevalence) * (1 - 0.9)  # π·r + (1 − π)(1 − s) = 0.325
    workflow = one_stage_model(prevalence, accuracy)
    estimate = estimate_quality(workflow)
    assert abs(estimate.stages["review"][1].removal_share - share) < 1e-12
    (result,) = drained_runs(workflow, 5000, 1)
    removals = result.metric("decision", "review", "removals_count")
    keeps = result.metric("decision", "review", "keeps_count")
    assert removals + keeps == 5000  # every item decided once
    assert binomtest(int(removals), 5000, share).pvalue > 0.001
    # conditioned on the truth too: removals of violating items are binomial in the violating ones
    violating = result.metric("quality", "quality", "violating_count")
    assert binomtest(int(result.metric("quality", "quality", "correct_removals_count")), int(violating),
                     0.85).pvalue > 0.001
    assert binomtest(int(result.metric("quality", "quality", "wrongful_removals_count")), int(5000 - violating),
                     0.1).pvalue > 0.001


def test_qa_copies_count_and_load() -> None:
    workflow = appeal_loop_model(qa_share=0.2)
    estimate = estimate_quality(workflow)
    # the load the traffic equations give the QA stage is the estimate's copies per hour
    assert estimate.qa_copies["qa"] > 0
    assert math.isclose(sum(class_rates(workflow)["qa"].values()), estimate.qa_copies["qa"], rel_tol=1e-9)
    assert math.isclose(offered_load(workflow)["qa"], estimate.qa_copies["qa"] / 60.0, rel_tol=1e-9)
    results = drained_runs(workflow, 6000, 4)
    assert arrivals(results) == 24000  # copies are no arrivals: the limit counts the source's items
    copies = sum(r.metric("decision", "review", "qa_reviews_count") for r in results)
    assert copies == sum(r.metric("stage", "qa", "throughput_count") for r in results)  # every copy reviewed
    assert all(r.items_created == 6000 + r.metric("stage", "qa", "arrivals_count") for r in results)
    assert assert_counts_agree(estimate, results, hours=24000 / 300.0) == 3 * 11 + 3 * 6 + 3


# -- a model without quality runs exactly as before -------------------------------------------------------
def no_quality_model() -> Workflow:
    """Reports → a classifier (per category) → Tier 1 (20 % escalated to Tier 2) → outcomes, 30 % of removals
    through an appeal window to Appeals: every node kind, no decision quality."""
    w = Workflow(name="No quality", id="no-quality")
    mix = [MixEntry(category="spam", share=0.7), MixEntry(category="hate", priority="P1", share=0.3)]
    w.add_node(Source(name="Reports", id="reports", rate_per_hour=120.0, mix=mix))
    w.add_node(Classifier(name="Classifier", id="classifier"))
    w.add_node(ReviewStage(name="Tier 1", id="tier1", handle_time=Distribution.exponential(2.0, "min")))
    w.add_node(ReviewStage(name="Tier 2", id="tier2", handle_time=Distribution.exponential(5.0, "min")))
    w.add_node(Router(name="Appealed?", id="appealed"))
    w.add_node(Delay(name="Appeal window", id="window", duration=Distribution.exponential(1.0, "h")))
    w.add_node(ReviewStage(name="Appeals", id="appeals", handle_time=Distribution.exponential(4.0, "min")))
    for outcome in ("Removed", "Kept"):
        w.add_node(Outcome(name=outcome, id=outcome.lower(), label=outcome.lower()))
    for edge in (
            Edge("reports", "classifier", id="e-in", probability=1.0),
            Edge("classifier", "removed", id="e-auto", probability=0.2, probability_by_category={"hate": 0.1}),
            Edge("classifier", "tier1", id="e-human", probability=0.8, probability_by_category={"hate": 0.9}),
            Edge("tier1", "appealed", id="e-remove", probability=0.5),
            Edge("tier1", "kept", id="e-keep", probability=0.3),
            Edge("tier1", "tier2", id="e-escalate", probability=0.2),
            Edge("tier2", "appealed", id="e-t2-remove", probability=0.6),
            Edge("tier2", "kept", id="e-t2-keep", probability=0.4),
            Edge("appealed", "window", id="e-appealed", probability=0.3),
            Edge("appealed", "removed", id="e-stands", probability=0.7),
            Edge("window", "appeals", id="e-window", probability=1.0),
            Edge("appeals", "removed", id="e-upheld", probability=0.6),
            Edge("appeals", "kept", id="e-overturned", probability=0.4)):
        w.add_edge(edge)
    w.add_team(Team(name="Tier 1", id="t1", shrinkage=0.0, stages=["tier1"], shifts=round_the_clock(4)))
    w.add_team(Team(name="Tier 2", id="t2", shrinkage=0.0, stages=["tier2", "appeals"], shifts=round_the_clock(3)))
    return w


#: The records of :func:`no_quality_model` over 24 h (2 h warm-up, seed 1, replication 0) as the engine gave them
#: before decision quality existed (the commit before the quality core, fcceb14).
BEFORE_QUALITY: dict[tuple[str, str, str], float] = {
    ('source', 'reports', 'arrivals_count'): 2647.0,
    ('stage', 'tier1', 'arrivals_count'): 2192.0,
    ('stage', 'tier1', 'throughput_count'): 2188.0,
    ('stage', 'tier1', 'wait_mean_s'): 172.40728300894213,
    ('stage', 'tier1', 'wait_p90_s'): 447.0312091063337,
    ('stage', 'tier1', 'handle_time_mean_s'): 126.20470601739083,
    ('stage', 'tier1', 'queue_length_mean'): 4.819123334183728,
    ('stage', 'tier2', 'arrivals_count'): 438.0,
    ('stage', 'tier2', 'throughput_count'): 436.0,
    ('stage', 'tier2', 'wait_mean_s'): 225.58722284326194,
    ('stage', 'tier2', 'wait_p90_s'): 535.1967367629094,
    ('stage', 'tier2', 'handle_time_mean_s'): 334.70767066806883,
    ('stage', 'tier2', 'queue_length_mean'): 1.245268090322354,
    ('stage', 'appeals', 'arrivals_count'): 375.0,
    ('stage', 'appeals', 'throughput_count'): 362.0,
    ('stage', 'appeals', 'wait_mean_s'): 6214.9740141953025,
    ('stage', 'appeals', 'wait_p90_s'): 12366.408510073195,
    ('stage', 'appeals', 'handle_time_mean_s'): 222.24238381011568,
    ('stage', 'appeals', 'queue_length_mean'): 28.989728948739376,
    ('outcome', 'removed', 'count'): 1619.0,
    ('outcome', 'removed', 'time_to_decision_mean_s'): 1491.6384738840457,
    ('outcome', 'removed', 'time_to_decision_p90_s'): 5027.655659170787,
    ('outcome', 'kept', 'count'): 991.0,
    ('outcome', 'kept', 'time_to_decision_mean_s'): 1976.0046785403883,
    ('outcome', 'kept', 'time_to_decision_p90_s'): 7652.005761905212,
    ('team', 't1', 'utilisation_share'): 0.8835266563807256,
    ('team', 't2', 'utilisation_share'): 0.9847008564843966,
    ('system', 'system', 'created_count'): 2647.0,
    ('system', 'system', 'completed_count'): 2610.0,
    ('system', 'system', 'time_to_decision_mean_s'): 1675.5491669163966,
    ('system', 'system', 'time_to_decision_p90_s'): 5783.207564278815,
}
BEFORE_QUALITY_EVENTS = 9538


def test_a_model_without_quality_runs_exactly_as_before() -> None:
    workflow = no_quality_model()
    spec = compile_run(workflow, None, settings(24.0, warmup=2.0))
    assert spec.quality is None  # nothing of quality is compiled, so the quality runtime is not composed
    result = run_replication(spec, 0)
    kinds = {m.scope_kind for m in result.metrics}
    assert not kinds & {"quality", "decision", "wellness"}
    found = {(m.scope_kind, m.scope_id, m.metric): m.value for m in result.metrics}
    assert result.events == BEFORE_QUALITY_EVENTS  # the same events, so the same random draws
    for key, before in BEFORE_QUALITY.items():
        now = found[key]
        if key[2].endswith("_mean_s"):  # a mean may be summed in another order: equal to the last digits
            assert math.isclose(now, before, rel_tol=1e-12) or (math.isnan(now) and math.isnan(before)), key
        else:
            assert now == before or (math.isnan(now) and math.isnan(before)), key
