"""Launch plans in the engine: exact traces on tiny models (simulations.launch_plan, launch_runtime,
launch_capacity, daily_sla, launch_metrics)."""

from __future__ import annotations

import math

import pytest

from flowmodel import Distribution, MixEntry, SlaTarget
from flowmodel.errors import ModelError
from flowmodel.launch import Backfill, Ramp, Scope, Training
from flowmodel.scenarios import Change, Scenario
from simulations.collect import collect
from simulations.engine import Replication, run_replication
from simulations.executors import DaskExecutor, ProcessPoolExecutor, SerialExecutor
from simulations.runner import run_scenarios
from simulations.spec import SimulationError, _with_launch, compile_run
from tests.engine_models import settings, single_stage

HOUR = 3600.0
FIXED_MINUTE = Distribution(kind="fixed", mean=60.0, unit="s")


def traced(spec, replication: int = 0):
    """Run one replication, recording (kind, time, item number, class, drawn handle time) per event."""
    run = Replication(spec, replication)
    events: list[tuple[str, float, int, int, float]] = []
    run.trace = lambda kind, t, item, place, team: events.append(
        (kind, t, item.number, item.cls, getattr(item, "service", math.nan)))
    end = run.run(None, None)
    return run, collect(run, end), events


def plan(*changes: Change, **fields) -> Scenario:
    return Scenario(name="Launch", id="launch", changes=list(changes), **fields)


def fed(*changes: Change, **fields) -> Scenario:
    """A plan whose only items are its backfills: the source (which validation needs above 0) is switched off
    from before the run's start by a timed change."""
    return plan(Change("reports", "rate_per_hour", "set", 0.0, start="-1h"), *changes, **fields)


def test_a_rate_change_takes_effect_at_its_instant():
    workflow = single_stage(120.0, FIXED_MINUTE, 50)
    scenario = plan(Change("reports", "rate_per_hour", "set", 0.0, start="+5h"))
    spec = compile_run(workflow, scenario, settings(10))
    table = spec.nodes[0].rates
    assert table.times == (0.0, 5 * HOUR) and table.rates == (120.0 / HOUR, 0.0)
    _, _, events = traced(spec)
    arrivals = [t for kind, t, *_ in events if kind == "arrive"]
    assert arrivals and max(arrivals) < 5 * HOUR
    assert max(arrivals) > 4.9 * HOUR  # 600 arrivals expected before it: the last one is close to the change


def test_a_scaled_rate_keeps_the_arrival_stream_aligned_before_the_change():
    workflow = single_stage(60.0, FIXED_MINUTE, 50)
    base = compile_run(workflow, None, settings(10))
    later = compile_run(workflow, plan(Change("reports", "rate_per_hour", "scale", 2.0, start="+6h")), settings(10))
    before = [t for kind, t, *_ in traced(base)[2] if kind == "arrive" and t < 6 * HOUR]
    after = [t for kind, t, *_ in traced(later)[2] if kind == "arrive" and t < 6 * HOUR]
    assert before == after  # common random numbers: identical arrivals until the change


def test_a_ramp_moves_in_hourly_steps_at_each_steps_midpoint():
    # handle time 60 s + a ramp of the added seconds from 120 (at +2 h) to 0, linear over 4 h
    workflow = single_stage(1.0, FIXED_MINUTE, 200)
    ramp = Change("review", "handle_time.mean", "add", 0.0, start="+2h", ramp=Ramp(120.0, "linear", 4.0))
    backfill = Backfill(name="Feed", id="feed", target="review", items=80, mix=[MixEntry()], start="launch",
                        spread_hours=8.0)
    spec = compile_run(workflow, fed(ramp, backfills=[backfill]), settings(12))
    _, _, events = traced(spec)
    drawn = {t: service for kind, t, _, _, service in events if kind == "start"}
    assert len(drawn) == 80  # item k enters at k · 6 min and starts at once (200 idle reviewers)
    for t, service in drawn.items():
        hours = t / HOUR
        if hours < 2 or hours >= 6:
            expected = 60.0
        else:
            midpoint = math.floor(hours - 2) + 0.5
            expected = 60.0 + 120.0 * (1 - midpoint / 4.0)
        assert service == pytest.approx(expected, abs=1e-9), hours


