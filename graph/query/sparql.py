"""SPARQL over the graph with one of two engines: rdflib (the graph in memory) or Oxigraph.

`query(g, text)` runs on an rdflib Graph or Dataset (a Dataset with default_union=True reads as
the union of its articles) or on a `pyoxigraph.Store` (`to_store(g)` makes one; its default graph
is read as the union too, unless the query names its own dataset with FROM). Both answer with the
same `Answer`, in rdflib terms, so a question gives the same answer whichever engine runs it.

A query is read by `graph.query.guard` first: one nested too deeply is refused before an engine
recurses into it, and one that would call another endpoint (SERVICE) or download a graph (rdflib's
FROM) is refused unless its host is allowed. Relative IRIs resolve against `BASE_IRI`, so
``<meta>`` is ``id:meta``.

    >>> import graph
    >>> g = graph.build()
    >>> answer = query(g, "SELECT ?org WHERE { id:yann-lecun kg:worksFor ?org } ORDER BY ?org")
    >>> [str(row[0]) for row in answer.rows]
    ['https://w3id.org/cnkg/id/fair', 'https://w3id.org/cnkg/id/meta']
    >>> query(to_store(g), "ASK { id:llama kg:developer id:meta }").boolean
    True
"""
from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from graph.errors import QueryError, QueryRefused
from graph.query import guard
from graph.query.remote import Endpoint, remote_query
from graph.rdf.io import from_ox_term, to_ox_term, to_oxigraph
from graph.rdf.namespaces import ID, PREFIXES

__all__ = ["BASE_IRI", "MAX_TIMEOUT", "PREFIXES", "Answer", "QueryError", "check_timeout", "on_large_stack", "query",
           "to_store"]

T = TypeVar("T")

BASE_IRI = str(ID)              # relative IRIs in a query (a query's own BASE wins)
MAX_TIMEOUT = 86400.0           # a day: longer waits overflow the platform's timers
# Oxigraph recurses once per nesting level of a query's syntax tree; on this stack a chain of
# guard.MAX_TOKENS operators (the deepest a query the guard lets through can be) parses safely.
_STACK_BYTES = 256 << 20
_thread_state = threading.local()       # .large_stack: this thread was started by on_large_stack


@dataclass(frozen=True)
class Answer:
    """What a query returns: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

    Terms are rdflib terms whichever engine answered; an unbound value is None. `truncated` is
    True when `query(..., max_rows=N)` stopped after N rows or triples.
    """
    form: str                                           # "SELECT", "ASK" or "CONSTRUCT"
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple[Node, Node, Node], ...] = ()
    truncated: bool = False


def query(g: Graph | ox.Store | Endpoint, text: str, *, bindings: Mapping[str, Node] | None = None,
          max_rows: int | None = None, allow_service: Collection[str] = (),
          default_graph_uris: Sequence[str] | None = None, named_graph_uris: Sequence[str] | None = None,
          timeout: float | None = None) -> Answer:
    """Run the SPARQL query `text` on `g` and return its `Answer`.

    Parameters
    ----------
    g : rdflib.Graph, rdflib.Dataset, pyoxigraph.Store or graph.query.remote.Endpoint
        The graph; the engine follows its type (rdflib, Oxigraph, or the remote endpoint's own;
        SERVICE calls are then the endpoint's business, not refused here).
    text : str
        A SPARQL 1.1 query; the prefixes of `PREFIXES` are declared and relative IRIs resolve
        against `BASE_IRI`.
    bindings : mapping of variable name to rdflib term, optional
        Values for variables, bound by the engine (rdflib's initBindings, Oxigraph's
        substitutions), never pasted into the text. Oxigraph substitutes only variables that
        a SELECT projects.
    max_rows : int, optional
        Keep at most this many rows (or triples) and set `Answer.truncated` when there were more.
    allow_service : collection of str, optional
        Host names the query may reach: SERVICE calls, and the FROM graphs rdflib downloads
        when `g` does not hold them. Empty by default: such a query raises QueryRefused.
    default_graph_uris, named_graph_uris : sequence of str, optional
        The dataset of the SPARQL 1.1 Protocol (``default-graph-uri``, ``named-graph-uri``):
        the default graph is the merge of the first graphs, the named graphs are the second;
        it replaces any FROM of the query. Oxigraph only.
    timeout : float, optional
        Seconds to wait for the answer; past them QueryError is raised. Neither engine can
        stop a query, so its thread runs on in the background until it ends: for a process
        that exits next, like the `kg query` command.

    Raises
    ------
    QueryError
        On a syntax error (the message gives line and column), a query nested deeper than
        `guard.MAX_DEPTH`, an error while evaluating, or the time limit.
    QueryRefused
        When the query calls an endpoint or downloads a graph from a host not allowed.

    Examples
    --------
    >>> import graph
    >>> from rdflib import URIRef
    >>> g = graph.build()
    >>> text = "SELECT ?model WHERE { ?model kg:isBasedOn ?base } ORDER BY ?model"
    >>> answer = query(g, text, bindings={"base": URIRef("https://w3id.org/cnkg/id/llama")})
    >>> answer.variables, [row[0].split("/")[-1] for row in answer.rows]
    (('model',), ['alpaca', 'vicuna'])
    >>> query(g, "SELECT ?x WHERE { ?x ?y }")
    Traceback (most recent call last):
    graph.errors.QueryError: SPARQL syntax error at line 1, column 19: Expected SelectQuery
    >>> query(g, "ASK { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    graph.errors.QueryRefused: SERVICE <http://169.254.169.254/>: queries may not call other endpoints (allow a host with --allow-service HOST)
    """
    seen = guard.scan(text, base_iri=BASE_IRI, prefixes=PREFIXES)
    if isinstance(g, Endpoint):
        if default_graph_uris is not None or named_graph_uris is not None:
            raise QueryError("default-graph-uri and named-graph-uri need a local graph")
        return remote_query(g if timeout is None else replace(g, timeout=timeout), text, bindings or {}, max_rows)
    for service in seen.services:
        _refuse(guard.refusal(service, allow_service))
    dataset = None if default_graph_uris is None and named_graph_uris is None else \
        (tuple(default_graph_uris or ()), tuple(named_graph_uris or ()))
    if isinstance(g, ox.Store):
        def work() -> Answer:
            return _query_oxigraph(g, text, bindings or {}, max_rows, dataset, union=not seen.names_dataset)
        on_stack = timeout is None and getattr(_thread_state, "large_stack", False)
        return work() if on_stack else on_large_stack(work, timeout)
    if dataset is not None:
        raise QueryError("default-graph-uri and named-graph-uri need the Oxigraph engine")

    def work() -> Answer:
        return _query_rdflib(_as_dataset(g), text, bindings or {}, max_rows, allow_service)
    return work() if timeout is None else on_large_stack(work, timeout)


