"""Review findings on validation: what `validate` passed but a run then refused, and scenario messages
that broke the one-line-per-issue table."""

from __future__ import annotations

import pytest

from flowmodel import Change, Distribution, Scenario, Workflow
from flowmodel.errors import ModelError
from flowmodel.paths import coerce_like
from flowmodel.validation import validate


def _source_id(workflow: Workflow) -> str:
    return next(n.id for n in workflow.nodes.values() if n.kind == "source")


def _stage(workflow: Workflow):
    return next(n for n in workflow.nodes.values() if n.kind == "review_stage")


def test_a_scenario_that_makes_the_model_invalid_is_a_warning_naming_the_node(triage: Workflow) -> None:
    source = _source_id(triage)
    triage.scenarios["s"] = Scenario(name="Typo", id="s", changes=[Change(source, "rate_per_hour", "scale", -10)])
    issues = validate(triage)
    assert [(i.severity, i.rule, i.node_id) for i in issues] == [("warning", "scenario-invalid", source)]
    assert "Typo" in issues[0].message and "arrival rate -600.0 per hour must be above 0" in issues[0].message


def test_a_scenario_that_keeps_the_model_valid_reports_nothing(triage: Workflow) -> None:
    source = _source_id(triage)
    triage.scenarios["s"] = Scenario(name="Busier", id="s", changes=[Change(source, "rate_per_hour", "scale", 1.2)])
    assert validate(triage) == []


def test_a_scenario_that_does_not_apply_is_one_line(triage: Workflow) -> None:
    triage.scenarios["s"] = Scenario(name="Old", id="s", changes=[Change("gone", "rate_per_hour", "scale", 2)])
    (issue,) = validate(triage)
    assert issue.rule == "scenario-does-not-apply"
    assert "\n" not in issue.message and "What to do" not in issue.message
    assert "does not exist" in issue.message and "existing node or team" in issue.hint


def test_a_start_date_that_is_not_a_date_is_a_run_settings_error(triage: Workflow) -> None:
    triage.run_settings.start_date = "2026-13-45"
    (issue,) = validate(triage)
    assert (issue.severity, issue.rule, issue.field) == ("error", "invalid-run-settings", "run_settings.start_date")
    assert "2026-13-45" in issue.message


def test_an_expiry_of_zero_is_an_error(triage: Workflow) -> None:
    stage = _stage(triage)
    stage.expiry = Distribution.fixed(0, "h")
    (issue,) = validate(triage)
    assert (issue.severity, issue.rule, issue.node_id, issue.field) == ("error", "invalid-expiry", stage.id,
                                                                         "expiry.mean")
    stage.expiry = Distribution.fixed(2, "h")
    assert validate(triage) == []


def test_a_team_whose_shrinkage_leaves_nobody_on_the_floor_does_not_staff_its_stage(triage: Workflow) -> None:
    """One reviewer at 60 % shrinkage: 0.4 available, which the engine rounds to nobody — the stage would
    never be worked, so validation must not pass it (it used to, and the run built an endless backlog)."""
    team = next(iter(triage.teams.values()))
    team.shifts[0].headcount = [1] * 7
    team.shrinkage = 0.6
    (issue,) = [i for i in validate(triage) if i.severity == "error"]
    assert (issue.rule, issue.node_id) == ("stage-unstaffed", _stage(triage).id)
    assert "after shrinkage" in issue.message
    team.shrinkage = 0.5  # 0.5 rounds up to one reviewer
    assert [i.rule for i in validate(triage) if i.severity == "error"] == []


def test_a_whole_number_field_accepts_any_whole_number_and_refuses_fractions() -> None:
    """``float(value) != int(value)`` called 10**30 + 8 "not a whole number" (the float rounds it); now a number
    past ``MAX_ABS_NUMBER`` is refused as too large, and every whole number below it is kept exactly."""
    with pytest.raises(ModelError, match="past the limit"):
        coerce_like(5, 10**30 + 8, "shifts.day.headcount")
    assert coerce_like(5, 10**12 - 1, "shifts.day.headcount") == 10**12 - 1
    assert coerce_like(5, 7.0, "shifts.day.headcount") == 7
    with pytest.raises(ModelError, match="whole number"):
        coerce_like(5, 7.5, "shifts.day.headcount")
