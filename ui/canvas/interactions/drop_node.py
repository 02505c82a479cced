"""Palette → canvas gesture: a node kind dropped on the canvas becomes a new node there.

Rules: the palette puts the kind in a QMimeData under NODE_KIND_MIME; the drop point becomes the
card's header centre, snapped to the grid; new nodes get a readable unique name ("Review stage 2").
"""

from __future__ import annotations

from flowmodel.nodes import NODE_CLASSES, Node
from flowmodel.workflow import Workflow
from ui.canvas import style

NODE_KIND_MIME = "application/x-flowmodel-node-kind"


def unique_name(workflow: Workflow, base: str) -> str:
    names = {node.name for node in workflow.nodes.values()}
    if base not in names:
        return base
    number = 2
    while f"{base} {number}" in names:
        number += 1
    return f"{base} {number}"


def create_node(workflow: Workflow, kind: str, x: float, y: float) -> Node:
    """A new node of ``kind`` whose card header is centred on (x, y)."""
    cls = NODE_CLASSES[kind]
    g = style.GRID
    left = round((x - style.NODE_WIDTH / 2) / g) * g
    top = round((y - style.HEADER_HEIGHT / 2) / g) * g
    node = cls(name=unique_name(workflow, style.kind_style(kind).title), x=float(left), y=float(top))
    if kind == "outcome":
        node.label = node.name.lower()
    return node
