"""Teams of reviewers: skills, time zone, shift roster, shrinkage and cost.

Rules stated once:
- A shift starts at ``start_hour`` local time on each weekday and lasts ``hours`` (it may run past
  midnight; it then belongs to the weekday it started on). ``headcount[d]`` reviewers are rostered on
  weekday ``d`` (Monday = 0).
- Of the rostered reviewers, ``headcount × (1 − shrinkage)`` are available to review: shrinkage is the
  share of paid time spent on breaks, training, meetings and absence.
- Skills: an item can be reviewed by the team only if its language is in ``languages`` and its
  category in ``categories``; an empty list means "any".
- ``stages`` lists the review stages the team works, highest priority first.
- ``contract_hours`` is one person's paid hours per week (default 40; more than 0, at most 168). Rosters
  count heads on shift; a planner hires people: full-time equivalents = paid hours ÷ contract hours
  (:meth:`Team.fte`). Shrinkage does not change paid hours — it is already in the rostered headcount.
  Files written before the field existed load with the default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flowmodel.ids import new_id
from flowmodel.quality import Accuracy

HOURS_PER_WEEK = 168
DEFAULT_CONTRACT_HOURS = 40.0


def available_reviewers(rostered: int, shrinkage: float) -> int:
    """Reviewers a simulation puts on the floor: ``rostered × (1 − shrinkage)`` to the nearest whole reviewer,
    halves rounded up (10 × 0.65 = 6.5 → 7; the tiny epsilon absorbs float error such as 6.4999…). So one
    reviewer at 60 % shrinkage is 0.4 → nobody, which validation reports."""
    return math.floor(rostered * (1.0 - shrinkage) + 0.5 + 1e-9)


@dataclass
class Shift:
    """A recurring block of working time with a headcount per weekday (Mon..Sun)."""

    name: str = "day"
    start_hour: float = 9.0
    hours: float = 8.0
    headcount: list[int] = field(default_factory=lambda: [10, 10, 10, 10, 10, 0, 0])

    def covers(self, local_hour_of_week: float) -> int:
        """Rostered headcount of this shift at ``local_hour_of_week`` (0 = Monday 00:00)."""
        total = 0
        for day, count in enumerate(self.headcount):
            if not count:
                continue
            start = day * 24 + self.start_hour
            offset = (local_hour_of_week - start) % HOURS_PER_WEEK
            if offset < self.hours:
                total += count
        return total


@dataclass
class Team:
    name: str = ""
    id: str = field(default_factory=new_id)
    languages: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    timezone: str = "UTC"
    shifts: list[Shift] = field(default_factory=list)
    shrinkage: float = 0.3
    hourly_cost: float = 0.0
    stages: list[str] = field(default_factory=list)
    contract_hours: float = DEFAULT_CONTRACT_HOURS
    #: How often the team's reviewers decide right (:mod:`flowmodel.quality`); None: always right.
    accuracy: Accuracy | None = None
    accuracy_by_category: dict[str, Accuracy] = field(default_factory=dict)
    #: Category → the most hours a reviewer may spend on it per shift-day (:mod:`simulations.wellness`).
    wellness_caps: dict[str, float] = field(default_factory=dict)
    #: Where the shifts came from (an imported roster's file); words only.
    provenance: str = ""

    def fte(self, paid_hours_per_week: float) -> float:
        """People on contract needed for ``paid_hours_per_week`` of rostered time (paid hours ÷ contract hours)."""
        return paid_hours_per_week / self.contract_hours

    def head_count(self) -> int:
        """The team's people: its weekly paid hours ÷ contract hours, rounded (at least 1 when anyone is rostered);
        a training "for everyone" trains them all."""
        paid = self.paid_hours_per_week()
        if paid <= 0 or self.contract_hours <= 0:
            return 0
        return max(1, round(self.fte(paid)))

    def can_review(self, language: str, category: str) -> bool:
        return (not self.languages or language in self.languages) and (
            not self.categories or category in self.categories
        )

    def rostered_at(self, local_hour_of_week: float) -> int:
        return sum(shift.covers(local_hour_of_week) for shift in self.shifts)

    def paid_hours_per_week(self) -> float:
        return sum(shift.hours * sum(shift.headcount) for shift in self.shifts)

    def mean_available_reviewers(self) -> float:
        """Reviewers available on average over a week, after shrinkage (for load checks)."""
        return self.paid_hours_per_week() / HOURS_PER_WEEK * (1.0 - self.shrinkage)
