"""Waits and time to decision per priority and per category at every review stage, as rows (no Qt): the one
reading of the ``stage_priority`` and ``stage_category`` records (:mod:`simulations.collect`) that the results
view, the exports, the PDF report and the CLI share.

Rules:
- Rows, per scenario: stage by stage in the run's order, first the stage's priorities (in its priority order),
  then its categories (in the order the sources first name them). A priority or category with no arrival at a
  stage in any replication of the scenario is left out (nothing of it reaches that stage).
- Figures (:data:`FIGURES`): arrivals, reviews finished, wait mean / p50 / p90 / p99 (arrival at the stage →
  start of review), time to decision mean / p50 / p90 / p99 (creation → end of review at this stage), each the
  mean over replications with its 95 % CI. A percentile is the replications' mean of each one's percentile.
- On screen and in the PDF a row's durations share one unit, picked from its largest mean (s, min, h or d:
  :func:`reports.formatting.readable_duration_unit`); exports keep seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reports.comparison import ITEMS, DisplayUnit
from reports.formatting import readable_duration_unit
from simulations.aggregate import MetricSummary
from simulations.runner import RunResult

PRIORITY = "stage_priority"
CATEGORY = "stage_category"
BY_WORDS = {PRIORITY: "priority", CATEGORY: "category"}
#: (metric, column heading) in table order.
FIGURES: tuple[tuple[str, str], ...] = (
    ("arrivals_count", "Arrivals"), ("throughput_count", "Reviews"),
    ("wait_mean_s", "Wait, mean"), ("wait_p50_s", "Wait, p50"), ("wait_p90_s", "Wait, p90"),
    ("wait_p99_s", "Wait, p99"), ("time_to_decision_mean_s", "Time to decision, mean"),
    ("time_to_decision_p50_s", "Time to decision, p50"), ("time_to_decision_p90_s", "Time to decision, p90"),
    ("time_to_decision_p99_s", "Time to decision, p99"))
#: The tidy form (class_waits.csv, the JSON's ``class_waits``), in the stored units (seconds, counts).
TIDY_COLUMNS = ("run", "scenario", "stage", "by", "group", "metric", "mean", "ci_low", "ci_high", "n")


@dataclass(frozen=True)
class ClassRow:
    """One stage × priority (or × category) of one scenario."""

    stage: str
    by: str  # "priority" or "category"
    group: str  # the priority or the category
    scope_kind: str
    scope_id: str
    summaries: tuple[MetricSummary | None, ...]  # in :data:`FIGURES` order

    @property
    def duration_unit(self) -> DisplayUnit:
        """The row's one unit for its durations (by the largest mean)."""
        means = [s.mean for (metric, _), s in zip(FIGURES, self.summaries, strict=True)
                 if s is not None and metric.endswith("_s") and math.isfinite(s.mean)]
        return readable_duration_unit(max(means, default=0.0))

    def unit_of(self, metric: str) -> DisplayUnit:
        return self.duration_unit if metric.endswith("_s") else ITEMS


def has_class_waits(run: RunResult | None) -> bool:
    return run is not None and any(s.scope_kind in (PRIORITY, CATEGORY) for s in run.summaries)


def class_rows(run: RunResult, scenario_id: str) -> list[ClassRow]:
    """The rows of one scenario (see the module rules)."""
    mine = [s for s in run.summaries if s.scenario_id == scenario_id]
    stages = list(dict.fromkeys((s.scope_id, s.scope_name) for s in mine if s.scope_kind == "stage"))
    by_key = {(s.scope_kind, s.scope_id, s.metric): s for s in mine if s.scope_kind in (PRIORITY, CATEGORY)}
    scopes = list(dict.fromkeys((kind, scope_id) for kind, scope_id, _ in by_key))
    rows: list[ClassRow] = []
    for stage_id, stage_name in stages:
        prefix = f"{stage_id}:"
        for kind in (PRIORITY, CATEGORY):
            for scope_kind, scope_id in scopes:
                if scope_kind != kind or not scope_id.startswith(prefix):
                    continue
                arrivals = by_key.get((kind, scope_id, "arrivals_count"))
                if arrivals is None or not arrivals.mean > 0:
                    continue
                summaries = tuple(by_key.get((kind, scope_id, metric)) for metric, _ in FIGURES)
                rows.append(ClassRow(stage_name, BY_WORDS[kind], scope_id[len(prefix):], kind, scope_id, summaries))
    return rows


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def tidy_rows(run: RunResult, run_id: str = "") -> list[tuple[object, ...]]:
    """One row per scenario × stage × priority or category × figure (see :data:`TIDY_COLUMNS`); None where
    undefined (no CI from one replication, no wait where nothing waited)."""
    out: list[tuple[object, ...]] = []
    for scenario in run.scenarios:
        for row in class_rows(run, str(scenario["id"])):
            for (metric, _), s in zip(FIGURES, row.summaries, strict=True):
                values = (_finite(s.mean), _finite(s.ci_low) if s.ci_defined else None,
                          _finite(s.ci_high) if s.ci_defined else None, s.n) if s is not None else (None, None, None, 0)
                out.append((run_id, str(scenario["name"]), row.stage, row.by, row.group, metric, *values))
    return out
