"""The "Recommend staffing…" dialog with real widgets and real spawn worker processes: a search runs in the
background and fills the table, Cancel stops it and leaves no worker, Apply as new scenario is one undo step,
infeasible targets are explained without simulating, and the plan exports."""

from __future__ import annotations

import json

import pytest
from editor_helpers import make_window
from PySide6.QtCore import Qt
from run_helpers import RUN_TIMEOUT_MS, child_processes

from flowmodel import Distribution, SlaTarget
from flowmodel.jsonfile import write_workflow_json
from flowmodel.scenarios import apply_scenario
from simulations.executors import make_executor
from simulations.staffing import recommend_staffing, targets_from_model
from tests.test_staffing_analytic import single_stage
from tests.test_staffing_export import SETTINGS, small_model
from ui.main_window import MainWindow
from ui.staffing.dialog import StaffingDialog


def _open(qtbot, tmp_path, workflow) -> MainWindow:
    path = tmp_path / "staffing.flow.json"
    write_workflow_json(workflow, path)
    window = make_window(qtbot, tmp_path)
    assert window.open_path(path)
    return window


def _dialog(window: MainWindow, horizon_hours: float = 24.0) -> StaffingDialog:
    dialog = window.staffing.open_dialog()
    dialog.horizon.setValue(horizon_hours)
    dialog.warmup.setValue(SETTINGS.warmup_hours)
    dialog.replications.setValue(SETTINGS.replications)
    dialog.seed.setValue(SETTINGS.seed)
    dialog.max_simulations.setValue(12)
    return dialog


@pytest.fixture
def window(qtbot, tmp_path) -> MainWindow:
    return _open(qtbot, tmp_path, small_model())


def _cells(table, row: int) -> list[str]:
    return [table.item(row, column).text() for column in range(table.columnCount())]


def test_the_run_menu_opens_the_dialog_with_the_models_sla_targets(window):
    run_menu = window.staffing.menu
    assert run_menu.title() == "&Run" and window.staffing.action in run_menu.actions()
    window.staffing.action.trigger()
    dialog = window.staffing.dialog
    assert dialog is not None and dialog.isVisible()
    assert [dialog.scenario.itemText(i) for i in range(dialog.scenario.count())] == ["Baseline"]
    assert dialog.goals.rowCount() == 1 and _cells(dialog.goals, 0) == ["Review", "P2", "90%", "15 min"]
    assert not dialog.goals.item(0, 2).flags() & Qt.ItemFlag.ItemIsEditable


def test_a_search_runs_in_the_background_and_shows_the_staffing_table(window, qtbot, tmp_path):
    dialog = _dialog(window)
    seen = []
    dialog.controller.progressed.connect(seen.append)
    assert dialog.start()
    assert dialog.controller.running and not dialog.start_button.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=RUN_TIMEOUT_MS)
    plan = dialog.plan
    assert plan.status == "met" and seen and {p.phase for p in seen} <= {"screen", "trim", "confirm"}
    assert dialog.start_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert dialog.result.headline.text().startswith("Every target met at 95% confidence")
    table = dialog.result.staffing
    assert table.rowCount() == len(plan.rows) == 4
    for number, row in enumerate(plan.rows):
        assert _cells(table, number)[:6] == ["Reviewers", row.shift_name, row.days_label, "5", str(row.recommended),
                                             f"{row.delta:+d}" if row.delta else "0"]
        assert _cells(table, number)[6] == f"{row.fte_recommended:.1f}"  # heads × hours × days ÷ 40 h
    people = _cells(dialog.result.people, 0)
    assert people[:3] == ["Reviewers", "40 h", "0%"] and people[5] == f"{plan.fte_recommended:.1f}"
    assert plan.cost_delta_per_week < 0
    assert f"change <b>{plan.cost_delta_per_week:+,.0f}</b> per week" in dialog.result.cost.text()
    assert f"{plan.fte_recommended:.1f}</b> FTE" in dialog.result.cost.text()
    assert f"{plan.evaluations} roster(s) simulated" in dialog.result.simulated.text()
    assert f"{plan.replications_run} replications in all" in dialog.result.simulated.text()
    target = _cells(dialog.result.targets, 0)
    assert target[0] == "SLA · Review · P2: 90% within 15 min" and target[1] == "≥ 90.0%" and target[5] == "met"
    assert target[4] == str(plan.achieved[0].n)
    assert "no hour in the statistics window" in dialog.result.notes.text()  # 24 h: weekends are not simulated
    # the trim finished well inside the time budget: the dialog says how the plan is proven minimal
    assert plan.trim_checks and f"Minimal: one reviewer fewer on any of the {len(plan.trim_checks)} staffed " \
        "team-shifts misses a target" in dialog.result.notes.text()
    assert dialog.apply_button.isEnabled() and dialog.export_button.isEnabled()
    assert child_processes() == []
    dialog.ask_export_path = lambda: tmp_path / "plan.json"
    written = dialog.export()
    assert json.loads(written.read_text(encoding="utf-8"))["rows"][0]["recommended"] == plan.rows[0].recommended
    assert dialog.status.text() == "Exported to plan.json."


