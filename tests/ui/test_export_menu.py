"""The Export menu and the comparison view's Export… button write real files from a real background run."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import openpyxl
from run_helpers import RUN_TIMEOUT_MS, add_faster_review, short_settings, start_run

from reports.charts import CHARTS


def answer_save_dialog(window, path) -> list[tuple[str, ...]]:
    """Answer every export dialog with ``path``; returns the filters each dialog offered."""
    asked: list[tuple[str, ...]] = []
    window.exports.ask_path = lambda title, start, filters: (asked.append(filters), path)[1]
    return asked


def run_two_scenarios(window, qtbot) -> None:
    add_faster_review(window.document.workflow)
    start_run(window, qtbot, short_settings(replications=2, horizon_hours=24.0))
    qtbot.waitUntil(lambda: window.results.entry is not None and not window.runs.running, timeout=RUN_TIMEOUT_MS)


def test_run_exports_are_disabled_until_a_run_is_shown(window):
    exports = window.exports
    assert exports.menu.title() == "E&xport"
    assert not exports.comparison_action.isEnabled() and not exports.chart_menu.isEnabled()
    assert not window.results.comparison.export_button.isEnabled()
    assert exports.canvas_action.isEnabled()
    assert exports.export_comparison() is None  # nothing to export: no dialog either


def test_canvas_exports_as_svg_and_png_without_a_run(window, tmp_path):
    asked = answer_save_dialog(window, tmp_path / "canvas.svg")
    window.exports.canvas_action.trigger()
    root = ElementTree.parse(tmp_path / "canvas.svg").getroot()
    assert root.tag.endswith("svg") and "Tier 1" in ElementTree.tostring(root, encoding="unicode")
    assert asked == [("PNG image (*.png)", "SVG drawing (*.svg)")]
    answer_save_dialog(window, tmp_path / "canvas.png")
    window.exports.canvas_action.trigger()
    assert (tmp_path / "canvas.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_menu_and_button_export_the_shown_run_with_the_ticked_scenarios(window, qtbot, tmp_path):
    run_two_scenarios(window, qtbot)
    exports = window.exports
    assert exports.comparison_action.isEnabled() and exports.chart_menu.isEnabled()
    assert window.results.comparison.export_button.isEnabled()

    answer_save_dialog(window, tmp_path / "comparison.xlsx")
    exports.comparison_action.trigger()
    book = openpyxl.load_workbook(tmp_path / "comparison.xlsx")
    assert book.sheetnames[:4] == ["Summary", "Charts", "1. Baseline", "2. Faster review"]
    summary_text = {str(c) for row in book["Summary"].iter_rows(values_only=True) for c in row if c is not None}
    assert any("Baseline" in t for t in summary_text) and any("Faster review" in t for t in summary_text)

    window.results.comparison.pick(["baseline"])  # only the baseline ticked: the button exports just that
    answer_save_dialog(window, tmp_path / "baseline.xlsx")
    window.results.comparison.export_button.click()
    assert openpyxl.load_workbook(tmp_path / "baseline.xlsx").sheetnames[:3] == ["Summary", "Charts", "1. Baseline"]
    assert window.statusBar().currentMessage() == "Exported baseline.xlsx"


def test_each_chart_exports_as_png_svg_and_pdf(window, qtbot, tmp_path):
    run_two_scenarios(window, qtbot)
    asked = answer_save_dialog(window, tmp_path / "chart.png")
    window.exports.chart_actions["sla_attainment"].trigger()
    assert (tmp_path / "chart.png").stat().st_size > 0
    assert asked == [("PNG image (*.png)", "SVG drawing (*.svg)", "PDF document (*.pdf)")]
    assert list(window.exports.chart_actions) == list(CHARTS)
    assert window.exports.chart_actions["sla_attainment"].text() == "SLA attainment…"
    answer_save_dialog(window, tmp_path / "backlog.svg")
    window.exports.chart_actions["backlog_over_time"].trigger()
    assert ElementTree.parse(tmp_path / "backlog.svg").getroot().tag.endswith("svg")
    assert "Faster review" in (tmp_path / "backlog.svg").read_text(encoding="utf-8")  # the legend's text
    answer_save_dialog(window, tmp_path / "utilisation.pdf")
    window.exports.chart_actions["utilisation"].trigger()
    assert (tmp_path / "utilisation.pdf").read_bytes().startswith(b"%PDF")


def test_a_failed_export_is_a_message_box_and_leaves_nothing(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    run_two_scenarios(window, qtbot)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    answer_save_dialog(window, tmp_path / "chart.gif")
    assert window.exports.export_chart("time_to_decision") is None
    assert len(warnings) == 1 and "use .png, .svg or .pdf" in warnings[0]
    assert not (tmp_path / "chart.gif").exists()


def test_a_static_run_hides_the_launch_charts_entries(window, qtbot):
    from reports.charts import LAUNCH_CHARTS

    window.exports.update_enabled()
    run_two_scenarios(window, qtbot)
    window.exports.update_enabled()
    for name in LAUNCH_CHARTS:
        action = window.exports.chart_actions[name]
        assert not action.isVisible() and not action.isEnabled()
    assert window.exports.chart_actions["sla_attainment"].isEnabled()
