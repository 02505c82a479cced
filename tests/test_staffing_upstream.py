"""Staffing, time before the stage: the delays every route to a stage passes count against a goal from creation.

The appeal window is lognormal (mean 1.5 d, sd 1.2 d): P(window ≤ 3 d) = Φ((ln 3 − μ)/σ) ≈ 0.909 with
σ² = ln(1 + 0.8²), μ = ln 1.5 − σ²/2 — so "95 % decided within 3 days of creation" is infeasible however many
reviewers there are, and "90 %" is only just feasible."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy import stats

from flowmodel import Delay, Distribution, Edge, Outcome, ReviewStage, Router, Shift, SlaTarget, Source, Team, Workflow
from simulations.staffing import targets_from_model
from simulations.staffing.analytic import decision_share_within, required_reviewers
from simulations.staffing.targets import infeasible_targets
from simulations.staffing.upstream import dominating_delays, upstream_seconds

WINDOW = Distribution.lognormal(1.5, 1.2, "d")


def _window_share(days: float) -> float:
    sigma = math.sqrt(math.log1p(0.8 ** 2))
    return float(stats.norm.cdf((math.log(days) - (math.log(1.5) - sigma ** 2 / 2)) / sigma))


def appeals(share: float) -> Workflow:
    """Reports → Review → (removed: appealed? → Appeal window → Appeals) or kept; a second route into the window
    from an automated removal, so the window dominates Appeals while neither router does alone."""
    w = Workflow(name="Appeals", id="appeals")
    source = w.add_node(Source(name="Reports", id="src", rate_per_hour=50.0))
    auto = w.add_node(Router(name="Automated?", id="auto"))
    review = w.add_node(ReviewStage(name="Review", id="review", handle_time=Distribution.exponential(5, "min")))
    appealed = w.add_node(Router(name="Appealed?", id="appealed"))
    window = w.add_node(Delay(name="Appeal window", id="window", duration=WINDOW))
    appeal = w.add_node(ReviewStage(name="Appeals", id="appeal", handle_time=Distribution.exponential(20, "min"),
                                    sla=[SlaTarget("P2", 3, "d", share)]))
    done = w.add_node(Outcome(name="Done", id="done"))
    for i, (a, b, p) in enumerate([(source, auto, 1.0), (auto, appealed, 0.3), (auto, review, 0.7),
                                   (review, appealed, 0.5), (review, done, 0.5), (appealed, window, 0.1),
                                   (appealed, done, 0.9), (window, appeal, 1.0), (appeal, done, 1.0)]):
        w.add_edge(Edge(a.id, b.id, id=f"e{i}", probability=p))
    w.add_team(Team(name="Reviewers", id="reviewers", shrinkage=0.0, stages=[review.id, appeal.id],
                    shifts=[Shift("all day", 0, 24, [12] * 7)]))
    return w


def test_the_window_every_route_passes_dominates_the_appeal_stage_and_nothing_precedes_review() -> None:
    workflow = appeals(0.9)
    assert [d.name for d in dominating_delays(workflow, "appeal")] == ["Appeal window"]
    assert dominating_delays(workflow, "review") == [] and upstream_seconds(workflow, "review") is None
    values = upstream_seconds(workflow, "appeal", 512)
    assert values is not None and np.mean(values) / 86400 == pytest.approx(1.5, rel=0.02)
    assert np.mean(values <= 3 * 86400) == pytest.approx(_window_share(3.0), abs=0.005)


def test_a_goal_the_window_alone_makes_impossible_is_infeasible_with_the_reason() -> None:
    workflow = appeals(0.95)
    [reason] = infeasible_targets(workflow, targets_from_model(workflow))
    assert reason.where == "Appeals · P2" and "Appeal window" in reason.reason
    stated = float(re.search(r"only ([0-9.]+)% of items", reason.reason).group(1)) / 100
    assert stated == pytest.approx(_window_share(3.0 - 20 / 1440), abs=0.002)  # the window plus a 20-min review
    assert infeasible_targets(appeals(0.9), targets_from_model(appeals(0.9))) == []


def test_the_decision_share_subtracts_the_time_spent_before_the_stage() -> None:
    handle = (np.array([1200.0]), np.array([1.0]))  # a fixed 20-minute review
    no_delay = decision_share_within(4, 2.0, 1200.0, 3 * 86400, *handle)
    assert no_delay == pytest.approx(1.0, abs=1e-9)
    upstream = upstream_seconds(appeals(0.9), "appeal")
    with_delay = decision_share_within(4, 2.0, 1200.0, 3 * 86400, *handle, upstream)
    assert with_delay == pytest.approx(np.mean(upstream <= 3 * 86400 - 1200.0), abs=1e-6)
    # a 2-hour goal after no delay: Erlang C exactly as without the upstream argument
    assert decision_share_within(4, 2.0, 1200.0, 7200.0, *handle, np.zeros(3)) == pytest.approx(
        decision_share_within(4, 2.0, 1200.0, 7200.0, *handle))
    assert required_reviewers(2.0, 1200.0, 0.9, 7200.0, handle_law=handle, upstream_s=np.zeros(1)) == \
        required_reviewers(2.0, 1200.0, 0.9, 7200.0, handle_law=handle)
