"""Across-replication statistics: means with Student-t confidence intervals, series bands, paired deltas.

Rules:
- A scalar is identified by (scenario, scope_kind, scope_id, metric). Non-finite values (a mean wait of a
  stage no item reached) are left out; ``n`` counts the values used.
- The confidence interval is mean ± t_{(1+level)/2, n−1} · sd / √n with the sample sd (ddof 1). With n = 1
  the interval is undefined: half-width NaN and ``ci_defined`` False, never a made-up zero.
- Series are aligned by time point (the shortest replication decides the length); the band is the
  ``low``/``high`` percentile across replications at each time point (p5/p95 by default).
- Paired deltas compare a scenario with the baseline replication by replication (same index = same random
  numbers, so the noise cancels): delta_i = scenario_i − baseline_i, paired-t interval on the deltas.
  "Statistically clear" means the interval excludes 0. An identical scenario gives deltas of exactly 0 and a
  zero-width interval.
- Records are flat frozen dataclasses so they go straight into tables.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.stats import t as student_t

from simulations.results import ReplicationResult

DEFAULT_CONFIDENCE = 0.95
MetricKey = tuple[str, str, str]  # scope_kind, scope_id, metric


@dataclass(frozen=True)
class MetricSummary:
    scenario_id: str
    scenario_name: str
    scope_kind: str
    scope_id: str
    scope_name: str
    metric: str
    n: int
    mean: float
    sd: float
    half_width: float
    ci_low: float
    ci_high: float
    ci_defined: bool


@dataclass(frozen=True)
class SeriesBand:
    scenario_id: str
    scenario_name: str
    scope_kind: str
    scope_id: str
    scope_name: str
    metric: str
    n: int
    times_h: tuple[float, ...]
    mean: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    low_percentile: float
    high_percentile: float


@dataclass(frozen=True)
class MetricDelta:
    scenario_id: str
    scenario_name: str
    baseline_id: str
    scope_kind: str
    scope_id: str
    scope_name: str
    metric: str
    n: int
    baseline_mean: float
    scenario_mean: float
    delta_mean: float
    delta_sd: float
    half_width: float
    ci_low: float
    ci_high: float
    relative_delta: float
    ci_defined: bool
    clear: bool


def _interval(values: np.ndarray, confidence: float) -> tuple[float, float, float, bool]:
    """(mean, sd, half-width, defined) of ``values`` by Student t."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan, False
    mean = float(np.mean(values))
    if n == 1:
        return mean, math.nan, math.nan, False
    sd = float(np.std(values, ddof=1))
    half = float(student_t.ppf((1.0 + confidence) / 2.0, n - 1) * sd / math.sqrt(n)) if sd > 0 else 0.0
    return mean, sd, half, True


def _scalars(results: Iterable[ReplicationResult]) -> dict[str, dict[MetricKey, dict[int, float]]]:
    """scenario_id → metric key → replication → value (finite values only)."""
    table: dict[str, dict[MetricKey, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for result in results:
        for record in result.metrics:
            if math.isfinite(record.value):
                table[result.scenario_id][(record.scope_kind, record.scope_id, record.metric)][
                    result.replication] = record.value
    return table


def _names(results: list[ReplicationResult]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    scenarios = {r.scenario_id: r.scenario_name for r in results}
    scopes = {(m.scope_kind, m.scope_id): m.scope_name for r in results for m in (*r.metrics, *r.series)}
    return scenarios, scopes


def summarise_metrics(results: Iterable[ReplicationResult],
                      confidence: float = DEFAULT_CONFIDENCE) -> list[MetricSummary]:
    """Mean, sd and Student-t interval of every scalar metric, per scenario."""
    results = list(results)
    scenario_names, scope_names = _names(results)
    out: list[MetricSummary] = []
    for scenario_id, metrics in _scalars(results).items():
        for (kind, scope_id, metric), by_replication in metrics.items():
            values = np.array([by_replication[k] for k in sorted(by_replication)], dtype=float)
            mean, sd, half, defined = _interval(values, confidence)
            out.append(MetricSummary(scenario_id, scenario_names[scenario_id], kind, scope_id,
                                     scope_names.get((kind, scope_id), scope_id), metric, len(values), mean, sd,
                                     half, mean - half, mean + half, defined))
    return out


def series_bands(results: Iterable[ReplicationResult], low_percentile: float = 5.0,
                 high_percentile: float = 95.0) -> list[SeriesBand]:
    """Mean and percentile band across replications at each time point of every series."""
    if not 0.0 <= low_percentile <= high_percentile <= 100.0:
        raise ValueError(f"percentiles must satisfy 0 ≤ low ≤ high ≤ 100, not {low_percentile}, {high_percentile}")
    results = list(results)
    scenario_names, scope_names = _names(results)
    grouped: dict[tuple[str, str, str, str], list[tuple[tuple[float, ...], tuple[float, ...]]]] = defaultdict(list)
    for result in sorted(results, key=lambda r: r.replication):
        for record in result.series:
            key = (result.scenario_id, record.scope_kind, record.scope_id, record.metric)
            grouped[key].append((record.times_h, record.values))
    out: list[SeriesBand] = []
    for (scenario_id, kind, scope_id, metric), runs in grouped.items():
        length = min(len(values) for _, values in runs)
        matrix = np.array([values[:length] for _, values in runs], dtype=float).reshape(len(runs), length)
        times = tuple(runs[0][0][:length])
        mean = np.mean(matrix, axis=0) if length else np.array([])
        low = np.percentile(matrix, low_percentile, axis=0) if length else np.array([])
        high = np.percentile(matrix, high_percentile, axis=0) if length else np.array([])
        out.append(SeriesBand(scenario_id, scenario_names[scenario_id], kind, scope_id,
                              scope_names.get((kind, scope_id), scope_id), metric, len(runs), times,
                              tuple(float(v) for v in mean), tuple(float(v) for v in low),
                              tuple(float(v) for v in high), low_percentile, high_percentile))
    return out


def paired_deltas(results: Iterable[ReplicationResult], baseline_id: str,
                  confidence: float = DEFAULT_CONFIDENCE) -> list[MetricDelta]:
    """Scenario − baseline for every metric both have, paired on the replication index."""
    results = list(results)
    scenario_names, scope_names = _names(results)
    table = _scalars(results)
    baseline = table.get(baseline_id, {})
    out: list[MetricDelta] = []
    for scenario_id, metrics in table.items():
        if scenario_id == baseline_id:
            continue
        for key, by_replication in metrics.items():
            base_values = baseline.get(key, {})
            pairs = sorted(set(by_replication) & set(base_values))
            if not pairs:
                continue
            scenario_values = np.array([by_replication[k] for k in pairs], dtype=float)
            baseline_values = np.array([base_values[k] for k in pairs], dtype=float)
            mean, sd, half, defined = _interval(scenario_values - baseline_values, confidence)
            base_mean = float(np.mean(baseline_values))
            relative = mean / base_mean if base_mean != 0 else math.nan
            kind, scope_id, metric = key
            out.append(MetricDelta(scenario_id, scenario_names[scenario_id], baseline_id, kind, scope_id,
                                   scope_names.get((kind, scope_id), scope_id), metric, len(pairs), base_mean,
                                   float(np.mean(scenario_values)), mean, sd, half, mean - half, mean + half,
                                   relative, defined, defined and (mean - half > 0 or mean + half < 0)))
    return out
