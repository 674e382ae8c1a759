"""A corpus store: an on-disk Oxigraph store that grows article by article.

    STORE/
      kg-store.json     marks the folder as a corpus store (format version)
      oxigraph/         the Oxigraph database
      answers/          the ready questions' answers kept at the last build (`graph.query.kept`);
                        dropped before the first write that changes the store
      entity-index.sqlite   each article's facts by entity, for the questions that take one
                        (`graph.rdf.entity_index`); written and dropped with the articles

Inside, three kinds of named graph:

- one per article (`doc/<hash>`, keyed by the hash of its text): what the article states;
- `graph/entities`: what each entity is (types, labels, Wikidata id) and the direct edges
  between entities, written once however many articles name them, so that questions over the
  union of graphs never see them twice (each edge's evidence stays in the articles);
- `graph/sources`: the files the store was built from (path, sha256 of the bytes, article), so
  that a re-run skips what it already holds and replaces what changed.

An article's own graph is bulk-loaded (Oxigraph's bulk loader writes index files directly: about
twice as fast as a transaction, and a corpus build is mostly this write). An article counts as
written once its file's record and its edges commit, in one transaction after its graph. Until
then the article is listed in `STORE/pending-articles`; should the build die before that commit,
readers do not count the article, and the next writer removes what of it was loaded (and the
entities only it named) before it starts. An interrupted build thus leaves every article either
complete or absent, and the next run does the rest.

A discovered name (no knowledge-base entry) gets one node per name and kind across articles;
its description is merged with fixed rules that do not depend on the order articles come in:
labels are the union, the preferred label per language is the smallest of the preferred ones,
and of two types the more specific wins (the smaller name when neither is).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS, XSD

from graph.errors import InputError, OutputError
from graph.model import Document, Entity, Label
from graph.rdf.entity_index import EntityIndex, entity_rows
from graph.rdf.io import write_atomic
from graph.rdf.mapping import ENTITIES_GRAPH, article_quads, entity_iri, entity_quads
from graph.rdf.namespaces import GRAPH, ITSRDF, KG

__all__ = ["ANSWERS", "SOURCES_GRAPH", "CorpusStore", "StoredArticle", "is_store", "open_store", "stored_article"]

SOURCES_GRAPH = GRAPH["sources"]
_MARKER = "kg-store.json"
_STALE_COUNTS = "mention-counts-stale"
ANSWERS = "answers"
_PENDING = "pending-articles"
_FORMAT = 1


@dataclass(frozen=True)
class StoredArticle:
    """One article ready to be written: its graph as N-Quads, its edges, the entities it names, its file."""
    article: str                    # document IRI = its graph's name
    nquads: bytes                   # the article's named graph
    edges: bytes                    # its direct edges between entities, in the entities graph
    entities: tuple[Entity, ...]
    mentions: tuple[tuple[str, int], ...]   # (entity IRI, its mentions in the article), sorted
    entity_rows: tuple[tuple[str, str, str], ...] = ()   # its facts by entity (`entity_rows`)
    source: str | None = None       # the file's absolute path (None: not from a file)
    file_hash: str | None = None    # sha256 of the file's bytes, hex


def stored_article(doc: Document, source: str | None = None, file_hash: str | None = None) -> StoredArticle:
    """A processed document, mapped and serialized, ready for `CorpusStore.add`."""
    result = article_quads(doc)
    return StoredArticle(result.article, result.nquads, result.edges, result.entities, result.mentions,
                         entity_rows(doc, result.article), source, file_hash)


def is_store(path: str | Path) -> bool:
    """True when `path` is a folder made by `kg build --store`."""
    return (Path(path) / _MARKER).is_file()


def open_store(path: str | Path, *, read_only: bool = False, create: bool = False) -> CorpusStore:
    """Open the corpus store at `path` (`create`: make it when the folder is new or empty).

    Raises InputError for a path that is not a store (or a store of another format).
    """
    path = Path(path)
    if not is_store(path):
        if not create or read_only:
            raise InputError(f"{path}: not a corpus store (kg build --store {path} makes one)")
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise OutputError(f"{path}: exists and is not a corpus store; give a new or empty folder")
        (path / "oxigraph").mkdir(parents=True, exist_ok=True)
        EntityIndex.create(path)
        (path / _MARKER).write_text(json.dumps({"format": _FORMAT, "kind": "cn-news-kg corpus store"}) + "\n")
    version = json.loads((path / _MARKER).read_text()).get("format")
    if version != _FORMAT:
        raise InputError(f"{path}: a corpus store of format {version}, this kg reads format {_FORMAT}")
    return CorpusStore(_open_oxigraph(path / "oxigraph", read_only), path, read_only)


def _open_oxigraph(folder: Path, read_only: bool, attempts: int = 5) -> ox.Store:
    """The Oxigraph database in `folder`. A reader opening it while a build writes can find a
    file the writer has just compacted away; that passes, so a reader tries a few times."""
    for attempt in range(attempts if read_only else 1):
        try:
            return ox.Store.read_only(str(folder)) if read_only else ox.Store(str(folder))
        except (OSError, RuntimeError) as exc:
            reason = " ".join(str(exc).split())[:200]
            time.sleep(0.2 * (attempt + 1) if read_only else 0)
    raise InputError(f"{folder.parent}: cannot open the store ({reason})")


class CorpusStore:
    """Articles, entities and sources in one Oxigraph store (on disk, or in memory with `path=None`).

    Files are recorded in the sources graph only in a store on disk (`record_sources`): a graph
    built in memory is written out as a file, and local paths have no place in it. For the same
    reason a store in memory holds each article's graph as its N-Quads until something reads
    `oxigraph`: `nquads()` writes them out as they are (loading a 1 MB article into Oxigraph
    only to dump it again was a tenth of its build).
    """

    def __init__(self, store: ox.Store | None = None, path: Path | None = None, read_only: bool = False):
        self._db = store if store is not None else ox.Store()
        self._held: dict[str, StoredArticle] | None = {} if path is None else None
        self.path = path
        self.record_sources = path is not None
        self._entities: dict[str, Entity] | None = None     # loaded on the first write
        # each article's facts by entity (None: a store in memory, or made before the index)
        self.index = EntityIndex.open(path, read_only) if path is not None else None
        self._touched: set[str] | None = None               # entities to recount at flush
        if path is not None and not read_only:
            self._remove_unfinished()
            if (path / _STALE_COUNTS).exists():
                # a run died before it recounted: recount every entity
                self._touch(q.subject.value for q in self._db.quads_for_pattern(
                    None, _ox(RDF.type), None, _ox(ENTITIES_GRAPH)))

    # ------------------------------------------------------------ reading

    @property
    def oxigraph(self) -> ox.Store:
        """The Oxigraph store, with every article in it."""
        if self._held:
            self._db.bulk_load(b"".join(a.nquads for a in self._held.values()), format=ox.RdfFormat.N_QUADS,
                               lenient=True)
            self._held.clear()
        return self._db

    def nquads(self) -> bytes:
        """Every quad of the store as N-Quads, in no order (see `graph.rdf.io.serialize_nquads`)."""
        return self._db.dump(format=ox.RdfFormat.N_QUADS) + b"".join(a.nquads for a in (self._held or {}).values())

    def sources(self) -> dict[str, tuple[str, str]]:
        """Recorded files: absolute path -> (sha256 of its bytes, article IRI)."""
        found = {}
        for row in self._db.query(
                "SELECT ?path ?hash ?article WHERE { GRAPH ?g { ?f kg:sourcePath ?path ; kg:fileHash ?hash ; "
                "kg:article ?article } }", prefixes={"kg": str(KG._NS)},
                default_graph=ox.DefaultGraph(), named_graphs=[_ox(SOURCES_GRAPH)]):
            found[row["path"].value] = (row["hash"].value, row["article"].value)
        return found

    def articles(self) -> list[str]:
        """The article IRIs in the store, sorted (not those an interrupted build left unfinished)."""
        unfinished = set(self._unfinished()[0])
        return sorted({str(g.value) for g in self._db.named_graphs()
                       if isinstance(g, ox.NamedNode) and g.value not in (str(ENTITIES_GRAPH), str(SOURCES_GRAPH))
                       and g.value not in unfinished} | set(self._held or ()))

    def find_article(self, name: str) -> str:
        """The article IRI that `name` names: a file path as built, the IRI, `doc:<hash>` or a hash prefix."""
        path = str(Path(name).resolve())
        sources = self.sources()
        if path in sources:
            return sources[path][1]
        hash_part = name.rsplit("/", 1)[-1].removeprefix("doc:")
        found = [a for a in self.articles() if a == name or a.rsplit("/", 1)[-1].startswith(hash_part)]
        if len(hash_part) < 6 or len(found) != 1:
            raise InputError(f"{name}: names {'no' if not found else len(found)} article{'s' if found else ''} "
                             f"in {self.path or 'the store'} (give a file path as built, an IRI or a hash)")
        return found[0]

    def counts(self) -> tuple[int, int, int]:
        """(articles, quads, entities) in the store."""
        entities = sum(1 for _ in self._db.quads_for_pattern(None, _ox(RDF.type), None, _ox(ENTITIES_GRAPH)))
        held = sum(a.nquads.count(b"\n") for a in (self._held or {}).values())
        return len(self.articles()), len(self._db) + held, entities

    # ------------------------------------------------------------ writing

    def add(self, batch: Iterable[StoredArticle]) -> None:
        """Write articles: their graphs, their files' records and what they add to their entities.

        An article already in the store from the same file is replaced; so is the article a
        file held before it changed.
        """
        batch = list(batch)
        self._drop_kept_answers()
        for a in batch:
            old = self._recorded_article(a.source) if self.record_sources and a.source else None
            if old is not None:
                self._drop_source_records([a.source])
                if old != a.article and not self._recorded_elsewhere(old):
                    self.remove(old)
            if self._held is not None and self._held.pop(a.article, None) is not None:
                continue        # the same text read from another file: held, not yet loaded
            if _has_graph(self._db, a.article):
                # left by an interrupted run, or the same text read from another file
                self._db.remove_graph(ox.NamedNode(a.article))
        named = sorted({str(entity_iri(e)) for a in batch for e in a.entities})
        self._set_pending([a.article for a in batch], named)
        self._merge_entities(e for a in batch for e in a.entities)
        self._touch(named)
        commit = b"".join(a.edges for a in batch) + ox.serialize(
            [q for a in batch if self.record_sources and a.source for q in _source_quads(a)],
            format=ox.RdfFormat.N_QUADS)
        if self._held is not None:
            self._held.update((a.article, a) for a in batch)
        try:
            # lenient: no second check of IRIs and language tags, which `article_quads` mints
            # from percent-encoded parts and fixed tags (the check is ~15% of the load's CPU)
            if self._held is None:
                self._db.bulk_load(b"".join(a.nquads for a in batch), format=ox.RdfFormat.N_QUADS, lenient=True)
            if self.index is not None:
                self.index.replace((a.article, a.entity_rows) for a in batch)
            self._db.load(commit, format=ox.RdfFormat.N_QUADS)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"{self.path or 'store'}: cannot write ({' '.join(str(exc).split())[:200]})") from None
        self._set_pending([], [])

    def remove(self, article: str) -> list[str]:
        """Remove an article's graph and its files' records; drop entities no other article names.

        Returns the paths of the files that had recorded it.
        """
        self._drop_kept_answers()
        node = ox.NamedNode(article)
        db = self.oxigraph                  # with the held articles: their graphs are read here
        named = [q.subject.value for q in db.quads_for_pattern(None, _ox(KG.mentionedIn), node, node)]
        edges = _stated_edges(db, node)
        self._touch(named)
        paths = [p for p, (_, a) in self.sources().items() if a == article]
        self._drop_source_records(paths)
        if _has_graph(self._db, article):
            self._db.remove_graph(node)
        if self.index is not None:
            self.index.drop(article)
        for edge in edges:
            if not _stated_edges(self._db, None, edge):
                self._db.remove(ox.Quad(*edge, _ox(ENTITIES_GRAPH)))
        self._drop_orphans(named)
        return paths

    def flush(self) -> None:
        """Bring mention counts up to date and write everything to disk."""
        if self._touched is not None:
            self._recount(self._touched)
            self._touched = None
            self._db.flush()
            if self.path is not None:
                (self.path / _STALE_COUNTS).unlink(missing_ok=True)
        self._db.flush()

    def compact(self) -> None:
        """Merge the database's files into one sorted run per index, as a bulk-loaded store is
        many small ones: every lookup then reads one file instead of dozens (ready questions run
        about twice as fast; it costs about 8 s per 1,000 articles)."""
        self.flush()
        self._db.optimize()

    # ------------------------------------------------------------ unfinished writes

    def _set_pending(self, articles: list[str], entities: list[str]) -> None:
        """List the articles being written (and the entities they name) in the store's folder,
        or clear the list; written atomically, so it is never half there."""
        if self.path is None:
            return
        if not articles:
            (self.path / _PENDING).unlink(missing_ok=True)
            return
        write_atomic(self.path / _PENDING, (json.dumps({"articles": articles, "entities": entities}) + "\n").encode())

    def _unfinished(self) -> tuple[list[str], list[str]]:
        """The articles a build began to write but did not record, and the entities they named."""
        try:
            pending = json.loads((self.path / _PENDING).read_text(encoding="utf-8")) if self.path else {}
        except (OSError, ValueError):
            return [], []
        if not pending:
            return [], []
        return [a for a in pending["articles"] if not self._recorded_elsewhere(a)], pending["entities"]

    def _remove_unfinished(self) -> None:
        """Remove what an interrupted build loaded of the articles it did not record, and the
        entities that no article names any more."""
        articles, entities = self._unfinished()
        for article in articles:
            self.remove(article)
        self._drop_orphans(entities)
        self._set_pending([], [])

    def _drop_orphans(self, entities: Iterable[str]) -> None:
        """Remove the description of each of `entities` that no article names any more."""
        index = self._entity_index()
        for iri in entities:
            node = ox.NamedNode(iri)
            if next(self.oxigraph.quads_for_pattern(node, _ox(KG.mentionedIn), None), None) is None:
                for q in list(self._db.quads_for_pattern(node, None, None, _ox(ENTITIES_GRAPH))):
                    self._db.remove(q)
                index.pop(iri, None)

    # ------------------------------------------------------------ entities

    def _entity_index(self) -> dict[str, Entity]:
        if self._entities is None:
            self._entities = _read_entities(self._db)
        return self._entities

    def _merge_entities(self, entities: Iterable[Entity]) -> None:
        index = self._entity_index()
        changed: dict[str, tuple[Entity | None, Entity]] = {}
        for e in entities:
            iri = str(entity_iri(e))
            old = index.get(iri)
            new = e if old is None or not e.key.startswith("name/") else merge_entity(old, e)
            if new != old:
                changed[iri] = (changed.get(iri, (old, None))[0], new)
                index[iri] = new
        # New descriptions first, then the stale quads: a crash in between leaves extra labels,
        # which the next load merges away, never an entity with no description.
        self._db.extend([q for _, new in changed.values() for q in entity_quads(new)])
        fresh = {q for _, new in changed.values() for q in entity_quads(new)}
        for old, _ in changed.values():
            for q in entity_quads(old) if old is not None else ():
                if q not in fresh:
                    self._db.remove(q)

    def _recorded_article(self, path: str) -> str | None:
        quad = next(self._db.quads_for_pattern(_source_node(path), _ox(KG.article), None, _ox(SOURCES_GRAPH)), None)
        return None if quad is None else quad.object.value

    def _recorded_elsewhere(self, article: str) -> bool:
        return next(self._db.quads_for_pattern(None, _ox(KG.article), ox.NamedNode(article), _ox(SOURCES_GRAPH)),
                    None) is not None

    def _drop_kept_answers(self) -> None:
        """Before a write: the answers kept at the last build no longer hold."""
        if self.path is not None:
            shutil.rmtree(self.path / ANSWERS, ignore_errors=True)

    def _touch(self, entities: Iterable[str]) -> None:
        """Note entities whose mention count must be made again; on disk, mark the counts stale
        first, so that a run that dies before `flush` leaves a store that recounts on next open."""
        if self._touched is None:
            self._touched = set()
            if self.path is not None:
                (self.path / _STALE_COUNTS).touch()
        self._touched.update(entities)

    def _recount(self, entities: Iterable[str]) -> None:
        """Each entity's kg:mentionCount (over every article) in the entities graph, so that
        questions that rank entities read one number instead of counting mentions."""
        # One aggregate over every mention: Oxigraph counts in its index far faster than a
        # pattern lookup per entity does (0.2 s against 3.7 s for 500 entities on 1,000 articles).
        counts = Counter({row["entity"].value: int(row["n"].value) for row in self._db.query(
            "SELECT ?entity (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?m <%s> ?entity } } GROUP BY ?entity"
            % ITSRDF.taIdentRef)})
        for held in (self._held or {}).values():
            counts.update(dict(held.mentions))
        graph, predicate = _ox(ENTITIES_GRAPH), _ox(KG.mentionCount)
        for iri in sorted(entities):
            node = ox.NamedNode(iri)
            for old in list(self._db.quads_for_pattern(node, predicate, None, graph)):
                self._db.remove(old)
            if iri in counts:
                self._db.add(ox.Quad(node, predicate, ox.Literal(str(counts[iri]), datatype=_ox(XSD.integer)), graph))

    def _drop_source_records(self, paths: list[str]) -> None:
        for path in paths:
            node = _source_node(path)
            for q in list(self._db.quads_for_pattern(node, None, None, _ox(SOURCES_GRAPH))):
                self._db.remove(q)


def merge_entity(a: Entity, b: Entity) -> Entity:
    """One description of a discovered entity from two (the rules do not depend on the order).

    >>> x = Entity("name/wiz", "Organization", (Label("Wiz", "en", True), Label("维兹", "zh", True)))
    >>> y = Entity("name/wiz", "Company", (Label("WIZ", "en", True),))
    >>> merge_entity(x, y) == merge_entity(y, x)
    True
    >>> m = merge_entity(x, y); m.type, [(l.text, l.preferred) for l in m.labels]
    ('Company', [('WIZ', True), ('Wiz', False), ('维兹', True)])
    """
    preferred: dict[str, str] = {}
    for label in a.labels + b.labels:
        if label.preferred and (label.lang not in preferred or label.text < preferred[label.lang]):
            preferred[label.lang] = label.text
    labels = sorted({(l.lang, l.text) for l in a.labels + b.labels})
    merged = tuple(Label(text, lang, preferred.get(lang) == text) for lang, text in labels)
    return replace(a, type=_more_specific(a.type, b.type), labels=merged, wikidata=a.wikidata or b.wikidata)


@lru_cache(maxsize=256)
def _more_specific(a: str, b: str) -> str:
    from graph.rdf.ontology import vocabulary

    if a == b or KG[b] in vocabulary().ancestors(KG[a]):
        return a
    if KG[a] in vocabulary().ancestors(KG[b]):
        return b
    return min(a, b)


def _read_entities(store: ox.Store) -> dict[str, Entity]:
    """The entities graph as descriptions (merged, should an interrupted write have left two)."""
    types: dict[str, list[str]] = {}
    labels: dict[str, list[Label]] = {}
    wikidata: dict[str, str] = {}
    keys: dict[str, str] = {}
    kg, ns_len = str(KG._NS), len(str(KG._NS))
    for q in store.quads_for_pattern(None, None, None, _ox(ENTITIES_GRAPH)):
        iri, p, o = q.subject.value, q.predicate.value, q.object
        if p == str(RDF.type) and o.value.startswith(kg):
            types.setdefault(iri, []).append(o.value[ns_len:])
        elif p in (str(RDFS.label), _SKOS_ALT):
            labels.setdefault(iri, []).append(Label(o.value, o.language or "", p == str(RDFS.label)))
        elif p == _OWL_SAME:
            wikidata[iri] = o.value.rsplit("/", 1)[-1]
        elif p == str(KG.mergeRule):
            keys[iri] = "name/"
    index = {}
    for iri, found in types.items():
        entity = Entity(_key_of(iri, keys.get(iri)), found[0], tuple(labels.get(iri, ())), wikidata.get(iri))
        for other in found[1:]:
            entity = merge_entity(entity, replace(entity, type=other))
        if entity.key.startswith("name/"):
            entity = merge_entity(entity, entity)     # one preferred label per language
        index[iri] = entity
    return index


_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_OWL_SAME = "http://www.w3.org/2002/07/owl#sameAs"


def _key_of(iri: str, discovered: str | None) -> str:
    """The Entity key behind an entity IRI (the inverse of `entity_iri`)."""
    from urllib.parse import unquote

    from graph.rdf.namespaces import ID

    local = iri[len(str(ID)):]
    return "name/" + unquote(local.split("/", 1)[1]) if discovered else unquote(local)


def _source_node(path: str) -> ox.NamedNode:
    return ox.NamedNode(f"{GRAPH}sources/{hashlib.sha256(path.encode('utf-8')).hexdigest()[:16]}")


def _source_quads(a: StoredArticle) -> list[ox.Quad]:
    node, graph = _source_node(a.source), _ox(SOURCES_GRAPH)
    return [ox.Quad(node, _ox(RDF.type), _ox(KG.SourceFile), graph),
            ox.Quad(node, _ox(KG.sourcePath), ox.Literal(a.source), graph),
            ox.Quad(node, _ox(KG.fileHash), ox.Literal(a.file_hash or ""), graph),
            ox.Quad(node, _ox(KG.article), ox.NamedNode(a.article), graph)]


def _stated_edges(store: ox.Store, graph: ox.NamedNode | None, edge: tuple | None = None) -> set[tuple]:
    """The (subject, predicate, object) of the relation statements in `graph` (None: any graph),
    only those of `edge` when given."""
    s, p, o = edge or (None, None, None)
    found = set()
    for q in store.quads_for_pattern(None, _ox(RDF.subject), s, graph):
        statement, g = q.subject, q.graph_name
        pred = next(store.quads_for_pattern(statement, _ox(RDF.predicate), p, g), None)
        obj = next(store.quads_for_pattern(statement, _ox(RDF.object), o, g), None)
        if pred is not None and obj is not None:
            found.add((q.object, pred.object, obj.object))
    return found


def _has_graph(store: ox.Store, iri: str) -> bool:
    return next(store.quads_for_pattern(None, None, None, ox.NamedNode(iri)), None) is not None


@lru_cache(maxsize=64)
def _ox(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))
