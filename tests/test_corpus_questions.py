"""The corpus's ready questions (`conflicts`, `support`) on a graph with its corpus graph: the
answers, and the same answers from rdflib and Oxigraph."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Literal, namespace

import graph
from graph.corpus import add_corpus_graph
from graph.query.questions import ask, questions
from graph.query.results import display
from graph.query.sparql import to_store

REPO = Path(__file__).resolve().parents[1]
CORPUS_QUESTIONS = ("conflicts", "support")


@pytest.fixture(scope="module")
def corpus():
    """The bundled article and an independent report of Meta's layoffs, with their corpus graph."""
    return add_corpus_graph(graph.build(REPO / "graph/data/meta-2023.txt", REPO / "tests/data/stories/meta-layoffs.txt"))


def rows(answer) -> list[dict[str, str]]:
    return [{v: display(t) for v, t in zip(answer.variables, row)} for row in answer.rows]


def test_every_corpus_question_is_tested_here():
    assert set(CORPUS_QUESTIONS) <= set(questions())
    tested = {name[len("test_question_"):] for name in globals() if name.startswith("test_question_")}
    assert set(CORPUS_QUESTIONS) <= tested


def test_question_conflicts(corpus):
    found = rows(ask(corpus, "conflicts"))
    against = [(r["entity"], r["kind"], r["property"], r["source"]) for r in found if r["status"] == "DifferentDate"]
    assert sorted(against) == [("DINOv2", "OpenSourcing", "date", "<https://arxiv.org/abs/2304.07193>"),
                               ("PyTorch", "OpenSourcing", "date", "wd:Q47509047")]
    pytorch = next(r for r in found if r["entity"] == "PyTorch" and r["status"] == "DifferentDate")
    assert pytorch["sentence"] == "2015年,Meta开源了PyTorch这玩意儿深厚度学框架。"
    assert pytorch["against"] == "pytorch releaseDate 2016-09/2017-01" and pytorch["independent"] == ""
    confirmed = {(r["entity"], r["property"]) for r in found if r["status"] == "confirmed"}
    assert {("LLaMA", "releaseDate"), ("Segment Anything Model", "releaseDate"), ("Meta", "founder"),
            ("Yann LeCun", "award")} <= confirmed
    assert {r["status"] for r in found} == {"DifferentDate", "confirmed"}


def test_question_support(corpus):
    found = rows(ask(corpus, "support", params={"entity": "Meta"}))
    layoffs = [r for r in found if r["kind"] == "Layoff"]
    # both articles report the layoffs of 2022-11 and 2023-03: two independent stories each; the
    # second article's headline sums them up (两万余人), which only it says
    assert Counter((r["stories"], r["articles"]) for r in layoffs) == {("2", "2"): 4, ("1", "1"): 1}
    assert found[0]["stories"] == "2"                     # most supported first
    assert {(r["stories"], r["articles"]) for r in found if r["kind"] == "OpenSourcing"} == {("1", "1")}


def _normal(term):
    if term is None:
        return None
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, Literal) and term.datatype in (namespace.XSD.decimal, namespace.XSD.integer, namespace.XSD.double):
        return ("number", Decimal(str(term)).normalize())
    if isinstance(term, Literal):
        return ("literal", str(term), term.language, None if term.datatype == namespace.XSD.string else term.datatype)
    return ("iri", str(term))


@pytest.mark.parametrize("name", CORPUS_QUESTIONS)
def test_rdflib_and_oxigraph_give_the_same_answer(name, corpus):
    a, b = ask(corpus, name), ask(to_store(corpus), name)
    assert a.variables == b.variables and len(a.rows) > 0
    assert Counter(tuple(map(_normal, r)) for r in a.rows) == Counter(tuple(map(_normal, r)) for r in b.rows)


def test_without_a_corpus_graph_the_questions_have_no_answer(bundled_graph):
    for name in CORPUS_QUESTIONS:
        assert ask(bundled_graph, name).rows == ()
