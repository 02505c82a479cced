"""Build the five bundled example workflows and write them as ``<slug>.flow.json`` next to this script.

Run ``python examples/build_examples.py`` from the repository root. The output is deterministic: ids
are uuid5 of the example and the item's name, numbers are literal, so regenerating gives the same bytes
(a test checks it). Layout: sources at x = 0, one layer every 340 px to the right, branches spread
vertically 120 px apart.

Staffing is sized so that every stage runs at about 70–85 % utilisation over the week (validation's
traffic equations), with rosters that follow the arrival profiles: busier evening shifts for user
reports, thinner nights and weekends for specialist teams.
"""

from __future__ import annotations

import copy
import sys
import uuid
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flowmodel import (
    ArrivalProfile,
    Change,
    Classifier,
    Condition,
    Delay,
    Distribution,
    Edge,
    MixEntry,
    Outcome,
    ReviewStage,
    Router,
    RunSettings,
    Scenario,
    Shift,
    SlaTarget,
    Source,
    Team,
    Workflow,
)
from flowmodel.distributions import TimeUnit
from flowmodel.jsonfile import write_workflow_json
from flowmodel.launch import Backfill, Ramp, Scope, Training
from flowmodel.nodes import Node
from flowmodel.quality import Accuracy, GroundTruth, Split, TruthSplit, band_figures

EXAMPLES_FOLDER = Path(__file__).resolve().parent
NAMESPACE = uuid.UUID("6f1c2a8e-3b9d-5e47-9a0c-2d7f4b1e8c35")
LAYER_WIDTH = 340.0
ROW_HEIGHT = 150.0

#: User reports by local hour (0–23): quiet at night, rising through the day, peaking in the evening.
REPORTS_BY_HOUR = [0.55, 0.45, 0.4, 0.35, 0.35, 0.4, 0.55, 0.75, 0.9, 1.0, 1.05, 1.1,
                   1.15, 1.15, 1.1, 1.1, 1.15, 1.25, 1.35, 1.45, 1.5, 1.4, 1.1, 0.8]
#: Relative volume by weekday (Mon–Sun): people report more at the weekend.
REPORTS_BY_WEEKDAY = [1.0, 0.97, 0.97, 1.0, 1.05, 1.15, 1.1]
#: Proactive detection follows posting volume, flatter than reports.
DETECTION_BY_HOUR = [0.7, 0.6, 0.55, 0.5, 0.5, 0.55, 0.7, 0.85, 0.95, 1.05, 1.1, 1.15,
                     1.2, 1.2, 1.15, 1.15, 1.15, 1.2, 1.25, 1.3, 1.3, 1.25, 1.05, 0.85]

#: The hate-speech example's policy as a static what-if (every change for the whole run), beside its launch plan.
STATIC_HATE_SPEECH = "Hate-speech definition widens, all at once"

SLA_BY_PRIORITY = [SlaTarget("P0", 1, "h", 0.95), SlaTarget("P1", 4, "h", 0.9), SlaTarget("P2", 24, "h", 0.9)]


def weekly(by_hour: list[float], by_weekday: list[float]) -> ArrivalProfile:
    """168 hourly multipliers, Monday 00:00 first."""
    return ArrivalProfile("weekly", [round(day * hour, 4) for day in by_weekday for hour in by_hour])


def mix(*cells: tuple[str, str, str, float]) -> list[MixEntry]:
    return [MixEntry(category, language, priority, share) for category, language, priority, share in cells]


def lognormal(mean: float, sd: float, unit: TimeUnit = "s") -> Distribution:
    return Distribution.lognormal(mean, sd, unit)


class ExampleBuilder:
    """Adds nodes at grid positions and gives everything an id derived from the example and its name."""

    def __init__(self, slug: str, name: str, description: str) -> None:
        self.slug = slug
        self.workflow = Workflow(name=name, id=self.uid("workflow"), description=description)

    def uid(self, *parts: str) -> str:
        return uuid.uuid5(NAMESPACE, "/".join((self.slug, *parts))).hex

    def node(self, node: Node, layer: int, row: float) -> Node:
        node.id = self.uid("node", node.name)
        node.x, node.y = layer * LAYER_WIDTH, row * ROW_HEIGHT
        return self.workflow.add_node(node)

    def edge(self, source: Node, target: Node, label: str = "", probability: float | None = None, *,
             probability_by_category: dict[str, float] | None = None, condition: Condition | None = None) -> Edge:
        edge = Edge(source.id, target.id, self.uid("edge", source.name, target.name, label), label=label,
                    probability=probability, probability_by_category=dict(probability_by_category or {}),
                    condition=condition)
        return self.workflow.add_edge(edge)

    def team(self, team: Team, stages: list[Node]) -> Team:
        team.id = self.uid("team", team.name)
        team.stages = [stage.id for stage in stages]
        return self.workflow.add_team(team)

    def scenario(self, name: str, description: str, changes: list[Change], *, launch: str = "",
                 backfills: list[Backfill] | None = None, trainings: list[Training] | None = None) -> Scenario:
        """A scenario; with ``launch``, backfills or trainings (or timed changes) it is a launch plan."""
        for part in [*(backfills or []), *(trainings or [])]:
            part.id = self.uid("scenario", name, type(part).__name__.lower(), part.name)
        scenario = Scenario(name, self.uid("scenario", name), description, changes, launch=launch,
                            backfills=list(backfills or []), trainings=list(trainings or []))
        self.workflow.put_scenario(scenario)
        return scenario


