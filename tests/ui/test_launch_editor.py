"""Launch plans in the scenario editor: a change's starts, ends, ramp and scope typed in the change editor; the
launch settings; backfills and trainings added, edited and removed — each one undoable step."""

from __future__ import annotations

import copy

import pytest
from editor_helpers import make_window
from PySide6.QtCore import QPoint, Qt

from flowmodel.launch import Ramp, Scope
from flowmodel.scenarios import Change, Scenario
from ui.main_window import EXAMPLES_FOLDER

EXAMPLE = "hate_speech_policy_change.flow.json"


def plain_policy_change(workflow) -> Scenario:
    """The example's policy change as plain changes (the whole run, every item), built here so that the tests do
    not depend on how the example file times it."""
    source, tier1 = workflow.node_by_name("Hate speech reports"), workflow.node_by_name("Tier 1 review")
    return Scenario(name="Policy change, plain", changes=[
        Change(source.id, "rate_per_hour", "scale", 1.25),
        Change(tier1.id, "handle_time_by_category.hate_speech.mean", "add", 40.0),
        Change(tier1.id, "route.escalate", "set", 0.08)])


@pytest.fixture
def launch_window(qtbot, tmp_path):
    """The main window on the hate-speech example, a plain policy change selected in the Scenarios panel."""
    window = make_window(qtbot, tmp_path)
    assert window.open_example(EXAMPLES_FOLDER / EXAMPLE)
    scenario = plain_policy_change(window.document.workflow)
    window.document.workflow.put_scenario(scenario)
    window.undo_stack.clear()
    window.scenarios.select_scenario(scenario.id)
    return window


def _scenario(window):
    return window.scenarios.scenario


