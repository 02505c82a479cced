"""Run a workflow's scenarios side by side with common random numbers, and aggregate the results.

Rules:
- The first scenario in the list is the reference the deltas are taken against; ``None`` stands for the
  baseline (the workflow with no changes). ``scenario_ids=None`` runs the baseline alone.
- Every scenario runs the same replication indices 0…n−1 with the same base seed; the engine derives each
  random stream from (seed, replication, node/team id, purpose), so an unchanged part of the model sees
  the same random numbers in every scenario and a scenario identical to the reference gives deltas of
  exactly zero.
- A run with a launch plan among its scenarios gives the others (the baseline) that plan's launch instant
  (:func:`launch_reference`), so launch metrics and daily SLA series exist on both sides of a comparison. With
  several plans of different launch instants, the baseline's instant-relative metrics (recovery, peak after
  launch) are the first plan's: compare such plans with each other, or run each against the baseline.
- Every scenario is compiled (and so validated) before any replication starts: a broken scenario fails
  the whole run at once rather than after the others have run for minutes.
- Then the run is estimated (:mod:`simulations.run_budget`: events, wall time, peak memory on the
  executor's processes): a run past the budget is refused with a :class:`SimulationError` naming the setting or
  place and the limit; the estimate (with its warnings) goes to ``on_estimate`` before the first replication.
- A replication the engine's backlog guard stopped keeps what it measured, marked with the reason
  (``ReplicationResult.stopped_early``); :meth:`RunResult.stopped_early` lists them. Its figures cover only
  the time until the stop, so callers must say so and not store the run as a complete one.
- Watching a run (``on_partial``): while replications finish, the run so far — the finished replications,
  aggregated as a finished run would be — goes to ``on_partial`` at most every :data:`PARTIAL_EVERY_S`
  seconds, on the thread that runs the executor (not the last one: the finished run follows).
- A :class:`RunResult` keeps the per-replication results; the aggregates are always recomputed from them
  (:meth:`RunResult.from_replications`), so a run loaded from a workspace has exactly the same figures.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flowmodel.errors import ModelError
from flowmodel.limits import MAX_BACKLOG_ITEMS
from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Scenario
from flowmodel.workflow import Workflow
from simulations.aggregate import (
    MetricDelta,
    MetricSummary,
    SeriesBand,
    paired_deltas,
    series_bands,
    summarise_metrics,
)
from simulations.executors import Executor, Progress, ProgressCallback, make_executor
from simulations.results import ReplicationResult
from simulations.run_budget import RunEstimate, estimate_run
from simulations.spec import RunSpec, SimulationError, compile_run

BASELINE_ID = "baseline"
BASELINE_NAME = "Baseline"


@dataclass(frozen=True)
class RunOptions:
    """What a run used besides the workflow: the settings and the engine's stopping rule."""

    settings: RunSettings
    arrival_limit: int | None = None
    drain: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self.settings), "arrival_limit": self.arrival_limit, "drain": self.drain}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunOptions:
        known = {f.name for f in dataclasses.fields(RunSettings)}
        settings = RunSettings(**{k: v for k, v in data.items() if k in known})
        return cls(settings, data.get("arrival_limit"), bool(data.get("drain", False)))


@dataclass
class RunResult:
    workflow_id: str
    workflow_name: str
    options: RunOptions
    scenarios: list[dict[str, Any]]
    replications: list[ReplicationResult]
    summaries: list[MetricSummary]
    bands: list[SeriesBand]
    deltas: list[MetricDelta]

    @property
    def baseline_id(self) -> str:
        return str(self.scenarios[0]["id"])

    @property
    def scenario_names(self) -> dict[str, str]:
        return {str(s["id"]): str(s["name"]) for s in self.scenarios}

    @classmethod
    def from_replications(cls, workflow_id: str, workflow_name: str, options: RunOptions,
                          scenarios: list[dict[str, Any]], replications: list[ReplicationResult]) -> RunResult:
        """Aggregates and paired deltas (vs the first scenario) from per-replication results."""
        reference = str(scenarios[0]["id"])
        return cls(workflow_id, workflow_name, options, scenarios, replications, summarise_metrics(replications),
                   series_bands(replications), paired_deltas(replications, reference))

    def summary(self, scenario_id: str, scope_kind: str, scope: str, metric: str) -> MetricSummary:
        """One aggregate, found by scope id or name."""
        for record in self.summaries:
            if (record.scenario_id == scenario_id and record.scope_kind == scope_kind and record.metric == metric
                    and scope in (record.scope_id, record.scope_name)):
                return record
        raise KeyError(f"no {metric!r} for {scope_kind} {scope!r} in scenario {scenario_id!r}")

    def stopped_early(self) -> list[ReplicationResult]:
        """The replications the backlog guard stopped before their end (empty for a complete run)."""
        return [r for r in self.replications if r.stopped_early]

    def stop_summary(self) -> str:
        """One sentence on the replications the backlog guard stopped ("" when none was): how many, and the
        first one's reason."""
        stopped = self.stopped_early()
        if not stopped:
            return ""
        first, total = stopped[0], len(self.replications)
        which = "the replication" if total == 1 else "every replication" if len(stopped) == total else \
            f"{len(stopped)} of {total} replications"
        return (f"{which} stopped early; in {first.scenario_name} replication {first.replication + 1}: "
                f"{first.stopped_early}")


