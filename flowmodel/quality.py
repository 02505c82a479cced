"""Decision quality: ground truth, classifiers by their error, reviewer accuracy, wellness caps.

A model says how *right* its decisions are with four optional parts; a model that uses none of them runs
exactly as before (its items carry no truth and nothing below is consulted).

Rules stated once:
- **Ground truth** (:class:`GroundTruth`, on a source): each item from the source is violating with the
  prevalence of its category (the share of reports that truly violate), else benign; drawn once, at the
  source, from the source's own "truth" stream. ``views_per_hour`` (per category) is how often a violating
  item is seen while it is up, for exposure in views.
- **Decisions** are stated on branches (``Edge.decision``): ``"remove"`` or ``"keep"``. An item taking such a
  branch gets that decision; its *standing decision* is the last one taken. At a classifier the branches
  are its bands (auto-action = remove, auto-approve = keep, human review = no decision); at a review stage
  the remove and keep branches are drawn from the item's truth and the reviewer's accuracy.
- **Split by truth** (:class:`TruthSplit`, on an edge of a classifier or a probability router): the branch is
  taken with probability ``violating`` by violating items and ``benign`` by benign ones (optionally per
  category), instead of the edge's ``probability``. All branches of such a node are split by truth; per
  truth they sum to 1. A classifier given by its error per band is one whose bands are split by truth; an
  appeal that depends on whether the removal was right is a router after the removal split by truth (a
  benign removed item is a wrongful removal).
- **Review by accuracy**: a review stage whose outgoing branches include a remove and a keep branch decides
  by accuracy. Its other branches (escalate, …) keep their probabilities ``p``; with the remaining
  ``1 − Σp`` the reviewer decides: remove with probability ``remove_violating`` for a violating item and
  ``1 − keep_benign`` for a benign one (:class:`Accuracy`). The accuracy is the most specific one stated:
  the stage's for the category, the stage's, the reviewing team's for the category, the team's; none
  stated means always right (validation says so). One uniform number decides the branch, so a scenario
  that changes an accuracy keeps the other items' decisions (common random numbers).
- **Appeals and overturns**: an item that reaches a review stage that decides by accuracy while its standing
  decision is a removal is an *appeal* there; a keep decision on it *overturns* the removal, a remove
  decision upholds it.
- **Wellness caps** (``Team.wellness_caps``): a reviewer of the team spends at most that many hours a
  shift-day reviewing the category; see :mod:`simulations.wellness` for how reviewers are tracked.
- **QA sampling** (``ReviewStage.qa_share`` / ``qa_stage``): that share of the stage's remove/keep decisions
  is re-reviewed by the review stage ``qa_stage`` (a copy of the item goes there and adds its load; the
  copy's own decision is compared with the original and changes nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DECISIONS: tuple[str, ...] = ("remove", "keep")
#: What each decision reads like in the editor.
DECISION_WORDS: dict[str, str] = {"": "no decision", "remove": "remove (action)", "keep": "keep (no action)"}
Decision = Literal["", "remove", "keep"]


@dataclass
class GroundTruth:
    """Which of a source's items truly violate: ``prevalence`` for every category, unless ``by_category``
    states one; views per hour of a violating item while up (exposure), likewise."""

    prevalence: float = 0.0
    by_category: dict[str, float] = field(default_factory=dict)
    views_per_hour: float = 0.0
    views_by_category: dict[str, float] = field(default_factory=dict)

    def prevalence_of(self, category: str) -> float:
        return self.by_category.get(category, self.prevalence)

    def views_of(self, category: str) -> float:
        return self.views_by_category.get(category, self.views_per_hour)


@dataclass
class Split:
    """The probability of one branch for a violating and for a benign item."""

    violating: float = 0.0
    benign: float = 0.0


@dataclass
class TruthSplit:
    """A branch taken by truth (see the module rules); ``by_category`` overrides the default per category."""

    violating: float = 0.0
    benign: float = 0.0
    by_category: dict[str, Split] = field(default_factory=dict)

    def for_category(self, category: str) -> Split:
        return self.by_category.get(category) or Split(self.violating, self.benign)

    def probability(self, category: str, violating: bool) -> float:
        split = self.for_category(category)
        return split.violating if violating else split.benign


@dataclass
class Accuracy:
    """How often a reviewer decides right: removes a violating item (``remove_violating``, the reviewer's
    recall) and keeps a benign one (``keep_benign``, the reviewer's specificity)."""

    remove_violating: float = 1.0
    keep_benign: float = 1.0

    def remove_probability(self, violating: bool) -> float:
        return self.remove_violating if violating else 1.0 - self.keep_benign


PERFECT = Accuracy(1.0, 1.0)


def resolve_accuracy(stage_accuracy: Accuracy | None, stage_by_category: dict[str, Accuracy],
                     team_accuracy: Accuracy | None, team_by_category: dict[str, Accuracy],
                     category: str) -> Accuracy:
    """The most specific accuracy stated (module rules): stage × category, stage, team × category, team."""
    for found in (stage_by_category.get(category), stage_accuracy, team_by_category.get(category), team_accuracy):
        if found is not None:
            return found
    return PERFECT


def band_split(prevalence: float, recall: float, precision: float) -> Split:
    """A band's probabilities for violating and benign items from what a model card states about it.

    ``recall`` is the share of violating items the band takes (P(band | violating)); ``precision`` the share of
    the band's items that violate (P(violating | band)), at ``prevalence``. Bayes' rule gives
    P(band | benign) = prevalence · recall · (1 − precision) / ((1 − prevalence) · precision). Raises
    ValueError when the figures cannot hold together (a benign share outside 0–1)."""
    if not 0.0 < prevalence < 1.0:
        raise ValueError("the prevalence must be above 0 % and below 100 % to turn precision into an error rate")
    if not 0.0 <= recall <= 1.0 or not 0.0 < precision <= 1.0:
        raise ValueError("recall must be 0–100 % and precision above 0 % up to 100 %")
    benign = prevalence * recall * (1.0 - precision) / ((1.0 - prevalence) * precision)
    if benign > 1.0 + 1e-12:
        raise ValueError(f"at a prevalence of {prevalence:.1%}, a band with {recall:.1%} recall cannot have a "
                         f"precision as low as {precision:.1%} (it would take {benign:.0%} of benign items)")
    return Split(recall, min(benign, 1.0))


def band_figures(prevalence: float, split: Split) -> tuple[float, float]:
    """The inverse of :func:`band_split`: (recall, precision) of a band at ``prevalence``; precision NaN when
    the band takes nothing."""
    taken = prevalence * split.violating + (1.0 - prevalence) * split.benign
    return split.violating, (prevalence * split.violating / taken) if taken > 0 else float("nan")
