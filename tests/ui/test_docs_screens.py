"""The documentation's launch-plan shot: the Launch plan tab with the canvas free of the last run's overlay, so
the only figures on the canvas are the plan's estimate; the overlay is restored after the shot."""

from __future__ import annotations

from editor_helpers import make_window

from ui import docs_screens
from ui.main_window import EXAMPLES_FOLDER


def test_the_launch_plan_shot_has_no_canvas_overlay(qtbot, tmp_path, monkeypatch, qapp):
    window = make_window(qtbot, tmp_path)
    assert window.open_example(EXAMPLES_FOLDER / docs_screens.EXAMPLE)
    picker = window.results.overlay_picker
    picker.setCurrentIndex(picker.findData("backlog"))
    seen: list[object] = []
    monkeypatch.setattr(docs_screens, "_save", lambda widget, path: seen.append(picker.currentData()))
    docs_screens._launch_plan_screen(qapp, window, tmp_path)
    assert seen == [""]  # no overlay while the shot is taken
    assert picker.currentData() == "backlog"  # and the planner's choice back after it
