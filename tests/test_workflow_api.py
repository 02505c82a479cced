"""The Workflow API: every edit announces itself, and removal returns what undo needs."""

from __future__ import annotations

import pytest

from flowmodel import Edge, ModelError, Outcome, Team
from flowmodel.serialization import workflow_to_dict


def test_edits_emit_events_in_order(triage):
    log: list[tuple] = []
    triage.events.node_added.subscribe(lambda node: log.append(("node_added", node.name)))
    triage.events.node_changed.subscribe(lambda node_id, path: log.append(("node_changed", path)))
    triage.events.edge_added.subscribe(lambda edge: log.append(("edge_added", edge.label)))
    outcome = triage.add_node(Outcome(name="Escalated"))
    tier1 = triage.node_by_name("Tier 1")
    triage.add_edge(Edge(tier1.id, outcome.id, label="escalate", probability=0.0))
    triage.set_field(tier1.id, "handle_time.mean", 6.0)
    triage.move_node(tier1.id, 10, 20)
    assert log == [("node_added", "Escalated"), ("edge_added", "escalate"),
                   ("node_changed", "handle_time.mean"), ("node_changed", "position")]


def test_remove_node_takes_edges_and_team_references_and_restore_puts_them_back(triage):
    before = workflow_to_dict(triage)
    tier1 = triage.node_by_name("Tier 1")
    node, edges, positions = triage.remove_node(tier1.id)
    assert len(edges) == 3
    assert all(tier1.id not in (e.source, e.target) for e in triage.edges.values())
    assert all(tier1.id not in t.stages for t in triage.teams.values())
    triage.restore_node(node, edges, positions)
    after = workflow_to_dict(triage)
    assert sorted(after["edges"], key=lambda e: e["id"]) == sorted(before["edges"], key=lambda e: e["id"])
    assert after["teams"] == before["teams"]
    assert {n["id"] for n in after["nodes"]} == {n["id"] for n in before["nodes"]}


def test_edge_to_missing_node_is_refused(triage):
    with pytest.raises(ModelError, match="does not exist"):
        triage.add_edge(Edge("nope", triage.node_by_name("Tier 1").id, probability=1.0))


def test_set_field_keeps_types(triage):
    team = triage.team_by_name("Generalists")
    previous = triage.set_field(team.id, "shifts.all day.headcount", [9, 9, 9, 9, 9, 4, 4])
    assert previous == [8] * 7
    assert team.shifts[0].headcount == [9, 9, 9, 9, 9, 4, 4]
    with pytest.raises(ModelError, match="whole number"):
        triage.set_field(team.id, "shifts.all day.headcount", [1.5] * 7)
    with pytest.raises(ModelError, match="must be a number"):
        triage.set_field(team.id, "shrinkage", "lots")
    with pytest.raises(ModelError, match="no field 'shrinkagee'"):
        triage.set_field(team.id, "shrinkagee", 0.2)


def test_copy_is_equal_has_same_ids_and_no_subscribers(triage):
    heard: list = []
    triage.events.changed.subscribe(lambda: heard.append(1))
    clone = triage.copy()
    assert clone == triage
    clone.add_team(Team(name="Extra"))
    assert heard == []
    assert clone != triage
