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
        sd = to_seconds(distribution.sd, unit)
        sigma2 = math.log1p((sd / mean) ** 2)
        params = (math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2))
    elif kind == "gamma":
        sd = to_seconds(distribution.sd, unit)
        params = ((mean / sd) ** 2, sd * sd / mean)
    elif kind == "triangular":
        params = (to_seconds(distribution.low, unit), to_seconds(distribution.high, unit),
                  to_seconds(distribution.mode, unit))
    elif kind == "uniform":
        params = (to_seconds(distribution.low, unit), to_seconds(distribution.high, unit))
    else:
        params = tuple(to_seconds(s, unit) for s in distribution.samples)
    return SamplerSpec(kind, params, mean)


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
