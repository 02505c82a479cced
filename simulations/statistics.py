"""Streaming statistics: memory does not grow with the number of observations.

- :class:`RunningStats` — count, mean and variance (Welford's update, numerically stable).
- :class:`LogHistogram` — quantiles from a fixed array of logarithmic buckets. Bucket ``k`` holds the
  values in ``[m·γ^k, m·γ^(k+1))`` (m = ``min_value``) with ``γ = (1 + α) / (1 − α)`` and reports
  ``2·m·γ^(k+1) / (γ + 1)``, so a quantile is within relative error ``α`` (default 1 %) of the exact
  order statistic of the same rank. Values below ``min_value`` (default 1 ms) fall into a zero bucket
  reported as 0 (absolute error below ``min_value``; zero waits are exact); values above ``max_value``
  (default 10⁹ s ≈ 31 years) share the last bucket. The number of buckets is fixed at construction
  (≈ 1 400 for the defaults) and each is a 64-bit integer, so memory does not depend on the sample count.
  Quantile rank convention: the q-quantile is the order statistic ``x_(⌊q·(n−1)⌋)`` (0-based), i.e.
  the "lower" quantile.
- :class:`Summary` — a histogram with a running sum (count, mean, quantiles) for one stream (waits, times to
  decision), one update per value.
- :class:`TimeWeighted` — the time average of a piecewise-constant level (available reviewers), restarted
  at the end of the warm-up.
"""

from __future__ import annotations

import math
from array import array
from math import log

DEFAULT_RELATIVE_ERROR = 0.01
DEFAULT_MIN_VALUE = 1e-3
DEFAULT_MAX_VALUE = 1e9


class RunningStats:
    """Count, mean and variance of a stream by Welford's update (one pass, no stored samples)."""

    __slots__ = ("count", "mean", "sq_dev")

    def __init__(self) -> None:
        self.count = 0
        self.mean = 0.0
        self.sq_dev = 0.0

    def add(self, x: float) -> None:
        self.count += 1
        delta = x - self.mean
        self.mean += delta / self.count
        self.sq_dev += delta * (x - self.mean)

    def merge(self, other: RunningStats) -> None:
        """Fold ``other`` into this one (Chan et al.'s pairwise update), e.g. outcomes into the system."""
        if not other.count:
            return
        total = self.count + other.count
        delta = other.mean - self.mean
        self.sq_dev += other.sq_dev + delta * delta * self.count * other.count / total
        self.mean += delta * other.count / total
        self.count = total

    def variance(self) -> float:
        """Sample variance (n − 1 in the denominator); 0 for fewer than two observations."""
        return self.sq_dev / (self.count - 1) if self.count > 1 else 0.0


class LogHistogram:
    """Fixed-size logarithmic histogram; quantiles within relative error ``relative_error``."""

    __slots__ = ("_inv_log_gamma", "_last", "_log_min", "counts", "gamma", "max_value", "min_value",
                 "relative_error", "total", "zero")

    def __init__(self, relative_error: float = DEFAULT_RELATIVE_ERROR, min_value: float = DEFAULT_MIN_VALUE,
                 max_value: float = DEFAULT_MAX_VALUE) -> None:
        if not 0 < relative_error < 1 or not 0 < min_value < max_value:
            raise ValueError("need 0 < relative_error < 1 and 0 < min_value < max_value")
        self.relative_error = relative_error
        self.min_value = min_value
        self.max_value = max_value
        self.gamma = (1.0 + relative_error) / (1.0 - relative_error)
        self._inv_log_gamma = 1.0 / math.log(self.gamma)
        self._log_min = math.log(min_value)
        # Bucket k holds [min_value·γ^k, min_value·γ^(k+1)); the last one also holds everything above.
        self._last = math.ceil((math.log(max_value) - self._log_min) * self._inv_log_gamma)
        self.counts = array("q", bytes(8 * (self._last + 1)))  # 8 bytes a bucket, however large the count
        self.zero = 0
        self.total = 0

    def add(self, x: float) -> None:
        self.total += 1
        if x < self.min_value:
            self.zero += 1
            return
        k = int((math.log(x) - self._log_min) * self._inv_log_gamma)
        self.counts[k if k < self._last else self._last] += 1

    def merge(self, other: LogHistogram) -> None:
        """Add ``other``'s counts (same error bound and range), e.g. outcomes into the system."""
        if (other.relative_error, other.min_value, other.max_value) != (
                self.relative_error, self.min_value, self.max_value):
            raise ValueError("only histograms with the same error bound and range can be merged")
        self.counts = array("q", (a + b for a, b in zip(self.counts, other.counts, strict=True)))
        self.zero += other.zero
        self.total += other.total

    def quantile(self, q: float) -> float:
        """The q-quantile (0 ≤ q ≤ 1), or NaN when empty."""
        if not self.total:
            return math.nan
        rank = math.floor(q * (self.total - 1))
        seen = self.zero
        if rank < seen:
            return 0.0
        for k, count in enumerate(self.counts):
            seen += count
            if rank < seen:
                upper = self.min_value * self.gamma ** (k + 1)
                return min(2.0 * upper / (self.gamma + 1.0), self.max_value)
        return self.max_value

    def bucket_count(self) -> int:
        """Buckets held, the zero bucket included: fixed at construction."""
        return len(self.counts) + 1


class Summary(LogHistogram):
    """Count, mean and quantiles of one stream (waits, times to decision), updated in one call.

    The engine records a wait or a time to decision per item, so :meth:`add` is the histogram's update plus a
    running sum, nothing more: no report reads a variance of these streams (confidence intervals come from
    the replications), and Welford's update was most of the cost of a review's records. A plain sum is exact
    enough here: its relative rounding error grows like √n·ε, below 10⁻¹² for a billion values.
    """

    __slots__ = ("sum",)

    def __init__(self) -> None:
        super().__init__()
        self.sum = 0.0

    def add(self, x: float) -> None:
        self.total += 1
        self.sum += x
        if x < self.min_value:
            self.zero += 1
            return
        k = int((log(x) - self._log_min) * self._inv_log_gamma)
        self.counts[k if k < self._last else self._last] += 1

    @property
    def count(self) -> int:
        return self.total

    def mean(self) -> float:
        """The mean, or NaN when empty."""
        return self.sum / self.total if self.total else math.nan

    def merge(self, other: Summary) -> None:  # summaries merge only into summaries (the sum)
        super().merge(other)
        self.sum += other.sum

    def add_zeros(self, count: int) -> None:
        """Add ``count`` observations of exactly 0 at once (waits of items that started at once)."""
        self.zero += count
        self.total += count


class TimeWeighted:
    """Time average of a level that changes at discrete instants."""

    __slots__ = ("area", "last_time", "level", "start_time")

    def __init__(self, level: float = 0.0, start_time: float = 0.0) -> None:
        self.level = level
        self.area = 0.0
        self.last_time = start_time
        self.start_time = start_time

    def set(self, now: float, level: float) -> None:
        self.area += self.level * (now - self.last_time)
        self.last_time = now
        self.level = level

    def restart(self, now: float) -> None:
        """Forget the past (end of warm-up): averages are taken from ``now`` on."""
        self.area = 0.0
        self.last_time = now
        self.start_time = now

    def integral(self, now: float) -> float:
        return self.area + self.level * (now - self.last_time)

    def mean(self, now: float) -> float:
        span = now - self.start_time
        return self.integral(now) / span if span > 0 else self.level