def scenario_document(scenario: Scenario | None) -> dict[str, Any]:
    """The exact scenario a run used, as stored with the run (the baseline as an empty change list)."""
    if scenario is None:
        return {"id": BASELINE_ID, "name": BASELINE_NAME, "description": "the workflow as drawn", "changes": []}
    return dataclasses.asdict(scenario)


def resolve_scenarios(workflow: Workflow, scenario_ids: Sequence[str | None] | None) -> list[Scenario | None]:
    """Scenario objects for ``scenario_ids`` (``None`` → the baseline); unknown ids are a :class:`ModelError`."""
    wanted: list[str | None] = [None] if scenario_ids is None else list(scenario_ids)
    if not wanted:
        raise ModelError("no scenario to run", hint="run the baseline or pick at least one scenario")
    out: list[Scenario | None] = []
    for scenario_id in wanted:
        if scenario_id is None or scenario_id == BASELINE_ID:
            out.append(None)
            continue
        scenario = workflow.scenarios.get(scenario_id)
        if scenario is None:
            known = ", ".join(s.name for s in workflow.scenarios.values()) or "none"
            raise ModelError(f"workflow {workflow.name!r} has no scenario with id {scenario_id!r}",
                             hint=f"its scenarios: {known}")
        out.append(scenario)
    ids = [BASELINE_ID if s is None else s.id for s in out]
    if len(set(ids)) != len(ids):
        raise ModelError("a scenario is listed twice", hint="list each scenario once")
    return out


def launch_reference(scenarios: Sequence[Scenario | None]) -> Scenario | None:
    """The first launch plan among ``scenarios``: the others (the baseline) get its launch instant, so that their
    launch metrics and daily SLA series pair with the plan's."""
    return next((s for s in scenarios if s is not None and s.is_launch_plan()), None)


def run_scenarios(workflow: Workflow, scenario_ids: Sequence[str | None] | None,
                  settings: RunSettings | None = None, *, executor: Executor | None = None,
                  on_progress: ProgressCallback | None = None, cancel: threading.Event | None = None,
                  arrival_limit: int | None = None, drain: bool = False, backlog_limit: int = MAX_BACKLOG_ITEMS,
                  on_estimate: Callable[[RunEstimate], None] | None = None, trace_items: int = 0,
                  on_partial: Callable[[RunResult], None] | None = None) -> RunResult:
    """Run ``scenario_ids`` (first = reference) × replications; see the module docstring for the rules.

    Raises :class:`simulations.spec.SimulationError` for a model or scenario that cannot run or a run past the
    budget, and :class:`simulations.spec.RunCancelled` when ``cancel`` is set.
    """
    options = RunOptions(settings if settings is not None else workflow.run_settings, arrival_limit, drain)
    scenarios = resolve_scenarios(workflow, scenario_ids)
    reference = launch_reference(scenarios)
    specs: list[RunSpec] = [dataclasses.replace(compile_run(workflow, scenario, options.settings,
                                                            arrival_limit=arrival_limit, drain=drain,
                                                            backlog_limit=backlog_limit, launch_reference=reference),
                                                trace_items=trace_items)
                            for scenario in scenarios]
    tasks = [(spec, replication) for spec in specs for replication in range(options.settings.replications)]
    executor = executor if executor is not None else make_executor()
    estimate = estimate_run(workflow, scenarios, specs, processes=getattr(executor, "jobs", 1))
    refusals = estimate.errors()
    if refusals:
        raise SimulationError(refusals[0].message, where=refusals[0].where)
    if on_estimate is not None:
        on_estimate(estimate)
    documents = [scenario_document(s) for s in scenarios]
    if on_partial is not None:
        on_progress = _watching(on_progress, on_partial, lambda done: RunResult.from_replications(
            workflow.id, workflow.name, options, documents, done))
    replications = executor.run(tasks, on_progress, cancel)
    return RunResult.from_replications(workflow.id, workflow.name, options, documents, replications)


#: At most one partial result per this many wall seconds while a run is watched.
PARTIAL_EVERY_S = 1.0


def _watching(on_progress: ProgressCallback | None, on_partial: Callable[[RunResult], None],
              aggregate: Callable[[list[ReplicationResult]], RunResult]) -> ProgressCallback:
    """Progress passed on as it was, plus the run so far (the replications finished, aggregated) at most every
    :data:`PARTIAL_EVERY_S` — on the caller's thread, so aggregating never holds up a window."""
    finished: dict[int, ReplicationResult] = {}
    last = [-math.inf]

    def progress(report: Progress) -> None:
        if on_progress is not None:
            on_progress(report)
        finished.update(report.finished)
        now = time.monotonic()
        if report.finished and finished and now - last[0] >= PARTIAL_EVERY_S \
                and len(finished) < report.replications_total:
            last[0] = now
            on_partial(aggregate([finished[i] for i in sorted(finished)]))

    return progress
