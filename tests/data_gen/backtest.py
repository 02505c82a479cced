"""A past fortnight for the back-test tests, produced by the engine itself from the known model below.

- The model (:func:`true_model`): one source "Reports" (America/New_York, a mean of :data:`RATE_PER_HOUR` items an
  hour with a daily profile: quiet nights, a busy day, an evening peak above the evening shift's capacity) → one
  review stage "Review" (lognormal handle times, mean 6 min, sd 4 min) → "Done"; one team of reviewers in
  New York time, :data:`SHIFTS` (night / day / evening), shrinkage 0. The evening peak builds a backlog that the
  night shift works off, so each day ends with items waiting.
- The period: :data:`FIRST_DAY` to :data:`LAST_DAY` (14 New York days, the spring-forward change of 8 March
  inside it). The run starts at 00:00 UTC on 2 March (19:00 New York time the day before: a five-hour lead-in),
  which is where a back-test of these files starts too.
- One replication (:data:`SEED`, replication 0) is the "actual" past. ``backtest_volumes.csv``: its items created
  per hour, in local New York time (``timestamp,count``; the skipped hour of 8 March has no row, as a dashboard
  in local time shows it). ``backtest_actuals.csv``: per New York day, decided (reviews finished), backlog (items
  waiting at local midnight) and created.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flowmodel import Distribution, Edge, MixEntry, Outcome, ReviewStage, Shift, Source, Team, Workflow
from flowmodel.nodes import ArrivalProfile

SEED = 2026
ZONE = "America/New_York"
FIRST_DAY = date(2026, 3, 2)
LAST_DAY = date(2026, 3, 15)
RATE_PER_HOUR = 30.0
#: Local hour → multiplier (mean 1): nights 0.4, days 1.0, the evening peak 1.6.
DAILY_PROFILE = [0.4] * 8 + [1.0] * 8 + [1.6] * 8
#: (name, start hour, hours, headcount every day): capacity 10 items an hour per reviewer.
SHIFTS = [("night", 0.0, 8.0, 2), ("day", 8.0, 8.0, 4), ("evening", 16.0, 8.0, 4)]


def true_model(staff_factor: float = 1.0) -> Workflow:
    """The model the files were generated from; ``staff_factor`` scales every headcount (0.5: half the staff)."""
    workflow = Workflow(name="Back-test fortnight", id="backtest-fortnight")
    source = workflow.add_node(Source(name="Reports", id="reports", rate_per_hour=RATE_PER_HOUR, timezone=ZONE,
                                      profile=ArrivalProfile("daily", list(DAILY_PROFILE)), mix=[MixEntry()]))
    stage = workflow.add_node(ReviewStage(name="Review", id="review",
                                          handle_time=Distribution.lognormal(6.0, 4.0, "min")))
    done = workflow.add_node(Outcome(name="Done", id="done", label="done"))
    workflow.add_edge(Edge(source.id, stage.id, id="e-in", probability=1.0))
    workflow.add_edge(Edge(stage.id, done.id, id="e-out", probability=1.0))
    shifts = [Shift(name=name, start_hour=start, hours=hours, headcount=[max(1, round(count * staff_factor))] * 7)
              for name, start, hours, count in SHIFTS]
    workflow.add_team(Team(name="Reviewers", id="reviewers", timezone=ZONE, shrinkage=0.0, stages=[stage.id],
                           shifts=shifts))
    return workflow


def period() -> tuple[datetime, datetime]:
    """The run's UTC start (the UTC midnight before the first local day) and the local end of the last day."""
    zone = ZoneInfo(ZONE)
    start = datetime.combine(FIRST_DAY, datetime.min.time(), zone).astimezone(UTC)
    start = datetime(start.year, start.month, start.day, tzinfo=UTC)
    end = datetime.combine(LAST_DAY + timedelta(days=1), datetime.min.time(), zone).astimezone(UTC)
    return start, end


def write(directory: Path) -> list[Path]:
    from flowmodel.run_settings import RunSettings
    from simulations.backtest import day_counts
    from simulations.spec import compile_run

    zone = ZoneInfo(ZONE)
    start, end = period()
    hours = round((end - start).total_seconds() / 3600)
    settings = RunSettings(horizon_hours=hours, warmup_hours=0.0, replications=1, seed=SEED,
                           start_weekday=start.weekday(), start_date=start.date().isoformat())
    spec = compile_run(true_model(), None, settings)
    hourly = day_counts(spec, tuple(h * 3600.0 for h in range(hours + 1)), 0)
    days = [FIRST_DAY + timedelta(days=k) for k in range((LAST_DAY - FIRST_DAY).days + 1)]
    edges = tuple((datetime.combine(d, datetime.min.time(), zone).astimezone(UTC) - start).total_seconds()
                  for d in [*days, LAST_DAY + timedelta(days=1)])
    daily = day_counts(spec, edges, 0)
    assert sum(daily.created) == sum(hourly.created[round(edges[0] / 3600):])  # the same run, counted twice

    directory.mkdir(parents=True, exist_ok=True)
    volumes = directory / "backtest_volumes.csv"
    with volumes.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["timestamp", "count"])
        for h, count in enumerate(hourly.created):
            local = (start + timedelta(hours=h)).astimezone(zone)
            out.writerow([local.strftime("%Y-%m-%d %H:%M"), count])
    actuals = directory / "backtest_actuals.csv"
    with actuals.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "decided", "backlog", "created"])
        for k, day in enumerate(days):
            out.writerow([day.isoformat(), daily.stage_finished["review"][k], daily.stage_waiting["review"][k],
                          daily.created[k]])
    return [volumes, actuals]


if __name__ == "__main__":
    for path in write(Path(__file__).resolve().parents[1] / "data"):
        print(path.name)
