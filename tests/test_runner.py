"""Running scenarios side by side: common random numbers, paired deltas, settings and scenario checks."""

from __future__ import annotations

import pytest

from flowmodel import Change, RunSettings, Scenario
from flowmodel.errors import ModelError
from simulations.executors import SerialExecutor
from simulations.runner import BASELINE_ID, RunOptions, run_scenarios
from simulations.spec import SimulationError
from tests.conftest import make_triage_workflow

SETTINGS = RunSettings(horizon_hours=48.0, warmup_hours=4.0, replications=4, seed=3)


def _with_scenarios():
    workflow = make_triage_workflow()
    tier1 = workflow.node_by_name("Tier 1")
    same = Scenario(name="No change")
    slower = Scenario(name="Slower review", changes=[Change(tier1.id, "handle_time.mean", "scale", 1.2)])
    workflow.put_scenario(same)
    workflow.put_scenario(slower)
    return workflow, same, slower


def test_a_scenario_without_changes_has_exactly_zero_deltas() -> None:
    workflow, same, _ = _with_scenarios()
    run = run_scenarios(workflow, [None, same.id], SETTINGS, executor=SerialExecutor())
    assert run.baseline_id == BASELINE_ID
    assert len(run.replications) == 2 * SETTINGS.replications
    deltas = [d for d in run.deltas if d.scenario_id == same.id]
    assert deltas and all(d.delta_mean == 0.0 and d.half_width == 0.0 and not d.clear for d in deltas)
    baseline = [r for r in run.replications if r.scenario_id == BASELINE_ID]
    unchanged = [r for r in run.replications if r.scenario_id == same.id]
    assert [r.metrics for r in baseline] == [r.metrics for r in unchanged]


def test_a_slower_stage_gives_a_clear_paired_delta() -> None:
    workflow, _, slower = _with_scenarios()
    run = run_scenarios(workflow, [None, slower.id], SETTINGS, executor=SerialExecutor())
    handle = next(d for d in run.deltas if d.scope_kind == "stage" and d.metric == "handle_time_mean_s")
    assert handle.delta_mean == pytest.approx(60.0, rel=0.15)
    assert handle.clear and handle.relative_delta == pytest.approx(0.2, rel=0.15)
    base = run.summary(BASELINE_ID, "stage", "Tier 1", "handle_time_mean_s")
    other = run.summary(slower.id, "stage", "Tier 1", "handle_time_mean_s")
    assert handle.delta_mean == pytest.approx(other.mean - base.mean)
    # Arrivals use the sources' own streams, so they do not move with a change at a stage.
    arrivals = next(d for d in run.deltas if d.scope_kind == "source" and d.metric == "arrivals_count")
    assert arrivals.delta_mean == 0.0


def test_baseline_only_and_settings_from_the_workflow() -> None:
    workflow = make_triage_workflow()
    workflow.run_settings = RunSettings(horizon_hours=12.0, warmup_hours=1.0, replications=2, seed=5)
    run = run_scenarios(workflow, None, executor=SerialExecutor())
    assert run.options.settings.replications == 2
    assert [s["id"] for s in run.scenarios] == [BASELINE_ID]
    assert run.deltas == []
    created = run.summary(BASELINE_ID, "system", "System", "created_count")
    assert created.n == 2 and created.mean > 0


def test_unknown_or_repeated_scenarios_are_refused() -> None:
    workflow, same, _ = _with_scenarios()
    with pytest.raises(ModelError, match="no scenario"):
        run_scenarios(workflow, [None, "nope"], SETTINGS, executor=SerialExecutor())
    with pytest.raises(ModelError, match="twice"):
        run_scenarios(workflow, [None, same.id, same.id], SETTINGS, executor=SerialExecutor())


def test_an_invalid_scenario_fails_before_anything_runs() -> None:
    workflow = make_triage_workflow()
    broken = Scenario(name="Broken", changes=[Change("missing-node", "rate_per_hour", "set", 5.0)])
    workflow.put_scenario(broken)
    with pytest.raises(SimulationError):
        run_scenarios(workflow, [None, broken.id], SETTINGS, executor=SerialExecutor())


def test_run_options_round_trip_through_plain_data() -> None:
    options = RunOptions(SETTINGS, arrival_limit=500, drain=True)
    assert RunOptions.from_dict(options.to_dict()) == options
    assert options.to_dict()["arrival_limit"] == 500 and options.to_dict()["horizon_hours"] == 48.0


def test_a_watched_run_reports_the_replications_finished_so_far(monkeypatch) -> None:
    """While a run goes on, the run so far arrives aggregated like a finished one, growing, never the last."""
    import simulations.runner as runner_module
    from flowmodel import Distribution, Edge, Outcome, ReviewStage, RunSettings, Shift, Source, Team, Workflow
    from simulations.executors import SerialExecutor

    monkeypatch.setattr(runner_module, "PARTIAL_EVERY_S", 0.0)
    workflow = Workflow(name="Watched", id="watched")
    source = workflow.add_node(Source(name="Reports", id="src", rate_per_hour=30.0))
    stage = workflow.add_node(ReviewStage(name="Review", id="review", handle_time=Distribution.exponential(5, "min")))
    done = workflow.add_node(Outcome(name="Done", id="done"))
    workflow.add_edge(Edge(source.id, stage.id, id="a", probability=1.0))
    workflow.add_edge(Edge(stage.id, done.id, id="b", probability=1.0))
    workflow.add_team(Team(name="Team", id="team", shrinkage=0.0, stages=[stage.id],
                           shifts=[Shift("all day", 0, 24, [4] * 7)]))
    seen = []
    final = runner_module.run_scenarios(workflow, [None], RunSettings(horizon_hours=12, warmup_hours=1,
                                                                     replications=4, seed=2),
                                        executor=SerialExecutor(), on_partial=seen.append)
    assert [len(p.replications) for p in seen] == [1, 2, 3]
    assert [r.metrics for r in seen[-1].replications] == [r.metrics for r in final.replications[:3]]
    partial_wait = seen[0].summary(final.baseline_id, "stage", "Review", "wait_mean_s")
    assert partial_wait.n == 1 and partial_wait.mean == final.replications[0].metric("stage", "Review", "wait_mean_s")