def user_report_triage() -> Workflow:
    """Reports → classifier (auto-action / auto-close / human review) → tier 1 → specialists → outcomes."""
    b = ExampleBuilder("user_report_triage", "User report triage",
                       "User reports are screened by an ML classifier that auto-actions clear violations, "
                       "auto-closes clear non-violations and sends the rest to tier-1 review; tier 1 escalates "
                       "hard cases to a specialist tier, which can refer cases to legal.")
    reports = b.node(Source(
        name="User reports", rate_per_hour=1200.0, timezone="America/New_York",
        profile=weekly(REPORTS_BY_HOUR, REPORTS_BY_WEEKDAY),
        mix=mix(("spam", "en", "P2", 0.33), ("harassment", "en", "P1", 0.2), ("hate_speech", "en", "P1", 0.1),
                ("misinformation", "en", "P2", 0.15), ("violent_extremism", "en", "P0", 0.03),
                ("child_safety", "en", "P0", 0.02), ("other", "en", "P2", 0.17)),
        notes="Mean over the week; evenings and weekends are busier."), 0, 0)
    classifier = b.node(Classifier(name="Report classifier", latency=Distribution.fixed(2, "s")), 1, 0)
    auto_removed = b.node(Outcome(name="Auto-removed", label="removed"), 2, -2)
    auto_closed = b.node(Outcome(name="Auto-closed", label="kept"), 2, -1)
    tier1 = b.node(ReviewStage(
        name="Tier 1 review", discipline="priority", handle_time=lognormal(75, 50),
        handle_time_by_category={"harassment": lognormal(120, 70), "hate_speech": lognormal(150, 90),
                                 "misinformation": lognormal(180, 110), "violent_extremism": lognormal(200, 120),
                                 "child_safety": lognormal(240, 150)},
        sla=list(SLA_BY_PRIORITY), expiry=Distribution.fixed(5, "d"),
        notes="Reports not reviewed within 5 days are closed as expired."), 2, 1)
    removed = b.node(Outcome(name="Removed", label="removed"), 3, 0)
    kept = b.node(Outcome(name="Kept (no violation)", label="kept"), 3, 1)
    specialists = b.node(ReviewStage(
        name="Specialist review", discipline="earliest_deadline", handle_time=lognormal(10, 7, "min"),
        sla=[SlaTarget("P0", 4, "h", 0.95), SlaTarget("P1", 24, "h", 0.9), SlaTarget("P2", 72, "h", 0.9)]), 3, 2)
    spec_removed = b.node(Outcome(name="Removed by specialist", label="removed"), 4, 1)
    spec_kept = b.node(Outcome(name="Kept by specialist", label="kept"), 4, 2)
    legal = b.node(Outcome(name="Escalated to legal", label="escalated to legal"), 4, 3)
    b.edge(reports, classifier, probability=1.0)
    b.edge(classifier, auto_removed, "auto-action", 0.12,
           probability_by_category={"spam": 0.35, "child_safety": 0.2})
    b.edge(classifier, auto_closed, "auto-close", 0.28, probability_by_category={"spam": 0.3, "child_safety": 0.0})
    b.edge(classifier, tier1, "human review", 0.6, probability_by_category={"spam": 0.35, "child_safety": 0.8})
    b.edge(tier1, removed, "remove", 0.36)
    b.edge(tier1, kept, "keep", 0.59)
    b.edge(tier1, specialists, "escalate", 0.05)
    b.edge(specialists, spec_removed, "remove", 0.62)
    b.edge(specialists, spec_kept, "keep", 0.3)
    b.edge(specialists, legal, "legal referral", 0.08)
    b.team(Team(name="Tier 1 – New York", timezone="America/New_York", shrinkage=0.33, hourly_cost=32.0, shifts=[
        Shift("early", 6, 8, [39, 38, 38, 39, 41, 45, 43]),
        Shift("late", 14, 8, [53, 51, 51, 53, 55, 61, 58]),
        Shift("night", 22, 8, [22, 22, 22, 23, 25, 25, 23])]), [tier1])
    b.team(Team(name="Specialists – New York", timezone="America/New_York", shrinkage=0.35, hourly_cost=55.0,
                shifts=[Shift("day", 8, 8, [11, 11, 11, 11, 12, 13, 13]),
                        Shift("evening", 16, 8, [13, 13, 13, 13, 14, 15, 15]),
                        Shift("night", 0, 8, [5, 5, 5, 5, 5, 6, 6])]), [specialists])
    tier1_team = b.uid("team", "Tier 1 – New York")
    specialist_team = b.uid("team", "Specialists – New York")
    b.scenario("Election week surge",
               "Report volume +30 % in election week, misinformation takes 30 s longer to assess and tier 1 "
               "escalates 6 % instead of 5 %; both teams add overtime on every shift.",
               [Change(reports.id, "rate_per_hour", "scale", 1.3, "election-week volume"),
                Change(tier1.id, "handle_time_by_category.misinformation.mean", "add", 30.0,
                       "fact-checking takes longer"),
                Change(tier1.id, "route.escalate", "set", 0.06, "more borderline political content"),
                Change(tier1_team, "shifts.early.headcount", "add", 8, "overtime"),
                Change(tier1_team, "shifts.late.headcount", "add", 12, "overtime"),
                Change(tier1_team, "shifts.night.headcount", "add", 5, "overtime"),
                Change(specialist_team, "shifts.day.headcount", "add", 4, "overtime"),
                Change(specialist_team, "shifts.evening.headcount", "add", 5, "overtime"),
                Change(specialist_team, "shifts.night.headcount", "add", 2, "overtime")])
    return b.workflow


