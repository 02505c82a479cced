"""The engine routes by the same rule as the traffic equations (flowmodel.traffic.routing)."""

from __future__ import annotations

import pytest

from flowmodel import Delay, Distribution, Edge, Outcome, RunSettings, Source, Workflow
from flowmodel.traffic import arrival_rates
from simulations.engine import run_replication
from simulations.spec import compile_run


def _appeal_window() -> Workflow:
    """Reports → 1 h appeal window → Closed; the delay's edge has no probability, as a delay needs none."""
    workflow = Workflow(name="Delay only", id="delay-only")
    source = workflow.add_node(Source(name="Reports", id="reports", rate_per_hour=30.0))
    window = workflow.add_node(Delay(name="Appeal window", id="window", duration=Distribution.fixed(1, "h")))
    closed = workflow.add_node(Outcome(name="Closed", id="closed", label="closed"))
    workflow.add_edge(Edge(source.id, window.id, id="e1", probability=1.0))
    workflow.add_edge(Edge(window.id, closed.id, id="e2"))
    return workflow


def test_a_delay_edge_without_probability_passes_every_item_on():
    workflow = _appeal_window()
    assert arrival_rates(workflow)["closed"] == pytest.approx(30.0)
    spec = compile_run(workflow, None, RunSettings(horizon_hours=48, warmup_hours=0, replications=1),
                       arrival_limit=500, drain=True)
    result = run_replication(spec, 0)
    assert result.metric("outcome", "Closed", "count") == 500
    assert result.metric("outcome", "Closed", "time_to_decision_mean_s") == pytest.approx(3600.0)