def test_cancel_stops_the_workers_and_keeps_no_plan(window, qtbot):
    dialog = _dialog(window, horizon_hours=24 * 2000)
    assert dialog.start()
    qtbot.waitUntil(lambda: "rosters simulated so far" in dialog.status.text(), timeout=RUN_TIMEOUT_MS)
    assert child_processes()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.controller.running, timeout=RUN_TIMEOUT_MS)
    assert dialog.status.text() == "Cancelled; no recommendation kept."
    assert dialog.plan is None and not dialog.apply_button.isEnabled() and dialog.start_button.isEnabled()
    qtbot.waitUntil(lambda: child_processes() == [], timeout=10_000)


def test_apply_as_new_scenario_is_undoable_and_selects_the_scenario(window, qtbot):
    workflow = window.document.workflow
    plan = recommend_staffing(workflow, None, targets_from_model(workflow), SETTINGS, executor=make_executor(1),
                              max_evaluations=12)
    dialog = window.staffing.open_dialog()
    dialog.show_plan(plan)
    dialog.apply_button.click()
    assert [s.name for s in workflow.scenarios.values()] == ["Staffing · Baseline"]
    scenario = next(iter(workflow.scenarios.values()))
    assert window.scenarios.scenario is not None and window.scenarios.scenario.id == scenario.id
    staffed = apply_scenario(workflow, scenario)
    shifts = {s.name: s.headcount for s in next(iter(staffed.teams.values())).shifts}
    for row in plan.rows:
        assert all(shifts[row.shift_name][day] == row.recommended for day in row.days)
    assert shifts != {s.name: s.headcount for s in next(iter(workflow.teams.values())).shifts}
    assert window.undo_stack.undoText() == "Apply staffing as scenario 'Staffing · Baseline'"
    dialog.apply_button.click()  # a second time: a new, uniquely named scenario
    assert [s.name for s in workflow.scenarios.values()] == ["Staffing · Baseline", "Staffing · Baseline 2"]
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert workflow.scenarios == {}
    assert window.scenarios.scenario_list.count() == 0


def test_infeasible_targets_show_the_reason_without_running(qtbot, tmp_path):
    workflow = single_stage(rate=30.0, handle=Distribution.exponential(3, "min"),
                            sla=[SlaTarget("P2", 1, "min", 0.95)])
    window = _open(qtbot, tmp_path, workflow)
    dialog = _dialog(window)
    assert not dialog.start()
    assert not dialog.controller.running and child_processes() == []
    text = dialog.result.headline.text()
    assert text.startswith("These targets cannot be met by any headcount; nothing was simulated:")
    assert "Review · P2: the target (95% within 1 min) is below the handle time" in text
    assert dialog.status.text() == "Not started: see the reasons on the right."
    assert not dialog.apply_button.isEnabled() and not dialog.export_button.isEnabled()


def test_the_export_dialog_starts_beside_the_document(window, tmp_path, monkeypatch):
    from ui.staffing import dialog as dialog_module

    seen = []
    monkeypatch.setattr(dialog_module.QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, filters: (seen.append(start), ("", ""))[1]))
    dialog = window.staffing.open_dialog()
    assert dialog.ask_export_path() is None
    assert seen == [str(tmp_path / "staffing.json")]
