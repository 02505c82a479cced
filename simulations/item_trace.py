"""Item traces: a sample of items followed through the workflow — every node entered, the waits, the team that
reviewed them, the times — to see *why* a figure is what it is, and to export as an event log.

Rules:
- Only when a run asks for it (``RunSpec.trace_items`` > 0), and only in replication 0 of each scenario: the
  tracer is attached when the replication is built, so a run without traces pays nothing, and a traced run
  draws exactly the same random numbers (its figures are bit-identical to an untraced run's).
- Attaching wraps each node's entry (and re-wires the routing onto the wrapped entries) and takes the
  engine's observer hook (``Replication.trace``: arrive, start, expire, outcome). A wrapped entry costs one
  set lookup per item visit, in traced runs only.
- The sample: items created after the warm-up, every k-th by creation number, where k spreads
  ``trace_items`` over the items expected in the statistics window (the sources' rate tables), so nights,
  peaks and weekends are all represented; at most ``trace_items`` items.
- Steps: at a review stage the item *waits* (arrival at the stage → start of review) and is *reviewed* by a
  team (start → the moment it enters the next node) or *expires*; at a classifier or delay it *passes*
  (enter → leave); routers take no time and are left out; the outcome ends the trace. An item still in the
  workflow at the end of the run ends with the step it was in, ``unfinished`` (``end_s`` = the run's end): a
  wait still going on counts as waiting.
- With decision quality, a trace that reached an outcome also says whether the item violated and its standing
  decision there (so "wrongful removal" or "missed violation" can be read off one case).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulations.engine import Item, Replication

STATES = ("waiting", "reviewed", "expired", "passed", "outcome")


@dataclass(frozen=True)
class TraceStep:
    """One activity of one item: ``place`` is the node's name, ``team`` the reviewing team (reviews only)."""

    place: str
    node_kind: str
    state: str
    start_s: float
    end_s: float
    team: str = ""
    unfinished: bool = False  # still going on when the run ended (``end_s`` is the run's end)

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class ItemTrace:
    """One traced item: its creation number (the case id), where it came from, its class and its steps."""

    item: int
    source: str
    category: str
    language: str
    priority: str
    created_s: float
    steps: tuple[TraceStep, ...]
    #: With decision quality (:mod:`flowmodel.quality`): "violating" or "benign", and the standing decision at the
    #: end of the journey ("removed", "kept", or "" for none); both "" in a model without quality.
    truth: str = ""
    decision: str = ""

    @property
    def verdict(self) -> str:
        """Whether the decision was right, in words ("wrongful removal", "missed violation", …); "" without truth."""
        if not self.truth or not self.decision:
            return ""
        violating = self.truth == "violating"
        if self.decision == "removed":
            return "correct removal" if violating else "wrongful removal"
        return "missed violation" if violating else "correctly kept"

    @property
    def outcome(self) -> str:
        """The outcome's name, or "" while the item is still in the workflow (or expired)."""
        last = self.steps[-1] if self.steps else None
        return last.place if last is not None and last.state == "outcome" else ""

    @property
    def in_workflow_at_end(self) -> bool:
        return bool(self.steps) and self.steps[-1].unfinished

    @property
    def time_in_system_s(self) -> float:
        return (self.steps[-1].end_s if self.steps else self.created_s) - self.created_s


class _Open:
    """The step an item is in now, while the run goes on."""

    __slots__ = ("kind", "place", "since", "state", "team")

    def __init__(self, place: str, kind: str, state: str, since: float, team: str = "") -> None:
        self.place, self.kind, self.state, self.since, self.team = place, kind, state, since, team


