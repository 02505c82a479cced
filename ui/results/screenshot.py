"""Render the results and comparison views of a short run of an example to PNGs (run under Xvfb).

Usage: ``python -m ui.results.screenshot [OUT_FOLDER]`` writes ``results.png`` and ``comparison.png``.
The hate-speech example runs its baseline and scenarios (14 days, 6 replications) through the run panel,
exactly as a planner would; the results dock is then floated at a fixed size and grabbed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

from simulations.runner import BASELINE_ID
from ui.main_window import EXAMPLES_FOLDER, MainWindow

EXAMPLE = "hate_speech_policy_change.flow.json"
VIEW_SIZE = (1800, 950)


def render(folder: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as scratch:
        window = MainWindow(QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat),
                            untitled_folder=Path(scratch))
        window.show()
        if not window.open_example(EXAMPLES_FOLDER / EXAMPLE):
            raise SystemExit(window.last_error)
        panel = window.run_panel
        settings = panel.settings()
        settings.horizon_hours, settings.warmup_hours, settings.replications = 14 * 24.0, 24.0, 6
        panel.set_settings(settings)
        panel.tick([BASELINE_ID, *window.document.workflow.scenarios])
        done = QEventLoop()
        window.runs.finished.connect(lambda *_: done.quit())
        window.runs.failed.connect(lambda text: (print(text), done.quit()))
        panel.run_button.click()
        done.exec()
        dock = window.results_dock
        dock.setFloating(True)
        dock.resize(*VIEW_SIZE)
        dock.show()
        view = window.results
        folder.mkdir(parents=True, exist_ok=True)
        for tab, name in ((0, "results.png"), (1, "comparison.png")):
            view.tabs.setCurrentIndex(tab)
            for _ in range(5):
                app.processEvents()
            if not view.grab().save(str(folder / name)):
                raise SystemExit(f"could not write {folder / name}")
            print(f"wrote {folder / name}")
        window.undo_stack.setClean()
        window.close()


if __name__ == "__main__":
    render(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs"))
