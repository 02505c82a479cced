"""An hourly history of report volumes, as read from the planner's file (:mod:`flowmodel.imports.volumes`) and
fitted by :mod:`simulations.forecast`.

Rules:
- Hours are UTC hours: ``counts[i]`` is the number of items created in ``[start_utc + i h, start_utc + (i+1) h)``.
  UTC has no DST gaps or repeats, so an hour is always an hour; the source's zone (``timezone``) is only needed
  to read naive timestamps and to express a weekly profile in local time.
- A missing interval (no row for that hour inside the file's span) is ``math.nan``, not 0: a dashboard that
  lost an hour did not see zero reports.
- ``mix`` is the total count per (category, language, priority) over the whole file; keys the file has no column
  for take the model's defaults (``MixEntry``'s).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class VolumeHistory:
    file: str  # the file's name, for messages (not its full path)
    timezone: str  # the zone naive timestamps were read in, and local days and weekly profiles are expressed in
    start_utc: datetime  # aware (UTC), the start of the first hour
    counts: tuple[float, ...]  # items created per UTC hour from ``start_utc``; NaN = no data for that hour
    mix: dict[tuple[str, str, str], float] = field(default_factory=dict)  # (category, language, priority) → items
    notes: tuple[str, ...] = ()  # what reading fixed or left out: duplicates dropped, hours missing, DST repeats

    @property
    def hours(self) -> int:
        return len(self.counts)

    def hour_start(self, index: int) -> datetime:
        """The UTC start of hour ``index``."""
        return self.start_utc + timedelta(hours=index)

    def missing_hours(self) -> int:
        return sum(1 for c in self.counts if math.isnan(c))

    def total(self) -> float:
        return math.fsum(c for c in self.counts if not math.isnan(c))
