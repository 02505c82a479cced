"""Class 1: numbers outside float range or of absurd magnitude are refused with a message naming the place,
never a traceback.

Three gateways let a foreign number in, and each refuses one that is not usable (finite, magnitude at most
``limits.MAX_ABS_NUMBER``): loading a document (a LoadError naming the field path), a scenario change (a
ModelError naming the target and path; the result of a scale or add too) and a field edit. Validation then
holds usable numbers to the model limits (``past-limit``, ``invalid-run-settings``), and the engine compiles
and samples whatever validation lets through. The command line prints one message and exits 1 or 2.
"""

from __future__ import annotations

import json
import math
import random
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import make_triage_workflow
from hostile_helpers import Outcome, one_error_line, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowmodel import Change, Distribution, ModelError, RunSettings, Scenario, SlaTarget, Surge, Workflow
from flowmodel.errors import LoadError
from flowmodel.jsonfile import read_workflow_json
from flowmodel.limits import (
    EARLIEST_START_DATE,
    LATEST_START_DATE,
    MAX_ABS_NUMBER,
    MAX_DURATION_SECONDS,
    MAX_HEADCOUNT,
    MAX_HORIZON_HOURS,
    MAX_RATE_PER_HOUR,
    MAX_SURGE_MULTIPLIER,
)
from flowmodel.paths import set_path
from flowmodel.scenarios import apply_scenario
from flowmodel.serialization import workflow_from_dict
from flowmodel.validation import validate
from flowmodel.validation_parameters import check_parameters
from simulations.executors import SerialExecutor
from simulations.rosters import MAX_SPAN_S, capacity_timeline
from simulations.runner import run_scenarios
from simulations.spec import compile_run
from simulations.streams import bind, sampler_spec
from simulations.timebase import horizon_start

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.flow.json"))
TRIAGE = EXAMPLES[-1]
assert TRIAGE.name == "user_report_triage.flow.json"

HUGE = 10**400
HOSTILE = st.one_of(
    st.sampled_from([HUGE, -HUGE, math.nan, math.inf, -math.inf, 1e308, -1e308, 10**12 + 1, 10**30]),
    st.integers(min_value=10**12 + 1, max_value=10**500),
    st.floats(min_value=MAX_ABS_NUMBER, exclude_min=True),
)


# -- the places of a document's numbers, named as a LoadError names them -----------------------------------
def _label(item: Any, index: int, what: str) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return f"{what}[{index}] ({name})" if isinstance(name, str) and name else f"{what}[{index}]"


def _walk(value: Any, keys: tuple, where: str, out: list[tuple[tuple, str]]) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        out.append((keys, where))
    elif isinstance(value, dict):
        for key, inner in value.items():
            _walk(inner, (*keys, key), f"{where}.{key}", out)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            _walk(inner, (*keys, i), f"{where}[{i}]", out)


def numeric_places(document: dict) -> list[tuple[tuple, str]]:
    """(keys to reach it, the place a LoadError names) for every number in ``document``."""
    out: list[tuple[tuple, str]] = []
    for key, value in document.items():
        if key in ("nodes", "teams", "scenarios", "edges") and isinstance(value, list):
            for i, item in enumerate(value):
                _walk(item, (key, i), _label(item, i, key) if key != "edges" else f"edges[{i}]", out)
        else:
            _walk(value, (key,), key, out)
    return out


def replaced(document: dict, keys: tuple, value: Any) -> dict:
    copy = json.loads(json.dumps(document))
    holder = copy
    for key in keys[:-1]:
        holder = holder[key]
    holder[keys[-1]] = value
    return copy


DOCUMENTS = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in EXAMPLES}
PLACES = [(name, keys, where) for name, document in DOCUMENTS.items() for keys, where in numeric_places(document)]


def test_every_example_has_numbers_in_every_part() -> None:
    """The property below covers nodes, edges, teams, scenario change values and run settings."""
    heads = {where.split("[")[0].split(".")[0] for _, _, where in PLACES}
    assert {"nodes", "edges", "teams", "scenarios", "run_settings", "schema_version"} <= heads
    assert any(where.endswith(".value") for _, _, where in PLACES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PLACES), value=HOSTILE)
