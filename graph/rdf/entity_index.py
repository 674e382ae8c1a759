"""The facts each entity takes part in, article by article, kept beside a corpus store.

    STORE/entity-index.sqlite     facts(article, entity, figures, evidence): for each article and
                                  each entity its facts name, their figures and their evidence (JSON)

The two ready questions that take an entity, `entity-figures` and `evidence`, read a few lookups
for every fact that names it; for an entity that thousands of articles name (Meta: 2,002 facts in
1,000 articles) that is hundreds of milliseconds in Oxigraph on disk, whatever the plan. The index
holds what those lookups would read, written with each article by the worker that mapped it
(`entity_rows`, from the same Document and the same IRI scheme as the article's quads), so that
the question reads one row per article instead (`graph.query.kept` makes the answer).

The index grows and shrinks with the store, in the same steps: an article's rows are written
before its file's record commits, and dropped when the article is removed, also when an
interrupted build's unfinished article is. A store made before the index existed has none, and
never gets one (it could not hold the older articles): its questions are asked of the store.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from graph.model import Document, Relation
from graph.rdf.mapping import entity_iri, fact_iris, number_parts

__all__ = ["FACT_ROLES", "FIGURE_ROLES", "INDEX_FILE", "EntityIndex", "entity_rows"]

INDEX_FILE = "entity-index.sqlite"
# The roles through which an event or claim is about an entity, and the properties that hold a
# figure, as `entity-figures` and `evidence` name them.
FACT_ROLES = frozenset({"agent", "participant", "object", "benchmark", "claimant", "about"})
FIGURE_ROLES = frozenset({"count", "amount", "percentage", "quantity"})


def entity_rows(doc: Document, article: str) -> tuple[tuple[str, str, str], ...]:
    """For each entity that a fact of `doc` names: (its IRI, its figures, its evidence), as JSON lists.

    A figure: [event type, property, value, its datatype, unit, date, period, sentence]; one for
    each figure of the event and each unit it states (currency or unit text), as a query joining
    the two gives. Evidence: [fact IRI, what, sentence, begin, end, pattern], where `what` is
    "Layoff (agent)" for an event, and [predicate, arrow, other entity's IRI] for a relation,
    whose label the reader looks up (labels of discovered names grow as articles come in).

    >>> import graph
    >>> doc = graph.process(graph.bundled_article())
    >>> rows = entity_rows(doc, "https://w3id.org/cnkg/doc/0c5fc54fa0f2c0fe")
    >>> [(figures, evidence)] = [row[1:] for row in rows if row[0] == "https://w3id.org/cnkg/id/meta"]
    >>> len(json.loads(figures)) > 5, len(json.loads(evidence)) > 20
    (True, True)
    """
    iris = {e.key: str(entity_iri(e)) for e in doc.entities}
    spans: dict[int, tuple[str, int, int]] = {}
    rows: dict[str, dict[str, list]] = {}

    def sentence(index: int) -> tuple[str, int, int]:
        if index not in spans:
            s = doc.sentences[index]
            begin, end = doc.span(s.start, s.end)
            spans[index] = (doc.original[begin:end], begin, end)
        return spans[index]

    def of(key: str) -> dict[str, list]:
        iri = iris[key]
        if iri not in rows:
            rows[iri] = {"figures": [], "evidence": []}
        return rows[iri]

    for fact, iri in zip(doc.facts, fact_iris(doc, article)):
        text, begin, end = sentence(fact.evidence.sentence)
        pattern = fact.evidence.pattern
        if isinstance(fact, Relation):
            for key, arrow, other in ((fact.subject, "→", fact.object), (fact.object, "←", fact.subject)):
                of(key)["evidence"].append([iri, [fact.predicate, arrow, iris[other]], text, begin, end, pattern])
            continue
        named = [(role, key) for role, key in fact.roles if role in FACT_ROLES]
        for role, key in named:
            of(key)["evidence"].append([iri, f"{fact.kind} ({role})", text, begin, end, pattern])
        figures = [(q.role, *number_parts(q.value, q.role)) for q in fact.quantities if q.role in FIGURE_ROLES]
        units = sorted({q.unit for q in fact.quantities if q.unit}) or [None]
        for key in dict.fromkeys(key for _, key in named):
            of(key)["figures"] += [[fact.kind, role, value, str(datatype), unit, fact.date, fact.period, text]
                                   for role, value, datatype in figures for unit in units]
    return tuple((iri, _json(data["figures"]), _json(data["evidence"])) for iri, data in sorted(rows.items()))


# one encoder for every call: json.dumps makes a new one for each call given options, a third of its cost here
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class EntityIndex:
    """The index file of a store: `create` makes it with a new store, `open` finds it (or None)."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = path
        self._db = (sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) if read_only
                    else sqlite3.connect(path))

    @classmethod
    def create(cls, store_path: Path) -> EntityIndex:
        index = cls(store_path / INDEX_FILE)
        index._db.executescript(
            "CREATE TABLE IF NOT EXISTS facts (article TEXT NOT NULL, entity TEXT NOT NULL, figures TEXT NOT NULL, "
            "evidence TEXT NOT NULL);"
            "CREATE INDEX IF NOT EXISTS by_entity ON facts (entity);"
            "CREATE INDEX IF NOT EXISTS by_article ON facts (article);")
        return index

    @classmethod
    def open(cls, store_path: Path, read_only: bool = False) -> EntityIndex | None:
        path = store_path / INDEX_FILE
        return cls(path, read_only) if path.is_file() else None

    def replace(self, articles: Iterable[tuple[str, tuple[tuple[str, str, str], ...]]]) -> None:
        """Write the rows of each (article, its `entity_rows`), in place of any it had, in one transaction."""
        articles = list(articles)
        # sorted by entity: an entity's rows of a batch then share pages, and reading an entity
        # named by thousands of articles reads a run per batch, not a page per article
        rows = sorted((entity, a, figures, evidence) for a, rows in articles for entity, figures, evidence in rows)
        with self._db:      # one transaction: committed, or rolled back on an error
            self._db.executemany("DELETE FROM facts WHERE article = ?", [(a,) for a, _ in articles])
            self._db.executemany("INSERT INTO facts (entity, article, figures, evidence) VALUES (?, ?, ?, ?)", rows)

    def drop(self, article: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM facts WHERE article = ?", (article,))

    def figures(self, entity: str) -> list[list]:
        """The figure rows of `entity`, of every article (as `entity_rows` writes them)."""
        return self._rows("figures", entity)

    def evidence(self, entity: str) -> list[list]:
        """The evidence rows of `entity`, of every article (as `entity_rows` writes them)."""
        return self._rows("evidence", entity)

    def _rows(self, column: str, entity: str) -> list[list]:
        return [row for (data,) in self._db.execute(f"SELECT {column} FROM facts WHERE entity = ?", (entity,))
                for row in json.loads(data)]
