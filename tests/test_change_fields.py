"""The catalogue of changeable fields, scenario changes in planner words, and typed units → stored units."""

from __future__ import annotations

import pytest

from flowmodel.change_fields import field_for, fields_for, from_stored, to_stored
from flowmodel.change_words import describe_change, duration_text, weekday_text
from flowmodel.distributions import Distribution
from flowmodel.jsonfile import read_workflow_json, write_workflow_json
from flowmodel.scenarios import Change, Scenario, apply_scenario, describe_scenario
from flowmodel.teams import Shift, Team

PATHS = ("rate_per_hour", "handle_time.mean", "route.", "shifts.", "_")


def test_catalogue_lists_fields_per_kind_in_planner_words(triage):
    source, tier1 = triage.node_by_name("User reports"), triage.node_by_name("Tier 1")
    team = next(iter(triage.teams.values()))
    assert [(f.label, f.path, f.family) for f in fields_for(triage, source.id)] == [
        ("arrival rate", "rate_per_hour", "rate")]
    assert [(f.label, f.path, f.family, f.unit) for f in fields_for(triage, tier1.id)] == [
        ("handle time", "handle_time.mean", "duration", "min"),
        ("remove share", "route.remove", "share", ""), ("keep share", "route.keep", "share", "")]
    labels = {f.label: f for f in fields_for(triage, team.id)}
    assert labels["headcount, all day shift"].path == "shifts.all day.headcount"
    assert labels["headcount, all day shift"].per_weekday
    assert labels["shrinkage"].family == "share"
    assert fields_for(triage, "ghost") == []


def test_a_triangular_handle_time_offers_its_points(triage):
    tier1 = triage.node_by_name("Tier 1")
    tier1.handle_time = Distribution.triangular(2, 4, 9, "min")
    assert [f.label for f in fields_for(triage, tier1.id) if f.family == "duration"] == [
        "handle time, shortest", "handle time, most likely", "handle time, longest"]


def test_typed_units_are_converted_to_the_stored_unit(triage):
    tier1 = triage.node_by_name("Tier 1")
    handle = field_for(triage, tier1.id, "handle_time.mean")
    assert to_stored(handle, "add", 40, "s") == pytest.approx(40 / 60)
    assert to_stored(handle, "set", 2, "h") == pytest.approx(120)
    assert to_stored(handle, "scale", 1.5, "s") == 1.5  # a factor has no unit
    assert from_stored(handle, "add", 40 / 60, "s") == pytest.approx(40)
    share = field_for(triage, tier1.id, "route.remove")
    assert to_stored(share, "set", 8, "%") == pytest.approx(0.08)
    rate = field_for(triage, triage.node_by_name("User reports").id, "rate_per_hour")
    assert to_stored(rate, "set", 2400, "per day") == pytest.approx(100)
    changed = apply_scenario(triage, Scenario("s", changes=[
        Change(tier1.id, "handle_time.mean", "add", to_stored(handle, "add", 40, "s"))]))
    assert changed.node_by_name("Tier 1").handle_time.mean == pytest.approx(5 + 40 / 60)


def test_describe_change_reads_in_planner_words(triage):
    source, tier1 = triage.node_by_name("User reports"), triage.node_by_name("Tier 1")
    team = triage.add_team(Team(name="Tier 1 – LA", shifts=[Shift(name="early", headcount=[10] * 5 + [0, 0])]))
    cases = [
        (Change(tier1.id, "handle_time.mean", "add", 40 / 60), "Tier 1 · handle time +40 s"),
        (Change(source.id, "rate_per_hour", "scale", 1.25), "User reports · arrival rate ×1.25"),
        (Change(tier1.id, "route.remove", "set", 0.08), "Tier 1 · remove share → 8 %"),
        (Change(team.id, "shifts.early.headcount", "set", [20] * 5 + [0, 0]),
         "Tier 1 – LA · headcount, early shift → 20 on Mon–Fri"),
        (Change(team.id, "shrinkage", "add", -0.05), "Tier 1 – LA · shrinkage −5 pts"),
    ]
    for change, words in cases:
        assert describe_change(triage, change) == words
    broken = describe_change(triage, Change(tier1.id, "route.escalate", "set", 0.1))
    assert broken.startswith("Tier 1 · escalate share → 10 %") and "⚠" in broken