def hate_speech_policy_change() -> Workflow:
    """Hate-speech reports have their own source so that the policy change can scale just their volume."""
    b = ExampleBuilder("hate_speech_policy_change", "Hate-speech policy change",
                       "Reports arrive by category; hate-speech reports have their own source. Tier 1 reviews "
                       "everything with per-category handle times and escalates to policy specialists, who also "
                       "help tier 1 with hate speech when their own queue is empty.")
    hate = b.node(Source(
        name="Hate speech reports", rate_per_hour=180.0, timezone="America/Los_Angeles",
        profile=weekly(REPORTS_BY_HOUR, REPORTS_BY_WEEKDAY),
        mix=mix(("hate_speech", "en", "P1", 0.35), ("hate_speech", "en", "P2", 0.65))), 0, -1)
    other = b.node(Source(
        name="Other reports", rate_per_hour=520.0, timezone="America/Los_Angeles",
        profile=weekly(REPORTS_BY_HOUR, REPORTS_BY_WEEKDAY),
        mix=mix(("harassment", "en", "P1", 0.3), ("spam", "en", "P2", 0.35), ("misinformation", "en", "P2", 0.2),
                ("graphic_violence", "en", "P1", 0.15))), 0, 1)
    tier1 = b.node(ReviewStage(
        name="Tier 1 review", discipline="priority", handle_time=lognormal(90, 60),
        handle_time_by_category={"hate_speech": lognormal(160, 90), "harassment": lognormal(130, 80),
                                 "spam": lognormal(40, 25), "misinformation": lognormal(170, 100),
                                 "graphic_violence": lognormal(110, 70)},
        sla=[SlaTarget("P1", 4, "h", 0.9), SlaTarget("P2", 24, "h", 0.9)]), 1, 0)
    removed = b.node(Outcome(name="Removed", label="removed"), 2, -1)
    kept = b.node(Outcome(name="Kept", label="kept"), 2, 0)
    specialists = b.node(ReviewStage(
        name="Policy specialists", discipline="earliest_deadline", handle_time=lognormal(12, 8, "min"),
        sla=[SlaTarget("P1", 24, "h", 0.9), SlaTarget("P2", 72, "h", 0.9)]), 2, 1)
    spec_removed = b.node(Outcome(name="Removed by specialist", label="removed"), 3, 0)
    spec_kept = b.node(Outcome(name="Kept by specialist", label="kept"), 3, 1)
    policy = b.node(Outcome(name="Referred to policy team", label="policy clarification"), 3, 2)
    b.edge(hate, tier1, probability=1.0)
    b.edge(other, tier1, probability=1.0)
    b.edge(tier1, removed, "remove", 0.42)
    b.edge(tier1, kept, "keep", 0.53)
    b.edge(tier1, specialists, "escalate", 0.05)
    b.edge(specialists, spec_removed, "remove", 0.64)
    b.edge(specialists, spec_kept, "keep", 0.31)
    b.edge(specialists, policy, "policy clarification", 0.05)
    b.team(Team(name="Tier 1 – Los Angeles", timezone="America/Los_Angeles", shrinkage=0.32, hourly_cost=30.0,
                shifts=[Shift("early", 6, 8, [42, 41, 41, 42, 44, 48, 46]),
                        Shift("late", 14, 8, [56, 55, 55, 56, 59, 65, 62]),
                        Shift("night", 22, 8, [24, 23, 24, 25, 27, 27, 25])]), [tier1])
    b.team(Team(name="Policy specialists – Los Angeles", timezone="America/Los_Angeles", shrinkage=0.35,
                hourly_cost=52.0, categories=["hate_speech", "harassment", "graphic_violence", "misinformation",
                                              "spam"],
                shifts=[Shift("day", 8, 8, [15, 14, 14, 15, 16, 17, 16]),
                        Shift("evening", 16, 8, [17, 17, 17, 17, 18, 20, 19]),
                        Shift("night", 0, 8, [7, 6, 6, 7, 7, 8, 7])]), [specialists, tier1])
    b.scenario("Hate-speech definition widens",
               "The wider definition goes live on Thursday 8 January at 08:00 Los Angeles time: from then "
               "hate-speech report volume is 25 % higher and tier 1 escalates 8 % of reports instead of 5 %; each "
               "hate-speech review takes 40 s longer at launch, easing to 15 s longer over the following week as "
               "reviewers learn the new checklist.",
               [Change(hate.id, "rate_per_hour", "scale", 1.25, "more content in scope", start="launch"),
                Change(tier1.id, "handle_time_by_category.hate_speech.mean", "add", 15.0, "longer checklist",
                       start="launch", ramp=Ramp(launch_value=40.0, shape="linear", hours=168.0)),
                Change(tier1.id, "route.escalate", "set", 0.08, "more borderline cases", start="launch")],
               launch="2026-01-08 16:00")
    b.scenario(STATIC_HATE_SPEECH,
               "The same policy as if it held from the first hour with no learning: hate-speech report volume "
               "+25 %, each hate-speech review 40 s longer, and tier 1 escalating 8 % of reports instead of 5 %.",
               [Change(hate.id, "rate_per_hour", "scale", 1.25, "more content in scope"),
                Change(tier1.id, "handle_time_by_category.hate_speech.mean", "add", 40.0, "longer checklist"),
                Change(tier1.id, "route.escalate", "set", 0.08, "more borderline cases")])
    return b.workflow


