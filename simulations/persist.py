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
- :func:`store_run` never loses a finished run: when the workspace cannot take it, the run is kept beside the
  workspace (:mod:`flowmodel.pending_runs`) and :class:`RunKeptAside` says where; runs kept earlier are
  stored first.
- A stored run is read back only whole and intact (:meth:`Workspace.read_run` verifies its checksum), and its
  settings are checked like a workflow's, so a damaged run is named instead of compared or exported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowmodel.errors import LoadError, SaveError
from flowmodel.ids import new_id
from flowmodel.pending_runs import keep_aside, store_pending
from flowmodel.run_settings import RunSettings
from flowmodel.serialization import build
from flowmodel.workflow import Workflow
from flowmodel.workspace import Workspace, new_run_row
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


class RunKeptAside(SaveError):
    """The workspace could not take the run; it was written beside the workspace instead (``kept``)."""

    def __init__(self, cause: SaveError | LoadError, kept: Path, run_id: str) -> None:
        self.kept = kept
        self.run_id = run_id
        super().__init__(f"the run could not be stored in the workspace ({cause.message}); its results are kept in "
                         f"{kept.name} and will be stored when the workspace is next opened or written",
                         where=cause.where, hint=cause.hint)


@dataclass
class StoredRun:
    run_id: str
    #: Runs kept aside by earlier attempts that were stored now, and the ones that could not be.
    earlier_stored: list[str] = field(default_factory=list)
    earlier_problems: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        """What a person should hear about the runs kept aside earlier, one line each."""
        lines = [f"also stored {len(self.earlier_stored)} run(s) kept aside by an earlier attempt"] \
            if self.earlier_stored else []
        return lines + [f"a run kept aside earlier could not be stored: {p}" for p in self.earlier_problems]


def store_run(path: Path, workflow: Workflow, run: RunResult, label: str = "") -> StoredRun:
    """Store ``run`` in the workspace at ``path`` (see the module rules); :class:`RunKeptAside` when it had to be
    kept beside it, :class:`SaveError` when even that failed."""
    row = new_run_row(workflow, new_id(), run.options.to_dict(), run.scenarios, label, path=path)
    try:
        with Workspace.open(path) as workspace:
            earlier, problems = store_pending(workspace)
            workspace.save_run_rows(row, metric_rows(run), series_rows(run))
    except (LoadError, SaveError) as error:
        try:
            kept = keep_aside(path, row, metric_rows(run), series_rows(run))
        except SaveError as also:
            raise SaveError(f"{error.message}; the run could not be kept beside the workspace either "
                            f"({also.message}), so its results are lost", where=error.where, hint=error.hint) from None
        raise RunKeptAside(error, kept, str(row["id"])) from None
    return StoredRun(str(row["id"]), earlier, problems)


def load_run_from_workspace(workspace: Workspace, run_id: str) -> RunResult:
    """The run with ``run_id``, its aggregates recomputed from the stored per-replication rows."""
    row = workspace.get_run(run_id)
    stored_metrics, stored_series = workspace.read_run(run_id)
    where = f"{workspace.path} › run {run_id!r}"
    settings, scenarios = row["settings"], row["scenarios"]
    if not isinstance(settings, dict) or not isinstance(scenarios, list) or not scenarios \
            or not all(isinstance(s, dict) and "id" in s and "name" in s for s in scenarios):
        raise LoadError("the run's settings or scenarios are not readable", where=where,
                        hint="run the simulation again")
    options = _run_options(settings, where)
    names = {str(s["id"]): str(s["name"]) for s in scenarios}
    metrics: dict[tuple[str, int], list[MetricRecord]] = defaultdict(list)
    for m in stored_metrics:
        metrics[(m["scenario_id"], m["replication"])].append(
            MetricRecord(m["scope_kind"], m["scope_id"], m["scope_name"], m["metric"], float(m["value"])))
    points: dict[tuple[str, int], dict[tuple[str, str, str, str], list[tuple[float, float]]]] = defaultdict(
        lambda: defaultdict(list))
    for s in stored_series:
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


def _run_options(settings: dict[str, Any], where: str) -> RunOptions:
    """The run's options, every setting type-checked and within what a run can use (a damaged or hand-edited
    run must not be exported with a horizon of ``"abc"`` or -3 replications)."""
    known = set(RunSettings.__dataclass_fields__)
    checked = build(RunSettings, {k: v for k, v in settings.items() if k in known}, f"{where} · settings")
    problems = checked.problems()
    if problems:
        field_name, message = problems[0]
        raise LoadError(f"the run's setting {field_name} cannot be right: {message}", where=f"{where} · settings",
                        hint="the file was damaged or changed outside Flowmodel; run the simulation again")
    limit = settings.get("arrival_limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise LoadError(f"the run's arrival limit {limit!r} is not a whole number ≥ 0", where=f"{where} · settings",
                        hint="run the simulation again")
    return RunOptions(checked, limit, settings.get("drain") is True)
