"""Copy, cut, paste and duplicate of canvas selections.

Rules: a copy holds the selected nodes and only the edges *between* them, as the same JSON a
workflow file uses (so it survives between windows and can be pasted as text); team stage lists are
not copied (a pasted stage starts unstaffed). Every paste gives every node and edge a new id and
shifts the cards, so pasting twice never stacks cards on top of each other.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication

from flowmodel.errors import LoadError
from flowmodel.ids import new_id
from flowmodel.nodes import Edge, Node
from flowmodel.serialization import workflow_from_dict, workflow_to_dict
from flowmodel.workflow import Workflow
from ui.canvas import style
from ui.canvas.interactions.delete import delete_selection
from ui.commands import PasteCommand

if TYPE_CHECKING:
    from ui.canvas.view import CanvasView

FRAGMENT_MIME = "application/x-flowmodel-fragment"
PASTE_OFFSET = 2 * style.GRID


def fragment(workflow: Workflow, node_ids: list[str]) -> dict[str, Any]:
    """The selected nodes and the edges between them as workflow data."""
    chosen = set(node_ids)
    part = Workflow(name="clipboard")
    for node_id in node_ids:
        part.add_node(copy.deepcopy(workflow.nodes[node_id]))
    for edge in workflow.edges.values():
        if edge.source in chosen and edge.target in chosen:
            part.add_edge(copy.deepcopy(edge))
    return workflow_to_dict(part)


def fresh_copies(data: dict[str, Any], offset: float) -> tuple[list[Node], list[Edge]]:
    """Nodes and edges of a fragment with new ids, moved by ``offset``; LoadError if it is not one."""
    part = workflow_from_dict(data)
    ids = {old: new_id() for old in part.nodes}
    nodes = []
    for old, node in part.nodes.items():
        node.id, node.x, node.y = ids[old], node.x + offset, node.y + offset
        nodes.append(node)
    edges = []
    for edge in part.edges.values():
        edge.id, edge.source, edge.target = new_id(), ids[edge.source], ids[edge.target]
        edges.append(edge)
    return nodes, edges


class Clipboard:
    """The canvas side of the system clipboard for one view."""

    def __init__(self, view: CanvasView) -> None:
        self.view = view
        self._pastes = 0

    def copy(self) -> bool:
        workflow = self.view.workflow
        node_ids = self.view.canvas_scene.selected_node_ids()
        if workflow is None or not node_ids:
            return False
        text = json.dumps(fragment(workflow, node_ids))
        mime = QMimeData()
        mime.setData(FRAGMENT_MIME, text.encode("utf-8"))
        mime.setText(text)
        QApplication.clipboard().setMimeData(mime)
        self._pastes = 0
        return True

    def cut(self) -> bool:
        return self.copy() and delete_selection(self.view, "Cut")

    def paste(self) -> bool:
        mime = QApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(FRAGMENT_MIME):
            self.view.show_status("Nothing to paste: copy some nodes first.")
            return False
        try:
            data = json.loads(bytes(mime.data(FRAGMENT_MIME)).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            self.view.show_status("The clipboard does not hold Flowmodel nodes.")
            return False
        self._pastes += 1
        return self._add(data, PASTE_OFFSET * self._pastes, "Paste")

    def duplicate(self) -> bool:
        workflow = self.view.workflow
        node_ids = self.view.canvas_scene.selected_node_ids()
        if workflow is None or not node_ids:
            return False
        return self._add(fragment(workflow, node_ids), PASTE_OFFSET, "Duplicate")

    def _add(self, data: dict[str, Any], offset: float, text: str) -> bool:
        workflow = self.view.workflow
        if workflow is None:
            return False
        try:
            nodes, edges = fresh_copies(data, offset)
        except LoadError as error:
            self.view.show_status(f"Cannot paste: {error.message}")
            return False
        self.view.undo_stack.push(PasteCommand(workflow, nodes, edges, text))
        self.view.canvas_scene.select_ids(node.id for node in nodes)
        return True
