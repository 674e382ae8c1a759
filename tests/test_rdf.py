"""The bundled article's graph: SHACL, NIF offsets, labels, Wikidata links, the article node."""
from __future__ import annotations

import hashlib
from pathlib import Path
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SDO

import graph
from generated import article_quads_of, fact_articles
from graph.rdf.io import from_oxigraph
from graph.rdf.namespaces import KG, NIF
from graph.rdf.ontology import ontology_graph

REPO = Path(__file__).resolve().parents[1]
TA_IDENT_REF = URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef")


def _quads(dataset) -> set:
    return set(dataset.quads((None, None, None, None)))


@pytest.fixture(scope="module")
def validation(bundled_graph):
    """Validate once; record the graph before and after."""
    before_len, before = len(bundled_graph), _quads(bundled_graph)
    conforms, report = graph.validate(bundled_graph)
    return {"conforms": conforms, "report": report, "before_len": before_len, "before": before,
            "after_len": len(bundled_graph), "after": _quads(bundled_graph)}


@pytest.fixture(scope="module")
def union(bundled_graph) -> Graph:
    """Every article's named graph in one Graph (a copy: the session graph stays as built)."""
    g = Graph()
    for s, p, o, _ in bundled_graph.quads((None, None, None, None)):
        g.add((s, p, o))
    assert len(g) > 500, "the bundled article should give a sizeable graph"
    return g


def test_bundled_graph_conforms_to_the_shapes(validation):
    assert validation["conforms"], validation["report"][:4000]


# Values are checked where they are made: no impossible date, no figure beyond any real one, no
# claim without text, no fractional count reaches the graph. (Measured on 600 such articles: 0 fail.)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_articles)
def test_graphs_of_generated_articles_pass_the_shapes(text):
    quads = article_quads_of(text)
    assume(quads is not None)
    conforms, report = graph.validate(from_oxigraph(quads))
    assert conforms, report[:3000]


def test_validation_does_not_modify_the_graph(validation):
    assert validation["after_len"] == validation["before_len"]
    assert validation["after"] == validation["before"]


@pytest.fixture(scope="module")
def article(union) -> URIRef:
    articles = list(union.subjects(RDF.type, KG.NewsArticle))
    assert len(articles) == 1, f"one article built, {len(articles)} article nodes"
    return articles[0]


@pytest.mark.parametrize("cls", [NIF.Phrase, NIF.Sentence], ids=["mention", "sentence"])
def test_anchor_is_the_original_text_at_its_offsets(union, cls):
    nodes = sorted(union.subjects(RDF.type, cls))
    assert nodes, f"no {cls} in the graph"
    wrong = []
    for node in nodes:
        context = union.value(node, NIF.referenceContext)
        original = str(union.value(context, NIF.isString))
        begin, end = int(union.value(node, NIF.beginIndex)), int(union.value(node, NIF.endIndex))
        anchor = str(union.value(node, NIF.anchorOf))
        assert 0 <= begin < end <= len(original), f"{node}: offsets {begin}-{end} outside the text"
        if original[begin:end] != anchor:
            wrong.append(f"{node}: anchorOf {anchor!r}, text[{begin}:{end}] = {original[begin:end]!r}")
    assert not wrong, f"{len(wrong)} of {len(nodes)} anchors differ from the text:\n" + "\n".join(wrong[:20])


def _non_entity_classes() -> set[URIRef]:
    """Event and statement classes (and the article class), by the ontology's class tree."""
    ont = ontology_graph()
    excluded = {KG.NewsArticle}
    for cls in set(ont.subjects(RDF.type, OWL.Class)) | {KG.Event, KG.RelationStatement, KG.Claim}:
        ancestors = set(ont.transitive_objects(cls, RDFS.subClassOf))
        if ancestors & {KG.Event, RDF.Statement}:
            excluded.add(cls)
    return excluded


def test_non_entity_classes_cover_events_and_statements():
    excluded = _non_entity_classes()
    assert {KG.Layoff, KG.OpenSourcing, KG.Claim, KG.RelationStatement, KG.NewsArticle} <= excluded
    assert not {KG.Company, KG.Person, KG.AIModel} & excluded


def test_every_entity_has_an_rdfs_label(union):
    excluded = _non_entity_classes()
    entities = {s for s, t in union.subject_objects(RDF.type)
                if str(t).startswith(str(KG._NS)) and t not in excluded}
    assert len(entities) >= 10, f"only {len(entities)} entities"
    unlabelled = sorted(e for e in entities if union.value(e, RDFS.label) is None)
    assert not unlabelled, f"entities without rdfs:label: {unlabelled}"


