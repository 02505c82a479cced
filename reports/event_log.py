"""Item traces as an event log — the CSV that process-mining tools (PM4Py, Disco, ProM, Celonis) read.

Rules:
- One row per step of a traced item (:mod:`simulations.item_trace`): a wait for a stage ("Wait for Tier 1
  review"), a review (resource = the team), a classifier or delay passed, an expiry, the outcome (start =
  complete). Routers take no time and have no row.
- ``case_id`` is "<scenario>/<item number>", unique across the scenarios of one log; ``scenario``,
  ``source``, ``priority``, ``category`` and ``language`` are case attributes on every row.
- Timestamps are ISO 8601 in UTC from the run's calendar (simulated time 0 = the horizon start of the run
  settings), to the second; ``duration_min`` is the step's length. A step still under way when the run ended
  ends at the run's end and its ``state`` says so ("waiting, unfinished").
- UTF-8 with a byte-order mark, written atomically (:func:`reports.files.write_file`).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from simulations.item_trace import ItemTrace, TraceStep

COLUMNS = ("case_id", "scenario", "source", "priority", "category", "language", "activity", "state",
           "start_timestamp", "complete_timestamp", "duration_min", "resource", "node_kind")


def activity(step: TraceStep) -> str:
    """The step as a process-mining activity name."""
    return f"Wait for {step.place}" if step.state == "waiting" else step.place


def event_rows(scenario: str, traces: Iterable[ItemTrace], start: datetime) -> list[list[object]]:
    """The log's rows for one scenario's traces (rules above)."""
    def stamp(seconds: float) -> str:
        return (start + timedelta(seconds=round(seconds))).strftime("%Y-%m-%dT%H:%M:%SZ")

    return [[f"{scenario}/{t.item}", scenario, t.source, t.priority, t.category, t.language, activity(s),
             f"{s.state}, unfinished" if s.unfinished else s.state,
             stamp(s.start_s), stamp(s.end_s), round(s.duration_s / 60.0, 3), s.team, s.node_kind]
            for t in traces for s in t.steps]


def event_log_text(by_scenario: Iterable[tuple[str, list[ItemTrace]]], start: datetime) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for scenario, traces in by_scenario:
        writer.writerows(event_rows(scenario, traces, start))
    return buffer.getvalue()


def write_event_log(path: str | os.PathLike[str], by_scenario: Iterable[tuple[str, list[ItemTrace]]],
                    start: datetime) -> Path:
    """Write the event log CSV atomically; raises :class:`flowmodel.errors.SaveError` when it cannot."""
    from reports.files import write_file

    return write_file(path, ("\ufeff" + event_log_text(by_scenario, start)).encode("utf-8"))
