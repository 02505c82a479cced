"""The launch estimate (simulations.analytic.launch_estimate) against hand computation and the simulation."""

from __future__ import annotations

import math
import statistics

import pytest

from flowmodel import Distribution, MixEntry, SlaTarget
from flowmodel.launch import Backfill
from flowmodel.scenarios import Change
from simulations.analytic.launch_estimate import estimate_spec
from simulations.engine import run_replication
from simulations.spec import compile_run
from tests.engine_models import settings, single_stage
from tests.test_launch_engine import FIXED_MINUTE, fed, plan


def test_the_fluid_case_is_estimated_exactly():
    """The engine test's fluid case (tests/test_launch_engine.py): 600 items at launch onto a steady 40/h flow
    into one reviewer of 60/h — back in SLA 48 h after launch, two days below target, 580 waiting an hour in."""
    sla = [SlaTarget(priority="P2", within=1.0, unit="h", share=0.95)]
    workflow = single_stage(1.0, FIXED_MINUTE, 1, sla=sla)
    steady = Backfill(name="Flow", id="flow", target="review", items=40 * 144, mix=[MixEntry()], start="-1d",
                      spread_hours=144.0)
    burst = Backfill(name="Burst", id="burst", target="review", items=600, mix=[MixEntry()], start="launch")
    estimate = estimate_spec(compile_run(workflow, fed(launch="+1d", recovery_days=2, backfills=[steady, burst]),
                                         settings(120)))
    target = estimate.target("Review", "P2")
    assert target.recovery_h == 48.0 and target.days_below_target == 2
    assert target.daily_share[2] == pytest.approx(20 / 24, abs=0.01)
    stage = estimate.stage("Review")
    assert stage.peak_items == pytest.approx(580.0) and stage.peak_after_launch_h == 1.0


def test_the_estimate_agrees_with_the_simulation_on_an_overload_and_its_recovery():
    """50/h into one reviewer of 1 min (ρ 0.83); from launch the volume is ×1.5 for two days (75/h against 60):
    the backlog grows about 15/h to some 720 items, then drains at 10/h for three days."""
    sla = [SlaTarget(priority="P2", within=2.0, unit="h", share=0.9)]
    workflow = single_stage(50.0, Distribution(kind="exponential", mean=1.0, unit="min"), 1, sla=sla)
    scenario = plan(Change("reports", "rate_per_hour", "scale", 1.5, start="launch", end="+2d"), launch="+1d",
                    recovery_days=2)
    spec = compile_run(workflow, scenario, settings(240))
    estimate = estimate_spec(spec)
    results = [run_replication(spec, r) for r in range(6)]
    peak = statistics.mean(r.metric("stage", "Review", "backlog_peak_count") for r in results)
    peak_at = statistics.mean(r.metric("stage", "Review", "backlog_peak_after_launch_h") for r in results)
    stage = estimate.stage("Review")
    assert stage.peak_items == pytest.approx(720, rel=0.02)
    assert stage.peak_items == pytest.approx(peak, rel=0.15)  # the simulated peak adds the queue's own noise
    assert abs(stage.peak_after_launch_h - peak_at) <= 6.0
    recovery = [r.metric("priority", "review:P2", "recovery_h") for r in results]
    target = estimate.target("Review", "P2")
    assert all(math.isfinite(r) for r in recovery)
    assert abs(target.recovery_h - statistics.mean(recovery)) <= 24.0  # within a day
    below = statistics.mean(r.metric("priority", "review:P2", "days_below_target_count") for r in results)
    assert abs(target.days_below_target - below) <= 1.0


def test_a_launch_on_a_quality_model_routes_its_estimate_by_truth():
    """The quality fixture at 400 reports/h: the classifier sends violating items (45 %) and benign ones (50 %) to
    Review by their own shares, so Review gets 400 × (0.7 × (0.4·0.45 + 0.6·0.5) + 0.3 × (0.6·0.45 + 0.4·0.5))
    = 190.8 items/h of 2 min against 4 reviewers (120/h): its backlog grows 70.8 items an hour (benign shares for
    every item would say 80). From launch + 1 d the accuracy of the reviewers drops (a timed change)."""
    from tests.quality_fixtures import quality_workflow

    workflow = quality_workflow()
    workflow.nodes["reports"].rate_per_hour = 400.0
    workflow.nodes["review"].handle_time = Distribution(kind="fixed", mean=2.0, unit="min")
    scenario = plan(Change("reviewers", "accuracy.remove_violating", "set", 0.7, start="+1d"), launch="launch")
    estimate = estimate_spec(compile_run(workflow, scenario, settings(48)))
    backlog = estimate.stage("Review").backlog_items
    assert backlog[10] - backlog[9] == pytest.approx(70.8, rel=1e-6)
    assert backlog[40] - backlog[39] == pytest.approx(70.8, rel=1e-6)
