"""Arrival fits from hourly volume histories (simulations.forecast) against synthetic histories of known truth.

Tolerances, from the counting noise of the truth (8 weeks at a mean of 120 items per hour): the quietest local
hour of the week averages 0.46 × 120 ≈ 56 items, so each of its 8 samples is ±13 % and the fitted multiplier has a
standard error of 1/√(8 × 56) ≈ 4.7 %. Every multiplier must be within 4 standard errors of the truth, the worst
within 15 % (about 3.2 standard errors at the quietest hour), the mean error under 4 %.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from flowmodel import ArrivalProfile, MixEntry, ModelError, Source
from flowmodel.imports.history import VolumeHistory
from flowmodel.imports.volumes import read_volumes
from simulations.arrivals import normalised_profile
from simulations.forecast import apply_arrival_fit, detect_outlier_days, fit_arrivals, mix_from_history
from tests.data_gen import volumes as generated
from tests.forecast_fixtures import DST_CHANGE, INCIDENT_DAY, PEAK_HOUR, ZONE, synthetic_history, true_profile

LEVEL = 120.0
DATA = Path(__file__).parent / "data"
MISSING = (5, 6, 7, 400, 901, 1200)


@pytest.fixture(scope="module")
def clean() -> VolumeHistory:
    return synthetic_history(level=LEVEL, missing_hours=MISSING)


@pytest.fixture(scope="module")
def clean_fit(clean):
    return fit_arrivals(clean, horizon_hours=336)


@pytest.fixture(scope="module")
def incident() -> VolumeHistory:
    return synthetic_history(level=LEVEL, incident=INCIDENT_DAY, seed=11)


def _relative_errors(profile) -> np.ndarray:
    return np.asarray(profile) / np.asarray(true_profile()) - 1.0


def test_weekly_profile_and_level_are_recovered_within_the_counting_noise(clean_fit):
    truth = np.asarray(true_profile())
    fitted = np.asarray(clean_fit.weekly_profile)
    assert len(fitted) == 168 and fitted.mean() == pytest.approx(1.0, abs=1e-12)
    errors = _relative_errors(fitted)
    standard_error = 1.0 / np.sqrt(8 * LEVEL * truth)
    assert np.all(np.abs(errors) < 4 * standard_error)
    assert np.abs(errors).max() < 0.15
    assert np.abs(errors).mean() < 0.04
    assert np.corrcoef(fitted, truth)[0, 1] > 0.99
    assert clean_fit.level_per_hour == pytest.approx(LEVEL, rel=0.05)


def test_fitted_follows_the_history_and_is_missing_where_it_is(clean, clean_fit):
    assert len(clean_fit.fitted) == clean.hours
    assert all(math.isnan(clean_fit.fitted[i]) for i in MISSING)
    assert sum(math.isnan(v) for v in clean_fit.fitted) == len(MISSING)
    # hourly counting noise alone gives about 8 % here; the fit adds little to it
    assert clean_fit.mape_fit < 0.09
    assert any("6 missing hours" in note for note in clean_fit.notes)


def test_hold_out_week_is_the_last_week_and_forecast_well(clean, clean_fit):
    holdout = clean_fit.holdout
    assert holdout is not None and holdout.start_utc == clean.hour_start(clean.hours - 168)
    np.testing.assert_array_equal(holdout.actual, clean.counts[-168:])  # NaN where the history is missing
    assert len(holdout.predicted) == 168
    assert clean_fit.mape_holdout == holdout.mape
    assert clean_fit.mape_holdout < 0.15


def test_forecast_starts_at_the_end_of_the_history_and_averages_the_level(clean, clean_fit):
    assert clean_fit.forecast_start_utc == clean.hour_start(clean.hours)
    assert clean_fit.horizon_hours == 336
    assert np.mean(clean_fit.forecast) == pytest.approx(clean_fit.level_per_hour, rel=0.01)
    # the same local hour of the week next week is forecast as this week's truth, within noise and trend
    truth = np.asarray(true_profile())
    start = clean_fit.forecast_start_utc
    for i in (0, 50, 100, 200):
        local = (start + timedelta(hours=i)).astimezone(ZoneInfo(ZONE))
        expected = LEVEL * truth[local.weekday() * 24 + local.hour]
        assert clean_fit.forecast[i] == pytest.approx(expected, rel=0.15)


def test_a_later_forecast_start_extrapolates_the_trend_across_the_gap(clean, clean_fit):
    later = clean.hour_start(clean.hours) + timedelta(days=7)
    fit = fit_arrivals(clean, horizon_hours=24, forecast_start_utc=later)
    assert fit.forecast_start_utc == later and len(fit.forecast) == 24
    assert fit.level_per_hour == pytest.approx(clean_fit.level_per_hour, rel=0.05)
    with pytest.raises(ModelError, match="whole UTC hour"):
        fit_arrivals(clean, horizon_hours=24, forecast_start_utc=clean.start_utc)


def test_the_evening_peak_stays_at_20_local_on_both_sides_of_the_spring_change(clean, clean_fit):
    zone = ZoneInfo(ZONE)
    peaks_utc = {}
    for day in (DST_CHANGE - timedelta(days=4), DST_CHANGE + timedelta(days=3)):  # two Wednesdays
        hours = [i for i in range(clean.hours) if clean.hour_start(i).astimezone(zone).date() == day]
        best = max(hours, key=lambda i: clean_fit.fitted[i])
        assert clean.hour_start(best).astimezone(zone).hour == PEAK_HOUR
        peaks_utc[day] = clean.hour_start(best).hour
    assert sorted(peaks_utc.values()) == [PEAK_HOUR - 2, PEAK_HOUR - 1]  # CEST then CET: the UTC hour moved
    profile = np.asarray(clean_fit.weekly_profile).reshape(7, 24)
    assert all(int(np.argmax(day)) == PEAK_HOUR for day in profile)


def test_the_forecast_keeps_the_local_peak_across_the_autumn_change():
    history = synthetic_history(weeks=3, start_local=datetime(2026, 9, 28, tzinfo=ZoneInfo(ZONE)))  # a Monday
    fit = fit_arrivals(history, horizon_hours=14 * 24)  # 19 Oct – 1 Nov, across 25 Oct
    zone = ZoneInfo(ZONE)
    peaks = {}
    for i, value in enumerate(fit.forecast):
        local = (fit.forecast_start_utc + timedelta(hours=i)).astimezone(zone)
        if value > peaks.get(local.date(), (-1.0, 0))[0]:
            peaks[local.date()] = (value, local.hour)
    assert {hour for _, hour in peaks.values()} == {PEAK_HOUR}
    assert date(2026, 10, 25) in peaks


def test_the_incident_day_is_found_and_no_normal_day(clean, incident):
    assert detect_outlier_days(incident) == [INCIDENT_DAY]
    assert detect_outlier_days(clean) == []
    assert detect_outlier_days(incident, exclude_days=[INCIDENT_DAY]) == []


def test_excluding_the_incident_improves_the_fit(incident):
    kept = fit_arrivals(incident, horizon_hours=168)
    excluded = fit_arrivals(incident, horizon_hours=168, exclude_days=[INCIDENT_DAY])
    assert kept.outlier_days == (INCIDENT_DAY,) and excluded.outlier_days == ()
    assert excluded.excluded_days == (INCIDENT_DAY,)
    assert excluded.mape_fit < kept.mape_fit - 0.02
    kept_error = np.abs(_relative_errors(kept.weekly_profile)).max()
    excluded_error = np.abs(_relative_errors(excluded.weekly_profile)).max()
    assert kept_error > 0.2 and excluded_error < 0.15  # the incident's Tuesday lifted by about (7 + 3) / 8
    assert excluded.level_per_hour == pytest.approx(LEVEL, rel=0.05)
    assert any("outlier days still in the fit: 2026-04-14" in note for note in kept.notes)


def test_short_histories_fit_without_a_hold_out_and_carry_the_last_week(clean):
    short = dataclasses.replace(clean, counts=clean.counts[:400])
    fit = fit_arrivals(short, horizon_hours=48)
    assert math.isnan(fit.mape_holdout) and fit.holdout is None
    assert "last week" in fit.method
    assert fit.level_per_hour == pytest.approx(LEVEL, rel=0.05)


@pytest.mark.parametrize("counts, words", [
    ((5.0,) * 335, "two weeks"),
    ((0.0,) * 400, "no items"),
    ((math.nan,) * 130 + (5.0,) * 270, "missing"),
    ((5.0,) * 399 + (-1.0,), "negative"),
])
def test_histories_that_cannot_give_a_weekly_profile_are_refused(clean, counts, words):
    history = dataclasses.replace(clean, counts=counts)
    with pytest.raises(ModelError, match=words) as caught:
        fit_arrivals(history, horizon_hours=24)
    assert caught.value.where == "volumes.csv" and caught.value.hint


def test_excluding_too_many_days_is_refused(clean):
    days = sorted({clean.hour_start(i).astimezone(ZoneInfo(ZONE)).date() for i in range(clean.hours)})
    with pytest.raises(ModelError, match="usable"):
        fit_arrivals(clean, horizon_hours=24, exclude_days=days[:45])


def test_mix_shares_sum_to_one_largest_first(clean):
    mix = mix_from_history(clean)
    assert [(m.category, m.language, m.priority) for m in mix] == [("spam", "en", "P2"), ("hate", "de", "P1"),
                                                                    ("csam", "en", "P0")]
    assert [m.share for m in mix] == pytest.approx([0.6, 0.3, 0.1])
    with pytest.raises(ModelError, match="mix"):
        mix_from_history(dataclasses.replace(clean, mix={}))


def test_applying_changes_a_copy_the_engine_reads_as_fitted(clean_fit):
    source = Source(name="reports", rate_per_hour=10.0, timezone=ZONE, mix=[MixEntry()])
    mix = [MixEntry("spam", "en", "P2", 0.7), MixEntry("hate", "de", "P1", 0.3)]
    changed = apply_arrival_fit(source, clean_fit, mix)
    assert changed.id == source.id and changed is not source
    assert source.rate_per_hour == 10.0 and source.profile == ArrivalProfile() and source.mix == [MixEntry()]
    assert changed.rate_per_hour == pytest.approx(clean_fit.level_per_hour, abs=1e-3)
    assert changed.profile.kind == "weekly"
    assert normalised_profile(changed, "reports") == pytest.approx(clean_fit.weekly_profile, abs=1e-4)
    assert changed.mix == mix and changed.mix[0] is not mix[0]
    assert apply_arrival_fit(source, clean_fit).mix == source.mix


def test_applying_to_a_source_in_another_zone_is_refused(clean_fit):
    with pytest.raises(ModelError, match="Europe/Berlin") as caught:
        apply_arrival_fit(Source(name="reports", timezone="America/New_York"), clean_fit)
    assert "time zone" in caught.value.hint


def test_the_generated_dashboard_export_gives_back_its_generator_s_truth():
    history = read_volumes(DATA / "volumes_hourly.csv", timezone=generated.ZONE)
    assert detect_outlier_days(history) == [generated.INCIDENT_DAY]
    fit = fit_arrivals(history, horizon_hours=168, exclude_days=[generated.INCIDENT_DAY])
    truth = np.asarray(generated.TRUE_WEEKLY_PROFILE)
    errors = np.asarray(fit.weekly_profile) / truth - 1.0
    assert np.all(np.abs(errors) < 4.0 / np.sqrt(generated.WEEKS * generated.BASE_PER_HOUR * truth))
    assert np.abs(errors).max() < 0.15 and np.abs(errors).mean() < 0.04
    assert fit.level_per_hour == pytest.approx(generated.BASE_PER_HOUR, rel=0.05)
    assert fit.outlier_days == () and fit.mape_holdout < 0.15
    shares = {(m.category, m.priority): m.share for m in mix_from_history(history)}
    expected = {(c, p): cs * ps for c, cs in generated.CATEGORY_SHARES.items()
                for p, ps in generated.PRIORITY_SHARES.items()}
    assert shares == pytest.approx(expected, abs=0.005)  # about 4 standard errors of a share of 166 000 items