def _pick(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def _type(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def _click(qtbot, button) -> None:
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _tick(qtbot, picker, name: str, value: str) -> None:
    """Tick ``value`` in the ``name`` list with a click on its check box."""
    values = picker.lists[name]
    item = next(values.item(i) for i in range(values.count()) if values.item(i).text() == value)
    rect = values.visualItemRect(item)
    qtbot.mouseClick(values.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y()))
    assert item.checkState() == Qt.CheckState.Checked


def test_a_ramped_scoped_timed_change_is_stored_in_stored_units_and_undo_restores_it(launch_window, qtbot):
    panel = launch_window.scenarios
    before = copy.deepcopy(_scenario(launch_window))
    panel.changes.selectRow(0)  # Hate speech reports · arrival rate ×1.25
    timing = panel.editor.timing
    assert timing.starts.isEnabled() and timing.scope_picker.isEnabled()
    assert timing.starts.placeholderText() == "launch, +7d or 2027-01-11 09:00"
    _pick(panel.editor.operation, "set to")
    _pick(panel.editor.unit, "per day")
    _type(qtbot, panel.editor.value, "2400")
    _type(qtbot, timing.starts, "+7d")
    _type(qtbot, timing.ends, "2026-01-26 09:00")
    _pick(timing.ramp, "linear")
    assert timing.launch_unit.text() == "per day" and timing.ramp_words.text() == "over"
    _type(qtbot, timing.launch_value, "1200")
    timing.ramp_hours.setValue(72)
    assert timing.scope_picker.offered("priorities") == ["P1", "P2"]
    _tick(qtbot, timing.scope_picker, "priorities", "P1")
    _click(qtbot, panel.replace_change_button)
    change = _scenario(launch_window).changes[0]
    assert (change.op, change.value, change.start, change.end) == ("set", pytest.approx(100.0), "+7d",
                                                                   "2026-01-26 09:00")
    assert change.ramp == Ramp(launch_value=pytest.approx(50.0), shape="linear", hours=72.0)
    assert change.scope == Scope(priorities=["P1"])
    assert _scenario(launch_window).is_launch_plan()
    assert panel.change_texts()[0].endswith("· launch + 7 d → 2026-01-26 09:00 · linear ramp over 3 d · P1")
    launch_window.undo_stack.undo()
    assert _scenario(launch_window) == before


def test_a_learning_curve_reloads_as_typed(launch_window, qtbot):
    panel = launch_window.scenarios
    panel.changes.selectRow(1)  # Tier 1 review · handle time for hate_speech +40 s
    timing = panel.editor.timing
    _pick(timing.ramp, "learning curve")
    assert timing.ramp_words.text() == "half-life"
    _type(qtbot, timing.launch_value, "90")
    timing.ramp_hours.setValue(48)
    _click(qtbot, panel.replace_change_button)
    change = _scenario(launch_window).changes[1]
    assert (change.ramp.shape, change.ramp.hours, change.start, change.end) == ("learning", 48.0, "", "")
    launch_value = change.ramp.launch_value
    panel.changes.selectRow(0)
    panel.changes.selectRow(1)
    assert timing.ramp.currentText() == "learning curve" and timing.launch_value.text() == "90"
    assert change.ramp.launch_value == launch_value


def test_a_team_change_can_be_timed_but_not_scoped(launch_window, qtbot):
    editor = launch_window.scenarios.editor
    _pick(editor.target, "Tier 1 – Los Angeles (team)")
    _pick(editor.field, "shrinkage")
    timing = editor.timing
    assert timing.starts.isEnabled()
    assert not timing.scope_picker.isEnabled()
    assert timing.reason.isVisibleTo(editor) and "cannot be scoped" in timing.reason.text()
    assert "cannot be scoped" in timing.scope_picker.toolTip()


def test_an_sla_target_cannot_be_timed(launch_window, qtbot):
    editor = launch_window.scenarios.editor
    _pick(editor.target, "Tier 1 review (review stage)")
    labels = [editor.field.itemText(i) for i in range(editor.field.count())]
    sla = next(label for label in labels if "time limit" in label)
    _pick(editor.field, sla)
    timing = editor.timing
    assert not timing.starts.isEnabled() and not timing.ramp.isEnabled() and not timing.scope_picker.isEnabled()
    assert "holds for the whole run" in timing.reason.text() and "holds for the whole run" in timing.starts.toolTip()


def test_an_invalid_instant_shows_a_message_and_stores_nothing(launch_window, qtbot):
    panel = launch_window.scenarios
    before = copy.deepcopy(_scenario(launch_window))
    panel.changes.selectRow(0)
    timing = panel.editor.timing
    _type(qtbot, timing.starts, "next week")
    assert timing.instant_problem.isVisibleTo(panel)
    assert "Starts" in timing.instant_problem.text() and "+7d" in timing.instant_problem.text()
    assert not panel.replace_change_button.isEnabled() and not panel.add_change_button.isEnabled()
    qtbot.mouseClick(panel.replace_change_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(timing.starts, Qt.Key.Key_Return)
    assert _scenario(launch_window) == before
    _type(qtbot, timing.starts, "+1w")
    assert not timing.instant_problem.isVisibleTo(panel)
    assert panel.replace_change_button.isEnabled()


def _ok(dialog):
    from PySide6.QtWidgets import QDialogButtonBox

    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def _type_spin(qtbot, spin, text: str) -> None:
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)


def test_the_launch_is_stored_on_enter_only_when_it_is_an_instant(launch_window, qtbot):
    panel = launch_window.scenarios
    panel.tabs.setCurrentWidget(panel.tabs.widget(1))
    settings = panel.launch_page.settings
    _type(qtbot, settings.launch, "soon")
    qtbot.keyClick(settings.launch, Qt.Key.Key_Return)
    assert settings.problem.isVisibleTo(panel) and "Launch:" in settings.problem.text()
    assert _scenario(launch_window).launch == ""
    _type(qtbot, settings.launch, "2026-01-08 09:00")
    assert not settings.problem.isVisibleTo(panel)
    qtbot.keyClick(settings.launch, Qt.Key.Key_Return)
    assert _scenario(launch_window).launch == "2026-01-08 09:00"
    for _ in range(2):
        qtbot.keyClick(settings.recovery_days, Qt.Key.Key_Up)
    assert _scenario(launch_window).recovery_days == 5
    launch_window.undo_stack.undo()  # the spin box's turns are one step
    assert (_scenario(launch_window).launch, _scenario(launch_window).recovery_days) == ("2026-01-08 09:00", 3)
    assert settings.recovery_days.value() == 3
    launch_window.undo_stack.undo()
    assert _scenario(launch_window).launch == "" and settings.launch.text() == ""


def test_recovery_days_are_stored_while_the_launch_text_is_invalid(launch_window, qtbot):
    panel = launch_window.scenarios
    panel.tabs.setCurrentWidget(panel.tabs.widget(1))
    settings = panel.launch_page.settings
    _type(qtbot, settings.launch, "soon")
    qtbot.keyClick(settings.recovery_days, Qt.Key.Key_Up)
    assert _scenario(launch_window).recovery_days == 4 and _scenario(launch_window).launch == ""
    assert settings.problem.isVisibleTo(panel)


def test_add_edit_and_remove_a_backfill_each_one_undo_step(launch_window, qtbot):
    panel, workflow = launch_window.scenarios, launch_window.document.workflow
    backfills = panel.launch_page.backfills
    _click(qtbot, backfills.add_button)
    dialog = backfills.dialog
    targets = [dialog.target.itemText(i) for i in range(dialog.target.count())]
    assert targets == ["Tier 1 review (review stage)", "Policy specialists (review stage)"]  # no source, outcome
    _type(qtbot, dialog.name, "Re-review of flagged posts")
    _pick(dialog.target, "Policy specialists (review stage)")
    _type_spin(qtbot, dialog.items, "2500")
    _type(qtbot, dialog.start, "in a bit")
    assert not _ok(dialog).isEnabled() and "Starts" in dialog.problem.text()
    _type(qtbot, dialog.start, "+1d")
    _type_spin(qtbot, dialog.spread, "48")
    _click(qtbot, _ok(dialog))
    [backfill] = _scenario(launch_window).backfills
    specialists = workflow.node_by_name("Policy specialists")
    assert (backfill.name, backfill.target, backfill.items, backfill.start, backfill.spread_hours) == (
        "Re-review of flagged posts", specialists.id, 2500, "+1d", 48.0)
    assert [(e.category, e.share) for e in backfill.mix] == [("hate_speech", 0.35), ("hate_speech", 0.65)]
    assert backfills.texts() == ["Re-review of flagged posts · Policy specialists · 2,500 items · launch + 1 d, "
                                 "over 2 d"]
    backfills.list.setCurrentRow(0)
    _click(qtbot, backfills.edit_button)
    _type_spin(qtbot, backfills.dialog.items, "3000")
    _click(qtbot, _ok(backfills.dialog))
    [edited] = _scenario(launch_window).backfills
    assert (edited.id, edited.items) == (backfill.id, 3000)
    backfills.list.setCurrentRow(0)
    _click(qtbot, backfills.remove_button)
    assert _scenario(launch_window).backfills == []
    launch_window.undo_stack.undo()
    assert _scenario(launch_window).backfills == [edited]
    launch_window.undo_stack.undo()
    assert _scenario(launch_window).backfills == [backfill]
    launch_window.undo_stack.undo()
    assert _scenario(launch_window).backfills == [] and backfills.texts() == []


def test_add_and_remove_a_training(launch_window, qtbot):
    panel, workflow = launch_window.scenarios, launch_window.document.workflow
    trainings = panel.launch_page.trainings
    _click(qtbot, trainings.add_button)
    dialog = trainings.dialog
    _type(qtbot, dialog.name, "New guidelines")
    _pick(dialog.team, "Policy specialists – Los Angeles")
    _type_spin(qtbot, dialog.hours, "6")
    assert dialog.people.text() == "everyone"
    _type(qtbot, dialog.start, "-1d")
    _type(qtbot, dialog.end, "")
    assert not _ok(dialog).isEnabled()
    _type(qtbot, dialog.end, "+2d")
    _click(qtbot, _ok(dialog))
    [training] = _scenario(launch_window).trainings
    team = next(t for t in workflow.teams.values() if t.name == "Policy specialists – Los Angeles")
    assert (training.name, training.team, training.hours_per_person, training.people, training.start,
            training.end) == ("New guidelines", team.id, 6.0, 0, "-1d", "+2d")
    assert trainings.texts() == ["New guidelines · Policy specialists – Los Angeles · 6 h × everyone · "
                                 "launch − 1 d → launch + 2 d"]
    assert _scenario(launch_window).is_launch_plan()
    trainings.list.setCurrentRow(0)
    _click(qtbot, trainings.remove_button)
    assert _scenario(launch_window).trainings == []
    launch_window.undo_stack.undo()
    assert _scenario(launch_window).trainings == [training]


def test_a_cancelled_dialog_stores_nothing(launch_window, qtbot):
    trainings = launch_window.scenarios.launch_page.trainings
    before = copy.deepcopy(_scenario(launch_window))
    _click(qtbot, trainings.add_button)
    trainings.dialog.reject()
    assert _scenario(launch_window) == before and launch_window.undo_stack.count() == 0
