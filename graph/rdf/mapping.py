"""The one place that mints IRIs and quads: a processed Document -> pyoxigraph quads.

Provenance follows NIF 2.0: the article is a nif:Context holding the original text; each
sentence and each mention is a string with nif:beginIndex/endIndex into that text; a mention
points at its entity with itsrdf:taIdentRef. Every fact points at its sentence with
kg:evidence and names the pattern that produced it with kg:extractedBy.

Everything an article states goes into the article's own named graph (its IRI is the
document's). What an *entity is* (types, labels, owl:sameAs) does not depend on the article, so
it goes once into the entities graph (`ENTITIES_GRAPH`), whatever the number of articles that
name it: a union of article graphs then never repeats an entity's description.

Quads are pyoxigraph terms, not rdflib ones: this runs once per article on the hot path of a
corpus build, where rdflib's `Graph.add` costs ~18 µs a triple.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SDO, SKOS, XSD

from graph.model import Document, Entity, Event, Mention, Relation, Sentence
from graph.rdf.namespaces import DOC, GRAPH, ID, ITSRDF, KG, NIF, WD

__all__ = ["ENTITIES_GRAPH", "ArticleQuads", "article_quads", "content_hash", "date_literal", "document_iri",
           "entity_iri", "entity_quads", "fact_iri", "mention_iri", "sentence_iri"]

ENTITIES_GRAPH = GRAPH["entities"]
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


@dataclass(frozen=True)
class ArticleQuads:
    """An article's named graph, and the entities it names (their description is written once)."""
    article: str                        # the document IRI, which also names its graph
    quads: tuple[ox.Quad, ...]          # the article's named graph
    entities: tuple[Entity, ...]


# ---------------------------------------------------------------- the IRI scheme


def entity_iri(entity: Entity) -> URIRef:
    """The IRI of an entity: `id/<kb id>`, or `id/<kind>/<folded name>` for a discovered name.

    A discovered name gets the same IRI in every article that names it as the same kind of thing
    (an organization, a person, a product …: the entity's top class in the ontology), so that
    articles share it; the same name used for things of different kinds stays apart.

    >>> entity_iri(Entity("meta", "Company", ()))
    rdflib.term.URIRef('https://w3id.org/cnkg/id/meta')
    >>> entity_iri(Entity("name/wiz", "Company", ()))
    rdflib.term.URIRef('https://w3id.org/cnkg/id/organization/wiz')
    """
    if entity.key.startswith("name/"):
        return ID[f"{entity_kind(entity.type).lower()}/{quote(entity.key[5:], safe='')}"]
    return ID[quote(entity.key, safe="/")]


def document_iri(doc: Document) -> URIRef:
    """`doc/<first 16 hex digits of the text's sha256>`: the same text gets the same IRI anywhere."""
    return DOC[content_hash(doc)[:16]]


def content_hash(doc: Document) -> str:
    return hashlib.sha256(doc.original.encode("utf-8")).hexdigest()


def sentence_iri(article: URIRef, index: int) -> URIRef:
    return URIRef(f"{article}/sentence/{index}")


def mention_iri(article: URIRef, begin: int, end: int) -> URIRef:
    """A mention is named by its offsets in the original text (RFC 5147 style)."""
    return URIRef(f"{article}#char={begin},{end}")


def fact_iri(article: URIRef, kind: str, number: int) -> URIRef:
    """The `number`-th fact of a kind in an article: `doc/<hash>/Layoff/2`, `…/statement/5`."""
    return URIRef(f"{article}/{kind}/{number}")


@lru_cache(maxsize=64)
def entity_kind(type_name: str) -> str:
    """The class right below kg:Entity that `type_name` falls under (Company -> Organization)."""
    from graph.rdf.validate import ontology_graph

    onto, cls = ontology_graph(), KG[type_name]
    for parent in onto.transitive_objects(cls, RDFS.subClassOf):
        if (parent, RDFS.subClassOf, KG.Entity) in onto:
            return str(parent)[len(str(KG._NS)):]
    return type_name


