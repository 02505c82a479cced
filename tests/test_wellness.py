"""Wellness caps: a hand-computed trace of one capped reviewer, the shift-day reset with roster changes, the
bound on hours per reviewer-day, models without caps unchanged, and the validation rules.

The hand case: Reports → Review → Done, one reviewer on an all-day shift (the shift-day resets at midnight),
graphic violence capped at 0.75 h (45 min); graphic items take 20 min, spam 10 min. Arrivals (minutes): graphic
at 0, 1, 2, 3, spam at 4, spam at 65, graphic at 100, spam at 200. By hand:
- #1 graphic 0–20 (20 min on graphic), #2 graphic 20–40 (40), #3 graphic 40–60: 40 < 45 at its start, so it
  starts and the day ends at 60 min — past the cap by less than one item;
- at 60 the reviewer is at the cap: #4 (graphic, first in the queue) is skipped and #5 spam is taken 60–70; at 70
  #6 spam (arrived at 65) 70–80; #7 graphic arriving at 100 to an idle reviewer waits; #8 spam at 200 starts at
  once (200–210);
- at midnight (1440) the shift-day resets: #4 1440–1460, then #7 1460–1480.
Reviewer-days: day 1 with 1 h on graphic, day 2 (open at the end, 26 h) with 40 min.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from engine_models import settings

from flowmodel import Distribution, Edge, MixEntry, Outcome, ReviewStage, RunSettings, Shift, Source, Team, Workflow
from flowmodel.jsonfile import read_workflow_json
from flowmodel.validation import validate
from simulations.collect import collect
from simulations.dispatcher import StageRuntime
from simulations.engine import Replication, run_replication
from simulations.spec import ItemClass, compile_run
from simulations.timebase import horizon_start
from simulations.wellness import WellnessStage, shift_starts, split_by_capped_category

MINUTE = 60.0


def capped_review(caps: dict[str, float] | None = None, shifts: list[Shift] | None = None, rate: float = 1e-9,
                  handle: Distribution | None = None, graphic: Distribution | None = None) -> Workflow:
    w = Workflow(name="Capped", id="capped")
    source = w.add_node(Source(name="Reports", id="reports", rate_per_hour=rate,
                               mix=[MixEntry(category="graphic", share=0.5), MixEntry(category="spam", share=0.5)]))
    stage = w.add_node(ReviewStage(name="Review", id="review", handle_time=handle or Distribution.fixed(10, "min"),
                                   handle_time_by_category={"graphic": graphic or Distribution.fixed(20, "min")}))
    done = w.add_node(Outcome(name="Done", id="done"))
    w.add_edge(Edge(source.id, stage.id, id="e1", probability=1.0))
    w.add_edge(Edge(stage.id, done.id, id="e2", probability=1.0))
    w.add_team(Team(name="Reviewers", id="reviewers", shrinkage=0.0, stages=[stage.id],
                    shifts=shifts if shifts is not None else [Shift("all day", 0, 24, [1] * 7)],
                    wellness_caps={"graphic": 0.75} if caps is None else caps))
    return w


def _traced(workflow: Workflow, hours: float, arrivals: list[tuple[float, str]]
            ) -> tuple[list[tuple[float, int, str]], Replication, float]:
    spec = compile_run(workflow, None, settings(hours))
    run = Replication(spec, 0)
    starts: list[tuple[float, int, str]] = []

    def trace(kind: str, time: float, item, place: str, team: str) -> None:
        if kind == "start":
            starts.append((time / MINUTE, item.number, spec.item_classes[item.cls].category))

    run.trace = trace
    for at, category in arrivals:
        run.scripted_arrival(at * MINUTE, "reports", spec.item_classes.index(ItemClass(category, "en", "P2")))
    end = run.run(None, None)
    return starts, run, end


HAND_ARRIVALS = [(0, "graphic"), (1, "graphic"), (2, "graphic"), (3, "graphic"), (4, "spam"), (65, "spam"),
                 (100, "graphic"), (200, "spam")]


def _wellness(result, metric: str, scope: str = "reviewers:graphic") -> float:
    return result.metric("wellness", scope, metric)


def test_a_capped_reviewer_takes_other_work_and_capped_items_wait_for_the_reset() -> None:
    starts, run, end = _traced(capped_review(), 26.0, HAND_ARRIVALS)
    assert starts == [(0, 1, "graphic"), (20, 2, "graphic"), (40, 3, "graphic"), (60, 5, "spam"), (70, 6, "spam"),
                      (200, 8, "spam"), (1440, 4, "graphic"), (1460, 7, "graphic")]
    result = collect(run, end)
    assert _wellness(result, "reviewer_days_count") == 2
    assert _wellness(result, "hours_per_day_max_h") == pytest.approx(1.0)
    assert _wellness(result, "hours_per_day_mean_h") == pytest.approx((1.0 + 40 / 60) / 2)
    assert _wellness(result, "hours_per_day_p90_h") == pytest.approx(40 / 60 + 0.9 * (1.0 - 40 / 60))
    assert _wellness(result, "capped_share") == 0.5
    names = {m.scope_name for m in result.metrics if m.scope_kind == "wellness"}
    assert names == {"Reviewers · graphic"}


def test_without_the_cap_the_same_arrivals_are_served_in_arrival_order() -> None:
    starts, _, _ = _traced(capped_review(caps={}), 26.0, HAND_ARRIVALS)
    assert [number for _, number, _ in starts] == [1, 2, 3, 4, 5, 6, 7, 8]


def test_a_second_uncapped_team_takes_the_items_the_capped_reviewer_may_not() -> None:
    workflow = capped_review()
    workflow.add_team(Team(name="Specialists", id="specialists", shrinkage=0.0, stages=["review"],
                           categories=["graphic"], shifts=[Shift("all day", 0, 24, [1] * 7)]))
    spec = compile_run(workflow, None, settings(3.0))
    run = Replication(spec, 0)
    teams: list[tuple[float, int, str]] = []
    run.trace = lambda kind, t, item, place, team: teams.append((t / MINUTE, item.number, team)) \
        if kind == "start" else None
    graphic = spec.item_classes.index(ItemClass("graphic", "en", "P2"))
    for at in (0, 0.5, 1, 2, 3):
        run.scripted_arrival(at * MINUTE, "reports", graphic)
    run.run(None, None)
    # Reviewers (first in the stage's order) reach the cap after #1, #3 and #5 (0–20, 20–40, 40–60); the
    # specialists take #2 and #4 as they free up (0.5–20.5, 20.5–40.5)
    assert teams == [(0, 1, "Reviewers"), (0.5, 2, "Specialists"), (20, 3, "Reviewers"), (20.5, 4, "Specialists"),
                     (40, 5, "Reviewers")]


def test_queue_groups_split_by_capped_category_only_for_capped_teams() -> None:
    classes = (ItemClass("graphic", "en", "P2"), ItemClass("spam", "en", "P2"), ItemClass("graphic", "de", "P2"),
               ItemClass("hate", "en", "P2"))
    capped = Team(name="A", wellness_caps={"graphic": 2.0}, languages=["en"])
    plain = Team(name="B")
    groups, by_class = split_by_capped_category([(0, capped), (1, plain)], classes)
    # graphic/en is alone (capped by A); spam and hate share a group; graphic/de only B can review, uncapped
    assert by_class[1] == by_class[3] and len({by_class[0], by_class[1], by_class[2]}) == 3
    assert groups[by_class[0]] == (0, 1) and groups[by_class[2]] == (1,)
    spec = compile_run(capped_review(caps={}), None, settings(1.0))
    assert spec.wellness is None and spec.nodes[1].group_teams == ((0,),)
    assert compile_run(capped_review(), None, settings(1.0)).nodes[1].group_teams == ((0,), (0,))


def test_the_reset_renews_the_longest_on_seats_and_roster_growth_brings_fresh_ones() -> None:
    """Early 06–14 (2 people), late 12–20 (1 person), graphic capped at 0.75 h, 20 min each.

    At 06 two fresh seats (A, B). Graphic items at 06:00 ×4: A and B take two each (06:00–06:40) → both at 40
    min; at 06:40 they take #5, #6 (arrived 06:01, graphic): both at 60 min, capped. #7 graphic waits. At 12 the
    late shift's person comes with the new seat (the roster grew by one), not by renewing A or B: the new seat
    takes #7 at 12:00. At 14 the early seats leave; the late seat stays with 20 min."""
    shifts = [Shift("early", 6, 8, [2] * 7), Shift("late", 12, 8, [1] * 7)]
    workflow = capped_review(shifts=shifts)
    arrivals = [(360, "graphic")] * 4 + [(361, "graphic")] * 2 + [(362, "graphic")]
    starts, run, _ = _traced(workflow, 15.0, arrivals)
    assert [(t, n) for t, n, _ in starts] == [(360, 1), (360, 2), (380, 3), (380, 4), (400, 5), (400, 6), (720, 7)]
    seats = run.wellness.seats[0]
    assert [round(seat.hours[0] / MINUTE) for seat in seats.seats] == [20]  # the late seat; the early ones left
    hours = sorted(round(day[0] / MINUTE) for day in seats.day_hours())
    assert hours == [20, 60, 60]