def check_timeout(seconds: float) -> float:
    """`seconds` when it is a usable time limit (more than 0, at most `MAX_TIMEOUT`); QueryError otherwise.

    >>> check_timeout(2.5)
    2.5
    >>> check_timeout(float("nan"))
    Traceback (most recent call last):
    graph.errors.QueryError: --timeout nan: give seconds, more than 0 and at most 86400
    """
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
        raise QueryError(f"--timeout {seconds:g}: give seconds, more than 0 and at most {MAX_TIMEOUT:g}")
    return seconds


def _refuse(why: str | None) -> None:
    if why is not None:
        raise QueryRefused(why)


def on_large_stack(work: Callable[[], T], timeout: float | None = None) -> T:
    """`work()` on a fresh thread with a stack deep enough for any query `query` accepts: its
    result, or its exception raised here. Oxigraph queries inside `work` run on that thread.

    After `timeout` seconds (None: no limit) raise QueryError and leave the thread running.
    Starting a thread costs about a millisecond: a process that answers many queries runs its
    whole loop as one `work`, as the endpoint's workers do.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        _thread_state.large_stack = True
        try:
            outcome["answer"] = work()
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    previous = threading.stack_size(_STACK_BYTES)
    try:
        thread = threading.Thread(target=run, name="kg-query", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join(None if timeout is None else check_timeout(timeout))
    if thread.is_alive():
        raise QueryError(f"the query ran past the time limit of {timeout:g} s (--timeout)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["answer"]


def to_store(g: Graph, path: str | None = None) -> ox.Store:
    """An Oxigraph store holding the quads of `g`.

    A Graph's triples go to the named graph of its identifier, as `_as_dataset` shows them to
    rdflib, so that the ready questions (which read named graphs) find them. In memory, or on
    disk in the folder `path` (which other processes can then open with
    `pyoxigraph.Store.read_only(path)`).

    >>> import graph
    >>> len(to_store(graph.build())) == len(graph.build())
    True
    """
    store = ox.Store(path)
    quads = to_oxigraph(g)
    if not isinstance(g, Dataset):
        name = to_ox_term(g.identifier)
        quads = [ox.Quad(q.subject, q.predicate, q.object, name) for q in quads]
    store.bulk_extend(quads)
    return store


def _as_dataset(g: Graph) -> Graph:
    """`g` itself when it is a Dataset; a plain Graph as a Dataset (no copy) in which it is a
    named graph, so that GRAPH ?g patterns find its triples."""
    return g if isinstance(g, Dataset) else Dataset(store=g.store, default_union=True)


# ---------------------------------------------------------------- rdflib


def _query_rdflib(g: Graph, text: str, bindings: Mapping[str, Node], max_rows: int | None,
                  allow_service: Collection[str]) -> Answer:
    prepared = _prepare(text)
    for service in _services(prepared):
        _refuse(guard.refusal(service, allow_service))
    for source in _downloads(g, prepared):
        _refuse(_download_refusal(source, allow_service))
    try:
        result = g.query(prepared, initBindings=dict(bindings))
        if result.type == "ASK":
            return Answer("ASK", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            triples = sorted(result.graph)
            return Answer("CONSTRUCT", triples=tuple(triples[:max_rows]),
                          truncated=max_rows is not None and len(triples) > max_rows)
        variables = tuple(str(v) for v in result.vars)
        rows = [tuple(row) for row in islice(result, None if max_rows is None else max_rows + 1)]
    except RecursionError:
        raise QueryError(_TOO_DEEP_FOR_RDFLIB) from None
    except Exception as exc:  # rdflib's evaluator raises many kinds of errors
        raise QueryError(f"SPARQL evaluation failed: {_one_line(exc)}") from None
    return _select(variables, rows, max_rows)


_TOO_DEEP_FOR_RDFLIB = "the query nests too deeply for the rdflib engine (try --engine oxigraph)"


@lru_cache(maxsize=256)
def _prepare(text: str):
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=PREFIXES, base=BASE_IRI)
    except ParseBaseException as exc:
        raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {_one_line(exc.msg)}") from None
    except RecursionError:
        raise QueryError(_TOO_DEEP_FOR_RDFLIB) from None
    except Exception as exc:  # e.g. "Unknown namespace prefix : foo"
        raise QueryError(f"SPARQL error: {_one_line(exc)}") from None


def _services(prepared) -> list[str | None]:
    """The endpoints the SERVICE clauses of a prepared rdflib query call (None: a variable)."""
    from rdflib.plugins.sparql.algebra import traverse
    from rdflib.plugins.sparql.parserutils import CompValue

    found: list[str | None] = []

    def visit(node) -> None:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            found.append(str(node.term) if isinstance(node.term, URIRef) else None)
    traverse(prepared.algebra, visitPre=visit)
    return found


def _downloads(g: Graph, prepared) -> list[str]:
    """The FROM and FROM NAMED graphs rdflib would download: those `g` holds no triple of.

    (rdflib reads a FROM graph from the dataset when it has triples there, else fetches its IRI.)
    """
    if not isinstance(g, Dataset):
        return []        # on a single graph rdflib ignores FROM
    named = [clause.default if clause.default is not None else clause.named
             for clause in prepared.algebra.datasetClause or ()]
    return [str(iri) for iri in named if len(g.get_context(iri)) == 0]


def _download_refusal(source: str, allowed_hosts: Collection[str]) -> str | None:
    """Why rdflib may not download the FROM graph `source` (None when its host is allowed)."""
    if guard.on_allowed_host(source, allowed_hosts):
        return None
    return (f"FROM <{source}>: the data has no graph of that name, and rdflib would download it; "
            "graphs are downloaded only from hosts allowed with --allow-service HOST")


# ---------------------------------------------------------------- Oxigraph


def _query_oxigraph(store: ox.Store, text: str, bindings: Mapping[str, Node], max_rows: int | None,
                    dataset: tuple[tuple[str, ...], tuple[str, ...]] | None, union: bool) -> Answer:
    """Oxigraph's answer. The default graph is the protocol's `dataset` when given, else the
    query's FROM, else (`union`) the union of all graphs."""
    try:
        result = store.query(text, prefixes=PREFIXES, base_iri=BASE_IRI, **_dataset_options(dataset, union),
                             substitutions={ox.Variable(k): _to_ox(v) for k, v in bindings.items()} or None)
        if isinstance(result, ox.QueryBoolean):
            return Answer("ASK", boolean=bool(result))
        limit = None if max_rows is None else max_rows + 1
        if isinstance(result, ox.QueryTriples):
            triples = [(from_ox_term(t.subject), from_ox_term(t.predicate), from_ox_term(t.object)) for t in islice(result, limit)]
            kept = triples[:max_rows]
            return Answer("CONSTRUCT", triples=tuple(sorted(kept)), truncated=len(kept) < len(triples))
        variables = tuple(v.value for v in result.variables)
        rows = [tuple(from_ox_term(s[v]) for v in variables) for s in islice(result, limit)]
    except SyntaxError as exc:
        message = _one_line(exc)
        position = re.match(r"error at (\d+):(\d+): (.*)", message)
        if position:
            line, column, message = position.groups()
            raise QueryError(f"SPARQL syntax error at line {line}, column {column}: {message}") from None
        raise QueryError(f"SPARQL syntax error: {message}") from None
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(f"SPARQL evaluation failed: {_one_line(exc)}") from None
    return _select(variables, rows, max_rows)


def _dataset_options(dataset: tuple[tuple[str, ...], tuple[str, ...]] | None, union: bool) -> dict:
    """`Store.query` keywords: the protocol's dataset, or the union default graph (or neither)."""
    if dataset is not None:
        default, named = dataset
        return {"default_graph": [_named_node(iri) for iri in default],
                "named_graphs": [_named_node(iri) for iri in named]}
    return {"use_default_graph_as_union": union}


def _named_node(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"<{iri}> is not an IRI: {_one_line(exc)}") from None


def _select(variables: tuple[str, ...], rows: list[tuple], max_rows: int | None) -> Answer:
    kept = rows if max_rows is None else rows[:max_rows]
    return Answer("SELECT", variables=variables, rows=tuple(kept), truncated=len(kept) < len(rows))


def _to_ox(term: Node):
    try:
        return to_ox_term(term)
    except TypeError:
        raise QueryError(f"cannot bind {term!r}: only IRIs, blank nodes and literals") from None


def _one_line(exc: BaseException | str) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"
