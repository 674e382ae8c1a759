"""The one place that mints IRIs and quads: a processed Document -> pyoxigraph quads.

Provenance follows NIF 2.0: the article is a nif:Context holding the original text; each
sentence and each mention is a string with nif:beginIndex/endIndex into that text; a mention
points at its entity with itsrdf:taIdentRef. Every fact points at its sentence with
kg:evidence and names the pattern that produced it with kg:extractedBy.

Everything an article states goes into the article's own named graph (its IRI is the
document's), with two exceptions that go into the entities graph (`ENTITIES_GRAPH`) instead:
what an *entity is* (types, labels, owl:sameAs), and the direct edges between entities
(LLaMA kg:developer Meta). Both are the same whichever article states them, so the union of a
corpus's graphs holds each once, however many articles repeat it: a question joining edges and
labels over thousands of articles then meets each fact once, not once per article. Every edge
keeps its evidence in the articles, as a kg:RelationStatement naming its sentence.

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

from graph.model import Document, Entity, Event, Mention, Relation
from graph.rdf.namespaces import DOC, GRAPH, ID, ITSRDF, KG, NIF, WD

__all__ = ["ENTITIES_GRAPH", "ArticleQuads", "article_quads", "content_hash", "date_literal", "document_iri",
           "entity_iri", "entity_quads", "fact_iri", "mention_iri", "sentence_iri"]

ENTITIES_GRAPH = GRAPH["entities"]
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


@dataclass(frozen=True)
class ArticleQuads:
    """An article's named graph, and the entities it names (their description is written once)."""
    article: str                        # the document IRI, which also names its graph
    quads: tuple[ox.Quad, ...]          # the article's named graph, and its edges in the entities graph
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


def sentence_iri(article: str, index: int) -> str:
    """The `index`-th sentence of an article: `doc/<hash>/sentence/3`."""
    return f"{article}/sentence/{index}"


def mention_iri(article: str, begin: int, end: int) -> str:
    """A mention is named by its offsets in the original text (RFC 5147 style): `doc/<hash>#char=10,15`."""
    return f"{article}#char={begin},{end}"


def fact_iri(article: str, kind: str, number: int) -> str:
    """The `number`-th fact of a kind in an article: `doc/<hash>/Layoff/2`, `…/statement/5`."""
    return f"{article}/{kind}/{number}"


@lru_cache(maxsize=64)
def entity_kind(type_name: str) -> str:
    """The class right below kg:Entity that `type_name` falls under (Company -> Organization).

    >>> entity_kind("Company"), entity_kind("Person")
    ('Organization', 'Person')
    """
    from graph.rdf.ontology import vocabulary

    vocab = vocabulary()
    kinds = [c for c in vocab.ancestors(KG[type_name])
             if c != KG.Entity and KG.Entity in vocab.ancestors(c) and str(c).startswith(str(KG._NS))]
    if not kinds:
        return type_name
    return str(min(kinds, key=lambda c: len(vocab.ancestors(c))))[len(str(KG._NS)):]


# ---------------------------------------------------------------- quads


def article_quads(doc: Document) -> ArticleQuads:
    """The quads of a processed document's named graph (and its edges, in the entities graph).

    >>> import graph
    >>> result = article_quads(graph.process(graph.bundled_article()))
    >>> result.article
    'https://w3id.org/cnkg/doc/0c5fc54fa0f2c0fe'
    >>> len(result.quads) > 1000, len(result.entities) > 30
    (True, True)
    """
    article = str(document_iri(doc))
    w = _Writer(article)
    _add_article(w, doc)
    _add_sentences(w, doc)
    entities = {e.key: ox.NamedNode(str(entity_iri(e))) for e in doc.entities}
    for e in doc.entities:
        w.add(entities[e.key], _v(KG.mentionedIn), w.article)
        if doc.publisher and any(label.text == doc.publisher for label in e.labels):
            w.add(w.article, _v(SDO.publisher), entities[e.key])
    for m in doc.mentions:
        _add_mention(w, doc, m, entities[m.entity])
    counters: dict[str, int] = {}
    for fact in doc.facts:
        kind = "statement" if isinstance(fact, Relation) else fact.kind
        counters[kind] = counters.get(kind, 0) + 1
        iri = ox.NamedNode(fact_iri(article, kind, counters[kind]))
        w.add(iri, _v(KG.evidence), w.sentences[fact.evidence.sentence])
        w.add(iri, _v(KG.extractedBy), ox.Literal(fact.evidence.pattern))
        if isinstance(fact, Relation):
            _add_relation(w, iri, fact, entities)
        else:
            _add_event(w, iri, fact, entities)
    return ArticleQuads(article, tuple(w.quads), doc.entities)


def entity_quads(entity: Entity) -> list[ox.Quad]:
    """What an entity is, in the entities graph: its types, labels and Wikidata id.

    >>> [q.predicate.value.split("#")[-1] for q in entity_quads(Entity("name/wiz", "Company", ()))]
    ['type', 'mergeRule']
    """
    graph, iri = _v(ENTITIES_GRAPH), ox.NamedNode(str(entity_iri(entity)))
    quads = [ox.Quad(iri, _v(RDF.type), _v(KG[entity.type]), graph)]
    for label in entity.labels:
        quads.append(ox.Quad(iri, _v(RDFS.label if label.preferred else SKOS.altLabel),
                             ox.Literal(label.text, language=label.lang), graph))
    if entity.wikidata:
        quads.append(ox.Quad(iri, _v(OWL.sameAs), _v(WD[entity.wikidata]), graph))
    if entity.key.startswith("name/"):
        # Why articles share this node: say it, so that a wrong merge can be found.
        rule = f"same folded name, same kind ({entity_kind(entity.type)})"
        quads.append(ox.Quad(iri, _v(KG.mergeRule), ox.Literal(rule), graph))
    return quads