def test_no_listing_shows_an_internal_path(triage):
    source, tier1 = triage.node_by_name("User reports"), triage.node_by_name("Tier 1")
    team = next(iter(triage.teams.values()))
    scenario = Scenario("s", changes=[Change(source.id, "rate_per_hour", "add", 10),
                                      Change(tier1.id, "handle_time.mean", "set", 6),
                                      Change(tier1.id, "route.keep", "scale", 0.9),
                                      Change(team.id, "shifts.all day.headcount", "add", 1)])
    lines = describe_scenario(triage, scenario)
    assert lines == ["User reports · arrival rate +10 per hour (60 → 70 per hour)",
                     "Tier 1 · handle time → 6 min (5 → 6 min)",
                     "Tier 1 · keep share ×0.9 (70 % → 63 %)",
                     "Generalists · headcount, all day shift +1 each day (8 → 9 every day)"]
    for line in lines:
        assert not any(path in line for path in PATHS), line


def test_durations_read_in_the_best_unit():
    assert duration_text(40 / 60, "min") == "40 s"
    assert duration_text(1.5, "min") == "1.5 min"
    assert duration_text(120, "min") == "120 min"
    assert duration_text(0.25, "h") == "15 min"
    assert weekday_text([9] * 7, [8] * 7) == "9 every day"
    assert weekday_text([8, 8, 8, 8, 8, 5, 8], [8] * 7) == "5 on Sat"


def test_old_scenario_files_load_and_keep_their_changes(tmp_path):
    workflow = read_workflow_json("examples/hate_speech_policy_change.flow.json")
    static = "Hate-speech definition widens, all at once"  # the example's static copy of its launch plan
    scenario = workflow.scenario_by_name(static)
    before = [(c.target, c.path, c.op, c.value) for c in scenario.changes]
    write_workflow_json(workflow, tmp_path / "again.flow.json")
    again = read_workflow_json(tmp_path / "again.flow.json").scenario_by_name(static)
    assert [(c.target, c.path, c.op, c.value) for c in again.changes] == before
    assert describe_scenario(workflow, scenario) == [
        "Hate speech reports · arrival rate ×1.25 (180 → 225 per hour)",
        "Tier 1 review · handle time for hate_speech +40 s (160 → 200 s)",
        "Tier 1 review · escalate share → 8 % (5 % → 8 %)"]


def test_a_change_reads_without_its_model_too():
    from flowmodel.change_words import describe_change_alone

    assert describe_change_alone(Change("gone", "rate_per_hour", "scale", 1.25)) == "arrival rate ×1.25"
    assert describe_change_alone(Change("gone", "route.escalate", "set", 0.08)) == "escalate share → 8 %"


def test_a_scenario_whose_branches_sum_to_103_percent_is_flagged(triage):
    from flowmodel.validation import validate

    remove = next(e for e in triage.edges.values() if e.label == "remove")
    triage.put_scenario(Scenario("More removals", changes=[Change(remove.id, "probability", "set", 0.33)]))
    [issue] = [i for i in validate(triage) if i.rule == "scenario-probability-sum"]
    assert issue.severity == "warning" and issue.node_id == remove.source
    assert issue.message == ("“Tier 1”: in scenario “More removals” the branches sum to 103 %, not 100 % "
                             "(remove 33 % + keep 70 %)")
    assert issue.hint.startswith("in the scenario, lower the remove share by 3 points")
    assert not [i for i in validate(triage) if i.rule == "scenario-invalid"]  # said once, not twice
    triage.put_scenario(Scenario("Rescaled", changes=[Change(remove.source, "route.remove", "set", 0.33)]))
    assert len([i for i in validate(triage) if i.rule == "scenario-probability-sum"]) == 1