class ItemTracer:
    """Follows the sampled items of one replication (rules in the module docstring)."""

    def __init__(self, run: Replication, wanted: int) -> None:
        self.run = run
        self.wanted = wanted
        self.stride = _stride(run, wanted)
        self.classes = run.spec.item_classes
        self.kinds = {node.name: node.kind for node in run.spec.nodes}
        self._traced: set[int] = set()
        self._open: dict[int, _Open] = {}
        self._steps: dict[int, list[TraceStep]] = {}
        self._heads: dict[int, tuple[str, int, float]] = {}
        self._quality: dict[int, tuple[str, str]] = {}  # item → (truth, decision) at the end of its journey

    def attach(self) -> None:
        """Wrap every node's entry and take the engine's observer hook (see the module rules)."""
        run = self.run
        for node, runtime in zip(run.spec.nodes, run.nodes, strict=True):
            if node.kind != "source":
                runtime.enter = self._entering(runtime.enter, node.name, node.kind)  # type: ignore[union-attr]
        for node, runtime in zip(run.spec.nodes, run.nodes, strict=True):
            if node.kind != "outcome":
                runtime.next_node = run._router(node)  # the routing tables pick up the wrapped entries
        run.trace = self._observe

    def _entering(self, enter: Callable[[Item], None], place: str, kind: str) -> Callable[[Item], None]:
        traced = self._traced

        def traced_enter(item: Item) -> None:
            if item.number in traced:
                self._arrive_at(item.number, place, kind)
            enter(item)

        return traced_enter

    def _arrive_at(self, number: int, place: str, kind: str) -> None:
        now = self.run.env._now
        self._close(number, now)
        if kind == "review_stage":
            self._open[number] = _Open(place, kind, "waiting", now)
        elif kind in ("classifier", "delay"):
            self._open[number] = _Open(place, kind, "passed", now)
        elif kind == "outcome":
            self._steps[number].append(TraceStep(place, kind, "outcome", now, now))

    def _close(self, number: int, now: float) -> None:
        step = self._open.pop(number, None)
        if step is not None:
            self._steps[number].append(TraceStep(step.place, step.kind, step.state, step.since, now, step.team))

    def _observe(self, kind: str, now: float, item: Item, place: str, team: str) -> None:
        number = item.number
        if kind == "arrive":
            if item.counted and number % self.stride == 0 and len(self._traced) < self.wanted:
                self._traced.add(number)
                self._steps[number] = []
                self._heads[number] = (place, item.cls, now)
            return
        if number not in self._traced:
            return
        if kind == "start":
            self._close(number, now)
            self._open[number] = _Open(place, "review_stage", "reviewed", now, team)
        elif kind == "expire":
            self._close(number, now)
            self._steps[number].append(TraceStep(place, "review_stage", "expired", now, now))
        elif kind == "outcome" and self.run.quality is not None:
            self._quality[number] = _quality_words(item)

    def traces(self, end_s: float) -> list[ItemTrace]:
        """Every traced item, in creation order; steps still under way end open at ``end_s``."""
        out = []
        for number in sorted(self._traced):
            steps = list(self._steps[number])
            step = self._open.get(number)
            if step is not None:
                steps.append(TraceStep(step.place, step.kind, step.state, step.since, end_s, step.team, True))
            source, cls, created = self._heads[number]
            item_class = self.classes[cls]
            truth, decision = self._quality.get(number, ("", ""))
            out.append(ItemTrace(number, source, item_class.category, item_class.language, item_class.priority,
                                 created, tuple(steps), truth, decision))
        return out


def _quality_words(item: Item) -> tuple[str, str]:
    from simulations.quality_spec import KEPT, REMOVED

    decision = {REMOVED: "removed", KEPT: "kept"}.get(item.decision, "removed" if item.decision == 3 else "")
    return ("violating" if item.truth else "benign"), decision


def _stride(run: Replication, wanted: int) -> int:
    """Every how many created items one is traced, so ``wanted`` spread over the statistics window."""
    spec = run.spec
    end = spec.horizon_s if math.isfinite(spec.horizon_s) else spec.end_cap_s
    expected = sum(node.rates.expected_count(spec.warmup_s, end) for node in spec.nodes  # type: ignore[attr-defined]
                   if node.kind == "source")
    return max(1, math.floor(expected / max(wanted, 1)))


