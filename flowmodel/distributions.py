"""Durations as probability distributions with explicit units.

Every duration in a workflow (handle time, classifier latency, appeal window, time-to-live in a
queue) is a :class:`Distribution`. Its parameters are stated in its own ``unit`` so that what the
planner typed ("40 s", "24 h") is what is stored and shown; :meth:`Distribution.in_seconds` gives
the engine its single time unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from flowmodel.errors import ModelError

TimeUnit = Literal["s", "min", "h", "d"]
SECONDS_PER_UNIT: dict[str, float] = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
UNIT_NAMES: dict[str, str] = {"s": "seconds", "min": "minutes", "h": "hours", "d": "days"}

DistributionKind = Literal[
    "fixed", "exponential", "lognormal", "gamma", "triangular", "uniform", "empirical"
]
DISTRIBUTION_KINDS: tuple[str, ...] = (
    "fixed", "exponential", "lognormal", "gamma", "triangular", "uniform", "empirical",
)

#: Which parameters each kind reads; the others are ignored (and kept at their defaults).
PARAMETERS: dict[str, tuple[str, ...]] = {
    "fixed": ("mean",),
    "exponential": ("mean",),
    "lognormal": ("mean", "sd"),
    "gamma": ("mean", "sd"),
    "triangular": ("low", "mode", "high"),
    "uniform": ("low", "high"),
    "empirical": ("samples",),
}


def to_seconds(value: float, unit: str) -> float:
    """Convert ``value`` in ``unit`` to seconds."""
    try:
        return value * SECONDS_PER_UNIT[unit]
    except KeyError:
        raise ModelError(
            f"unknown time unit {unit!r}", hint=f"use one of {', '.join(SECONDS_PER_UNIT)}"
        ) from None


@dataclass
class Distribution:
    """A random duration. Parameters are in ``unit``; ``mean``/``sd`` describe the distribution itself
    (lognormal and gamma are given by mean and standard deviation, as planners know them)."""

    kind: DistributionKind = "fixed"
    unit: TimeUnit = "s"
    mean: float = 0.0
    sd: float = 0.0
    low: float = 0.0
    mode: float = 0.0
    high: float = 0.0
    samples: list[float] = field(default_factory=list)

    @staticmethod
    def fixed(value: float, unit: TimeUnit = "s") -> Distribution:
        return Distribution("fixed", unit, mean=value)

    @staticmethod
    def exponential(mean: float, unit: TimeUnit = "s") -> Distribution:
        return Distribution("exponential", unit, mean=mean)

    @staticmethod
    def lognormal(mean: float, sd: float, unit: TimeUnit = "s") -> Distribution:
        return Distribution("lognormal", unit, mean=mean, sd=sd)

    @staticmethod
    def gamma(mean: float, sd: float, unit: TimeUnit = "s") -> Distribution:
        return Distribution("gamma", unit, mean=mean, sd=sd)

    @staticmethod
    def triangular(low: float, mode: float, high: float, unit: TimeUnit = "s") -> Distribution:
        return Distribution("triangular", unit, low=low, mode=mode, high=high)

    @staticmethod
    def uniform(low: float, high: float, unit: TimeUnit = "s") -> Distribution:
        return Distribution("uniform", unit, low=low, high=high)

    @staticmethod
    def empirical(samples: list[float], unit: TimeUnit = "s") -> Distribution:
        return Distribution("empirical", unit, samples=list(samples))

    def mean_value(self) -> float:
        """The distribution's mean in its own unit."""
        if self.kind in ("fixed", "exponential", "lognormal", "gamma"):
            return self.mean
        if self.kind == "triangular":
            return (self.low + self.mode + self.high) / 3.0
        if self.kind == "uniform":
            return (self.low + self.high) / 2.0
        if self.kind == "empirical":
            return sum(self.samples) / len(self.samples) if self.samples else 0.0
        raise ModelError(f"unknown distribution kind {self.kind!r}")

    def mean_seconds(self) -> float:
        return to_seconds(self.mean_value(), self.unit)

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) pairs for impossible parameters; empty when the distribution can be sampled."""
        out: list[tuple[str, str]] = []
        if self.kind not in DISTRIBUTION_KINDS:
            return [("kind", f"unknown distribution kind {self.kind!r}")]
        if self.unit not in SECONDS_PER_UNIT:
            out.append(("unit", f"unknown time unit {self.unit!r}"))
        numbers = {"mean": self.mean, "sd": self.sd, "low": self.low, "mode": self.mode, "high": self.high}
        for name in PARAMETERS[self.kind]:
            if name == "samples":
                continue
            value = numbers[name]
            if not math.isfinite(value) or value < 0:
                out.append((name, f"{name} must be a finite number ≥ 0, not {value}"))
        if self.kind in ("exponential", "lognormal", "gamma") and self.mean <= 0:
            out.append(("mean", f"a {self.kind} duration needs a mean > 0"))
        if self.kind in ("lognormal", "gamma") and self.sd <= 0:
            out.append(("sd", f"a {self.kind} duration needs a standard deviation > 0"))
        if self.kind == "triangular" and not self.low <= self.mode <= self.high:
            out.append(("mode", "a triangular duration needs low ≤ mode ≤ high"))
        if self.kind == "triangular" and self.low == self.high:
            out.append(("high", "a triangular duration needs low < high"))
        if self.kind == "uniform" and not self.low < self.high:
            out.append(("high", "a uniform duration needs low < high"))
        if self.kind == "empirical":
            if not self.samples:
                out.append(("samples", "an empirical duration needs at least one sample"))
            elif any((not math.isfinite(s)) or s < 0 for s in self.samples):
                out.append(("samples", "empirical samples must be finite numbers ≥ 0"))
        return out

    def describe(self) -> str:
        """Short human text, e.g. ``exp(mean 5 min)``."""
        u = self.unit
        if self.kind == "fixed":
            return f"{_num(self.mean)} {u}"
        if self.kind == "exponential":
            return f"exp(mean {_num(self.mean)} {u})"
        if self.kind in ("lognormal", "gamma"):
            return f"{self.kind}({_num(self.mean)} ± {_num(self.sd)} {u})"
        if self.kind == "triangular":
            return f"tri({_num(self.low)}, {_num(self.mode)}, {_num(self.high)} {u})"
        if self.kind == "uniform":
            return f"uniform({_num(self.low)}–{_num(self.high)} {u})"
        return f"empirical({len(self.samples)} samples, mean {_num(self.mean_value())} {u})"


def _num(x: float) -> str:
    return f"{x:g}"
