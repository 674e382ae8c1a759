"""Positions for graphs too large for the browser's physics simulation.

networkx's own layouts need numpy (not a dependency of this package) and its force-directed
ones cost O(n²) per iteration (minutes for 20,000 nodes), so large graphs get a radial tree
layout instead, computed in linear time over networkx's traversals: each connected component
is drawn around its best-connected node, one ring per breadth-first level; components are
packed in rows, largest first.
"""
from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx

__all__ = ["radial_layout"]


def radial_layout(G: nx.Graph, *, spacing: float = 80.0) -> dict[Hashable, tuple[float, float]]:
    """Node -> (x, y) for every node of `G` (directions are ignored).

    Examples
    --------
    >>> pos = radial_layout(nx.path_graph(3))
    >>> sorted(pos), len(set(pos.values()))
    ([0, 1, 2], 3)

    Notes
    -----
    O(n + m) (after sorting each node's neighbours, for a layout that does not depend on
    insertion order). Rings are `spacing` apart and widened until neighbours on a ring are at
    least `spacing` apart.
    """
    undirected = G.to_undirected(as_view=True) if G.is_directed() else G
    drawn = [_component(undirected, nodes, spacing) for nodes in nx.connected_components(undirected)]
    drawn.sort(key=lambda c: (-c[1], min(map(str, c[0]))))
    return _pack(drawn, spacing)


def _component(G: nx.Graph, nodes: set, spacing: float) -> tuple[dict, float]:
    """One component around its highest-degree node: (positions around (0, 0), radius).

    Each ring holds one breadth-first level, evenly spaced in traversal order, so children sit
    in the angular order of their parents and neighbours on a ring are `spacing` apart."""
    root = max(sorted(nodes, key=str), key=G.degree)
    depth = {root: 0}
    rings: list[list] = [[root]]
    for parent, child in nx.bfs_edges(G, root, sort_neighbors=lambda ns: sorted(ns, key=str)):
        depth[child] = depth[parent] + 1
        if depth[child] == len(rings):
            rings.append([])
        rings[depth[child]].append(child)
    pos = {root: (0.0, 0.0)}
    radius = 0.0
    for ring in rings[1:]:
        radius = max(radius + spacing, len(ring) * spacing / (2 * math.pi))
        for i, node in enumerate(ring):
            angle = 2 * math.pi * (i + 0.5) / len(ring)
            pos[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return pos, radius


def _pack(drawn: list[tuple[dict, float]], spacing: float) -> dict:
    """Place components in rows of a roughly square area, largest first."""
    area = sum((2 * r + spacing) ** 2 for _, r in drawn)
    row_width = max(math.sqrt(area), 2 * drawn[0][1] + spacing) if drawn else 0.0
    out: dict = {}
    x = y = row_height = 0.0
    for pos, r in drawn:
        size = 2 * r + spacing
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + size / 2, y + size / 2
        for node, (px, py) in pos.items():
            out[node] = (round(cx + px, 1), round(cy + py, 1))
        x += size
        row_height = max(row_height, size)
    return out
