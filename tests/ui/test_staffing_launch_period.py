"""The staffing dialog staffs a launch plan's launch period apart from its settled state (flowmodel.launch_period):
offered for launch plans only, the chosen period narrows the search's statistics window, and a search of the launch
period recommends more reviewers than one of the settled state."""

from __future__ import annotations

from editor_helpers import make_window
from run_helpers import RUN_TIMEOUT_MS

from flowmodel.jsonfile import write_workflow_json
from tests.test_staffing_launch import RUN, launch_workflow
from ui.main_window import MainWindow
from ui.staffing.dialog import StaffingDialog


def _dialog(qtbot, tmp_path) -> tuple[MainWindow, StaffingDialog]:
    path = tmp_path / "launch.flow.json"
    write_workflow_json(launch_workflow(), path)
    window = make_window(qtbot, tmp_path)
    assert window.open_path(path)
    dialog = window.staffing.open_dialog()
    dialog.horizon.setValue(RUN.horizon_hours)
    dialog.warmup.setValue(0)
    dialog.replications.setValue(RUN.replications)
    dialog.seed.setValue(RUN.seed)
    return window, dialog


def test_the_period_is_offered_for_a_launch_plan_only(qtbot, tmp_path):
    _, dialog = _dialog(qtbot, tmp_path)
    assert dialog.scenario.currentData() is None and not dialog.period.isEnabled()
    dialog.scenario.setCurrentIndex(dialog.scenario.findData("launch"))
    assert dialog.period.isEnabled() and not dialog.launch_days.isEnabled()
    dialog.period.setCurrentIndex(dialog.period.findData("launch"))
    assert dialog.launch_days.isEnabled()
    dialog.launch_days.setValue(1)
    settings = dialog.settings()
    assert (settings.warmup_hours, settings.horizon_hours) == (48.0, 72.0)
    dialog.scenario.setCurrentIndex(0)
    assert dialog.period.currentData() == "run" and not dialog.period.isEnabled()


def test_a_period_that_does_not_fit_is_refused_with_its_reason(qtbot, tmp_path):
    _, dialog = _dialog(qtbot, tmp_path)
    dialog.scenario.setCurrentIndex(dialog.scenario.findData("launch"))
    dialog.period.setCurrentIndex(dialog.period.findData("launch"))
    dialog.warmup.setValue(60)  # the launch (hour 48) falls inside the warm-up
    assert not dialog.start()
    assert "inside the run's warm-up" in dialog.result.headline.text()


def test_the_launch_period_is_staffed_above_the_settled_state(qtbot, tmp_path):
    _, dialog = _dialog(qtbot, tmp_path)
    dialog.scenario.setCurrentIndex(dialog.scenario.findData("launch"))
    weekday = {}
    for period in ("launch", "settled"):
        dialog.period.setCurrentIndex(dialog.period.findData(period))
        dialog.launch_days.setValue(1)
        dialog.plan = None
        assert dialog.start()
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=RUN_TIMEOUT_MS)
        assert dialog.plan.status == "met"
        weekday[period] = next(r.recommended for r in dialog.plan.rows if 2 in r.days)
        qtbot.waitUntil(lambda: not dialog.controller.running, timeout=RUN_TIMEOUT_MS)
    assert weekday["launch"] >= weekday["settled"] + 1