def test_a_learning_curve_halves_its_gap_every_half_life():
    workflow = single_stage(1.0, FIXED_MINUTE, 200)
    ramp = Change("review", "handle_time.mean", "add", 10.0, start="launch", ramp=Ramp(40.0, "learning", 2.0))
    backfill = Backfill(name="Feed", id="feed", target="review", items=24, mix=[MixEntry()], spread_hours=24.0)
    _, _, events = traced(compile_run(workflow, fed(ramp, backfills=[backfill]), settings(30)))
    drawn = {round(t / HOUR, 6): service for kind, t, _, _, service in events if kind == "start"}
    for hours, service in drawn.items():
        settled_after = 2.0 * math.log2(100)
        if hours >= settled_after:
            assert service == pytest.approx(70.0)
        else:
            midpoint = min(math.floor(hours) + 1.0, settled_after)
            midpoint = (math.floor(hours) + midpoint) / 2
            assert service == pytest.approx(70.0 + 30.0 * 0.5 ** (midpoint / 2.0)), hours


def test_a_backfill_drains_in_whole_rounds_of_the_team():
    # N = 1,000 items of fixed 60 s at once into 7 idle reviewers: ceil(1000 / 7) = 143 rounds of 60 s
    workflow = single_stage(1.0, FIXED_MINUTE, 7)
    backfill = Backfill(name="Re-review", id="rr", target="review", items=1000, mix=[MixEntry()], start="+1h")
    _, result, events = traced(compile_run(workflow, fed(backfills=[backfill]), settings(10)))
    outcomes = [t for kind, t, *_ in events if kind == "outcome"]
    assert len(outcomes) == 1000
    assert max(outcomes) == pytest.approx(1 * HOUR + math.ceil(1000 / 7) * 60.0)
    assert result.metric("source", "rr", "arrivals_count") == 1000
    # reporting instants see the state just before their own events: at 2 h, 60 rounds of 7 have started
    assert result.metric("stage", "Review", "backlog_peak_count") == 1000 - 60 * 7
    assert result.metric("stage", "Review", "backlog_peak_after_launch_h") == 2.0


def test_training_removes_exactly_the_stated_reviewer_time():
    workflow = single_stage(30.0, FIXED_MINUTE, 9)
    training = Training(name="New policy", id="tr", team="team", hours_per_person=5.0, people=11,
                        start="+1d", end="+3d")
    base = compile_run(workflow, None, settings(96))
    trained = compile_run(workflow, plan(trainings=[training]), settings(96))
    before, after = base.teams[0].timeline, trained.teams[0].timeline
    removed = before.integral(before.available, 0, 96 * HOUR) - after.integral(after.available, 0, 96 * HOUR)
    assert removed == pytest.approx(11 * 5.0 * HOUR, rel=1e-12)
    assert after.integral(after.rostered, 0, 96 * HOUR) == before.integral(before.rostered, 0, 96 * HOUR)
    outside = after.integral(after.available, 0, 24 * HOUR) + after.integral(after.available, 72 * HOUR, 96 * HOUR)
    assert outside == 9 * 48 * HOUR  # nothing leaves the floor outside the period
    result = run_replication(trained, 0)
    assert result.metric("system", "system", "on_floor_hours_h") == pytest.approx(9 * 96 - 55.0)
    assert result.metric("system", "system", "paid_hours_h") == pytest.approx(9 * 96)


