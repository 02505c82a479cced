"""Time opening and rendering a generated 500-node workflow in the editor (target: under 1 s).

The workflow has 100 lanes of source → classifier → review stage → router → outcome (500 nodes, 400
edges, one team per stage), written to a temporary ``.flow.json``. Timed: reading the file, building
the canvas (one card per node, one curve per edge, validation), and the first full paint zoomed to fit.
Then moving one card step by step is timed: a move redraws only that card's edges.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.open_500_nodes [--lanes N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from flowmodel import Classifier, Edge, Outcome, ReviewStage, Router, Shift, Source, Team, Workflow
from flowmodel.jsonfile import write_workflow_json
from ui.canvas.style import GRID
from ui.main_window import MainWindow

TARGET_SECONDS = 1.0


def generated_workflow(lanes: int) -> Workflow:
    """``lanes`` independent lanes of five nodes, laid out in rows."""
    workflow = Workflow(name=f"Generated {lanes * 5} nodes")
    for lane in range(lanes):
        y = lane * 160.0
        chain = [Source(name=f"Reports {lane}", rate_per_hour=50.0, x=0, y=y),
                 Classifier(name=f"Classifier {lane}", x=340, y=y),
                 ReviewStage(name=f"Review {lane}", x=680, y=y),
                 Router(name=f"Router {lane}", x=1020, y=y),
                 Outcome(name=f"Done {lane}", label="done", x=1360, y=y)]
        for node in chain:
            workflow.add_node(node)
        for a, b in pairwise(chain):
            workflow.add_edge(Edge(a.id, b.id, probability=1.0))
        workflow.add_team(Team(name=f"Team {lane}", stages=[chain[2].id],
                               shifts=[Shift(start_hour=0, hours=24, headcount=[5] * 7)]))
    return workflow


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lanes", type=int, default=100, help="lanes of five nodes (default 100 → 500 nodes)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "generated.flow.json"
        write_workflow_json(generated_workflow(args.lanes), path)
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, untitled_folder=Path(scratch))
        window.resize(1600, 1000)
        window.show()
        app.processEvents()
        started = time.perf_counter()
        if not window.open_path(path):
            print(window.last_error, file=sys.stderr)
            return 2
        opened = time.perf_counter()
        window.view.zoom_to_fit()
        window.view.viewport().repaint()
        app.processEvents()
        painted = time.perf_counter()
        scene = window.view.canvas_scene
        card = next(iter(scene.node_items.values()))
        moves = 200
        for step in range(moves):
            card.setPos(card.pos().x() + GRID, card.pos().y() + GRID * (step % 2))
            app.processEvents()
        moved = time.perf_counter()
        window.undo_stack.setClean()
        window.close()
    total = painted - started
    print(f"nodes: {len(scene.node_items)}, edges: {len(scene.edge_items)}")
    print(f"open (read + canvas + validation): {opened - started:.3f} s")
    print(f"first paint, zoomed to fit:        {painted - opened:.3f} s")
    print(f"total:                             {total:.3f} s (target < {TARGET_SECONDS:.0f} s)")
    print(f"drag step of one card (+ repaint):  {(moved - painted) / moves * 1000:.3f} ms")
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
