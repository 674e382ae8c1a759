"""Answers kept at build time: every ready question that needs no parameter, answered without one
once a build or a removal has changed a corpus store, and read back by `kg ask` instead of asked
again; `events-between`, whose rows are the kept timeline's rows in a range of dates; and the two
questions that take an entity, `entity-figures` and `evidence`, made from the rows the store's
entity index keeps for that entity (`graph.rdf.entity_index`).

    STORE/answers/<question>.json     variables, distinct terms (as SPARQL JSON results write
                                      them), rows (term indices), and the hash of the question's text

On a store of thousands of articles the questions that list every fact of a kind (`timeline`,
`claims`, `employment`) take seconds however the query is planned: Oxigraph reads each part of
each fact. Reading the kept rows takes milliseconds. They cannot go stale: the store drops the
folder before its first write (`CorpusStore.add`, `remove`), and a kept answer whose question
text has changed since is not used (the next build answers it again). Any other question given
parameters is asked.

The entity index holds what the two entity questions read of each fact, written by Python from
the same Document as the quads; the answer is made here by the rules their queries state (which
rows, which labels, distinct, in which order), and a test holds the two to the same rows on every
entity of a store. The rules are those of one text of each question (`_INDEXED` holds its hash):
once a question's text changes, it is asked of the store until its rules here are made again.
"""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from graph.query.questions import ask, get_question, parameter_terms, questions
from graph.query.remote import json_term, term_from_json
from graph.query.sparql import Answer
from graph.rdf.io import write_atomic
from graph.rdf.mapping import date_literal
from graph.rdf.store import ANSWERS, CorpusStore, open_store

__all__ = ["answer_on_store", "dated_between", "keep_answers", "kept_answer"]

_LAYOUT = 3     # 3: distinct terms as SPARQL JSON results write them, rows of their indices
# The texts of the entity questions whose rules `_entity_figures` and `_evidence` follow (sha256,
# first 16 hex digits); a test fails when a text changes, so that both are changed together.
_INDEXED = {"entity-figures": "c7d0219dc7dfaedd", "evidence": "c29ec143b137f8a1"}


def keep_answers(store: CorpusStore) -> int:
    """Answer every ready question that needs no parameter, without one, on a store on disk, and
    keep the answers in its folder: those not kept yet, or kept for an older text of the question.
    Returns how many were answered now.

    Each file is written whole (a temporary file renamed) and names the question text it answers,
    so that a file is used only for that text.
    """
    if store.path is None:
        return 0
    folder = store.path / ANSWERS
    folder.mkdir(exist_ok=True)
    todo = [q.name for q in questions().values()
            if all(p.optional for p in q.parameters) and _kept_data(store.path, q.name) is None]
    db = store.oxigraph
    # Oxigraph evaluates a query without holding Python's lock: the questions run side by side,
    # one a core (on 10,000 articles and two cores, 13 s instead of 19)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        answers = pool.map(lambda name: ask(db, name), todo)
        for name, answer in zip(todo, answers):
            _keep(folder, name, answer)
    return len(todo)


def _keep(folder: Path, name: str, answer: Answer) -> None:
    """Write the answer to `name` in `folder`: each distinct term once, rows as their indices
    (None: unbound), since the rows repeat names and sentences, and reading them back is then
    mostly parsing small integers."""
    index: dict[Node, int] = {}
    rows = [[None if term is None else index.setdefault(term, len(index)) for term in row] for row in answer.rows]
    data = {"question": _kept_key(name), "variables": list(answer.variables),
            "terms": [json_term(term) for term in index], "rows": rows}
    write_atomic(folder / f"{name}.json", json.dumps(data, ensure_ascii=False).encode("utf-8"))


def kept_answer(store_path: str | Path, name: str) -> Answer | None:
    """The answer to `name` (without parameters) kept in the store at `store_path`; None when there
    is none (a question that needs a parameter, a store written since, a question changed since)."""
    data = _kept_data(store_path, name)
    if data is None:
        return None
    terms = [term_from_json(term) for term in data["terms"]]
    return Answer("SELECT", variables=tuple(data["variables"]),
                  rows=tuple(tuple(None if i is None else terms[i] for i in row) for row in data["rows"]))


def answer_on_store(store_path: str | Path, name: str, *, params: dict[str, str] | None = None) -> Answer:
    """A ready question's answer on a corpus store: the kept one when no parameter is given (for
    `events-between`, the kept timeline's rows in its range; for an entity question, the entity
    index's rows), else asked of the store (opened read-only)."""
    if not params:
        kept = kept_answer(store_path, name)
        if kept is not None:
            return kept
    elif name == "events-between":
        bindings = parameter_terms(None, name, params)      # a malformed date fails as `ask` fails
        timeline = kept_answer(store_path, "timeline")
        if timeline is not None:
            return dated_between(timeline, str(bindings["from"]), str(bindings["to"]))
    store = open_store(store_path, read_only=True)
    if params and store.index is not None and name in _INDEXED and _question_hash(name) == _INDEXED[name]:
        entity = str(parameter_terms(store.oxigraph, name, params)["entity"])
        if name == "entity-figures":
            return _entity_figures(store.index.figures(entity))
        return _evidence(store.index.evidence(entity), store.oxigraph)
    return ask(store.oxigraph, name, params=params)


