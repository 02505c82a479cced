"""How a simulation is run: horizon, warm-up, replications, seeds and reporting interval.

Plain data kept with the workflow so a planner's last settings are saved with the workspace.
The horizon starts on Monday 00:00 UTC of ``start_date``'s week unless ``start_weekday`` says otherwise.

Rule: :meth:`RunSettings.problems` also holds the settings to the limits of :mod:`flowmodel.limits` (horizon,
replications, points per time series = horizon ÷ interval, start date range), so that a run never starts
that would not end, would not fit in memory or would leave the calendar; it never raises, whatever
numbers the settings hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flowmodel.limits import MAX_HORIZON_HOURS, MAX_REPLICATIONS, MAX_SERIES_POINTS
from flowmodel.validation_limits import fmt, number_problem, start_date_problem

HOURS_PER_YEAR = 366 * 24.0


@dataclass
class RunSettings:
    horizon_hours: float = 14 * 24.0
    warmup_hours: float = 24.0
    replications: int = 10
    seed: int = 1
    interval_minutes: float = 60.0
    start_weekday: int = 0
    start_date: str = "2026-01-05"

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) pairs for settings a run cannot use."""
        out: list[tuple[str, str]] = []
        if not self.horizon_hours > 0:
            out.append(("horizon_hours", "the horizon must be longer than 0 hours"))
        if not 0 <= self.warmup_hours < self.horizon_hours:
            out.append(("warmup_hours", "the warm-up must be ≥ 0 and shorter than the horizon"))
        if self.replications < 1:
            out.append(("replications", "at least one replication is needed"))
        if not self.interval_minutes > 0:
            out.append(("interval_minutes", "the time-series interval must be longer than 0 minutes"))
        if not 0 <= self.start_weekday <= 6:
            out.append(("start_weekday", "the start weekday is 0 (Monday) to 6 (Sunday)"))
        if self.seed < 0:
            out.append(("seed", "the seed must be ≥ 0"))
        if problem := start_date_problem(self.start_date):
            out.append(("start_date", problem))
        return out + self._past_limits()

    def _past_limits(self) -> list[tuple[str, str]]:
        """The settings past :mod:`flowmodel.limits`, each with the limit and why it is there."""
        out: list[tuple[str, str]] = []
        if self.horizon_hours > MAX_HORIZON_HOURS:
            out.append(("horizon_hours", f"the horizon of {fmt(self.horizon_hours)} h is longer than the limit of "
                                         f"{fmt(MAX_HORIZON_HOURS)} h ({fmt(MAX_HORIZON_HOURS / HOURS_PER_YEAR)} "
                                         "years, past every planning horizon); check the unit of the horizon"))
        if self.replications > MAX_REPLICATIONS:
            out.append(("replications", f"{fmt(self.replications)} replications are more than the limit of "
                                        f"{fmt(MAX_REPLICATIONS)} (confidence intervals stop narrowing long before, "
                                        "and each one is a whole run); use 10 to 100"))
        if self.interval_minutes > MAX_HORIZON_HOURS * 60.0:
            out.append(("interval_minutes", f"the time-series interval of {fmt(self.interval_minutes)} min is longer "
                                            f"than the longest horizon ({fmt(MAX_HORIZON_HOURS)} h); use an interval "
                                            "shorter than the horizon, e.g. 60 min"))
        points = self._series_points()
        if points > MAX_SERIES_POINTS:
            shortest = math.ceil(self.horizon_hours * 60.0 / MAX_SERIES_POINTS)
            count = fmt(points) if math.isfinite(points) else "countless"
            out.append(("interval_minutes", f"a horizon of {fmt(self.horizon_hours)} h at a time-series interval of "
                                            f"{fmt(self.interval_minutes)} min gives {count} points per series, more "
                                            f"than the limit of {fmt(MAX_SERIES_POINTS)} (a chart cannot show more); "
                                            f"use an interval of at least {shortest} min"))
        return out

    def _series_points(self) -> float:
        """Points per time series (horizon ÷ interval); 0 when either is unusable (other problems say why)."""
        horizon, interval = self.horizon_hours, self.interval_minutes
        if number_problem(horizon) or number_problem(interval) or not 0 < horizon <= MAX_HORIZON_HOURS:
            return 0.0
        return horizon * 60.0 / interval if interval > 0 else 0.0

