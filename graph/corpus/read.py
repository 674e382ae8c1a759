"""What the corpus functions read from a graph: its articles and its facts, through SPARQL only.

Everything here is a query through `graph.query.sparql.query` on the union of the graph's named
graphs, so it reads an rdflib Dataset (files) and a pyoxigraph Store alike, wherever the
entities' labels and types are kept. A fact belongs to the article of its evidence sentence
(``kg:evidence/nif:referenceContext``).

    >>> import graph
    >>> g = graph.build()
    >>> [(a.title[:9], a.published, len(a.text) > 5000) for a in articles(g)]
    [('去年股价跌去四分之', None, True)]
    >>> pytorch = [f for f in facts(g) if f.kind == "OpenSourcing" and f.entities("object") == {ID.pytorch}]
    >>> [(f.date, f.sentence) for f in pytorch]
    [('2015', '2015年,Meta开源了PyTorch这玩意儿深厚度学框架。')]
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from graph.query.sparql import query
from graph.rdf.namespaces import ID, KG

__all__ = ["ROLES", "Article", "Fact", "Figure", "articles", "as_store", "entity_types", "facts", "is_kb_entity", "labels",
           "open_corpus"]

# The roles of an event, and the subject and object of a relation statement.
ROLES = {KG.agent: "agent", KG.object: "object", KG.participant: "participant", KG.benchmark: "benchmark",
         KG.claimant: "claimant", KG.about: "about", KG.investor: "investor", KG.leadInvestor: "leadInvestor",
         KG.venue: "venue", RDF.subject: "subject", RDF.object: "object"}
# Figures, with the property that gives each one's unit.
_FIGURES = {KG.count: KG.unitText, KG.amount: KG.currency, KG.percentage: KG.unitText, KG.quantity: KG.unitText}
_TEXTS = {KG.date: "date", KG.period: "period", KG.claimText: "text", KG.currency: "currency",
          KG.unitText: "unitText"}
_VALUES = " ".join(p.n3() for p in (*ROLES, *_FIGURES, *_TEXTS, RDF.predicate))


@dataclass(frozen=True)
class Article:
    """An article of the corpus: its IRI, title, publication date (ISO) and reading.

    `text` is its sentences as the pipeline read them (restored from spin and folded where
    the graph has a ``kg:restoredText``, else as written), in order.
    """
    iri: URIRef
    title: str
    published: str | None
    text: str


@dataclass(frozen=True)
class Figure:
    """A number an event states: its property (count, amount, percentage, quantity), value, unit."""
    property: str
    value: Decimal
    unit: str | None


@dataclass(frozen=True)
class Fact:
    """An event, claim or relation statement of one article, as the corpus functions compare them.

    `kind` is its class's local name (Layoff, Release, RelationStatement …); `roles` pairs a role
    (agent, object … for events; subject and object for statements) with an entity; `predicate`
    is a statement's property (developer, founder …). `sentence` is the evidence as written, at
    `begin`:`end` of the article's text.
    """
    iri: URIRef
    kind: str
    article: URIRef
    sentence: str
    begin: int
    end: int
    roles: tuple[tuple[str, URIRef], ...] = ()
    predicate: str | None = None
    date: str | None = None
    period: str | None = None
    text: str | None = None
    figures: tuple[Figure, ...] = ()
    unit: str | None = None

    def entities(self, role: str) -> frozenset[URIRef]:
        """The entities in `role` (empty when the fact has none)."""
        return frozenset(e for r, e in self.roles if r == role)

    def figure(self, prop: str) -> Figure | None:
        """The figure of property `prop` (the first, when an event states several)."""
        return next((f for f in self.figures if f.property == prop), None)


def open_corpus(*paths: str | Path) -> Dataset | ox.Store:
    """The corpus at `paths`: an Oxigraph store opened read-only when the one path is a store's
    folder, else the RDF files (or folders of them) loaded into an rdflib Dataset."""
    from graph.rdf.io import load_graph

    if len(paths) == 1 and Path(paths[0]).is_dir():
        try:
            return ox.Store.read_only(str(paths[0]))
        except OSError:
            pass            # a folder of RDF files
    return load_graph(*paths)


def as_store(g: Graph | ox.Store) -> ox.Store:
    """`g` as an Oxigraph store: a store as it is, an rdflib graph copied into one in memory.

    The corpus functions read with a handful of joins over every fact and sentence; Oxigraph
    answers them in milliseconds where rdflib's evaluator takes seconds, and the copy is linear.
    """
    from graph.query.sparql import to_store

    return g if isinstance(g, ox.Store) else to_store(g)


def articles(g: Graph | ox.Store) -> tuple[Article, ...]:
    """The articles of `g`, sorted by IRI.

    Notes
    -----
    Two queries: the articles, and every sentence's text (linear in the number of sentences).
    """
    heads: dict[URIRef, tuple[str, str]] = {}
    for doc, name, published in query(g, """
        SELECT ?doc ?name ?published WHERE {
          ?doc a kg:NewsArticle .
          OPTIONAL { ?doc schema:name ?name }
          OPTIONAL { ?doc schema:datePublished ?published }
        }""").rows:
        head = (str(name or ""), str(published)[:10] if published is not None else "")
        heads[doc] = min(heads.get(doc, head), head)
    sentences: dict[URIRef, list[tuple[int, str]]] = defaultdict(list)
    for doc, begin, text in query(g, """
        SELECT ?doc ?begin ?text WHERE {
          ?s a nif:Sentence ; nif:referenceContext ?doc ; nif:beginIndex ?begin ; nif:anchorOf ?anchor .
          OPTIONAL { ?s kg:restoredText ?restored }
          BIND(COALESCE(?restored, ?anchor) AS ?text)
        }""").rows:
        sentences[doc].append((int(begin), str(text)))
    return tuple(Article(iri=doc, title=title, published=published or None,
                         text="\n".join(text for _, text in sorted(sentences[doc])))
                 for doc, (title, published) in sorted(heads.items()))


def facts(g: Graph | ox.Store) -> tuple[Fact, ...]:
    """Every event, claim and relation statement of `g` (whatever has ``kg:evidence``), sorted by IRI.

    Notes
    -----
    Two queries: each fact with its evidence sentence, and the facts' roles and values.
    """
    heads: dict[URIRef, tuple] = {}
    for fact, kind, doc, text, begin, end in query(g, """
        SELECT ?fact ?kind ?doc ?text ?begin ?end WHERE {
          ?fact kg:evidence ?s ; a ?kind .
          ?s nif:referenceContext ?doc ; nif:anchorOf ?text ; nif:beginIndex ?begin ; nif:endIndex ?end .
          FILTER(STRSTARTS(STR(?kind), STR(kg:)))
        }""").rows:
        head = (str(kind)[len(str(KG._NS)):], doc, str(text), int(begin), int(end))
        if fact not in heads or (head[3], head[0]) < (heads[fact][3], heads[fact][0]):   # the first evidence
            heads[fact] = head
    values: dict[URIRef, list[tuple[URIRef, object]]] = defaultdict(list)
    for fact, p, o in query(g, f"SELECT ?fact ?p ?o WHERE {{ VALUES ?p {{ {_VALUES} }} ?fact kg:evidence ?s ; ?p ?o }}").rows:
        values[fact].append((p, o))
    return tuple(_fact(iri, *heads[iri], sorted(values[iri])) for iri in sorted(heads))


def entity_types(g: Graph | ox.Store) -> dict[URIRef, frozenset[str]]:
    """The ontology classes (local names) of every IRI typed with one (entities, and facts too)."""
    found: dict[URIRef, set[str]] = defaultdict(set)
    for iri, cls in query(g, "SELECT DISTINCT ?iri ?class WHERE { ?iri a ?class FILTER(STRSTARTS(STR(?class), STR(kg:))) }").rows:
        found[iri].add(str(cls)[len(str(KG._NS)):])
    return {iri: frozenset(c) for iri, c in found.items()}


def labels(g: Graph | ox.Store, lang: str = "zh") -> dict[URIRef, str]:
    """A display name for every entity with an rdfs:label: the `lang` label first, then English,
    then any (the smallest when there are several)."""
    ranked: dict[URIRef, tuple[int, str]] = {}
    for entity, label in query(g, "SELECT ?entity ?label WHERE { ?entity rdfs:label ?label }").rows:
        language = label.language if isinstance(label, Literal) else None
        rank = (0 if language == lang else 1 if language == "en" else 2, str(label))
        ranked[entity] = min(ranked.get(entity, rank), rank)
    return {e: text for e, (_, text) in ranked.items()}


def _fact(iri: URIRef, kind: str, doc: URIRef, sentence: str, begin: int, end: int,
          values: list[tuple[URIRef, object]]) -> Fact:
    roles, texts, numbers = [], {}, []
    predicate = None
    for p, o in values:
        if p in ROLES and isinstance(o, URIRef):
            roles.append((ROLES[p], o))
        elif p == RDF.predicate:
            predicate = str(o)[len(str(KG._NS)):] if str(o).startswith(str(KG._NS)) else str(o)
        elif p in _FIGURES and isinstance(o, Literal):
            number = _decimal(o)
            if number is not None:
                numbers.append((p, number))
        elif p in _TEXTS:
            texts.setdefault(_TEXTS[p], str(o))
    figures = tuple(Figure(str(p)[len(str(KG._NS)):], value,
                           texts.get("currency" if _FIGURES[p] == KG.currency else "unitText"))
                    for p, value in numbers)
    return Fact(iri=iri, kind=kind, article=doc, sentence=sentence, begin=begin, end=end, roles=tuple(sorted(roles)),
                predicate=predicate, date=texts.get("date"), period=texts.get("period"), text=texts.get("text"),
                figures=figures, unit=texts.get("unitText"))


def _decimal(literal: Literal) -> Decimal | None:
    """A number literal (xsd:decimal, integer, double …) as a Decimal; None when it is not one."""
    try:
        return Decimal(str(literal))
    except InvalidOperation:
        return None


def is_kb_entity(iri: URIRef) -> bool:
    """Whether `iri` names a knowledge-base entity (not a name the extractor discovered)."""
    return str(iri).startswith(str(ID)) and not str(iri).startswith(str(ID["name/"]))
