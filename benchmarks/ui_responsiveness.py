"""Measure the longest UI event-loop stall while a real simulation runs in the background (target: < 100 ms).

The main window opens a bundled example and runs its baseline and every scenario through the run panel's
code path (a QThread waiting on spawn worker processes). A 5 ms QTimer runs on the UI thread all along; a
stall is the gap between two of its ticks minus the interval. Three figures are checked, each against the
target: the longest stall from the click on Run until the run ends (start-up of the workers and progress
updates included); the longest stall while the results appear (from the end of the run until every chart of
the results view has been rendered in the background and shown, plus a second); and the longest stall while
the Compare tab is opened and builds its table and charts.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.ui_responsiveness [--example NAME] [--days D] [--reps N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from simulations.runner import BASELINE_ID
from ui.main_window import EXAMPLES_FOLDER, MainWindow

TARGET_MS = 100.0
TICK_MS = 5


class StallMeter:
    """Records the longest gap between ticks of a fast UI-thread timer."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest_ms = 0.0
        self.longest_at_s = 0.0
        self.started = 0.0
        self.ticks = 0

    def start(self) -> None:
        self.last = self.started = time.perf_counter()
        self.longest_ms = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        stall_ms = (now - self.last) * 1000.0 - TICK_MS
        if stall_ms > self.longest_ms:
            self.longest_ms, self.longest_at_s = stall_ms, now - self.started
        self.last = now
        self.ticks += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="hate_speech_policy_change.flow.json")
    parser.add_argument("--days", type=float, default=14.0)
    parser.add_argument("--reps", type=int, default=4)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as scratch:
        window = MainWindow(QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat),
                            untitled_folder=Path(scratch))
        window.resize(1500, 920)
        window.show()
        if not window.open_example(EXAMPLES_FOLDER / args.example):
            print(window.last_error)
            return 2
        workflow = window.document.workflow
        panel = window.run_panel
        settings = panel.settings()
        settings.horizon_hours, settings.warmup_hours, settings.replications = args.days * 24, 24.0, args.reps
        panel.set_settings(settings)
        panel.tick([BASELINE_ID, *workflow.scenarios])
        done = QEventLoop()
        outcome: list[str] = []
        during_run: list[tuple[float, float]] = []
        window.runs.running_changed.connect(
            lambda running: None if running else during_run.append((meter.longest_ms, meter.longest_at_s)))
        # the run's thread has ended: from here the results appear (the window shows them on ``finished``)
        window.runs.running_changed.connect(lambda running: None if running else meter.start())
        window.runs.finished.connect(lambda *_: (outcome.append("finished"), done.quit()))
        window.runs.failed.connect(lambda text: (outcome.append(text), done.quit()))
        meter = StallMeter()
        app.processEvents()
        meter.start()
        started = time.perf_counter()
        panel.run_button.click()
        done.exec()
        run_s = time.perf_counter() - started
        stall_ms, stall_at_s = during_run[0] if during_run else (meter.longest_ms, meter.longest_at_s)
        results_s = settle(app, window.results.charts)
        results_stall_ms = meter.longest_ms
        meter.start()
        window.results.tabs.setCurrentWidget(window.results.comparison)
        compare_s = settle(app, window.results.comparison.chart)
        compare_stall_ms = meter.longest_ms
        meter.timer.stop()
        window.undo_stack.setClean()
        window.close()
    if outcome != ["finished"]:
        print(f"run did not finish: {outcome}")
        return 2
    scenarios = 1 + len(workflow.scenarios)
    print(f"{args.example}: {scenarios} scenarios × {args.reps} replications × {args.days:g} days in {run_s:.1f} s; "
          f"{meter.ticks} UI timer ticks")
    print(f"longest UI stall during the run: {stall_ms:.1f} ms, {stall_at_s:.1f} s after Run "
          f"(target < {TARGET_MS:.0f} ms)")
    print(f"longest UI stall while the results appear: {results_stall_ms:.1f} ms (charts shown {results_s:.1f} s "
          f"after the run ended; target < {TARGET_MS:.0f} ms)")
    print(f"longest UI stall while the Compare tab opens: {compare_stall_ms:.1f} ms (charts shown after "
          f"{compare_s:.1f} s; target < {TARGET_MS:.0f} ms)")
    return 0 if max(stall_ms, results_stall_ms, compare_stall_ms) < TARGET_MS else 1


def settle(app: QApplication, charts, timeout_s: float = 30.0) -> float:
    """Keep the event loop running until no chart of ``charts`` waits for its image, then one more second;
    returns the seconds until the charts were shown."""
    started = time.perf_counter()
    shown = timeout_s
    while time.perf_counter() - started < timeout_s:
        app.processEvents()
        if charts.views and all(v.shown for v in charts.views):
            shown = time.perf_counter() - started
            break
        time.sleep(0.002)
    deadline = time.perf_counter() + 1.0
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)
    return shown


if __name__ == "__main__":
    raise SystemExit(main())
