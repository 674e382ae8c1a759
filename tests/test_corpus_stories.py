"""Stories: copies of one report (spun, reordered, shortened) grouped; different stories, even
about the same company, kept apart. Measured on spun copies of the held-out articles."""
from __future__ import annotations

import doctest
import importlib
import json
from pathlib import Path

import pytest
from rdflib.namespace import PROV, RDF

import graph
from graph.corpus import Article, add_corpus_graph, group_articles, stories
from graph.corpus.spinner import spin_copy
from graph.rdf.namespaces import KG
from graph.text import read_document
from stories_report import HEAVY_EDITS, measure

REPO = Path(__file__).resolve().parents[1]
STORIES = REPO / "tests" / "data" / "stories"


def _article(name: str, text: str) -> Article:
    return Article(graph.rdf.namespaces.DOC[name], name, None, text)


def _text(path: Path) -> str:
    return read_document(path).original


# ---------------------------------------------------------------- measured on spun copies


def test_spun_copies_of_the_heldout_articles_are_grouped_and_no_stories_merge():
    """Ten held-out articles, three spun copies of each (spin rate 1.0, up to 40 % of sentences
    deleted), six other stories about the same companies: every pair right."""
    score = measure(1.0, copies=3)
    assert score.articles == 10 * 4 + 6
    assert score.true_pairs == 10 * 6            # an article and its three copies: six pairs
    assert score.merged == ()
    assert score.precision >= 0.95 and score.recall >= 0.90, score


def test_heavily_shortened_copies_find_each_other_without_the_original():
    """Copies that keep 40 % and 30 % of the sentences, the original left out of the corpus."""
    score = measure(0.6, copies=2, originals=False, edits=HEAVY_EDITS)
    assert score.true_pairs == 10
    assert score.merged == ()
    assert score.precision >= 0.95 and score.recall >= 0.90, score


def test_a_stricter_verification_misses_shortened_copies():
    """The threshold matters: asking for half the sentences loses the heavily shortened copies."""
    strict = measure(0.6, copies=2, originals=False, edits=HEAVY_EDITS, min_shared=0.5)
    assert strict.recall < 0.9


def test_different_stories_about_the_same_company_stay_apart():
    meta = [REPO / "graph/data/meta-2023.txt"] + [STORIES / f for f in ("meta-layoffs.txt", "meta-llama2.txt",
                                                                         "pytorch-2016.txt")]
    nvidia = [REPO / "tests/data/heldout/a-chips.txt", REPO / "tests/data/heldout2/i-foundry.html",
              STORIES / "nvidia-trillion.txt"]
    articles = [_article(p.stem, _text(p)) for p in meta + nvidia]
    assert [len(group) for group in group_articles(articles)] == [1] * len(articles)


def test_a_copy_keeping_a_third_of_the_sentences_joins_its_original():
    text = _text(REPO / "graph/data/meta-2023.txt")
    copy = spin_copy(text, rate=1.0, reorder=0.5, delete=0.7, seed=3)
    assert len(copy) < 0.5 * len(text)
    groups = group_articles([_article("original", text), _article("copy", copy),
                             _article("other", _text(STORIES / "meta-layoffs.txt"))])
    assert [[a.title for a in group] for group in groups] == [["original", "copy"], ["other"]]


# ---------------------------------------------------------------- the spinner


def test_the_spinner_is_repeatable_and_keeps_title_and_sentences():
    text = _text(REPO / "tests/data/heldout/a-chips.txt")
    assert spin_copy(text, rate=0.6, reorder=0.3, seed=5) == spin_copy(text, rate=0.6, reorder=0.3, seed=5)
    assert spin_copy(text, rate=0.6, seed=5) != spin_copy(text, rate=0.6, seed=6)
    assert spin_copy(text, rate=0.0) == text
    spun = spin_copy(text, rate=1.0)
    assert spun != text and spun.split("\n")[0] != ""
    assert "表示" in text and "表示" not in spun                             # every lexicon word is spun at rate 1
    shortened = spin_copy(text, rate=0.0, delete=0.5, seed=1)
    assert shortened.split("\n")[0] == text.split("\n")[0]                 # the title stays
    assert 0.3 * len(text) < len(shortened) < 0.8 * len(text)
    moved = spin_copy(text, rate=0.0, reorder=0.5, seed=1)
    assert moved != text and sorted(moved) == sorted(text)                 # same characters, other order


