from __future__ import annotations

import pytest

from flowmodel import Distribution


@pytest.mark.parametrize(("distribution", "seconds"), [
    (Distribution.fixed(90, "s"), 90.0),
    (Distribution.exponential(5, "min"), 300.0),
    (Distribution.lognormal(2, 1, "h"), 7200.0),
    (Distribution.triangular(1, 2, 6, "min"), 180.0),
    (Distribution.uniform(1, 3, "d"), 172800.0),
    (Distribution.empirical([10, 20, 60], "s"), 30.0),
])
def test_mean_in_seconds(distribution, seconds):
    assert distribution.mean_seconds() == pytest.approx(seconds)


@pytest.mark.parametrize(("distribution", "field"), [
    (Distribution.exponential(0), "mean"),
    (Distribution.lognormal(5, 0), "sd"),
    (Distribution.gamma(-1, 1), "mean"),
    (Distribution.triangular(3, 1, 2), "mode"),
    (Distribution.uniform(2, 2), "high"),
    (Distribution.empirical([]), "samples"),
    (Distribution("fixed", "weeks", mean=1), "unit"),  # type: ignore[arg-type]
])
def test_impossible_parameters_are_named(distribution, field):
    assert field in [name for name, _ in distribution.problems()]


def test_describe():
    assert Distribution.exponential(5, "min").describe() == "exp(mean 5 min)"
    assert Distribution.lognormal(3, 1.5, "min").describe() == "lognormal(3 ± 1.5 min)"
