"""Import → Handle times: the dialog on the generated lognormal-by-category file, driven like a planner would.

Known truth: tests/data/handle_times_by_category.csv holds 3,000 lognormal handle times per category with the
means and sds of ``tests/data_gen/handle_times.py`` (spam 45 ± 30 s, hate_speech 240 ± 180 s, graphic_violence
360 ± 300 s). A lognormal fitted to 3,000 of them recovers the mean within 5 % and the sd within 10 % (the mean's
standard error is about 1.2 %, the sd's about 3 %).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from editor_helpers import snapshot
from PySide6.QtCore import Qt

from flowmodel.nodes import ReviewStage
from ui.imports.handle_times_dialog import ALL, open_handle_times

DATA = Path(__file__).resolve().parents[1] / "data"
BY_CATEGORY = DATA / "handle_times_by_category.csv"
TRUTH_S = {"spam": (45.0, 30.0), "hate_speech": (240.0, 180.0), "graphic_violence": (360.0, 300.0)}


def _stage(window) -> ReviewStage:
    return next(n for n in window.document.workflow.nodes.values() if isinstance(n, ReviewStage))


def _show_group(dialog, key: str) -> None:
    for row in range(dialog.groups.count()):
        if dialog.groups.item(row).data(Qt.ItemDataRole.UserRole) == key:
            dialog.groups.setCurrentRow(row)
            return
    raise AssertionError(f"no entry {key!r} in the samples list")


@pytest.fixture
def dialog(window, qtbot):
    opened = open_handle_times(window, BY_CATEGORY)
    qtbot.waitExposed(opened)
    return opened


def test_detects_the_columns_and_ranks_lognormal_first_in_every_category(dialog):
    assert dialog.column_combo.currentText() == "handle_time_s"
    assert dialog.category_combo.currentText() == "category"
    assert dialog.unit_combo.currentData() == "s" and not dialog.unit_combo.isEnabled()  # the header says seconds
    assert set(dialog.samples.by_category) == set(TRUTH_S)
    for category in TRUTH_S:
        _show_group(dialog, category)
        assert dialog.fit_table.item(0, 0).text() == "lognormal"
        assert dialog.fit_table.item(0, 3).text() == "+0.0"  # ΔAIC of the best
        assert float(dialog.fit_table.item(1, 3).text().replace(",", "")) > 10  # the runner-up is clearly worse
        assert dialog.chosen[category] == "lognormal"
    assert dialog.apply_button.isEnabled()
    assert not dialog.message.error


def test_picking_another_family_redraws_the_qq_plot_and_the_densities(dialog, qtbot):
    _show_group(dialog, "spam")
    qtbot.waitUntil(lambda: dialog.qq_chart.paint_count > 0)
    lognormal_q = dialog.qq_chart.theoretical_s
    observed = dialog.qq_chart.observed_s
    painted = dialog.qq_chart.paint_count
    dialog.select_family("exponential")
    qtbot.waitUntil(lambda: dialog.qq_chart.paint_count > painted)
    assert dialog.qq_chart.family == "exponential" and dialog.density_chart.selected == "exponential"
    assert dialog.chosen["spam"] == "exponential" and dialog.chosen[ALL] == "lognormal"
    assert dialog.qq_chart.observed_s == observed  # the samples stay, the fitted quantiles move
    # lognormal data lie on the lognormal's diagonal, far off the exponential's
    worst_lognormal = max(abs(t - o) for t, o in zip(lognormal_q, observed, strict=True))
    worst_exponential = max(abs(t - o) for t, o in zip(dialog.qq_chart.theoretical_s, observed, strict=True))
    assert worst_exponential > 3 * worst_lognormal
    assert "exp(mean" in dialog.changes.item(2, 2).text()  # the preview's row of category 'spam'


def test_apply_is_one_undoable_edit_of_the_stage_distributions(window, dialog, qtbot):
    before = snapshot(window.document.workflow)
    _show_group(dialog, "spam")
    dialog.select_family("gamma")
    _show_group(dialog, "graphic_violence")
    dialog.groups.currentItem().setCheckState(Qt.CheckState.Unchecked)  # not applied
    dialog.apply_button.click()
    stage = _stage(window)
    assert stage.handle_time.kind == "lognormal" and stage.handle_time.unit == "min"  # the stage's unit
    assert set(stage.handle_time_by_category) == {"spam", "hate_speech"}
    spam, hate = stage.handle_time_by_category["spam"], stage.handle_time_by_category["hate_speech"]
    assert spam.kind == "gamma" and hate.kind == "lognormal"
    assert spam.mean * 60 == pytest.approx(TRUTH_S["spam"][0], rel=0.05)
    assert hate.mean * 60 == pytest.approx(TRUTH_S["hate_speech"][0], rel=0.05)
    assert hate.sd * 60 == pytest.approx(TRUTH_S["hate_speech"][1], rel=0.10)
    assert window.undo_stack.count() == 1
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.activateWindow()  # as the window manager does when a dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.wait(20)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert snapshot(window.document.workflow) == before


def test_a_bad_cell_is_shown_in_the_dialog_and_changes_nothing(window, qtbot, tmp_path):
    bad = tmp_path / "reviews.csv"
    bad.write_text("review_id,handle_time_min\nR1,4.5\nR2,3.2\nR3,about five\nR4,2.0\n", encoding="utf-8")
    before = snapshot(window.document.workflow)
    dialog = open_handle_times(window, bad)
    qtbot.waitExposed(dialog)
    assert "reviews.csv, row 4, column 'handle_time_min'" in dialog.message.error
    assert "Nothing in the model has changed" in dialog.message.text()
    assert not dialog.apply_button.isEnabled()
    assert dialog.fit_table.rowCount() == 0
    dialog.apply()
    assert snapshot(window.document.workflow) == before and window.undo_stack.count() == 0


def test_too_few_samples_to_fit_is_an_error_not_a_traceback(window, qtbot, tmp_path):
    few = tmp_path / "few.csv"
    few.write_text("handle_time\n" + "\n".join(str(10 + i) for i in range(5)) + "\n", encoding="utf-8")
    dialog = open_handle_times(window, few)
    qtbot.waitExposed(dialog)
    assert "at least 20" in dialog.message.error
    assert not dialog.apply_button.isEnabled()


def test_choosing_the_unit_of_a_bare_column_rescales_the_fit(window, qtbot, tmp_path):
    path = tmp_path / "aht.csv"
    path.write_text("aht\n" + "\n".join(f"{1 + (i % 17) * 0.25:g}" for i in range(200)) + "\n", encoding="utf-8")
    dialog = open_handle_times(window, path)
    qtbot.waitExposed(dialog)
    assert dialog.unit_combo.isEnabled()  # the header names no unit: the planner says it
    in_seconds = dialog.chosen_fit(ALL).distribution.mean
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("min"))
    dialog.unit_combo.activated.emit(dialog.unit_combo.currentIndex())
    assert dialog.chosen_fit(ALL).distribution.mean == pytest.approx(60 * in_seconds, rel=1e-6)
