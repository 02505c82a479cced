"""Node kinds of a moderation workflow and the edges between them.

Rules stated once:
- A node's outgoing edges decide where an item goes next. For sources, classifiers, review stages and
  probability routers every outgoing edge carries a ``probability`` and they sum to 1. A classifier's
  edge may override its probability per category (``probability_by_category``); per category the
  edges' probabilities also sum to 1 (a category missing from an edge's table uses its ``probability``).
- An attribute router sends each item along the first edge whose ``condition`` matches the item's
  attribute; an edge with ``otherwise=True`` catches the rest.
- Delays pass every item on to their single successor. Outcomes are terminal.
- An SLA target times either the decision (creation → end of review here) or the wait (arrival here →
  start of review); a file that leaves the ``clock`` out means the decision, as files did before.
- Which teams work a review stage is stated on the teams (``Team.stages``), in each team's priority
  order, so there is one place that says it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from flowmodel.distributions import Distribution
from flowmodel.ids import new_id
from flowmodel.quality import Accuracy, GroundTruth, TruthSplit

NodeKind = Literal["source", "classifier", "review_stage", "router", "delay", "outcome"]
NODE_KINDS: tuple[str, ...] = ("source", "classifier", "review_stage", "router", "delay", "outcome")
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ITEM_ATTRIBUTES: tuple[str, ...] = ("category", "language", "priority")
QUEUE_DISCIPLINES: tuple[str, ...] = ("fifo", "priority", "earliest_deadline")
SLA_CLOCKS: tuple[str, ...] = ("decision", "wait")
#: What each SLA clock times, in the words the editor and the exports show.
SLA_CLOCK_WORDS: dict[str, str] = {"decision": "time to decision", "wait": "wait in queue"}


@dataclass
class MixEntry:
    """One cell of a source's item mix: the share of arrivals with this category, language and priority."""

    category: str = "general"
    language: str = "en"
    priority: str = "P2"
    share: float = 1.0


@dataclass
class ArrivalProfile:
    """Relative arrival intensity by hour, in the source's time zone.

    ``flat``: constant. ``daily``: 24 multipliers (hour 0–23), the same every day. ``weekly``: 168
    multipliers, Monday 00:00 first. Multipliers are relative: the engine scales them so that their mean
    is 1, so the source's ``rate_per_hour`` stays the mean rate over a day (daily) or a week (weekly).
    """

    kind: Literal["flat", "daily", "weekly"] = "flat"
    multipliers: list[float] = field(default_factory=list)

    def hours(self) -> int:
        return {"flat": 0, "daily": 24, "weekly": 168}[self.kind]


@dataclass
class Surge:
    """A temporary multiplier on a source's arrival rate (a viral event), from ``start_hour`` after the
    start of the horizon, for ``duration_hours``."""

    start_hour: float = 0.0
    duration_hours: float = 1.0
    multiplier: float = 2.0
    label: str = ""


@dataclass
class SlaTarget:
    """``share`` of items of ``priority`` reviewed at this stage must be within ``within`` ``unit`` on ``clock``.

    ``clock`` says what is timed. ``"decision"`` (the default) runs from the item's creation at its source
    to the end of its review at this stage (time to decision), which is what a user or regulator
    experiences. ``"wait"`` runs from the item's arrival at this stage to the start of its review (time in
    queue), the service level workforce tools state ("90 % picked up within 4 h"). A file without
    ``clock`` means ``"decision"``, so files written before the field existed keep their meaning.
    """

    priority: str = "P2"
    within: float = 24.0
    unit: Literal["s", "min", "h", "d"] = "h"
    share: float = 0.9
    clock: Literal["decision", "wait"] = "decision"


@dataclass
class Node:
    """Fields every node has. ``x``/``y`` is the position on the canvas (scene units)."""

    kind: ClassVar[str] = ""
    name: str = ""
    id: str = field(default_factory=new_id)
    x: float = 0.0
    y: float = 0.0
    notes: str = ""


@dataclass
class Source(Node):
    """Arrivals: a non-homogeneous Poisson process with mean ``rate_per_hour``."""

    kind: ClassVar[str] = "source"
    rate_per_hour: float = 100.0
    timezone: str = "UTC"
    profile: ArrivalProfile = field(default_factory=ArrivalProfile)
    surges: list[Surge] = field(default_factory=list)
    mix: list[MixEntry] = field(default_factory=lambda: [MixEntry()])
    #: Which items truly violate (:mod:`flowmodel.quality`); None: the source's items carry no truth.
    truth: GroundTruth | None = None
    #: Where the rate, profile and mix came from (an import's file, period and fit error); words only.
    provenance: str = ""


