"""Readable units (Qt-free): durations by magnitude, and the one-line headline of a scenario."""

from __future__ import annotations

import math

import pytest

from flowmodel.scenarios import Change, Scenario
from reports.comparison import build_comparison
from reports.findings import headline
from reports.formatting import DAYS, number, readable_duration_unit, value_text
from simulations.executors import SerialExecutor
from simulations.runner import BASELINE_ID, run_scenarios


@pytest.mark.parametrize(("seconds", "unit"), [(0.0, "s"), (119.0, "s"), (120.0, "min"), (7199.0, "min"),
                                               (7200.0, "h"), (47 * 3600.0, "h"), (2 * 86400.0, "d"),
                                               (math.nan, "s"), (-3 * 86400.0, "d")])
def test_duration_unit_by_magnitude(seconds, unit):
    assert readable_duration_unit(seconds).name == unit


def test_multi_day_durations_read_in_days_not_minutes():
    assert value_text(290_400.0, readable_duration_unit(290_400.0)) == "3.36 d"
    assert DAYS.per == 86400.0


def test_headline_names_the_scenario_the_reference_and_the_changes(triage):
    stage = triage.node_by_name("Tier 1")
    slower = Scenario(name="Slower review", changes=[Change(stage.id, "handle_time.mean", "scale", 3.0)])
    triage.put_scenario(slower)
    settings = triage.run_settings
    settings.horizon_hours, settings.warmup_hours, settings.replications = 48.0, 4.0, 2
    run = run_scenarios(triage, [BASELINE_ID, slower.id], settings, executor=SerialExecutor())
    comparison = build_comparison(run)
    text = headline(comparison, 1)
    backlog = comparison.figure("system", "system", "in_queue_end_count").deltas[1]
    assert text.startswith("Slower review (against Baseline): ")
    assert "backlog at end" in text and "time to decision" in text
    assert text.count("→") >= 2
    assert f"backlog at end {number(backlog.baseline_mean)} → {number(backlog.scenario_mean)}" in text


def test_a_change_many_times_the_reference_reads_as_a_multiple() -> None:
    from ui.results.tables import relative_text

    assert [relative_text(x) for x in (0.039, -0.5, 8.0, 1113.19)] == ["+3.9 %", "−50.0 %", "+800.0 %", "×1,114"]
    assert relative_text(float("nan")) == "n/a"
