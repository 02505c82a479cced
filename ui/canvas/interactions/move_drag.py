"""Move gesture: Qt drags the selected cards; on release the whole drag becomes one MoveNodesCommand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.commands import MoveNodesCommand

if TYPE_CHECKING:
    from ui.canvas.view import CanvasView


class MoveDrag:
    """Remembers where the selected nodes were in the model when the press began."""

    def __init__(self, view: CanvasView) -> None:
        self.view = view

    def finish(self) -> None:
        """Compare card positions with the model; push one command for every card that moved."""
        workflow = self.view.workflow
        scene = self.view.canvas_scene
        if workflow is None:
            return
        moves = {}
        for node_id in scene.selected_node_ids():
            node = workflow.nodes[node_id]
            pos = scene.node_items[node_id].pos()
            if (pos.x(), pos.y()) != (node.x, node.y):
                moves[node_id] = ((node.x, node.y), (pos.x(), pos.y()))
        if moves:
            self.view.undo_stack.push(MoveNodesCommand(workflow, moves))
