"""Store a run in a workspace and read it back.

Rules:
- What is stored is what was measured: one row per (scenario, replication, scalar) and one row per
  (scenario, replication, series, time point), plus the exact settings and scenario documents the run used
  and the workflow's fingerprint (so the UI can tell when results are stale).
- Aggregates, bands and deltas are never stored: loading recomputes them from the stored rows with the same
  code a fresh run uses, so "the delta equals the difference of the stored metrics" holds by construction.
- The run belongs to ``workflow``; save the workflow in the same workspace so the run can be found again.
- Per-replication counters that are not metrics (events, items created) are not stored; a loaded
  replication reports them as 0, and its ``seed`` is the run's base seed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from flowmodel.errors import LoadError
from flowmodel.ids import new_id
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace
from simulations.results import MetricRecord, ReplicationResult, SeriesRecord
from simulations.runner import RunOptions, RunResult


def metric_rows(run: RunResult) -> Iterator[dict[str, Any]]:
    """The ``run_metrics`` rows of a run (NaN stays NaN; the workspace stores it as NULL)."""
    for result in run.replications:
        for record in result.metrics:
            yield {"scenario_id": result.scenario_id, "scenario_name": result.scenario_name,
                   "replication": result.replication, "scope_kind": record.scope_kind,
                   "scope_id": record.scope_id, "scope_name": record.scope_name, "metric": record.metric,
                   "value": float(record.value)}


def series_rows(run: RunResult) -> Iterator[dict[str, Any]]:
    """The ``run_series`` rows of a run: one per time point."""
    for result in run.replications:
        for record in result.series:
            for t_hours, value in zip(record.times_h, record.values, strict=True):
                yield {"scenario_id": result.scenario_id, "scenario_name": result.scenario_name,
                       "replication": result.replication, "scope_kind": record.scope_kind,
                       "scope_id": record.scope_id, "scope_name": record.scope_name, "metric": record.metric,
                       "t_hours": float(t_hours), "value": float(value)}


def save_run_to_workspace(workspace: Workspace, workflow: Workflow, run: RunResult, label: str = "") -> str:
    """Store ``run`` (one transaction) and return its new id."""
    return workspace.save_run(workflow, new_id(), run.options.to_dict(), run.scenarios, metric_rows(run),
                              series_rows(run), label=label)


def _run_row(workspace: Workspace, run_id: str) -> dict[str, Any]:
    for workflow_id, _ in workspace.list_workflows():
        for row in workspace.list_runs(workflow_id):
            if row["id"] == run_id:
                return row
    raise LoadError(f"no run with id {run_id!r}", where=str(workspace.path),
                    hint="pick a run from the workflow's run list")


def load_run_from_workspace(workspace: Workspace, run_id: str) -> RunResult:
    """The run with ``run_id``, its aggregates recomputed from the stored per-replication rows."""
    row = _run_row(workspace, run_id)
    where = f"{workspace.path} › run {run_id!r}"
    settings, scenarios = row["settings"], row["scenarios"]
    if not isinstance(settings, dict) or not isinstance(scenarios, list) or not scenarios \
            or not all(isinstance(s, dict) and "id" in s and "name" in s for s in scenarios):
        raise LoadError("the run's settings or scenarios are not readable", where=where,
                        hint="run the simulation again")
    try:
        options = RunOptions.from_dict(settings)
    except TypeError as error:
        raise LoadError(f"the run's settings are not readable ({error})", where=where,
                        hint="run the simulation again") from None
    names = {str(s["id"]): str(s["name"]) for s in scenarios}
    metrics: dict[tuple[str, int], list[MetricRecord]] = defaultdict(list)
    for m in workspace.run_metrics(run_id):
        metrics[(m["scenario_id"], m["replication"])].append(
            MetricRecord(m["scope_kind"], m["scope_id"], m["scope_name"], m["metric"], float(m["value"])))
    points: dict[tuple[str, int], dict[tuple[str, str, str, str], list[tuple[float, float]]]] = defaultdict(
        lambda: defaultdict(list))
    for s in workspace.run_series(run_id):
        key = (s["scope_kind"], s["scope_id"], s["scope_name"], s["metric"])
        points[(s["scenario_id"], s["replication"])][key].append((float(s["t_hours"]), float(s["value"])))
    order = {scenario_id: position for position, scenario_id in enumerate(names)}
    replications: list[ReplicationResult] = []
    for scenario_id, replication in sorted(set(metrics) | set(points), key=lambda k: (order.get(k[0], 0), k[1])):
        series = [SeriesRecord(kind, scope_id, scope_name, metric, tuple(t for t, _ in values),
                               tuple(v for _, v in values))
                  for (kind, scope_id, scope_name, metric), values in points[(scenario_id, replication)].items()]
        replications.append(ReplicationResult(scenario_id, names.get(scenario_id, scenario_id), replication,
                                              options.settings.seed, metrics[(scenario_id, replication)], series))
    return RunResult.from_replications(row["workflow_id"], _workflow_name(workspace, row["workflow_id"]),
                                       options, scenarios, replications)


def _workflow_name(workspace: Workspace, workflow_id: str) -> str:
    return dict(workspace.list_workflows()).get(workflow_id, "")
