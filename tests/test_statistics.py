"""Streaming statistics: Welford moments, the log-bucket histogram's error bound and fixed size."""

from __future__ import annotations

import math
import random
import statistics
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations.statistics import LogHistogram, RunningStats, Summary, TimeWeighted


def exact_quantile(values: list[float], q: float) -> float:
    """The order statistic the histogram promises to approximate: x_(⌊q·(n−1)⌋), 0-based."""
    ordered = sorted(values)
    return ordered[math.floor(q * (len(ordered) - 1))]


def within_bound(estimate: float, exact: float, histogram: LogHistogram) -> bool:
    if exact < histogram.min_value:
        return estimate == 0.0
    return abs(estimate - exact) <= histogram.relative_error * exact * (1 + 1e-9)


@pytest.mark.parametrize("draw", [
    lambda rng: rng.expovariate(1 / 300),
    lambda rng: rng.lognormvariate(5, 1.5),
    lambda rng: rng.uniform(0.5, 2.0),
    lambda rng: 0.0 if rng.random() < 0.4 else rng.expovariate(1 / 60),  # waits: many exact zeros
], ids=["exponential", "lognormal", "uniform", "zero-inflated"])
def test_histogram_quantiles_are_within_the_stated_relative_error(draw) -> None:
    rng = random.Random(7)
    values = [draw(rng) for _ in range(50_000)]
    histogram = LogHistogram()
    for value in values:
        histogram.add(value)
    for q in (0.0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0):
        estimate, exact = histogram.quantile(q), exact_quantile(values, q)
        assert within_bound(estimate, exact, histogram), (q, estimate, exact)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=1e8, allow_nan=False), min_size=1, max_size=300),
       st.floats(min_value=0.0, max_value=1.0), st.sampled_from([0.001, 0.01, 0.05]))
def test_histogram_error_bound_holds_for_any_sample(values: list[float], q: float, alpha: float) -> None:
    histogram = LogHistogram(relative_error=alpha)
    for value in values:
        histogram.add(value)
    assert within_bound(histogram.quantile(q), exact_quantile(values, q), histogram)


def test_histogram_size_does_not_grow_with_the_sample_count() -> None:
    small, large = LogHistogram(), LogHistogram()
    rng = random.Random(1)
    for _ in range(10):
        small.add(rng.expovariate(1.0))
    for _ in range(200_000):
        large.add(rng.lognormvariate(3, 3))
    assert small.bucket_count() == large.bucket_count() < 1500
    assert len(large.counts) == len(small.counts)
    assert sys.getsizeof(large.counts) == sys.getsizeof(small.counts)  # 64-bit counters, no growing int objects
    assert large.total == 200_000


def test_histogram_merge_equals_one_histogram_of_all_values() -> None:
    rng = random.Random(3)
    a_values = [rng.expovariate(0.1) for _ in range(1000)]
    b_values = [rng.expovariate(0.01) for _ in range(500)]
    a, b, both = LogHistogram(), LogHistogram(), LogHistogram()
    for v in a_values:
        a.add(v)
        both.add(v)
    for v in b_values:
        b.add(v)
        both.add(v)
    a.merge(b)
    assert a.counts == both.counts and a.total == both.total
    with pytest.raises(ValueError):
        a.merge(LogHistogram(relative_error=0.05))


def test_empty_histogram_quantile_is_nan_and_huge_values_are_clamped() -> None:
    histogram = LogHistogram(max_value=1e3)
    assert math.isnan(histogram.quantile(0.5))
    histogram.add(1e6)
    assert histogram.quantile(0.5) == 1e3


def test_running_stats_match_the_two_pass_formulas_and_merge() -> None:
    rng = random.Random(5)
    values = [1e6 + rng.gauss(0, 1) for _ in range(10_000)]  # large offset: the naive formula loses digits
    stats, first, second = RunningStats(), RunningStats(), RunningStats()
    for i, v in enumerate(values):
        stats.add(v)
        (first if i < 3000 else second).add(v)
    assert stats.count == 10_000
    assert stats.mean == pytest.approx(statistics.fmean(values), rel=1e-14)
    assert stats.variance() == pytest.approx(statistics.variance(values), rel=1e-9)
    first.merge(second)
    assert first.mean == pytest.approx(stats.mean, rel=1e-14)
    assert first.variance() == pytest.approx(stats.variance(), rel=1e-9)
    assert RunningStats().variance() == 0.0


def test_time_weighted_average_of_a_step_function_restarted_after_warmup() -> None:
    level = TimeWeighted(level=2.0, start_time=0.0)
    level.set(10.0, 4.0)      # 2 on [0, 10)
    level.restart(10.0)       # warm-up ends at 10
    level.set(15.0, 0.0)      # 4 on [10, 15)
    assert level.integral(20.0) == pytest.approx(20.0)
    assert level.mean(20.0) == pytest.approx(2.0)  # (4·5 + 0·5) / 10


def test_summary_updates_count_mean_and_histogram_like_the_separate_classes() -> None:
    rng = random.Random(11)
    values = [0.0 if rng.random() < 0.3 else rng.expovariate(0.01) for _ in range(5000)]
    summary, moments, histogram = Summary(), RunningStats(), LogHistogram()
    for v in values:
        summary.add(v)
        moments.add(v)
        histogram.add(v)
    # a running sum, not Welford: the mean agrees with the exactly rounded one to float rounding
    assert summary.count == moments.count == 5000
    assert summary.mean() == pytest.approx(math.fsum(values) / 5000, rel=1e-13)
    assert summary.mean() == pytest.approx(moments.mean, rel=1e-13)
    assert summary.counts == histogram.counts and summary.zero == histogram.zero
    assert summary.quantile(0.9) == histogram.quantile(0.9)
    assert math.isnan(Summary().mean())


def test_summary_add_zeros_equals_adding_them_one_by_one() -> None:
    rng = random.Random(13)
    values = [rng.expovariate(0.1) for _ in range(1000)]
    bulk, single = Summary(), Summary()
    for v in values:
        bulk.add(v)
        single.add(v)
    bulk.add_zeros(400)
    for _ in range(400):
        single.add(0.0)
    assert bulk.count == single.count == 1400
    assert bulk.mean() == single.mean()  # adding 0.0 leaves a sum exactly as it was
    assert bulk.counts == single.counts and bulk.zero == single.zero == 400 and bulk.quantile(0.2) == 0.0
