"""Handle-time distributions as probability laws: the CDF and evenly spaced quantiles, in seconds.

Rules (the same parametrisation as the engine's samplers): lognormal and gamma are given by mean and sd;
triangular by low, mode, high; uniform by low, high; empirical draws its samples with equal weight; fixed is
a point mass. A stage × priority mixes the handle times of its item categories by their arrival rates
(a category without its own handle time uses the stage's).

They serve two rules of the recommender: a target is infeasible when even with no wait the share of items
whose handle time alone fits the target is below the required share; and the analytic guess adds the handle
time to the Erlang wait (the SLA clock stops at the end of the review, not at its start).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from flowmodel.distributions import Distribution, to_seconds
from flowmodel.nodes import ReviewStage
from flowmodel.traffic import ItemClass

QUANTILE_POINTS = 512


def _law(distribution: Distribution) -> object | None:
    """A frozen scipy distribution in seconds, or None for fixed and empirical ones."""
    unit = distribution.unit
    kind = distribution.kind
    if kind == "exponential":
        return stats.expon(scale=to_seconds(distribution.mean, unit))
    if kind == "lognormal":
        mean, sd = to_seconds(distribution.mean, unit), to_seconds(distribution.sd, unit)
        sigma2 = math.log1p((sd / mean) ** 2)
        return stats.lognorm(s=math.sqrt(sigma2), scale=math.exp(math.log(mean) - sigma2 / 2.0))
    if kind == "gamma":
        mean, sd = to_seconds(distribution.mean, unit), to_seconds(distribution.sd, unit)
        return stats.gamma(a=(mean / sd) ** 2, scale=sd * sd / mean)
    if kind == "triangular":
        low, mode, high = (to_seconds(v, unit) for v in (distribution.low, distribution.mode, distribution.high))
        return stats.triang(c=(mode - low) / (high - low), loc=low, scale=high - low)
    if kind == "uniform":
        low, high = to_seconds(distribution.low, unit), to_seconds(distribution.high, unit)
        return stats.uniform(loc=low, scale=high - low)
    return None


def share_within(distribution: Distribution, seconds: float) -> float:
    """P(handle time ≤ ``seconds``)."""
    law = _law(distribution)
    if law is not None:
        return float(law.cdf(seconds))  # type: ignore[attr-defined]
    if distribution.kind == "fixed":
        return 1.0 if distribution.mean_seconds() <= seconds else 0.0
    samples = [to_seconds(s, distribution.unit) for s in distribution.samples]
    return sum(1 for s in samples if s <= seconds) / len(samples) if samples else 0.0


def quantiles(distribution: Distribution, points: int = QUANTILE_POINTS) -> np.ndarray:
    """``points`` equally likely handle times (the quantiles at the midpoints of ``points`` equal slices)."""
    law = _law(distribution)
    levels = (np.arange(points) + 0.5) / points
    if law is not None:
        return np.asarray(law.ppf(levels), dtype=float)  # type: ignore[attr-defined]
    if distribution.kind == "fixed":
        return np.full(points, distribution.mean_seconds())
    samples = np.sort(np.array([to_seconds(s, distribution.unit) for s in distribution.samples], dtype=float))
    return samples[np.minimum((levels * len(samples)).astype(int), len(samples) - 1)]


def class_mix(stage: ReviewStage, rates: dict[ItemClass, float], priority: str | None = None
              ) -> list[tuple[Distribution, float]]:
    """(handle-time distribution, weight) per category of the classes reaching ``stage`` (of ``priority``)."""
    weights: dict[str, float] = {}
    for item_class, rate in rates.items():
        if rate > 0 and (priority is None or item_class.priority == priority):
            weights[item_class.category] = weights.get(item_class.category, 0.0) + rate
    total = sum(weights.values())
    return [(stage.handle_time_by_category.get(category, stage.handle_time), weight / total)
            for category, weight in weights.items()] if total > 0 else []


def mixed_share_within(mix: list[tuple[Distribution, float]], seconds: float) -> float:
    return sum(weight * share_within(distribution, seconds) for distribution, weight in mix)


def mixed_quantiles(mix: list[tuple[Distribution, float]], points: int = QUANTILE_POINTS
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(handle times, probability weights) of a mixture, for expectations over the handle time."""
    values = [quantiles(distribution, points) for distribution, _ in mix]
    weights = [np.full(points, weight / points) for _, weight in mix]
    return np.concatenate(values), np.concatenate(weights)
