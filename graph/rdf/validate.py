"""SHACL validation of a built graph against ontology/shapes.ttl, with pySHACL."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pyoxigraph as ox
from rdflib import Dataset, Graph


def ontology_graph() -> Graph:
    """The OWL ontology (ontology/kg.ttl)."""
    return _load("kg.ttl")


def shapes_graph() -> Graph:
    """The SHACL shapes (ontology/shapes.ttl)."""
    return _load("shapes.ttl")


def validate(data: Dataset | Graph | ox.Store) -> tuple[bool, str]:
    """Validate `data`; return (conforms, report text).

    A corpus store (a pyoxigraph Store) is validated one article at a time, each article's graph
    with the descriptions of the entities it names, so that memory stays that of one article.
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
    conforms, _report, text = shacl_validate(union, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
                                             inference="none", abort_on_first=False, allow_warnings=True)
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


@lru_cache(maxsize=2)
def _load(name: str) -> Graph:
    g = Graph()
    g.parse(data=(resources.files("graph") / "data" / "ontology" / name).read_text(encoding="utf-8"),
            format="turtle")
    return g
