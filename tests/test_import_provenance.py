"""Where imported values came from (``provenance`` of sources, stages and teams): words in the file, never a number
the run reads — a model without them writes the bytes it wrote before, and they do not make stored runs stale."""

from __future__ import annotations

from flowmodel.fingerprint import workflow_fingerprint
from flowmodel.nodes import ReviewStage, Source
from flowmodel.serialization import workflow_from_dict, workflow_to_dict
from tests.conftest import make_triage_workflow


def test_a_model_without_provenance_writes_no_such_key() -> None:
    data = workflow_to_dict(make_triage_workflow())
    assert all("provenance" not in node for node in data["nodes"])
    assert all("provenance" not in team for team in data["teams"])


def test_provenance_round_trips_and_leaves_the_fingerprint_alone() -> None:
    workflow = make_triage_workflow()
    before = workflow_fingerprint(workflow)
    source = next(n for n in workflow.nodes.values() if isinstance(n, Source))
    stage = next(n for n in workflow.nodes.values() if isinstance(n, ReviewStage))
    team = next(iter(workflow.teams.values()))
    source.provenance = "rate and weekly profile from volumes.csv"
    stage.provenance = "handle time from samples.csv: 400 samples, lognormal"
    team.provenance = "shifts from roster.xlsx"
    assert workflow_fingerprint(workflow) == before
    again = workflow_from_dict(workflow_to_dict(workflow))
    assert again.nodes[source.id].provenance == source.provenance
    assert again.nodes[stage.id].provenance == stage.provenance
    assert again.teams[team.id].provenance == team.provenance
    stage.handle_time.mean += 1  # a number the run reads still counts
    assert workflow_fingerprint(workflow) != before