class _Writer:
    """Collects the quads of one article's graph, with the IRIs of the article and its sentences.

    Terms are made as pyoxigraph terms directly: this is the hot path of a corpus build.
    """

    def __init__(self, article: str):
        self.iri = article
        self.article = self.graph = ox.NamedNode(article)
        self.sentences: list[ox.NamedNode] = []
        self.quads: list[ox.Quad] = []

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o, graph: ox.NamedNode | None = None) -> None:
        self.quads.append(ox.Quad(s, p, o, graph or self.graph))


@lru_cache(maxsize=1024)
def _v(iri: URIRef) -> ox.NamedNode:
    """A vocabulary term (or a shared graph's name) as a pyoxigraph node, made once."""
    return ox.NamedNode(str(iri))


def _literal(value: Literal) -> ox.Literal:
    if value.language:
        return ox.Literal(str(value), language=value.language)
    return ox.Literal(str(value), datatype=_v(value.datatype or XSD.string))


def _add_article(w: _Writer, doc: Document) -> None:
    w.add(w.article, _v(RDF.type), _v(KG.NewsArticle))
    w.add(w.article, _v(RDF.type), _v(NIF.Context))
    w.add(w.article, _v(SDO.name), ox.Literal(doc.title or doc.source))
    w.add(w.article, _v(KG.contentHash), ox.Literal("sha256:" + content_hash(doc)))
    w.add(w.article, _v(NIF.isString), ox.Literal(doc.original))
    if doc.published:
        w.add(w.article, _v(SDO.datePublished), _literal(date_literal(doc.published)))


def _add_string(w: _Writer, doc: Document, iri: ox.NamedNode, begin: int, end: int) -> None:
    """A NIF string of the article: offsets into the original text and the text they hold."""
    # xsd:integer, not NIF's xsd:nonNegativeInteger: stores such as Oxigraph rewrite the latter
    # to the former, and the shapes check >= 0 instead.
    w.add(iri, _v(NIF.beginIndex), ox.Literal(str(begin), datatype=_v(XSD.integer)))
    w.add(iri, _v(NIF.endIndex), ox.Literal(str(end), datatype=_v(XSD.integer)))
    w.add(iri, _v(NIF.anchorOf), ox.Literal(doc.original[begin:end]))
    w.add(iri, _v(NIF.referenceContext), w.article)


def _add_sentences(w: _Writer, doc: Document) -> None:
    for s in doc.sentences:
        iri = ox.NamedNode(sentence_iri(w.iri, s.index))
        w.sentences.append(iri)
        begin, end = doc.span(s.start, s.end)
        w.add(iri, _v(RDF.type), _v(NIF.Sentence))
        _add_string(w, doc, iri, begin, end)
        restored = doc.text[s.start:s.end]
        if restored != doc.original[begin:end]:
            w.add(iri, _v(KG.restoredText), ox.Literal(restored))


def _add_mention(w: _Writer, doc: Document, m: Mention, entity: ox.NamedNode) -> None:
    begin, end = doc.span(m.start, m.end)
    iri = ox.NamedNode(mention_iri(w.iri, begin, end))
    w.add(iri, _v(RDF.type), _v(NIF.Phrase))
    _add_string(w, doc, iri, begin, end)
    w.add(iri, _v(NIF.sentence), w.sentences[m.sentence])
    w.add(iri, _v(ITSRDF.taIdentRef), entity)
    w.add(iri, _v(KG.extractedBy), ox.Literal(m.source))


def _add_relation(w: _Writer, iri: ox.NamedNode, fact: Relation, entities: dict[str, ox.NamedNode]) -> None:
    subject, predicate, obj = entities[fact.subject], _v(KG[fact.predicate]), entities[fact.object]
    w.add(subject, predicate, obj, graph=_v(ENTITIES_GRAPH))
    w.add(iri, _v(RDF.type), _v(KG.RelationStatement))
    w.add(iri, _v(RDF.subject), subject)
    w.add(iri, _v(RDF.predicate), predicate)
    w.add(iri, _v(RDF.object), obj)
    if fact.role:
        w.add(iri, _v(KG.roleName), ox.Literal(fact.role))


def _add_event(w: _Writer, iri: ox.NamedNode, fact: Event, entities: dict[str, ox.NamedNode]) -> None:
    w.add(iri, _v(RDF.type), _v(KG[fact.kind]))
    for role, key in fact.roles:
        w.add(iri, _v(KG[role]), entities[key])
    if fact.date:
        w.add(iri, _v(KG.date), _literal(date_literal(fact.date)))
    for q in fact.quantities:
        w.add(iri, _v(KG[q.role]), _literal(number_literal(q.value, q.role)))
        if q.unit:
            w.add(iri, _v(KG.currency if q.role == "amount" else KG.unitText), ox.Literal(q.unit))
        if q.qualifier:     # 约3.85亿欧元: "about 385000000"
            w.add(iri, _v(KG.qualifier), ox.Literal(f"{q.qualifier} {number_literal(q.value, q.role)}"))
    if fact.period:
        w.add(iri, _v(KG.period), ox.Literal(fact.period))
    if fact.duration:
        w.add(iri, _v(KG.duration), ox.Literal(fact.duration, datatype=_v(XSD.duration)))
    if fact.text:
        w.add(iri, _v(KG.claimText), ox.Literal(fact.text))


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
