"""Decision-quality records of a replication (:mod:`simulations.quality_runtime`'s tallies), per category and overall.

Scopes and metrics (counted items only; NaN where a share has no items):
- ``quality`` — scope_id ``quality`` ("All categories") and ``quality:<category>``:
  violating_count (violating items created), correct_removals_count / wrongful_removals_count (first removals of
  violating / benign items, at any stage or band — a wrongful removal later overturned still counts),
  at the end of each journey: removed_violating_count, removed_benign_count (wrongful removals that stood),
  missed_violations_count (violating items kept), kept_benign_count, undecided_count (an outcome without a
  decision); precision_share = removed violating ÷ removed, recall_share = removed violating ÷ violating decided;
  appeals_count, upheld_count, overturns_count, overturn_rate_share (overturns ÷ appeals decided);
  exposure_h (violating item-hours up: creation → first removal, or the end of the run), views_count (exposure in
  views where views per hour are given), time_to_action_mean_s / _p50_s / _p90_s (violating items, creation →
  first removal).
- ``decision`` — one per deciding stage (scope_id the stage id): removals_count, keeps_count,
  wrongful_removals_count (removals of benign items), missed_violations_count (keeps of violating items),
  appeals_count, overturns_count, removal_share; where the stage samples for QA: qa_reviews_count,
  qa_disagreements_count, qa_errors_found_count (the QA decision is right where the original was wrong),
  qa_disagreement_share.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simulations.quality_runtime import Tally
from simulations.results import MetricRecord
from simulations.statistics import Summary

if TYPE_CHECKING:
    from simulations.quality_runtime import CategoryTally, QualityRuntime

ALL_CATEGORIES = "All categories"


def _share(part: float, whole: float) -> float:
    return part / whole if whole else math.nan


def _category_values(tallies: list[CategoryTally]) -> list[tuple[str, float]]:
    final = [sum(t.final[k] for t in tallies) for k in range(5)]
    removed_v, removed_b, kept_v, kept_b, undecided = final
    appeals = sum(t.appeals for t in tallies)
    upheld = sum(t.upheld for t in tallies)
    overturns = sum(t.overturns for t in tallies)
    action = Summary()
    for tally in tallies:
        action.merge(tally.time_to_action)
    return [
        ("violating_count", sum(t.violating for t in tallies)),
        ("correct_removals_count", sum(t.correct_removals for t in tallies)),
        ("wrongful_removals_count", sum(t.wrongful_removals for t in tallies)),
        ("removed_violating_count", removed_v), ("removed_benign_count", removed_b),
        ("missed_violations_count", kept_v), ("kept_benign_count", kept_b), ("undecided_count", undecided),
        ("precision_share", _share(removed_v, removed_v + removed_b)),
        ("recall_share", _share(removed_v, removed_v + kept_v)),
        ("appeals_count", appeals), ("upheld_count", upheld), ("overturns_count", overturns),
        ("overturn_rate_share", _share(overturns, overturns + upheld)),
        ("exposure_h", sum(t.exposure_s for t in tallies) / 3600.0), ("views_count", sum(t.views for t in tallies)),
        ("time_to_action_mean_s", action.mean()), ("time_to_action_p50_s", action.quantile(0.5)),
        ("time_to_action_p90_s", action.quantile(0.9)),
    ]


def _stage_values(tally: Tally, samples_qa: bool) -> list[tuple[str, float]]:
    values = [("removals_count", tally.removals), ("keeps_count", tally.keeps),
              ("wrongful_removals_count", tally.wrongful_removals), ("missed_violations_count", tally.wrong_keeps),
              ("appeals_count", tally.appeals), ("overturns_count", tally.overturns),
              ("removal_share", _share(tally.removals, tally.removals + tally.keeps))]
    if samples_qa:
        values += [("qa_reviews_count", tally.qa_reviews), ("qa_disagreements_count", tally.qa_disagreements),
                   ("qa_errors_found_count", tally.qa_errors_found),
                   ("qa_disagreement_share", _share(tally.qa_disagreements, tally.qa_reviews))]
    return values


def quality_records(quality: QualityRuntime, end: float, metrics: list[MetricRecord]) -> None:
    """Append the quality records of a replication that ended at ``end`` (seconds)."""
    quality.close(end)

    def add(kind: str, scope_id: str, name: str, values: list[tuple[str, float]]) -> None:
        metrics.extend(MetricRecord(kind, scope_id, name, metric, float(value)) for metric, value in values)

    add("quality", "quality", ALL_CATEGORIES, _category_values(quality.categories))
    for category, tally in zip(quality.spec.categories, quality.categories, strict=True):
        add("quality", f"quality:{category}", category, _category_values([tally]))
    sampling = {q.stage for q in quality.spec.qa}
    deciding = [index for index, _ in quality.spec.accuracy if index not in quality.spec.qa_stages]
    for index in sorted(set(deciding) | sampling):
        spec = quality.run.nodes[index].spec
        tally = quality.stages.get(index) or Tally()
        add("decision", spec.id, spec.name, _stage_values(tally, index in sampling))