def test_a_hostile_number_in_any_field_is_a_load_error_naming_that_field(place: tuple, value: Any) -> None:
    name, keys, where = place
    text = json.dumps(replaced(DOCUMENTS[name], keys, value), allow_nan=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(LoadError) as caught:
            read_workflow_json(path)
    assert caught.value.where == f"{path} › {where}"
    assert "\n" not in caught.value.message and len(caught.value.message) < 300


@settings(max_examples=60, deadline=None)
@given(place=st.sampled_from([p for p in PLACES if p[2] != "schema_version"]),
       value=st.sampled_from([MAX_ABS_NUMBER, -MAX_ABS_NUMBER, 10**12, 0]))
def test_a_number_at_the_limit_loads(place: tuple, value: float) -> None:
    """Loading checks magnitude only; whether 1e12 reviewers make sense is validation's question."""
    name, keys, _ = place
    assert isinstance(workflow_from_dict(replaced(DOCUMENTS[name], keys, value)), Workflow)


# -- scenario changes and edits --------------------------------------------------------------------------
@pytest.mark.parametrize("op, value, fragment", [
    ("set", math.nan, "the change's value: NaN"),
    ("set", math.inf, "the change's value: infinity"),
    ("add", -math.inf, "the change's value: -infinity"),
    ("set", HUGE, "the change's value: the number 1e400 is past the limit"),
    ("scale", 1e300, "the number 1e300 is past the limit"),
    ("scale", 1e12, "scaling 60 by 1e12 gives 6e13, which is not a usable number"),
    ("add", 1e12, "adding 1e12 to 60 gives 1.00000000006e12, which is not a usable number"),
])
def test_a_hostile_change_value_or_result_does_not_apply(triage: Workflow, op: str, value: Any,
                                                         fragment: str) -> None:
    source = triage.node_by_name("User reports")
    scenario = Scenario("Hostile", changes=[Change(source.id, "rate_per_hour", op, value)])
    with pytest.raises(ModelError) as caught:
        apply_scenario(triage, scenario)
    assert caught.value.where == "change User reports · arrival rate"
    assert fragment in caught.value.message
    triage.put_scenario(scenario)
    warnings = [i for i in validate(triage) if i.rule == "scenario-does-not-apply"]
    assert len(warnings) == 1
    assert "Scenario “Hostile” does not apply: change User reports · arrival rate: " in warnings[0].message


def test_a_hostile_element_of_a_list_value_is_named(triage: Workflow) -> None:
    team = triage.team_by_name("Generalists")
    change = Change(team.id, "shifts.all day.headcount", "set", [8, 8, 8, 8, 8, 8, HUGE])
    with pytest.raises(ModelError, match=r"the change's value\[6\]: the number 1e400") as caught:
        apply_scenario(triage, Scenario("Hostile", changes=[change]))
    assert caught.value.where == "change Generalists · headcount, all day shift"


def test_a_branch_probability_change_is_checked_too(triage: Workflow) -> None:
    tier1 = triage.node_by_name("Tier 1")
    with pytest.raises(ModelError, match="NaN") as caught:
        apply_scenario(triage, Scenario("Hostile", changes=[Change(tier1.id, "route.remove", "set", math.nan)]))
    assert caught.value.where == "change Tier 1 · remove share"


@pytest.mark.parametrize("path, value", [("rate_per_hour", HUGE), ("rate_per_hour", math.nan),
                                         ("rate_per_hour", -1e13), ("surges", [])])
def test_a_field_edit_refuses_what_a_file_could_not_hold(triage: Workflow, path: str, value: Any) -> None:
    source = triage.node_by_name("User reports")
    if path == "surges":  # an edit of a number inside a list keeps the rule
        source.surges.append(Surge(0, 1, 2))
        path, value = "surges.0.multiplier", math.inf
    with pytest.raises(ModelError, match=f"^{path}: "):
        set_path(source, path, value)


# -- validation against the model limits -------------------------------------------------------------------
def _errors(workflow: Workflow, rule: str) -> list:
    return [i for i in validate(workflow) if i.severity == "error" and i.rule == rule]


CASES = {
    "rate": (lambda w: setattr(w.node_by_name("User reports"), "rate_per_hour", MAX_RATE_PER_HOUR * 2),
             "rate_per_hour", "the arrival rate of 2,000,000 items per hour is above the limit of 1,000,000"),
    "surge": (lambda w: w.node_by_name("User reports").surges.append(Surge(0, 4, MAX_SURGE_MULTIPLIER * 10, "v")),
              "surges.0.multiplier", "surge v: multiplier ×10,000 is above the limit of ×1,000"),
    "overlap": (lambda w: w.node_by_name("User reports").surges.extend([Surge(0, 4, 50), Surge(2, 4, 40)]),
                "surges", "the surges overlapping at hour 2 multiply the rate by ×2,000"),
    "surge start": (lambda w: w.node_by_name("User reports").surges.append(Surge(1e9, 4, 2)),
                    "surges.0.start_hour", "start_hour 1e9 h is above the limit of 26,352 h"),
    "headcount": (lambda w: setattr(w.team_by_name("Generalists").shifts[0], "headcount", [10**30] * 7),
                  "shifts.all day.headcount", "the headcount of 1e30 on Monday is above the limit of 100,000"),
    "sd": (lambda w: setattr(w.node_by_name("Tier 1"), "handle_time", Distribution.lognormal(5, 1e300, "min")),
           "handle_time.sd", "the sd of 1e300 min is above the limit of 527,040 min (366 days"),
    "huge int sd": (lambda w: setattr(w.node_by_name("Tier 1"), "handle_time", Distribution.gamma(5, HUGE, "s")),
                    "handle_time.sd", "the sd of 1e400 s is above the limit of 31,622,400 s"),
    "expiry": (lambda w: setattr(w.node_by_name("Tier 1"), "expiry", Distribution.fixed(400, "d")),
               "expiry.mean", "the mean of 400 d is above the limit of 366 d"),
    "sample": (lambda w: setattr(w.node_by_name("Tier 1"), "handle_time", Distribution.empirical([60, 4e7])),
               "handle_time.samples", "sample 2 of 2 is 40,000,000 s, above the limit of 31,622,400 s"),
    "sla": (lambda w: w.node_by_name("Tier 1").sla.append(SlaTarget("P1", 1e6, "h", 0.9)),
            "sla.P1.within", "SLA for P1: the time limit of 1,000,000 h is above the limit of 8,784 h"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_value_past_a_model_limit_is_an_error_naming_field_limit_and_why(triage: Workflow, case: str) -> None:
    mutate, field, fragment = CASES[case]
    mutate(triage)
    found = _errors(triage, "past-limit")
    assert [i.field for i in found] == [field]
    assert fragment in found[0].message and "(" in found[0].message  # the reason comes in brackets
    assert found[0].hint


def test_values_at_the_model_limits_pass(triage: Workflow) -> None:
    triage.node_by_name("User reports").rate_per_hour = MAX_RATE_PER_HOUR
    triage.node_by_name("User reports").surges.append(Surge(0, MAX_HORIZON_HOURS, MAX_SURGE_MULTIPLIER))
    triage.team_by_name("Generalists").shifts[0].headcount = [MAX_HEADCOUNT] * 7
    triage.node_by_name("Tier 1").handle_time = Distribution.lognormal(1e-300, MAX_DURATION_SECONDS, "s")
    triage.node_by_name("Tier 1").sla.append(SlaTarget("P1", 366, "d", 0.9))
    assert _errors(triage, "past-limit") == []


@settings(max_examples=80, deadline=None)
@given(target=st.sampled_from(["rate_per_hour", "shrinkage", "hourly_cost", "share", "within", "hours", "mean",
                               "sd", "samples", "multiplier", "multipliers", "headcount"]), value=HOSTILE)
def test_parameter_checks_never_raise_on_hostile_numbers(target: str, value: Any) -> None:
    workflow = make_triage_workflow()
    source, tier1 = workflow.node_by_name("User reports"), workflow.node_by_name("Tier 1")
    team = workflow.team_by_name("Generalists")
    holders = {"rate_per_hour": source, "shrinkage": team, "hourly_cost": team, "hours": team.shifts[0],
               "mean": tier1.handle_time}
    if target in holders:
        setattr(holders[target], target, value)
    elif target == "share":
        source.mix[0].share = value
    elif target == "sd":
        tier1.handle_time = Distribution.gamma(60, value)
    elif target == "samples":
        tier1.handle_time = Distribution.empirical([60, value])
    elif target == "within":
        tier1.sla.append(SlaTarget("P1", value, "h", 0.9))
    elif target == "multiplier":
        source.surges.append(Surge(0, 1, value))
    elif target == "multipliers":
        source.profile.kind, source.profile.multipliers = "daily", [1.0] * 23 + [value]
    else:
        team.shifts[0].headcount = [8] * 6 + [value]
    issues = check_parameters(workflow)
    assert all(i.rule and i.message for i in issues)


# -- run settings -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("changes, field, fragment", [
    ({"horizon_hours": 1e9 * 24}, "horizon_hours",
     "the horizon of 2.4e10 h is longer than the limit of 26,352 h (3 years"),
    ({"horizon_hours": HUGE}, "horizon_hours", "the horizon of 1e400 h is longer than the limit"),
    ({"replications": 10**6}, "replications", "1,000,000 replications are more than the limit of 1,000"),
    ({"interval_minutes": 0.01}, "interval_minutes",
     "gives 2,016,000 points per series, more than the limit of 50,000"),
    ({"interval_minutes": 5e-324}, "interval_minutes", "gives countless points per series"),
    ({"interval_minutes": HUGE}, "interval_minutes", "the time-series interval of 1e400 min is longer"),
    ({"start_date": "9999-12-31"}, "start_date", "the start date 9999-12-31 is outside the supported range"),
    ({"start_date": "0001-01-01"}, "start_date", "1970-01-01 to 2200-12-31"),
])
def test_run_settings_past_their_limits_are_errors(triage: Workflow, changes: dict, field: str,
                                                   fragment: str) -> None:
    for name, value in changes.items():
        setattr(triage.run_settings, name, value)
    found = _errors(triage, "invalid-run-settings")
    assert [i.field for i in found] == [f"run_settings.{field}"]
    assert found[0].message.startswith("Run settings: ") and fragment in found[0].message


@settings(max_examples=100, deadline=None)
@given(field=st.sampled_from(["horizon_hours", "warmup_hours", "replications", "seed", "interval_minutes",
                              "start_weekday"]), value=HOSTILE)
def test_run_settings_problems_never_raise(field: str, value: Any) -> None:
    problems = RunSettings(**{field: value}).problems()
    assert all(isinstance(name, str) and message for name, message in problems)


# -- the engine at the limits ---------------------------------------------------------------------------------
POSITIVE_DURATIONS = st.floats(min_value=5e-324, max_value=MAX_DURATION_SECONDS)


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(["lognormal", "gamma"]), mean=POSITIVE_DURATIONS, sd=POSITIVE_DURATIONS)
def test_lognormal_and_gamma_compile_and_sample_at_any_validated_parameters(kind: str, mean: float,
                                                                            sd: float) -> None:
    distribution = Distribution(kind, "s", mean=mean, sd=sd)
    assert distribution.problems() == []
    draw = bind(sampler_spec(distribution, "Tier 1 · handle_time"), random.Random(7))
    assert all(math.isfinite(x) and x >= 0 for x in (draw() for _ in range(200)))


