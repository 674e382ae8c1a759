"""SHACL validation of a built graph against ontology/shapes.ttl, with pySHACL."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import Dataset, Graph

from graph.rdf.ontology import read_turtle

__all__ = ["shapes_graph", "validate"]


def shapes_graph() -> Graph:
    """The SHACL shapes (ontology/shapes.ttl), parsed once; callers must not change them."""
    return read_turtle("shapes.ttl")


def validate(data: Dataset | Graph | ox.Store) -> tuple[bool, str]:
    """Validate `data` against the shapes, as it is (no ontology merged in); return (conforms, report text).

    The input is left as it was (the union of its graphs is validated as a copy). A corpus store
    (a pyoxigraph Store) is validated one article at a time, each article's graph with the
    descriptions of the entities it names, so that memory stays that of one article.

    >>> import graph
    >>> conforms, report = validate(graph.build())
    >>> conforms, report.splitlines()[1]
    (True, 'Conforms: True')
    """
    if isinstance(data, ox.Store):
        return _validate_store(data)
    quads = data.quads((None, None, None, None)) if isinstance(data, Dataset) else ((s, p, o, None) for s, p, o in data)
    return _validate_graph(quads)


def _validate_graph(quads) -> tuple[bool, str]:
    from pyshacl import validate as shacl_validate

    union = Graph()
    for s, p, o, _ in quads:
        union.add((s, p, o))
    conforms, _report, text = shacl_validate(union, shacl_graph=shapes_graph(), inference="none",
                                             abort_on_first=False, allow_warnings=True)
    return bool(conforms), text


def _validate_store(store: ox.Store) -> tuple[bool, str]:
    from graph.rdf.io import from_ox_term
    from graph.rdf.mapping import ENTITIES_GRAPH
    from graph.rdf.namespaces import KG
    from graph.rdf.store import CorpusStore

    entities_graph, mentioned = ox.NamedNode(str(ENTITIES_GRAPH)), ox.NamedNode(str(KG.mentionedIn))
    failures = []
    for article in CorpusStore(store).articles():
        node = ox.NamedNode(article)
        quads = list(store.quads_for_pattern(None, None, None, node))
        named = {q.subject for q in quads if q.predicate == mentioned}
        quads += [q for e in named for q in store.quads_for_pattern(e, None, None, entities_graph)]
        conforms, text = _validate_graph((from_ox_term(q.subject), from_ox_term(q.predicate), from_ox_term(q.object),
                                          None) for q in quads)
        if not conforms:
            failures.append(f"article <{article}>:\n{text.strip()}")
    return not failures, "\n\n".join(failures)
