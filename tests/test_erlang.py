"""Erlang B/C/A against published values, limits and the reference network's exact figures."""

from __future__ import annotations

import math

import pytest
from scipy.stats import poisson

from simulations.analytic.erlang import (
    erlang_a,
    erlang_b,
    erlang_c,
    mmc,
    required_agents,
    service_level,
)


def test_erlang_c_matches_the_reference_network() -> None:
    tier1 = mmc(10.0, 5.0, 59)
    tier2 = mmc(1.0, 20.0, 24)
    assert erlang_c(59, 50) == pytest.approx(0.151817, abs=1e-6)
    assert tier1.p_wait == pytest.approx(0.151817, abs=1e-6)
    assert tier1.mean_wait == pytest.approx(0.0843429, abs=1e-7)
    assert erlang_c(24, 20) == pytest.approx(0.298072, abs=1e-6)
    assert tier2.mean_wait == pytest.approx(1.490361, abs=1e-6)
    assert tier1.mean_time_in_system == pytest.approx(5.084343, abs=1e-6)
    assert tier1.utilisation == pytest.approx(50 / 59)
    assert tier1.mean_queue_length == pytest.approx(10.0 * tier1.mean_wait)
    assert tier1.stable and tier2.stable


def test_mmc_sojourn_p90_is_exact() -> None:
    assert mmc(10.0, 5.0, 59).sojourn_quantile(0.9) == pytest.approx(11.6069, abs=1e-4)


def test_single_server_reduces_to_mm1() -> None:
    queue = mmc(0.8, 1.0, 1)
    assert queue.p_wait == pytest.approx(0.8)
    assert queue.mean_wait == pytest.approx(0.8 / (1.0 - 0.8))
    assert queue.sojourn_quantile(0.5) == pytest.approx(math.log(2) / 0.2)


def test_erlang_b_small_case_by_hand() -> None:
    # B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
    assert erlang_b(2, 1.0) == pytest.approx(0.2)


def test_service_level_textbook_staffing_case() -> None:
    # 10 erlangs, 3-minute handle time, 80 % answered within 20 s.
    assert service_level(14, 10.0, 3.0, 20 / 60) == pytest.approx(0.888, abs=5e-4)
    assert service_level(13, 10.0, 3.0, 20 / 60) == pytest.approx(0.796, abs=5e-4)
    assert required_agents(10.0, 3.0, 0.8, 20 / 60) == 14


def test_overload_is_reported_not_raised() -> None:
    queue = mmc(12.0, 5.0, 59)
    assert not queue.stable
    assert queue.p_wait == 1.0 and math.isinf(queue.mean_wait)
    assert service_level(59, 60.0, 5.0, 1.0) == 0.0


def test_erlang_a_tends_to_erlang_c_without_patience_limit() -> None:
    patient = erlang_a(10.0, 5.0, 59, 1e9)
    assert patient.p_wait == pytest.approx(erlang_c(59, 50), abs=1e-8)
    assert patient.mean_wait == pytest.approx(mmc(10.0, 5.0, 59).mean_wait, rel=1e-6)
    assert patient.p_abandon < 1e-9
    assert erlang_a(10.0, 5.0, 59, math.inf).p_wait == pytest.approx(erlang_c(59, 50), abs=1e-12)


def test_erlang_a_with_patience_equal_to_service_is_poisson() -> None:
    # θ = μ: every state n dies at rate nμ, so N ~ Poisson(a) and P(wait) = P(N ≥ c).
    estimate = erlang_a(10.0, 5.0, 59, 5.0)
    assert estimate.p_wait == pytest.approx(poisson.sf(58, 50.0), abs=1e-12)
    # Abandonment = θ·E[(N − c)⁺] / λ, computed independently from the Poisson distribution.
    excess = sum((n - 59) * poisson.pmf(n, 50.0) for n in range(60, 200))
    assert estimate.p_abandon == pytest.approx(excess / 5.0 / 10.0, rel=1e-9)


def test_erlang_a_overload_is_finite_and_balances() -> None:
    estimate = erlang_a(12.0, 5.0, 50, 10.0)
    assert 0.0 < estimate.p_abandon < 1.0
    # Flow balance: served throughput = c·utilisation·μ = λ·(1 − P(abandon)).
    assert 50 * estimate.utilisation / 5.0 == pytest.approx(12.0 * (1.0 - estimate.p_abandon), rel=1e-9)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: erlang_c(0, 1.0), "servers"),
    (lambda: erlang_c(2.5, 1.0), "servers"),
    (lambda: erlang_b(3, -1.0), "offered load"),
    (lambda: mmc(-1.0, 5.0, 3), "arrival rate"),
    (lambda: mmc(1.0, 0.0, 3), "service time"),
    (lambda: erlang_a(1.0, 5.0, 3, -2.0), "patience"),
    (lambda: erlang_a(1.0, 5.0, 3, math.inf), "overloaded"),
    (lambda: required_agents(10.0, 3.0, 1.5, 1.0), "target share"),
])
def test_impossible_inputs_raise_clear_errors(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_stage_estimates_of_the_triage_workflow() -> None:
    from simulations.analytic.stage_estimates import stage_estimates
    from tests.conftest import make_triage_workflow

    workflow = make_triage_workflow()
    tier1 = workflow.node_by_name("Tier 1")
    (estimate,) = stage_estimates(workflow).values()
    # 60 reports/h × 5 min = 5 erlangs on 8 reviewers around the clock.
    assert estimate.stage_id == tier1.id
    assert estimate.offered_load == pytest.approx(5.0)
    assert estimate.servers == 8 and estimate.utilisation == pytest.approx(5 / 8)
    assert estimate.p_wait == pytest.approx(erlang_c(8, 5.0))
    assert estimate.mean_wait_s == pytest.approx(mmc(60 / 3600, 300.0, 8).mean_wait)
    assert estimate.stable and estimate.shared_with == ()


def test_stages_sharing_a_team_are_one_pool() -> None:
    from flowmodel import Distribution, Edge, ReviewStage
    from simulations.analytic.stage_estimates import stage_estimates
    from tests.conftest import make_triage_workflow

    workflow = make_triage_workflow()
    tier1 = workflow.node_by_name("Tier 1")
    tier2 = workflow.add_node(ReviewStage(name="Tier 2", handle_time=Distribution.exponential(20, "min")))
    kept = workflow.node_by_name("Kept")
    escalate = next(e for e in workflow.outgoing(tier1.id) if e.label == "keep")
    escalate.probability = 0.6
    workflow.add_edge(Edge(tier1.id, tier2.id, label="escalate", probability=0.1))
    workflow.add_edge(Edge(tier2.id, kept.id, probability=1.0))
    next(iter(workflow.teams.values())).stages.append(tier2.id)
    estimates = stage_estimates(workflow)
    # Tier 1: 5 erlangs; Tier 2: 6 items/h × 20 min = 2 erlangs; 7 erlangs on 8 shared reviewers.
    assert estimates[tier2.id].offered_load == pytest.approx(2.0)
    assert estimates[tier1.id].utilisation == estimates[tier2.id].utilisation == pytest.approx(7 / 8)
    pooled = mmc(66 / 3600, 7 * 3600 / 66, 8)
    assert estimates[tier2.id].p_wait == pytest.approx(pooled.p_wait)
    assert estimates[tier1.id].shared_with == (tier2.id,)
