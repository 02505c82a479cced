"""Simulating candidate rosters for the staffing search: side by side, on common random numbers, with
sequential stopping.

Rules:
- A candidate roster is a scenario on top of the scenario being staffed. Every candidate of a batch runs
  the same replication indices with the same base seed (common random numbers: the engine keys its streams
  by seed, replication and node/team id), all in one call of the executor, so the candidates share its
  workers and their differences come from the roster, not from noise.
- Sequential stopping: a batch starts with ``first`` replications per candidate; a candidate whose every
  target is already *clear* — the confidence interval wholly on one side of the target — stops there;
  the others get ``step`` more, up to ``most``. A candidate still unclear at ``most`` is judged by the
  safe-side bound (met only if it clears the target). Replications already run for the same roster and
  horizon (same seed and settings otherwise) are reused, never run again.
- A target is met when its interval's safe-side bound clears it (SLA attainment: lower bound ≥ share;
  occupancy and backlog: upper bound ≤ the cap); with an undefined interval (one replication) the mean.
- Staffing a launch plan: every candidate runs with the plan (its timed and scoped changes, backfills and
  trainings on top of the roster, :func:`candidate_scenario`), so the search staffs the launch as it rolls out;
  which part of the run the targets judge is the settings' statistics window (:mod:`flowmodel.launch_period`).
- A roster that makes the model invalid (e.g. a team with nobody rostered) fails without being simulated.
- Paired judgement (:func:`paired`, the trim's): a candidate run for its first replications only (one, or as
  many as there are workers when it runs alone) is judged by the reference roster's safe-side bound moved by
  the candidate's mean difference from the reference in those same replications. On common random numbers
  that difference is nearly noise-free, so one replication per candidate decides a single-reviewer removal
  about as well as the reference's several decide the reference.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flowmodel.run_settings import RunSettings
from flowmodel.scenarios import Scenario
from flowmodel.workflow import Workflow
from simulations.aggregate import MetricSummary, summarise_metrics
from simulations.executors import Executor, Progress
from simulations.results import ReplicationResult
from simulations.spec import RunSpec, SimulationError, compile_run
from simulations.staffing.plan import TargetResult, roster_changes
from simulations.staffing.targets import StaffingTargets

Roster = dict[tuple[str, int, tuple[int, ...]], int]


@dataclass(frozen=True)
class SearchProgress:
    """``phase``: ``screen``, ``trim`` or ``confirm``; ``batch_fraction``: how far the current batch is."""

    phase: str
    evaluations: int
    max_evaluations: int
    batch_fraction: float
    message: str


@dataclass
class Evaluation:
    results: list[TargetResult]
    queue_by_stage: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    backlog_by_stage: dict[str, float] = field(default_factory=dict)
    replications: int = 0
    clear: bool = False

    @property
    def met(self) -> bool:
        return all(r.met for r in self.results)

    @property
    def invalid(self) -> bool:
        return any(r.kind == "model" for r in self.results)

    @property
    def failing(self) -> tuple[str, ...]:
        return tuple(f"{r.kind}:{r.where}" for r in self.results if not r.met)


INVALID = Evaluation([TargetResult("model", "the roster leaves the model invalid", math.nan, math.nan, math.nan,
                                   math.nan, 0, False)])


class Evaluator:
    """Runs batches of rosters for one search and counts what it simulated."""

    def __init__(self, base: Workflow, targets: StaffingTargets, executor: Executor,
                 on_progress: Callable[[SearchProgress], None] | None, cancel: threading.Event | None,
                 max_evaluations: int, launch: Scenario | None = None) -> None:
        self.base, self.targets, self.executor = base, targets, executor
        #: The launch plan of the scenario being staffed without its static changes (they are in ``base``): every
        #: candidate runs with it, so a launch is staffed as it rolls out (None for a static scenario).
        self.launch = launch
        self.on_progress, self.cancel, self.max_evaluations = on_progress, cancel, max_evaluations
        self.evaluations = 0
        self.replications_run = 0
        self.simulated_hours = 0.0
        self.busy_s = 0.0
        self.by_phase: dict[str, int] = {}
        self._kept: dict[tuple[tuple[tuple[tuple[str, int, tuple[int, ...]], int], ...], float], list] = {}

    def seconds_per_hour(self) -> float:
        """Wall seconds one simulated hour of one replication has cost so far on this executor (0 before)."""
        return self.busy_s / self.simulated_hours if self.simulated_hours else 0.0

    def evaluate(self, rosters: list[Roster], settings: RunSettings, phase: str, *, first: int, most: int,
                 step: int, confidence: float) -> list[Evaluation]:
        """Each roster's verdict on every target (rules in the module docstring)."""
        specs: list[RunSpec | None] = []
        for number, roster in enumerate(rosters):
            scenario = candidate_scenario(f"{phase} {self.evaluations + number + 1}",
                                          roster_changes(self.base, roster), self.launch)
            try:
                specs.append(compile_run(self.base, scenario, settings))
            except SimulationError:
                specs.append(None)  # the roster leaves the model invalid
        self.evaluations += len(rosters)
        self.by_phase[phase] = self.by_phase.get(phase, 0) + len(rosters)
        keys = [(tuple(sorted(roster.items())), settings.horizon_hours) for roster in rosters]
        done: dict[int, list[ReplicationResult]] = {i: list(self._kept.get(keys[i], []))
                                                    for i, s in enumerate(specs) if s is not None}
        verdicts: dict[int, Evaluation] = {}
        target_n = min(first, most)
        while len(verdicts) < len(done):
            tasks = [(specs[i], r) for i in sorted(done) if i not in verdicts
                     for r in range(len(done[i]), target_n)]
            owners = [i for i in sorted(done) if i not in verdicts for _ in range(len(done[i]), target_n)]
            started = time.monotonic()
            results = self.executor.run(tasks, self._progress(phase, len(rosters)), self.cancel)  # type: ignore[arg-type]
            self.busy_s += time.monotonic() - started
            self.replications_run += len(tasks)
            self.simulated_hours += len(tasks) * settings.horizon_hours
            for owner, result in zip(owners, results, strict=True):
                done[owner].append(result)
                self._kept[keys[owner]] = done[owner]
            for i in done:
                if i in verdicts:
                    continue
                evaluation = self._judge(done[i], confidence)
                if evaluation.clear or target_n >= most:
                    verdicts[i] = evaluation
            target_n = min(most, target_n + step)
        return [verdicts.get(i, INVALID) for i in range(len(specs))]

    def judge_first(self, roster: Roster, settings: RunSettings, count: int = 1) -> Evaluation:
        """``roster`` judged on its first ``count`` replications alone (run before at ``settings``): the pairing's
        reference."""
        kept = self._kept[(tuple(sorted(roster.items())), settings.horizon_hours)]
        return self._judge(kept[:count], self.targets.confidence)

    def kept_replications(self, roster: Roster, settings: RunSettings) -> int:
        return len(self._kept.get((tuple(sorted(roster.items())), settings.horizon_hours), []))

    def _progress(self, phase: str, count: int) -> Callable[[Progress], None]:
        done = self.evaluations

        def progress(p: Progress) -> None:
            if self.on_progress is not None:
                self.on_progress(SearchProgress(phase, done, self.max_evaluations, p.fraction,
                                                f"{phase}: simulating {count} roster(s)"))

        return progress

    def _judge(self, replications: list[ReplicationResult], confidence: float) -> Evaluation:
        summaries = {(s.scope_kind, s.scope_id, s.metric): s for s in summarise_metrics(replications, confidence)}
        results: list[TargetResult] = []
        clear = True
        for goal in self.targets.sla:
            summary = summaries.get(("priority", goal.key, "sla_attainment_share"))
            result, decided = _result("sla", goal.describe(), goal.share, summary, lower_is_better=False)
            results.append(result)
            clear = clear and decided
        if self.targets.max_occupancy is not None:
            for team in self.base.teams.values():
                summary = summaries.get(("team", team.id, "utilisation_share"))
                result, decided = _result("occupancy", team.name, self.targets.max_occupancy, summary, True)
                results.append(result)
                clear = clear and decided
        if self.targets.max_backlog is not None:
            summary = summaries.get(("system", "system", "in_queue_end_count"))
            result, decided = _result("backlog", "all queues at the end", self.targets.max_backlog, summary, True)
            results.append(result)
            clear = clear and decided
        queues: dict[str, list[list[tuple[float, float]]]] = {}
        for replication in replications:
            for series in replication.series:
                if series.scope_kind == "stage" and series.metric == "queue_length":
                    queues.setdefault(series.scope_id, []).append(list(zip(series.times_h, series.values,
                                                                           strict=True)))
        mean_queue = {stage: [(runs[0][k][0], sum(run[k][1] for run in runs) / len(runs))
                              for k in range(min(len(run) for run in runs))] for stage, runs in queues.items()}
        backlog = {key[1]: s.mean for key, s in summaries.items()
                   if key[0] == "stage" and key[2] == "backlog_end_count"}
        return Evaluation(results, mean_queue, backlog, len(replications), clear)


