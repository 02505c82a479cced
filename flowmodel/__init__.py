"""Flowmodel's domain: moderation workflows, scenarios, validation and storage. No Qt, no SimPy."""

from flowmodel.distributions import Distribution
from flowmodel.errors import FlowmodelError, LoadError, ModelError, SaveError
from flowmodel.nodes import (
    ArrivalProfile,
    Classifier,
    Condition,
    Delay,
    Edge,
    MixEntry,
    Outcome,
    ReviewStage,
    Router,
    SlaTarget,
    Source,
    Surge,
)
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Change, Scenario, apply_scenario
from flowmodel.teams import Shift, Team
from flowmodel.workflow import Workflow

__all__ = [
    "ArrivalProfile", "Change", "Classifier", "Condition", "Delay", "Distribution", "Edge",
    "FlowmodelError", "LoadError", "MixEntry", "ModelError", "Outcome", "ReviewStage", "Router",
    "RunSettings", "SaveError", "Scenario", "Shift", "SlaTarget", "Source", "Surge", "Team",
    "Workflow", "apply_scenario",
]
