"""Arrival-rate tables (profiles in local time, DST, surges), NHPP generation, roster capacity timelines."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from engine_models import replicate, settings, single_stage
from scipy.stats import chi2

from flowmodel import ArrivalProfile, Distribution, ModelError, RunSettings, Shift, Source, Surge, Team
from simulations.arrivals import ArrivalClock, RateTable, rate_table
from simulations.rosters import available_reviewers, capacity_timeline
from simulations.spec import compile_run
from simulations.timebase import horizon_start

HOUR = 3600.0
MONDAY = datetime(2026, 3, 2, tzinfo=UTC)  # the US switches to daylight time on Sunday 8 March 2026


def test_horizon_starts_on_the_stated_weekday_of_the_start_dates_week() -> None:
    assert horizon_start(RunSettings(start_date="2026-03-05", start_weekday=0)) == MONDAY
    assert horizon_start(RunSettings(start_date="2026-03-05", start_weekday=2)) == datetime(2026, 3, 4, tzinfo=UTC)


def test_flat_source_is_one_constant_segment() -> None:
    table = rate_table(Source(rate_per_hour=90), MONDAY, 48 * HOUR, "source")
    assert table.times == (0.0,) and table.rates == (90 / HOUR,)
    assert table.expected_count(0, 48 * HOUR) == pytest.approx(90 * 48)


def test_daily_profile_is_normalised_to_mean_one() -> None:
    source = Source(rate_per_hour=100, profile=ArrivalProfile("daily", [1.0] * 12 + [3.0] * 12))
    table = rate_table(source, MONDAY, 24 * HOUR, "source")
    assert table.times == (0.0, 12 * HOUR)
    assert table.rates == pytest.approx((50 / HOUR, 150 / HOUR))


def test_weekly_profile_starts_on_monday_local_time() -> None:
    """Arrivals on Mondays only (Tokyo time): Monday 00:00–24:00 JST is Sunday 15:00 – Monday 15:00 UTC."""
    source = Source(rate_per_hour=7, timezone="Asia/Tokyo", profile=ArrivalProfile("weekly", [1.0] * 24 + [0.0] * 144))
    table = rate_table(source, MONDAY, 14 * 24 * HOUR, "source")
    assert [t / HOUR for t in table.times] == [0.0, 15.0, 6 * 24 + 15.0, 7 * 24 + 15.0, 13 * 24 + 15.0]
    assert [r * HOUR for r in table.rates] == pytest.approx([49.0, 0.0, 49.0, 0.0, 49.0])


def test_profile_follows_the_sources_local_time_through_daylight_saving() -> None:
    """Only local hour 9 carries arrivals: 14:00 UTC under EST, 13:00 UTC from 8 March (EDT)."""
    source = Source(rate_per_hour=24, timezone="America/New_York",
                    profile=ArrivalProfile("daily", [0.0] * 9 + [1.0] + [0.0] * 14))
    table = rate_table(source, MONDAY, 14 * 24 * HOUR, "source")
    busy = [(t / HOUR, rate * HOUR) for t, rate in zip(table.times, table.rates, strict=True) if rate > 0]
    assert busy == [(day * 24 + (14 if day < 6 else 13), 24 * 24.0) for day in range(14)]


def test_surges_multiply_the_rate_in_their_window() -> None:
    source = Source(rate_per_hour=60, surges=[Surge(start_hour=10, duration_hours=4, multiplier=3.0),
                                              Surge(start_hour=12, duration_hours=1, multiplier=2.0)])
    table = rate_table(source, MONDAY, 24 * HOUR, "source")
    assert table.times == (0.0, 10 * HOUR, 12 * HOUR, 13 * HOUR, 14 * HOUR)
    assert [r * HOUR for r in table.rates] == pytest.approx([60, 180, 360, 180, 60])
    assert table.expected_count(0, 24 * HOUR) == pytest.approx(60 * 20 + 180 * 3 + 360)


def test_bad_profile_and_time_zone_are_named() -> None:
    with pytest.raises(ModelError, match="24 hourly multipliers"):
        rate_table(Source(profile=ArrivalProfile("daily", [1.0] * 23)), MONDAY, HOUR, "source 'Reports'")
    with pytest.raises(ModelError, match="unknown time zone") as caught:
        rate_table(Source(timezone="Mars/Olympus"), MONDAY, HOUR, "source 'Reports'")
    assert caught.value.where == "source 'Reports' · timezone"


def test_arrival_clock_inverts_the_cumulative_intensity() -> None:
    clock = ArrivalClock(RateTable((0.0, 10.0, 20.0), (1.0, 0.0, 2.0), 30.0))
    assert clock.next_time(0.0, 5.0) == pytest.approx(5.0)
    assert clock.next_time(5.0, 10.0) == pytest.approx(22.5)  # 5 in [5, 10), nothing in [10, 20), 5 at rate 2
    assert clock.next_time(22.5, 20.0) == math.inf  # only 15 left before the end


def test_time_of_day_arrivals_and_a_surge_reproduce_the_expected_hourly_volumes() -> None:
    """Hourly arrival counts (summed over replications) against ∫λ per hour: chi-square (p > 0.001),
    exact zeros where the profile is 0, and the surge window's total within 4 standard deviations."""
    night_off = [0.0] * 6 + [1.0, 2.0, 3.0, 4.0, 4.0, 3.0, 3.0, 3.0, 4.0, 4.0, 3.0, 2.0] + [1.0] * 4 + [0.0] * 2
    workflow = single_stage(120, Distribution.exponential(1, "min"), 20)
    source = workflow.nodes["reports"]
    source.timezone = "Europe/Berlin"
    source.profile = ArrivalProfile("daily", night_off)
    source.surges = [Surge(start_hour=30, duration_hours=5, multiplier=3.0)]
    spec = compile_run(workflow, None, settings(72, interval_minutes=60))
    results = replicate(spec, 10)
    observed = [sum(values) for values in zip(*(next(s.values for s in r.series if s.scope_kind == "source")
                                                 for r in results), strict=True)]
    table = spec.nodes[0].rates
    expected = [10 * table.expected_count(h * HOUR, (h + 1) * HOUR) for h in range(72)]
    for o, e in zip(observed, expected, strict=True):
        if e == 0:
            assert o == 0  # profile hours at 0 (00:00–06:00 and 22:00–24:00 Berlin = 23:00–05:00 UTC…)
    bins = [(o, e) for o, e in zip(observed, expected, strict=True) if e > 0]
    assert len(bins) == 48
    # independent Poisson counts: Σ (o − e)² / e is chi-square with one degree of freedom per hour
    statistic = sum((o - e) ** 2 / e for o, e in bins)
    assert chi2.sf(statistic, len(bins)) > 0.001
    surge = sum(observed[30:35])
    assert abs(surge - sum(expected[30:35])) < 4 * math.sqrt(sum(expected[30:35]))


