"""The one place that mints IRIs and triples: a processed Document -> an rdflib Dataset.

Provenance follows NIF 2.0: the article is a nif:Context holding the original text; each
sentence and each mention is a string with nif:beginIndex/endIndex into that text; a mention
points at its entity with itsrdf:taIdentRef. Every fact points at its sentence with
kg:evidence and names the pattern that produced it with kg:extractedBy.
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SDO, SKOS, XSD

from graph.model import Document, Event, Relation
from graph.rdf.namespaces import DOC, ID, ITSRDF, KG, NIF, WD

__all__ = ["document_iri", "entity_iri", "to_rdf"]

_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def entity_iri(key: str) -> URIRef:
    """The IRI of an entity: a KB id, or `name/<folded label>` for a discovered name."""
    return ID[quote(key, safe="/")]


def document_iri(doc: Document) -> URIRef:
    return DOC[content_hash(doc)[:16]]


def content_hash(doc: Document) -> str:
    return hashlib.sha256(doc.original.encode("utf-8")).hexdigest()


def to_rdf(doc: Document, dataset: Dataset | None = None) -> Dataset:
    """Add `doc`'s graph to `dataset` (a new one by default) as a named graph of its own."""
    dataset = dataset if dataset is not None else new_dataset()
    doc_iri = document_iri(doc)
    g = dataset.graph(doc_iri)
    add = g.add

    add((doc_iri, RDF.type, KG.NewsArticle))
    add((doc_iri, RDF.type, NIF.Context))
    add((doc_iri, SDO.name, Literal(doc.title or doc.source)))
    add((doc_iri, KG.contentHash, Literal("sha256:" + content_hash(doc))))
    add((doc_iri, NIF.isString, Literal(doc.original)))
    if doc.published:
        add((doc_iri, SDO.datePublished, date_literal(doc.published)))

    sentence_iris = []
    for s in doc.sentences:
        iri = URIRef(f"{doc_iri}/sentence/{s.index}")
        sentence_iris.append(iri)
        begin, end = doc.span(s.start, s.end)
        add((iri, RDF.type, NIF.Sentence))
        add((iri, NIF.beginIndex, Literal(begin, datatype=XSD.nonNegativeInteger)))
        add((iri, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)))
        add((iri, NIF.anchorOf, Literal(doc.original[begin:end])))
        add((iri, NIF.referenceContext, doc_iri))
        restored = doc.text[s.start:s.end]
        if restored != doc.original[begin:end]:
            add((iri, KG.restoredText, Literal(restored)))

    for e in doc.entities:
        iri = entity_iri(e.key)
        add((iri, RDF.type, KG[e.type]))
        for label in e.labels:
            add((iri, RDFS.label if label.preferred else SKOS.altLabel, Literal(label.text, lang=label.lang)))
        if e.wikidata:
            add((iri, OWL.sameAs, WD[e.wikidata]))
        add((iri, KG.mentionedIn, doc_iri))
        if doc.publisher and any(l.text == doc.publisher for l in e.labels):
            add((doc_iri, SDO.publisher, iri))

    for m in doc.mentions:
        begin, end = doc.span(m.start, m.end)
        iri = URIRef(f"{doc_iri}#char={begin},{end}")
        add((iri, RDF.type, NIF.Phrase))
        add((iri, NIF.beginIndex, Literal(begin, datatype=XSD.nonNegativeInteger)))
        add((iri, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)))
        add((iri, NIF.anchorOf, Literal(doc.original[begin:end])))
        add((iri, NIF.referenceContext, doc_iri))
        add((iri, NIF.sentence, sentence_iris[m.sentence]))
        add((iri, ITSRDF.taIdentRef, entity_iri(m.entity)))
        add((iri, KG.extractedBy, Literal(m.source)))

    counters: dict[str, int] = {}
    for fact in doc.facts:
        kind = "statement" if isinstance(fact, Relation) else fact.kind
        counters[kind] = counters.get(kind, 0) + 1
        iri = URIRef(f"{doc_iri}/{kind}/{counters[kind]}")
        add((iri, KG.evidence, sentence_iris[fact.evidence.sentence]))
        add((iri, KG.extractedBy, Literal(fact.evidence.pattern)))
        if isinstance(fact, Relation):
            _add_relation(g, iri, fact)
        else:
            _add_event(g, iri, fact)
    return dataset


def _add_relation(g, iri: URIRef, fact: Relation) -> None:
    subject, predicate, obj = entity_iri(fact.subject), KG[fact.predicate], entity_iri(fact.object)
    g.add((subject, predicate, obj))
    g.add((iri, RDF.type, KG.RelationStatement))
    g.add((iri, RDF.subject, subject))
    g.add((iri, RDF.predicate, predicate))
    g.add((iri, RDF.object, obj))
    if fact.role:
        g.add((iri, KG.roleName, Literal(fact.role)))


def _add_event(g, iri: URIRef, fact: Event) -> None:
    g.add((iri, RDF.type, KG[fact.kind]))
    for role, key in fact.roles:
        g.add((iri, KG[role], entity_iri(key)))
    if fact.date:
        g.add((iri, KG.date, date_literal(fact.date)))
    for q in fact.quantities:
        g.add((iri, KG[q.role], Literal(_decimal(q.value), datatype=XSD.decimal)))
        if q.unit:
            g.add((iri, KG.currency if q.role == "amount" else KG.unitText, Literal(q.unit)))
    if fact.period:
        g.add((iri, KG.period, Literal(fact.period)))
    if fact.duration:
        g.add((iri, KG.duration, Literal(fact.duration, datatype=XSD.duration)))
    if fact.text:
        g.add((iri, KG.claimText, Literal(fact.text)))


def date_literal(iso: str) -> Literal:
    """"2023" -> xsd:gYear, "2023-04" -> xsd:gYearMonth, "2023-04-05" -> xsd:date."""
    return Literal(iso, datatype=_DATE_TYPES[len(iso)])


def _decimal(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def new_dataset() -> Dataset:
    """A Dataset whose default graph reads as the union of its articles' named graphs."""
    dataset = Dataset(default_union=True)
    for prefix, ns in (("kg", KG._NS), ("id", ID), ("doc", DOC), ("nif", NIF._NS), ("itsrdf", ITSRDF._NS),
                       ("wd", WD), ("schema", SDO._NS), ("skos", SKOS._NS)):
        dataset.bind(prefix, ns)
    return dataset
