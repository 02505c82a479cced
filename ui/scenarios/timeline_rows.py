"""What the launch-plan timeline draws, as plain data: one row per timed or scoped change, backfill and training.

Rules:
- Hours count from the run's start (:func:`flowmodel.launch.run_start`); the axis runs to the horizon's end.
- A change's empty start is the run's start and its empty end the run's end; a ramp settles after
  :func:`flowmodel.launch.ramp_length_h`. A backfill's bar is its spread (a point when it arrives at once); a
  training's is its period. A plain change (whole run, every item) has no row: it is the scenario's diff.
- An instant that does not parse (or run settings without a usable start date) gives the row a ``problem``
  instead of a bar, so the timeline never fails on a half-typed plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from flowmodel.change_words import describe_change
from flowmodel.errors import ModelError
from flowmodel.launch import instant_seconds, launch_seconds, ramp_length_h, run_start
from flowmodel.scenarios import Scenario
from flowmodel.workflow import Workflow
from ui.scenarios.launch_items import backfill_words, training_words

RowKind = Literal["change", "backfill", "training"]


@dataclass(frozen=True)
class TimelineRow:
    """One bar: ``key`` is the change's index in the scenario, or the backfill's or training's id; ``ramp_h`` is
    how long its ramp takes to settle and ``ramp_hours`` the ramp's own hours (a learning curve's half-life)."""

    kind: RowKind
    key: int | str
    label: str
    start_h: float = 0.0
    end_h: float = 0.0
    ramp_h: float = 0.0
    ramp_shape: str = ""
    ramp_hours: float = 0.0
    problem: str = ""


@dataclass(frozen=True)
class TimelinePlan:
    """The rows and the axis: the run's start (UTC), the launch and the horizon in hours from that start."""

    rows: tuple[TimelineRow, ...]
    start: datetime | None
    launch_h: float
    horizon_h: float
    warmup_h: float

    def date_at(self, hours: float) -> datetime | None:
        return self.start + timedelta(hours=hours) if self.start is not None else None


def _hours(text: str, launch_s: float, start: datetime, where: str) -> float:
    return instant_seconds(text, launch_s, start, where) / 3600.0


def plan_rows(workflow: Workflow, scenario: Scenario | None) -> TimelinePlan:
    """The timeline of ``scenario`` on ``workflow``'s run settings (see module rules)."""
    settings = workflow.run_settings
    horizon_h = float(settings.horizon_hours) if settings.horizon_hours > 0 else 24.0
    warmup_h = max(0.0, min(float(settings.warmup_hours), horizon_h))
    if scenario is None:
        return TimelinePlan((), None, 0.0, horizon_h, warmup_h)
    try:
        start = run_start(settings)
        launch_s = launch_seconds(scenario.launch, start, "launch")
    except ModelError as error:
        rows = (TimelineRow("change", -1, "the launch cannot be placed", problem=error.message),)
        return TimelinePlan(rows, None, 0.0, horizon_h, warmup_h)
    rows: list[TimelineRow] = []
    for index, change in enumerate(scenario.changes):
        if change.is_static():
            continue
        label = describe_change(workflow, change).split("  ⚠ ")[0]
        if change.is_scoped() and change.scope is not None:
            label = f"{label} · {change.scope.describe()}"
        try:
            a = _hours(change.start, launch_s, start, "starts") if change.start.strip() else 0.0
            b = _hours(change.end, launch_s, start, "ends") if change.end.strip() else horizon_h
        except ModelError as error:
            rows.append(TimelineRow("change", index, label, problem=error.message))
            continue
        ramp = change.ramp
        rows.append(TimelineRow("change", index, label, a, b,
                                ramp_length_h(ramp.shape, ramp.hours) if ramp is not None else 0.0,
                                ramp.shape if ramp is not None else "", ramp.hours if ramp is not None else 0.0))
    for backfill in scenario.backfills:
        label = backfill_words(workflow, backfill)
        try:
            a = _hours(backfill.start, launch_s, start, "starts")
        except ModelError as error:
            rows.append(TimelineRow("backfill", backfill.id, label, problem=error.message))
            continue
        rows.append(TimelineRow("backfill", backfill.id, label, a, a + max(0.0, backfill.spread_hours)))
    for training in scenario.trainings:
        label = training_words(workflow, training)
        try:
            a = _hours(training.start, launch_s, start, "starts")
            b = _hours(training.end, launch_s, start, "ends")
        except ModelError as error:
            rows.append(TimelineRow("training", training.id, label, problem=error.message))
            continue
        rows.append(TimelineRow("training", training.id, label, a, b))
    return TimelinePlan(tuple(rows), start, launch_s / 3600.0, horizon_h, warmup_h)
