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

An article's quads are written as N-Quads text, not as rdflib or pyoxigraph terms: this runs
once per article on the hot path of a corpus build, where rdflib's `Graph.add` costs ~18 µs a
triple and making pyoxigraph terms ~7 µs a quad; the store parses the text in Rust.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SDO, SKOS, XSD

from graph.model import Document, Entity, Event, Mention, Relation
from graph.rdf.namespaces import DOC, GRAPH, ID, ITSRDF, KG, NIF, WD

__all__ = ["ENTITIES_GRAPH", "ArticleQuads", "article_quads", "content_hash", "date_literal", "document_iri",
           "entity_iri", "entity_quads", "fact_iri", "fact_iris", "mention_iri", "number_parts", "sentence_iri"]

ENTITIES_GRAPH = GRAPH["entities"]
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


@dataclass(frozen=True)
class ArticleQuads:
    """An article's named graph, its edges, and the entities it names (their description is written once)."""
    article: str                        # the document IRI, which also names its graph
    nquads: bytes                       # the article's named graph, as N-Quads
    edges: bytes                        # its direct edges between entities, in the entities graph, as N-Quads
    entities: tuple[Entity, ...]
    mentions: tuple[tuple[str, int], ...]   # (entity IRI, its mentions in the article), sorted

    @property
    def quads(self) -> list[ox.Quad]:
        """The article's graph and its edges as pyoxigraph quads."""
        return list(ox.parse(self.nquads + self.edges, format=ox.RdfFormat.N_QUADS))


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
    return _entity_iri(entity.key, entity.type)


@lru_cache(maxsize=1 << 16)
def _entity_iri(key: str, type_name: str) -> URIRef:
    # The writer asks for every entity of every article it loads: quoting each time costs more
    # than the rest of its bookkeeping.
    if key.startswith("name/"):
        return ID[f"{entity_kind(type_name).lower()}/{quote(key[5:], safe='')}"]
    return ID[quote(key, safe="/")]


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


def fact_iris(doc: Document, article: str) -> Iterator[str]:
    """The IRI of each of the document's facts, in order: each kind numbered from 1."""
    counters: Counter[str] = Counter()
    for fact in doc.facts:
        kind = "statement" if isinstance(fact, Relation) else fact.kind
        counters[kind] += 1
        yield fact_iri(article, kind, counters[kind])


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
    entities = {e.key: f"<{entity_iri(e)}>" for e in doc.entities}
    for e in doc.entities:
        w.add(entities[e.key], _kg("mentionedIn"), w.article)
        if doc.publisher and any(label.text == doc.publisher for label in e.labels):
            w.add(w.article, _t(SDO.publisher), entities[e.key])
    for m in doc.mentions:
        _add_mention(w, doc, m, entities[m.entity])
    for fact, iri in zip(doc.facts, fact_iris(doc, article)):
        iri = f"<{iri}>"
        w.add(iri, _kg("evidence"), w.sentences[fact.evidence.sentence])
        w.add(iri, _kg("extractedBy"), _plain(fact.evidence.pattern))
        if isinstance(fact, Relation):
            _add_relation(w, iri, fact, entities)
        else:
            _add_event(w, iri, fact, entities)
    mentions = Counter(entities[m.entity][1:-1] for m in doc.mentions)
    # each quad once (an event with two amounts in one currency states the currency twice), so
    # that the lines count the graph's quads
    return ArticleQuads(article, "".join(dict.fromkeys(w.lines)).encode("utf-8"), "".join(w.edges).encode("utf-8"),
                        doc.entities,
                        tuple(sorted(mentions.items())))


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
    """Collects one article's graph as N-Quads lines, with the IRIs of the article and its sentences.

    This is the hot path of a corpus build, so the lines are written as text: making each term
    as a pyoxigraph object costs ~7 µs a quad, five times the text, and the store parses the
    text in Rust anyway. Every IRI is minted here from safe parts (`entity_iri` percent-encodes
    names) and every literal goes through `_plain`/`_typed`, which escape what N-Quads requires.
    """

    def __init__(self, article: str):
        self.iri = article
        self.article = self.graph = f"<{article}>"
        self.sentences: list[str] = []
        self.lines: list[str] = []      # the article's graph
        self.edges: list[str] = []      # the entities graph

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} {self.graph} .\n")

    def add_edge(self, s: str, p: str, o: str) -> None:
        self.edges.append(f"{s} {p} {o} <{ENTITIES_GRAPH}> .\n")


@lru_cache(maxsize=1024)
def _v(iri: URIRef) -> ox.NamedNode:
    """A vocabulary term (or a shared graph's name) as a pyoxigraph node, made once."""
    return ox.NamedNode(str(iri))


@lru_cache(maxsize=1024)
def _t(iri: URIRef) -> str:
    """A vocabulary term as an N-Quads IRI, made once."""
    return f"<{iri}>"


@lru_cache(maxsize=1024)
def _kg(name: str) -> str:
    """A term of our ontology by its name (`kg:date`), as an N-Quads IRI, made once."""
    return _t(KG[name])


# Escapes N-Quads requires in a string literal (quote, backslash, line ends), plus the other
# control characters as \u escapes, so that no reader splits or chokes on a line.
_ESCAPES = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)} | {
    ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}


_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


def _escaped(text: str) -> str:
    # Most literals need no escape, and a search is far cheaper than translating each character.
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def _plain(text: str) -> str:
    """A string literal in N-Quads."""
    return f'"{_escaped(text)}"'