def follow_the_sun_multilingual() -> Workflow:
    """EN/ES/PT/ZH reports routed by language to teams in three time zones that hand over around the clock."""
    b = ExampleBuilder("follow_the_sun_multilingual", "Follow-the-sun multilingual review",
                       "Reports from the Americas and Asia-Pacific are routed by language. Teams in Singapore, "
                       "Dublin and Mexico City each work two 8-hour shifts in their own time zone, so every "
                       "language except Chinese is covered around the clock; Chinese reports that arrive during "
                       "the Singapore night wait for the morning shift, so the ZH stage states its P1 target on "
                       "the wait: 90 % picked up within 4 h of arrival.")
    americas = b.node(Source(
        name="Americas reports", rate_per_hour=600.0, timezone="America/Sao_Paulo",
        profile=weekly(REPORTS_BY_HOUR, REPORTS_BY_WEEKDAY),
        mix=mix(("user_report", "en", "P1", 0.07), ("user_report", "en", "P2", 0.28),
                ("user_report", "es", "P1", 0.07), ("user_report", "es", "P2", 0.28),
                ("user_report", "pt", "P1", 0.06), ("user_report", "pt", "P2", 0.24))), 0, -1)
    apac = b.node(Source(
        name="APAC reports", rate_per_hour=400.0, timezone="Asia/Singapore",
        profile=weekly(REPORTS_BY_HOUR, REPORTS_BY_WEEKDAY),
        mix=mix(("user_report", "en", "P1", 0.06), ("user_report", "en", "P2", 0.24),
                ("user_report", "zh", "P1", 0.14), ("user_report", "zh", "P2", 0.56))), 0, 1)
    router = b.node(Router(name="Language router", mode="attribute", attribute="language"), 1, 0)
    sla = [SlaTarget("P1", 4, "h", 0.9), SlaTarget("P2", 24, "h", 0.9)]
    stages = {language: b.node(ReviewStage(name=f"{language.upper()} review", discipline="priority",
                                           handle_time=lognormal(seconds, seconds * 0.6), sla=list(sla)), 2, row)
              for language, seconds, row in (("en", 100, -1.5), ("es", 110, -0.5), ("pt", 110, 0.5),
                                             ("zh", 120, 1.5))}
    stages["zh"].sla[0] = SlaTarget("P1", 4, "h", 0.9, clock="wait")  # picked up within 4 h, nights included
    removed = b.node(Outcome(name="Removed", label="removed"), 3, -0.5)
    kept = b.node(Outcome(name="Kept", label="kept"), 3, 0.5)
    b.edge(americas, router, probability=1.0)
    b.edge(apac, router, probability=1.0)
    for language, stage in stages.items():
        b.edge(router, stage, language.upper(), condition=Condition("language", [language]))
        b.edge(stage, removed, "remove", 0.35)
        b.edge(stage, kept, "keep", 0.65)
    en, es, pt, zh = (stages[language] for language in ("en", "es", "pt", "zh"))
    b.team(Team(name="Singapore EN/ZH", timezone="Asia/Singapore", languages=["en", "zh"], shrinkage=0.3,
                hourly_cost=18.0, shifts=[Shift("day", 7, 8, [34, 33, 33, 34, 35, 38, 37]),
                                          Shift("evening", 15, 8, [27, 26, 26, 27, 28, 31, 30])]), [zh, en])
    b.team(Team(name="Dublin EN/ES/PT", timezone="Europe/Dublin", languages=["en", "es", "pt"], shrinkage=0.33,
                hourly_cost=34.0, shifts=[Shift("day", 7, 8, [29, 29, 29, 29, 31, 34, 32]),
                                          Shift("late", 15, 8, [18, 18, 18, 19, 20, 21, 20])]), [en, pt, es])
    mexico = b.team(Team(name="Mexico City ES/PT/EN", timezone="America/Mexico_City", languages=["es", "pt", "en"],
                         shrinkage=0.3, hourly_cost=20.0,
                         shifts=[Shift("day", 9, 8, [19, 19, 19, 20, 21, 29, 28]),
                                 Shift("night", 17, 8, [25, 25, 25, 26, 28, 29, 27])]), [es, pt, en])
    b.scenario("Add 5 ES reviewers on weekday days",
               "Five more Spanish-speaking reviewers join the Mexico City day shift, Monday to Friday.",
               [Change(mexico.id, "shifts.day.headcount", "set", [24, 24, 24, 25, 26, 29, 28],
                       "+5 on weekdays; weekends unchanged")])
    return b.workflow


