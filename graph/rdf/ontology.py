"""The ontology (ontology/kg.ttl), read once: its classes and properties, their tree, their labels.

Every name the code or a data file gives a class or a property is a term of this vocabulary.
The code names terms through `graph.rdf.namespaces.KG`, where a typo fails at import; the data
files (knowledge base, name cues, fact patterns, quantity units) name them as strings, and
their loaders check each one here, so that a misspelt name is a one-line `DataError` naming
the file, the entry and the name when the file loads, not a traceback when a pattern fires.
The sets the extraction uses (entity types, organization types …) are derived from the class
tree here, never retyped.

    >>> v = vocabulary()
    >>> sorted(v.names(v.below(KG.Organization)))
    ['Company', 'GovernmentAgency', 'Organization', 'OrganizationUnit', 'ResearchInstitute', 'University']
    >>> v.label(KG.Layoff, "zh"), KG.Layoff in v.event_classes, KG.agent in v.roles
    ('裁员', True, True)
    >>> v.check("Compnay", v.entity_types, "entity type", "kb.toml: entity 'acme'")
    Traceback (most recent call last):
    graph.errors.DataError: kb.toml: entity 'acme': unknown entity type 'Compnay' (did you mean 'Company'? the names are in ontology/kg.ttl)

The vocabulary is parsed with pyoxigraph (about a millisecond, on every build); `ontology_graph()`
is the same file as an rdflib Graph, for pySHACL and for users who want to query it.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from graph.datafiles import bundled
from graph.errors import DataError
from graph.rdf.namespaces import KG

__all__ = ["Term", "Vocabulary", "ontology_graph", "read_turtle", "vocabulary"]

ONTOLOGY_FILE = "kg.ttl"
# pyoxigraph gives plain strings, and an rdflib URIRef never equals a str: compare strings.
_KINDS = {str(OWL.Class), str(OWL.ObjectProperty), str(OWL.DatatypeProperty), str(OWL.AnnotationProperty)}
_PARENT = {str(RDFS.subClassOf), str(RDFS.subPropertyOf)}


@dataclass(frozen=True)
class Term:
    """A class, a property or a named individual the ontology declares."""
    kind: URIRef                    # owl:Class, owl:ObjectProperty, owl:DatatypeProperty or owl:AnnotationProperty;
                                    # for an individual (kg:DifferentDate), the ontology's class it is of
    parents: frozenset[URIRef]      # its rdfs:subClassOf / rdfs:subPropertyOf, as declared
    range: URIRef | None            # rdfs:range, for properties that declare one
    labels: Mapping[str, str]       # language -> rdfs:label


@dataclass(frozen=True)
class Vocabulary:
    """The terms of the ontology and the sets of them that the code works with.

    Sets of terms (`entity_classes`, `roles` …) hold IRIs; `entity_types` and `event_types`
    hold local names, as the extraction and the data files write them ("Company", "Layoff").
    """
    terms: Mapping[URIRef, Term]
    _below: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _names_under: dict[tuple[URIRef, ...], frozenset[str]] = field(default_factory=dict, init=False, repr=False,
                                                                   compare=False)

    def ancestors(self, iri: URIRef) -> frozenset[URIRef]:
        """`iri` and everything above it: its parents, their parents … (outside IRIs included)."""
        return self._ancestry.get(iri, frozenset({iri}))

    def below(self, root: URIRef) -> frozenset[URIRef]:
        """The terms at or under `root` in the class or property tree (`root` too, when declared)."""
        if root not in self._below:     # asked per mention and per fact: made once per root
            self._below[root] = frozenset(iri for iri in self.terms if root in self._ancestry[iri])
        return self._below[root]

    def most_specific(self, classes: Iterable[URIRef]) -> URIRef:
        """The deepest of `classes` in the tree (the first in IRI order on a tie)."""
        return max(sorted(classes), key=lambda c: len(self.ancestors(c)))

    def label(self, iri: URIRef, lang: str) -> str | None:
        """The rdfs:label of `iri` in `lang` ("zh" or "en"), or None."""
        term = self.terms.get(iri)
        return term.labels.get(lang) if term else None

    def types_under(self, *classes: URIRef) -> frozenset[str]:
        """Local names of the classes at or under any of `classes`.

        >>> sorted(vocabulary().types_under(KG.Place, KG.Concept))
        ['City', 'Concept', 'Country', 'Place']
        """
        if classes not in self._names_under:
            self._names_under[classes] = self.names(frozenset().union(*(self.below(c) for c in classes)))
        return self._names_under[classes]

    @staticmethod
    def names(iris: Iterable[URIRef]) -> frozenset[str]:
        """The local names of the ontology's own terms among `iris` (Company for kg:Company)."""
        prefix = str(KG._NS)
        return frozenset(iri[len(prefix):] for iri in iris if iri.startswith(prefix))

    @cached_property
    def entity_classes(self) -> frozenset[URIRef]:
        """Classes of the things a text names: kg:Entity and every class under it."""
        return self.below(KG.Entity)

    @cached_property
    def concept_classes(self) -> frozenset[URIRef]:
        """kg:Concept and its subclasses: generic terms, never named entities."""
        return self.below(KG.Concept)

    @cached_property
    def event_classes(self) -> frozenset[URIRef]:
        """Classes of n-ary fact nodes with roles: every event class, and claims."""
        return self.below(KG.Event) | self.below(KG.Claim)

    @cached_property
    def fact_classes(self) -> frozenset[URIRef]:
        """Classes of every fact node: events, claims and the statements of direct relations."""
        return self.below(KG.Event) | self.below(RDF.Statement)

    @cached_property
    def roles(self) -> frozenset[URIRef]:
        """Properties from an event or claim to its participants (kg:agent, kg:object …)."""
        return self.below(KG.role) - {KG.role}

    @cached_property
    def relations(self) -> frozenset[URIRef]:
        """Direct edges between entities (kg:developer, kg:worksFor …): the ontology's object
        properties that are no role and whose range, when declared, is an entity class."""
        return frozenset(iri for iri, t in self.terms.items()
                         if t.kind == OWL.ObjectProperty and iri.startswith(str(KG._NS)) and iri not in self.roles
                         and iri != KG.role and (t.range is None or t.range in self.entity_classes))

    @cached_property
    def entity_types(self) -> frozenset[str]:
        """Local names of the classes a named entity may have (kg:Entity itself is abstract)."""
        return self.names(self.entity_classes - {KG.Entity})

    @cached_property
    def event_types(self) -> frozenset[str]:
        """Local names of the classes a fact pattern may create as an n-ary node."""
        return self.names(self.event_classes)

    def check(self, name: str, allowed: frozenset[str], what: str, where: str) -> str:
        """`name` when it is one of `allowed`; else a one-line DataError saying `where` it stands.

        `what` says what the name should be ("entity type", "event class"); the message suggests
        the nearest allowed name.
        """
        if isinstance(name, str) and name in allowed:
            return name
        near = difflib.get_close_matches(str(name), sorted(allowed), n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        raise DataError(f"{where}: unknown {what} {name!r} ({hint}the names are in ontology/{ONTOLOGY_FILE})")

    @cached_property
    def _ancestry(self) -> dict[URIRef, frozenset[URIRef]]:
        ancestry: dict[URIRef, frozenset[URIRef]] = {}
        for iri in self.terms:
            seen, stack = {iri}, [iri]
            while stack:
                term = self.terms.get(stack.pop())
                for parent in term.parents if term else ():
                    if parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
            ancestry[iri] = frozenset(seen)
        return ancestry


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The ontology's classes and properties, parsed once per process.

    >>> "AIModel" in vocabulary().entity_types and "Thing" not in vocabulary().entity_types
    True
    """
    data = bundled("ontology", ONTOLOGY_FILE).read_bytes()
    kinds: dict[str, str] = {}
    parents: dict[str, set[URIRef]] = defaultdict(set)
    ranges: dict[str, URIRef] = {}
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    typed: list[tuple[str, str]] = []       # (subject, class) for the individuals of a class
    for triple in ox.parse(data, ox.RdfFormat.TURTLE):
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == str(RDF.type) and o.value in _KINDS and s.value not in kinds:
            kinds[s.value] = o.value
        elif p == str(RDF.type) and isinstance(o, ox.NamedNode):
            typed.append((s.value, o.value))
        elif p in _PARENT and isinstance(o, ox.NamedNode):
            parents[s.value].add(URIRef(o.value))
        elif p == str(RDFS.range) and isinstance(o, ox.NamedNode):
            ranges[s.value] = URIRef(o.value)
        elif p == str(RDFS.label) and isinstance(o, ox.Literal) and o.language:
            labels[s.value].append((o.language, o.value))
    for iri, cls in typed:      # kg:DifferentDate a kg:Disagreement: an individual of the ontology's own class
        if iri not in kinds and kinds.get(cls) == str(OWL.Class):
            kinds[iri] = cls
    return Vocabulary({
        URIRef(iri): Term(URIRef(kind), frozenset(parents[iri]), ranges.get(iri), _first_per_language(labels[iri]))
        for iri, kind in kinds.items()})


def _first_per_language(labels: list[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for lang, text in sorted(labels):
        found.setdefault(lang, text)
    return found


def ontology_graph() -> Graph:
    """The OWL ontology (ontology/kg.ttl) as an rdflib Graph, parsed once; callers must not change it.

    >>> from rdflib.namespace import RDFS
    >>> (KG.Company, RDFS.subClassOf, KG.Organization) in ontology_graph()
    True
    """
    return read_turtle(ONTOLOGY_FILE)


@lru_cache(maxsize=2)
def read_turtle(name: str) -> Graph:
    """A Turtle file of ontology/ (kg.ttl, shapes.ttl) as an rdflib Graph, parsed once."""
    g = Graph()
    g.parse(data=bundled("ontology", name).read_text(encoding="utf-8"), format="turtle")
    return g
