"""How a simulation is run: horizon, warm-up, replications, seeds and reporting interval.

Plain data kept with the workflow so a planner's last settings are saved with the workspace.
The horizon starts on Monday 00:00 UTC of ``start_date``'s week unless ``start_weekday`` says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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
        try:
            date.fromisoformat(self.start_date)
        except (TypeError, ValueError):
            out.append(("start_date", f"the start date {self.start_date!r} is not a date written as YYYY-MM-DD"))
        return out