@dataclass
class Classifier(Node):
    """Automation (ML or rules): routes items by probability after a short latency; no staff."""

    kind: ClassVar[str] = "classifier"
    latency: Distribution = field(default_factory=lambda: Distribution.fixed(1.0, "s"))


@dataclass
class ReviewStage(Node):
    """A queue plus human review by the teams that list this stage."""

    kind: ClassVar[str] = "review_stage"
    discipline: Literal["fifo", "priority", "earliest_deadline"] = "fifo"
    handle_time: Distribution = field(default_factory=lambda: Distribution.lognormal(3.0, 1.5, "min"))
    handle_time_by_category: dict[str, Distribution] = field(default_factory=dict)
    sla: list[SlaTarget] = field(default_factory=list)
    expiry: Distribution | None = None
    priority_order: list[str] = field(default_factory=lambda: ["P0", "P1", "P2", "P3"])
    #: Accuracy of every reviewer at this stage, over the team's (:mod:`flowmodel.quality`); None: the teams'.
    accuracy: Accuracy | None = None
    accuracy_by_category: dict[str, Accuracy] = field(default_factory=dict)
    #: Share of this stage's remove/keep decisions re-reviewed at the review stage ``qa_stage`` (QA sampling).
    qa_share: float = 0.0
    qa_stage: str = ""
    #: Where the handle times came from (an import's file and fitted family); words only.
    provenance: str = ""


@dataclass
class Router(Node):
    """Splits items by an attribute (``mode='attribute'``) or by probability (``mode='probability'``)."""

    kind: ClassVar[str] = "router"
    mode: Literal["attribute", "probability"] = "probability"
    attribute: Literal["category", "language", "priority"] = "language"


@dataclass
class Delay(Node):
    """A wait outside any queue: an appeal window, waiting for a user's reply."""

    kind: ClassVar[str] = "delay"
    duration: Distribution = field(default_factory=lambda: Distribution.fixed(1.0, "h"))


@dataclass
class Outcome(Node):
    """A terminal: where an item's journey ends, with a label (removed, kept, expired, overturned)."""

    kind: ClassVar[str] = "outcome"
    label: str = ""


NODE_CLASSES: dict[str, type[Node]] = {
    cls.kind: cls for cls in (Source, Classifier, ReviewStage, Router, Delay, Outcome)
}


@dataclass
class Condition:
    """Matches items whose ``attribute`` is one of ``values`` (for attribute routers)."""

    attribute: Literal["category", "language", "priority"] = "language"
    values: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """In a planner's words: "language: es or pt", "priority: P0"."""
        return f"{self.attribute}: {' or '.join(self.values) if self.values else '(none)'}"


@dataclass
class Edge:
    """A directed connection ``source`` → ``target`` (node ids).

    ``label`` names the branch for people and for scenario paths ("escalate", "no action").
    """

    source: str = ""
    target: str = ""
    id: str = field(default_factory=new_id)
    label: str = ""
    probability: float | None = None
    probability_by_category: dict[str, float] = field(default_factory=dict)
    condition: Condition | None = None
    otherwise: bool = False
    #: What taking this branch decides: "remove", "keep" or "" (nothing) — see :mod:`flowmodel.quality`.
    decision: Literal["", "remove", "keep"] = ""
    #: The branch's probability by the item's truth, in place of ``probability`` (:mod:`flowmodel.quality`).
    by_truth: TruthSplit | None = None

    def describe(self) -> str:
        if self.otherwise:
            text = "otherwise"
        elif self.condition is not None:
            text = self.condition.describe()
        elif self.by_truth is not None:  # "auto-action · V 62 % / B 3 %": the shares of violating and benign items
            text = f"V {_share(self.by_truth.violating, ' ')} / B {_share(self.by_truth.benign, ' ')}"
            return f"{self.label} · {text}" if self.label else text
        elif self.probability is not None:
            text = _share(self.probability)
        else:
            text = ""
        return f"{self.label} {text}".strip() if self.label else text


def _share(value: float, space: str = "") -> str:
    """A share in % on a canvas label: whole percents without decimals (8 %, not 8.0 % for 0.08), else one decimal."""
    text = f"{value * 100:.0f}" if math.isclose(value * 100, round(value * 100), abs_tol=1e-9) else f"{value * 100:.1f}"
    return f"{text}{space}%"
