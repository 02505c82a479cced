"""Engine throughput on the reference network, against a minimal hand-written SimPy model.

The reference network (see the project's reference document): Poisson arrivals 10/min → tier 1 (59
reviewers, exponential handle time mean 5 min, FIFO) → 10 % escalate to tier 2 (24 reviewers, exponential
mean 20 min) → outcomes. Protocol: N arrivals, then arrivals stop and the model drains; statistics ignore
the first 10 000 items (here: items created in the first 1 000 minutes, the same thing on average).

Both models run in this process, one after the other; items/s counts model build + run (imports and
result records excluded for the minimal model, included for the engine — the engine collects all of
its statistics). Peak memory is measured with tracemalloc in a fresh subprocess per size, so tracing
does not slow the timed runs.

    python -m benchmarks.engine_throughput [--items N] [--quick] [--no-memory]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import simpy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flowmodel import Distribution, Edge, Outcome, ReviewStage, RunSettings, Shift, Source, Team, Workflow
from simulations.engine import run_replication
from simulations.spec import compile_run

ARRIVALS_PER_MIN = 10.0
C1, MEAN1 = 59, 5.0
C2, MEAN2 = 24, 20.0
ESCALATE = 0.10
WARMUP_MIN = 1000.0
SERIES_POINTS = 100
ANALYTIC = {"wq1_min": 0.0843429, "wq2_min": 1.490361, "sojourn_min": 7.233379}


def reference_workflow() -> Workflow:
    """The reference tandem network as a Flowmodel workflow (times in minutes; fixed ids, so fixed streams)."""
    workflow = Workflow(name="Reference tandem")
    source = workflow.add_node(Source(name="Arrivals", id="arrivals", rate_per_hour=ARRIVALS_PER_MIN * 60))
    tier1 = workflow.add_node(ReviewStage(name="Tier 1", id="tier-1",
                                          handle_time=Distribution.exponential(MEAN1, "min")))
    tier2 = workflow.add_node(ReviewStage(name="Tier 2", id="tier-2",
                                          handle_time=Distribution.exponential(MEAN2, "min")))
    done1 = workflow.add_node(Outcome(name="Decided at tier 1", id="decided-1", label="decided"))
    done2 = workflow.add_node(Outcome(name="Decided at tier 2", id="decided-2", label="decided"))
    workflow.add_edge(Edge(source.id, tier1.id, probability=1.0))
    workflow.add_edge(Edge(tier1.id, tier2.id, label="escalate", probability=ESCALATE))
    workflow.add_edge(Edge(tier1.id, done1.id, label="decide", probability=1.0 - ESCALATE))
    workflow.add_edge(Edge(tier2.id, done2.id, label="decide", probability=1.0))
    for name, stage, count in (("Moderators", tier1, C1), ("Specialists", tier2, C2)):
        workflow.add_team(Team(name=name, id=name.lower(), shrinkage=0.0, stages=[stage.id],
                               shifts=[Shift(name="round the clock", start_hour=0, hours=24, headcount=[count] * 7)]))
    return workflow


def run_engine(items: int, seed: int = 1, series_points: int | None = None) -> dict[str, float]:
    """Compile and run the engine on ``items`` arrivals; hourly series unless ``series_points`` is given."""
    started = time.perf_counter()
    horizon_h = items / ARRIVALS_PER_MIN / 60 * 1.5 + 24
    interval_min = 60.0 if series_points is None else horizon_h * 60 / series_points
    settings = RunSettings(horizon_hours=horizon_h, warmup_hours=WARMUP_MIN / 60, replications=1, seed=seed,
                           interval_minutes=interval_min)
    spec = compile_run(reference_workflow(), None, settings, arrival_limit=items, drain=True)
    result = run_replication(spec, 0)
    wall = time.perf_counter() - started
    return {
        "wall_s": wall, "items": result.items_completed, "events": result.events,
        "wq1_min": result.metric("stage", "Tier 1", "wait_mean_s") / 60,
        "wq2_min": result.metric("stage", "Tier 2", "wait_mean_s") / 60,
        "sojourn_min": result.metric("system", "system", "time_to_decision_mean_s") / 60,
        "sojourn_p90_min": result.metric("system", "system", "time_to_decision_p90_s") / 60,
    }


def run_minimal(items: int, seed: int = 1) -> dict[str, float]:
    """One generator per item, ``simpy.Resource`` per tier, running sums for the three means."""
    started = time.perf_counter()
    env = simpy.Environment()
    tier1, tier2 = simpy.Resource(env, C1), simpy.Resource(env, C2)
    rng = random.Random(seed)
    sums = {"wq1": 0.0, "n1": 0, "wq2": 0.0, "n2": 0, "sojourn": 0.0, "done": 0}

    def item(arrived: float) -> simpy.events.ProcessGenerator:
        counted = arrived >= WARMUP_MIN
        with tier1.request() as request:
            yield request
            if counted:
                sums["wq1"] += env.now - arrived
                sums["n1"] += 1
            yield env.timeout(rng.expovariate(1 / MEAN1))
        if rng.random() < ESCALATE:
            queued = env.now
            with tier2.request() as request:
                yield request
                if counted:
                    sums["wq2"] += env.now - queued
                    sums["n2"] += 1
                yield env.timeout(rng.expovariate(1 / MEAN2))
        if counted:
            sums["sojourn"] += env.now - arrived
            sums["done"] += 1

    def arrivals() -> simpy.events.ProcessGenerator:
        for _ in range(items):
            yield env.timeout(rng.expovariate(ARRIVALS_PER_MIN))
            env.process(item(env.now))

    env.process(arrivals())
    env.run()
    wall = time.perf_counter() - started
    return {"wall_s": wall, "items": items, "wq1_min": sums["wq1"] / sums["n1"], "wq2_min": sums["wq2"] / sums["n2"],
            "sojourn_min": sums["sojourn"] / sums["done"]}


def peak_memory(items: int, series_points: int, traced: bool) -> float:
    """Peak memory (MiB) of compiling and running the engine on ``items`` items in a fresh process: Python
    allocations traced by tracemalloc, or the process's maximum resident set size. ``series_points`` 0
    means hourly series."""
    out = subprocess.run([sys.executable, __file__, "--memory-child", f"{items},{series_points},{int(traced)}"],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["peak_mib"]


def _memory_child(argument: str) -> None:
    items, series_points, traced = (int(part) for part in argument.split(","))
    if traced:
        tracemalloc.start()
    run_engine(items, series_points=series_points or None)
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10  # KiB on Linux
    print(json.dumps({"peak_mib": peak}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200_000, help="arrivals per run (default 200 000)")
    parser.add_argument("--quick", action="store_true", help="20 000 items, memory at 20 000 and 200 000")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each model; the fastest counts")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        _memory_child(args.memory_child)
        return 0
    items = 20_000 if args.quick else args.items

    engine = min((run_engine(items) for _ in range(args.repeat)), key=lambda r: r["wall_s"])
    minimal = min((run_minimal(items) for _ in range(args.repeat)), key=lambda r: r["wall_s"])
    engine_rate = engine["items"] / engine["wall_s"]
    minimal_rate = minimal["items"] / minimal["wall_s"]
    print(f"items per run: {items:,} (fastest of {args.repeat} runs each)")
    print(f"{'':22}{'engine':>12}{'minimal':>12}{'analytic':>12}")
    print(f"{'items/s':22}{engine_rate:12,.0f}{minimal_rate:12,.0f}")
    print(f"{'wall s':22}{engine['wall_s']:12.2f}{minimal['wall_s']:12.2f}")
    for key, label in (("wq1_min", "mean Wq1 (min)"), ("wq2_min", "mean Wq2 (min)"),
                       ("sojourn_min", "mean sojourn (min)")):
        print(f"{label:22}{engine[key]:12.4f}{minimal[key]:12.4f}{ANALYTIC[key]:12.4f}")
    print(f"{'p90 sojourn (min)':22}{engine['sojourn_p90_min']:12.3f}{'':12}{16.0279:12.3f}")
    print(f"engine events/s: {engine['events'] / engine['wall_s']:,.0f}")
    print(f"ratio engine / minimal: {engine_rate / minimal_rate:.2f}x (floor 1.5x, aim 2.5x)")
    if not args.no_memory:
        small, large = (20_000, 200_000) if args.quick else (200_000, 2_000_000)
        print("peak memory of compile + run + result records, each in a fresh process:")
        for traced, measure in ((True, "tracemalloc"), (False, "max RSS")):
            for points, label in ((SERIES_POINTS, f"series of {SERIES_POINTS} points"), (0, "hourly series")):
                small_mib, large_mib = peak_memory(small, points, traced), peak_memory(large, points, traced)
                print(f"  {measure:12}{label:22}{small:>11,} items {small_mib:7.2f} MiB{large:>11,} items "
                      f"{large_mib:7.2f} MiB   ratio {large_mib / small_mib:.2f}")
        print("  (limit 1.2 with a fixed number of series points; hourly series hold one value per simulated hour"
              " and series, so they grow with the horizon, not with the items per hour)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
