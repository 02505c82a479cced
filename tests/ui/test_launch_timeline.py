"""The launch-plan timeline: one row per timed or scoped change, backfill and training at the right hours from the
run's start, painted in the kind's colour; a click on a change's row selects it in the change editor."""

from __future__ import annotations

import pytest
from editor_helpers import make_window
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from flowmodel.launch import Backfill, Ramp, Scope, Training
from flowmodel.nodes import MixEntry
from flowmodel.scenarios import Change, Scenario
from ui.main_window import EXAMPLES_FOLDER
from ui.scenarios.commands import PutScenarioCommand
from ui.scenarios.timeline import AXIS_H, KIND_COLOURS, LAUNCH_COLOUR, LEGEND_H, ROW_H, WARMUP_TIP
from ui.scenarios.timeline_rows import plan_rows

EXAMPLE = "hate_speech_policy_change.flow.json"


def launch_plan(workflow) -> Scenario:
    """A launch on Thursday 8 January 09:00 (run start Monday 5 January): the rate ramps in from launch, the
    escalate share holds for P1 items for a week from launch + 7 d, a static change, a backfill and a training."""
    source, tier1 = workflow.node_by_name("Hate speech reports"), workflow.node_by_name("Tier 1 review")
    team = next(iter(workflow.teams.values()))
    return Scenario(
        name="Launch plan", launch="2026-01-08 09:00",
        changes=[Change(source.id, "rate_per_hour", "scale", 1.25, start="launch", ramp=Ramp(1.0, "linear", 72)),
                 Change(tier1.id, "handle_time_by_category.hate_speech.mean", "add", 40.0),
                 Change(tier1.id, "route.escalate", "set", 0.08, start="+7d", end="+14d",
                        scope=Scope(priorities=["P1"]))],
        backfills=[Backfill("Re-review", target=tier1.id, items=3000, mix=[MixEntry("hate_speech", "en", "P2", 1.0)],
                            start="+1d", spread_hours=48)],
        trainings=[Training("Guidelines", team=team.id, hours_per_person=4, start="-1d", end="+2d")])


@pytest.fixture
def plan_window(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.resize(1280, 800)
    assert window.open_example(EXAMPLES_FOLDER / EXAMPLE)
    workflow = window.document.workflow
    scenario = launch_plan(workflow)
    window.undo_stack.push(PutScenarioCommand(workflow, scenario, "Add a launch plan"))
    window.scenarios.select_scenario(scenario.id)
    panel = window.scenarios
    panel.tabs.setCurrentWidget(panel.tabs.widget(1))
    qtbot.waitUntil(lambda: panel.launch_page.timeline.isVisible())
    return window


def _timeline(window):
    return window.scenarios.launch_page.timeline


def test_rows_sit_at_their_hours_from_the_run_start(plan_window):
    workflow = plan_window.document.workflow
    plan = plan_rows(workflow, plan_window.scenarios.scenario)
    assert plan.launch_h == 3 * 24 + 9 and plan.horizon_h == workflow.run_settings.horizon_hours
    spans = [(row.kind, row.key, row.start_h, row.end_h) for row in plan.rows]
    backfill, training = plan_window.scenarios.scenario.backfills[0], plan_window.scenarios.scenario.trainings[0]
    assert spans == [("change", 0, 81.0, plan.horizon_h), ("change", 2, 81.0 + 168, 81.0 + 336),
                     ("backfill", backfill.id, 81.0 + 24, 81.0 + 72), ("training", training.id, 81.0 - 24, 81.0 + 48)]
    assert plan.rows[0].ramp_h == 72 and plan.rows[0].ramp_shape == "linear"
    assert plan.rows[1].label == "Tier 1 review · escalate share → 8 % · P1"
    assert plan.rows[2].label.startswith("Re-review · Tier 1 review · 3,000 items")


def test_the_timeline_draws_one_row_per_timed_item_in_its_colour(plan_window):
    timeline = _timeline(plan_window)
    assert [row.kind for row in timeline.rows()] == ["change", "change", "backfill", "training"]
    assert timeline.height() == AXIS_H + 4 * ROW_H + 6 + LEGEND_H  # a legend line names the launch and warm-up
    assert plan_window.scenarios.tabs.tabText(1) == "Launch plan (4)"
    image = timeline.grab().toImage()
    ratio = image.devicePixelRatio()
    for index, row in enumerate(timeline.rows()):
        bar = timeline.bar_rect(row, index)
        x = bar.left() + 0.9 * bar.width() if row.kind != "change" or index else bar.right() - 4
        colour = image.pixelColor(int(x * ratio), int(bar.center().y() * ratio))
        expected = KIND_COLOURS[row.kind]
        assert abs(colour.red() - expected.red()) + abs(colour.green() - expected.green()) \
            + abs(colour.blue() - expected.blue()) < 40, (row.kind, colour.name())


def test_a_click_on_a_change_row_selects_it_in_the_editor(plan_window, qtbot):
    panel, timeline = plan_window.scenarios, _timeline(plan_window)
    centre = timeline.row_rect(1).center()
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))
    assert panel.tabs.currentIndex() == 0  # the Changes tab
    assert panel.changes.currentRow() == 2
    assert panel.editor.timing.starts.text() == "+7d" and panel.editor.timing.ends.text() == "+14d"
    assert panel.editor.timing.scope_picker.ticked()["priorities"] == ["P1"]
    assert timeline.selected == ("change", 2)


