"""Render the results and comparison views of a short run of an example to PNGs (run under Xvfb).

Usage: ``python -m ui.results.screenshot [OUT_FOLDER] [--example=FILE.flow.json] [--days=N]`` writes
``results.png`` and ``comparison.png``. The example (hate speech unless named) runs its baseline and scenarios
(6 replications) through the run panel: over ``--days`` when given, else over the example's own horizon and
warm-up when it holds a launch plan (its backfill and later weeks are the point), else over 14 days;
exactly as a planner would; the results dock is then floated at a fixed size (``--size=WIDTHxHEIGHT``,
default 1800×950) and grabbed once its charts, rendered in the background, are shown; the results tab shows
the last scenario (a launch plan's launch charts when it is one).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

from simulations.runner import BASELINE_ID
from ui.main_window import EXAMPLES_FOLDER, MainWindow

EXAMPLE = "hate_speech_policy_change.flow.json"
VIEW_SIZE = (1800, 950)
SHORT_DAYS = 14.0


def settle(app: QApplication, charts, seconds: float = 0.6) -> None:
    """Let resizes settle and the background renders arrive, then wait for any still pending."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    charts.wait()
    app.processEvents()


def run_days(workflow, days: float | None) -> float | None:
    """The horizon to run in days: ``days`` if given, else none (the example's own) for a launch plan, else 14."""
    if days is not None:
        return days
    return None if any(s.launch for s in workflow.scenarios.values()) else SHORT_DAYS


def render(folder: Path, size: tuple[int, int] = VIEW_SIZE, example: str = EXAMPLE,
           days: float | None = None) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as scratch:
        window = MainWindow(QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat),
                            untitled_folder=Path(scratch))
        window.show()
        if not window.open_example(EXAMPLES_FOLDER / example):
            raise SystemExit(window.last_error)
        panel = window.run_panel
        settings = panel.settings()
        horizon_days = run_days(window.document.workflow, days)
        if horizon_days is not None:
            settings.horizon_hours, settings.warmup_hours = horizon_days * 24.0, 24.0
        settings.replications = 6
        panel.set_settings(settings)
        panel.tick([BASELINE_ID, *window.document.workflow.scenarios])
        done = QEventLoop()
        window.runs.finished.connect(lambda *_: done.quit())
        window.runs.failed.connect(lambda text: (print(text), done.quit()))
        panel.run_button.click()
        done.exec()
        dock = window.results_dock
        dock.setFloating(True)
        dock.resize(*size)
        dock.show()
        view = window.results
        view.scenario_picker.setCurrentIndex(view.scenario_picker.count() - 1)
        folder.mkdir(parents=True, exist_ok=True)
        for tab, name in ((0, "results.png"), (1, "comparison.png")):
            view.tabs.setCurrentIndex(tab)
            settle(app, view.charts if tab == 0 else view.comparison.chart)
            if not view.grab().save(str(folder / name)):
                raise SystemExit(f"could not write {folder / name}")
            print(f"wrote {folder / name}")
        window.undo_stack.setClean()
        window.close()


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    options = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    width, height = (int(v) for v in options["size"].split("x")) if "size" in options else VIEW_SIZE
    render(Path(arguments[0]) if arguments else Path("docs"), (width, height), options.get("example", EXAMPLE),
           float(options["days"]) if "days" in options else None)