#: Share of flagged items that truly violate, per category: spam flags are mostly right, terrorism flags mostly
#: are not (people flag news and commentary about attacks), the others in between.
FLAGGED_PREVALENCE = {"spam": 0.7, "nudity": 0.45, "hate_speech": 0.35, "violence": 0.4, "terrorism": 0.1}
#: Views per hour of a violating flagged item while it is up, per category (exposure in views).
FLAGGED_VIEWS_PER_HOUR = {"spam": 20.0, "nudity": 180.0, "hate_speech": 120.0, "violence": 240.0, "terrorism": 90.0}
#: A classifier version by its error: per band, (P(band | violating), P(band | benign)); "" is the default (nudity
#: and violence, the image and video models), the other keys are the categories that differ from it.
ClassifierBands = dict[str, dict[str, tuple[float, float]]]
CLASSIFIER_V1: ClassifierBands = {
    "auto-action": {"": (0.4, 0.02), "spam": (0.5, 0.03), "hate_speech": (0.22, 0.02), "terrorism": (0.3, 0.005)},
    "human review": {"": (0.55, 0.5), "spam": (0.45, 0.37), "hate_speech": (0.72, 0.55), "terrorism": (0.68, 0.6)},
    "auto-close": {"": (0.05, 0.48), "spam": (0.05, 0.6), "hate_speech": (0.06, 0.43), "terrorism": (0.02, 0.395)},
}
#: Version 2 takes more violating items into auto-action (higher recall) and more benign ones with them (lower
#: precision), all from human review; its auto-close band is version 1's.
CLASSIFIER_V2: ClassifierBands = {
    "auto-action": {"": (0.55, 0.045), "spam": (0.65, 0.06), "hate_speech": (0.36, 0.05), "terrorism": (0.45, 0.015)},
    "human review": {"": (0.4, 0.475), "spam": (0.3, 0.34), "hate_speech": (0.58, 0.52), "terrorism": (0.53, 0.59)},
    "auto-close": CLASSIFIER_V1["auto-close"],
}
CLASSIFIER_DECISIONS = {"auto-action": "remove", "human review": "", "auto-close": "keep"}


def band_by_truth(shares: dict[str, tuple[float, float]]) -> TruthSplit:
    return TruthSplit(*shares[""], by_category={c: Split(*pair) for c, pair in shares.items() if c})


def model_card(bands: ClassifierBands) -> str:
    """A classifier version's auto-action recall and precision per category at the flagged prevalence
    (:func:`flowmodel.quality.band_figures`), and the share of violating items it auto-closes."""
    parts = []
    for category, prevalence in FLAGGED_PREVALENCE.items():
        by_truth = {band: band_by_truth(shares).for_category(category) for band, shares in bands.items()}
        recall, precision = band_figures(prevalence, by_truth["auto-action"])
        missed, _ = band_figures(prevalence, by_truth["auto-close"])
        parts.append(f"{category} {recall:.0%} recall at {precision:.1%} precision ({missed:.0%} auto-closed)")
    return "Auto-action per category: " + "; ".join(parts) + "."


def bands_v2_changes(edges: dict[str, Edge]) -> list[Change]:
    """The scenario changes that turn version 1's bands into version 2's (each band's violating and benign share,
    the default and each category that differs)."""
    changes = []
    for band in ("auto-action", "human review"):
        for category, (violating, benign) in CLASSIFIER_V2[band].items():
            path = f"by_truth.by_category.{category}" if category else "by_truth"
            who = category or "nudity, violence"
            changes += [Change(edges[band].id, f"{path}.violating", "set", violating, f"v2, violating {who}"),
                        Change(edges[band].id, f"{path}.benign", "set", benign, f"v2, benign {who}")]
    return changes


