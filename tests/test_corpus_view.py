"""The viewer marks facts from the corpus graph: conflicts, confirmations by reference facts, sources."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import graph
from graph.corpus import add_corpus_graph
from graph.view.model import view_model

from chromium import CHROMIUM, launch

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus():
    return add_corpus_graph(graph.build(REPO / "graph/data/meta-2023.txt", REPO / "tests/data/stories/pytorch-2016.txt"))


def _facts_about(model, label: str) -> list[dict]:
    node = next(n for n in model.nodes if n["label"] == label and "fact" not in n)
    return [model.facts[i] for i in node["facts"]]


def test_conflicting_and_confirmed_facts_carry_marks(corpus):
    model = view_model(corpus, lang="en")
    marks = [(f["kindLabel"], m) for f in _facts_about(model, "PyTorch") for m in f.get("marks", [])]
    kinds = {(kind, m[0]) for kind, m in marks}
    assert {("open-sourcing", "conflict"), ("developer", "confirmed"), ("open-sourcing", "sources")} <= kinds
    texts = [m[1] for _, m in marks if m[0] == "conflict"]
    assert any("pytorch releaseDate 2016-09/2017-01 (http://www.wikidata.org/entity/Q47509047)" in t for t in texts)
    assert any("“2016年，Facebook开源了PyTorch深度学习框架。” (an independent story)" in t for t in texts)
    assert any(m[1] == "2 independent sources · 2 articles" for _, m in marks if m[0] == "sources")


def test_without_a_corpus_graph_there_are_no_marks(bundled_graph):
    assert not any("marks" in f for f in view_model(bundled_graph).facts)


def test_marks_are_drawn_in_the_side_panel(corpus, tmp_path):
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: the viewer's browser tests need Debian's chromium"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "corpus.html"
    graph.view(corpus, lang="en").write_html(str(page_file))
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_context(offline=True, viewport={"width": 1400, "height": 900}).new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.resolve().as_uri())
            page.wait_for_selector("body[data-ready]", state="attached", timeout=60_000)
            page.fill("#search", "PyTorch")
            page.press("#search", "Enter")
            page.wait_for_selector("#panel .fact.conflict .mark.conflict", timeout=10_000)
            conflicts = page.eval_on_selector_all("#panel .fact.conflict", "els => els.map(e => e.innerText)")
            confirmed = page.eval_on_selector_all("#panel .fact.confirmed", "els => els.map(e => e.innerText)")
        finally:
            browser.close()
    assert not errors
    assert any("2015" in text and "Conflict: pytorch releaseDate 2016-09/2017-01" in text for text in conflicts)
    assert any("Confirmed by reference: pytorch developer meta | meta-ai | fair" in text for text in confirmed)
