"""How two entities are linked: the shortest chain of relations and events, with its evidence.

Entities are nodes of the entity graph, named by IRI; `graph.query.resolve_entity` turns a
label or an alias into one.

    >>> import graph
    >>> from graph.query import resolve_entity
    >>> g = graph.build()
    >>> lecun, alpaca = resolve_entity(g, "Yann LeCun"), resolve_entity(g, "Alpaca")
    >>> [str(step) for step in shortest_chain(graph.to_networkx(g), lecun, alpaca)]
    ['Yann LeCun —works for→ Meta', 'Meta ←developer— LLaMA', 'LLaMA ←based on— Alpaca']
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.errors import AnalysisError

__all__ = ["AnalysisError", "Step", "entity_node", "shortest_chain"]

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


def entity_node(G: nx.MultiDiGraph, iri: str) -> str:
    """The node of `G` for the entity `iri`; AnalysisError when the entity graph leaves it out.

    >>> import graph
    >>> entity_node(graph.to_networkx(graph.build()), "https://w3id.org/cnkg/id/metaverse")
    Traceback (most recent call last):
    graph.errors.AnalysisError: no entity <https://w3id.org/cnkg/id/metaverse> in the entity graph (concepts are left out)
    """
    node = str(iri)        # an rdflib URIRef is never equal to the str node it spells
    if node not in G:
        raise AnalysisError(f"no entity <{node}> in the entity graph (concepts are left out)")
    return node


def shortest_chain(G: nx.MultiDiGraph, source: str, target: str) -> list[Step]:
    """The fewest links from entity `source` to entity `target` (IRIs), whatever the edges' direction.

    Between two entities linked several ways, a step takes a direct relation before an event,
    and an event before a claim.

    Raises
    ------
    AnalysisError
        When either entity is not in the entity graph, or no chain links them.

    Examples
    --------
    >>> import graph
    >>> G = graph.to_networkx(graph.build())
    >>> step = shortest_chain(G, "https://w3id.org/cnkg/id/meta", "https://w3id.org/cnkg/id/pytorch")[0]
    >>> str(step), step.date
    ('Meta ←developer— PyTorch', None)
    >>> step.evidence[0]
    '2015年,Meta开源了PyTorch这玩意儿深厚度学框架。'

    Notes
    -----
    Breadth-first search: O(V + E).
    """
    a, b = entity_node(G, source), entity_node(G, target)
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
