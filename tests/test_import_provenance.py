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


def test_the_words_name_the_level_method_the_fit_used() -> None:
    from datetime import UTC, datetime

    from flowmodel.imports.history import VolumeHistory
    from simulations.forecast import fit_arrivals
    from simulations.import_provenance import volumes_provenance

    start = datetime(2026, 1, 5, tzinfo=UTC)
    counts = tuple(float(100 + 40 * ((h % 24) >= 18)) for h in range(15 * 24))  # 15 days: under three weeks
    short = VolumeHistory("short.csv", "UTC", start, counts)
    words = volumes_provenance(short, fit_arrivals(short, horizon_hours=48), mix_replaced=False)
    assert "level: the last week's mean level carried forward" in words and "ETS" not in words
    assert words.startswith("rate and weekly profile from short.csv, 5 Jan 2026 – 19 Jan 2026 (UTC)")
    longer = VolumeHistory("long.csv", "UTC", start, counts * 2)
    assert "level: ETS (additive damped trend" in volumes_provenance(
        longer, fit_arrivals(longer, horizon_hours=48), mix_replaced=True)
