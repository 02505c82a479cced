"""Start the desktop app: the main window on the file given, or on a bundled example.

Rules: a file that cannot be opened is reported in a message box and the app still starts (on an
empty workflow); with no file, the default bundled example opens. Bundled examples always open as
unsaved copies, so Save asks where to put the planner's version instead of overwriting the example. Unsaved changes
left by a crashed session are offered for recovery.
"""

from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_EXAMPLE = "user_report_triage.flow.json"


def run_app(argv: list[str]) -> int:
    """Open the main window (on ``argv[0]`` if given) and run the event loop; returns the exit code."""
    from PySide6.QtWidgets import QApplication

    from ui.main_window import EXAMPLES_FOLDER, MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Flowmodel")
    app.setApplicationName("Flowmodel")
    window = MainWindow()
    window.show()
    if argv and Path(argv[0]).resolve().parent == EXAMPLES_FOLDER:
        window.open_example(Path(argv[0]))
    elif argv:
        window.open_path(Path(argv[0]), check_unsaved=False)
    else:
        example = EXAMPLES_FOLDER / DEFAULT_EXAMPLE
        if example.exists():
            window.open_example(example)
        window.offer_recovery()
    return app.exec()
