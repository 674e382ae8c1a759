"""SHACL validation of a built graph against ontology/shapes.ttl, with pySHACL."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from rdflib import Dataset, Graph


def ontology_graph() -> Graph:
    """The OWL ontology (ontology/kg.ttl)."""
    return _load("kg.ttl")


def shapes_graph() -> Graph:
    """The SHACL shapes (ontology/shapes.ttl)."""
    return _load("shapes.ttl")


def validate(data: Dataset | Graph) -> tuple[bool, str]:
    """Validate `data`; return (conforms, report text)."""
    from pyshacl import validate as shacl_validate

    union = Graph()
    quads = data.quads((None, None, None, None)) if isinstance(data, Dataset) else ((s, p, o, None) for s, p, o in data)
    for s, p, o, _ in quads:
        union.add((s, p, o))
    conforms, _report, text = shacl_validate(union, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
                                             inference="none", abort_on_first=False, allow_warnings=True)
    return bool(conforms), text


@lru_cache(maxsize=2)
def _load(name: str) -> Graph:
    g = Graph()
    g.parse(data=(resources.files("graph") / "data" / "ontology" / name).read_text(encoding="utf-8"),
            format="turtle")
    return g