def test_available_reviewers_round_to_the_nearest_with_halves_up() -> None:
    assert [available_reviewers(10, 0.35), available_reviewers(10, 0.25), available_reviewers(3, 0.5),
            available_reviewers(1, 0.3), available_reviewers(1, 0.6), available_reviewers(0, 0.1)] == [7, 8, 2, 1, 0, 0]


def test_weekday_day_shift_timeline_with_shrinkage() -> None:
    team = Team(shrinkage=0.35, shifts=[Shift("day", 9, 8, [10, 10, 10, 10, 10, 0, 0])])
    timeline = capacity_timeline(team, MONDAY, 7 * 24 * HOUR, "team")
    expected_times = [0.0] + [t for day in range(5) for t in (day * 24 + 9, day * 24 + 17)]
    assert timeline.times == tuple(t * HOUR for t in expected_times)
    assert timeline.rostered == (0,) + (10, 0) * 5
    assert timeline.available == (0,) + (7, 0) * 5


def test_a_night_shift_runs_past_midnight_and_belongs_to_its_start_day() -> None:
    team = Team(shrinkage=0.0, shifts=[Shift("night", 22, 8, [5, 0, 0, 0, 0, 0, 0])])
    timeline = capacity_timeline(team, MONDAY, 7 * 24 * HOUR, "team")
    assert timeline.times == (0.0, 22 * HOUR, 30 * HOUR)
    assert timeline.rostered == (0, 5, 0)


def test_roster_in_local_time_moves_in_utc_when_daylight_saving_starts() -> None:
    team = Team(shrinkage=0.0, timezone="America/New_York", shifts=[Shift("day", 9, 8, [4] * 7)])
    timeline = capacity_timeline(team, MONDAY, 14 * 24 * HOUR, "team")
    starts = [t / HOUR for t, r in zip(timeline.times, timeline.rostered, strict=True) if r == 4]
    assert starts == [day * 24 + (14 if day < 6 else 13) for day in range(14)]


def test_paid_hours_cost_and_utilisation_of_a_weekday_team() -> None:
    shifts = [Shift("day", 9, 8, [10, 10, 10, 10, 10, 0, 0])]
    workflow = single_stage(20, Distribution.exponential(10, "min"), 0, shifts=shifts)
    workflow.teams["team"].hourly_cost = 30.0
    result = replicate(compile_run(workflow, None, settings(168)), 1)[0]
    assert result.metric("team", "Team", "paid_hours_h") == pytest.approx(400.0)
    assert result.metric("team", "Team", "cost") == pytest.approx(12_000.0)
    assert result.metric("team", "Team", "available_reviewers_mean") == pytest.approx(400 / 168)
    assert 0.1 < result.metric("team", "Team", "utilisation_share") < 1.0
