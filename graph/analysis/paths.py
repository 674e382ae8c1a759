"""How two entities are linked: the shortest chain of relations and events, with its evidence.

    >>> import graph
    >>> G = graph.to_networkx(graph.build())
    >>> [str(step) for step in shortest_chain(G, "Yann LeCun", "Alpaca")]
    ['Yann LeCun —works for→ Meta', 'Meta ←developer— LLaMA', 'LLaMA ←based on— Alpaca']
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.errors import AnalysisError

__all__ = ["AnalysisError", "Step", "find_entity", "shortest_chain"]

_KIND_ORDER = {"relation": 0, "event": 1, "claim": 2, "role": 3}


@dataclass(frozen=True)
class Step:
    """One link of a chain: from `source` to `target` along an edge (`forward` False: the edge
    points from target to source), with the sentences that state it."""
    source: str
    target: str
    source_label: str
    target_label: str
    property: str
    label: str
    forward: bool
    evidence: tuple[str, ...]
    date: str | None = None
    event: str | None = None

    def __str__(self) -> str:
        if self.forward:
            return f"{self.source_label} —{self.label}→ {self.target_label}"
        return f"{self.source_label} ←{self.label}— {self.target_label}"


def find_entity(G: nx.MultiDiGraph, name: str) -> str:
    """The node that `name` names: its IRI, or a label (English or Chinese, any case).

    >>> import graph
    >>> G = graph.to_networkx(graph.build())
    >>> find_entity(G, "杨立昆") == find_entity(G, "yann lecun") == "https://w3id.org/cnkg/id/yann-lecun"
    True
    """
    if name in G:
        return name
    wanted = name.strip().casefold()
    found = sorted(n for n, d in G.nodes(data=True)
                   if wanted in {(d.get(k) or "").casefold() for k in ("label", "label_zh", "label_en")})
    if not found:
        raise AnalysisError(f"no entity {name!r} in the entity graph (concepts are left out)")
    if len(found) > 1:
        raise AnalysisError(f"{name!r} names {len(found)} entities ({', '.join(found)}): give an IRI")
    return found[0]


def shortest_chain(G: nx.MultiDiGraph, source: str, target: str) -> list[Step]:
    """The fewest links from `source` to `target` (IRIs or labels), whatever the edges' direction.

    Between two entities linked several ways, a step takes a direct relation before an event,
    and an event before a claim.

    Raises
    ------
    AnalysisError
        When either entity is unknown, or no chain links them.

    Examples
    --------
    >>> import graph
    >>> G = graph.to_networkx(graph.build())
    >>> step = shortest_chain(G, "Meta", "PyTorch")[0]
    >>> str(step), step.date
    ('Meta ←developer— PyTorch', None)
    >>> step.evidence[0]
    '2015年,Meta开源了PyTorch这玩意儿深厚度学框架。'

    Notes
    -----
    Breadth-first search: O(V + E).
    """
    a, b = find_entity(G, source), find_entity(G, target)
    try:
        nodes = nx.shortest_path(G.to_undirected(as_view=True), a, b)
    except nx.NetworkXNoPath:
        raise AnalysisError(f"no chain links {G.nodes[a]['label']} and {G.nodes[b]['label']}") from None
    return [_step(G, u, v) for u, v in zip(nodes, nodes[1:])]


def _step(G: nx.MultiDiGraph, u: str, v: str) -> Step:
    candidates = [(True, k, d) for k, d in G.get_edge_data(u, v, default={}).items()]
    candidates += [(False, k, d) for k, d in G.get_edge_data(v, u, default={}).items()]
    forward, _, data = min(candidates, key=lambda c: (_KIND_ORDER.get(c[2]["kind"], 9), not c[0], str(c[1])))
    return Step(u, v, G.nodes[u]["label"], G.nodes[v]["label"], data["property"], data["label"], forward,
                tuple(data["evidence"]), data.get("date"), data.get("event"))
