"""Turn a finished replication's accumulators into flat result records (:mod:`simulations.results`).

Metrics (units in the name: ``_s`` seconds, ``_h`` hours, ``_share`` 0–1, ``_count``; NaN when undefined,
e.g. a wait percentile at a stage no counted item reached). "Counted" items are those created after the
warm-up; time averages run from the warm-up to the end of the run.

- ``stage``: arrivals_count, throughput_count (reviews finished), expired_count, wait_mean_s,
  wait_p50_s / p90 / p99 and waited_share (P(wait > 0)) over items that started review,
  handle_time_mean_s, queue_length_mean, in_service_mean (time-weighted), backlog_end_count and
  in_service_end_count (all items, at the end).
- ``stage_priority`` (scope_id ``<stage id>:<priority>``, scope_name ``<stage> · <priority>``) and
  ``stage_category`` (``<stage id>:<category>``, ``<stage> · <category>``), one per priority and per category of
  the run's item classes at every stage (a stage no item of it reaches reports 0 arrivals and NaN times):
  arrivals_count, throughput_count, wait_mean_s and wait_p50_s / p90 / p99 as at the stage, and
  time_to_decision_mean_s and _p50/_p90/_p99_s — creation → end of review at this stage, over the reviews
  that ended there (so a later stage's includes the earlier stages' time). Their counts add up to the
  stage's; priorities come in the stage's priority order, categories in the order the sources first name them.
- ``outcome``: count, time_to_decision_mean_s and _p50/_p90/_p95/_p99_s (creation → reaching the outcome).
  Items that expire in a stage's queue end there: they are reported as the outcome "Expired at <stage>"
  with scope_id ``expired:<stage id>``.
- ``priority`` (one per stage × SLA target, scope_id ``<stage id>:<priority>``): sla_attainment_share —
  share of counted items of that priority whose review at the stage ended within the target, counted from
  creation; items that expired in the stage's queue count as misses, and so do items still waiting or in
  review at the stage when the run ends whose time limit has already passed (they can no longer meet it;
  leaving them out would flatter an overloaded stage, whose oldest items are exactly those still queued).
  Items at the stage still within their limit at the end are left out (their result is unknown). Plus
  sla_target_share, sla_within_s and sla_items_count (the items the share is taken over). A target on the
  wait clock (arrival at the stage → start of review, :mod:`simulations.wait_clock`) has the same metrics
  plus sla_clock_wait = 1, and its scope name says so ("<stage> · <priority> (wait in queue)"), so every
  table, chart and export names the clock; no sla_clock_wait means time to decision, as in runs stored
  before clocks.
- ``team``: utilisation_share (busy reviewer-time / staffed reviewer-time, where staffed is the available
  reviewers plus those finishing the item in hand after their shift ended — so it never exceeds 1),
  overtime_h (reviewer-hours worked past the end of shifts), busy_reviewers_mean,
  available_reviewers_mean, rostered_reviewers_mean, paid_hours_h (rostered hours, before shrinkage, in
  the statistics window) and cost (paid hours × hourly cost).
- ``source``: arrivals_count.
- ``system``: created_count, completed_count (reached an outcome), expired_count, time_to_decision_mean_s /
  _p50/_p90/_p95/_p99_s over outcomes (expired items excluded), in_system_end_count split into
  in_queue_end_count, in_service_end_count, in_delay_end_count (delays) and in_classifier_end_count, and
  run_end_h (the end of the run: the horizon, or later when draining).

Series (value at the end of each interval; times in hours): stage queue_length and in_service, team
available_reviewers and busy_reviewers, source arrivals_count (arrivals during the interval).

A run with a launch instant adds the launch metrics and daily series of :mod:`simulations.launch_metrics`.

Waits, handle times and times to decision are over items that got that far before the run ended; at a
plain horizon the longest journeys may still be open (reported in the end counts), so for estimates free
of that censoring run with ``drain``. The :class:`ReplicationResult` totals (``items_created``,
``items_completed``, ``items_expired``, ``items_in_system_at_end``) count every item, warm-up included,
so created = completed + expired + in system; ``seed`` is the run's base seed and ``events`` the number
of SimPy events the model scheduled (the backlog guard's checks left out). A replication the backlog guard
stopped is collected the same way at the moment it stopped (``end`` is then before the horizon, and so is
``run_end_h``), with the guard's reason in ``stopped_early``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from flowmodel.nodes import SLA_CLOCK_WORDS
from simulations.launch_metrics import launch_records
from simulations.quality_metrics import quality_records
from simulations.results import MetricRecord, ReplicationResult, SeriesRecord
from simulations.statistics import Summary
from simulations.wellness import wellness_records

if TYPE_CHECKING:
    from simulations.dispatcher import StageRuntime
    from simulations.engine import Replication

QUANTILES: tuple[tuple[str, float], ...] = (("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99))
#: The quantiles reported per priority and per category at a stage (as for the stage's waits).
CLASS_QUANTILES: tuple[tuple[str, float], ...] = (("p50", 0.5), ("p90", 0.9), ("p99", 0.99))


def _mean(total: float, count: int) -> float:
    return total / count if count else math.nan


def _share(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


def _time_to_decision(summary: Summary) -> list[tuple[str, float]]:
    return [("time_to_decision_mean_s", summary.mean())] + [
        (f"time_to_decision_{name}_s", summary.quantile(q)) for name, q in QUANTILES]


def _class_records(stage: StageRuntime, add: Callable[[str, str, str, list[tuple[str, float]]], None]) -> None:
    """The stage's ``stage_priority`` and ``stage_category`` records, each merged from its cells."""
    s = stage.spec
    arrivals = [0] * len(stage.cells)
    rank: dict[str, int] = {}
    for cls, cell in enumerate(stage.cell_by_class):
        arrivals[cell] += stage.arrivals_by_class[cls]
        rank.setdefault(stage.cells[cell][1], s.rank_by_class[cls])
    for kind, position, keys in (
            ("stage_priority", 1, sorted(rank, key=rank.__getitem__)),  # stable: ties keep the sources' order
            ("stage_category", 0, list(dict.fromkeys(category for category, _ in stage.cells)))):
        for key in keys:
            members = [c for c, cell in enumerate(stage.cells) if cell[position] == key]
            wait, decision = Summary(), Summary()
            for c in members:
                wait.merge(stage.wait_by_cell[c])
                decision.merge(stage.decision_by_cell[c])
            add(kind, f"{s.id}:{key}", f"{s.name} · {key}", [
                ("arrivals_count", sum(arrivals[c] for c in members)), ("throughput_count", decision.count),
                ("wait_mean_s", wait.mean()), *((f"wait_{name}_s", wait.quantile(q)) for name, q in CLASS_QUANTILES),
                ("time_to_decision_mean_s", decision.mean()),
                *((f"time_to_decision_{name}_s", decision.quantile(q)) for name, q in CLASS_QUANTILES)])