def test_training_beyond_the_teams_hours_is_refused_with_its_name():
    workflow = single_stage(30.0, FIXED_MINUTE, 2)
    training = Training(name="Deep dive", id="tr", team="team", hours_per_person=40.0, people=2,
                        start="launch", end="+1d")
    with pytest.raises(SimulationError) as caught:
        compile_run(workflow, plan(trainings=[training]), settings(48))
    assert "Deep dive" in str(caught.value) and "reviewer-hours" in str(caught.value)


def test_recovery_time_on_a_fluid_case():
    """Steady deterministic flow of 40/h into one reviewer of 60/h (1 min each), SLA 1 h at 95 %. At the launch
    (the start of day 2) 600 items arrive at once: the backlog falls 20/h, so items created after launch + 27 h
    wait under an hour. Due days (due = created + 1 h): day 2 (hours 24–48) is mostly late, day 3 (48–72) has
    items created from launch + 23 h, of which launch + 23…27 h are late (4 of 24 h: 83 % < 95 %); day 4 on is
    on time. Recovery over 2 days therefore starts with day 4: 48 h after the launch."""
    sla = [SlaTarget(priority="P2", within=1.0, unit="h", share=0.95)]
    workflow = single_stage(1.0, FIXED_MINUTE, 1, sla=sla)
    steady = Backfill(name="Flow", id="flow", target="review", items=40 * 144, mix=[MixEntry()], start="-1d",
                      spread_hours=144.0)
    burst = Backfill(name="Burst", id="burst", target="review", items=600, mix=[MixEntry()], start="launch")
    scenario = fed(launch="+1d", recovery_days=2, backfills=[steady, burst])
    result = run_replication(compile_run(workflow, scenario, settings(120)), 0)
    daily = next(s for s in result.series if s.metric == "sla_attainment_daily_share")
    assert daily.times_h == (24.0, 48.0, 72.0, 96.0, 120.0)
    assert daily.values[0] == 1.0 and daily.values[3:] == (1.0, 1.0)
    # day 2: the 40 items of launch − 1 h and the burst's first 60 (one hour of reviews) of 40 · 24 + 600 due
    assert daily.values[1] == pytest.approx(100 / 1560, abs=0.005)
    assert daily.values[2] == pytest.approx(20 / 24, abs=0.02)
    assert result.metric("priority", "review:P2", "recovery_h") == 48.0
    assert result.metric("priority", "review:P2", "days_below_target_count") == 2.0
    assert result.metric("stage", "Review", "backlog_peak_count") == pytest.approx(580, abs=2)
    assert result.metric("stage", "Review", "backlog_peak_after_launch_h") == 1.0


def test_not_recovered_within_the_horizon_is_nan_with_a_zero_share():
    sla = [SlaTarget(priority="P2", within=1.0, unit="h", share=0.95)]
    workflow = single_stage(1.0, FIXED_MINUTE, 1, sla=sla)
    steady = Backfill(name="Flow", id="flow", target="review", items=50 * 72, mix=[MixEntry()], start="launch",
                      spread_hours=72.0)
    burst = Backfill(name="Burst", id="burst", target="review", items=3000, mix=[MixEntry()], start="launch")
    result = run_replication(compile_run(workflow, fed(backfills=[steady, burst]), settings(72)), 0)
    assert math.isnan(result.metric("priority", "review:P2", "recovery_h"))
    assert result.metric("priority", "review:P2", "recovered_share") == 0.0


def test_a_change_after_the_horizon_gives_exactly_zero_delta():
    workflow = single_stage(50.0, Distribution(kind="exponential", mean=1.0, unit="min"), 1,
                            sla=[SlaTarget(priority="P2", within=1.0, unit="h", share=0.8)])
    workflow.put_scenario(plan(Change("reports", "rate_per_hour", "scale", 1.5, start="+30d"),
                               Change("review", "handle_time.mean", "add", 0.5, start="+30d"),
                               Change("team", "shifts.all day.headcount", "add", 1, start="+30d"),
                               launch="+1d"))
    run = run_scenarios(workflow, [None, "launch"], settings(72).__class__(
        horizon_hours=72, replications=3, seed=4, interval_minutes=60.0), executor=SerialExecutor())
    assert run.deltas and all(delta.delta_mean == 0.0 and delta.half_width == 0.0 for delta in run.deltas
                              if math.isfinite(delta.delta_mean))
    launch_metrics = {d.metric for d in run.deltas}
    assert {"recovery_h", "backlog_peak_count", "paid_hours_h"} <= launch_metrics


