"""Shared fixtures: small, hand-built workflows whose numbers are easy to reason about."""

from __future__ import annotations

import pytest

from flowmodel import Distribution, Edge, Outcome, ReviewStage, Shift, Source, Team, Workflow


def make_triage_workflow() -> Workflow:
    """Reports → Tier 1 → (remove 30 % | keep 70 %), one team working Tier 1 around the clock."""
    workflow = Workflow(name="Tiny triage")
    source = workflow.add_node(Source(name="User reports", rate_per_hour=60.0, x=0, y=0))
    tier1 = workflow.add_node(ReviewStage(name="Tier 1", handle_time=Distribution.exponential(5, "min"),
                                          x=250, y=0))
    removed = workflow.add_node(Outcome(name="Removed", label="removed", x=500, y=-80))
    kept = workflow.add_node(Outcome(name="Kept", label="kept", x=500, y=80))
    workflow.add_edge(Edge(source.id, tier1.id, probability=1.0))
    workflow.add_edge(Edge(tier1.id, removed.id, label="remove", probability=0.3))
    workflow.add_edge(Edge(tier1.id, kept.id, label="keep", probability=0.7))
    workflow.add_team(Team(name="Generalists", shrinkage=0.0, stages=[tier1.id],
                           shifts=[Shift(name="all day", start_hour=0, hours=24, headcount=[8] * 7)]))
    return workflow


@pytest.fixture
def triage() -> Workflow:
    return make_triage_workflow()


@pytest.fixture(autouse=True)
def _empty_clipboard_after_test():
    """Qt's offscreen platform crashes at exit if the clipboard still owns data; empty it after each test."""
    yield
    import sys

    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            app.clipboard().clear()
