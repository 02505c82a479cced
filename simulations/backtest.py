"""Back-test: simulate a past period on its actual volumes and compare the simulated days with the actual ones.

Rules:
- Arrivals: each source given a :class:`~flowmodel.imports.history.VolumeHistory` arrives as a Poisson process
  whose rate is the history's count for each UTC hour (piecewise constant, count ÷ 3600 per second). Hours the
  history has no count for (NaN, or outside the file) keep the source's own model rate, with a note. Sources
  without a history keep their model. The item mix, routing, handle times and rosters are the model's.
- The run is the baseline model compiled as usual (:func:`simulations.spec.compile_run`); only the chosen
  sources' rate tables are replaced afterwards (:func:`history_spec`), so the engine and the spec module are
  unchanged and a run without histories is exactly an ordinary run.
- Days are local calendar days of the (first) history's zone. The engine's time 0 is a UTC midnight, so the run
  starts at the UTC midnight on or before the local start of the history's first whole day; the hours before that
  start are a lead-in (simulated, not compared), and so are ``lead_in_days`` whole days after it (a system that
  starts empty needs a while to hold a realistic backlog). A workflow's start state (today's backlog) is not the
  past period's, so it is left out, with a note. The run ends at the local end of the last whole day.
- Per replication and day (:func:`day_counts`): *decided* — items that reached an outcome (expired ones not), or
  at a stage the reviews finished there; *backlog* — items waiting in the queue at the day's end (summed over
  stages for the workflow; in review is not backlog, as the engine's backlog_end_count); *created* — items
  created by the sources, or at a stage the items that arrived there. Counted through the engine's observer
  hook and a snapshot at each day's end (taken before the events of that instant, as the engine's series are).
- Across replications per day: mean, the 95 % confidence interval of the mean (Student t), and the 95 % band —
  the prediction interval mean ± t·s·√(1 + 1/n), clipped at 0 — where one more run, and so the actual day if
  the model is right, should fall. Error figures per (figure, stage), over the days the file has: MAPE and mean
  bias in % (over days with an actual above 0), and the share of days whose actual lies inside the band.
"""

from __future__ import annotations

import math
import statistics
import threading
from bisect import bisect_right
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from scipy.stats import t as student_t
from simpy.events import URGENT

from flowmodel.errors import ModelError
from flowmodel.imports.actuals import FIGURE_WORDS, WHOLE_WORKFLOW, DailyActuals
from flowmodel.imports.history import VolumeHistory
from flowmodel.nodes import ReviewStage, Source
from flowmodel.run_settings import RunSettings
from flowmodel.workflow import Workflow
from simulations.arrivals import RateTable
from simulations.engine import Replication
from simulations.spec import RunCancelled, RunSpec, SourceSpec, compile_run
from simulations.wakeup import Wakeup

HOUR_S = 3600.0
LEVEL = 0.95


@dataclass(frozen=True)
class BacktestPlan:
    """Where the run starts and which local days it covers (``edges`` in seconds from the start)."""

    start_utc: datetime
    timezone: str
    days: tuple[date, ...]  # every whole local day of the run, lead-in days included
    edges: tuple[float, ...]  # len(days) + 1 instants: each day's local start, then the last day's end
    compared_from: int  # index into ``days`` of the first day compared


@dataclass(frozen=True)
class DailyCounts:
    """One replication's figures per day (index as in :attr:`BacktestPlan.days`)."""

    created: tuple[int, ...]
    decided: tuple[int, ...]
    stage_arrivals: dict[str, tuple[int, ...]]  # stage id → items that arrived that day
    stage_finished: dict[str, tuple[int, ...]]  # stage id → reviews finished that day
    stage_waiting: dict[str, tuple[int, ...]]  # stage id → items waiting at the day's end


@dataclass(frozen=True)
class DayComparison:
    day: date
    figure: str  # "decided", "backlog" or "created"
    stage: str  # the stage's name, "" for the whole workflow
    actual: float
    mean: float
    ci_low: float
    ci_high: float
    band_low: float
    band_high: float

    @property
    def within_band(self) -> bool:
        return self.band_low <= self.actual <= self.band_high


@dataclass(frozen=True)
class FigureError:
    figure: str
    stage: str
    days: int  # days compared
    mape_pct: float  # NaN when no day has an actual above 0
    bias_pct: float
    within_band_share: float

    @property
    def label(self) -> str:
        return f"{self.stage or 'Workflow'} · {FIGURE_WORDS[self.figure]}"