def test_scoped_changes_touch_only_their_items():
    mix = [MixEntry(language="en", share=0.5), MixEntry(language="es", share=0.5)]
    workflow = single_stage(100.0, FIXED_MINUTE, 60, mix=mix)
    scenario = plan(Change("reports", "rate_per_hour", "scale", 3.0, start="+5h", scope=Scope(languages=["es"])),
                    Change("review", "handle_time.mean", "add", 40.0, start="+5h", scope=Scope(languages=["es"])))
    spec = compile_run(workflow, scenario, settings(30))
    en, es = (spec.item_classes.index(c) for c in spec.item_classes)  # mix order: en, es
    _, _, events = traced(spec)
    starts = [(t, cls, service) for kind, t, _, cls, service in events if kind == "start"]
    assert all(service == 60.0 for t, cls, service in starts if cls == en)
    assert all(service == (100.0 if t >= 5 * HOUR else 60.0) for t, cls, service in starts if cls == es)
    arrivals = [(t, cls) for kind, t, _, cls, _ in events if kind == "arrive"]
    after = [cls for t, cls in arrivals if t >= 5 * HOUR]
    hours_after = 25.0
    en_rate, es_rate = after.count(en) / hours_after, after.count(es) / hours_after
    # Poisson counts of 1,250 and 3,750 expected: 5 sd is about ±180 and ±310
    assert abs(en_rate * hours_after - 1250) < 180 and abs(es_rate * hours_after - 3750) < 310


def test_launch_runs_are_identical_serial_in_worker_processes_and_on_dask():
    workflow = single_stage(40.0, Distribution(kind="exponential", mean=1.2, unit="min"), 1,
                            sla=[SlaTarget(priority="P2", within=15.0, unit="min", share=0.9)])
    workflow.put_scenario(plan(Change("review", "handle_time.mean", "add", 0.1, start="launch",
                                      ramp=Ramp(0.4, "learning", 12.0)),
                               launch="+1d", backfills=[Backfill(name="B", id="b", target="review", items=300,
                                                                 mix=[MixEntry()], spread_hours=10.0)]))
    run_settings = settings(72).__class__(horizon_hours=72, replications=4, seed=9, interval_minutes=60.0)
    serial = run_scenarios(workflow, [None, "launch"], run_settings, executor=SerialExecutor())
    pooled = run_scenarios(workflow, [None, "launch"], run_settings, executor=ProcessPoolExecutor(jobs=2))
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        dasked = run_scenarios(workflow, [None, "launch"], run_settings,
                               executor=DaskExecutor(cluster.scheduler_address))
    def key(run):  # repr: NaN metrics (a wait nobody had) compare equal only as text
        return sorted(repr((r.scenario_id, r.replication, r.metrics, r.series)) for r in run.replications)

    assert key(serial) == key(pooled) == key(dasked)
    assert all(r.metric("source", "b", "arrivals_count") == 300 for r in serial.replications
               if r.scenario_id == "launch")