# ---------------------------------------------------------------- quads


def article_quads(doc: Document) -> ArticleQuads:
    """The quads of a processed document's named graph.

    >>> import graph
    >>> result = article_quads(graph.process(graph.bundled_article()))
    >>> result.article
    'https://w3id.org/cnkg/doc/0c5fc54fa0f2c0fe'
    >>> len(result.quads) > 1000, len(result.entities) > 30
    (True, True)
    """
    article = document_iri(doc)
    writer = _Writer(ox.NamedNode(str(article)))
    _add_article(writer, doc, article)
    _add_sentences(writer, doc, article)
    entities = {e.key: e for e in doc.entities}
    for e in doc.entities:
        writer.add(entity_iri(e), KG.mentionedIn, article)
        if doc.publisher and any(label.text == doc.publisher for label in e.labels):
            writer.add(article, SDO.publisher, entity_iri(e))
    for m in doc.mentions:
        _add_mention(writer, doc, article, m, entity_iri(entities[m.entity]))
    counters: dict[str, int] = {}
    for fact in doc.facts:
        kind = "statement" if isinstance(fact, Relation) else fact.kind
        counters[kind] = counters.get(kind, 0) + 1
        iri = fact_iri(article, kind, counters[kind])
        writer.add(iri, KG.evidence, sentence_iri(article, fact.evidence.sentence))
        writer.add(iri, KG.extractedBy, Literal(fact.evidence.pattern))
        if isinstance(fact, Relation):
            _add_relation(writer, iri, fact, entities)
        else:
            _add_event(writer, iri, fact, entities)
    return ArticleQuads(str(article), tuple(writer.quads), doc.entities)


def entity_quads(entity: Entity) -> list[ox.Quad]:
    """What an entity is, in the entities graph: its types, labels and Wikidata id.

    >>> [q.predicate.value.split("#")[-1] for q in entity_quads(Entity("name/wiz", "Company", ()))]
    ['type', 'mergeRule']
    """
    writer = _Writer(ox.NamedNode(str(ENTITIES_GRAPH)))
    iri = entity_iri(entity)
    writer.add(iri, RDF.type, KG[entity.type])
    for label in entity.labels:
        writer.add(iri, RDFS.label if label.preferred else SKOS.altLabel, Literal(label.text, lang=label.lang))
    if entity.wikidata:
        writer.add(iri, OWL.sameAs, WD[entity.wikidata])
    if entity.key.startswith("name/"):
        # Why articles share this node: say it, so that a wrong merge can be found.
        writer.add(iri, KG.mergeRule, Literal(f"same folded name, same kind ({entity_kind(entity.type)})"))
    return writer.quads


class _Writer:
    """Collects quads of one graph, converting rdflib terms (the vocabulary's) to pyoxigraph ones."""

    def __init__(self, graph: ox.NamedNode):
        self.graph = graph
        self.quads: list[ox.Quad] = []

    def add(self, s, p, o) -> None:
        self.quads.append(ox.Quad(_node(s), _node(p), _term(o), self.graph))