@pytest.mark.parametrize("kind", ["lognormal", "gamma"])
def test_a_run_with_a_tiny_mean_and_an_sd_of_a_year_completes(triage: Workflow, kind: str) -> None:
    """What validation lets through, the engine runs: this lognormal's compile overflowed before."""
    triage.node_by_name("Tier 1").handle_time = Distribution(kind, "s", mean=1e-300, sd=MAX_DURATION_SECONDS)
    assert [i for i in validate(triage) if i.severity == "error"] == []
    run = run_scenarios(triage, [None], RunSettings(horizon_hours=6, warmup_hours=0, replications=1),
                        executor=SerialExecutor())
    assert run.replications and all(math.isfinite(m.value) or math.isnan(m.value)
                                    for r in run.replications for m in r.metrics)


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "1969-12-31", "2201-01-01"])
def test_the_engine_refuses_a_start_date_outside_the_calendar_range(start: str) -> None:
    with pytest.raises(ModelError, match="outside the supported range") as caught:
        horizon_start(RunSettings(start_date=start))
    assert caught.value.where == "run settings · start_date"


@pytest.mark.parametrize("start", [EARLIEST_START_DATE, LATEST_START_DATE])
def test_a_run_compiles_at_the_calendar_and_horizon_limits(triage: Workflow, start: Any) -> None:
    settings_ = RunSettings(horizon_hours=MAX_HORIZON_HOURS, warmup_hours=0, replications=1,
                            start_date=start.isoformat())
    spec = compile_run(triage, None, settings_, drain=True)
    assert spec.end_cap_s <= MAX_SPAN_S
    team = triage.team_by_name("Generalists")
    team.timezone = "America/New_York"  # daylight-saving change points, over a shorter span
    timeline = capacity_timeline(team, horizon_start(settings_), timedelta(days=60).total_seconds(), "team")
    assert len(timeline.times) >= 1