def test_hours_per_reviewer_day_stay_below_the_cap_plus_one_item() -> None:
    """Poisson arrivals at 24/h, half graphic (uniform 10–30 min, so one item adds at most 0.5 h; 96 h of graphic
    work a day, 5.3 h per person and shift on average), 9 reviewers on each of two 12-hour shifts, graphic capped
    at 5.5 h: no reviewer-day passes 6 h, and the cap binds on some days but not all (seeded, three replications)."""
    shifts = [Shift("early", 0, 12, [9] * 7), Shift("late", 12, 12, [9] * 7)]
    workflow = capped_review(caps={"graphic": 5.5}, shifts=shifts, rate=24.0,
                             handle=Distribution.uniform(2, 8, "min"), graphic=Distribution.uniform(10, 30, "min"))
    spec = compile_run(workflow, None, settings(24 * 7, warmup=24))
    for replication in range(3):
        result = run_replication(spec, replication)
        assert 5.5 <= _wellness(result, "hours_per_day_max_h") <= 6.0
        assert 0.0 < _wellness(result, "capped_share") < 1.0
        # 18 people a day whose shift-days start after the warm-up (day 2 on): 6 days, the last shift's 9 still open
        assert _wellness(result, "reviewer_days_count") == 18 * 6
        assert _wellness(result, "hours_per_day_p90_h") <= _wellness(result, "hours_per_day_max_h")