def collect(run: Replication, end: float) -> ReplicationResult:
    """The replication's records; ``end`` is the simulated end time (seconds)."""
    spec = run.spec
    warmup = spec.warmup_s
    window = end - warmup if end > warmup else math.nan
    metrics: list[MetricRecord] = []

    def add(kind: str, scope_id: str, name: str, values: list[tuple[str, float]]) -> None:
        metrics.extend(MetricRecord(kind, scope_id, name, metric, float(value)) for metric, value in values)

    for source in run.sources:
        add("source", source.spec.id, source.spec.name, [("arrivals_count", source.arrivals)])

    expired_counted = 0
    in_queue = in_service = 0
    for stage in run.stages:
        s = stage.spec
        cells = stage.cell_waits()
        wait = Summary()
        for cell in cells:
            wait.merge(cell)
        queue_area = stage.queue_area + stage.waiting * end - stage.queue_open
        service_area = stage.service_area + stage.in_service * end - stage.service_open
        add("stage", s.id, s.name, [
            ("arrivals_count", stage.arrivals), ("throughput_count", stage.handled),
            ("expired_count", stage.expired), ("wait_mean_s", wait.mean()),
            ("wait_p50_s", wait.quantile(0.5)), ("wait_p90_s", wait.quantile(0.9)),
            ("wait_p99_s", wait.quantile(0.99)),
            ("waited_share", _share(stage.waited, wait.count)),
            ("handle_time_mean_s", _mean(stage.handle_sum, stage.handled)),
            ("queue_length_mean", queue_area / window), ("in_service_mean", service_area / window),
            ("backlog_end_count", stage.waiting), ("in_service_end_count", stage.in_service),
        ])
        _class_records(stage, add)
        expired_counted += stage.expired
        in_queue += stage.waiting
        in_service += stage.in_service
        if s.expiry is not None:
            add("outcome", f"expired:{s.id}", f"Expired at {s.name}",
                [("count", stage.expired), *_time_to_decision(stage.expired_time)])
        classes = spec.item_classes
        met_by_class, total_by_class = stage.sla_counts(end) if s.sla_targets else ([], [])
        for position, (priority, within_s, target) in enumerate(s.sla_targets):
            members = [c for c, item_class in enumerate(classes) if item_class.priority == priority]
            met = sum(met_by_class[c] for c in members)
            total = sum(total_by_class[c] for c in members)
            wait = bool(s.sla_clocks) and s.sla_clocks[position] == "wait"
            on_wait = [("sla_clock_wait", 1.0)] if wait else []
            scope = f"{s.name} · {priority} ({SLA_CLOCK_WORDS['wait']})" if wait else f"{s.name} · {priority}"
            add("priority", f"{s.id}:{priority}", scope, [
                ("sla_attainment_share", _share(met, total)), ("sla_target_share", target),
                ("sla_within_s", within_s), ("sla_items_count", total), *on_wait])

    system = Summary()
    completed_counted = 0
    in_delay = in_classifier = 0
    for node in run.nodes:
        kind = node.spec.kind
        if kind == "outcome":
            add("outcome", node.spec.id, node.spec.name,
                [("count", node.count), *_time_to_decision(node.time_to_decision)])
            completed_counted += node.count
            system.merge(node.time_to_decision)
        elif kind == "delay":
            in_delay += node.in_transit
        elif kind == "classifier":
            in_classifier += node.in_transit

    for team in run.teams:
        t = team.spec
        busy = team.busy_area + team.busy * end - team.busy_open
        available = team.available.integral(end)
        staffed = team.staffed.integral(end)
        paid_h = team.rostered.integral(end) / 3600.0
        add("team", t.id, t.name, [
            ("utilisation_share", busy / staffed if staffed > 0 else math.nan),
            ("overtime_h", max(0.0, staffed - available) / 3600.0),
            ("busy_reviewers_mean", busy / window), ("available_reviewers_mean", available / window),
            ("rostered_reviewers_mean", paid_h * 3600.0 / window), ("paid_hours_h", paid_h),
            ("cost", paid_h * t.hourly_cost)])

    add("system", "system", "System", [
        ("created_count", sum(source.arrivals for source in run.sources)), ("completed_count", completed_counted),
        ("expired_count", expired_counted), *_time_to_decision(system),
        ("in_system_end_count", run.in_system), ("in_queue_end_count", in_queue),
        ("in_service_end_count", in_service), ("in_delay_end_count", in_delay),
        ("in_classifier_end_count", in_classifier), ("run_end_h", end / 3600.0)])

    times = tuple(k * spec.interval_s / 3600.0 for k in range(1, run.samples + 1))
    series: list[SeriesRecord] = []
    for stage in run.stages:
        series.append(SeriesRecord("stage", stage.spec.id, stage.spec.name, "queue_length", times,
                                   tuple(stage.series_queue)))
        series.append(SeriesRecord("stage", stage.spec.id, stage.spec.name, "in_service", times,
                                   tuple(stage.series_service)))
    for team in run.teams:
        series.append(SeriesRecord("team", team.spec.id, team.spec.name, "available_reviewers", times,
                                   tuple(team.series_available)))
        series.append(SeriesRecord("team", team.spec.id, team.spec.name, "busy_reviewers", times,
                                   tuple(team.series_busy)))
    for source in run.sources:
        series.append(SeriesRecord("source", source.spec.id, source.spec.name, "arrivals_count", times,
                                   tuple(source.series)))

    if spec.launch_s is not None:
        launch_records(run, end, metrics, series)
    if run.quality is not None:
        quality_records(run.quality, end, metrics)
    if run.wellness is not None:
        wellness_records(run.wellness, metrics)
    if run.start_state is not None:
        metrics.extend(run.start_state.records(end))

    return ReplicationResult(
        scenario_id=spec.scenario_id, scenario_name=spec.scenario_name, replication=run.replication,
        seed=spec.settings.seed, metrics=metrics, series=series, items_created=run.created,
        items_completed=run.completed, items_in_system_at_end=run.in_system,
        events=run.events_scheduled() - run.guard_events, items_expired=run.expired, end_time_h=end / 3600.0,
        stopped_early=run.stopped_early)
