"""Import → Back-test: the dialog on the generated fortnight (tests/data_gen/backtest.py), driven like a planner would.

Known truth: the files were produced by the engine from ``true_model()``; back-tested with that model, at least
90 % of the days lie in the band (tests/test_backtest.py states the bounds); the dialog must show those figures,
draw the chart, export, and leave the model as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from editor_helpers import make_window, snapshot

from flowmodel.jsonfile import write_workflow_json
from tests.data_gen.backtest import true_model
from ui.imports.backtest_dialog import BacktestDialog, open_backtest

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "fortnight.flow.json"
    write_workflow_json(true_model(), path)
    win = make_window(qtbot, tmp_path)
    assert win.open_path(path)
    return win


def _run(qtbot, dialog: BacktestDialog, replications: int = 4) -> None:
    dialog.volume_rows["reports"].set_path(DATA / "backtest_volumes.csv")
    dialog.actuals_row.set_path(DATA / "backtest_actuals.csv")
    dialog.replications.setValue(replications)
    dialog.run_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None or bool(dialog.message.error), timeout=30000)


def test_a_back_test_shows_errors_chart_and_exports(window, qtbot, tmp_path) -> None:
    before = snapshot(window.document.workflow)
    dialog = open_backtest(window)
    qtbot.waitExposed(dialog)
    _run(qtbot, dialog, replications=6)
    assert dialog.message.error == ""
    assert dialog.result is not None and dialog.result.replications == 6
    assert dialog.errors.rowCount() == 3
    assert dialog.errors.item(0, 0).text() == "Workflow · decided per day"
    assert dialog.errors.item(0, 1).text() == "14"
    assert dialog.figure_combo.count() == 3
    assert len(dialog.chart.rows) == 14 and dialog.chart.rows[0].actual == 703
    assert "MAPE" in dialog.chart.title
    dialog.errors.selectRow(1)
    assert dialog.chart.rows[0].figure == "backlog"
    assert dialog.progress.value() == dialog.progress.maximum() == 6
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isEnabled()
    written = dialog.export(tmp_path / "back-test.xlsx")
    assert written is not None and written.stat().st_size > 5000
    dialog.grab().save(str(tmp_path / "backtest_dialog.png"))
    assert snapshot(window.document.workflow) == before  # the back-test never edits the model
    assert not window.undo_stack.canUndo()


def test_an_unreadable_file_is_a_message_and_nothing_runs(window, qtbot, tmp_path) -> None:
    bad = tmp_path / "actuals.csv"
    bad.write_text("date,decided\n2026-03-02,many\n", encoding="utf-8")
    dialog = BacktestDialog(window.document.workflow, folder=tmp_path, parent=window)
    dialog.volume_rows["reports"].set_path(DATA / "backtest_volumes.csv")
    dialog.actuals_row.set_path(bad)
    dialog.replications.setValue(2)
    dialog.run_button.click()
    qtbot.waitUntil(lambda: bool(dialog.message.error), timeout=30000)
    assert "actuals.csv, row 2, column 'decided'" in dialog.message.error
    assert "'many' is not a number" in dialog.message.error
    assert dialog.result is None and not dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.run_button.isEnabled())


def test_files_are_asked_for_before_a_run(window, tmp_path) -> None:
    dialog = BacktestDialog(window.document.workflow, folder=tmp_path, parent=window)
    dialog.run_button.click()
    assert "volume file of at least one source" in dialog.message.error
    dialog.volume_rows["reports"].set_path(DATA / "backtest_volumes.csv")
    dialog.run_button.click()
    assert "actuals file" in dialog.message.error
    assert not dialog.controller.running


def test_cancel_stops_the_run(window, qtbot, tmp_path) -> None:
    dialog = BacktestDialog(window.document.workflow, folder=tmp_path, parent=window)
    cancelled = []
    dialog.controller.cancelled.connect(lambda: cancelled.append(True))
    dialog.volume_rows["reports"].set_path(DATA / "backtest_volumes.csv")
    dialog.actuals_row.set_path(DATA / "backtest_actuals.csv")
    dialog.replications.setValue(200)
    dialog.run_button.click()
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=30000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=30000)
    assert dialog.result is None and dialog.run_button.isEnabled()
    assert "cancelled" in dialog.message.text()