# ---------------------------------------------------------------- dates, the graph, the command


def _page(title: str, published: str, text: str) -> str:
    body = "".join(f"<p>{line}</p>" for line in text.split("\n")[1:] if line.strip())
    return (f'<html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{published}T08:00:00+08:00"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


@pytest.fixture(scope="module")
def dated_copies(tmp_path_factory) -> Path:
    """The Meta layoffs report published on 2023-03-15 and two spun copies of it, two days and a week later."""
    folder = tmp_path_factory.mktemp("dated")
    text = _text(STORIES / "meta-layoffs.txt")
    title = text.split("\n")[0]
    for name, published, body in (("first", "2023-03-15", text),
                                  ("copy-a", "2023-03-17", spin_copy(text, rate=0.8, reorder=0.2, delete=0.2, seed=1)),
                                  ("copy-b", "2023-03-22", spin_copy(text, rate=0.8, reorder=0.2, delete=0.2, seed=2))):
        (folder / f"{name}.html").write_text(_page(title, published, body), encoding="utf-8")
    (folder / "other.txt").write_text(_text(STORIES / "meta-llama2.txt"), encoding="utf-8")
    return folder


def test_dated_copies_derive_from_the_earliest(dated_copies):
    g = graph.build(*sorted(dated_copies.iterdir()))
    found = stories(g)
    assert [len(s.articles) for s in found] == [3, 1]
    story = found[0]
    assert story.original.published == "2023-03-15"
    assert [a.published for a in story.derived] == ["2023-03-17", "2023-03-22"]
    add_corpus_graph(g)
    articles = set(g.subjects(RDF.type, KG.NewsArticle))
    derived = {(a, o) for a, o in g.subject_objects(PROV.wasDerivedFrom) if a in articles}
    assert derived == {(a.iri, story.original.iri) for a in story.derived}
    assert {a for a, _ in g.subject_objects(KG.story)} == {a.iri for s in found for a in s.articles}
    assert len(set(g.subjects(RDF.type, KG.Story))) == 2


def test_kg_stories_lists_groups_with_articles_and_dates(run_kg, dated_copies, tmp_path):
    out = tmp_path / "corpus.trig"
    assert run_kg("build", *sorted(dated_copies.iterdir()), "-o", out, "-q").returncode == 0
    proc = run_kg("stories", out)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "2 stories, 4 articles"
    assert lines[1].startswith("story 1 · 3 articles")
    assert lines[2].startswith("  2023-03-15") and lines[2].endswith("earliest copy")
    assert lines[3].startswith("  2023-03-17") and "copy of doc:" in lines[3]
    data = json.loads(run_kg("stories", out, "--format", "json").stdout)
    assert [len(s["articles"]) for s in data] == [3, 1]
    assert data[0]["original"] == data[0]["articles"][0]["article"]
    assert [a["derivedFrom"] for a in data[0]["articles"]] == [None, data[0]["original"], data[0]["original"]]
    assert data[1]["original"] is None


# ---------------------------------------------------------------- doctests


@pytest.mark.parametrize("module", ["graph.corpus", "graph.corpus.read", "graph.corpus.stories",
                                    "graph.corpus.spinner", "graph.corpus.compare", "graph.corpus.reference",
                                    "graph.corpus.conflicts", "graph.corpus.mapping", "graph.corpus.marks"])
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{module} has no examples"
    assert result.failed == 0
