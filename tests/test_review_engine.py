"""Review findings on the engine's results: SLA attainment must not flatter a stage whose backlog is still
queued at the end of the run."""

from __future__ import annotations

import pytest
from engine_models import settings, single_stage

from flowmodel import Distribution, MixEntry, Shift, SlaTarget
from simulations.collect import collect
from simulations.engine import Replication
from simulations.spec import ItemClass, compile_run

MINUTE, HOUR = 60.0, 3600.0
NEVER = 1e-9  # Poisson arrivals per hour: none within the horizon, only the scripted ones


@pytest.mark.parametrize("discipline", ["fifo", "priority", "earliest_deadline"])
def test_items_still_queued_past_their_sla_count_as_misses(discipline: str) -> None:
    """One reviewer on shift 00:00–01:00 only, 10-minute reviews, SLA 30 min, an item every 10 minutes for
    3 h, run 4 h. The 6 items created by 00:50 start on arrival and are decided 10 min after creation (met);
    nobody works after 01:00, so the 12 items created from 01:00 to 02:50 wait to the end, and every one
    of them is past its 30-minute limit at 04:00. Before the fix they were left out and the stage showed
    100 % attainment over the 6 reviews."""
    workflow = single_stage(NEVER, Distribution.fixed(10, "min"), 0, discipline=discipline,
                            mix=[MixEntry(priority="P1")], sla=[SlaTarget("P1", 30, "min", 0.9)],
                            shifts=[Shift(name="first hour", start_hour=0, hours=1, headcount=[1] * 7)])
    spec = compile_run(workflow, None, settings(4))
    run = Replication(spec, 0)
    item_class = spec.item_classes.index(ItemClass("general", "en", "P1"))
    for k in range(18):
        run.scripted_arrival(k * 10 * MINUTE, "reports", item_class)
    result = collect(run, run.run(None, None))
    reviews = result.metric("stage", "Review", "throughput_count")
    assert reviews == 6
    assert result.metric("stage", "Review", "backlog_end_count") == 12
    assert result.metric("priority", "review:P1", "sla_items_count") == 6 + 12
    assert result.metric("priority", "review:P1", "sla_attainment_share") == pytest.approx(6 / 18)


def test_items_still_within_their_sla_at_the_end_are_left_out() -> None:
    """The same stage with a 24-hour SLA: nothing is overdue at the end, so only the reviews count."""
    workflow = single_stage(NEVER, Distribution.fixed(10, "min"), 0, mix=[MixEntry(priority="P1")],
                            sla=[SlaTarget("P1", 24, "h", 0.9)],
                            shifts=[Shift(name="first hour", start_hour=0, hours=1, headcount=[1] * 7)])
    spec = compile_run(workflow, None, settings(4))
    run = Replication(spec, 0)
    item_class = spec.item_classes.index(ItemClass("general", "en", "P1"))
    for k in range(18):
        run.scripted_arrival(k * 10 * MINUTE, "reports", item_class)
    result = collect(run, run.run(None, None))
    assert result.metric("priority", "review:P1", "sla_items_count") == 6
    assert result.metric("priority", "review:P1", "sla_attainment_share") == 1.0


def test_an_item_in_review_past_its_sla_at_the_end_counts_as_a_miss() -> None:
    """A 3-hour review of an item created at 0 with a 1-hour SLA, run 2 h: still in review and overdue."""
    workflow = single_stage(NEVER, Distribution.fixed(3, "h"), 1, mix=[MixEntry(priority="P1")],
                            sla=[SlaTarget("P1", 1, "h", 0.9)])
    spec = compile_run(workflow, None, settings(2))
    run = Replication(spec, 0)
    run.scripted_arrival(0.0, "reports", spec.item_classes.index(ItemClass("general", "en", "P1")))
    result = collect(run, run.run(None, None))
    assert result.metric("stage", "Review", "in_service_end_count") == 1
    assert result.metric("priority", "review:P1", "sla_items_count") == 1
    assert result.metric("priority", "review:P1", "sla_attainment_share") == 0.0


def test_a_run_is_validated_with_its_own_settings_not_the_saved_ones() -> None:
    """Saved settings a planner overrides for this run (0 replications saved, 1 used) must not block it."""
    workflow = single_stage(10, Distribution.fixed(1, "min"), 1)
    workflow.run_settings.replications = 0
    spec = compile_run(workflow, None, settings(2))
    assert spec.settings.replications == 1
