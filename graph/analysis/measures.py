"""Who matters in the entity graph: rankings by degree and PageRank, communities, counts.

    >>> import graph
    >>> G = graph.to_networkx(graph.build())
    >>> [r.label for r in rank(G, by="degree", top=2)]
    ['Meta', 'LLaMA']
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import networkx as nx

__all__ = ["Analysis", "Ranked", "analyze", "communities", "pagerank", "rank", "weighted"]


@dataclass(frozen=True)
class Ranked:
    """An entity and its score under one measure."""
    node: str
    label: str
    type: str
    score: float


@dataclass(frozen=True)
class Analysis:
    """What `analyze` finds: counts, the top entities by degree and by PageRank, communities."""
    counts: dict
    degree: tuple[Ranked, ...]
    pagerank: tuple[Ranked, ...]
    communities: tuple[tuple[str, ...], ...]

    def to_dict(self) -> dict:
        """Plain data for JSON (communities as lists of node IRIs)."""
        return {"counts": self.counts, "degree": [asdict(r) for r in self.degree],
                "pagerank": [asdict(r) for r in self.pagerank],
                "communities": [list(c) for c in self.communities]}


def weighted(G: nx.MultiDiGraph, *, directed: bool = True) -> nx.DiGraph | nx.Graph:
    """`G` with its parallel edges merged: ``weight`` counts them, ``labels`` lists their labels.

    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "a")])
    >>> sorted(weighted(G).edges(data="weight")), list(weighted(G, directed=False).edges(data="weight"))
    ([('a', 'b', 2), ('b', 'a', 1)], [('a', 'b', 3)])
    """
    H = nx.DiGraph() if directed else nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, data in G.edges(data=True):
        if H.has_edge(u, v):
            H[u][v]["weight"] += 1
            if data.get("label") not in H[u][v]["labels"]:
                H[u][v]["labels"].append(data.get("label"))
        else:
            H.add_edge(u, v, weight=1, labels=[data.get("label")])
    return H


def rank(G: nx.MultiDiGraph, *, by: str = "pagerank", top: int | None = None, alpha: float = 0.85) -> list[Ranked]:
    """Entities ranked by ``"degree"`` (edges in and out, parallel edges counted) or ``"pagerank"``.

    PageRank runs on the directed graph with parallel edges merged into weights; ties are
    broken by label, then IRI, so the order repeats.

    >>> import graph
    >>> G = graph.to_networkx(graph.build())
    >>> top = rank(G, by="pagerank", top=1)[0]
    >>> top.label, top.type, 0 < top.score < 1
    ('Meta', 'Company', True)

    Notes
    -----
    Degree is O(V + E); PageRank is iterative, O(E) per iteration.
    """
    if by == "degree":
        scores = dict(G.degree())
    elif by == "pagerank":
        scores = pagerank(weighted(G), alpha=alpha)
    else:
        raise ValueError(f"rank by 'degree' or 'pagerank', not {by!r}")
    ordered = sorted(scores, key=lambda n: (-scores[n], G.nodes[n].get("label", n), n))
    return [Ranked(n, G.nodes[n].get("label", n), G.nodes[n].get("type", ""), round(float(scores[n]), 6))
            for n in ordered[:top]]


def pagerank(G: nx.DiGraph, *, alpha: float = 0.85, weight: str = "weight", tol: float = 1e-10,
             max_iter: int = 200) -> dict[str, float]:
    """PageRank by power iteration, as `networkx.pagerank` defines it (dangling nodes spread evenly).

    networkx's own implementation needs NumPy and SciPy; for graphs of news articles (tens to
    thousands of nodes) plain Python is fast enough and keeps the dependencies light.

    >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")])
    >>> {n: round(s, 3) for n, s in sorted(pagerank(G).items())}
    {'a': 0.333, 'b': 0.32, 'c': 0.31, 'd': 0.038}

    Notes
    -----
    O(E) per iteration; stops when the scores change by less than `tol` in total (L1).
    """
    nodes = list(G)
    if not nodes:
        return {}
    n = len(nodes)
    out_weight = {u: sum(d.get(weight, 1) for _, _, d in G.out_edges(u, data=True)) for u in nodes}
    scores = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(scores[u] for u in nodes if out_weight[u] == 0) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u, v, d in G.edges(data=True):
            new[v] += alpha * scores[u] * d.get(weight, 1) / out_weight[u]
        change = sum(abs(new[u] - scores[u]) for u in nodes)
        scores = new
        if change < n * tol:
            break
    return scores


def communities(G: nx.MultiDiGraph, *, seed: int = 0, resolution: float = 1.0) -> list[list[str]]:
    """Groups of entities more linked to each other than to the rest (Louvain, fixed seed).

    Runs on the undirected graph, parallel edges merged into weights; isolated entities are
    left out. Communities come largest first, each sorted by label.

    >>> import graph
    >>> G = graph.to_networkx(graph.build())
    >>> groups = communities(G)
    >>> any({"https://w3id.org/cnkg/id/alpaca", "https://w3id.org/cnkg/id/stanford"} <= set(c) for c in groups)
    True
    >>> groups == communities(G)
    True
    """
    H = weighted(G, directed=False)
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    if not len(H):
        return []
    found = nx.community.louvain_communities(H, weight="weight", resolution=resolution, seed=seed)
    label = lambda n: (G.nodes[n].get("label", n), n)  # noqa: E731
    groups = [sorted(c, key=label) for c in found]
    return sorted(groups, key=lambda c: (-len(c), label(c[0])))


def analyze(G: nx.MultiDiGraph, *, top: int = 10, seed: int = 0) -> Analysis:
    """Counts, the `top` entities by degree and by PageRank, and the communities of `G`.

    >>> import graph
    >>> result = analyze(graph.to_networkx(graph.build()), top=3)
    >>> result.counts["entities"] == len(graph.to_networkx(graph.build())), len(result.degree)
    (True, 3)
    """
    kinds = Counter(kind for _, _, kind in G.edges(data="kind"))
    counts = {
        "entities": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "edges_by_kind": dict(sorted(kinds.items())),
        "entities_by_type": dict(sorted(Counter(t for _, t in G.nodes(data="type")).items(),
                                        key=lambda kv: (-kv[1], kv[0]))),
        "components": nx.number_weakly_connected_components(G) if len(G) else 0,
        "isolated": nx.number_of_isolates(G),
    }
    return Analysis(counts, tuple(rank(G, by="degree", top=top)), tuple(rank(G, by="pagerank", top=top)),
                    tuple(tuple(c) for c in communities(G, seed=seed)))
