"""The corpus graph: stories, conflicts, confirmations and support counts as triples.

IRIs of what the corpus functions find are minted here and only here. `corpus_graph(g)` is
what a store puts into its named graph ``CORPUS_GRAPH`` after each build:

- ``<article> kg:story <story>``; ``<story> a kg:Story ; schema:name`` (its first article's
  title); a copy dated after its story's earliest copy ``prov:wasDerivedFrom`` that copy;
- ``<fact> kg:supportingStories n ; kg:supportingArticles m`` for every fact;
- ``<conflict> a kg:Conflict ; kg:conflictingFact <a>, <b> ; kg:disagreement kg:DifferentDate ;
  kg:disputedProperty kg:date ; kg:concerning <entity> [; kg:independentSources true]``;
- ``<fact> kg:confirmedBy <reference>``, and each reference fact met:
  ``<reference> a kg:ReferenceFact ; rdfs:label "pytorch releaseDate 2016-09/2017-01" ;
  kg:concerning <entity> ; kg:referenceProperty kg:releaseDate ; rdf:value … ;
  prov:wasDerivedFrom <source> ; kg:wikidataProperty wdt:P577``.

    >>> import graph
    >>> g = corpus_graph(graph.build())
    >>> len(set(g.subjects(RDF.type, KG.Conflict))), len(set(g.subjects(RDF.type, KG.Story)))
    (2, 1)
"""
from __future__ import annotations

import hashlib
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SDO, XSD

from graph.corpus.conflicts import Findings, examine
from graph.corpus.read import Fact
from graph.corpus.reference import ReferenceFact
from graph.rdf.mapping import date_literal
from graph.rdf.namespaces import ID, KG, WDT

__all__ = ["CORPUS", "CORPUS_GRAPH", "add_corpus_graph", "corpus_dataset", "corpus_graph", "findings_graph", "reference_iri", "story_iri"]

CORPUS = Namespace("https://w3id.org/cnkg/corpus/")              # stories, conflicts, reference facts
CORPUS_GRAPH = URIRef("https://w3id.org/cnkg/graph/corpus")      # the named graph that holds them


def corpus_graph(g: Graph | ox.Store, **options) -> Graph:
    """The corpus graph of `g` (an rdflib Dataset or a pyoxigraph Store): see the module docstring.

    Options go to `graph.corpus.conflicts.examine`.
    """
    return findings_graph(examine(g, **options))


def corpus_dataset(g: Graph | ox.Store, **options) -> Dataset:
    """The corpus graph of `g` as the named graph `CORPUS_GRAPH` of a Dataset (to write as TriG)."""
    found = corpus_graph(g, **options)
    dataset = Dataset()
    for prefix, ns in found.namespaces():
        dataset.bind(prefix, ns, override=True)
    named = dataset.graph(CORPUS_GRAPH)
    for triple in found:
        named.add(triple)
    return dataset


def add_corpus_graph(dataset: Dataset, **options) -> Dataset:
    """Put the corpus graph of `dataset` into it, as its named graph `CORPUS_GRAPH`, and return it.

    The named graph is replaced if it is there (a corpus graph is never read as input).

    >>> import graph
    >>> g = add_corpus_graph(graph.build())
    >>> len(g.graph(CORPUS_GRAPH)) > 100
    True
    """
    dataset.remove_graph(CORPUS_GRAPH)
    found = corpus_graph(dataset, **options)
    dataset.addN((s, p, o, dataset.graph(CORPUS_GRAPH)) for s, p, o in found)
    return dataset


def findings_graph(found: Findings) -> Graph:
    """The triples of what `examine` found."""
    out = Graph()
    for prefix, ns in (("kg", KG._NS), ("id", ID), ("corpus", CORPUS), ("prov", PROV), ("schema", SDO),
                       ("wdt", WDT)):
        out.bind(prefix, ns)
    add = out.add
    for story in found.stories:
        add((story.iri, RDF.type, KG.Story))
        add((story.iri, SDO.name, Literal(story.articles[0].title)))
        for article in story.articles:
            add((article.iri, KG.story, story.iri))
        for copy in story.derived:
            add((copy.iri, PROV.wasDerivedFrom, story.original.iri))
    for fact, support in found.support.items():
        add((fact, KG.supportingStories, Literal(support.stories, datatype=XSD.integer)))
        add((fact, KG.supportingArticles, Literal(support.articles, datatype=XSD.integer)))
    for fact, ref in found.confirmations:
        add((fact.iri, KG.confirmedBy, _reference(out, ref)))
    for c in found.conflicts:
        other = c.other.iri if isinstance(c.other, Fact) else _reference(out, c.other)
        iri = CORPUS["conflict/" + hashlib.sha256(f"{c.fact.iri} {other} {c.property}".encode()).hexdigest()[:16]]
        add((iri, RDF.type, KG.Conflict))
        add((iri, KG.conflictingFact, c.fact.iri))
        add((iri, KG.conflictingFact, other))
        add((iri, KG.disagreement, KG[c.kind]))
        add((iri, KG.disputedProperty, KG[c.property]))
        add((iri, KG.concerning, c.entity))
        if c.independent is not None:
            add((iri, KG.independentSources, Literal(c.independent)))
    return out


def story_iri(first: URIRef) -> URIRef:
    """A story's IRI, named after its first article (``…/doc/0c5f…`` -> ``…/corpus/story/0c5f…``)."""
    return CORPUS["story/" + str(first).rstrip("/").rsplit("/", 1)[-1]]


def reference_iri(ref: ReferenceFact) -> URIRef:
    """``…/corpus/reference/<kb id>/<property>``."""
    return CORPUS[f"reference/{str(ref.entity)[len(str(ID)):]}/{ref.property}"]


def _reference(out: Graph, ref: ReferenceFact) -> URIRef:
    """Add the reference fact `ref` to `out` (once) and return its IRI."""
    iri = reference_iri(ref)
    if (iri, RDF.type, KG.ReferenceFact) not in out:
        out.add((iri, RDF.type, KG.ReferenceFact))
        out.add((iri, RDFS.label, Literal(_reference_label(ref))))
        out.add((iri, KG.concerning, ref.entity))
        out.add((iri, KG.referenceProperty, KG[ref.property]))
        out.add((iri, PROV.wasDerivedFrom, ref.source))
        if ref.wikidata_property:
            out.add((iri, KG.wikidataProperty, WDT[ref.wikidata_property]))
        for value in ref.values:
            out.add((iri, RDF.value, _value(value)))
    return iri


def _reference_label(ref: ReferenceFact) -> str:
    """``pytorch releaseDate 2016-09/2017-01``, ``llama developer meta | meta-ai | fair``."""
    values = (str(v)[len(str(ID)):] if isinstance(v, URIRef) else f"{v.normalize():f}" if isinstance(v, Decimal)
              else v for v in ref.values)
    return f"{str(ref.entity)[len(str(ID)):]} {ref.property} {' | '.join(values)}"


def _value(value) -> URIRef | Literal:
    if isinstance(value, URIRef):
        return value
    if isinstance(value, str):
        return date_literal(value) if "/" not in value else Literal(value)
    return Literal(value, datatype=XSD.decimal)
