"""The entity graph as networkx: entities are nodes, relations and events are labelled edges.

    >>> import graph
    >>> G = graph.to_networkx(graph.build())
    >>> G.nodes["https://w3id.org/cnkg/id/yann-lecun"]["label"]
    'Yann LeCun'
    >>> sorted(d["label"] for _, v, d in G.out_edges("https://w3id.org/cnkg/id/pytorch", data=True)
    ...        if v == "https://w3id.org/cnkg/id/meta")
    ['developer']
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from graph.errors import InputError
from graph.rdf.namespaces import KG, NIF
from graph.rdf.ontology import Vocabulary, vocabulary

__all__ = ["ROLES", "literal_number", "to_networkx"]

# The roles of an event (every sub-property of kg:role), in the order that decides which
# participants an edge starts from: the actors (agent, participant, claimant) point at what the
# event is about (object, benchmark, about).
ROLES = (KG.agent, KG.participant, KG.investor, KG.leadInvestor, KG.claimant, KG.object, KG.benchmark, KG.venue,
         KG.about)


def to_networkx(g: Graph, *, fold_events: bool = True, include_concepts: bool = False) -> nx.MultiDiGraph:
    """The entity graph of `g` as a networkx MultiDiGraph.

    Parameters
    ----------
    g : rdflib.Graph or rdflib.Dataset
        A graph as `graph.build()` or `graph.load_graph()` return it (a Dataset reads as the union
        of its articles).
    fold_events : bool
        True (default): every event or claim becomes edges between its participants, from its
        actors (agent, participant, claimant) to what it is about (object, benchmark, about), or
        between its actors when it names nothing else. False: events are nodes of their own
        (``kind="event"``) with one edge per role.
    include_concepts : bool
        Keep `kg:Concept` nodes (元宇宙, 开源 …); left out by default, they link to everything.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are entity IRIs (str) with ``label_zh``, ``label_en``, ``label`` (English, else
        Chinese, else the IRI), ``type`` (the most specific ontology class, a local name such as
        ``"Company"``), ``wikidata`` (a Q-id or None) and ``kind`` (``"entity"``). Edges have
        ``property`` (local name: ``"developer"``, ``"OpenSourcing"``), ``label`` and ``label_zh``
        (the ontology's rdfs:label), ``evidence`` (the sentences that state it, as written) and
        ``offsets`` (their (begin, end) in the article), ``event`` (the event IRI, or None for a
        direct relation), ``date`` (the event's date as written, or None) and ``kind``
        (``"relation"``, ``"event"``, ``"claim"`` or ``"role"``). Relation edges are keyed by
        property, event edges by event IRI.

    Examples
    --------
    >>> import graph
    >>> G = to_networkx(graph.build())
    >>> meta = "https://w3id.org/cnkg/id/meta"
    >>> G.nodes[meta]["type"], G.nodes[meta]["wikidata"]
    ('Company', 'Q380')
    >>> [(d["label"], d["date"]) for _, v, d in G.out_edges(meta, data=True)
    ...  if v == "https://w3id.org/cnkg/id/pytorch"]
    [('open-sourcing', '2015')]
    >>> "https://w3id.org/cnkg/id/metaverse" in G
    False

    Notes
    -----
    Linear in the number of triples. Nodes and edges are added in sorted order, so the same
    graph gives the same networkx graph (and the same traversal order) every time.
    """
    g = _union(g)
    vocab = vocabulary()
    G = nx.MultiDiGraph()

    types = _instances(g, vocab.entity_classes)
    for iri in sorted(types):
        cls = vocab.most_specific(types[iri])
        if include_concepts or cls not in vocab.concept_classes:
            G.add_node(str(iri), **_entity_attributes(g, iri, cls))

    sentences = _Sentences(g)
    statements: dict[tuple, list[URIRef]] = defaultdict(list)
    for st in g.subjects(RDF.type, KG.RelationStatement):
        key = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        statements[key] += g.objects(st, KG.evidence)
    for p in sorted(vocab.relations):
        for s, o in sorted(g.subject_objects(p)):
            if str(s) not in G or str(o) not in G:
                continue
            G.add_edge(str(s), str(o), key=_local(p), **_edge_label(vocab, p), kind="relation", event=None,
                       date=None, **sentences.evidence(statements[(s, p, o)]))

    events = _instances(g, vocab.event_classes)
    for event in sorted(events):
        cls = vocab.most_specific(events[event])
        roles = [(role, str(e)) for role in ROLES for e in sorted(g.objects(event, role)) if str(e) in G]
        date = g.value(event, KG.date)
        attributes = dict(event=str(event), date=None if date is None else str(date),
                          **sentences.evidence(list(g.objects(event, KG.evidence))))
        if fold_events:
            kind = "claim" if cls == KG.Claim else "event"
            for source, target in _fold(roles):
                G.add_edge(source, target, key=str(event), **_edge_label(vocab, cls), kind=kind, **attributes)
        elif roles:
            G.add_node(str(event), **_event_attributes(vocab, cls, attributes["date"]))
            for role, entity in roles:
                G.add_edge(str(event), entity, key=_local(role), **_edge_label(vocab, role), kind="role", **attributes)
    return G


def literal_number(value: Node, subject: Node, prop: URIRef) -> Decimal:
    """The finite number a value of the graph holds; else a one-line InputError naming the triple.

    >>> from rdflib.namespace import XSD
    >>> literal_number(Literal("12", datatype=XSD.nonNegativeInteger), URIRef("urn:s"), NIF.beginIndex)
    Decimal('12')
    >>> literal_number(Literal("abc"), URIRef("urn:s"), NIF.beginIndex)
    Traceback (most recent call last):
    graph.errors.InputError: <urn:s> beginIndex 'abc': not a number (kg validate reports every malformed value)
    """
    try:
        number = Decimal(str(value)) if isinstance(value, Literal) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise InputError(f"<{subject}> {_local(prop)} {str(value)!r}: not a number "
                         "(kg validate reports every malformed value)")
    return number


def _instances(g: Graph, classes) -> dict[URIRef, set[URIRef]]:
    """Each IRI typed with one of `classes`, with the classes it has among them."""
    found: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in g.subject_objects(RDF.type):
        if isinstance(s, URIRef) and o in classes:
            found[s].add(o)
    return found


def _fold(roles: list[tuple[URIRef, str]]) -> list[tuple[str, str]]:
    """Edges from the entities of the first role present to every other entity of the event;
    between the entities of that role when there is no other."""
    if not roles:
        return []
    first = roles[0][0]
    heads = [e for role, e in roles if role == first]
    tails = [e for role, e in roles if role != first]
    if tails:
        return [(h, t) for h in heads for t in tails if h != t]
    return [(a, b) for i, a in enumerate(heads) for b in heads[i + 1:]]


def _entity_attributes(g: Graph, iri: URIRef, cls: URIRef) -> dict:
    labels = _labels(g.objects(iri, RDFS.label))
    wikidata = sorted(str(o).rsplit("/", 1)[-1] for o in g.objects(iri, OWL.sameAs)
                      if str(o).startswith("http://www.wikidata.org/entity/"))
    return dict(label=labels["en"] or labels["zh"] or labels[""] or str(iri), label_zh=labels["zh"],
                label_en=labels["en"], type=_local(cls), wikidata=wikidata[0] if wikidata else None, kind="entity")


def _edge_label(vocab: Vocabulary, iri: URIRef) -> dict:
    return dict(property=_local(iri), label=vocab.label(iri, "en") or _local(iri), label_zh=vocab.label(iri, "zh"))


def _event_attributes(vocab: Vocabulary, cls: URIRef, date: str | None) -> dict:
    en, zh = vocab.label(cls, "en") or _local(cls), vocab.label(cls, "zh")
    return dict(label=f"{en} {date}" if date else en, label_zh=zh, label_en=en, type=_local(cls),
                wikidata=None, kind="event")


def _labels(literals) -> dict[str, str | None]:
    """The first label (sorted) per language: "zh", "en" and "" (any other)."""
    found: dict[str, str | None] = {"zh": None, "en": None, "": None}
    for lit in sorted(literals):
        if isinstance(lit, Literal):
            lang = (lit.language or "").split("-")[0].lower()
            lang = lang if lang in ("zh", "en") else ""
            found[lang] = found[lang] or str(lit)
    return found


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text[max(text.rfind("#"), text.rfind("/")) + 1:]


def _union(g: Graph) -> Graph:
    """A Dataset without default_union reads only its default graph: read all its graphs."""
    if isinstance(g, Dataset) and not g.default_union:
        union = Graph()
        for s, p, o, _ in g.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return g


class _Sentences:
    """Evidence sentences: text and offsets, looked up once per sentence."""

    def __init__(self, g: Graph):
        self._g = g
        self._cache: dict[URIRef, tuple[str, int, int]] = {}

    def evidence(self, sentence_iris: list[URIRef]) -> dict:
        found = sorted({self._get(s) for s in sentence_iris}, key=lambda t: (t[3], t[1]))
        return dict(evidence=[t[0] for t in found], offsets=[(t[1], t[2]) for t in found])

    def _get(self, iri: URIRef) -> tuple[str, int, int, str]:
        if iri not in self._cache:
            g = self._g
            self._cache[iri] = (str(g.value(iri, NIF.anchorOf) or ""), self._offset(iri, NIF.beginIndex),
                                self._offset(iri, NIF.endIndex), str(g.value(iri, NIF.referenceContext) or ""))
        return self._cache[iri]

    def _offset(self, iri: URIRef, prop: URIRef) -> int:
        value = self._g.value(iri, prop)
        return -1 if value is None else int(literal_number(value, iri, prop))
