"""The property panel drives the real forms: typing changes the model through undoable commands, the model
(after undo or another command) changes the widgets, and refused values stay out of the model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from flowmodel import Classifier, Condition, Distribution, Edge, MixEntry, Router
from ui.commands import SetFieldCommand
from ui.panels import PropertyPanel


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def panel(qtbot, triage, stack) -> PropertyPanel:
    widget = PropertyPanel(triage, stack)
    qtbot.addWidget(widget)
    widget.resize(460, 900)
    widget.show()
    return widget


def type_number(qtbot, box, text: str) -> None:
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_nothing_selected_shows_a_hint(panel):
    panel.show_item(None)
    assert panel.form is None
    assert "Select a node or edge" in panel.scroll.widget().text()


def test_typing_a_name_is_one_undo_step_and_undo_shows_the_old_name(qtbot, panel, triage, stack):
    stage = triage.node_by_name("Tier 1")
    panel.show_item(stage.id)
    name = panel.form.field("name")
    qtbot.keyClicks(name, " (EN)")
    assert stage.name == "Tier 1 (EN)"
    assert stack.count() == 1
    assert panel.title.text() == "Review stage — Tier 1 (EN)"
    stack.undo()
    assert stage.name == "Tier 1"
    assert name.text() == "Tier 1"


def test_typing_in_the_middle_keeps_the_cursor(qtbot, panel, triage):
    stage = triage.node_by_name("Tier 1")
    panel.show_item(stage.id)
    name = panel.form.field("name")
    name.setCursorPosition(4)
    qtbot.keyClicks(name, "s")
    assert stage.name == "Tiers 1"
    assert name.cursorPosition() == 5


def test_rate_typed_and_entered_changes_the_model_and_undo_restores_the_widget(qtbot, panel, triage, stack):
    source = triage.node_by_name("User reports")
    panel.show_item(source.id)
    rate = panel.form.field("rate_per_hour")
    type_number(qtbot, rate, "120")
    assert source.rate_per_hour == 120.0
    assert stack.count() == 1
    stack.undo()
    assert source.rate_per_hour == 60.0
    assert rate.value() == 60.0


def test_a_command_from_elsewhere_updates_the_shown_handle_time(panel, triage, stack):
    stage = triage.node_by_name("Tier 1")
    panel.show_item(stage.id)
    editor = panel.form.field("handle_time")
    stack.push(SetFieldCommand(triage, stage.id, "handle_time.mean", 9.0))
    assert editor.numbers["mean"].value() == 9.0
    stack.push(SetFieldCommand(triage, stage.id, "handle_time", Distribution.lognormal(4.0, 2.0, "min")))
    assert editor.kind.currentData() == "lognormal"
    assert editor.parameters.isRowVisible(1)
    assert editor.numbers["sd"].value() == 2.0


def test_a_zero_sd_for_a_lognormal_is_shown_inline_and_not_stored(qtbot, panel, triage, stack):
    stage = triage.node_by_name("Tier 1")
    triage.set_field(stage.id, "handle_time", Distribution.lognormal(3.0, 1.5, "min"))
    panel.show_item(stage.id)
    sd = panel.form.field("handle_time").numbers["sd"]
    type_number(qtbot, sd, "0")
    assert stage.handle_time == Distribution.lognormal(3.0, 1.5, "min")
    assert stack.count() == 0
    assert "standard deviation > 0" in panel.form.problem("handle_time")
    assert sd.property("invalid") is True
    type_number(qtbot, sd, "2")
    assert stage.handle_time.sd == 2.0
    assert panel.form.problem("handle_time") == ""
    assert sd.property("invalid") is False


def test_switching_the_unit_keeps_the_duration(qtbot, panel, triage, stack):
    stage = triage.node_by_name("Tier 1")
    triage.set_field(stage.id, "handle_time", Distribution.fixed(90.0, "s"))
    panel.show_item(stage.id)
    editor = panel.form.field("handle_time")
    editor.unit.setCurrentIndex(editor.unit.findData("min"))
    editor.unit.activated.emit(editor.unit.currentIndex())
    assert (stage.handle_time.unit, stage.handle_time.mean) == ("min", 1.5)
    assert editor.numbers["mean"].suffix() == " min"
    assert stage.handle_time.mean_seconds() == 90.0
    stack.undo()
    assert stage.handle_time == Distribution.fixed(90.0, "s")


def test_changing_the_kind_keeps_the_mean(panel, triage):
    stage = triage.node_by_name("Tier 1")
    panel.show_item(stage.id)
    editor = panel.form.field("handle_time")
    editor.kind.setCurrentIndex(editor.kind.findData("gamma"))
    editor.kind.activated.emit(editor.kind.currentIndex())
    assert stage.handle_time.kind == "gamma"
    assert stage.handle_time.mean_value() == 5.0
    assert stage.handle_time.problems() == []


def test_edge_probability_edit_and_outgoing_sum(qtbot, panel, triage, stack):
    tier1 = triage.node_by_name("Tier 1")
    remove = next(e for e in triage.outgoing(tier1.id) if e.label == "remove")
    panel.show_item(remove.id)
    assert panel.title.text() == "Edge — remove"
    assert panel.form.route.text() == "Tier 1 → Removed"
    assert "= 1 ✓" in panel.form.outgoing_sum.text()
    type_number(qtbot, panel.form.field("probability"), "0.25")
    assert remove.probability == 0.25
    assert "0.95" in panel.form.outgoing_sum.text()
    assert "must sum to 1" in panel.form.outgoing_sum.text()
    stack.undo()
    assert remove.probability == 0.3
    assert panel.form.field("probability").value() == 0.3


def test_classifier_edges_edit_per_category_probabilities(panel, triage):
    classifier = triage.add_node(Classifier(name="Hate model"))
    tier1 = triage.node_by_name("Tier 1")
    edge = triage.add_edge(Edge(classifier.id, tier1.id, probability=0.5, probability_by_category={"hate": 0.8}))
    panel.show_item(edge.id)
    table = panel.form.field("probability_by_category").table
    assert (table.item(0, 0).text(), table.item(0, 1).text()) == ("hate", "0.8")
    table.item(0, 1).setText("0.9")
    assert edge.probability_by_category == {"hate": 0.9}
    table.item(0, 1).setText("1.5")
    assert edge.probability_by_category == {"hate": 0.9}
    assert "between 0 and 1" in panel.form.problem("probability_by_category")


def test_item_mix_that_does_not_sum_to_one_is_refused_then_normalised(panel, triage, stack):
    source = triage.node_by_name("User reports")
    triage.set_field(source.id, "mix", [MixEntry("hate", "en", "P1", 0.4), MixEntry("spam", "en", "P3", 0.6)])
    panel.show_item(source.id)
    mix = panel.form.field("mix")
    mix.table.item(0, 3).setText("0.35")
    assert [e.share for e in source.mix] == [0.4, 0.6]
    assert "shares sum to 0.95" in panel.form.problem("mix")
    assert mix.sum_label.text() == "sum 0.95"
    mix.normalise_button.click()
    assert sum(e.share for e in source.mix) == pytest.approx(1.0)
    assert source.mix[0].share == pytest.approx(0.35 / 0.95)
    assert panel.form.problem("mix") == ""
    assert stack.count() == 1


def test_profile_grid_switch_to_daily_and_edit_an_hour(panel, triage, stack):
    source = triage.node_by_name("User reports")
    panel.show_item(source.id)
    grid = panel.form.field("profile")
    assert grid.grid.isHidden()
    grid.kind.setCurrentIndex(grid.kind.findData("daily"))
    grid.kind.activated.emit(grid.kind.currentIndex())
    assert (source.profile.kind, source.profile.multipliers) == ("daily", [1.0] * 24)
    assert not grid.grid.isHidden()
    grid.grid.item(9, 0).setText("2.5")
    assert source.profile.multipliers[9] == 2.5
    grid.grid.item(10, 0).setText("-1")
    assert source.profile.multipliers[10] == 1.0
    assert "≥ 0" in panel.form.problem("profile")
    stack.undo()
    stack.undo()
    assert source.profile.kind == "flat"
    assert grid.kind.currentData() == "flat"


def test_unknown_time_zone_is_refused(qtbot, panel, triage):
    source = triage.node_by_name("User reports")
    panel.show_item(source.id)
    zone = panel.form.field("timezone")
    zone.lineEdit().selectAll()
    qtbot.keyClicks(zone.lineEdit(), "Mars/Olympus")
    zone.lineEdit().editingFinished.emit()
    assert source.timezone == "UTC"
    assert "unknown time zone" in panel.form.problem("timezone")
    zone.lineEdit().selectAll()
    qtbot.keyClicks(zone.lineEdit(), "Europe/Dublin")
    zone.lineEdit().editingFinished.emit()
    assert source.timezone == "Europe/Dublin"
    assert panel.form.problem("timezone") == ""


def test_stage_priority_order_moves_up(panel, triage, stack):
    stage = triage.node_by_name("Tier 1")
    panel.show_item(stage.id)
    order = panel.form.field("priority_order")
    order.list.setCurrentRow(2)
    order.up_button.click()
    assert stage.priority_order == ["P0", "P2", "P1", "P3"]
    assert order.keys() == ["P0", "P2", "P1", "P3"]
    assert order.list.currentItem().text() == "P2"
    stack.undo()
    assert order.keys() == ["P0", "P1", "P2", "P3"]


def test_sla_unit_switch_converts_and_expiry_toggles(panel, triage):
    stage = triage.node_by_name("Tier 1")
    panel.show_item(stage.id)
    sla = panel.form.field("sla")
    sla.add_button.click()
    assert [(t.priority, t.within, t.unit) for t in stage.sla] == [("P2", 24.0, "h")]  # the priority arriving at Tier 1
    sla.table.item(0, 3).setText("d")
    assert (stage.sla[0].within, stage.sla[0].unit) == (1.0, "d")
    expiry = panel.form.field("expiry")
    expiry.enabled.click()
    assert stage.expiry == Distribution.fixed(24.0, "h")
    assert expiry.editor.isVisibleTo(expiry)
    expiry.enabled.click()
    assert stage.expiry is None


def test_per_category_handle_time_is_added_and_edited(qtbot, panel, triage, stack):
    stage = triage.node_by_name("Tier 1")
    panel.show_item(stage.id)
    times = panel.form.field("handle_time_by_category")
    times.new_category.setCurrentText("hate")
    times.add_button.click()
    times.new_category.setCurrentText("spam")
    times.add_button.click()
    assert stage.handle_time_by_category == {"hate": Distribution.exponential(5, "min"),
                                             "spam": Distribution.exponential(5, "min")}
    assert times.editor_title.text() == "Handle time of spam:"
    type_number(qtbot, times.editor.numbers["mean"], "8")
    assert stage.handle_time_by_category["spam"].mean == 8.0
    assert stage.handle_time_by_category["hate"].mean == 5.0
    assert stack.count() == 3
    times.add_category("spam")
    assert "already has its own handle time" in panel.form.problem("handle_time_by_category")


def test_worked_by_follows_the_teams(panel, triage, stack):
    stage = triage.node_by_name("Tier 1")
    panel.show_item(stage.id)
    assert panel.form.teams.text() == "Generalists"
    team = triage.team_by_name("Generalists")
    stack.push(SetFieldCommand(triage, team.id, "stages", []))
    assert "no team works this stage" in panel.form.teams.text()


def test_removing_the_shown_node_empties_the_panel_and_new_workflow_resets(panel, triage):
    stage = triage.node_by_name("Tier 1")
    panel.show_item(stage.id)
    triage.remove_node(stage.id)
    assert panel.form is None
    panel.show_item(triage.node_by_name("Removed").id)
    panel.set_workflow(triage.copy())
    assert panel.form is None


def test_router_mode_and_attribute_edge_conditions(qtbot, panel, triage, stack):
    router = triage.add_node(Router(name="Language split"))
    tier1 = triage.node_by_name("Tier 1")
    branch = triage.add_edge(Edge(router.id, tier1.id, label="es"))
    panel.show_item(router.id)
    assert not panel.form.attribute.isEnabled()
    mode = panel.form.field("mode")
    mode.setCurrentIndex(mode.findData("attribute"))
    mode.activated.emit(mode.currentIndex())
    assert router.mode == "attribute"
    assert panel.form.attribute.isEnabled()
    panel.show_item(branch.id)
    assert not panel.form.field("probability").parentWidget().isVisibleTo(panel.form)
    condition = panel.form.field("condition")
    qtbot.keyClicks(condition.values.edit, "es, pt")
    condition.values.edit.editingFinished.emit()
    assert branch.condition == Condition("language", ["es", "pt"])
    assert "0 are 'otherwise'" in panel.form.outgoing_sum.text()
    panel.form.field("otherwise").click()
    assert branch.otherwise is True
    assert "one is 'otherwise' ✓" in panel.form.outgoing_sum.text()
    stack.undo()
    assert branch.otherwise is False
    assert not panel.form.field("otherwise").isChecked()
