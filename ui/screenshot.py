"""Render the main window on an example to a PNG (``make screenshot`` runs this under Xvfb).

Usage: ``python -m ui.screenshot [EXAMPLE.flow.json] [OUT.png] [--size 1280x800]``. The window is shown at
the given size (default 1600×1000; check 1280×800 and 1920×1080 too),
the first review stage is selected so the property panel shows its form, and the view is zoomed to fit.
The example is auto-laid out first (Ctrl+L), so the picture also shows what auto-layout gives.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from ui.app import DEFAULT_EXAMPLE
from ui.main_window import EXAMPLES_FOLDER, MainWindow

WINDOW_SIZE = (1600, 1000)


def render(example: Path, output: Path, size: tuple[int, int] = WINDOW_SIZE) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, untitled_folder=Path(scratch))
        window.resize(*size)
        window.show()
        if not window.open_example(example):
            raise SystemExit(f"cannot open {example}: {window.last_error}")
        app.processEvents()
        window.auto_layout()
        stages = [n for n in window.document.workflow.nodes.values() if n.kind == "review_stage"]
        if stages:
            window.view.canvas_scene.select_ids([stages[0].id])
        for _ in range(3):
            app.processEvents()
        window.view.opening_view()
        window.validation.refresh()
        app.processEvents()
        output.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(output)):
            raise SystemExit(f"could not write {output}")
        window.undo_stack.setClean()
        window.close()
    print(f"wrote {output}")


def parse_size(text: str) -> tuple[int, int]:
    """``"1280x800"`` → (1280, 800)."""
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()) or int(width) < 320 or int(height) < 240:
        raise SystemExit(f"--size wants WIDTHxHEIGHT, at least 320x240 (got {text!r})")
    return int(width), int(height)


def split_size(arguments: list[str]) -> tuple[list[str], tuple[int, int]]:
    """The arguments without ``--size WxH``, and that size (the default when it is not given)."""
    if "--size" not in arguments:
        return arguments, WINDOW_SIZE
    at = arguments.index("--size")
    size = parse_size(arguments[at + 1] if at + 1 < len(arguments) else "")
    return arguments[:at] + arguments[at + 2:], size


if __name__ == "__main__":
    arguments, size = split_size(sys.argv[1:])
    render(Path(arguments[0]) if arguments else EXAMPLES_FOLDER / DEFAULT_EXAMPLE,
           Path(arguments[1]) if len(arguments) > 1 else Path("docs/screenshot.png"), size)
