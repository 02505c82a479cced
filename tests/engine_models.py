"""Small workflows and helpers for the engine tests (fixed ids, so fixed random streams)."""

from __future__ import annotations

import math
import statistics

from scipy.stats import t as student_t

from flowmodel import (
    Distribution,
    Edge,
    MixEntry,
    Outcome,
    ReviewStage,
    RunSettings,
    Shift,
    SlaTarget,
    Source,
    Team,
    Workflow,
)
from simulations.engine import run_replication
from simulations.results import ReplicationResult
from simulations.spec import RunSpec


def round_the_clock(count: int) -> list[Shift]:
    return [Shift(name="all day", start_hour=0, hours=24, headcount=[count] * 7)]


def single_stage(rate_per_hour: float, handle: Distribution, servers: int, *, discipline: str = "fifo",
                 expiry: Distribution | None = None, mix: list[MixEntry] | None = None,
                 sla: list[SlaTarget] | None = None, shifts: list[Shift] | None = None) -> Workflow:
    """Source → "Review" → "Done", one team ("Team") of ``servers`` reviewers, shrinkage 0."""
    workflow = Workflow(name="Single stage", id="single-stage")
    source = workflow.add_node(Source(name="Reports", id="reports", rate_per_hour=rate_per_hour,
                                      mix=mix or [MixEntry()]))
    stage = workflow.add_node(ReviewStage(name="Review", id="review", handle_time=handle, discipline=discipline,
                                          expiry=expiry, sla=sla or []))
    done = workflow.add_node(Outcome(name="Done", id="done", label="done"))
    workflow.add_edge(Edge(source.id, stage.id, id="e-in", probability=1.0))
    workflow.add_edge(Edge(stage.id, done.id, id="e-out", probability=1.0))
    workflow.add_team(Team(name="Team", id="team", shrinkage=0.0, stages=[stage.id],
                           shifts=shifts if shifts is not None else round_the_clock(servers)))
    return workflow


def settings(hours: float, warmup: float = 0.0, seed: int = 1, interval_minutes: float = 60.0) -> RunSettings:
    return RunSettings(horizon_hours=hours, warmup_hours=warmup, replications=1, seed=seed,
                       interval_minutes=interval_minutes)


def replicate(spec: RunSpec, count: int) -> list[ReplicationResult]:
    return [run_replication(spec, r) for r in range(count)]


def confidence_interval(values: list[float], level: float = 0.95) -> tuple[float, float]:
    """(mean, half-width) of the Student-t interval over replications."""
    n = len(values)
    mean = statistics.fmean(values)
    half = student_t.ppf((1 + level) / 2, n - 1) * statistics.stdev(values) / math.sqrt(n)
    return mean, half


def metric_values(results: list[ReplicationResult], kind: str, scope: str, metric: str) -> list[float]:
    return [r.metric(kind, scope, metric) for r in results]
