"""The entity graph for Gephi and other tools: GraphML or GEXF, labels, types and weights.

    >>> import graph
    >>> H = for_gephi(graph.to_networkx(graph.build()))
    >>> edge = H["https://w3id.org/cnkg/id/yann-lecun"]["https://w3id.org/cnkg/id/meta"]
    >>> edge["weight"], edge["label"], H.nodes["https://w3id.org/cnkg/id/yann-lecun"]["label_zh"]
    (1, 'works for', '杨立昆')
"""
from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from graph.errors import OutputError
from graph.rdf.io import write_atomic

__all__ = ["EXPORT_FORMATS", "export", "for_gephi"]

EXPORT_FORMATS = (".graphml", ".gexf")


def for_gephi(G: nx.MultiDiGraph) -> nx.DiGraph:
    """A simple DiGraph whose attributes every GraphML/GEXF reader takes (text and numbers only).

    Parallel edges are merged: ``weight`` counts them, ``label`` and ``property`` join theirs
    with "; ", ``evidence`` joins the distinct sentences with a newline. A missing value is left
    out (no attribute), never written as an empty text.
    """
    H = nx.DiGraph()
    for n, data in G.nodes(data=True):
        H.add_node(n, **{k: v for k, v in data.items() if v is not None})
    for u, v, data in G.edges(data=True):
        if not H.has_edge(u, v):
            H.add_edge(u, v, weight=0, label=[], property=[], kind=[], evidence=[])
        edge = H[u][v]
        edge["weight"] += 1
        for key in ("label", "property", "kind"):
            if data[key] not in edge[key]:
                edge[key].append(data[key])
        edge["evidence"] += [s for s in data["evidence"] if s not in edge["evidence"]]
    for _, _, edge in H.edges(data=True):
        for key in ("label", "property", "kind"):
            edge[key] = "; ".join(edge[key])
        edge["evidence"] = "\n".join(edge["evidence"])
    return H


def export(G: nx.MultiDiGraph, path: str | Path) -> nx.DiGraph:
    """Write `G` to `path` as GraphML (.graphml) or GEXF (.gexf), atomically; return the graph
    written (`for_gephi(G)`: parallel edges merged), whose counts are the file's.

    The same graph gives the same bytes on any day: GEXF's modification date is left out.

    >>> import graph, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "meta.graphml"
    >>> written = export(graph.to_networkx(graph.build()), out)
    >>> nx.read_graphml(out).nodes["https://w3id.org/cnkg/id/meta"]["type"]
    'Company'
    >>> nx.read_graphml(out).number_of_edges() == written.number_of_edges()
    True
    """
    suffix = Path(path).suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise OutputError(f"{path}: unknown graph format {suffix!r} (use {' or '.join(EXPORT_FORMATS)})")
    H = for_gephi(G)
    if suffix == ".graphml":
        text = "\n".join(nx.generate_graphml(H, encoding="utf-8"))
    else:
        text = _GEXF_DATE.sub("", "\n".join(nx.generate_gexf(H, encoding="utf-8")))
    write_atomic(path, (text + "\n").encode("utf-8"))
    return H


_GEXF_DATE = re.compile(r' lastmodifieddate="[^"]*"')      # the day of writing, which networkx puts in