def classifier_rollout_appeals() -> Workflow:
    """Flagged content with ground truth → a classifier given by its error per band → human review by accuracy
    (5 % re-reviewed by QA) → removals appealed by whether they were right → appeal review by its own accuracy."""
    b = ExampleBuilder("classifier_rollout_appeals", "Classifier rollout and appeals",
                       "Flagged content goes through a classifier that auto-removes, auto-closes or sends items to "
                       "human review. Each item truly violates or not (prevalence per category); the classifier is "
                       "stated by its error per band and the moderators by their accuracy, so wrongful removals, "
                       "missed violations, appeals and overturns follow. Wrongful removals are appealed far more "
                       "often than right ones; the appeals team upholds, overturns, or sends the item back to "
                       "human review for a second look. QA re-reviews 5 % of human decisions; moderators review "
                       "graphic violence for at most 2 h a shift-day.")
    flagged = b.node(Source(
        name="Flagged content", rate_per_hour=900.0, timezone="Europe/Dublin",
        profile=weekly(DETECTION_BY_HOUR, [1.0, 1.0, 1.0, 1.0, 1.05, 1.1, 1.05]),
        mix=mix(("spam", "en", "P2", 0.4), ("nudity", "en", "P2", 0.25), ("hate_speech", "en", "P1", 0.15),
                ("violence", "en", "P1", 0.15), ("terrorism", "en", "P0", 0.05)),
        truth=GroundTruth(by_category=dict(FLAGGED_PREVALENCE), views_by_category=dict(FLAGGED_VIEWS_PER_HOUR)),
        notes="User reports and proactive detection together. Share that truly violates: spam 70 %, nudity 45 %, "
              "hate speech 35 %, violence 40 %, terrorism 10 %."), 0, 0)
    classifier = b.node(Classifier(name="Content classifier", latency=Distribution.uniform(0.5, 3, "s"),
                                   notes="Version 1 in the baseline. " + model_card(CLASSIFIER_V1)), 1, 0)
    auto_appeals = b.node(Router(name="Auto-removal appealed?", mode="probability"), 2, -1.5)
    auto_closed = b.node(Outcome(name="Auto-closed", label="kept"), 2, -0.5)
    review = b.node(ReviewStage(
        name="Human review", discipline="priority", handle_time=lognormal(2.5, 1.5, "min"),
        handle_time_by_category={"spam": lognormal(50, 30), "terrorism": lognormal(6, 4, "min")},
        sla=list(SLA_BY_PRIORITY), qa_share=0.05,
        notes="Decides remove or keep by the moderators' accuracy; 5 % of its decisions go to QA review. A "
              "moderator reviews graphic violence for at most 2 h a shift-day (wellness cap), then other work."), 2, 1)
    auto_removed = b.node(Outcome(name="Removed (automated)", label="removed"), 3, -2.5)
    review_appeals = b.node(Router(name="Removal appealed?", mode="probability"), 3, 1.5)
    kept = b.node(Outcome(name="Kept", label="kept"), 3, 0.5)
    qa = b.node(ReviewStage(
        name="QA review", discipline="fifo", handle_time=lognormal(6, 3, "min"), accuracy=Accuracy(0.97, 0.97),
        notes="Re-reviews a 5 % sample of human-review decisions; changes nothing, counts disagreements."), 3, 3)
    review.qa_stage = qa.id
    removed = b.node(Outcome(name="Removed", label="removed"), 4, 2.5)
    window = b.node(Delay(name="Appeal window", duration=lognormal(1.5, 1.2, "d"),
                          notes="Time from removal until the user appeals."), 4, -0.5)
    appeals = b.node(ReviewStage(
        name="Appeal review", discipline="fifo", handle_time=lognormal(8, 5, "min"), accuracy=Accuracy(0.95, 0.92),
        sla=[SlaTarget("P0", 3, "d", 0.9), SlaTarget("P1", 7, "d", 0.9), SlaTarget("P2", 7, "d", 0.9)],
        notes="The SLA clock runs from the content's creation, so it includes the appeal window. Upholds 95 % of "
              "right removals and overturns 92 % of wrongful ones."), 5, -0.5)
    upheld = b.node(Outcome(name="Removal upheld", label="upheld"), 6, -1)
    overturned = b.node(Outcome(name="Overturned (restored)", label="overturned"), 6, 0)
    b.edge(flagged, classifier, probability=1.0)
    bands = {"auto-action": b.edge(classifier, auto_appeals, "auto-action"),
             "auto-close": b.edge(classifier, auto_closed, "auto-close"),
             "human review": b.edge(classifier, review, "human review")}
    for band, edge in bands.items():
        edge.by_truth, edge.decision = band_by_truth(CLASSIFIER_V1[band]), CLASSIFIER_DECISIONS[band]
    appealed = [b.edge(auto_appeals, window, "appealed"), b.edge(auto_appeals, auto_removed, "not appealed"),
                b.edge(review_appeals, window, "appealed"), b.edge(review_appeals, removed, "not appealed")]
    for edge, (violating, benign) in zip(appealed, [(0.04, 0.45), (0.96, 0.55), (0.03, 0.4), (0.97, 0.6)], strict=True):
        edge.by_truth = TruthSplit(violating, benign)
    b.edge(review, review_appeals, "remove").decision = "remove"
    b.edge(review, kept, "keep").decision = "keep"
    b.edge(window, appeals, probability=1.0)
    b.edge(appeals, upheld, "upheld").decision = "remove"
    b.edge(appeals, overturned, "overturned").decision = "keep"
    b.edge(appeals, review, "second look", 0.05)
    b.team(Team(name="Moderators – Dublin", timezone="Europe/Dublin", shrinkage=0.32, hourly_cost=28.0, shifts=[
        Shift("early", 6, 8, [30, 30, 30, 30, 31, 33, 31]),
        Shift("late", 14, 8, [36, 36, 36, 36, 38, 40, 38]),
        Shift("night", 22, 8, [20, 20, 20, 20, 21, 22, 21])],
        accuracy=Accuracy(0.94, 0.96), accuracy_by_category={
            "spam": Accuracy(0.97, 0.98), "hate_speech": Accuracy(0.86, 0.9), "terrorism": Accuracy(0.96, 0.94)},
        wellness_caps={"violence": 2.0}), [review])
    b.team(Team(name="QA – Dublin", timezone="Europe/Dublin", shrinkage=0.25, hourly_cost=34.0, shifts=[
        Shift("early", 6, 8, [4] * 7), Shift("late", 14, 8, [5] * 7), Shift("night", 22, 8, [3] * 7)]), [qa])
    b.team(Team(name="Appeals – Lisbon", timezone="Europe/Lisbon", shrinkage=0.3, hourly_cost=30.0, shifts=[
        Shift("day", 8, 8, [11, 11, 11, 11, 11, 9, 9]),
        Shift("evening", 16, 8, [8, 8, 8, 8, 8, 7, 7])]), [appeals])
    b.scenario("Classifier v2 rollout",
               "Version 2 auto-actions more violating content (higher recall) and more benign content with it (lower "
               "precision), taking both from human review; auto-close is unchanged. " + model_card(CLASSIFIER_V2),
               bands_v2_changes(bands))
    return b.workflow


