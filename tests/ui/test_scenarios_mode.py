"""Scenario mode: edits in the property panel become changes of the selected scenario; the baseline stays."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from ui.commands import SetFieldCommand
from ui.scenarios.panel import CHANGE, EFFECT


def _stage(window):
    return window.document.workflow.node_by_name("Tier 1")


def test_an_edit_in_scenario_mode_is_recorded_in_the_scenario_and_undo_removes_it(window, qtbot):
    workflow, stage = window.document.workflow, _stage(window)
    window.view.canvas_scene.select_ids([stage.id])
    scenario = window.scenarios.new_scenario()
    window.scenarios.mode_button.click()
    assert window.scenario_mode.active
    assert window.property_banner.isVisible()
    assert window.property_banner.text() == "Editing scenario 'Scenario' — baseline unchanged"
    assert window.canvas_banner.isVisible()

    mean = window.properties.form.field("handle_time").numbers["mean"]
    mean.setValue(7.0)
    mean.setValue(8.0)
    assert stage.handle_time.mean == 5.0
    changes = workflow.scenarios[scenario.id].changes
    assert [(c.target, c.path, c.op, c.value) for c in changes] == [(stage.id, "handle_time.mean", "set", 8.0)]
    assert mean.value() == 8.0
    label = window.properties.form.rows.labelForField(window.properties.form.field("handle_time").parentWidget())
    assert "font-weight: bold" in label.styleSheet()
    assert window.overlay.is_changed(stage.id)
    qtbot.waitUntil(lambda: "overloaded" in window.overlay.figure(stage.id).text, timeout=3000)

    window.undo_stack.undo()
    assert workflow.scenarios[scenario.id].changes == []
    assert mean.value() == 5.0
    assert stage.handle_time.mean == 5.0
    qtbot.waitUntil(lambda: "62%" in window.overlay.figure(stage.id).text or "63%" in
                    window.overlay.figure(stage.id).text, timeout=3000)


def test_setting_a_field_back_to_the_baseline_value_drops_the_change(window):
    workflow, stage = window.document.workflow, _stage(window)
    window.view.canvas_scene.select_ids([stage.id])
    scenario = window.scenarios.new_scenario()
    window.scenarios.mode_action.setChecked(True)
    team = next(iter(workflow.teams.values()))
    window.undo_stack.push(SetFieldCommand(workflow, team.id, "shifts.all day.headcount", [9] * 7))
    assert team.shifts[0].headcount == [8] * 7
    assert [c.path for c in workflow.scenarios[scenario.id].changes] == ["shifts.all day.headcount"]
    window.undo_stack.push(SetFieldCommand(workflow, team.id, "shifts.all day.headcount", [8] * 7))
    assert workflow.scenarios[scenario.id].changes == []


def test_structural_edits_are_refused_in_scenario_mode_and_allowed_after(window):
    workflow = window.document.workflow
    window.scenarios.new_scenario()
    window.scenarios.mode_action.setChecked(True)
    count = len(workflow.nodes)
    window.view.add_node_at("delay", QPointF(600, 300))
    assert len(workflow.nodes) == count
    assert "Scenario mode" in window.statusBar().currentMessage()
    steps = window.undo_stack.count()
    window.view.canvas_scene.select_ids([workflow.node_by_name("Tier 1").id])
    window.delete_selection()
    assert len(workflow.nodes) == count
    assert window.undo_stack.count() == steps
    window.scenarios.mode_action.setChecked(False)
    assert not window.property_banner.isVisible()
    window.view.add_node_at("delay", QPointF(600, 300))
    assert len(workflow.nodes) == count + 1


def test_scenario_list_edits_are_undoable(window):
    workflow, panel = window.document.workflow, window.scenarios
    first = panel.new_scenario()
    second = panel.copy_selected()
    panel.rename(second.id, "Faster tier 1")
    assert [s.name for s in workflow.scenarios.values()] == ["Scenario", "Faster tier 1"]
    panel.delete_selected()
    assert list(workflow.scenarios) == [first.id]
    window.undo_stack.undo()
    assert [s.name for s in workflow.scenarios.values()] == ["Scenario", "Faster tier 1"]
    for _ in range(3):
        window.undo_stack.undo()
    assert workflow.scenarios == {}


def test_the_change_list_edits_changes_and_marks_one_that_cannot_apply(window):
    workflow, panel = window.document.workflow, window.scenarios
    scenario = panel.new_scenario()
    panel.editor.select_target(_stage(window).id)
    panel.editor.select_field("handle time")
    panel.editor.select_operation("scale")
    panel.editor.value.setText("1.25")
    panel.add_change()
    change = workflow.scenarios[scenario.id].changes[0]
    assert (change.path, change.op, change.value) == ("handle_time.mean", "scale", 1.25)
    assert panel.changes.item(0, CHANGE).text() == "Tier 1 · handle time ×1.25"
    assert panel.changes.item(0, EFFECT).text() == "5 → 6.25 min"
    panel.edit_change(0, path="handle_time.median")
    assert workflow.scenarios[scenario.id].changes[0].path == "handle_time.median"
    assert "no field 'median'" in panel.changes.item(0, CHANGE).toolTip()
    window.undo_stack.undo()
    assert workflow.scenarios[scenario.id].changes[0].path == "handle_time.mean"
    assert "cannot apply" not in panel.changes.item(0, CHANGE).toolTip()


def test_scenario_mode_shows_a_launch_plan_where_it_settles(window, qtbot):
    from flowmodel.launch import Ramp, Scope
    from flowmodel.scenarios import Change

    stage = _stage(window)
    scenario = window.document.workflow.scenarios[window.scenarios.new_scenario().id]
    scenario.launch = "+1d"
    scenario.changes = [
        Change(stage.id, "handle_time.mean", "add", 1.0, start="launch", ramp=Ramp(4.0, "linear", 48)),
        Change(stage.id, "handle_time.mean", "add", 10.0, start="launch", end="+2d"),
        Change(stage.id, "handle_time.mean", "add", 100.0, start="launch", scope=Scope(languages=["es"]))]
    window.scenarios.mode_button.click()
    assert window.property_banner.text() == ("Editing scenario 'Scenario' (timed changes at their settled values) "
                                             "— baseline unchanged")
    assert window.scenario_mode.shown_item(stage.id).handle_time.mean == 6.0  # 5 + the lasting change, settled
