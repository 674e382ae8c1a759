"""Queries and ready questions on a remote SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, Fuseki …).

`query(Endpoint(url), text)` and `ask(Endpoint(url), name)` work as on a local graph: the query is
sent by the SPARQL 1.1 Protocol (POST, form-encoded), after a prologue that declares our prefixes
and base IRI; the answer comes back in rdflib terms. The ready questions name the graphs they read
(GRAPH ?g), so they run on a store without a union default graph.

A binding (a question's parameter) travels as inline data at the start of the WHERE group,
``VALUES (?entity) { (<https://w3id.org/cnkg/id/meta>) }``, written from the term itself (never
pasted from user text): it binds the variable before the group's BINDs and FILTERs read it, as
rdflib's initBindings and Oxigraph's substitutions do.

    >>> print(with_bindings("SELECT ?x WHERE { ?x ?p ?o }", {"x": URIRef("https://w3id.org/cnkg/id/meta")}))
    SELECT ?x WHERE { VALUES (?x) { (<https://w3id.org/cnkg/id/meta>) }
     ?x ?p ?o }
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.errors import QueryError, RemoteError
from graph.query import guard
from graph.query.http import Client
from graph.rdf.io import from_ox_term, to_ox_term
from graph.rdf.namespaces import ID, PREFIXES

__all__ = ["Endpoint", "json_term", "remote_query", "term_from_json", "with_bindings"]

_ACCEPT = {"SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
           "CONSTRUCT": "application/n-triples, text/turtle;q=0.9", "DESCRIBE": "application/n-triples, text/turtle;q=0.9"}
_RDF_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                "text/turtle": ox.RdfFormat.TURTLE}


@dataclass(frozen=True)
class Endpoint:
    """A remote SPARQL 1.1 query endpoint (``http://host:port/sparql``), to query instead of a graph.

    Credentials, if the endpoint needs them, come from the environment or a netrc file
    (`graph.query.http.credentials`).
    """
    url: str
    timeout: float = 60.0
    retries: int = 2


def prologue() -> str:
    """BASE and PREFIX lines for our prefixes: a query's own declarations, later in the text, win."""
    return f"BASE <{ID}>\n" + "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in sorted(PREFIXES.items()))


def with_bindings(text: str, bindings: Mapping[str, Node]) -> str:
    """`text` with `bindings` as inline data opening its WHERE group (SELECT and ASK only)."""
    if not bindings:
        return text
    start = guard.group_start(text)
    if start is None or guard.query_form(text) not in ("SELECT", "ASK"):
        raise QueryError("values for variables go to SELECT and ASK queries only on a remote endpoint")
    names = sorted(bindings)
    row = " ".join(str(to_ox_term(bindings[name])) for name in names)
    values = f" VALUES ({' '.join('?' + name for name in names)}) {{ ({row}) }}\n"
    return text[:start] + values + text[start:]


def remote_query(endpoint: Endpoint, text: str, bindings: Mapping[str, Node], max_rows: int | None):
    """The `Answer` of the endpoint to `text` (see `graph.query.sparql.query`)."""
    from graph.query.sparql import Answer

    form = guard.query_form(text)
    if not form:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    body = urlencode({"query": prologue() + with_bindings(text, bindings)}).encode("utf-8")
    client = Client(endpoint.url, timeout=endpoint.timeout, retries=endpoint.retries)
    reply = client.send("POST", endpoint.url, data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT[form]})
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = sorted(_triples(reply.content_type, reply.body))
        kept = triples if max_rows is None else triples[:max_rows]
        return Answer("CONSTRUCT", triples=tuple(kept), truncated=len(kept) < len(triples))
    results = _json(reply.body, endpoint.url)
    if "boolean" in results:
        return Answer("ASK", boolean=bool(results["boolean"]))
    variables = tuple(results.get("head", {}).get("vars", ()))
    rows = [tuple(term_from_json(binding.get(v)) for v in variables) for binding in results.get("results", {}).get("bindings", ())]
    kept = rows if max_rows is None else rows[:max_rows]
    return Answer("SELECT", variables=variables, rows=tuple(kept), truncated=len(kept) < len(rows))


def _json(body: bytes, url: str) -> dict:
    try:
        results = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise RemoteError(f"{url}: the answer is not SPARQL JSON results") from None
    if not isinstance(results, dict):
        raise RemoteError(f"{url}: the answer is not SPARQL JSON results")
    return results


def json_term(term: Node) -> dict:
    """A term as SPARQL 1.1 Query Results JSON writes it (the inverse of `term_from_json`)."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def term_from_json(value: dict | None) -> Node | None:
    """A term of SPARQL 1.1 Query Results JSON as an rdflib term (None: unbound).

    >>> term_from_json(json_term(Literal("2023", datatype=XSD.gYear)))
    rdflib.term.Literal('2023', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    """
    if value is None:
        return None
    kind, text = value.get("type"), value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if "xml:lang" in value:
        return Literal(text, lang=value["xml:lang"])
    datatype = value.get("datatype")       # "typed-literal": the older form Virtuoso still writes
    return Literal(text, datatype=None if datatype in (None, str(XSD.string)) else URIRef(datatype))


def _triples(content_type: str, body: bytes) -> list[tuple[Node, Node, Node]]:
    if content_type not in _RDF_FORMATS:
        raise RemoteError(f"the endpoint answered a graph as {content_type or 'no type'}, not N-Triples or Turtle")
    try:
        parsed = ox.parse(body, format=_RDF_FORMATS[content_type])
        return [(from_ox_term(t.subject), from_ox_term(t.predicate), from_ox_term(t.object)) for t in parsed]
    except SyntaxError as exc:
        raise RemoteError(f"the endpoint's graph does not parse: {exc}") from None
