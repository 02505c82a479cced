"""Pre-run estimate of a run's simulation events, wall time and peak memory, made before anything is simulated.

A run that could never finish, or that would take the machine's memory, is refused before it starts, and a
long or large one starts with a warning that says how long or how large. The estimate comes from the model's
analytic load — the traffic equations (:mod:`flowmodel.traffic`) give every node's arrivals per item entering
the model — and from the compiled run (:mod:`simulations.spec`): arrival-rate tables (profiles and surges
included), roster timelines, horizon, interval, drain, arrival limit and backlog guard.

The formula, per scenario (one compiled :class:`RunSpec`), with R replications per scenario and P worker
processes (the executor's jobs, at most the number of replications run):

- Arrivals A(t) = ∫₀ᵗ Σ_sources λ(u) du from the rate tables, capped at the arrival limit.
- Events per item e = 1 + Σ_stages v·(r + p_wait·[the stage expires items]) + Σ_classifiers, delays v, where
  v is the node's visits per item (traffic equations; a loop makes v > 1): the arrival, one review completion
  per stage visit that is reviewed (r = min(1, capacity ÷ load) of them), an expiry timer per visit that
  waits, one wake-up per classifier or delay.
- Waiting items, per staffing pool (stages sharing teams, :func:`flowmodel.traffic.staffing_pools`), as a
  fluid: work arrives at L·λ(t)/λ̄ reviewer-seconds per second (L = offered load in erlangs at the mean rate
  λ̄) and is done at c(t), the pool's available reviewers from the roster timelines. The backlog of work is
  the Lindley recursion B ← max(0, B + (L·λ(t)/λ̄ − c(t))·Δt) over the segments on which neither changes;
  items waiting = B ÷ the pool's mean handle time. So an overloaded pool (load ≥ capacity, the load warning
  of :mod:`flowmodel.validation_capacity`) grows at (arrivals − service) per second, and roster gaps and
  surges build backlogs that later drain. A pool whose stages all expire items holds at most λ·TTL of them.
  A stable pool's steady queue is Erlang C's Lq (c = its mean available reviewers); the larger one counts.
- The backlog guard (:mod:`simulations.engine`) stops a replication when a queue passes the run's
  ``backlog_limit``: when the fluid backlog reaches it at t_stop, the run is costed up to t_stop, and a
  queue never counts above the limit (plus the guard's slack).
- Run end T: t_stop, else the horizon, else with ``drain`` the end of arrivals plus the time the pools take
  to work off their final backlog plus the longest mean delay, handle or latency (at most the drain cap).
- Events per replication E = A(T)·e + T ÷ interval (series samples) + roster changes + T ÷ 1 h (ticks).
  Wall time = max(Σ over replications of E ÷ EVENTS_PER_SECOND ÷ P, the longest replication's time).
- Items in flight N = waiting (above) + in review (min(L·peak λ/λ̄, most reviewers available)) + in
  classifiers and delays (v·min(peak λ·mean duration, A(T))); plus the expiry timers that reviewed items
  leave pending until their time-to-live ends (λ_stage·p_wait·min(TTL, T)).
- Series: S = 2·stages + 2·teams + sources series of K = T ÷ interval points.
- Memory = main process + P × the largest worker replication. The main process keeps every replication's
  series (R·S·K·KEPT_SERIES_POINT_BYTES per scenario) and one band per series (S·K·BAND_POINT_BYTES); a worker
  holds its replication's items (N × ITEM bytes below) and, while collecting, its series
  (S·K·RUN_SERIES_POINT_BYTES). The interpreter and libraries (~110 MiB per process) are not counted: the
  budget is what the run adds.

One replication's load (arrivals, events, items, the guard's stop) and the byte constants are in
:mod:`simulations.run_load`; the counts and durations of the messages in :mod:`simulations.run_budget_text`.

Constants, measured on the 2-core development machine (Python 3, SimPy 4; tracemalloc for bytes, confirmed
with the resident set size; other work was running, so times are on the slow side):

- :data:`EVENTS_PER_SECOND` 200,000: the engine processed 182,000 events/s on the reference tandem network,
  230,000 on a 60-reviewer single stage, 113,000 on an overloaded stage (where each arrival also queues);
  ``benchmarks/engine_throughput.py`` reported 187,000.
- :data:`QUEUED_ITEM_BYTES` 300: 268 B per waiting item by tracemalloc, 298 B by RSS (10⁶ items queued).
- :data:`TIMED_ITEM_BYTES` 750: an item with a pending timer event (in review, in a classifier or delay, or
  waiting with an expiry timer): 548 B in a delay, 717 B waiting with an expiry timer.
- :data:`EXPIRY_TIMER_BYTES` 450: the timer alone (717 − 268), left pending after the item was reviewed.
- :data:`RUN_SERIES_POINT_BYTES` 24: per series point in a worker at its peak (8 B in the sampling array,
  14 B in the collected records, 4 B pickled to the main process: 22.8 B measured).
- :data:`KEPT_SERIES_POINT_BYTES` 16: per series point the main process keeps per replication (14.4 B
  measured with small counts; a count above 256 is its own object, up to 44 B).
- :data:`BAND_POINT_BYTES` 104: per series point of a scenario's band (mean, low, high as floats: 96 B
  measured, plus the times).

Check: 10 replications at a 1-second interval over 30 days with 5 series is 5 × 2,592,000 points ×
(10 × 16 + 104) B ≈ 3.4 GB, what such a run was seen to take.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flowmodel.limits import MAX_RUN_EVENTS, MAX_RUN_MEMORY_BYTES, WARN_RUN_MEMORY_BYTES, WARN_RUN_SECONDS
from flowmodel.scenarios import Scenario, apply_scenario
from flowmodel.workflow import Workflow
from simulations.run_budget_text import bytes_text, count_text, duration_text, interval_text, plural, span_text
from simulations.run_load import (
    ScenarioLoad,
    scenario_load,
)
from simulations.spec import RunSpec

EVENTS_PER_SECOND = 200_000.0
KEPT_SERIES_POINT_BYTES = 16.0
BAND_POINT_BYTES = 104.0



@dataclass(frozen=True)
class BudgetProblem:
    """A reason to refuse a run (``error``) or to start it with a warning; ``where`` names the setting or place."""

    severity: str
    where: str
    message: str

    def render(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class RunEstimate:
    """Events, wall time and peak memory of a whole run (every scenario × replication); see the module rules."""

    scenarios: tuple[ScenarioLoad, ...]
    replications: int
    processes: int
    interval_minutes: float
    backlog_limit: int

    @property
    def tasks(self) -> int:
        return self.replications * len(self.scenarios)

    @property
    def events(self) -> float:
        return sum(self.replications * s.events for s in self.scenarios)

    @property
    def seconds(self) -> float:
        longest = max((s.events for s in self.scenarios), default=0.0)
        return max(self.events / self.processes, longest) / EVENTS_PER_SECOND

    @property
    def main_bytes(self) -> float:
        """The results the main process keeps: every replication's series and one band per series."""
        return sum(s.series * s.points * (self.replications * KEPT_SERIES_POINT_BYTES + BAND_POINT_BYTES)
                   for s in self.scenarios)

    @property
    def series_memory_bytes(self) -> float:
        return self.main_bytes + self.processes * max((s.series_bytes for s in self.scenarios), default=0.0)

    @property
    def items_memory_bytes(self) -> float:
        return self.processes * max((s.item_bytes for s in self.scenarios), default=0.0)

    @property
    def memory_bytes(self) -> float:
        worker = max((s.item_bytes + s.series_bytes for s in self.scenarios), default=0.0)
        return self.main_bytes + self.processes * worker

    def problems(self) -> list[BudgetProblem]:
        """Refusals (events or memory past the run limits) and warnings (large or long runs), in that order."""
        out: list[BudgetProblem] = []
        on = f"on {plural(self.processes, 'process')}"
        too_many_events = self.events > MAX_RUN_EVENTS
        if too_many_events:
            where, what, advice = self._events_text()
            out.append(BudgetProblem(
                "error", where, f"this run would simulate {what}, about {duration_text(self.seconds)} {on} — more "
                f"than the {count_text(MAX_RUN_EVENTS)} events a run may take (beyond that it would occupy the "
                f"machine for hours); {advice}"))
        memory = self.memory_bytes
        if memory > WARN_RUN_MEMORY_BYTES:
            where, what, advice = self._memory_text()
            if memory > MAX_RUN_MEMORY_BYTES:
                out.append(BudgetProblem(
                    "error", where, f"{what} — more than the {bytes_text(MAX_RUN_MEMORY_BYTES)} a run may use, so "
                    f"that the app and the other processes keep room on the machine; {advice}"))
            else:
                out.append(BudgetProblem(
                    "warning", where, f"{what}; {advice} (a run above {bytes_text(WARN_RUN_MEMORY_BYTES)} starts with "
                    f"this warning, above {bytes_text(MAX_RUN_MEMORY_BYTES)} it is refused)"))
        if self.seconds > WARN_RUN_SECONDS and not too_many_events:
            where, what, advice = self._events_text()
            out.append(BudgetProblem(
                "warning", where, f"this run will take about {duration_text(self.seconds)} {on} ({what}); {advice}"))
        return out

    def errors(self) -> list[BudgetProblem]:
        return [p for p in self.problems() if p.severity == "error"]

    def warnings(self) -> list[BudgetProblem]:
        return [p for p in self.problems() if p.severity == "warning"]

    def _events_text(self) -> tuple[str, str, str]:
        """(where, what makes the events, what to do): the time-series samples when they are most of them (a tiny
        interval), else the arrivals."""
        biggest = max(self.scenarios, key=lambda s: s.events)
        runs = f"{plural(self.replications, 'replication')}"
        runs += f" × {len(self.scenarios)} scenarios" if len(self.scenarios) > 1 else ""
        samples = sum(self.replications * s.points for s in self.scenarios)
        if 2 * samples >= self.events:
            return ("run settings · interval_minutes",
                    f"about {count_text(self.events)} events, mostly time-series samples: {runs} × "
                    f"{biggest.points:,} samples each (a {interval_text(self.interval_minutes)} interval over "
                    f"{span_text(biggest.end_s)})", "choose a longer time-series interval")
        source = f", mostly from source “{biggest.top_source}”" if biggest.top_source else ""
        return ("run settings · replications",
                f"about {count_text(self.events)} events: {runs} × about {count_text(biggest.arrivals)} arrivals "
                f"each{source} (surges included) over {span_text(biggest.end_s)}",
                "reduce replications or the horizon")

    def _memory_text(self) -> tuple[str, str, str]:
        """(where, what needs the memory, what to do) for the larger of the series and the items in flight."""
        memory = bytes_text(self.memory_bytes)
        if self.series_memory_bytes >= self.items_memory_bytes:
            biggest = max(self.scenarios, key=lambda s: s.series * s.points)
            return ("run settings · interval_minutes",
                    f"this run needs about {memory} of memory, mostly for its time series: "
                    f"{plural(self.tasks, 'replication')} × {biggest.series} series × {biggest.points:,} points "
                    f"each (a {interval_text(self.interval_minutes)} interval over {span_text(biggest.end_s)})",
                    "choose a longer time-series interval, a shorter horizon or fewer replications")
        worst = max(self.scenarios, key=lambda s: s.item_bytes)
        place = max((worst.waiting, worst.in_transit), key=lambda p: p.bytes)
        each = f" in each of {self.processes} worker processes" if self.processes > 1 else ""
        what = f"this run needs about {memory} of memory for the items in flight: up to " \
               f"{count_text(place.items)} items at {place.where}{each}"
        if place is worst.waiting and worst.guard_stop_s is not None:
            what += f" (the backlog guard stops a replication at {self.backlog_limit:,} waiting items)"
            advice = "the model is overloaded (see the load warning; a surge or a roster gap can overload it too): " \
                     "add reviewers or reduce the volume, or run fewer worker processes"
        elif place is worst.waiting:
            advice = "add reviewers where the backlog builds, shorten the horizon, or run fewer worker processes"
        else:
            advice = "shorten the delay or the horizon, reduce the volume, or run fewer worker processes"
        return place.where, what, advice


# -- the estimate ------------------------------------------------------------------------------------------
def estimate_run(workflow: Workflow, scenarios: Sequence[Scenario | None], specs: Sequence[RunSpec], *,
                 replications: int | None = None, processes: int = 1) -> RunEstimate:
    """The estimate of running ``specs`` (compiled from ``workflow`` with ``scenarios``, in the same order)
    ``replications`` times each (default: their settings) on ``processes`` worker processes."""
    if not specs:
        raise ValueError("a run estimate needs at least one compiled scenario")
    reps = specs[0].settings.replications if replications is None else replications
    loads = tuple(scenario_load(apply_scenario(workflow, scenario), spec)
                  for scenario, spec in zip(scenarios, specs, strict=True))
    return RunEstimate(loads, reps, max(1, min(processes, reps * len(loads))), specs[0].settings.interval_minutes,
                       specs[0].backlog_limit)

