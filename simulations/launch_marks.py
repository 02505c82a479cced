"""The dated steps of a launch plan, as marks for charts and a timeline: the launch, and when each timed change,
backfill and training begins (one mark per instant, its labels joined)."""

from __future__ import annotations

from datetime import datetime

from flowmodel.errors import ModelError
from flowmodel.launch import instant_seconds, launch_seconds
from flowmodel.scenarios import Scenario, describe_change
from flowmodel.workflow import Workflow


def launch_marks(workflow: Workflow, scenario: Scenario, run_start: datetime) -> tuple[tuple[float, str], ...]:
    """(seconds from the run's start, label) sorted by time; instants that do not parse are left out (the plan's
    compile reports them)."""
    try:
        launch_s = launch_seconds(scenario.launch, run_start, "launch")
    except ModelError:
        return ()
    labels: dict[float, list[str]] = {launch_s: ["Launch"]}

    def mark(text: str, label: str) -> None:
        try:
            at = instant_seconds(text, launch_s, run_start, label)
        except ModelError:
            return
        names = labels.setdefault(at, [])
        if label not in names:
            names.append(label)

    for change in scenario.changes:
        if change.start.strip():
            mark(change.start, change.note or describe_change(workflow, change))
    for backfill in scenario.backfills:
        mark(backfill.start, f"{backfill.name} starts")
    for training in scenario.trainings:
        mark(training.start, f"{training.name} starts")
    return tuple((at, "; ".join(names)) for at, names in sorted(labels.items()))