@dataclass(frozen=True)
class BacktestResult:
    workflow_name: str
    actuals_file: str
    history_files: tuple[str, ...]
    start_utc: datetime
    timezone: str
    replications: int
    seed: int
    lead_in_days: int
    comparisons: tuple[DayComparison, ...]
    errors: tuple[FigureError, ...]
    notes: tuple[str, ...]

    def series(self, figure: str, stage: str = WHOLE_WORKFLOW) -> list[DayComparison]:
        return [c for c in self.comparisons if c.figure == figure and c.stage == stage]

    def error(self, figure: str, stage: str = WHOLE_WORKFLOW) -> FigureError:
        for error in self.errors:
            if error.figure == figure and error.stage == stage:
                return error
        raise KeyError(f"no {figure!r} compared for {stage or 'the workflow'!r}")


# -- the run ---------------------------------------------------------------------------------------------------
def plan_period(histories: dict[str, VolumeHistory], lead_in_days: int = 0) -> BacktestPlan:
    """The run's start and whole local days from the histories' span (see the module rules)."""
    if not histories:
        raise ModelError("a back-test needs the volume history of at least one source",
                         hint="pick a volume file for each source whose arrivals you have")
    first = next(iter(histories.values()))
    zone = ZoneInfo(first.timezone)
    begin = min(h.start_utc for h in histories.values()).astimezone(UTC)
    end = max(h.start_utc + timedelta(hours=h.hours) for h in histories.values()).astimezone(UTC)
    local = begin.astimezone(zone)
    day = local.date() if local.time() == datetime.min.time() else local.date() + timedelta(days=1)
    days: list[date] = []
    instants: list[datetime] = []
    while True:
        start_of_day = datetime.combine(day, datetime.min.time(), zone).astimezone(UTC)
        end_of_day = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).astimezone(UTC)
        if end_of_day > end:
            break
        days.append(day)
        instants.append(start_of_day)
        day += timedelta(days=1)
    if len(days) <= lead_in_days:
        raise ModelError(f"the volume history from {begin:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC holds "
                         f"{len(days)} whole day(s) in {first.timezone}, not more than the {lead_in_days} "
                         "lead-in day(s)",
                         where=first.file, hint="use a longer history or fewer lead-in days")
    instants.append(datetime.combine(day, datetime.min.time(), zone).astimezone(UTC))
    start = datetime(instants[0].year, instants[0].month, instants[0].day, tzinfo=UTC)
    edges = tuple((t - start).total_seconds() for t in instants)
    return BacktestPlan(start, first.timezone, tuple(days), edges, lead_in_days)


def history_rates(model: RateTable, history: VolumeHistory, start: datetime) -> tuple[RateTable, int]:
    """The rate table that follows ``history``'s hourly counts, ``model``'s rate where it has none; and the number
    of the run's hours that kept the model's rate."""
    offset = (history.start_utc - start).total_seconds()
    hours = math.ceil(model.end / HOUR_S)
    points = set(model.times) | {k * HOUR_S for k in range(hours)}
    times: list[float] = []
    rates: list[float] = []
    kept = 0
    for t in sorted(p for p in points if p < model.end):
        i = math.floor((t - offset) / HOUR_S + 1e-9)
        count = history.counts[i] if 0 <= i < history.hours else math.nan
        if math.isnan(count):
            rate = model.rates[bisect_right(model.times, t) - 1]
            kept += t % HOUR_S == 0
        else:
            rate = count / HOUR_S
        if not rates or rates[-1] != rate:
            times.append(t)
            rates.append(rate)
    return RateTable(tuple(times), tuple(rates), model.end), kept


def history_spec(workflow: Workflow, histories: dict[str, VolumeHistory], plan: BacktestPlan,
                 seed: int) -> tuple[RunSpec, list[str]]:
    """The baseline's run spec over the plan's period with the chosen sources' rates from their histories."""
    sources = {node.id: node for node in workflow.nodes.values() if isinstance(node, Source)}
    for source_id in histories:
        if source_id not in sources:
            known = ", ".join(repr(s.name) for s in sources.values()) or "none"
            raise ModelError(f"workflow {workflow.name!r} has no source with id {source_id!r}",
                             hint=f"its sources: {known}")
    horizon_h = plan.edges[-1] / HOUR_S
    settings = RunSettings(horizon_hours=horizon_h, warmup_hours=0.0, replications=1, seed=seed,
                           interval_minutes=60.0, start_weekday=plan.start_utc.weekday(),
                           start_date=plan.start_utc.date().isoformat())
    notes: list[str] = []
    if workflow.start_state is not None:  # today's backlog is not the past period's: the period starts empty
        workflow = workflow.copy()
        workflow.start_state = None
        notes.append("the workflow's start state (today's backlog) is left out: the past period starts empty; "
                     "a lead-in of a day or more lets a backlog build up before the compared days")
    spec = compile_run(workflow, None, settings)
    nodes = list(spec.nodes)
    for i, node in enumerate(nodes):
        if isinstance(node, SourceSpec) and node.id in histories:
            history = histories[node.id]
            table, kept = history_rates(node.rates, history, plan.start_utc)
            nodes[i] = replace(node, rates=table)
            if kept:
                notes.append(f"source {node.name!r}: {kept} of the run's {math.ceil(horizon_h)} hours have no count "
                             f"in {history.file} (missing, or outside the file); they use the source's model rate")
    return replace(spec, nodes=tuple(nodes)), notes


