"""Answers kept at build time: every ready question that needs no parameter, answered without one
once a build or a removal has changed a corpus store, and read back by `kg ask` instead of asked
again.

    STORE/answers/<question>.json     variables, distinct terms (as SPARQL JSON results write
                                      them), rows (term indices), and the hash of the question's text

On a store of thousands of articles the questions that list every fact of a kind (`timeline`,
`claims`, `employment`) take seconds however the query is planned: Oxigraph reads each part of
each fact. Reading the kept rows takes milliseconds. They cannot go stale: the store drops the
folder before its first write (`CorpusStore.add`, `remove`), and a kept answer whose question
text has changed since is not used (the next build answers it again). A question given
parameters (an entity, dates) is asked.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from rdflib.term import Node

from graph.query.questions import ask, get_question, questions
from graph.query.remote import json_term, term_from_json
from graph.query.sparql import Answer
from graph.rdf.io import write_atomic
from graph.rdf.store import ANSWERS, CorpusStore, open_store

__all__ = ["answer_on_store", "keep_answers", "kept_answer"]

_LAYOUT = 3     # 3: distinct terms as SPARQL JSON results write them, rows of their indices


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
    answered = 0
    for q in questions().values():
        if not all(p.optional for p in q.parameters) or _kept_data(store.path, q.name) is not None:
            continue
        answer = ask(store.oxigraph, q.name)
        # each distinct term once, rows as its index (None: unbound): the rows repeat names and
        # sentences, and reading them back is then mostly parsing small integers
        index: dict[Node, int] = {}
        rows = [[None if term is None else index.setdefault(term, len(index)) for term in row]
                for row in answer.rows]
        data = {"question": _text_hash(q.name), "variables": list(answer.variables),
                "terms": [json_term(term) for term in index], "rows": rows}
        write_atomic(folder / f"{q.name}.json", json.dumps(data, ensure_ascii=False).encode("utf-8"))
        answered += 1
    return answered


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
    """A ready question's answer on a corpus store: the kept one when no parameter is given, else
    asked of the store (opened read-only)."""
    if not params:
        kept = kept_answer(store_path, name)
        if kept is not None:
            return kept
    return ask(open_store(store_path, read_only=True).oxigraph, name, params=params)


def _kept_data(store_path: str | Path, name: str) -> dict | None:
    """The kept file of `name` as read, when it answers the question's present text."""
    try:
        data = json.loads((Path(store_path) / ANSWERS / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("question") == _text_hash(name) else None


def _text_hash(name: str) -> str:
    # the layout of the file too: a file of another layout is not read
    return hashlib.sha256(f"{_LAYOUT}\n{get_question(name).text}".encode("utf-8")).hexdigest()[:16]