def test_a_click_on_a_backfill_row_selects_it_in_its_list(plan_window, qtbot):
    page, timeline = plan_window.scenarios.launch_page, _timeline(plan_window)
    centre = timeline.row_rect(2).center()
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))
    assert page.backfills.list.currentRow() == 0 and page.backfills.edit_button.isEnabled()


def test_the_timeline_follows_undo_and_shows_a_bad_instant_as_a_problem(plan_window):
    timeline, workflow = _timeline(plan_window), plan_window.document.workflow
    scenario = plan_window.scenarios.scenario
    broken = Scenario(name=scenario.name, id=scenario.id, launch=scenario.launch,
                      changes=[Change(scenario.changes[0].target, "rate_per_hour", "scale", 1.25, start="soon")])
    plan_window.undo_stack.push(PutScenarioCommand(workflow, broken, "Break the start"))
    [row] = timeline.rows()
    assert row.problem and "not an instant" in row.problem
    timeline.grab()  # paints without failing
    plan_window.undo_stack.undo()
    assert len(timeline.rows()) == 4
    plan_window.undo_stack.undo()
    assert plan_window.scenarios.scenario is None or timeline.rows() == ()


def test_a_row_tooltip_has_its_whole_label(plan_window, qtbot):
    timeline = _timeline(plan_window)
    centre = timeline.row_rect(2).center().toPoint()
    QApplication.sendEvent(timeline, QHelpEvent(QEvent.Type.ToolTip, centre, timeline.mapToGlobal(centre)))
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert QToolTip.text() == timeline.rows()[2].label


def test_no_line_crosses_a_label_and_the_warm_up_band_is_explained(plan_window):
    """A label that does not fit after its bar slides left over the launch line: its backdrop hides the line."""
    timeline = _timeline(plan_window)
    timeline.resize(420, timeline.height())
    image = timeline.grab().toImage()
    ratio = image.devicePixelRatio()
    x = timeline.x_at(timeline.plan.launch_h)
    crossed = [index for index, row in enumerate(timeline.rows())
               if timeline.label_rect(row, index)[1].left() + 4 < x < timeline.label_rect(row, index)[1].right() - 4]
    assert crossed  # the narrow timeline slides some labels over the launch line
    for index in crossed:
        label_y = timeline.label_rect(timeline.rows()[index], index)[1].center().y()
        colour = image.pixelColor(int(x * ratio), int(label_y * ratio))
        assert abs(colour.red() - LAUNCH_COLOUR.red()) + abs(colour.green() - LAUNCH_COLOUR.green()) > 60, index
    assert timeline.plan.warmup_h > 0 and timeline.in_warmup(timeline.x_at(timeline.plan.warmup_h / 2))
    QApplication.sendEvent(timeline, QHelpEvent(QEvent.Type.ToolTip,
                                                QPoint(int(timeline.x_at(1.0)), int(timeline.row_rect(0).center().y())),
                                                timeline.mapToGlobal(QPoint(0, 0))))
    assert WARMUP_TIP in QToolTip.text()


def test_the_backfill_and_training_lists_show_three_rows_and_the_whole_text_as_tooltip(plan_window):
    page = plan_window.scenarios.launch_page
    backfills = page.backfills.list
    assert backfills.count() == 1
    assert backfills.height() >= 3 * backfills.sizeHintForRow(0)
    assert backfills.item(0).toolTip().startswith(backfills.item(0).text())