def day_counts(spec: RunSpec, edges: tuple[float, ...], replication: int,
               should_stop: Callable[[], bool] | None = None) -> DailyCounts:
    """Run one replication of ``spec`` and count its figures per day between ``edges`` (see the module rules)."""
    run = Replication(spec, replication)
    days = len(edges) - 1
    stages = list(run.stages)
    index = {stage.spec.name: k for k, stage in enumerate(stages)}
    created, decided = [0] * days, [0] * days
    starts = [[0] * days for _ in stages]
    expired = [[0] * days for _ in stages]
    waiting = [[0] * (days + 1) for _ in stages]
    in_service = [[0] * (days + 1) for _ in stages]

    def day_of(now: float) -> int:
        return bisect_right(edges, now) - 1

    def observe(kind: str, now: float, _item: object, place: str, _team: str) -> None:
        d = day_of(now)
        if not 0 <= d < days:
            return
        if kind == "arrive":
            created[d] += place not in index
        elif kind == "outcome":
            decided[d] += 1
        elif kind == "start":
            starts[index[place]][d] += 1
        elif kind == "expire":
            expired[index[place]][d] += 1

    def snapshot(k: int) -> Callable[[object], None]:
        def take(_event: object) -> None:
            for s, stage in enumerate(stages):
                waiting[s][k] = stage.waiting
                in_service[s][k] = stage.in_service
        return take

    run.trace = observe
    for k, edge in enumerate(edges):
        if edge < spec.horizon_s:
            Wakeup(run.env, edge, snapshot(k), priority=URGENT)
    run.run(None, should_stop)
    snapshot(days)(None)  # the last day's end is the run's end
    arrivals: dict[str, tuple[int, ...]] = {}
    finished: dict[str, tuple[int, ...]] = {}
    queued: dict[str, tuple[int, ...]] = {}
    for s, stage in enumerate(stages):
        w, b = waiting[s], in_service[s]
        finished[stage.spec.id] = tuple(starts[s][d] - (b[d + 1] - b[d]) for d in range(days))
        arrivals[stage.spec.id] = tuple(starts[s][d] + expired[s][d] + w[d + 1] - w[d] for d in range(days))
        queued[stage.spec.id] = tuple(w[1:])
    return DailyCounts(tuple(created), tuple(decided), arrivals, finished, queued)


def _replicate(spec: RunSpec, edges: tuple[float, ...], replication: int) -> DailyCounts:
    return day_counts(spec, edges, replication)


def run_backtest(workflow: Workflow, histories: dict[str, VolumeHistory], actuals: DailyActuals,
                 replications: int = 20, seed: int = 1, executor: Executor | None = None, *,
                 lead_in_days: int = 0, on_progress: Callable[[int, int], None] | None = None,
                 cancel: threading.Event | None = None) -> BacktestResult:
    """Back-test ``workflow`` on ``histories`` (source id → history) against ``actuals``.

    ``executor`` is any :class:`concurrent.futures.Executor` (a process pool spreads the replications over
    processes); None runs them here, one after another. ``on_progress(done, total)`` follows the replications;
    ``cancel`` stops the run with :class:`RunCancelled`."""
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 2:
        raise ModelError(f"a back-test needs at least 2 replications, not {replications!r}",
                         where="back-test · replications", hint="use 20 or more for a band that means something")
    plan = plan_period(histories, lead_in_days)
    stage_ids = _stage_scopes(workflow, actuals)
    compared = _compared_days(plan, actuals)
    spec, notes = history_spec(workflow, histories, plan, seed)
    counts = _run_all(spec, plan.edges, replications, executor, on_progress, cancel)
    comparisons: list[DayComparison] = []
    errors: list[FigureError] = []
    for figure, stage in actuals.series():
        by_day = actuals.values[(figure, stage)]
        rows = [_compare(day, figure, stage, by_day[day], [_figure(c, figure, stage_ids[stage], k) for c in counts])
                for k, day in enumerate(plan.days) if k >= plan.compared_from and day in by_day and day in compared]
        if rows:
            comparisons.extend(rows)
            errors.append(figure_error(figure, stage, rows))
    lead = f"{lead_in_days} lead-in day(s), " if lead_in_days else ""
    notes.insert(0, f"the run starts {plan.start_utc:%Y-%m-%d %H:%M} UTC; {lead}{len(compared)} day(s) compared, "
                    f"{compared[0].isoformat()} to {compared[-1].isoformat()} ({plan.timezone} days)")
    return BacktestResult(workflow.name, actuals.file, tuple(h.file for h in histories.values()), plan.start_utc,
                          plan.timezone, replications, seed, lead_in_days, tuple(comparisons), tuple(errors),
                          tuple(notes) + actuals.notes)