def _example_without_caps() -> Workflow:
    """The classifier-rollout example (decision quality, QA, an appeal loop) with its wellness cap taken off."""
    workflow = read_workflow_json("examples/classifier_rollout_appeals.flow.json")
    for team in workflow.teams.values():
        team.wellness_caps = {}
    return workflow


def test_caps_that_never_bind_change_no_figure() -> None:
    """The seats, the split queue groups and the reset events leave every figure as without caps when no
    reviewer reaches a cap (24 h on a category no source sends)."""
    workflow = _example_without_caps()
    run_settings = RunSettings(horizon_hours=72, warmup_hours=12, replications=1, seed=5)
    plain = run_replication(compile_run(workflow, None, run_settings), 0)
    team = next(iter(workflow.teams.values()))
    category = next(e.category for n in workflow.nodes.values() if isinstance(n, Source) for e in n.mix)
    team.wellness_caps = {category: 24.0}
    capped_spec = compile_run(workflow, None, run_settings)
    assert capped_spec.wellness is not None
    capped = run_replication(capped_spec, 0)
    assert [m for m in capped.metrics if m.scope_kind != "wellness"] == plain.metrics
    assert capped.series == plain.series and capped.items_created == plain.items_created


def test_a_model_without_caps_composes_nothing() -> None:
    workflow = _example_without_caps()
    spec = compile_run(workflow, None, RunSettings(horizon_hours=24, warmup_hours=0, replications=1, seed=2))
    assert spec.wellness is None
    run = Replication(spec, 0)
    assert run.wellness is None and all(team.seats is None for team in run.teams)
    assert all(not isinstance(stage, WellnessStage) and type(stage).__module__ != "simulations.wellness"
               for stage in run.stages)
    assert any(type(stage) is StageRuntime for stage in run.stages)
    first, second = run_replication(spec, 0), run_replication(dataclasses.replace(spec), 0)
    assert first.metrics == second.metrics and not [m for m in first.metrics if m.scope_kind == "wellness"]


def test_shift_starts_count_available_people_per_instance() -> None:
    team = Team(name="T", shrinkage=0.5, shifts=[Shift("day", 9, 8, [4, 4, 4, 4, 4, 0, 0]),
                                                 Shift("also", 9, 4, [2, 2, 2, 2, 2, 0, 0])])
    start = horizon_start(RunSettings(start_date="2026-06-05"))  # the Monday 00:00 of that week
    starts = shift_starts(team, start, 7 * 24 * 3600.0, "team 'T'")
    # 4 × 0.5 = 2 and 2 × 0.5 = 1 people start at 09:00 on Monday to Friday, nobody at the weekend
    assert starts == tuple(((24 * day + 9) * 3600.0, 3) for day in range(5))


# -- validation ------------------------------------------------------------------------------------------
def _rules(workflow: Workflow) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for issue in validate(workflow):
        found.setdefault(issue.rule, []).append(issue.severity)
    return found