# -- through the command line -----------------------------------------------------------------------------------
def _file(folder: Path, name: str, document: dict) -> tuple[Path, bytes]:
    path = folder / name
    path.write_text(json.dumps(document, allow_nan=True), encoding="utf-8")
    return path, path.read_bytes()


def _assert_clean(outcome: Outcome, code: int, path: Path, before: bytes) -> None:
    assert outcome.code == code, outcome.stderr
    assert not outcome.has_traceback, outcome.stderr
    assert path.read_bytes() == before


def _triage_document() -> dict:
    return json.loads(json.dumps(DOCUMENTS[TRIAGE.name]))


def test_cli_validate_names_the_field_of_a_huge_integer(tmp_path: Path) -> None:
    document = _triage_document()
    document["nodes"][0]["rate_per_hour"] = HUGE
    path, before = _file(tmp_path, "huge.flow.json", document)
    outcome = run_cli("validate", path)
    _assert_clean(outcome, 2, path, before)
    line = one_error_line(outcome)
    assert f"nodes[0] ({document['nodes'][0]['name']}).rate_per_hour: the number 1e400 is past the limit" in line


def test_cli_validate_reports_a_start_date_past_the_calendar(tmp_path: Path) -> None:
    document = _triage_document()
    document["run_settings"]["start_date"] = "9999-12-31"
    path, before = _file(tmp_path, "date.flow.json", document)
    outcome = run_cli("validate", path)
    _assert_clean(outcome, 1, path, before)
    rows = [line for line in outcome.stdout.splitlines() if "run_settings.start_date" in line]
    assert len(rows) == 1 and "the start date 9999-12-31 is outside the supported range" in rows[0]


