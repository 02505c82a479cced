"""The scenario change editor in planner words, and scenario mode showing the scenario's routing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from flowmodel.scenarios import Change, Scenario
from flowmodel.validation import validate

INTERNAL = ("rate_per_hour", "handle_time", "route.", "shifts.", ".mean", "headcount.")


def _pick(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def _type_change(qtbot, panel, target: str, field: str, op: str, value: str, unit: str = "",
                 days: str = "") -> None:
    editor = panel.editor
    _pick(editor.target, target)
    _pick(editor.field, field)
    _pick(editor.operation, op)
    if unit:
        _pick(editor.unit, unit)
    if days:
        _pick(editor.days, days)
    editor.value.clear()
    qtbot.keyClicks(editor.value, value)


def _edge(workflow, label: str):
    return next(e for e in workflow.edges.values() if e.label == label)


def test_add_40_s_to_a_handle_time_in_minutes(window, qtbot):
    workflow, panel = window.document.workflow, window.scenarios
    scenario = panel.new_scenario()
    stage = workflow.node_by_name("Tier 1")
    _type_change(qtbot, panel, "Tier 1 (review stage)", "handle time", "add", "40", unit="s")
    assert panel.editor.unit.isEnabled()
    qtbot.mouseClick(panel.add_change_button, Qt.MouseButton.LeftButton)
    [change] = workflow.scenarios[scenario.id].changes
    assert (change.target, change.path, change.op) == (stage.id, "handle_time.mean", "add")
    assert change.value == pytest.approx(40 / 60)
    assert stage.handle_time.mean == 5.0  # the baseline is untouched
    assert panel.change_texts() == ["Tier 1 · handle time +40 s"]
    assert panel.changes.item(0, 1).text() == "5 → 5.667 min"
    window.undo_stack.undo()
    assert workflow.scenarios[scenario.id].changes == []
    assert panel.change_texts() == []


def test_shares_in_percent_rates_and_weekday_headcounts_read_in_planner_words(window, qtbot):
    workflow, panel = window.document.workflow, window.scenarios
    scenario = panel.new_scenario()
    team = next(iter(workflow.teams.values()))
    _type_change(qtbot, panel, "Tier 1 (review stage)", "remove share", "set to", "8")
    qtbot.mouseClick(panel.add_change_button, Qt.MouseButton.LeftButton)
    _type_change(qtbot, panel, "User reports (source)", "arrival rate", "multiply by", "1.25")
    assert not panel.editor.unit.isEnabled()  # a factor has no unit
    qtbot.mouseClick(panel.add_change_button, Qt.MouseButton.LeftButton)
    _type_change(qtbot, panel, "Generalists (team)", "headcount, all day shift", "set to", "20", days="Mon–Fri")
    qtbot.mouseClick(panel.add_change_button, Qt.MouseButton.LeftButton)
    changes = workflow.scenarios[scenario.id].changes
    assert [(c.path, c.op) for c in changes] == [("route.remove", "set"), ("rate_per_hour", "scale"),
                                                 ("shifts.all day.headcount", "set")]
    assert changes[0].value == pytest.approx(0.08)
    assert changes[2].target == team.id and changes[2].value == [20] * 5 + [8, 8]
    texts = panel.change_texts()
    assert texts == ["Tier 1 · remove share → 8 %", "User reports · arrival rate ×1.25",
                     "Generalists · headcount, all day shift → 20 on Mon–Fri"]
    for text in texts:
        assert not any(path in text for path in INTERNAL), text
    header = [panel.changes.horizontalHeaderItem(c).text() for c in range(panel.changes.columnCount())]
    assert "Field" not in header and "Units" not in header


def test_a_value_that_is_not_a_number_cannot_be_added(window, qtbot):
    workflow, panel = window.document.workflow, window.scenarios
    scenario = panel.new_scenario()
    _type_change(qtbot, panel, "Tier 1 (review stage)", "handle time", "add", "forty", unit="s")
    assert not panel.add_change_button.isEnabled()
    assert "type a number" in panel.editor.problem.text()
    qtbot.mouseClick(panel.add_change_button, Qt.MouseButton.LeftButton)
    assert workflow.scenarios[scenario.id].changes == []


def test_selecting_a_change_loads_it_and_replace_is_one_undoable_step(window, qtbot):
    workflow, panel = window.document.workflow, window.scenarios
    scenario = panel.new_scenario()
    _type_change(qtbot, panel, "Tier 1 (review stage)", "handle time", "add", "40", unit="s")
    qtbot.mouseClick(panel.add_change_button, Qt.MouseButton.LeftButton)
    panel.editor.value.clear()
    panel.changes.selectRow(0)
    assert (panel.editor.value.text(), panel.editor.unit.currentText()) == ("40", "s")
    _type_change(qtbot, panel, "Tier 1 (review stage)", "handle time", "add", "2", unit="h")
    qtbot.mouseClick(panel.replace_change_button, Qt.MouseButton.LeftButton)
    [change] = workflow.scenarios[scenario.id].changes
    assert change.value == pytest.approx(120)
    assert panel.change_texts() == ["Tier 1 · handle time +120 min"]
    window.undo_stack.undo()
    assert workflow.scenarios[scenario.id].changes[0].value == pytest.approx(40 / 60)


def test_scenario_mode_shows_the_scenarios_branch_shares_on_the_canvas_and_in_the_edge_form(window, qtbot):
    workflow, panel = window.document.workflow, window.scenarios
    panel.new_scenario()
    _type_change(qtbot, panel, "Tier 1 (review stage)", "remove share", "set to", "40")
    qtbot.mouseClick(panel.add_change_button, Qt.MouseButton.LeftButton)
    remove, keep = _edge(workflow, "remove"), _edge(workflow, "keep")
    labels = window.view.canvas_scene.edge_items
    assert labels[remove.id].label_text() == "remove 30%"
    panel.mode_button.click()
    assert window.scenario_mode.active
    assert (labels[remove.id].label_text(), labels[keep.id].label_text()) == ("remove 40%", "keep 60%")
    assert labels[remove.id].scenario_changed
    window.view.canvas_scene.select_ids([remove.id])
    form = window.properties.form
    assert "0.4 + 0.6 = 1 ✓" in form.outgoing_sum.text()
    assert form.field("probability").value() == pytest.approx(0.4)
    assert "font-weight: bold" in form.rows.labelForField(form.field("probability").parentWidget()).styleSheet()
    assert remove.probability == 0.3
    panel.mode_button.click()
    assert labels[remove.id].label_text() == "remove 30%"
    assert not labels[remove.id].scenario_changed


def test_a_scenario_whose_branches_do_not_sum_to_one_is_flagged(window, qtbot):
    workflow, panel = window.document.workflow, window.scenarios
    scenario = panel.new_scenario()
    remove = _edge(workflow, "remove")
    panel.mode_button.click()
    window.view.canvas_scene.select_ids([remove.id])
    box = window.properties.form.field("probability")
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "0.33")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert [(c.target, c.path, c.value) for c in workflow.scenarios[scenario.id].changes] == [
        (remove.id, "probability", 0.33)]
    assert "= 1.03 — they must sum to 1" in window.properties.form.outgoing_sum.text()
    [issue] = [i for i in validate(workflow) if i.rule == "scenario-probability-sum"]
    assert issue.severity == "warning" and issue.node_id == remove.source
    assert "Scenario" in issue.message and "“Tier 1”" in issue.message and "103 %" in issue.message
    assert "lower the remove share by 3 points" in issue.hint


def test_edge_labels_are_drawn_above_cards(window):
    workflow = window.document.workflow
    scene = window.view.canvas_scene
    edge = _edge(workflow, "remove")
    label = scene.edge_items[edge.id].label_item
    assert label.scene() is scene
    assert all(label.zValue() > card.zValue() for card in scene.node_items.values())
    assert scene.edge_items[edge.id].zValue() < min(card.zValue() for card in scene.node_items.values())


def test_branch_sum_check_ignores_scenarios_that_rescale(triage):
    tier1 = triage.node_by_name("Tier 1")
    triage.put_scenario(Scenario("ok", changes=[Change(tier1.id, "route.remove", "set", 0.5)]))
    assert not [i for i in validate(triage) if i.rule == "scenario-probability-sum"]


def test_a_change_on_a_single_edge_is_listed_but_not_overwritten_by_replace(window, qtbot):
    workflow, panel = window.document.workflow, window.scenarios
    scenario = panel.new_scenario()
    remove = _edge(workflow, "remove")
    window.scenarios.mode_button.click()
    window.view.canvas_scene.select_ids([remove.id])
    box = window.properties.form.field("probability")
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "0.2")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert panel.change_texts() == ["Tier 1 → Removed · share → 20 %"]
    panel.changes.selectRow(0)
    _type_change(qtbot, panel, "Tier 1 (review stage)", "handle time", "add", "1", unit="min")
    assert panel.add_change_button.isEnabled() and not panel.replace_change_button.isEnabled()
    assert workflow.scenarios[scenario.id].changes[0].target == remove.id
