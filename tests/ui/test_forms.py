"""Field editors on their own: conversions they promise, what they emit and what they refuse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from flowmodel import ArrivalProfile, Distribution, MixEntry, SlaTarget
from flowmodel.distributions import DISTRIBUTION_KINDS
from ui.forms.distribution_editor import DistributionEditor, in_unit, with_kind
from ui.forms.mix_editor import MixEditor
from ui.forms.number_box import NumberBox
from ui.forms.ordered_checklist import OrderedChecklist
from ui.forms.problem_label import PROBLEM_BACKGROUND
from ui.forms.profile_grid import with_kind as profile_with_kind
from ui.forms.record_table import Column
from ui.forms.sla_editor import SlaEditor
from ui.forms.tag_list_edit import parse_tags
from ui.forms.timezone_combo import TimezoneCombo
from ui.forms.units import convert_duration


def test_unit_conversion_keeps_the_duration():
    assert convert_duration(90, "s", "min") == 1.5
    assert convert_duration(36, "h", "d") == 1.5
    assert convert_duration(5, "min", "h") == pytest.approx(5 / 60)
    converted = in_unit(Distribution.lognormal(90, 30, "s"), "min")
    assert (converted.unit, converted.mean, converted.sd) == ("min", 1.5, 0.5)
    assert converted.mean_seconds() == 90


@pytest.mark.parametrize("kind", DISTRIBUTION_KINDS)
def test_changing_kind_keeps_the_mean_and_gives_a_valid_distribution(kind):
    changed = with_kind(Distribution.lognormal(4.0, 2.0, "min"), kind)
    assert changed.kind == kind
    assert changed.unit == "min"
    assert changed.mean_value() == pytest.approx(4.0)
    assert changed.problems() == []


def test_distribution_editor_emits_one_parameter_and_not_on_load(qtbot):
    editor = DistributionEditor()
    qtbot.addWidget(editor)
    with qtbot.assertNotEmitted(editor.edited):
        editor.set_value(Distribution.triangular(1, 2, 4, "min"))
    assert [editor.parameters.isRowVisible(row) for row in range(6)] == [False, False, True, True, True, False]
    assert editor.numbers["low"].text() == "1 min"
    with qtbot.waitSignal(editor.edited) as emitted:
        editor.numbers["high"].setValue(5)
    assert emitted.args == ["high", 5.0]
    with qtbot.assertNotEmitted(editor.edited), qtbot.waitSignal(editor.problem) as problem:
        editor.numbers["mode"].setValue(9)
    assert "low ≤ mode ≤ high" in problem.args[0]
    assert editor.numbers["mode"].property("invalid") is True


def test_empirical_samples_are_parsed_or_refused(qtbot):
    editor = DistributionEditor()
    qtbot.addWidget(editor)
    editor.set_value(Distribution.empirical([30, 60], "s"))
    editor.samples.setText("30, 45, 90")
    with qtbot.waitSignal(editor.edited) as emitted:
        editor.samples.editingFinished.emit()
    assert emitted.args == ["samples", [30.0, 45.0, 90.0]]
    editor.samples.setText("30, soon")
    with qtbot.assertNotEmitted(editor.edited):
        editor.samples.editingFinished.emit()
    assert editor.samples.property("invalid") is True


def test_profile_kind_switches_keep_the_shape():
    daily = ArrivalProfile("daily", [float(h) for h in range(24)])
    weekly = profile_with_kind(daily, "weekly")
    assert weekly.kind == "weekly" and weekly.multipliers == daily.multipliers * 7
    weekly.multipliers[24 * 6] = 7.0  # Sunday midnight
    assert profile_with_kind(weekly, "daily").multipliers[0] == pytest.approx(1.0)
    assert profile_with_kind(daily, "flat") == ArrivalProfile("flat", [])
    assert profile_with_kind(ArrivalProfile(), "daily").multipliers == [1.0] * 24


def test_columns_parse_percent_counts_and_choices():
    share = Column("Share (%)", lambda r: r, "number", 0.0, 100.0, scale=100.0)
    assert share.show(0.9) == "90"
    assert share.parse("85 %") == (0.85, "")
    assert share.parse("120")[1] == "Share (%) must be between 0 and 100"
    count = Column("Mon", lambda r: r, "count", 0, 1000)
    assert count.parse("7") == (7, "")
    assert count.parse("7.5")[1] == "Mon must be a whole number"
    unit = Column("Unit", lambda r: r, "choice", choices=("s", "min"))
    assert unit.parse("weeks")[1] == "Unit must be one of s, min"
    assert Column("Label", lambda r: r, required=False).parse("  ") == ("", "")


def test_bad_cell_is_marked_and_nothing_is_emitted(qtbot):
    editor = SlaEditor()
    qtbot.addWidget(editor)
    editor.set_value([SlaTarget("P1", 4, "h", 0.95)])
    with qtbot.assertNotEmitted(editor.edited), qtbot.waitSignal(editor.problem) as problem:
        editor.table.item(0, 2).setText("four")
    assert "Within must be a number" in problem.args[0]
    assert editor.table.item(0, 2).background().color() == QColor(PROBLEM_BACKGROUND)
    with qtbot.waitSignal(editor.edited) as emitted:
        editor.table.item(0, 2).setText("6")
    assert emitted.args[1] == [SlaTarget("P1", 6.0, "h", 0.95)]
    assert editor.table.item(0, 2).background().style() == Qt.BrushStyle.NoBrush


def test_added_mix_row_keeps_the_sum(qtbot):
    editor = MixEditor()
    qtbot.addWidget(editor)
    editor.set_value([MixEntry("spam", "en", "P3", 1.0)])
    with qtbot.waitSignal(editor.edited) as emitted:
        editor.add_button.click()
    assert emitted.args[1] == [MixEntry("spam", "en", "P3", 1.0), MixEntry("spam", "en", "P3", 0.0)]


def test_ordered_checklist_emits_ticked_keys_in_order(qtbot):
    checklist = OrderedChecklist()
    qtbot.addWidget(checklist)
    checklist.set_options([("a", "Tier 1"), ("b", "Tier 2"), ("c", "Appeals")])
    checklist.set_value(["c"])
    assert checklist.keys() == ["c", "a", "b"]
    with qtbot.waitSignal(checklist.edited) as emitted:
        checklist.list.item(2).setCheckState(Qt.CheckState.Checked)
    assert emitted.args == ["", ["c", "b"]]
    checklist.set_value(["c", "b"])  # what the model stores after that edit
    assert checklist.keys() == ["c", "b", "a"]
    checklist.list.setCurrentRow(2)
    with qtbot.assertNotEmitted(checklist.edited):
        checklist.move_current(-1)  # moving an unticked entry above a ticked one changes nothing stored
    with qtbot.waitSignal(checklist.edited) as emitted:
        checklist.list.setCurrentRow(1)
        checklist.move_current(-1)
    assert emitted.args == ["", ["b", "c"]]


def test_tags_and_time_zones():
    assert parse_tags(" es, pt,, es ,en ") == ["es", "pt", "en"]
    assert parse_tags("") == []


def test_time_zone_combo_loads_silently_and_refuses_unknown_zones(qtbot):
    combo = TimezoneCombo()
    qtbot.addWidget(combo)
    with qtbot.assertNotEmitted(combo.edited):
        combo.set_value("Asia/Manila")
    assert combo.currentText() == "Asia/Manila"
    combo.setEditText("Atlantis/Capital")
    with qtbot.assertNotEmitted(combo.edited), qtbot.waitSignal(combo.problem) as problem:
        combo.lineEdit().editingFinished.emit()
    assert "unknown time zone" in problem.args[0]


def test_number_box_shows_no_trailing_zeros(qtbot):
    box = NumberBox(0, 100, 4, " min")
    qtbot.addWidget(box)
    box.setValue(1.5)
    assert box.text() == "1.5 min"
    box.setValue(2)
    assert box.text() == "2 min"
