"""Across-replication statistics checked against hand computations with scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from simulations.aggregate import paired_deltas, series_bands, summarise_metrics
from simulations.results import MetricRecord, ReplicationResult, SeriesRecord


def _result(scenario: str, replication: int, wait: float, backlog: tuple[float, ...] = (0.0, 1.0)) -> ReplicationResult:
    return ReplicationResult(
        scenario_id=scenario, scenario_name=scenario.title(), replication=replication, seed=replication,
        metrics=[MetricRecord("stage", "s1", "Tier 1", "mean_wait_s", wait),
                 MetricRecord("stage", "s1", "Tier 1", "expired_count", math.nan)],
        series=[SeriesRecord("stage", "s1", "Tier 1", "queue_length", (1.0, 2.0), backlog)],
    )


WAITS = [12.0, 15.5, 9.25, 14.0, 11.0]


def test_mean_and_student_t_interval_match_scipy() -> None:
    results = [_result("base", k, w) for k, w in enumerate(WAITS)]
    (summary,) = summarise_metrics(results)
    low, high = stats.t.interval(0.95, len(WAITS) - 1, loc=np.mean(WAITS), scale=stats.sem(WAITS))
    assert summary.n == 5
    assert summary.mean == pytest.approx(np.mean(WAITS))
    assert summary.sd == pytest.approx(np.std(WAITS, ddof=1))
    assert (summary.ci_low, summary.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert summary.ci_defined
    assert (summary.scenario_name, summary.scope_name) == ("Base", "Tier 1")


def test_non_finite_values_are_left_out() -> None:
    results = [_result("base", k, w) for k, w in enumerate(WAITS)]
    metrics = {s.metric for s in summarise_metrics(results)}
    assert metrics == {"mean_wait_s"}


def test_one_replication_has_an_undefined_interval() -> None:
    (summary,) = summarise_metrics([_result("base", 0, 7.0)])
    assert summary.mean == 7.0 and summary.n == 1
    assert math.isnan(summary.half_width) and not summary.ci_defined


def test_paired_delta_of_identical_results_is_exactly_zero() -> None:
    results = [_result("base", k, w) for k, w in enumerate(WAITS)]
    results += [_result("same", k, w) for k, w in enumerate(WAITS)]
    (delta,) = paired_deltas(results, "base")
    assert delta.scenario_id == "same"
    assert delta.delta_mean == 0.0 and delta.half_width == 0.0
    assert delta.ci_low == delta.ci_high == 0.0
    assert not delta.clear


def test_paired_delta_uses_replication_pairs() -> None:
    shifted = [w + 1.0 + 0.1 * k for k, w in enumerate(WAITS)]
    results = [_result("base", k, w) for k, w in enumerate(WAITS)]
    results += [_result("more", k, w) for k, w in reversed(list(enumerate(shifted)))]
    (delta,) = paired_deltas(results, "base")
    differences = np.array(shifted) - np.array(WAITS)
    low, high = stats.t.interval(0.95, 4, loc=differences.mean(), scale=stats.sem(differences))
    assert delta.delta_mean == pytest.approx(differences.mean())
    assert (delta.ci_low, delta.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert delta.relative_delta == pytest.approx(differences.mean() / np.mean(WAITS))
    assert delta.clear
    assert delta.baseline_mean == pytest.approx(np.mean(WAITS))


def test_series_band_is_percentiles_across_replications() -> None:
    results = [_result("base", k, 0.0, backlog=(float(k), 10.0 * k, 99.0)) for k in range(5)]
    results.append(_result("base", 5, 0.0, backlog=(5.0, 50.0)))
    (band,) = series_bands(results, low_percentile=10, high_percentile=90)
    assert band.times_h == (1.0, 2.0) and band.n == 6
    assert band.mean == pytest.approx((2.5, 25.0))
    assert band.low == pytest.approx((np.percentile(range(6), 10), np.percentile(range(0, 60, 10), 10)))
    assert band.high == pytest.approx((np.percentile(range(6), 90), np.percentile(range(0, 60, 10), 90)))


def test_bad_percentiles_are_refused() -> None:
    with pytest.raises(ValueError, match="percentiles"):
        series_bands([], low_percentile=95, high_percentile=5)