@pytest.mark.parametrize("hours", [0.0, -1.0, 24.5, math.nan, math.inf])
def test_a_cap_outside_0_to_24_hours_is_an_error(hours: float) -> None:
    rules = _rules(capped_review(caps={"graphic": hours}))
    assert rules.get("wellness-cap-range") == ["error"]
    issue = next(i for i in validate(capped_review(caps={"graphic": hours})) if i.rule == "wellness-cap-range")
    assert issue.team_id == "reviewers" and issue.field == "wellness_caps.graphic" and "Reviewers" in issue.message


def test_caps_of_24_hours_or_a_fraction_are_fine() -> None:
    for hours in (24.0, 0.25):
        rules = _rules(capped_review(caps={"graphic": hours}))
        assert not [r for r in rules if r.startswith("wellness")]


def test_a_cap_on_a_category_nobody_sends_or_the_team_cannot_review_is_a_warning() -> None:
    assert _rules(capped_review(caps={"gore": 2.0})).get("wellness-cap-category") == ["warning"]
    workflow = capped_review(caps={"graphic": 2.0})
    workflow.teams["reviewers"].categories = ["spam"]
    workflow.add_team(Team(name="Others", id="others", shrinkage=0.0, stages=["review"],
                           shifts=[Shift("all day", 0, 24, [1] * 7)]))
    assert _rules(workflow).get("wellness-cap-category") == ["warning"]


def test_capped_hours_below_the_daily_work_are_a_warning() -> None:
    """12 graphic items an hour × 20 min = 96 h of graphic work a day. Ten reviewers round the clock: at 8 h
    each that is 80 h a day (warned); at 10 h, 100 h (not). An uncapped second team removes the warning."""
    def model(cap: float) -> Workflow:
        return capped_review(caps={"graphic": cap}, rate=24.0, shifts=[Shift("all day", 0, 24, [10] * 7)])

    short = [i for i in validate(model(8.0)) if i.rule == "wellness-cap-short"]
    assert [i.severity for i in short] == ["warning"] and "96" in short[0].message and "80" in short[0].message
    assert "wellness-cap-short" not in _rules(model(10.0))
    helped = model(8.0)
    helped.add_team(Team(name="Backup", id="backup", shrinkage=0.0, stages=["review"],
                         shifts=[Shift("all day", 0, 24, [1] * 7)]))
    assert "wellness-cap-short" not in _rules(helped)


@pytest.mark.parametrize("discipline", ["fifo", "priority", "earliest_deadline"])
def test_a_drained_run_with_changing_rosters_serves_everything_and_keeps_the_seats_consistent(discipline: str) -> None:
    """Two capped teams (different caps, one also capping spam) on shifts that overlap, grow and shrink, with
    shrinkage: every item is served by the end of a drained run, no reviewer-day passes its cap by more than one
    item (uniform handle times of at most 30 min), and the seats agree with the engine's counts."""
    workflow = capped_review(caps={"graphic": 3.0, "spam": 5.0}, rate=20.0,
                             shifts=[Shift("early", 5, 9, [6, 6, 6, 6, 6, 3, 3]), Shift("late", 13, 10, [5] * 7)],
                             handle=Distribution.uniform(3, 9, "min"), graphic=Distribution.uniform(10, 30, "min"))
    stage = workflow.nodes["review"]
    stage.discipline = discipline
    stage.priority_order = ["P1", "P2"]
    workflow.nodes["reports"].mix = [MixEntry(category="graphic", priority="P1", share=0.3),
                                     MixEntry(category="graphic", share=0.2), MixEntry(category="spam", share=0.5)]
    workflow.teams["reviewers"].shrinkage = 0.2
    workflow.add_team(Team(name="Night", id="night", shrinkage=0.0, stages=["review"], timezone="America/New_York",
                           shifts=[Shift("night", 20, 10, [4] * 7)], wellness_caps={"graphic": 4.0}))
    spec = compile_run(workflow, None, settings(24 * 5), arrival_limit=1500, drain=True)
    run = Replication(spec, 0)
    end = run.run(None, None)
    result = collect(run, end)
    assert result.items_in_system_at_end == 0 and result.items_completed == 1500
    for team_id, category, cap in (("reviewers", "graphic", 3.0), ("reviewers", "spam", 5.0),
                                   ("night", "graphic", 4.0)):
        assert _wellness(result, "hours_per_day_max_h", f"{team_id}:{category}") <= cap + 0.5
    assert _wellness(result, "capped_share", "reviewers:graphic") > 0.0
    for seats in run.wellness.seats:
        team = seats.team
        assert sorted(s.number for s in seats.free) == sorted(s.number for s in seats.seats if not s.busy)
        assert len(seats.seats) - seats.leaving == team.capacity and team.busy == 0 and not seats.seat_of
