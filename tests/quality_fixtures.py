"""A small decision-quality model for the results, comparison, CLI and export tests.

Reports (spam and hate, 40 % / 60 % violating, 30 views an hour while up) → a classifier given by its error per
band (auto-action removes, auto-close keeps, the rest goes to human review) → Review, deciding by the reviewers'
accuracy, 10 % of its decisions re-reviewed at QA → every removal may be appealed (a wrongful one far more often)
→ Appeal review upholds or overturns. Fixed ids, so the random streams and every figure are the same in every
build. The scenario "Classifier v2" widens auto-action (recall 0.5 → 0.7) at the cost of precision (benign items
auto-removed 2 % → 8 %): less human review, more wrongful removals, more appeals and overturns.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from flowmodel import (
    Change,
    Distribution,
    Edge,
    MixEntry,
    Outcome,
    ReviewStage,
    Scenario,
    Shift,
    Source,
    Team,
    Workflow,
)
from flowmodel.nodes import Classifier, Router
from flowmodel.quality import Accuracy, GroundTruth, TruthSplit
from flowmodel.workspace import Workspace
from simulations.executors import SerialExecutor
from simulations.persist import load_run_from_workspace, save_run_to_workspace
from simulations.results import MetricRecord
from simulations.runner import BASELINE_ID, RunResult, run_scenarios

V2 = "Classifier v2"
V2_ID = "classifier-v2"


def _all_day(count: int) -> list[Shift]:
    return [Shift(name="all day", start_hour=0, hours=24, headcount=[count] * 7)]


def quality_workflow() -> Workflow:
    """The model of the module docstring, and its scenario."""
    w = Workflow(name="Quality triage", id="quality-triage")
    mix = [MixEntry(category="spam", share=0.7), MixEntry(category="hate", share=0.3)]
    source = w.add_node(Source(name="Reports", id="reports", rate_per_hour=120.0, mix=mix,
                               truth=GroundTruth(0.6, {"spam": 0.4}, views_per_hour=30.0)))
    classifier = w.add_node(Classifier(name="Classifier", id="classifier"))
    review = w.add_node(ReviewStage(name="Review", id="review", handle_time=Distribution.exponential(2, "min"),
                                    qa_share=0.1, qa_stage="qa"))
    w.add_node(ReviewStage(name="QA", id="qa", handle_time=Distribution.exponential(2, "min")))
    appealed = w.add_node(Router(name="Appealed?", id="appealed"))
    appeal = w.add_node(ReviewStage(name="Appeal review", id="appeal", handle_time=Distribution.exponential(4, "min")))
    removed = w.add_node(Outcome(name="Removed", id="removed", label="removed"))
    kept = w.add_node(Outcome(name="Kept", id="kept", label="kept"))
    restored = w.add_node(Outcome(name="Restored", id="restored", label="restored"))
    w.add_edge(Edge(source.id, classifier.id, id="e-in", probability=1.0))
    w.add_edge(Edge(classifier.id, appealed.id, id="e-auto", label="auto-action", decision="remove",
                    by_truth=TruthSplit(0.5, 0.02)))
    w.add_edge(Edge(classifier.id, review.id, id="e-human", label="human review", by_truth=TruthSplit(0.45, 0.5)))
    w.add_edge(Edge(classifier.id, kept.id, id="e-close", label="auto-close", decision="keep",
                    by_truth=TruthSplit(0.05, 0.48)))
    w.add_edge(Edge(review.id, appealed.id, id="e-remove", label="remove", decision="remove"))
    w.add_edge(Edge(review.id, kept.id, id="e-keep", label="keep", decision="keep"))
    w.add_edge(Edge(appealed.id, appeal.id, id="e-appealed", label="appealed", by_truth=TruthSplit(0.03, 0.4)))
    w.add_edge(Edge(appealed.id, removed.id, id="e-stands", label="not appealed", by_truth=TruthSplit(0.97, 0.6)))
    w.add_edge(Edge(appeal.id, removed.id, id="e-upheld", label="upheld", decision="remove"))
    w.add_edge(Edge(appeal.id, restored.id, id="e-overturned", label="overturned", decision="keep"))
    w.add_team(Team(name="Reviewers", id="reviewers", shrinkage=0.0, stages=[review.id], shifts=_all_day(4),
                    accuracy=Accuracy(0.9, 0.95)))
    w.add_team(Team(name="QA team", id="qa-team", shrinkage=0.0, stages=["qa"], shifts=_all_day(1),
                    accuracy=Accuracy(0.97, 0.97)))
    w.add_team(Team(name="Appeals", id="appeals", shrinkage=0.0, stages=[appeal.id], shifts=_all_day(2),
                    accuracy=Accuracy(0.95, 0.9)))
    w.put_scenario(Scenario(name=V2, id=V2_ID, description="higher auto-action recall, lower precision", changes=[
        Change("e-auto", "by_truth.violating", "set", 0.7), Change("e-auto", "by_truth.benign", "set", 0.08),
        Change("e-human", "by_truth.violating", "set", 0.25), Change("e-human", "by_truth.benign", "set", 0.44)]))
    return w


def quality_settings(workflow: Workflow, replications: int = 3, hours: float = 24.0):
    return dataclasses.replace(workflow.run_settings, horizon_hours=hours, warmup_hours=2.0,
                               replications=replications, seed=5, interval_minutes=60.0)


def quality_run(workflow: Workflow | None = None, replications: int = 3, hours: float = 24.0,
                scenarios: tuple[str, ...] = (BASELINE_ID, V2_ID)) -> RunResult:
    """The baseline and Classifier v2, in-process."""
    workflow = workflow if workflow is not None else quality_workflow()
    return run_scenarios(workflow, list(scenarios), quality_settings(workflow, replications, hours),
                         executor=SerialExecutor())


def stored_quality_run(folder: Path, replications: int = 3) -> tuple[Workflow, str, RunResult]:
    """The run stored in a new workspace in ``folder`` and loaded back (exports read what a workspace holds)."""
    workflow = quality_workflow()
    fresh = quality_run(workflow, replications)
    path = folder / "quality.flowdb"
    with Workspace.create(path) as workspace:
        workspace.save_workflow(workflow)
        run_id = save_run_to_workspace(workspace, workflow, fresh)
        return workflow, run_id, load_run_from_workspace(workspace, run_id)


def with_wellness(run: RunResult) -> RunResult:
    """``run`` with wellness records of the shape the engine writes (``wellness`` · ``<team id>:<category>``,
    named ``<team> · <category>``), made up from the replication index: the views and exports are tested on them
    before a wellness-capped model is (replication k: hours a day 2 + k mean, 3 + k p90, 4 + k max; capped 10 k %)."""
    replications = []
    for result in run.replications:
        k = float(result.replication)
        extra = [MetricRecord("wellness", f"reviewers:{category}", f"Reviewers · {category}", metric, value)
                 for category in ("hate", "spam")
                 for metric, value in (("reviewer_days_count", 4.0), ("hours_per_day_mean_h", 2.0 + k),
                                       ("hours_per_day_p90_h", 3.0 + k), ("hours_per_day_max_h", 4.0 + k),
                                       ("capped_share", 0.1 * k))]
        replications.append(dataclasses.replace(result, metrics=[*result.metrics, *extra]))
    return RunResult.from_replications(run.workflow_id, run.workflow_name, run.options, run.scenarios, replications)
