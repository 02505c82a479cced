"""SLA targets that measure nothing: a target on a priority no item reaching the stage carries is a warning,
and the SLA editor's default priority is the one arriving most."""

from __future__ import annotations

from flowmodel import Condition, Edge, MixEntry, ReviewStage, Router, SlaTarget, Workflow
from flowmodel.sla_priorities import arriving_priorities, default_sla_priority
from flowmodel.validation import validate
from flowmodel.validation_sla import check_sla_priorities


def _mix(workflow: Workflow, *entries: tuple[str, float]) -> None:
    source = workflow.node_by_name("User reports")
    source.mix = [MixEntry("spam", "en", priority, share) for priority, share in entries]


def test_a_target_on_an_absent_priority_is_warned_about(triage):
    _mix(triage, ("P1", 0.3), ("P2", 0.7))
    tier1 = triage.node_by_name("Tier 1")
    tier1.sla = [SlaTarget("P0", 1, "h", 0.9), SlaTarget("P2", 24, "h", 0.9)]
    found = [i for i in validate(triage) if i.rule == "sla-priority-absent"]
    assert len(found) == 1
    issue = found[0]
    assert issue.severity == "warning" and issue.node_id == tier1.id and issue.field == "sla.P0"
    assert "no P0 items reach “Tier 1”" in issue.message
    assert "items arriving there are P1, P2" in issue.message
    assert "change the target's priority or the sources' mix" in issue.hint


def test_targets_on_arriving_priorities_are_fine(triage):
    _mix(triage, ("P1", 0.3), ("P2", 0.7))
    triage.node_by_name("Tier 1").sla = [SlaTarget("P1", 1, "h", 0.9), SlaTarget("P2", 24, "h", 0.9)]
    assert check_sla_priorities(triage) == []
    assert all(i.rule != "sla-priority-absent" for i in validate(triage))


def test_a_priority_that_only_reaches_another_stage_is_absent_here(triage):
    """Routing decides what arrives: P0 items exist in the workflow but none reach the stage with the target."""
    _mix(triage, ("P0", 0.1), ("P2", 0.9))
    source, tier1 = triage.node_by_name("User reports"), triage.node_by_name("Tier 1")
    for edge in list(triage.edges.values()):
        if edge.source == source.id:
            triage.remove_edge(edge.id)
    router = triage.add_node(Router(name="By priority", mode="attribute", attribute="priority"))
    urgent = triage.add_node(ReviewStage(name="Urgent"))
    triage.add_edge(Edge(source.id, router.id, probability=1.0))
    triage.add_edge(Edge(router.id, urgent.id, condition=Condition("priority", ["P0"])))
    triage.add_edge(Edge(router.id, tier1.id, condition=Condition("priority", ["P2"])))
    triage.add_edge(Edge(urgent.id, triage.node_by_name("Removed").id, probability=1.0))
    tier1.sla = [SlaTarget("P0", 1, "h", 0.9)]
    assert arriving_priorities(triage, tier1.id).keys() == {"P2"}
    assert [i.field for i in check_sla_priorities(triage)] == ["sla.P0"]


def test_the_default_priority_is_the_highest_volume_arriving_one(triage):
    tier1 = triage.node_by_name("Tier 1").id
    _mix(triage, ("P1", 0.6), ("P3", 0.4))
    rates = arriving_priorities(triage, tier1)
    assert list(rates) == ["P1", "P3"] and abs(rates["P1"] - 36.0) < 1e-9
    assert default_sla_priority(triage, tier1, set()) == "P1"
    assert default_sla_priority(triage, tier1, {"P1"}) == "P3"
    assert default_sla_priority(triage, tier1, {"P1", "P3"}) == "P2"


def test_the_default_falls_back_to_p2_without_a_workflow_or_arrivals(triage):
    assert default_sla_priority(None, None, set()) == "P2"
    lonely = Workflow()
    assert default_sla_priority(lonely, "missing", {"P2"}) == "P0"