def _entity_figures(figures: list[list]) -> Answer:
    """`entity-figures` from an entity's index rows: distinct, ordered by date, kind, property,
    value (as a number), unit, period and sentence, as its query orders them."""
    rows = sorted({tuple(row) for row in figures},
                  key=lambda r: (r[5] or "", r[0], r[1], Decimal(r[2]), r[4] or "", r[6] or "", r[7], r))
    text = _terms({v for r in rows for v in (r[0], r[1], r[4], r[6], r[7])}, Literal)
    value = _terms({(r[2], r[3]) for r in rows}, lambda v: Literal(v[0], datatype=URIRef(v[1])))
    date = _terms({r[5] for r in rows}, date_literal)
    return Answer("SELECT", variables=("kind", "property", "value", "unit", "date", "period", "sentence"),
                  rows=tuple((text[kind], text[prop], value[v, datatype], text[unit], date[day], text[period],
                              text[sentence]) for kind, prop, v, datatype, unit, day, period, sentence in rows))


def _evidence(evidence: list[list], db: ox.Store) -> Answer:
    """`evidence` from an entity's index rows: a relation's other entity named by its English
    labels, else its Chinese ones, else its IRI (a row for each, as the query's OPTIONALs give);
    distinct, ordered by begin offset, what, fact."""
    names: dict[str, list[str]] = {}
    rows = set()
    for fact, what, sentence, begin, end, pattern in evidence:
        if isinstance(what, list):
            predicate, arrow, other = what
            if other not in names:
                names[other] = _names(db, other)
            rows.update((fact, f"{predicate} {arrow} {name}", sentence, begin, end, pattern) for name in names[other])
        else:
            rows.add((fact, what, sentence, begin, end, pattern))
    rows = sorted(rows, key=lambda r: (r[3], r[1], r[0], r))
    text = _terms({v for r in rows for v in (r[1], r[2], r[5])}, Literal)
    number = _terms({v for r in rows for v in (r[3], r[4])}, Literal)      # from an int: half the cost of from text
    return Answer("SELECT", variables=("fact", "what", "sentence", "begin", "end", "pattern"),
                  rows=tuple((URIRef(fact), text[what], text[sentence], number[begin], number[end], text[pattern])
                             for fact, what, sentence, begin, end, pattern in rows))


def _names(db: ox.Store, iri: str) -> list[str]:
    labels = [q.object for q in db.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(RDFS.label)), None, None)
              if not isinstance(q.graph_name, ox.DefaultGraph)]       # the query reads named graphs only
    for lang in ("en", "zh"):
        found = sorted({label.value for label in labels if label.language == lang})
        if found:
            return found
    return [iri]


def _terms(values: set, make) -> dict:
    """Each distinct value's term, made once (an rdflib Literal costs ~10 µs); None stays unbound."""
    return {v: None if v is None else make(v) for v in values} | {None: None}


def _question_hash(name: str) -> str:
    """The sha256 of the question's text, first 16 hex digits."""
    return hashlib.sha256(get_question(name).text.encode("utf-8")).hexdigest()[:16]


def dated_between(timeline: Answer, first_day: str, last_day: str) -> Answer:
    """The rows of `timeline` whose whole date lies from `first_day` to `last_day`: the answer to
    `events-between`, by the rule that its query states (and a test holds the two to), with each
    date as plain text, as that query gives it.

    A date is as precise as the article gives it; 2023 stands for 2023-01-01 … 2023-12-31 and
    2023-02 for 2023-02-01 … 2023-02-28; a bound of 2023 or 2023-06 means the start (from) or the
    end (to) of that year or month.

    >>> from rdflib import XSD
    >>> rows = [(Literal(d, datatype=XSD.gYearMonth if len(d) == 7 else XSD.gYear), Literal("Layoff"), None, None,
    ...          Literal("…")) for d in ("2023", "2023-02", "2023-07")]
    >>> t = Answer("SELECT", variables=("date", "kind", "agent", "object", "sentence"), rows=tuple(rows))
    >>> [str(r[0]) for r in dated_between(t, "2023-01-01", "2023-06").rows]
    ['2023-02']
    >>> [str(r[0]) for r in dated_between(t, "2023", "2023").rows]
    ['2023', '2023-02', '2023-07']
    """
    from graph.corpus.compare import date_span     # the days a date stands for; imported here, for this question only

    start, end = date_span(first_day)[0], date_span(last_day)[1]
    at = timeline.variables.index("date")
    spans = {date: date_span(date) for date in {str(row[at]) for row in timeline.rows}}    # few dates, many rows
    rows = {}
    for row in timeline.rows:
        date = str(row[at])
        span = spans[date]
        if span is not None and start <= span[0] and span[1] <= end:
            row = row[:at] + (Literal(date),) + row[at + 1:]
            rows.setdefault(row, None)      # distinct, in the timeline's order (its sort keys are the same)
    return Answer("SELECT", variables=timeline.variables, rows=tuple(rows))


def _kept_data(store_path: str | Path, name: str) -> dict | None:
    """The kept file of `name` as read, when it answers the question's present text."""
    try:
        data = json.loads((Path(store_path) / ANSWERS / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("question") == _kept_key(name) else None


def _kept_key(name: str) -> str:
    # the layout of the file too: a file of another layout is not read
    return f"{_LAYOUT}:{_question_hash(name)}"