def _typed(lexical: str, datatype: URIRef) -> str:
    return f'"{_escaped(lexical)}"^^<{datatype}>'


def _date(iso: str) -> str:
    """A date as `date_literal` types it, in N-Quads."""
    return _typed(iso, _DATE_TYPES[len(iso)])


def _number(value: float, role: str) -> str:
    """A figure as `number_literal` writes it, in N-Quads."""
    return _typed(*number_parts(value, role))


# The terms written for every sentence and mention, looked up once (90 mentions of 8 quads an article).
_TYPE, _PHRASE, _SENTENCE, _BEGIN, _END, _ANCHOR, _CONTEXT, _IN_SENTENCE, _IDENT, _EXTRACTED_BY = map(_t, (
    RDF.type, NIF.Phrase, NIF.Sentence, NIF.beginIndex, NIF.endIndex, NIF.anchorOf, NIF.referenceContext,
    NIF.sentence, ITSRDF.taIdentRef, KG.extractedBy))
_INTEGER = f"^^<{XSD.integer}>"


def _add_article(w: _Writer, doc: Document) -> None:
    w.add(w.article, _TYPE, _kg("NewsArticle"))
    w.add(w.article, _TYPE, _t(NIF.Context))
    w.add(w.article, _t(SDO.name), _plain(doc.title or doc.source))
    w.add(w.article, _kg("contentHash"), _plain("sha256:" + content_hash(doc)))
    w.add(w.article, _t(NIF.isString), _plain(doc.original))
    if doc.published:
        w.add(w.article, _t(SDO.datePublished), _date(doc.published))


def _add_string(w: _Writer, doc: Document, iri: str, begin: int, end: int) -> None:
    """A NIF string of the article: offsets into the original text and the text they hold."""
    # xsd:integer, not NIF's xsd:nonNegativeInteger: stores such as Oxigraph rewrite the latter
    # to the former, and the shapes check >= 0 instead.
    graph = w.graph
    w.lines += (f'{iri} {_BEGIN} "{begin}"{_INTEGER} {graph} .\n', f'{iri} {_END} "{end}"{_INTEGER} {graph} .\n',
                f"{iri} {_ANCHOR} {_plain(doc.original[begin:end])} {graph} .\n",
                f"{iri} {_CONTEXT} {w.article} {graph} .\n")


def _add_sentences(w: _Writer, doc: Document) -> None:
    for s in doc.sentences:
        iri = f"<{sentence_iri(w.iri, s.index)}>"
        w.sentences.append(iri)
        begin, end = doc.span(s.start, s.end)
        w.add(iri, _TYPE, _SENTENCE)
        _add_string(w, doc, iri, begin, end)
        restored = doc.text[s.start:s.end]
        if restored != doc.original[begin:end]:
            w.add(iri, _kg("restoredText"), _plain(restored))


def _add_mention(w: _Writer, doc: Document, m: Mention, entity: str) -> None:
    begin, end = doc.span(m.start, m.end)
    iri, graph = f"<{mention_iri(w.iri, begin, end)}>", w.graph
    w.lines.append(f"{iri} {_TYPE} {_PHRASE} {graph} .\n")
    _add_string(w, doc, iri, begin, end)
    w.lines += (f"{iri} {_IN_SENTENCE} {w.sentences[m.sentence]} {graph} .\n",
                f"{iri} {_IDENT} {entity} {graph} .\n", f"{iri} {_EXTRACTED_BY} {_plain(m.source)} {graph} .\n")


def _add_relation(w: _Writer, iri: str, fact: Relation, entities: dict[str, str]) -> None:
    subject, predicate, obj = entities[fact.subject], _kg(fact.predicate), entities[fact.object]
    w.add_edge(subject, predicate, obj)
    w.add(iri, _TYPE, _kg("RelationStatement"))
    w.add(iri, _t(RDF.subject), subject)
    w.add(iri, _t(RDF.predicate), predicate)
    w.add(iri, _t(RDF.object), obj)
    if fact.role:
        w.add(iri, _kg("roleName"), _plain(fact.role))
    if fact.date:
        w.add(iri, _kg("statedFor"), _date(fact.date))


def _add_event(w: _Writer, iri: str, fact: Event, entities: dict[str, str]) -> None:
    w.add(iri, _TYPE, _kg(fact.kind))
    for role, key in fact.roles:
        w.add(iri, _kg(role), entities[key])
    if fact.date:
        w.add(iri, _kg("date"), _date(fact.date))
    for q in fact.quantities:
        w.add(iri, _kg(q.role), _number(q.value, q.role))
        if q.unit:
            w.add(iri, _kg("currency" if q.role == "amount" else "unitText"), _plain(q.unit))
        if q.qualifier:     # 约3.85亿欧元: "about 385000000"
            w.add(iri, _kg("qualifier"), _plain(f"{q.qualifier} {number_parts(q.value, q.role)[0]}"))
    if fact.period:
        w.add(iri, _kg("period"), _plain(fact.period))
    if fact.duration:
        w.add(iri, _kg("duration"), _typed(fact.duration, XSD.duration))
    if fact.text:
        w.add(iri, _kg("claimText"), _plain(fact.text))


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
    lexical, datatype = number_parts(value, role)
    return Literal(lexical, datatype=datatype)


def number_parts(value: float, role: str) -> tuple[str, URIRef]:
    """The canonical lexical form of a figure and its datatype."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite figure: {value!r}")
    if role == "count" and value == int(value):
        return str(int(value)), XSD.integer
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0"), XSD.decimal
