"""Delete gesture: removes the selected edges and nodes as one undo step ("Delete")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.commands import RemoveEdgeCommand, RemoveNodesCommand

if TYPE_CHECKING:
    from ui.canvas.view import CanvasView


def delete_selection(view: CanvasView, text: str = "Delete") -> bool:
    """Remove what is selected; edges of removed nodes go with them (and come back on undo)."""
    workflow, scene = view.workflow, view.canvas_scene
    if workflow is None:
        return False
    node_ids = scene.selected_node_ids()
    removed = set(node_ids)
    edge_ids = [e for e in scene.selected_edge_ids()
                if workflow.edges[e].source not in removed and workflow.edges[e].target not in removed]
    if not node_ids and not edge_ids:
        return False
    view.undo_stack.beginMacro(text)
    for edge_id in edge_ids:
        view.undo_stack.push(RemoveEdgeCommand(workflow, edge_id))
    if node_ids:
        view.undo_stack.push(RemoveNodesCommand(workflow, node_ids))
    view.undo_stack.endMacro()
    return True