def attach_tracer(run: Replication) -> ItemTracer | None:
    """The tracer for ``run`` when its spec asks for traces and it is replication 0, else None."""
    wanted = getattr(run.spec, "trace_items", 0)
    if wanted <= 0 or run.replication != 0:
        return None
    tracer = ItemTracer(run, wanted)
    tracer.attach()
    return tracer


def trace_rows(traces: list[ItemTrace]) -> list[dict[str, Any]]:
    """One row per step (the event log's rows before timestamps): case, item attributes, step."""
    rows = [{"case_id": t.item, "source": t.source, "category": t.category, "language": t.language,
             "priority": t.priority, "activity": s.place, "node_kind": s.node_kind, "state": s.state,
             "start_s": s.start_s, "end_s": s.end_s, "team": s.team} for t in traces for s in t.steps]
    if any(t.truth for t in traces):  # a model with decision quality: each case's truth and how it ended
        verdicts = [(t.truth, t.verdict) for t in traces for _ in t.steps]
        for row, (truth, verdict) in zip(rows, verdicts, strict=True):
            row["truth"], row["verdict"] = truth, verdict
    return rows


def run_traces(run: Any) -> list[tuple[str, list[ItemTrace]]]:
    """(scenario name, traces) of a :class:`simulations.runner.RunResult`, scenarios in run order."""
    out: dict[str, list[ItemTrace]] = {}
    for replication in run.replications:
        if replication.traces:
            out.setdefault(replication.scenario_name, []).extend(replication.traces)
    return list(out.items())


def waited_s(trace: ItemTrace) -> float:
    """Time spent waiting for review, over every stage the item visited."""
    return sum(s.duration_s for s in trace.steps if s.state == "waiting")


def longest_step(trace: ItemTrace) -> TraceStep | None:
    """Where the item spent most of its time (a wait, a review, a delay): the first answer to "why so slow"."""
    steps = [s for s in trace.steps if s.duration_s > 0]
    return max(steps, key=lambda s: s.duration_s) if steps else None


def step_words(step: TraceStep) -> str:
    """Where the time went, for a sentence: "waiting for Tier 1", "in review at Tier 1 (Team A)"."""
    if step.unfinished:
        doing = f"waiting for {step.place}" if step.state == "waiting" else f"at {step.place}"
        return f"{doing}, still when the run ended"
    if step.state == "waiting":
        return f"waiting for {step.place}"
    if step.state == "reviewed":
        return f"in review at {step.place} ({step.team})"
    return f"in {step.place}"


def span_text(seconds: float) -> str:
    """A step's or a journey's length in the unit that reads best: 45 s, 12 min, 7.4 h, 2.3 d."""
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.1f} d"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"


def trace_summary(run: Any, slowest: int = 3) -> str:
    """A few lines per scenario: how many items were traced, their median time in the workflow, the slowest."""
    lines = []
    for scenario, traces in run_traces(run):
        times = sorted(t.time_in_system_s for t in traces)
        median = times[len(times) // 2] if times else 0.0
        lines.append(f"Traced {len(traces)} items of {scenario}: median {span_text(median)} in the workflow")
        for t in sorted(traces, key=lambda t: t.time_in_system_s, reverse=True)[:slowest]:
            step = longest_step(t)
            why = f", {span_text(step.duration_s)} of it {step_words(step)}" if step is not None else ""
            end = t.outcome or ("still in the workflow" if t.in_workflow_at_end else "expired")
            what = f", {t.truth}" if t.truth else ""
            verdict = f" — {t.verdict}" if t.verdict else ""
            lines.append(f"  item {t.item} ({t.source}, {t.priority}{what}): {span_text(t.time_in_system_s)} to "
                         f"{end}{why}{verdict}")
    return "\n".join(lines)