@pytest.mark.parametrize(("broken", "words"), [
    (lambda p: setattr(p.changes[0].ramp, "shape", "sudden"), "unknown ramp shape"),
    (lambda p: setattr(p.changes[0].ramp, "hours", 0.0), "more than 0 hours"),
    (lambda p: setattr(p.changes[0].ramp, "launch_value", [1.0, 2.0]), "same kind of value"),
    (lambda p: setattr(p.backfills[0], "items", 0), "at least 1 item"),
    (lambda p: setattr(p.backfills[0], "target", "reports"), "not a source or an outcome"),
    (lambda p: setattr(p.backfills[0], "spread_hours", -1.0), "0 hours"),
    (lambda p: setattr(p.trainings[0], "team", "nobody"), "team that does not exist"),
    (lambda p: setattr(p.trainings[0], "people", -2), "whole number"),
    (lambda p: setattr(p.trainings[0], "hours_per_person", 0.0), "more than 0 hours per person"),
])
def test_the_engine_refuses_a_plan_it_cannot_run_with_a_message(broken, words):
    """Validation reports these first (flowmodel.validation_launch); a plan compiled without it is still refused
    with a message naming the place, never a crash or a silent default."""
    workflow = single_stage(30.0, FIXED_MINUTE, 3)
    scenario = plan(Change("review", "handle_time.mean", "add", 10.0, start="launch", ramp=Ramp(30.0, "linear", 5)),
                    backfills=[Backfill(name="B", id="b", target="review", items=10, mix=[MixEntry()])],
                    trainings=[Training(name="T", id="t", team="team", hours_per_person=1.0, people=1)])
    broken(scenario)
    static = compile_run(workflow, None, settings(48))
    with pytest.raises(ModelError) as caught:
        _with_launch(static, workflow, workflow, scenario)  # the engine's own compile, past validation
    assert words in caught.value.message and caught.value.where.startswith(("scenario 'Launch'", "change"))
    with pytest.raises(SimulationError):
        compile_run(workflow, scenario, settings(48))  # and through compile_run, validation names it first


def test_a_batch_beyond_the_backlog_bound_stops_the_replication_cleanly():
    workflow = single_stage(30.0, FIXED_MINUTE, 2)
    huge = Backfill(name="Everything", id="all", target="review", items=25_000, mix=[MixEntry()], start="+1h")
    spec = compile_run(workflow, plan(backfills=[huge]), settings(24), backlog_limit=1_000)
    result = run_replication(spec, 0)
    assert "passed 1,000 items" in result.stopped_early
    assert result.items_created < 10_200  # the first chunk of 10,000, not the whole batch


def test_the_run_estimate_counts_a_plans_backfill_items():
    from simulations.run_load import scenario_load

    workflow = single_stage(30.0, FIXED_MINUTE, 2)
    backfill = Backfill(name="Re-review", id="rr", target="review", items=5_000, mix=[MixEntry()],
                        spread_hours=10.0)
    without = scenario_load(workflow, compile_run(workflow, None, settings(48)))
    with_it = scenario_load(workflow, compile_run(workflow, plan(backfills=[backfill]), settings(48)))
    assert with_it.arrivals - without.arrivals == pytest.approx(5_000, rel=1e-9)


def test_static_changes_on_a_timed_part_are_kept():
    """A static surge and a timed rate change on one source: the plan's pieces start from the statically changed
    source, so the surge stays, and with the timed change after the horizon the spec is the static one's."""
    from flowmodel.nodes import Surge

    workflow = single_stage(30.0, FIXED_MINUTE, 3)
    workflow.nodes["reports"].surges.append(Surge(start_hour=2, duration_hours=3, multiplier=2.0, label="viral"))
    static = Change("reports", "surges.viral.multiplier", "set", 3.0)
    later = compile_run(workflow, plan(static, Change("reports", "rate_per_hour", "scale", 1.5, start="+100d")),
                        settings(24))
    assert later.nodes[0].rates == compile_run(workflow, plan(static), settings(24)).nodes[0].rates
    assert 90.0 / HOUR in later.nodes[0].rates.rates  # the surge at ×3
    sooner = compile_run(workflow, plan(static, Change("reports", "rate_per_hour", "scale", 2.0, start="+3h")),
                         settings(24))
    assert sooner.nodes[0].rates.rates[:4] == (30.0 / HOUR, 90.0 / HOUR, 180.0 / HOUR, 60.0 / HOUR)
