"""Render the "Recommend staffing" dialog with a finished recommendation to a PNG (run it under Xvfb).

Usage: ``python -m ui.staffing.screenshot [EXAMPLE.flow.json] [OUT.png]``. The example's baseline is staffed
with a short run (3 days, 3 replications, at most 20 simulated rosters) in worker processes, as in the app.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

from ui.app import DEFAULT_EXAMPLE
from ui.main_window import EXAMPLES_FOLDER, MainWindow

DIALOG_SIZE = (1400, 780)


def render(example: Path, output: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, untitled_folder=Path(scratch))
        window.show()
        if not window.open_example(example):
            raise SystemExit(f"cannot open {example}: {window.last_error}")
        dialog = window.staffing.open_dialog()
        dialog.resize(*DIALOG_SIZE)
        dialog.horizon.setValue(72)
        dialog.warmup.setValue(4)
        dialog.replications.setValue(3)
        dialog.max_simulations.setValue(20)
        loop = QEventLoop()
        for signal in (dialog.controller.finished, dialog.controller.failed, dialog.controller.cancelled):
            signal.connect(loop.quit)
        if not dialog.start():
            raise SystemExit(f"the search did not start: {dialog.result.headline.text()}")
        loop.exec()
        for _ in range(3):
            app.processEvents()
        output.parent.mkdir(parents=True, exist_ok=True)
        if not dialog.grab().save(str(output)):
            raise SystemExit(f"could not write {output}")
        dialog.close()
        window.undo_stack.setClean()
        window.close()
    print(f"wrote {output}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    render(Path(arguments[0]) if arguments else EXAMPLES_FOLDER / DEFAULT_EXAMPLE,
           Path(arguments[1]) if len(arguments) > 1 else Path("docs/staffing.png"))
