"""Start from today: the items already waiting at the review stages when a run starts.

A workflow may carry a :class:`StartState` — today's backlog, one :class:`BacklogEntry` per (stage, category,
language, priority) group of waiting items. A run then begins with those items in their stages' queues instead of
empty, and its first hours answer "when is today's backlog cleared".

Rules:
- ``stage`` is a review stage's id; ``count`` is the number of items of the entry (a whole number ≥ 0).
- An item's **age** is how long it has existed already (hours): its SLA clock counts it, so an item older than its
  target is late from the first instant. An entry gives its ages one of two ways:
  ``ages_h`` — one age per item, exactly ``count`` of them (what an import from a file with creation times gives);
  or, with ``ages_h`` empty, a uniform range ``age_min_h``..``age_max_h`` each item's age is drawn from (equal ends:
  every item has that age; the default 0..0 means "arrived just now").
- Category, language and priority default as :class:`flowmodel.nodes.MixEntry`'s do. A category/priority no
  source produces is allowed (a warning): the items are reviewed by the stage's rules like any other.
- A workflow without a start state (``None``, the default) starts empty, and its file has no ``start_state`` key,
  so files written before the feature read and write back byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BacklogEntry:
    """``count`` items of one class waiting at review stage ``stage`` when the run starts."""

    stage: str = ""
    count: int = 1
    category: str = "general"
    language: str = "en"
    priority: str = "P2"
    #: One age per item (hours); empty: draw each age uniformly from ``age_min_h``..``age_max_h``.
    ages_h: list[float] = field(default_factory=list)
    age_min_h: float = 0.0
    age_max_h: float = 0.0

    def describe_ages(self) -> str:
        """The entry's ages in a few words, for tables and summaries."""
        if self.ages_h:
            return f"{min(self.ages_h):g}–{max(self.ages_h):g} h (each given)"
        if self.age_min_h == self.age_max_h:
            return f"{self.age_min_h:g} h"
        return f"{self.age_min_h:g}–{self.age_max_h:g} h (uniform)"


@dataclass
class StartState:
    """Today's backlog: the items waiting at each review stage when a run starts."""

    entries: list[BacklogEntry] = field(default_factory=list)
    #: Where the state came from (a file name and its "now"), for the planner; does not change any number.
    note: str = ""

    def total(self) -> int:
        """Items over all entries."""
        return sum(entry.count for entry in self.entries)

    def by_stage(self) -> dict[str, int]:
        """Items per stage id, in the order stages first appear."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.stage] = counts.get(entry.stage, 0) + entry.count
        return counts
