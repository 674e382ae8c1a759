"""SPARQL over the graph with one of two engines: rdflib (the graph in memory) or Oxigraph.

`query(g, text)` runs on an rdflib Graph or Dataset (a Dataset with default_union=True reads as
the union of its articles) or on a `pyoxigraph.Store` (`to_store(g)` makes one; its default graph
is read as the union too). Both answer with the same `Answer`, in rdflib terms, so a question
gives the same answer whichever engine runs it.

    >>> import graph
    >>> g = graph.build()
    >>> answer = query(g, "SELECT ?org WHERE { id:yann-lecun kg:worksFor ?org } ORDER BY ?org")
    >>> [str(row[0]) for row in answer.rows]
    ['https://w3id.org/cnkg/id/fair', 'https://w3id.org/cnkg/id/meta']
    >>> query(to_store(g), "ASK { id:llama kg:developer id:meta }").boolean
    True
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, XSD
from rdflib.term import Node

from graph.errors import QueryError
from graph.rdf.namespaces import DOC, ID, ITSRDF, KG, NIF, WD, WDT

__all__ = ["PREFIXES", "Answer", "QueryError", "query", "to_store"]

# Declared for every query (a query's own PREFIX lines win).
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS), "nif": str(NIF._NS), "itsrdf": str(ITSRDF._NS), "schema": str(SDO._NS),
    "rdfs": str(RDFS._NS), "rdf": str(RDF._NS), "owl": str(OWL._NS), "skos": str(SKOS._NS),
    "xsd": str(XSD._NS), "wd": str(WD), "wdt": str(WDT), "id": str(ID), "doc": str(DOC), "prov": str(PROV._NS),
}


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


def query(g: Graph | ox.Store, text: str, *, bindings: Mapping[str, Node] | None = None,
          max_rows: int | None = None) -> Answer:
    """Run the SPARQL query `text` on `g` and return its `Answer`.

    Parameters
    ----------
    g : rdflib.Graph, rdflib.Dataset or pyoxigraph.Store
        The graph; the engine follows its type (rdflib or Oxigraph).
    text : str
        A SPARQL 1.1 query; the prefixes of `PREFIXES` are declared.
    bindings : mapping of variable name to rdflib term, optional
        Values for variables, bound by the engine (rdflib's initBindings, Oxigraph's
        substitutions), never pasted into the text. Oxigraph substitutes only variables that
        a SELECT projects.
    max_rows : int, optional
        Keep at most this many rows (or triples) and set `Answer.truncated` when there were more.

    Raises
    ------
    QueryError
        On a syntax error (the message gives line and column) or an error while evaluating.

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
    """
    if isinstance(g, ox.Store):
        return _query_oxigraph(g, text, bindings or {}, max_rows)
    return _query_rdflib(g, text, bindings or {}, max_rows)


def to_store(g: Graph, path: str | None = None) -> ox.Store:
    """An Oxigraph store holding the quads of `g` (a Graph's triples go to the default graph).

    In memory, or on disk in the folder `path` (which other processes can then open with
    `pyoxigraph.Store.read_only(path)`).

    >>> import graph
    >>> len(to_store(graph.build())) == len(graph.build())
    True
    """
    store = ox.Store(path)
    if isinstance(g, Dataset):
        quads = ((s, p, o, None if c == DATASET_DEFAULT_GRAPH_ID else c) for s, p, o, c in g.quads())
    else:
        quads = ((s, p, o, None) for s, p, o in g)
    store.bulk_extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), ox.DefaultGraph() if c is None else _to_ox(c))
                      for s, p, o, c in quads)
    return store


# ---------------------------------------------------------------- rdflib


def _query_rdflib(g: Graph, text: str, bindings: Mapping[str, Node], max_rows: int | None) -> Answer:
    prepared = _prepare(text)
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
    except Exception as exc:  # rdflib's evaluator raises many kinds of errors
        raise QueryError(f"SPARQL evaluation failed: {_one_line(exc)}") from None
    return _select(variables, rows, max_rows)


@lru_cache(maxsize=256)
def _prepare(text: str):
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=PREFIXES)
    except ParseBaseException as exc:
        raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {_one_line(exc.msg)}") from None
    except Exception as exc:  # e.g. "Unknown namespace prefix : foo"
        raise QueryError(f"SPARQL error: {_one_line(exc)}") from None


# ---------------------------------------------------------------- Oxigraph


def _query_oxigraph(store: ox.Store, text: str, bindings: Mapping[str, Node], max_rows: int | None) -> Answer:
    try:
        result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True,
                             substitutions={ox.Variable(k): _to_ox(v) for k, v in bindings.items()} or None)
        if isinstance(result, ox.QueryBoolean):
            return Answer("ASK", boolean=bool(result))
        limit = None if max_rows is None else max_rows + 1
        if isinstance(result, ox.QueryTriples):
            triples = [(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in islice(result, limit)]
            kept = triples[:max_rows]
            return Answer("CONSTRUCT", triples=tuple(sorted(kept)), truncated=len(kept) < len(triples))
        variables = tuple(v.value for v in result.variables)
        rows = [tuple(_from_ox(s[v]) for v in variables) for s in islice(result, limit)]
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


def _select(variables: tuple[str, ...], rows: list[tuple], max_rows: int | None) -> Answer:
    kept = rows if max_rows is None else rows[:max_rows]
    return Answer("SELECT", variables=variables, rows=tuple(kept), truncated=len(kept) < len(rows))


def _to_ox(term: Node):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise QueryError(f"cannot bind {term!r}: only IRIs, blank nodes and literals")


def _from_ox(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    return Literal(str(term))   # an RDF-star triple term, shown as text


def _one_line(exc: BaseException | str) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"
