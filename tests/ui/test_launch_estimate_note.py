"""The launch plan page's estimate note: shown for a launch plan a moment after an edit, in planner words, with the
estimate's own figures; hidden for a static scenario; a plan the engine refuses shows why."""

from __future__ import annotations

from editor_helpers import make_window
from test_launch_timeline import EXAMPLE, launch_plan

from flowmodel.scenarios import Scenario
from simulations.analytic.launch_estimate import estimate_launch
from ui.main_window import EXAMPLES_FOLDER
from ui.scenarios.commands import PutScenarioCommand
from ui.scenarios.launch_estimate_note import estimate_lines


def _window_with(qtbot, tmp_path, make_scenario):
    window = make_window(qtbot, tmp_path)
    window.resize(1280, 800)
    assert window.open_example(EXAMPLES_FOLDER / EXAMPLE)
    workflow = window.document.workflow
    scenario = make_scenario(workflow)
    window.undo_stack.push(PutScenarioCommand(workflow, scenario, "Add a scenario"))
    window.scenarios.select_scenario(scenario.id)
    panel = window.scenarios
    panel.tabs.setCurrentWidget(panel.tabs.widget(1))
    return window, workflow, scenario


def test_a_launch_plan_gets_its_estimate_in_words(qtbot, tmp_path):
    window, workflow, scenario = _window_with(qtbot, tmp_path, launch_plan)
    note = window.scenarios.launch_page.estimate
    qtbot.waitUntil(lambda: note.isVisible() and "Estimate" in note.text(), timeout=5000)
    expected = estimate_lines(estimate_launch(workflow, scenario))
    assert expected and all(line in note.text() for line in expected)
    assert any("backlog peaks at about" in line for line in expected)


def test_a_static_scenario_has_no_estimate_and_a_refused_plan_says_why(qtbot, tmp_path):
    window, workflow, _ = _window_with(qtbot, tmp_path, lambda w: Scenario(name="Static"))
    note = window.scenarios.launch_page.estimate
    qtbot.wait(500)
    assert not note.isVisible()
    broken = launch_plan(workflow)
    broken.trainings[0].hours_per_person = 10_000.0  # more hours than the team has on the floor
    window.undo_stack.push(PutScenarioCommand(workflow, broken, "Add a broken plan"))
    window.scenarios.select_scenario(broken.id)
    qtbot.waitUntil(lambda: note.isVisible() and "unavailable" in note.text(), timeout=5000)
    assert "reviewer-hours" in note.text()