def _run_all(spec: RunSpec, edges: tuple[float, ...], replications: int, executor: Executor | None,
             on_progress: Callable[[int, int], None] | None, cancel: threading.Event | None) -> list[DailyCounts]:
    stop = cancel.is_set if cancel is not None else None
    done: list[DailyCounts] = []
    if executor is None:
        for r in range(replications):
            if stop is not None and stop():
                raise RunCancelled("the back-test was cancelled")
            done.append(day_counts(spec, edges, r, stop))
            if on_progress is not None:
                on_progress(len(done), replications)
        return done
    futures = [executor.submit(_replicate, spec, edges, r) for r in range(replications)]
    try:
        for future in futures:
            while True:
                if stop is not None and stop():
                    raise RunCancelled("the back-test was cancelled")
                try:
                    done.append(future.result(timeout=0.2))
                    break
                except TimeoutError:
                    continue
            if on_progress is not None:
                on_progress(len(done), replications)
    finally:
        for future in futures:
            future.cancel()
    return done


def _stage_scopes(workflow: Workflow, actuals: DailyActuals) -> dict[str, str]:
    """The actuals' stage names (or ids) → stage ids; "" (the whole workflow) → ""."""
    stages = {node.id: node for node in workflow.nodes.values() if isinstance(node, ReviewStage)}
    by_name = {node.name.strip().lower(): node.id for node in stages.values()}
    out = {WHOLE_WORKFLOW: WHOLE_WORKFLOW}
    for stage in actuals.stages():
        found = stage if stage in stages else by_name.get(stage.lower())
        if found is None:
            known = ", ".join(repr(s.name) for s in stages.values()) or "none"
            raise ModelError(f"the workflow has no review stage named {stage!r}",
                             where=f"{actuals.file}, column 'stage'", hint=f"name one of its stages: {known}")
        out[stage] = found
    return out


def _compared_days(plan: BacktestPlan, actuals: DailyActuals) -> list[date]:
    wanted = set(actuals.days())
    compared = [d for d in plan.days[plan.compared_from:] if d in wanted]
    if not compared:
        have = actuals.days()
        raise ModelError(f"the actuals' days ({have[0].isoformat()} to {have[-1].isoformat()}) do not overlap the "
                         f"compared days of the volume history ({plan.days[plan.compared_from].isoformat()} to "
                         f"{plan.days[-1].isoformat()})", where=actuals.file,
                         hint="use actuals and volume files of the same period")
    return compared


def _figure(counts: DailyCounts, figure: str, stage_id: str, day: int) -> float:
    if stage_id == WHOLE_WORKFLOW:
        if figure == "backlog":
            return float(sum(w[day] for w in counts.stage_waiting.values()))
        return float((counts.decided if figure == "decided" else counts.created)[day])
    table = {"decided": counts.stage_finished, "backlog": counts.stage_waiting, "created": counts.stage_arrivals}
    return float(table[figure][stage_id][day])


def _compare(day: date, figure: str, stage: str, actual: float, values: list[float]) -> DayComparison:
    n = len(values)
    mean = statistics.fmean(values)
    sd = statistics.stdev(values)
    t = float(student_t.ppf((1 + LEVEL) / 2, n - 1))
    ci = t * sd / math.sqrt(n)
    band = t * sd * math.sqrt(1 + 1 / n)
    return DayComparison(day, figure, stage, actual, mean, max(0.0, mean - ci), mean + ci, max(0.0, mean - band),
                         mean + band)


def figure_error(figure: str, stage: str, rows: list[DayComparison]) -> FigureError:
    """MAPE, mean bias (%) over days with an actual above 0, and the share of days inside the band."""
    positive = [r for r in rows if r.actual > 0]
    mape = statistics.fmean(abs(r.mean - r.actual) / r.actual for r in positive) * 100 if positive else math.nan
    bias = statistics.fmean((r.mean - r.actual) / r.actual for r in positive) * 100 if positive else math.nan
    within = sum(r.within_band for r in rows) / len(rows)
    return FigureError(figure, stage, len(rows), mape, bias, within)
