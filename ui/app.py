"""Start the Qt application (placeholder window until the canvas lands)."""

from __future__ import annotations

import sys


def run_app(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    label = QLabel("Flowmodel")
    label.resize(800, 600)
    label.show()
    return app.exec()
