"""Auto-layout and alignment: positions for cards, computed from the model (no Qt, no side effects).

Auto-layout rules: layered left → right. Edges that close a loop (an appeal or re-review going back)
are found by a depth-first walk from the sources and ignored for layering, so loops still lay out;
each node's layer is then its longest path from a source (networkx topological generations). Within
a layer, nodes are ordered by the mean row of their predecessors (fewer crossings), and each card is
placed level with its predecessors as far as the real card heights allow, so nothing overlaps.
"""

from __future__ import annotations

import networkx as nx

from flowmodel.workflow import Workflow
from ui.canvas import style

Point = tuple[float, float]


def _back_edges(graph: nx.DiGraph, roots: list[str]) -> set[tuple[str, str]]:
    """Edges that point to a node still on the depth-first stack (they close a loop)."""
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for root in [*roots, *graph.nodes]:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(graph.successors(root)))]
        while stack:
            node, successors = stack[-1]
            child = next(successors, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(graph.successors(child))))
    return back


def _graph(workflow: Workflow) -> nx.DiGraph:
    """The workflow's graph without the edges that close loops."""
    graph = nx.DiGraph()
    graph.add_nodes_from(workflow.nodes)
    graph.add_edges_from((e.source, e.target) for e in workflow.edges.values())
    roots = [n.id for n in workflow.nodes.values() if n.kind == "source"]
    graph.remove_edges_from(_back_edges(graph, roots))
    return graph


def _order_layer(graph: nx.DiGraph, layer: list[str], row: dict[str, float], model_order: dict[str, int]) -> None:
    """Sort a layer by the mean row of each node's predecessors; among siblings with the same parents,
    nodes that lead further sit in the middle and terminals around them, so the main flow runs straight."""
    def barycentre(node_id: str) -> float:
        rows = [row[p] for p in graph.predecessors(node_id) if p in row]
        return sum(rows) / len(rows) if rows else float("inf")

    layer.sort(key=lambda n: (barycentre(n), model_order[n]))
    result: list[str] = []
    i = 0
    while i < len(layer):
        j = i
        while j < len(layer) and barycentre(layer[j]) == barycentre(layer[i]):
            j += 1
        group = layer[i:j]
        leading = [n for n in group if graph.out_degree(n)]
        terminal = [n for n in group if not graph.out_degree(n)]
        half = len(terminal) // 2
        result += terminal[:half] + leading + terminal[half:]
        i = j
    layer[:] = result


def layers(workflow: Workflow) -> list[list[str]]:
    """Node ids per layer, left to right, each layer in top-to-bottom order (see module rules)."""
    graph = _graph(workflow)
    model_order = {node_id: i for i, node_id in enumerate(workflow.nodes)}
    result = [list(generation) for generation in nx.topological_generations(graph)]
    row: dict[str, float] = {}
    for index, layer in enumerate(result):
        if index == 0:
            layer.sort(key=lambda n: model_order[n])
        else:
            _order_layer(graph, layer, row, model_order)
        for i, node_id in enumerate(layer):
            row[node_id] = float(i)
    return result


def auto_layout(workflow: Workflow, heights: dict[str, float]) -> dict[str, Point]:
    """Top-left card positions for every node, given each card's height.

    Each card wants its centre level with the mean centre of its predecessors; cards are then pushed
    apart top to bottom and the layer is shifted back so that, on average, cards sit where they want.
    """
    graph = _graph(workflow)
    centres: dict[str, float] = {}
    positions: dict[str, Point] = {}
    for column, layer in enumerate(layers(workflow)):
        size = [heights.get(n, 100.0) for n in layer]
        stacked, y = [], 0.0
        for h in size:
            stacked.append(y + h / 2)
            y += h + style.ROW_SPACING
        middle = (y - style.ROW_SPACING) / 2
        wanted = []
        for node_id, own in zip(layer, stacked, strict=True):
            parents = [centres[p] for p in graph.predecessors(node_id) if p in centres]
            wanted.append(sum(parents) / len(parents) if parents else own - middle)
        tops: list[float] = []
        for i, (want, h) in enumerate(zip(wanted, size, strict=True)):
            top = want - h / 2
            if i:
                top = max(top, tops[-1] + size[i - 1] + style.ROW_SPACING)
            tops.append(top)
        shift = sum(w - (t + h / 2) for w, t, h in zip(wanted, tops, size, strict=True)) / len(layer)
        for node_id, top, h in zip(layer, tops, size, strict=True):
            snapped = round((top + shift) / style.GRID) * style.GRID
            positions[node_id] = (float(column * style.LAYER_SPACING), float(snapped))
            centres[node_id] = snapped + h / 2
    return positions


ALIGNMENTS: tuple[str, ...] = ("left", "right", "top", "bottom", "horizontal centres", "vertical centres")


def align(workflow: Workflow, node_ids: list[str], how: str, heights: dict[str, float]) -> dict[str, Point]:
    """New positions that line the nodes up along ``how`` (one of :data:`ALIGNMENTS`)."""
    nodes = [workflow.nodes[n] for n in node_ids]
    width = style.NODE_WIDTH
    if how == "left":
        x = min(n.x for n in nodes)
        return {n.id: (x, n.y) for n in nodes}
    if how == "right":
        x = max(n.x for n in nodes)
        return {n.id: (x, n.y) for n in nodes}
    if how == "top":
        y = min(n.y for n in nodes)
        return {n.id: (n.x, y) for n in nodes}
    if how == "bottom":
        bottom = max(n.y + heights[n.id] for n in nodes)
        return {n.id: (n.x, bottom - heights[n.id]) for n in nodes}
    if how == "vertical centres":
        centre = sum(n.x + width / 2 for n in nodes) / len(nodes)
        return {n.id: (round((centre - width / 2) / style.GRID) * style.GRID, n.y) for n in nodes}
    if how == "horizontal centres":
        centre = sum(n.y + heights[n.id] / 2 for n in nodes) / len(nodes)
        return {n.id: (n.x, round((centre - heights[n.id] / 2) / style.GRID) * style.GRID) for n in nodes}
    raise ValueError(f"unknown alignment {how!r}; use one of {', '.join(ALIGNMENTS)}")