@lru_cache(maxsize=4096)
def _node(iri: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _term(o) -> ox.NamedNode | ox.Literal:
    if isinstance(o, Literal):
        if o.language:
            return ox.Literal(str(o), language=o.language)
        return ox.Literal(str(o), datatype=_node(o.datatype or XSD.string))
    return _node(o)


def _add_article(w: _Writer, doc: Document, article: URIRef) -> None:
    w.add(article, RDF.type, KG.NewsArticle)
    w.add(article, RDF.type, NIF.Context)
    w.add(article, SDO.name, Literal(doc.title or doc.source))
    w.add(article, KG.contentHash, Literal("sha256:" + content_hash(doc)))
    w.add(article, NIF.isString, Literal(doc.original))
    if doc.published:
        w.add(article, SDO.datePublished, date_literal(doc.published))


def _add_string(w: _Writer, doc: Document, iri: URIRef, article: URIRef, begin: int, end: int) -> None:
    """A NIF string of the article: offsets into the original text and the text they hold."""
    # xsd:integer, not NIF's xsd:nonNegativeInteger: stores such as Oxigraph rewrite the latter
    # to the former, and the shapes check >= 0 instead.
    w.add(iri, NIF.beginIndex, Literal(str(begin), datatype=XSD.integer))
    w.add(iri, NIF.endIndex, Literal(str(end), datatype=XSD.integer))
    w.add(iri, NIF.anchorOf, Literal(doc.original[begin:end]))
    w.add(iri, NIF.referenceContext, article)


def _add_sentences(w: _Writer, doc: Document, article: URIRef) -> None:
    for s in doc.sentences:
        iri = sentence_iri(article, s.index)
        begin, end = doc.span(s.start, s.end)
        w.add(iri, RDF.type, NIF.Sentence)
        _add_string(w, doc, iri, article, begin, end)
        restored = doc.text[s.start:s.end]
        if restored != doc.original[begin:end]:
            w.add(iri, KG.restoredText, Literal(restored))


def _add_mention(w: _Writer, doc: Document, article: URIRef, m: Mention, entity: URIRef) -> None:
    begin, end = doc.span(m.start, m.end)
    iri = mention_iri(article, begin, end)
    w.add(iri, RDF.type, NIF.Phrase)
    _add_string(w, doc, iri, article, begin, end)
    w.add(iri, NIF.sentence, sentence_iri(article, m.sentence))
    w.add(iri, ITSRDF.taIdentRef, entity)
    w.add(iri, KG.extractedBy, Literal(m.source))


def _add_relation(w: _Writer, iri: URIRef, fact: Relation, entities: dict[str, Entity]) -> None:
    subject, predicate, obj = entity_iri(entities[fact.subject]), KG[fact.predicate], entity_iri(entities[fact.object])
    w.add(subject, predicate, obj)
    w.add(iri, RDF.type, KG.RelationStatement)
    w.add(iri, RDF.subject, subject)
    w.add(iri, RDF.predicate, predicate)
    w.add(iri, RDF.object, obj)
    if fact.role:
        w.add(iri, KG.roleName, Literal(fact.role))


def _add_event(w: _Writer, iri: URIRef, fact: Event, entities: dict[str, Entity]) -> None:
    w.add(iri, RDF.type, KG[fact.kind])
    for role, key in fact.roles:
        w.add(iri, KG[role], entity_iri(entities[key]))
    if fact.date:
        w.add(iri, KG.date, date_literal(fact.date))
    for q in fact.quantities:
        w.add(iri, KG[q.role], number_literal(q.value, q.role))
        if q.unit:
            w.add(iri, KG.currency if q.role == "amount" else KG.unitText, Literal(q.unit))
    if fact.period:
        w.add(iri, KG.period, Literal(fact.period))
    if fact.duration:
        w.add(iri, KG.duration, Literal(fact.duration, datatype=XSD.duration))
    if fact.text:
        w.add(iri, KG.claimText, Literal(fact.text))


# ---------------------------------------------------------------- literals


def date_literal(iso: str) -> Literal:
    """"2023" -> xsd:gYear, "2023-04" -> xsd:gYearMonth, "2023-04-05" -> xsd:date."""
    return Literal(iso, datatype=_DATE_TYPES[len(iso)])


def number_literal(value: float, role: str) -> Literal:
    """A figure in its canonical lexical form: counts as xsd:integer, anything else as xsd:decimal.

    The canonical form is what every engine writes back (Oxigraph canonicalizes on load), so
    the figure reads the same from any format and any store.

    >>> number_literal(11000.0, "count"), number_literal(4e10, "amount"), number_literal(0.5, "percentage")
    (rdflib.term.Literal('11000', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')), \
rdflib.term.Literal('40000000000', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal')), \
rdflib.term.Literal('0.5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal')))
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite figure: {value!r}")
    if role == "count" and value == int(value):
        return Literal(str(int(value)), datatype=XSD.integer)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return Literal(text if text not in ("", "-0") else "0", datatype=XSD.decimal)
