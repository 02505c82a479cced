"""Random streams and duration samplers.

Rules:
- Every random draw comes from a stream owned by one (replication, node or team id, purpose), e.g.
  (3, <tier-1 id>, "handle"). The stream is a :class:`random.Random` seeded from a blake2b hash of
  ``"{base seed}|{replication}|{owner id}|{purpose}"`` — never Python's salted ``hash()`` — so the same
  spec and replication give the same numbers in any process and on any machine.
- Ids are stable uuids: a scenario that changes one stage leaves every other stage's, source's and
  router's numbers untouched (common random numbers), and a scenario identical to the baseline draws
  exactly the same numbers.
- A :class:`SamplerSpec` is plain, picklable data (kind + parameters in seconds); :func:`bind` turns it
  into a zero-argument callable over a stream when a replication starts.
- Compiling never overflows for parameters validation lets through (any positive mean and sd up to
  ``MAX_DURATION_SECONDS``, however far apart): lognormal and gamma parameters are computed in logarithms
  when the direct formula would leave float range, and a gamma whose sd is negligible against its mean
  (every draw would be the mean to the last bit) compiles as fixed. A lognormal then never overflows when
  sampled: Python's normal draws stay within ±13 sd, so ``exp`` stays far below float range.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from math import log

from flowmodel.distributions import Distribution, to_seconds
from flowmodel.errors import ModelError


def stream_seed(base_seed: int, replication: int, owner_id: str, purpose: str) -> int:
    """A 64-bit seed for one stream, the same on every platform and Python process."""
    text = f"{base_seed}|{replication}|{owner_id}|{purpose}".encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def make_stream(base_seed: int, replication: int, owner_id: str, purpose: str) -> random.Random:
    return random.Random(stream_seed(base_seed, replication, owner_id, purpose))


@dataclass(frozen=True)
class SamplerSpec:
    """A duration distribution with parameters already in seconds.

    ``params`` per kind: fixed (value,), exponential (mean,), lognormal (mu, sigma) of the underlying
    normal, gamma (shape, scale), triangular (low, high, mode), uniform (low, high), empirical (samples…).
    """

    kind: str
    params: tuple[float, ...]
    mean_s: float


def sampler_spec(distribution: Distribution, where: str) -> SamplerSpec:
    """Compile a model distribution; ``where`` names the node and field for error messages."""
    problems = distribution.problems()
    if problems:
        field_name, message = problems[0]
        raise ModelError(message, where=f"{where}.{field_name}", hint="fix the distribution's parameters")
    unit = distribution.unit
    kind = distribution.kind
    mean = to_seconds(distribution.mean_value(), unit)
    if kind in ("fixed", "exponential"):
        params: tuple[float, ...] = (mean,)
    elif kind == "lognormal":
        params = _lognormal(mean, to_seconds(distribution.sd, unit))
    elif kind == "gamma":
        kind, params = _gamma(mean, to_seconds(distribution.sd, unit))
    elif kind == "triangular":
        params = (to_seconds(distribution.low, unit), to_seconds(distribution.high, unit),
                  to_seconds(distribution.mode, unit))
    elif kind == "uniform":
        params = (to_seconds(distribution.low, unit), to_seconds(distribution.high, unit))
    else:
        params = tuple(to_seconds(s, unit) for s in distribution.samples)
    return SamplerSpec(kind, params, mean)


def _lognormal(mean: float, sd: float) -> tuple[float, float]:
    """(mu, sigma) of the underlying normal. σ² = log(1 + (sd/mean)²); once sd/mean passes 1e150 its square
    leaves float range, and then σ² = 2·log(sd/mean) to float precision, taken from the logarithms."""
    ratio = sd / mean
    sigma2 = math.log1p(ratio**2) if ratio < 1e150 else 2.0 * (math.log(sd) - math.log(mean))
    return math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)


#: Gamma shapes kept within this range, so that random.gammavariate gets a positive, finite shape.
GAMMA_SHAPES = (1e-300, 1e300)


def _gamma(mean: float, sd: float) -> tuple[str, tuple[float, ...]]:
    """The kind and parameters: ("gamma", (shape, scale)) with shape = (mean/sd)², scale = sd²/mean, as long as
    those are positive floats; a shape that underflows (sd 1e154 times the mean) is raised to the smallest
    :data:`GAMMA_SHAPES` with the scale keeping the mean; a shape past the largest means the sd is negligible
    and the duration is ("fixed", (mean,))."""
    ratio = mean / sd
    if ratio > 1e150:
        return "fixed", (mean,)
    shape, scale = ratio**2, sd * sd / mean
    if shape > GAMMA_SHAPES[1]:
        return "fixed", (mean,)
    if shape > 0.0 and 0.0 < scale < math.inf:
        return "gamma", (shape, scale)
    shape = max(shape, GAMMA_SHAPES[0])
    scale = mean / shape
    return ("gamma", (shape, scale)) if 0.0 < scale < math.inf else ("fixed", (mean,))


def _constant(value: float) -> float:
    return value


def _exponential(uniform: Callable[[], float], mean: float) -> Callable[[], float]:
    """Exponential by inversion, as ``random.expovariate`` does, minus one call level (hot path)."""

    def draw() -> float:
        return -log(1.0 - uniform()) * mean

    return draw


def bind(spec: SamplerSpec, rng: random.Random) -> Callable[[], float]:
    """A fast zero-argument sampler drawing from ``rng`` (built per replication, never pickled)."""
    p = spec.params
    if spec.kind == "fixed":
        return partial(_constant, p[0])
    if spec.kind == "exponential":
        return _exponential(rng.random, p[0])
    if spec.kind == "lognormal":
        return partial(rng.lognormvariate, p[0], p[1])
    if spec.kind == "gamma":
        return partial(rng.gammavariate, p[0], p[1])
    if spec.kind == "triangular":
        return partial(rng.triangular, p[0], p[1], p[2])
    if spec.kind == "uniform":
        return partial(rng.uniform, p[0], p[1])
    if spec.kind == "empirical":
        return partial(rng.choice, p)
    raise ModelError(f"unknown distribution kind {spec.kind!r}")
