"""Findings are written from the numbers alone: exact sentences for hand-made results."""

from __future__ import annotations

import dataclasses

from flowmodel import RunSettings
from reports.comparison import StaffingTable, build_comparison
from reports.findings import write_findings
from simulations.analytic import StageEstimate
from simulations.results import MetricRecord, ReplicationResult
from simulations.runner import RunOptions, RunResult

POLICY = "Hate-speech definition widens"


def _replication(scenario: str, name: str, k: int, backlog: float, p90_s: float, busy: float) -> ReplicationResult:
    return ReplicationResult(scenario, name, k, 1, [
        MetricRecord("stage", "t1", "Tier 1 review", "backlog_end_count", backlog),
        MetricRecord("system", "system", "System", "time_to_decision_p90_s", p90_s),
        MetricRecord("system", "system", "System", "time_to_decision_mean_s", 600.0),
        MetricRecord("priority", "t1:P1", "Tier 1 review · P1", "sla_attainment_share", 0.95 if busy < 0.9 else 0.6),
        MetricRecord("priority", "t1:P1", "Tier 1 review · P1", "sla_target_share", 0.9),
        MetricRecord("priority", "t1:P1", "Tier 1 review · P1", "sla_within_s", 4 * 3600.0),
        MetricRecord("team", "la", "Tier 1 – LA", "utilisation_share", busy),
    ])


def _run(replications: int = 3) -> RunResult:
    results = []
    for k in range(replications):
        results.append(_replication("baseline", "Baseline", k, 10.0 + 2 * k, 1000.0 + k, 0.7 + k / 100))
        results.append(_replication("policy", POLICY, k, 1250.0 + 2 * k, 1340.0 + k, 0.97 + k / 100))
        results.append(_replication("same", "Same", k, 10.0 + 2 * k, 1000.0 + k, 0.7 + k / 100))
    documents = [{"id": "baseline", "name": "Baseline", "changes": []}, {"id": "policy", "name": POLICY,
                                                                         "changes": []},
                 {"id": "same", "name": "Same", "changes": []}]
    return RunResult.from_replications("w", "Moderation", RunOptions(RunSettings(replications=replications)),
                                       documents, results)


def test_clear_changes_are_stated_with_their_size_and_verdict():
    findings = write_findings(build_comparison(_run()))
    assert findings.general == ()
    policy, same = findings.by_scenario
    assert policy.points == (
        "Tier 1 review: end backlog +1,240 items (×104), clear.",
        "SLA missed at Tier 1 review · P1: 60 % on time against a target of 90 % within 4 h "
        "(Baseline: 95 %; −35 pp, clear).",
        "Time to decision: p90 16.7 min → 22.4 min (+34.0 %, clear).",
        "Tier 1 – LA is busy 98 % of its available time (reference 71 %): no slack left for a surge.",
        "No clear difference from 'Baseline': time to decision, mean (unchanged).",
    )
    assert policy.headlines == policy.points[:3]
    assert same.headlines == ("Backlog at the end: no clear difference from 'Baseline' at any stage.",)
    assert same.points[-1].startswith("No clear difference from 'Baseline': backlog at end: Tier 1 review "
                                      "(unchanged), SLA met: Tier 1 review · P1 (unchanged)")


def test_unbounded_growth_is_claimed_only_with_an_unstable_analytic_estimate():
    comparison = build_comparison(_run())
    estimate = StageEstimate("t1", "Tier 1 review", 700.0, 180.0, 35.0, 33.6, 33, 1.04, 1.0, float("inf"), False, ())
    unstable = dataclasses.replace(comparison, estimates={"policy": {"t1": estimate}})
    first = write_findings(unstable).by_scenario[0].points[0]
    assert first == ("Tier 1 review: the backlog grows without bound under 'Hate-speech definition widens' "
                     "(end backlog +1,240 items (×104), clear); the analytic estimate gives its reviewers 34.9 "
                     "reviewers' worth of work for 33 available.")


def test_one_replication_and_a_staffing_table_are_mentioned():
    staffing = StaffingTable("Staffing that meets every SLA", ("Team", "Shift", "Extra reviewers"),
                             (("Tier 1 – LA", "day", 6.0),), note="6 more Tier 1 reviewers on the day shift "
                                                                   "restore the 4 h SLA.")
    findings = write_findings(build_comparison(_run(1), staffing=staffing))
    assert findings.general[0].startswith("Only one replication was run, so there are no confidence intervals")
    assert findings.general[-1] == "Staffing: 6 more Tier 1 reviewers on the day shift restore the 4 h SLA."
    assert "n/a" in findings.by_scenario[0].points[0]


def test_hours_with_work_and_nobody_on_shift_are_named_from_the_interval_estimate():
    from pathlib import Path

    from flowmodel.jsonfile import read_workflow_json
    from simulations.analytic import stage_estimates

    examples = Path(__file__).resolve().parents[1] / "examples"
    workflow = read_workflow_json(examples / "follow_the_sun_multilingual.flow.json")
    comparison = dataclasses.replace(build_comparison(_run()), estimates={"baseline": stage_estimates(workflow)})
    assert write_findings(comparison).general == (
        "Under 'Baseline', the analytic estimate by hour finds work and nobody able to review it on shift at "
        "ZH review (56 h a week): those items wait for the next shift.",)
