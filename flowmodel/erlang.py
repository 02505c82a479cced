"""Erlang B, Erlang C (M/M/c) and Erlang A (M/M/c+M): the queueing formulas planners staff by.

Rules:
- Time units are the caller's: rates and durations only need to agree (per minute with minutes, …).
  ``a`` is the offered load in erlangs (arrival rate × mean service time), ``c`` the number of servers.
- Erlang B uses the recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which never overflows;
  Erlang C follows from it: C = c·B / (c − a·(1 − B)) for a < c. When a ≥ c the queue grows without bound:
  P(wait) = 1 and the waits are infinite (``stable`` is False) rather than an exception, because an
  overloaded stage is a planning fact to show, not an error.
- Erlang A is computed from the exact birth–death chain of M/M/c+M (death rate min(n, c)·μ + (n − c)⁺·θ),
  in log space, truncated at the first state N ≥ c where the remaining tail is provably below
  ``TAIL_BOUND`` × the mass so far: beyond c the ratio π_{n+1}/π_n = r_n = λ / (cμ + (n + 1 − c)θ)
  only decreases, so the tail is at most π_N · r_N / (1 − r_N).
- Impossible inputs (fewer than one server, negative rates or times) raise :class:`ValueError` naming the
  argument.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.optimize import brentq
from scipy.special import logsumexp

#: Relative mass the truncated Erlang A chain may leave out.
TAIL_BOUND = 1e-13
#: Refuse chains longer than this (absurd inputs such as patience of years with a heavy overload).
MAX_STATES = 5_000_000


def _check_servers(c: int) -> int:
    if isinstance(c, bool) or int(c) != c or c < 1:
        raise ValueError(f"the number of servers must be a whole number ≥ 1, not {c!r}")
    return int(c)


def _check_non_negative(name: str, value: float) -> float:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number ≥ 0, not {value!r}")
    return float(value)


def _check_positive(name: str, value: float) -> float:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, not {value!r}")
    return float(value)


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of M/M/c/c (Erlang loss) with ``a`` erlangs offered to ``c`` servers."""
    c = _check_servers(c)
    a = _check_non_negative("the offered load", a)
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """P(wait) in M/M/c: the share of arrivals that find every server busy (1 when a ≥ c)."""
    c = _check_servers(c)
    a = _check_non_negative("the offered load", a)
    if a >= c:
        return 1.0
    b = erlang_b(c, a)
    return c * b / (c - a * (1.0 - b))


@dataclass(frozen=True)
class QueueEstimate:
    """Steady-state figures of an M/M/c queue (in the caller's time unit)."""

    arrival_rate: float
    mean_service: float
    servers: int
    offered_load: float
    utilisation: float
    p_wait: float
    mean_wait: float
    mean_time_in_system: float
    mean_queue_length: float
    stable: bool

    def wait_share_within(self, t: float) -> float:
        """P(wait ≤ t): the service level."""
        if not self.stable:
            return 0.0
        decay = self.servers / self.mean_service - self.arrival_rate
        return 1.0 - self.p_wait * math.exp(-decay * t)

    def sojourn_quantile(self, q: float) -> float:
        """The q-quantile of the time in system (wait + service), FIFO.

        The wait is 0 with probability 1 − C and otherwise exponential with rate γ = cμ − λ, independent of
        the item's own exponential service, so P(T > t) = (1 − C)·e^{−μt} + C·P(Exp(γ) + Exp(μ) > t).
        """
        if not 0.0 < q < 1.0:
            raise ValueError(f"the quantile must be between 0 and 1, not {q!r}")
        if not self.stable:
            return math.inf
        mu = 1.0 / self.mean_service
        gamma = self.servers * mu - self.arrival_rate

        def survival(t: float) -> float:
            if abs(gamma - mu) < 1e-12 * mu:
                both = (1.0 + mu * t) * math.exp(-mu * t)
            else:
                both = (gamma * math.exp(-mu * t) - mu * math.exp(-gamma * t)) / (gamma - mu)
            return (1.0 - self.p_wait) * math.exp(-mu * t) + self.p_wait * both

        high = self.mean_service
        while survival(high) > 1.0 - q:
            high *= 2.0
        return brentq(lambda t: survival(t) - (1.0 - q), 0.0, high, xtol=1e-12, rtol=1e-14)


