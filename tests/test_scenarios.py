"""Scenario changes: set / scale / add by id and path, branch probabilities, clear errors, readable diffs."""

from __future__ import annotations

import pytest

from flowmodel import Change, ModelError, Scenario, apply_scenario
from flowmodel.scenarios import describe_scenario
from flowmodel.serialization import workflow_to_dict


def test_set_scale_add_on_numbers_and_lists(triage):
    source = triage.node_by_name("User reports")
    tier1 = triage.node_by_name("Tier 1")
    team = triage.team_by_name("Generalists")
    scenario = Scenario("Policy widens", changes=[
        Change(source.id, "rate_per_hour", "scale", 1.25),
        Change(tier1.id, "handle_time.mean", "add", 40 / 60),
        Change(team.id, "shifts.all day.headcount", "add", 2),
        Change(team.id, "shrinkage", "set", 0.25),
    ])
    changed = apply_scenario(triage, scenario)
    assert changed.nodes[source.id].rate_per_hour == pytest.approx(75.0)
    assert changed.nodes[tier1.id].handle_time.mean == pytest.approx(5 + 40 / 60)
    assert changed.teams[team.id].shifts[0].headcount == [10] * 7
    assert changed.teams[team.id].shrinkage == 0.25


def test_baseline_is_never_mutated(triage):
    before = workflow_to_dict(triage)
    source = triage.node_by_name("User reports")
    apply_scenario(triage, Scenario("x", changes=[Change(source.id, "rate_per_hour", "scale", 3)]))
    assert workflow_to_dict(triage) == before


def test_route_change_rebalances_siblings_to_sum_one(triage):
    tier1 = triage.node_by_name("Tier 1")
    changed = apply_scenario(triage, Scenario("more removals", changes=[
        Change(tier1.id, "route.remove", "set", 0.44)]))
    probabilities = {e.label: e.probability for e in changed.outgoing(tier1.id)}
    assert probabilities["remove"] == pytest.approx(0.44)
    assert probabilities["keep"] == pytest.approx(0.56)
    assert sum(probabilities.values()) == pytest.approx(1.0, abs=1e-12)


def test_route_by_target_name_and_unknown_branch(triage):
    tier1 = triage.node_by_name("Tier 1")
    changed = apply_scenario(triage, Scenario("s", changes=[Change(tier1.id, "route.Kept", "scale", 0.5)]))
    assert {e.label: e.probability for e in changed.outgoing(tier1.id)} == pytest.approx(
        {"keep": 0.35, "remove": 0.65})
    with pytest.raises(ModelError, match="no branch 'escalate'") as error:
        apply_scenario(triage, Scenario("s", changes=[Change(tier1.id, "route.escalate", "set", 0.1)]))
    assert "keep" in error.value.hint and "remove" in error.value.hint


def test_missing_target_and_field_are_named(triage):
    with pytest.raises(ModelError, match="does not exist"):
        apply_scenario(triage, Scenario("s", changes=[Change("ghost", "rate_per_hour", "scale", 2)]))
    source = triage.node_by_name("User reports")
    with pytest.raises(ModelError) as error:
        apply_scenario(triage, Scenario("s", changes=[Change(source.id, "rate_per_hr", "scale", 2)]))
    assert "User reports" in str(error.value) and "rate_per_hr" in str(error.value)


def test_scale_of_text_is_an_error(triage):
    source = triage.node_by_name("User reports")
    with pytest.raises(ModelError, match="not a number"):
        apply_scenario(triage, Scenario("s", changes=[Change(source.id, "timezone", "scale", 2)]))


def test_probability_out_of_range_is_an_error(triage):
    tier1 = triage.node_by_name("Tier 1")
    with pytest.raises(ModelError, match="between 0 and 1"):
        apply_scenario(triage, Scenario("s", changes=[Change(tier1.id, "route.remove", "scale", 4)]))


def test_readable_diff(triage):
    source = triage.node_by_name("User reports")
    tier1 = triage.node_by_name("Tier 1")
    lines = describe_scenario(triage, Scenario("s", changes=[
        Change(source.id, "rate_per_hour", "scale", 1.25),
        Change(tier1.id, "handle_time.mean", "add", 0.5),
        Change(tier1.id, "route.remove", "set", 0.4),
        Change("ghost", "rate_per_hour", "set", 1),
    ]))
    assert lines[0] == "User reports · arrival rate ×1.25 (60 → 75 per hour)"
    assert lines[1] == "Tier 1 · handle time +30 s (5 → 5.5 min)"
    assert lines[2] == "Tier 1 · remove share → 40 % (30 % → 40 %)"
    assert "⚠" in lines[3]
