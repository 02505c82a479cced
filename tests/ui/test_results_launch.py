"""The results view of a launch plan: its launch charts first (daily SLA attainment with the target and the
launch marks, the backlog around the launch), the recovery in the headline, the launch rows of the comparison
with paired deltas in planner units; a static run looks as it always did."""

from __future__ import annotations

import pytest
from results_helpers import results_view
from run_helpers import short_settings

from reports.launch import launch_results, recovery_text
from simulations.executors import SerialExecutor
from simulations.runner import run_scenarios
from tests.launch_fixtures import PLAN, PLAN_ID, launch_run, launch_workflow
from ui.results.tables import DELTA_COLUMNS

STATIC_CHARTS = ["backlog", "time_to_decision", "sla", "utilisation"]


@pytest.fixture
def launch_view(qtbot):
    workflow = launch_workflow()
    view = results_view(qtbot, workflow, launch_run(workflow))
    view.resize(1500, 900)
    return view


def _keys(view) -> list[str]:
    view.charts.wait()
    return [v.spec.key for v in view.charts.views]


def test_a_launch_run_shows_the_launch_charts_first(launch_view, qtbot):
    view = launch_view
    view.scenario_picker.setCurrentIndex(view.scenario_picker.findData(PLAN_ID))
    assert _keys(view) == ["launch_sla", "launch_backlog", *STATIC_CHARTS]
    sla, backlog = view.charts.figure_.axes[:2]
    assert sla.get_title(loc="left") == "Daily SLA attainment (95 % CI band)"
    assert "days from launch" in sla.get_xlabel() and "days from launch" in backlog.get_xlabel()
    assert any(line.get_linestyle() == "--" and list(line.get_ydata()) == [90.0, 90.0] for line in sla.lines)
    for ax in (sla, backlog):  # the launch line and the plan's step, numbered and named in the legend
        assert any(list(line.get_xdata()) == [0.0, 0.0] for line in ax.lines)
        assert [text.get_text() for text in ax.texts] == ["launch 1"]
    labels = [line.get_label() for line in sla.lines if not line.get_label().startswith("_")]
    assert labels[:2] == ["Tier 1 · P2", "target"] and labels[2].startswith("1 Launch; longer checklist")


def test_the_headline_says_the_recovery_and_the_peak(launch_view):
    view = launch_view
    plan = next(r for r in launch_results(view.run) if r.is_plan)
    text = view.headline.text()
    assert view.headline.isVisibleTo(view)
    assert f"{PLAN}: {recovery_text(plan.recoveries[0])}" in text
    assert "Tier 1 · P2 back in SLA 8 h after launch (0–42.4 h)" in text
    assert "peak backlog 31.7 at Tier 1, 8.33 h after launch" in text
    assert text.rstrip().endswith("+24 paid hours, staff cost +720 against Baseline")


def test_the_comparison_has_the_launch_rows_with_paired_deltas(launch_view):
    view = launch_view
    view.tabs.setCurrentWidget(view.comparison)
    table = view.comparison.table
    rows = {(d.scope_name, d.metric): r for r, d in enumerate(table.deltas)}
    cell = {name: DELTA_COLUMNS.index(name) for name in DELTA_COLUMNS}

    def shown(scope: str, metric: str, column: str) -> str:
        return table.widget.item(rows[(scope, metric)], cell[column]).text()

    assert shown("System", "paid_hours_h", "Metric") == "paid hours"
    assert shown("System", "paid_hours_h", "Δ") == "+24.0 h"
    assert shown("System", "paid_hours_h", "Clear") == "✔ clear"
    assert shown("System", "cost", "Δ") == "+720.0"  # the table's own number format
    assert shown("Tier 1", "backlog_peak_count", "Metric") == "peak backlog after launch"
    peak = table.deltas[rows[("Tier 1", "backlog_peak_count")]]
    assert shown("Tier 1", "backlog_peak_count", "Scenario value") == "31.7" and peak.scenario_mean == \
        pytest.approx(31.6667, abs=1e-3)
    assert shown("Tier 1 · P2", "recovery_h", "Metric") == "back in SLA, after launch"
    assert shown("Tier 1 · P2", "recovery_h", "Scenario value") == "8 h"
    assert shown("Tier 1 · P2", "days_below_target_count", "Metric") == "days below SLA target"
    assert shown("Tier 1 · P2", "recovered_share", "Δ") == "+0 pp"
    assert shown("Tier 1", "backlog_peak_after_launch_h", "Δ %") == "n/a"  # an instant: no percentage
    launch_first = list(dict.fromkeys(d.metric for d in table.deltas))[:8]
    assert launch_first == ["backlog_peak_count", "backlog_peak_after_launch_h", "paid_hours_h", "on_floor_hours_h",
                            "cost", "recovery_h", "recovered_share", "days_below_target_count"]