def mmc(arrival_rate: float, mean_service: float, c: int) -> QueueEstimate:
    """M/M/c steady state by Erlang C; an overloaded queue comes back with ``stable=False`` and infinite waits."""
    c = _check_servers(c)
    lam = _check_non_negative("the arrival rate", arrival_rate)
    s = _check_positive("the mean service time", mean_service)
    a = lam * s
    stable = a < c
    p_wait = erlang_c(c, a)
    if stable:
        wq = p_wait / (c / s - lam)
        return QueueEstimate(lam, s, c, a, a / c, p_wait, wq, wq + s, lam * wq, True)
    return QueueEstimate(lam, s, c, a, a / c, 1.0, math.inf, math.inf, math.inf, False)


def service_level(c: int, a: float, mean_service: float, t: float) -> float:
    """P(wait ≤ t) = 1 − C(c, a)·e^{−(cμ − λ)t} in M/M/c; 0 for an overloaded queue."""
    s = _check_positive("the mean service time", mean_service)
    a = _check_non_negative("the offered load", a)
    t = _check_non_negative("the answer time", t)
    return mmc(a / s, s, c).wait_share_within(t)


def required_agents(a: float, mean_service: float, target_share: float, within: float) -> int:
    """The smallest number of servers whose service level P(wait ≤ within) reaches ``target_share``."""
    a = _check_non_negative("the offered load", a)
    if not 0.0 < target_share < 1.0:
        raise ValueError(f"the target share must be between 0 and 1 (exclusive), not {target_share!r}")
    c = max(1, math.floor(a) + 1)
    while service_level(c, a, mean_service, within) < target_share:
        c += 1
    return c


@dataclass(frozen=True)
class AbandonmentEstimate:
    """Steady-state figures of an M/M/c+M queue (Erlang A), in the caller's time unit.

    ``mean_wait`` is over all arrivals, those who abandon included (their wait is their patience).
    """

    arrival_rate: float
    mean_service: float
    mean_patience: float
    servers: int
    offered_load: float
    p_wait: float
    p_abandon: float
    mean_wait: float
    mean_queue_length: float
    utilisation: float
    states: int


def _log_add(x: float, y: float) -> float:
    """log(e^x + e^y) without overflow."""
    high, low = (x, y) if x >= y else (y, x)
    return high + math.log1p(math.exp(low - high))


def erlang_a(arrival_rate: float, mean_service: float, c: int, mean_patience: float) -> AbandonmentEstimate:
    """M/M/c+M with exponential patience of mean ``mean_patience`` (θ = 1 / mean_patience).

    ``mean_patience=math.inf`` means nobody abandons (Erlang C; only meaningful when a < c).
    """
    c = _check_servers(c)
    lam = _check_non_negative("the arrival rate", arrival_rate)
    s = _check_positive("the mean service time", mean_service)
    if not (isinstance(mean_patience, (int, float)) and mean_patience > 0):
        raise ValueError(f"the mean patience must be > 0 (math.inf for none), not {mean_patience!r}")
    mu = 1.0 / s
    theta = 0.0 if math.isinf(mean_patience) else 1.0 / mean_patience
    a = lam * s
    if theta == 0.0 and a >= c:
        raise ValueError(f"without abandonment the queue is overloaded (offered load {a:g} ≥ {c} servers)")
    if lam == 0.0:
        return AbandonmentEstimate(lam, s, mean_patience, c, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1)
    log_terms = [0.0]
    for n in range(1, c + 1):
        log_terms.append(log_terms[-1] + math.log(lam / (n * mu)))
    log_mass = float(logsumexp(log_terms))
    n = c
    while True:
        ratio = lam / (c * mu + (n + 1 - c) * theta)
        if ratio < 1.0 and log_terms[-1] + math.log(ratio / (1.0 - ratio)) < log_mass + math.log(TAIL_BOUND):
            break
        n += 1
        if n > MAX_STATES:
            raise ValueError("the Erlang A chain needs too many states; check the patience and the load")
        log_terms.append(log_terms[-1] + math.log(ratio))
        log_mass = _log_add(log_mass, log_terms[-1])
    total = logsumexp(log_terms)
    probabilities = [math.exp(t - total) for t in log_terms]
    p_wait = sum(probabilities[c:])
    queue_length = sum((k - c) * p for k, p in enumerate(probabilities) if k > c)
    busy = sum(min(k, c) * p for k, p in enumerate(probabilities))
    p_abandon = theta * queue_length / lam
    return AbandonmentEstimate(lam, s, mean_patience, c, a, p_wait, p_abandon, queue_length / lam,
                               queue_length, busy / c, len(probabilities))