def test_cli_simulate_refuses_a_saved_horizon_of_a_billion_days(tmp_path: Path) -> None:
    document = _triage_document()
    document["run_settings"]["horizon_hours"] = 1e9 * 24
    path, before = _file(tmp_path, "horizon.flow.json", document)
    outcome = run_cli("simulate", path)
    _assert_clean(outcome, 1, path, before)
    line = one_error_line(outcome)
    assert "the workflow's saved horizon: the horizon of 2.4e10 h is longer than the limit of 26,352 h" in line


def test_cli_simulate_names_the_scenario_whose_scale_leaves_the_limit(tmp_path: Path) -> None:
    document = _triage_document()
    scenario = document["scenarios"][0]
    change = scenario["changes"][0]
    assert (change["path"], change["op"]) == ("rate_per_hour", "scale")
    change["value"] = MAX_ABS_NUMBER
    path, before = _file(tmp_path, "scale.flow.json", document)
    outcome = run_cli("simulate", path, "--scenario", scenario["name"], "--horizon", "1d", "--warmup", "0h",
                      "--replications", "1")
    _assert_clean(outcome, 1, path, before)
    line = one_error_line(outcome)
    assert f"scenario '{scenario['name']}' · change {document['nodes'][0]['name']} · arrival rate: scaling" in line
    assert "which is not a usable number" in line


def test_an_integer_too_long_for_python_to_read_is_a_load_error(tmp_path: Path) -> None:
    """Past 4,300 digits ``json.loads`` refuses to convert an integer at all (a ValueError, not a number)."""
    path = tmp_path / "long.flow.json"
    path.write_text('{"format": "flowmodel.workflow", "schema_version": 1, "name": ' + "9" * 5000 + "}")
    before = path.read_bytes()
    with pytest.raises(LoadError, match="more than 4,300 digits"):
        read_workflow_json(path)
    outcome = run_cli("validate", path)
    assert outcome.code == 2 and not outcome.has_traceback
    assert str(path) in one_error_line(outcome) and path.read_bytes() == before