def test_same_as_points_at_wikidata_items(union):
    targets = set(union.objects(None, OWL.sameAs))
    assert targets, "no owl:sameAs links at all"
    bad = sorted(str(t) for t in targets if not re.fullmatch(r"http://www\.wikidata\.org/entity/Q\d+", str(t)))
    assert not bad, f"owl:sameAs objects that are not Wikidata items: {bad}"


def test_article_has_a_name(union, article):
    names = list(union.objects(article, SDO.name))
    assert len(names) == 1 and str(names[0]).strip(), names


def test_article_content_hash(union, article):
    hashes = [str(h) for h in union.objects(article, KG.contentHash)]
    assert len(hashes) == 1 and re.fullmatch(r"sha256:[0-9a-f]{64}", hashes[0]), hashes
    text = str(union.value(article, NIF.isString))
    assert hashes[0] == "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_article_publisher_is_xiaochuan(union, article):
    publishers = list(union.objects(article, SDO.publisher))
    assert len(publishers) == 1, publishers
    labels = {str(l) for l in union.objects(publishers[0], RDFS.label)}
    assert "小川电商" in labels, f"publisher {publishers[0]} is labelled {labels}"


def test_qualifiers_and_new_event_classes_reach_rdf_and_conform(tmp_path):
    article = tmp_path / "round.txt"
    article.write_text("2024年5月,智谱完成由红杉中国领投的约5亿元B轮融资,估值超过200亿。\n"
                       "2023年10月,美国商务部将摩尔线程列入实体清单。\n", encoding="utf-8")
    dataset = graph.build(article)
    g = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    [round_] = g.subjects(RDF.type, KG.FundingRound)
    assert {str(q) for q in g.objects(round_, KG.qualifier)} == {"about 500000000", "more than 20000000000"}
    assert (round_, KG.leadInvestor, None) in g
    assert (None, RDF.type, KG.ExportControl) in g
    conforms, report = graph.validate(dataset)
    assert conforms, report[:2000]


def test_a_figure_with_no_qualifier_writes_none(tmp_path):
    article = tmp_path / "plain.txt"
    article.write_text("2024年5月,智谱完成5亿元融资。\n", encoding="utf-8")
    dataset = graph.build(article)
    assert not list(dataset.quads((None, KG.qualifier, None, None)))


# ---------------------------------------------------------------- a published file on its own


def _published(path) -> Graph:
    """The union of a TriG file's graphs, as any SHACL engine reads it: no ontology merged in."""
    from rdflib import Dataset

    g = Graph()
    for s, p, o, _ in Dataset().parse(path, format="trig").quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _shacl_alone(data: Graph) -> tuple[bool, Graph]:
    from pyshacl import validate as shacl_validate

    shapes = Graph().parse(REPO / "ontology/shapes.ttl", format="turtle")
    conforms, report, _text = shacl_validate(data, shacl_graph=shapes, inference="none")
    return conforms, report


def test_a_published_file_conforms_without_the_ontology(trig):
    conforms, report = _shacl_alone(_published(trig))
    assert conforms, report.serialize(format="turtle")[:3000]


@pytest.mark.parametrize("plant", ["unlabelled entity", "mention of a nameless entity", "layoff without evidence"])
def test_a_planted_violation_is_caught_without_the_ontology(plant, trig):
    g = _published(trig)
    meta = URIRef("https://w3id.org/cnkg/id/meta")
    if plant == "unlabelled entity":
        g.remove((meta, RDFS.label, None))
        expected = meta
    elif plant == "mention of a nameless entity":
        expected = next(g.subjects(TA_IDENT_REF, meta))
        g.set((expected, TA_IDENT_REF, URIRef("https://w3id.org/cnkg/id/nobody")))
    else:
        expected = next(g.subjects(RDF.type, KG.Layoff))
        g.remove((expected, KG.evidence, None))
    conforms, report = _shacl_alone(g)
    assert not conforms
    assert expected in set(report.objects(None, URIRef("http://www.w3.org/ns/shacl#focusNode")))


def test_a_relation_statement_keeps_the_date_its_clause_gives_and_conforms(tmp_path):
    article = tmp_path / "release.txt"
    article.write_text("百度发布新模型\n2024年3月5日,百度发布了文心一言。文心一言的开发者是百度。\n", encoding="utf-8")
    dataset = graph.build(article)
    dates = {str(o) for _, _, o, _ in dataset.quads((None, KG.statedFor, None, None))}
    assert dates == {"2024-03-05"}
    conforms, report = graph.validate(dataset)
    assert conforms, report[:2000]
