"""Helpers for the editor tests: a main window with settings and recovery files in a temporary folder,
mouse drags on the canvas viewport in scene coordinates, and model snapshots to compare."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtTest import QTest

from flowmodel.serialization import workflow_to_dict
from flowmodel.workflow import Workflow
from ui.main_window import MainWindow


def make_window(qtbot, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, untitled_folder=tmp_path / "recovery", autosave_seconds=3600)
    window.ask_unsaved_changes = lambda: "discard"
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def viewport_point(window: MainWindow, scene_point: QPointF) -> QPoint:
    return window.view.mapFromScene(scene_point)


def drag(window: MainWindow, start: QPointF, end: QPointF, steps: int = 5) -> None:
    """Press at ``start``, move in steps, release at ``end`` (scene coordinates) with the left button."""
    viewport = window.view.viewport()
    a, b = viewport_point(window, start), viewport_point(window, end)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for i in range(1, steps + 1):
        QTest.mouseMove(viewport, a + (b - a) * i / steps)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def snapshot(workflow: Workflow) -> dict:
    """The exact serialized model."""
    return workflow_to_dict(workflow)


def canonical(workflow: Workflow) -> dict:
    """The serialized model with nodes and edges sorted by id: undoing a delete puts them back at the end
    of the model's dictionaries, which changes their order but nothing else."""
    data = workflow_to_dict(workflow)
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["edges"] = sorted(data["edges"], key=lambda e: e["id"])
    return data