def market_shifts(start: int, early: int, late: int, night: int, weekend: float = 1.1) -> list[Shift]:
    """Three 8-hour shifts round the clock, following the reports' profile (busiest late), a little more at the
    weekend, when people report more."""
    def week(count: int) -> list[int]:
        return [count] * 5 + [round(count * weekend)] * 2

    return [Shift("early", start, 8, week(early)), Shift("late", (start + 8) % 24, 8, week(late)),
            Shift("night", (start + 16) % 24, 8, week(night))]


def policy_launch_plan() -> Workflow:
    """A hate-speech policy launched market by market: EN in week 1, ES and PT in week 2 (see the scenario)."""
    b = ExampleBuilder("policy_launch_plan", "Hate-speech policy launch (EN, ES, PT)",
                       "User reports from English-, Spanish- and Portuguese-speaking markets go to one policy review "
                       "stage, worked by a team per language (Austin, Mexico City, São Paulo); removals can be "
                       "appealed. The scenario is the launch plan of a wider hate-speech policy: a baseline week, "
                       "then the EN markets, then ES and PT a week later, with training, overtime, a re-review of "
                       "existing reports and the appeals that follow.")
    b.workflow.run_settings = RunSettings(horizon_hours=42 * 24.0, warmup_hours=24.0, replications=3, seed=1,
                                          start_date="2026-01-05")
    cells = []
    for language, share in (("en", 0.5), ("es", 0.3), ("pt", 0.2)):
        cells += [("hate_speech", language, "P1", round(share * 0.3, 4)), ("harassment", language, "P1",
                                                                           round(share * 0.2, 4)),
                  ("spam", language, "P2", round(share * 0.5, 4))]
    reports = b.node(Source(name="User reports", rate_per_hour=600.0, timezone="America/New_York",
                            profile=weekly(REPORTS_BY_HOUR, REPORTS_BY_WEEKDAY), mix=mix(*cells)), 0, 0)
    review = b.node(ReviewStage(
        name="Policy review", discipline="priority", handle_time=lognormal(90, 55),
        handle_time_by_category={"hate_speech": lognormal(150, 90), "harassment": lognormal(120, 70),
                                 "spam": lognormal(45, 25), "hate_speech_rereview": lognormal(20, 10)},
        sla=[SlaTarget("P1", 4, "h", 0.9), SlaTarget("P2", 24, "h", 0.9)],
        notes="Re-reviews of existing reports (the launch's backfill) are P3: reviewed when live reports wait "
              "for nobody."), 1, 0)
    appealed = b.node(Router(name="Removal appealed?", mode="probability"), 2, -1)
    kept = b.node(Outcome(name="Kept", label="kept"), 2, 1)
    removed = b.node(Outcome(name="Removed", label="removed"), 3, -2)
    window = b.node(Delay(name="Appeal window", duration=lognormal(2, 1.5, "d"),
                          notes="Time from removal until the user appeals."), 3, -1)
    appeals = b.node(ReviewStage(
        name="Appeal review", discipline="fifo", handle_time=lognormal(10, 6, "min"),
        sla=[SlaTarget("P1", 7, "d", 0.9), SlaTarget("P2", 7, "d", 0.9)],
        notes="The SLA clock runs from the report's creation, so it includes the appeal window."), 4, -1)
    upheld = b.node(Outcome(name="Removal upheld", label="upheld"), 5, -1.5)
    overturned = b.node(Outcome(name="Overturned (restored)", label="overturned"), 5, -0.5)
    b.edge(reports, review, probability=1.0)
    b.edge(review, appealed, "remove", 0.4)
    b.edge(review, kept, "keep", 0.6)
    b.edge(appealed, window, "appealed", 0.06)
    b.edge(appealed, removed, "not appealed", 0.94)
    b.edge(window, appeals, probability=1.0)
    b.edge(appeals, upheld, "upheld", 0.7)
    b.edge(appeals, overturned, "overturned", 0.3)
    teams = {}
    for language, name, zone, start, (early, late, night), cost in (
            ("en", "EN team – Austin", "America/Chicago", 5, (14, 19, 8), 32.0),
            ("es", "ES team – Mexico City", "America/Mexico_City", 5, (8, 12, 5), 20.0),
            ("pt", "PT team – São Paulo", "America/Sao_Paulo", 8, (6, 7, 4), 19.0)):
        teams[language] = b.team(Team(name=name, timezone=zone, languages=[language], shrinkage=0.3,
                                      hourly_cost=cost, shifts=market_shifts(start, early, late, night)), [review])
    appeal_team = b.team(Team(name="Appeals – Miami", timezone="America/New_York", languages=["en", "es", "pt"],
                              shrinkage=0.3, hourly_cost=30.0, shifts=market_shifts(6, 5, 5, 3, weekend=1.0)),
                         [appeals])
    en, es_pt = Scope(categories=["hate_speech"], languages=["en"]), Scope(categories=["hate_speech"],
                                                                           languages=["es", "pt"])
    ease = Ramp(launch_value=40.0, shape="linear", hours=3 * 168.0)  # +40 s at launch, +10 s three weeks on
    b.scenario(
        "Hate-speech policy launch",
        "The wider hate-speech policy goes live in the EN markets on Monday 12 January at 09:00 New York time "
        "and in the ES and PT markets a week later. In each market hate-speech reports rise 15 %, and each "
        "review takes 40 s longer at launch, easing to 10 s longer over three weeks as reviewers learn the "
        "policy. Each team trains 3 h per person in its launch week and works overtime (more reviewers on the "
        "late shift) for three weeks. 150,000 existing hate-speech reports are re-reviewed over five days from "
        "the second launch; two weeks after the first launch, users appeal removals more often (6 % → 8 %) "
        "and the appeals team gets three more reviewers on its early and late shifts.",
        [Change(reports.id, "rate_per_hour", "scale", 1.15, "EN markets: more content in scope",
                start="launch", scope=copy.deepcopy(en)),
         Change(reports.id, "rate_per_hour", "scale", 1.15, "ES and PT markets: more content in scope",
                start="+7d", scope=copy.deepcopy(es_pt)),
         Change(review.id, "handle_time_by_category.hate_speech.mean", "add", 10.0, "EN: longer checklist",
                start="launch", ramp=copy.deepcopy(ease), scope=copy.deepcopy(en)),
         Change(review.id, "handle_time_by_category.hate_speech.mean", "add", 10.0, "ES and PT: longer checklist",
                start="+7d", ramp=copy.deepcopy(ease), scope=copy.deepcopy(es_pt)),
         Change(teams["en"].id, "shifts.late.headcount", "add", 3, "EN overtime", start="launch", end="+21d"),
         Change(teams["es"].id, "shifts.late.headcount", "add", 2, "ES overtime", start="+7d", end="+28d"),
         Change(teams["pt"].id, "shifts.late.headcount", "add", 1, "PT overtime", start="+7d", end="+28d"),
         Change(appealed.id, "route.appealed", "set", 0.08, "appeals under the new policy", start="+14d"),
         Change(appeal_team.id, "shifts.early.headcount", "add", 3, "appeals: three more on the early shift",
                start="+14d"),
         Change(appeal_team.id, "shifts.late.headcount", "add", 3, "appeals: three more on the late shift",
                start="+14d")],
        launch="2026-01-12 14:00",
        backfills=[Backfill(name="Re-review of reported hate speech", target=review.id, items=150_000,
                            mix=mix(("hate_speech_rereview", "en", "P3", 0.5), ("hate_speech_rereview", "es", "P3",
                                                                                 0.3),
                                    ("hate_speech_rereview", "pt", "P3", 0.2)),
                            start="+7d", spread_hours=5 * 24.0,
                            note="Existing reports checked against the new definition.")],
        trainings=[Training(name="EN policy training", team=teams["en"].id, hours_per_person=3.0, start="launch",
                            end="+5d"),
                   Training(name="ES policy training", team=teams["es"].id, hours_per_person=3.0, start="+7d",
                            end="+12d"),
                   Training(name="PT policy training", team=teams["pt"].id, hours_per_person=3.0, start="+7d",
                            end="+12d")])
    return b.workflow


EXAMPLES = (user_report_triage, hate_speech_policy_change, follow_the_sun_multilingual, classifier_rollout_appeals,
            policy_launch_plan)


def main(folder: Path = EXAMPLES_FOLDER) -> list[Path]:
    """Write every example into ``folder``; returns the paths written."""
    paths = []
    for build in EXAMPLES:
        path = folder / f"{build.__name__}.flow.json"
        write_workflow_json(build(), path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in main():
        print(f"wrote {written.name}")
