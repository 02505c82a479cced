"""The comparison table: grouped by scenario, deltas next to the metric and in view in a narrow pane,
durations in a unit by magnitude, differences of shares in percentage points."""

from __future__ import annotations

import math

import pytest
from results_helpers import results_view, three_scenario_run

from ui.results.tables import DELTA_COLUMNS, interval_in_units, value_in_units


@pytest.fixture
def view(qtbot, triage):
    run = three_scenario_run(triage)
    view = results_view(qtbot, triage, run)
    view.tabs.setCurrentWidget(view.comparison)
    return view


def test_rows_are_grouped_by_scenario_with_the_name_once(view):
    table = view.comparison.table
    widget = table.widget
    names = [name for name, _, _ in table.groups]
    assert names == ["Faster review", "Slower review"]
    for name, first, count in table.groups:
        assert count > 1
        assert widget.rowSpan(first, 0) == count  # one cell beside the whole group
        assert widget.item(first, 0).text() == name
        assert {d.scenario_name for d in table.deltas[first:first + count]} == {name}


def test_delta_columns_follow_the_metric_and_stay_in_view_in_a_narrow_pane(view, qtbot):
    assert DELTA_COLUMNS.index("Δ") == DELTA_COLUMNS.index("Metric") + 1
    assert DELTA_COLUMNS.index("Δ") < DELTA_COLUMNS.index("Reference")
    view.resize(900, 600)
    qtbot.wait(100)
    widget = view.comparison.table.widget
    header = widget.horizontalHeader()
    delta = DELTA_COLUMNS.index("Δ")
    right_edge = header.sectionViewportPosition(delta) + header.sectionSize(delta)
    assert header.sectionViewportPosition(delta) >= 0 and right_edge <= widget.viewport().width()


def test_durations_of_days_read_in_days_and_shares_differ_in_pp(view):
    table = view.comparison.table
    widget = table.widget
    delta_column = DELTA_COLUMNS.index("Δ")
    assert any(d.metric.endswith("_share") for d in table.deltas)  # team utilisation at least
    for row, d in enumerate(table.deltas):
        shown = widget.item(row, delta_column).text()
        if d.metric.endswith("_share"):
            assert shown.endswith(" pp"), shown
            assert widget.item(row, DELTA_COLUMNS.index("Δ %")).text() == ""
        scenario_value = widget.item(row, DELTA_COLUMNS.index("Scenario value")).text()
        if d.metric.endswith("_s") and d.scenario_mean >= 2 * 86400:
            assert scenario_value.endswith(" d"), scenario_value
        if d.metric.endswith("_s"):
            assert float(scenario_value.split()[0].replace(",", "")) < 1000  # never "4,840 min"


def test_cell_units_by_magnitude():
    assert value_in_units("wait_mean_s", 45.0) == "45.0 s"
    assert value_in_units("wait_mean_s", 290_400.0) == "3.36 d"
    assert value_in_units("wait_mean_s", 3 * 3600.0) == "3 h"
    assert value_in_units("wait_mean_s", -78.3, difference=True, reference=390.0) == "−1.3 min"
    assert value_in_units("sla_attainment_share", -0.471, difference=True) == "−47.1 pp"
    assert value_in_units("sla_attainment_share", 0.856) == "85.6 %"
    assert interval_in_units("sla_attainment_share", -0.48, -0.46) == "[−48.0, −46.0] pp"
    assert value_in_units("backlog_end_count", 41453.0) == "41,453"
    assert value_in_units("wait_mean_s", math.nan) == "n/a"
