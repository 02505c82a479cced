"""The teams panel: add, remove (undo restores the team exactly, in place), rename, roster grid, skills,
shrinkage and the ordered stages a team works — every edit through the undo stack, both directions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from flowmodel import ReviewStage, Shift, Team
from flowmodel.serialization import workflow_to_dict
from ui.commands import SetFieldCommand
from ui.panels import TeamsPanel


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def panel(qtbot, triage, stack) -> TeamsPanel:
    widget = TeamsPanel(triage, stack)
    qtbot.addWidget(widget)
    widget.resize(480, 900)
    widget.show()
    return widget


def list_names(panel: TeamsPanel) -> list[str]:
    return [panel.team_list.item(row).text() for row in range(panel.team_list.count())]


def test_lists_the_teams_and_shows_the_first(panel, triage):
    assert list_names(panel) == ["Generalists"]
    assert panel.form.field("name").text() == "Generalists"


def test_add_team_selects_it_and_undo_removes_it(panel, triage, stack):
    panel.add_button.click()
    assert list_names(panel) == ["Generalists", "Team 1"]
    new_id = panel.selected_team_id()
    assert triage.teams[new_id].name == "Team 1"
    assert panel.form.field("name").text() == "Team 1"
    stack.undo()
    assert new_id not in triage.teams
    assert list_names(panel) == ["Generalists"]
    stack.redo()
    assert list(triage.teams)[-1] == new_id


def test_remove_team_and_undo_restores_it_exactly_in_place(panel, triage, stack):
    triage.add_team(Team(name="Spanish", languages=["es"], shifts=[Shift("night", 22, 8, [3] * 7)]))
    before = workflow_to_dict(triage)
    panel.select_team(triage.team_by_name("Generalists").id)
    panel.remove_button.click()
    assert list_names(panel) == ["Spanish"]
    assert [t.name for t in triage.teams.values()] == ["Spanish"]
    stack.undo()
    assert workflow_to_dict(triage) == before
    assert list_names(panel) == ["Generalists", "Spanish"]


def test_rename_in_the_list_is_undoable(panel, triage, stack):
    team = triage.team_by_name("Generalists")
    panel.team_list.item(0).setText("EN generalists")
    assert team.name == "EN generalists"
    assert panel.form.field("name").text() == "EN generalists"
    stack.undo()
    assert team.name == "Generalists"
    assert list_names(panel) == ["Generalists"]


def test_roster_grid_edit_changes_headcount_and_refuses_bad_cells(panel, triage, stack):
    team = triage.team_by_name("Generalists")
    roster = panel.form.field("shifts")
    roster.table.item(0, 3).setText("12")  # Monday
    assert team.shifts[0].headcount == [12, 8, 8, 8, 8, 8, 8]
    roster.table.item(0, 4).setText("2.5")
    assert team.shifts[0].headcount[1] == 8
    assert "whole number" in panel.form.problem("shifts")
    roster.table.item(0, 4).setText("9")
    assert team.shifts[0].headcount[1] == 9
    assert panel.form.problem("shifts") == ""
    stack.undo()
    assert team.shifts[0].headcount == [12] + [8] * 6
    assert roster.table.item(0, 4).text() == "8"
    stack.undo()
    assert team.shifts[0].headcount == [8] * 7
    assert roster.table.item(0, 3).text() == "8"


def test_add_shift_adds_a_named_row(panel, triage):
    team = triage.team_by_name("Generalists")
    panel.form.field("shifts").add_button.click()
    assert [s.name for s in team.shifts] == ["all day", "day"]
    assert team.shifts[1].headcount == [0] * 7


def test_shrinkage_is_typed_in_percent(qtbot, panel, triage, stack):
    team = triage.team_by_name("Generalists")
    box = panel.form.field("shrinkage")
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "25")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert team.shrinkage == 0.25
    assert box.maximum() == 95.0
    stack.push(SetFieldCommand(triage, team.id, "shrinkage", 0.4))
    assert box.value() == 40.0


def test_languages_comma_list_and_pick_menu(qtbot, panel, triage):
    team = triage.team_by_name("Generalists")
    languages = panel.form.field("languages")
    qtbot.keyClicks(languages.edit, "es, pt ,es")
    languages.edit.editingFinished.emit()
    assert team.languages == ["es", "pt"]
    languages.toggle("en")
    assert team.languages == ["es", "pt", "en"]
    assert "en" in languages.known


def test_stages_are_ticked_and_reordered_by_priority(panel, triage, stack):
    team = triage.team_by_name("Generalists")
    tier1 = triage.node_by_name("Tier 1")
    tier2 = triage.add_node(ReviewStage(name="Tier 2"))
    stages = panel.form.field("stages")
    assert [stages.list.item(r).text() for r in range(stages.list.count())] == ["Tier 1", "Tier 2"]
    stages.list.item(1).setCheckState(Qt.CheckState.Checked)
    assert team.stages == [tier1.id, tier2.id]
    stages.list.setCurrentRow(1)
    stages.up_button.click()
    assert team.stages == [tier2.id, tier1.id]
    assert stages.keys() == [tier2.id, tier1.id]
    stack.undo()
    assert team.stages == [tier1.id, tier2.id]
    assert stages.keys() == [tier1.id, tier2.id]
    stack.undo()
    assert team.stages == [tier1.id]


def test_removing_a_stage_node_updates_the_list(panel, triage):
    tier1 = triage.node_by_name("Tier 1")
    triage.remove_node(tier1.id)
    assert panel.form.field("stages").keys() == []


def test_removing_the_last_team_shows_a_hint_and_set_workflow_switches(panel, triage, stack):
    panel.remove_button.click()
    assert panel.form is None
    assert "No teams yet" in panel.scroll.widget().text()
    stack.undo()
    other = triage.copy()
    panel.set_workflow(other)
    assert list_names(panel) == ["Generalists"]
    assert panel.form.workflow is other
    triage.add_team(Team(name="Only in the old document"))
    assert list_names(panel) == ["Generalists"]


def test_contract_hours_are_edited_undoably_and_shown_as_fte(qtbot, panel, triage, stack):
    team = triage.team_by_name("Generalists")
    box = panel.form.field("contract_hours")
    assert box.value() == 40.0
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "32")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert team.contract_hours == 32.0
    assert f"{team.fte(team.paid_hours_per_week()):.1f} FTE at 32 h" in panel.form.capacity.text()
    stack.undo()
    assert team.contract_hours == 40.0 and box.value() == 40.0
    stack.push(SetFieldCommand(triage, team.id, "contract_hours", 20.0))
    assert box.value() == 20.0
