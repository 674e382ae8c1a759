"""What the page draws, built from the graph's two networkx forms and a little RDF.

Entities, relations and events come from `graph.analysis.to_networkx`, twice: with events as
nodes of their own (one edge per role) and with events folded into edges between their
participants. The page holds both and its toggle switches between them. What networkx leaves
out and the side panel shows (every name, the figures of an event, the claim text, the
pattern that found a fact) is read from the RDF.

Ids on the page are small integers (entities first, then events), never IRIs or labels, so
no text from the article ever sits in an id.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SDO, SKOS, XSD

from graph.analysis import entity_node, to_networkx
from graph.analysis.convert import literal_number
from graph.corpus.marks import fact_marks
from graph.errors import InputError
from graph.query.questions import resolve_entity
from graph.rdf.namespaces import KG
from graph.rdf.ontology import vocabulary
from graph.view.style import LANGUAGES, UI, style_for

__all__ = ["ViewModel", "view_model"]

# Figures shown together with their unit; the unit is not a row of its own.
_WITH_UNIT = {KG.amount: KG.currency, KG.quantity: KG.unitText}
_NOT_SHOWN = {KG.extractedBy, KG.currency, KG.unitText, KG.supportingStories, KG.supportingArticles}   # the last two: marks
_NUMBERS = {XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.nonNegativeInteger}


@dataclass(frozen=True)
class ViewModel:
    """The page's data: vis-network nodes and edges, the facts the side panel shows, the legend.

    Every edge has a `mode`: "both" (relations, always drawn), "events" (event-to-participant
    role edges, drawn while events are nodes) or "folded" (an event as an edge between its
    participants). A node with a `fact` is an event node.
    """
    title: str
    lang: str
    folded: bool
    nodes: tuple[dict, ...]
    edges: tuple[dict, ...]
    facts: tuple[dict, ...]
    types: tuple[dict, ...]


def view_model(g: Graph, *, lang: str = "zh", fold_events: bool = True, focus: str | None = None,
               depth: int = 1) -> ViewModel:
    """The view of `g`: labels in `lang` (falling back to the other language); only the entities
    within `depth` steps of the entity `focus` names when one is given (a label, an alias or an
    IRI, as `graph.query.resolve_entity` reads it).

    Examples
    --------
    >>> import graph
    >>> model = view_model(graph.build(), lang="en", focus="杨立昆", depth=1)
    >>> sorted(n["label"] for n in model.nodes if "fact" not in n)
    ['FAIR', 'Meta', 'Turing Award', 'Yann LeCun']

    Notes
    -----
    Linear in the size of the graph (two `to_networkx` passes and one pass over labels).
    """
    if lang not in LANGUAGES:
        raise InputError(f"language {lang!r}: use one of {', '.join(LANGUAGES)}")
    if depth < 0:
        raise InputError(f"--depth {depth}: must be 0 or more")
    events = to_networkx(g, fold_events=False)
    folded = to_networkx(g, fold_events=True)
    names = _names(g, lang)
    if focus is not None:
        center = entity_node(folded, resolve_entity(g, focus))
        keep = set(nx.ego_graph(folded, center, radius=depth, undirected=True))
        events = events.subgraph(n for n, d in events.nodes(data=True)
                                 if n in keep or (d["kind"] == "event" and set(events[n]) <= keep))
        folded = folded.subgraph(keep)
    return _Builder(g, lang, names).build(events, folded, fold_events)


class _Builder:
    """Numbers nodes, collects facts and merges parallel edges while the model is built."""

    def __init__(self, g: Graph, lang: str, names: dict[str, list[str]]) -> None:
        self.g, self.lang, self.names = g, lang, names
        self.ui = UI[lang]
        self.ids: dict[str, int] = {}
        self.nodes: list[dict] = []
        self.facts: list[dict] = []
        self.fact_of_event: dict[str, int] = {}
        self.edges: dict[tuple[int, int, str], dict] = {}
        self.statements = _statements(g)
        self.marks = fact_marks(g, self.ui)

    def build(self, events: nx.MultiDiGraph, folded: nx.MultiDiGraph, fold_events: bool) -> ViewModel:
        for iri, d in events.nodes(data=True):
            if d["kind"] == "entity":
                self._entity(iri, d)
        for iri, d in events.nodes(data=True):
            if d["kind"] == "event":
                self._event(iri, d, events)
        for s, o, d in events.edges(data=True):
            if d["kind"] == "relation":
                label = self._pick(d["label_zh"], d["label"])
                statements = self.statements.get((s, d["property"], o), [])
                values = [row for st in statements for row in self._values(st)]
                patterns = sorted({str(p) for st in statements for p in self.g.objects(st, KG.extractedBy)})
                fact = self._fact(d["property"], label, [(self.ui["subject"], s), (self.ui["object"], o)], d,
                                  values, ", ".join(patterns))
                self._mark(fact, statements)
                self._edge(s, o, "both", label, fact)
        for s, o, d in folded.edges(data=True):
            if d["kind"] != "relation" and d["event"] in self.fact_of_event:
                self._edge(s, o, "folded", self._pick(d["label_zh"], d["label"]), self.fact_of_event[d["event"]])
        return ViewModel(title=_title(self.g), lang=self.lang, folded=fold_events, nodes=tuple(self.nodes),
                         edges=tuple(self._edge_list()), facts=tuple(self.facts), types=tuple(self._types()))

    def _pick(self, zh: str | None, en: str | None) -> str:
        return (zh or en or "") if self.lang == "zh" else (en or zh or "")

    def _entity(self, iri: str, d: dict) -> None:
        label = self._pick(d["label_zh"], d["label_en"]) or d["label"]
        style = style_for(d["type"], event=False)
        self.ids[iri] = len(self.nodes)
        self.nodes.append({
            "id": len(self.nodes), "label": label, "type": d["type"], "title": f"{label} · {self._type_label(d['type'])}",
            "names": self.names.get(iri) or [label], "iri": iri, "wikidata": d["wikidata"], "facts": [],
            "color": style.color, "shape": style.shape, "size": style.size,
        })

    def _event(self, iri: str, d: dict, events: nx.MultiDiGraph) -> None:
        kind = self._pick(d["label_zh"], d["label_en"]) or d["type"]
        roles = [(self._pick(e["label_zh"], e["label"]), target) for _, target, e in events.out_edges(iri, data=True)]
        first = next(iter(events.out_edges(iri, data=True)))[2]
        node = len(self.nodes)
        fact = self._fact(d["type"], kind, roles, first, self._values(URIRef(iri)),
                          str(self.g.value(URIRef(iri), KG.extractedBy) or ""), node=node)
        self.fact_of_event[iri] = fact
        self._mark(fact, [URIRef(iri)])
        style = style_for(d["type"], event=True)
        self.ids[iri] = node
        self.nodes.append({
            "id": node, "label": kind, "type": d["type"], "title": kind, "fact": fact,
            "color": style.color, "shape": style.shape, "size": style.size, "font": {"size": 10, "color": "#666"},
        })
        for label, target in roles:
            self._edge(iri, target, "events", label, fact)

    def _fact(self, kind: str, kind_label: str, roles: list[tuple[str, str]], d: dict, values: list[list[str]],
              pattern: str, node: int | None = None) -> int:
        index = len(self.facts)
        fact = {"kind": kind, "kindLabel": kind_label, "roles": [[label, self.ids[e]] for label, e in roles],
                "values": values, "pattern": pattern,
                "evidence": [{"text": text, "begin": b, "end": e} for text, (b, e) in zip(d["evidence"], d["offsets"])]}
        if node is not None:
            fact["node"] = node
        self.facts.append(fact)
        for _, entity in roles:
            facts = self.nodes[self.ids[entity]]["facts"]
            if facts[-1:] != [index]:        # an entity in two roles of one fact lists it once
                facts.append(index)
        return index

    def _mark(self, fact: int, iris: list[URIRef]) -> None:
        """Add the corpus marks (conflict, confirmed, sources) of the statements or event `iris`."""
        marks = [m for iri in iris for m in self.marks.get(iri, ())]
        if marks:
            self.facts[fact]["marks"] = list(dict.fromkeys(marks))

    def _edge(self, source: str, target: str, mode: str, label: str, fact: int) -> None:
        """Add an edge, or merge it into the one already drawn between the same nodes."""
        key = (self.ids[source], self.ids[target], mode)
        edge = self.edges.setdefault(key, {"from": key[0], "to": key[1], "mode": mode, "labels": [], "facts": []})
        if label not in edge["labels"]:
            edge["labels"].append(label)
        if fact not in edge["facts"]:
            edge["facts"].append(fact)

    def _edge_list(self) -> list[dict]:
        edges = []
        for i, e in enumerate(self.edges.values()):
            label = " · ".join(e.pop("labels"))
            edges.append({"id": i, **e, "label": label, "title": label})
        return edges

    def _values(self, fact: URIRef) -> list[list[str]]:
        """The figures and texts of an event or statement, as (label, value) rows."""
        rows = []
        for p, o in sorted(self.g.predicate_objects(fact)):
            if isinstance(o, Literal) and p not in _NOT_SHOWN:
                text = _number(o, fact, p)
                if p in _WITH_UNIT and self.g.value(fact, _WITH_UNIT[p]) is not None:
                    text += " " + str(self.g.value(fact, _WITH_UNIT[p]))
                elif p == KG.percentage:
                    text += "%"
                rows.append([self._term_label(p), text])
        return rows

    def _term_label(self, iri: URIRef) -> str:
        vocab = vocabulary()
        return self._pick(vocab.label(iri, "zh"), vocab.label(iri, "en")) or str(iri).rsplit("#", 1)[-1]

    def _type_label(self, type_key: str) -> str:
        return self._term_label(KG._NS[type_key])

    def _types(self) -> list[dict]:
        """The legend: one row per class present, entities before events, larger classes first."""
        counts: dict[tuple[bool, str], int] = defaultdict(int)
        for n in self.nodes:
            counts[("fact" in n, n["type"])] += 1
        rows = []
        for (event, key), count in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
            style = style_for(key, event)
            rows.append({"key": key, "label": self._type_label(key), "color": style.color, "shape": style.shape,
                         "glyph": style.glyph, "count": count, "event": event})
        return rows


def _names(g: Graph, lang: str) -> dict[str, list[str]]:
    """Every name of every entity: preferred labels in `lang` first, then the other language's, then aliases."""
    order = {lang: 0, "zh" if lang == "en" else "en": 1}
    found: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for rank, p in ((0, RDFS.label), (2, SKOS.altLabel)):
        for s, o in g.subject_objects(p):
            if isinstance(o, Literal):
                found[str(s)].add((rank + order.get((o.language or "").split("-")[0], 1), str(o)))
    names = {}
    for iri, ranked in found.items():
        seen: dict[str, None] = {}
        for _, text in sorted(ranked):
            seen.setdefault(text, None)
        names[iri] = list(seen)
    return names


def _statements(g: Graph) -> dict[tuple[str, str, str], list[URIRef]]:
    """The kg:RelationStatements of each direct relation (subject, property local name, object)."""
    found: dict[tuple[str, str, str], list[URIRef]] = defaultdict(list)
    for st in sorted(g.subjects(RDF.type, KG.RelationStatement)):
        s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
        if s is not None and p is not None and o is not None:
            found[(str(s), str(p).rsplit("#", 1)[-1], str(o))].append(st)
    return found


def _title(g: Graph) -> str:
    titles = sorted({str(t) for a in g.subjects(RDF.type, KG.NewsArticle) for t in g.objects(a, SDO.name)})
    if not titles:
        return "kg view"
    return titles[0] if len(titles) == 1 else f"{titles[0]} (+{len(titles) - 1})"


def _number(literal: Literal, subject: URIRef, prop: URIRef) -> str:
    """A number without trailing zeros, with thousands separators (11,000); other literals as written.

    A number literal that holds no number is a one-line InputError (see `literal_number`).
    """
    if literal.datatype not in _NUMBERS:
        return str(literal)
    return f"{literal_number(literal, subject, prop).normalize():,f}"
