"""Spin repair, character folding, and offsets that still point into the original text."""
from __future__ import annotations

import tomllib
from pathlib import Path

from rdflib.namespace import RDF

import graph
from graph.rdf.namespaces import ITSRDF, NIF
from graph.text import normalize, read_text
from graph.text.normalize import find_spin, fold_characters
from spin_report import measure

DATA = Path(__file__).parent / "data"


def test_spin_repair_meets_both_targets():
    article = graph.bundled_article().original
    annotations = tomllib.loads((DATA / "spun-words-meta-2023.toml").read_text(encoding="utf-8"))["spun"]
    clean = (DATA / "clean-news-zh.txt").read_text(encoding="utf-8")
    report = measure(article, annotations, clean)
    assert report.annotated >= 150
    assert report.recall >= 0.90, report
    assert report.changes_per_2000 < 1, report


def test_spun_sentence_is_restored():
    doc = normalize(read_text("巨大家都说深厚度学手艺眼下很火,试试室里的学问家很忙。"))
    assert doc.text == "大家都说深度学习技术现在很火,实验室里的科学家很忙。"


def test_clean_text_is_left_alone():
    text = "眼下的形势不容乐观,他学过钳工手艺,做生意的本钱只有三万元。"
    assert find_spin(text) == []


def test_offset_map_points_into_the_original():
    original = "去年巨大家发现,Meta的试试室开头研究深厚度学。"
    doc = normalize(read_text(original))
    assert "实验室" in doc.text and "深度学习" in doc.text
    start = doc.text.index("Meta")
    assert doc.original_text(start, start + 4) == "Meta"
    start = doc.text.index("实验室")
    assert doc.original_text(start, start + 3) == "试试室"
    assert len(doc.to_original) == len(doc.text) + 1


def test_folding_is_one_to_one():
    text = "ＯｐｅｎＡＩ發佈了新模型，微軟跟進。"
    folded = fold_characters(text)
    assert len(folded) == len(text)
    assert folded.startswith("OpenAI发布了新模型,微软")


def test_every_mention_of_a_spun_article_anchors_its_original_surface(bundled_graph):
    text = str(next(bundled_graph.objects(None, NIF.isString)))
    phrases = list(bundled_graph.subjects(RDF.type, NIF.Phrase))
    assert len(phrases) > 50
    for phrase in phrases:
        begin = int(next(bundled_graph.objects(phrase, NIF.beginIndex)))
        end = int(next(bundled_graph.objects(phrase, NIF.endIndex)))
        assert text[begin:end] == str(next(bundled_graph.objects(phrase, NIF.anchorOf)))
        assert next(bundled_graph.objects(phrase, ITSRDF.taIdentRef), None) is not None


def test_traditional_input_matches_the_knowledge_base_and_keeps_its_characters(tmp_path):
    article = tmp_path / "trad.txt"
    article.write_text("微軟與谷歌宣佈合作。\n微軟的人工智慧研究進展很快。", encoding="utf-8")
    g = graph.build(article)
    anchors = {str(o) for o in g.objects(None, NIF.anchorOf)}
    assert "微軟" in anchors
    labels = {str(o) for s in g.objects(None, ITSRDF.taIdentRef) for o in g.objects(s, RDF.type)}
    assert any(label.endswith("#Company") for label in labels)


# ---------------------------------------------------------------- kg normalize: the text as written

REPO = Path(__file__).resolve().parents[1]


def test_kg_normalize_leaves_a_clean_article_as_written(run_kg):
    clean = REPO / "tests/data/clean-news-zh.txt"
    out = run_kg("normalize", clean)
    assert out.returncode == 0, out.stderr
    assert out.stdout == clean.read_text(encoding="utf-8")
    assert run_kg("normalize", clean, "--diff").stdout == "0 changes\n"


def test_kg_normalize_folds_on_request_and_shows_every_change_with_offsets(run_kg):
    clean = REPO / "tests/data/clean-news-zh.txt"
    text = clean.read_text(encoding="utf-8")
    folded = run_kg("normalize", clean, "--fold").stdout
    assert "，" in text and "，" not in folded and folded == fold_characters(text)
    spun = REPO / "graph/data/meta-2023.txt"
    original = spun.read_text(encoding="utf-8")
    lines = run_kg("normalize", spun, "--diff").stdout.splitlines()
    assert lines[-1] == f"{len(lines) - 1} changes" and len(lines) > 100
    restored = run_kg("normalize", spun).stdout
    for line in lines[:-1]:
        span, why, change = line.split("\t")
        start, end = map(int, span.split("-"))
        before, after = (eval(side) for side in change.split(" -> "))  # noqa: S307 (repr of our own strings)
        assert why == "spin" and original[start:end] == before
    assert "巨大家" in original and "巨大家" not in restored and len(restored) < len(original)
