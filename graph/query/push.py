"""Write a graph's named graphs to a SPARQL 1.1 Graph Store Protocol endpoint (`kg push`).

Every named graph (each article's, the entities graph, a corpus graph) is sent as one HTTP PUT
of N-Triples to ``URL?graph=IRI``: a PUT replaces the graph, so pushing again gives the same
store, never duplicates. Graphs go in batches of `batch`, each batch on up to `connections`
connections at once; a request that meets a connection error, a time-out or a 429/5xx answer is
retried with a doubling pause (`graph.query.http.Client`). Credentials come from the environment
or a netrc file, never from the command line.

The GSP endpoint differs by store: Oxigraph server ``http://HOST:7878/store``; Virtuoso
``http://HOST:8890/sparql-graph-crud-auth`` (with credentials) or ``/sparql-graph-crud`` (when
the SPARQL user may update); Fuseki ``http://HOST:3030/DATASET/data``.
"""
from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph

from graph.query.http import Client
from graph.rdf.io import serialize_quads

__all__ = ["PushSummary", "graph_url", "push"]


@dataclass(frozen=True)
class PushSummary:
    """What a push did: graphs and triples written, retries needed, seconds taken."""
    url: str
    graphs: int
    triples: int
    retries: int
    seconds: float

    def line(self) -> str:
        """The summary line `kg push` prints.

        >>> PushSummary("http://127.0.0.1:7878/store", 3, 3798, 0, 0.42).line()
        'pushed 3 graphs (3,798 triples) to http://127.0.0.1:7878/store in 0.4 s, 0 retries'
        """
        return (f"pushed {self.graphs:,} graph{'s' if self.graphs != 1 else ''} ({self.triples:,} triples) "
                f"to {self.url} in {self.seconds:.1f} s, {self.retries} retr{'ies' if self.retries != 1 else 'y'}")


def graph_url(url: str, graph: ox.NamedNode | ox.DefaultGraph) -> str:
    """The Graph Store Protocol address of `graph` at the endpoint `url` (?graph=IRI or ?default).

    >>> graph_url("http://127.0.0.1:7878/store", ox.NamedNode("https://w3id.org/cnkg/doc/1?x=1"))
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fcnkg%2Fdoc%2F1%3Fx%3D1'
    """
    query = "default" if isinstance(graph, ox.DefaultGraph) else "graph=" + quote(graph.value, safe="")
    return f"{url}{'&' if '?' in url else '?'}{query}"


def push(source: Graph | ox.Store, url: str, *, batch: int = 64, connections: int = 4, retries: int = 4,
         timeout: float = 60.0, progress: bool | None = None) -> PushSummary:
    """PUT every named graph of `source` (an rdflib Dataset or a pyoxigraph Store) to the GSP endpoint `url`.

    Parameters
    ----------
    batch : int
        Graphs read and sent together; memory holds one batch's N-Triples.
    connections : int
        Requests in flight at once within a batch.
    retries : int
        Further tries of a request after a connection error, a time-out or a 429/5xx answer.
    progress : bool, optional
        Show a progress bar on stderr; by default only when stderr is a terminal.

    Raises
    ------
    RemoteError
        When the endpoint cannot be reached after the retries, or refuses a graph (4xx).
    """
    from tqdm import tqdm

    from graph.query.sparql import to_store

    store = source if isinstance(source, ox.Store) else to_store(source)
    names: list[ox.NamedNode | ox.DefaultGraph] = sorted(store.named_graphs(), key=lambda g: g.value)
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        names.append(ox.DefaultGraph())
    client, started, triples = Client(url, timeout=timeout, retries=retries), time.monotonic(), 0
    bar = tqdm(total=len(names), unit="graph", file=sys.stderr, disable=None if progress is None else not progress)
    with bar, ThreadPoolExecutor(max_workers=max(1, connections)) as pool:
        pending = iter(names)
        while chunk := list(islice(pending, max(1, batch))):
            for sent in pool.map(lambda name: _put(client, store, url, name), chunk):
                triples += sent
                bar.update(1)
    return PushSummary(url, len(names), triples, client.retried, time.monotonic() - started)


def _put(client: Client, store: ox.Store, url: str, name: ox.NamedNode | ox.DefaultGraph) -> int:
    """PUT one graph as N-Triples; the number of triples sent."""
    quads = list(store.quads_for_pattern(None, None, None, name))
    client.send("PUT", graph_url(url, name), data=serialize_quads(quads, "nt"),
                headers={"Content-Type": "application/n-triples"})
    return len(quads)