def test_a_static_run_looks_as_before(qtbot, triage):
    run = run_scenarios(triage, None, short_settings(replications=2, horizon_hours=12.0), executor=SerialExecutor())
    view = results_view(qtbot, triage, run)
    assert _keys(view) == STATIC_CHARTS
    assert not view.headline.isVisibleTo(view) and view.headline.text() == ""
    assert not any(d.metric in ("recovery_h", "backlog_peak_count", "paid_hours_h")
                   for d in view.comparison.table.deltas)


def test_the_comparison_charts_start_with_the_worst_targets_daily_sla(launch_view):
    view = launch_view
    view.tabs.setCurrentWidget(view.comparison)
    view.comparison.chart.wait()
    keys = [v.spec.key for v in view.comparison.chart.views]
    assert keys == ["launch_sla", "total_backlog", "sla", "team_utilisation"]
    ax = view.comparison.chart.figure_.axes[0]
    assert ax.get_title(loc="left") == "Daily SLA: Tier 1 · P2 (95 % CI)"
    assert [line.get_label() for line in ax.lines if not line.get_label().startswith("_")][:3] == [
        "Baseline", PLAN, "target"]


def test_the_results_screenshot_runs_a_launch_example_over_its_own_horizon():
    from ui.results.screenshot import SHORT_DAYS, run_days

    plan = launch_workflow()
    assert run_days(plan, None) is None  # the example's own horizon: its backfill and later weeks show
    assert run_days(plan, 21.0) == 21.0
    static = launch_workflow()
    static.scenarios.clear()
    assert run_days(static, None) == SHORT_DAYS


def test_recovery_rows_zero_in_every_scenario_are_hidden(launch_view):
    import dataclasses

    from ui.results.tables import without_idle_recoveries

    launch_view.tabs.setCurrentWidget(launch_view.comparison)
    deltas = launch_view.comparison.table.deltas
    recovery = next(d for d in deltas if d.metric == "recovery_h")
    idle = dataclasses.replace(recovery, scope_id="other", scope_name="Tier 1 · P3", baseline_mean=0.0,
                               scenario_mean=0.0, delta_mean=0.0)
    kept = without_idle_recoveries([*deltas, idle])
    assert idle not in kept and recovery in kept and len(kept) == len(deltas)


def test_the_comparison_chart_says_none_below_target_when_no_target_dipped():
    import dataclasses

    from ui.results import chart_sets

    run = launch_run()
    plan = next(r for r in launch_results(run) if r.is_plan)
    calm = [dataclasses.replace(r, days_below=dataclasses.replace(r.days_below, mean=0.0))
            for r in plan.recoveries if r.days_below is not None]
    original = chart_sets.launch_results
    chart_sets.launch_results = lambda _run: [dataclasses.replace(plan, recoveries=tuple(calm))]
    try:
        assert chart_sets._worst_target(run, [PLAN_ID])[1].endswith(", none below target")
    finally:
        chart_sets.launch_results = original