def candidate_scenario(name: str, roster: list, launch: Scenario | None) -> Scenario:
    """A candidate: the roster's static changes, then the launch plan's timed ones (whose roster changes then add
    to the candidate's headcounts, as they add to the staffed scenario's)."""
    if launch is None:
        return Scenario(name=name, changes=roster)
    return dataclasses.replace(launch, name=name, changes=[*roster, *launch.changes])


def launch_remainder(scenario: Scenario | None) -> Scenario | None:
    """What of ``scenario`` a candidate must still apply on the statically changed base: its launch plan."""
    if scenario is None or not scenario.is_launch_plan():
        return None
    return dataclasses.replace(scenario, changes=[c for c in scenario.changes if not c.is_static()])


def _result(kind: str, where: str, target: float, summary: MetricSummary | None, lower_is_better: bool
            ) -> tuple[TargetResult, bool]:
    """The target judged by the safe-side bound, and whether the interval is clear of the target."""
    if summary is None or not math.isfinite(summary.mean):
        return TargetResult(kind, where, target, math.nan, math.nan, math.nan, 0, True), True
    low = summary.ci_low if summary.ci_defined else summary.mean
    high = summary.ci_high if summary.ci_defined else summary.mean
    if lower_is_better:
        met, missed = high <= target + 1e-12, low > target + 1e-12
    else:
        met, missed = low >= target - 1e-12, high < target - 1e-12
    return TargetResult(kind, where, target, summary.mean, low, high, summary.n, met), \
        summary.ci_defined and (met or missed)


def paired(reference: Evaluation, reference_first: Evaluation, candidate_first: Evaluation) -> Evaluation:
    """The candidate's verdict from the reference's interval shifted by their mean difference over the same first
    replications (``reference_first`` and ``candidate_first`` judged on equally many; rules above)."""
    if candidate_first.invalid or len(candidate_first.results) != len(reference.results):
        return candidate_first
    results: list[TargetResult] = []
    for ref, ref0, cand in zip(reference.results, reference_first.results, candidate_first.results, strict=True):
        shift = cand.mean - ref0.mean
        if not (math.isfinite(shift) and math.isfinite(ref.mean)):
            results.append(cand)
            continue
        low, high = ref.ci_low + shift, ref.ci_high + shift
        lower_is_better = ref.kind != "sla"
        met = high <= ref.target + 1e-12 if lower_is_better else low >= ref.target - 1e-12
        results.append(dataclasses.replace(ref, mean=ref.mean + shift, ci_low=low, ci_high=high, n=cand.n, met=met))
    return Evaluation(results, candidate_first.queue_by_stage, candidate_first.backlog_by_stage,
                      candidate_first.replications, True)
