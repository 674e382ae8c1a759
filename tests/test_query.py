"""SPARQL on the bundled article: the ready questions (answers checked against the article's text),
the same answers from rdflib and Oxigraph, safe parameters, one entity resolver, `kg query` and `kg ask`."""
from __future__ import annotations

import csv
import io
import json
import re
import time
from collections import Counter
from decimal import Decimal

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace

from graph.errors import EntityError
from graph.query.questions import ask, questions, resolve_entity
from graph.query.results import display, display_width
from graph.query.sparql import QueryError, query, to_store
from graph.rdf.namespaces import ID, KG, NIF

# Questions about a corpus read its corpus graph (graph.corpus), which the bundled article's graph
# does not hold: tests/test_corpus_questions.py checks their answers and both engines.
CORPUS_QUESTIONS = {"conflicts", "support"}

# Parameters for the questions that need them (also used to compare the two engines).
PARAMS = {
    "entity-figures": {"entity": "Meta"},
    "evidence": {"entity": "Yann LeCun"},
    "events-between": {"from": "2023-01-01", "to": "2023-06-30"},
}


@pytest.fixture(scope="module")
def store(bundled_graph):
    return to_store(bundled_graph)


def rows(answer) -> list[dict[str, str]]:
    """An answer's rows as {variable: displayed text}."""
    return [{v: display(t) for v, t in zip(answer.variables, row)} for row in answer.rows]


def _article_text(g) -> str:
    return str(next(g.objects(None, NIF.isString)))


# ---------------------------------------------------------------- the ready questions


def test_there_are_at_least_twelve_questions_each_stated_in_english_and_chinese():
    qs = questions()
    assert len(qs) >= 12
    for q in qs.values():
        assert q.text.startswith("#"), f"{q.name}.rq must open with a comment"
        assert re.search(r"[A-Za-z]{3}", q.en) and "?" in q.en, f"{q.name}: English question {q.en!r}"
        assert re.search(r"[\u4e00-\u9fff]", q.zh) and "？" in q.zh, f"{q.name}: Chinese question {q.zh!r}"


def test_every_ready_question_has_a_test_of_its_answer():
    tested = {name[len("test_question_"):].replace("_", "-") for name in globals() if name.startswith("test_question_")}
    untested = set(questions()) - CORPUS_QUESTIONS - tested
    assert not untested, f"untested ready questions: {sorted(untested)}"


def test_question_releases(bundled_graph):
    found = {(r["organization"], r["what"], r["kind"], r["date"]) for r in rows(ask(bundled_graph, "releases"))}
    # 2015年,Meta开源了PyTorch … 2023年2月,Meta悄悄放出了 … LLaMA … 2023年4月5日 Meta开源了Segment Anything Model
    assert ("Meta", "PyTorch", "OpenSourcing", "2015") in found
    assert ("Meta", "LLaMA", "Release", "2023-02") in found
    assert ("Meta", "Segment Anything Model", "OpenSourcing", "2023-04-05") in found
    assert ("Meta", "DINOv2", "OpenSourcing", "2023-05") in found
    assert ("Meta", "Quest 3", "Release", "2023-09") in found
    # The organization parameter takes a label in either language or an IRI, and drops its column.
    for org in ("谷歌", "Google", str(ID.google), "id:google"):
        answer = ask(bundled_graph, "releases", params={"org": org})
        assert "org" not in answer.variables
        assert {(r["what"], r["date"]) for r in rows(answer)} == {("Bard", "2023")}


def test_question_employment(bundled_graph):
    found = {(r["person"], r["organization"], r["relation"]): r for r in rows(ask(bundled_graph, "employment"))}
    # 比如深度学习领域的“大神”Yann LeCun,他可是Meta的首席AI科学家
    assert ("Yann LeCun", "Meta", "worksFor") in found
    assert found[("Yann LeCun", "Meta", "worksFor")]["role"] == "首席AI科学家"
    assert "Yann LeCun" in found[("Yann LeCun", "Meta", "worksFor")]["sentence"]
    assert ("Yann LeCun", "FAIR", "worksFor") in found
    assert ("Jim Fan", "NVIDIA", "worksFor") in found            # 英伟达的AI科学家Jim Fan
    assert ("Mark Zuckerberg", "Meta", "founder") in found       # 创始人扎克伯格


def test_question_timeline(bundled_graph):
    answer = rows(ask(bundled_graph, "timeline"))
    dates = [r["date"] for r in answer]
    assert dates == sorted(dates), "the timeline is in date order"
    assert (answer[0]["date"], answer[0]["kind"], answer[0]["object"]) == ("2015", "OpenSourcing", "PyTorch")
    found = {(r["date"], r["kind"], r["agent"], r["object"]) for r in answer}
    assert ("2022-11", "Layoff", "Meta", "") in found
    assert ("2023-11", "Partnership", "Meta", "Adobe") in found  # 2023年11月, Meta宣布和Adobe一起干
    assert all(r["kind"] != "Claim" for r in answer)


def test_question_layoffs(bundled_graph):
    found = {(r["organization"], r["people"], r["date"]) for r in rows(ask(bundled_graph, "layoffs"))}
    # 2022年11月,Meta宣布裁员1.1万人,2023年3月又裁掉1万人
    assert found == {("Meta", "11000", "2022-11"), ("Meta", "10000", "2023-03")}


def test_question_based_on(bundled_graph):
    found = {(r["model"], r["basedOn"], r["developer"]) for r in rows(ask(bundled_graph, "based-on"))}
    # 基于LLaMA搞出了各种“魔改版”,比如斯坦福的Alpaca … 还有伯克利的Vicuna
    assert ("Alpaca", "LLaMA", "Stanford University") in found
    assert ("Vicuna", "LLaMA", "University of California, Berkeley") in found


def test_question_entity_figures(bundled_graph):
    found = {(r["kind"], r["property"], r["value"], r["unit"], r["date"])
             for r in rows(ask(bundled_graph, "entity-figures", params={"entity": "Meta"}))}
    assert ("Layoff", "count", "11000", "person", "2022-11") in found
    assert ("Spending", "amount", "40000000000", "USD", "2023") in found     # 研发投入达到400亿美元
    assert ("MarketValueChange", "amount", "700000000000", "USD", "2022") in found   # 市值蒸发超出7000亿美元
    llama = {(r["property"], r["value"]) for r in rows(ask(bundled_graph, "entity-figures", params={"entity": "羊驼"}))}
    assert ("quantity", "13000000000") in llama                                 # 参数只有130亿


def test_question_evidence(bundled_graph):
    answer = ask(bundled_graph, "evidence", params={"entity": "杨立昆"})
    text = _article_text(bundled_graph)
    found = rows(answer)
    assert {r["what"] for r in found} >= {"worksFor → Meta", "worksFor → FAIR", "award → Turing Award"}
    for r in found:
        begin, end = int(r["begin"]), int(r["end"])
        assert text[begin:end] == r["sentence"], "offsets point at the evidence sentence in the article"
        assert "Yann LeCun" in r["sentence"]


def test_question_claims(bundled_graph):
    found = rows(ask(bundled_graph, "claims"))
    by = {(r["claimant"], r["about"]): r for r in found}
    # 林俊杰 … 投钱Decentraland里的虚拟地产亏损90%
    assert by[("JJ Lin", "Decentraland")]["date"] == "2022-11"
    assert ("Jim Fan", "Segment Anything Model") in by           # 把SAM的出现称为CV界的“GPT-3时刻”
    assert any(r["claimant"] == "Mark Zuckerberg" and "元宇宙不是五年" in r["text"] for r in found)
    assert any(r["claimant"] == "" and r["about"] == "Meta" for r in found), "有人说 … has no claimant"


def test_question_wikidata(bundled_graph):
    found = {r["label"]: r["wikidata"] for r in rows(ask(bundled_graph, "wikidata"))}
    assert found["Meta"] == "wd:Q380"
    assert found["Yann LeCun"] == "wd:Q3571662"
    assert found["Mark Zuckerberg"] == "wd:Q36215"
    assert found["PyTorch"] == "wd:Q47509047"


def test_question_entity_types(bundled_graph):
    found = {r["type"]: int(r["entities"]) for r in rows(ask(bundled_graph, "entity-types"))}
    # The people: 扎克伯格, Yann LeCun, 林俊杰, Jim Fan. The companies: Meta, 苹果, 谷歌, 百度, 阿里, 英伟达, Adobe.
    assert found["Person"] == 4
    assert found["Company"] == 7
    typed = Counter(str(t)[len(str(KG._NS)):] for e in set(bundled_graph.subjects(KG.mentionedIn, None))
                    for t in bundled_graph.objects(e, namespace.RDF.type) if str(t).startswith(str(KG._NS)))
    assert found == dict(typed)


def test_question_events_between(bundled_graph):
    answer = ask(bundled_graph, "events-between", params=PARAMS["events-between"])
    assert {"from", "to"}.isdisjoint(answer.variables)
    found = {(r["date"], r["kind"], r["object"]) for r in rows(answer)}
    assert ("2023-02", "Release", "LLaMA") in found
    assert ("2023-03", "Layoff", "") in found
    assert ("2023-04-05", "OpenSourcing", "Segment Anything Model") in found
    assert ("2023-05", "OpenSourcing", "DINOv2") in found
    # Dated only "2023", or after June: not within the range.
    assert all(d != "2023" and "2023-01" <= d <= "2023-06-30" for d, _, _ in found)

    def dates(**params):
        return {r["date"] for r in rows(ask(bundled_graph, "events-between", params=params))}
    assert "2023-02" in dates(**{"from": "2023-02-01", "to": "2023-02-28"})     # a month ends on its last day
    assert "2023-02" not in dates(**{"from": "2023-02-01", "to": "2023-02-27"})
    assert dates(**{"from": "2015", "to": "2015"}) == {"2015"}                   # a year, as the article gives it
    assert "2022-11" in dates(**{"from": "2022-11", "to": "2022-11"})


def test_question_developers(bundled_graph):
    found = {(r["developer"], r["product"]) for r in rows(ask(bundled_graph, "developers"))}
    assert {("Meta", "PyTorch"), ("Meta", "LLaMA"), ("Google", "TensorFlow"), ("Stanford University", "Alpaca")} <= found


def test_question_mentions(bundled_graph):
    found = rows(ask(bundled_graph, "mentions"))
    assert found[0]["label"] == "Meta"
    counts = {r["label"]: int(r["mentions"]) for r in found}
    phrases = Counter(o for o in bundled_graph.objects(None, URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef")))
    assert counts["Meta"] == phrases[ID.meta]


def test_question_model_scores(bundled_graph):
    found = {(r["model"], r["benchmark"], r["score"]) for r in rows(ask(bundled_graph, "model-scores"))}
    # 它在ImageNet图像分类任务上的精度达到了86.5%,而当时最好的开源模型OpenClip只有80.1%
    assert found == {("DINOv2", "ImageNet", "86.5"), ("OpenCLIP", "ImageNet", "80.1")}


# ---------------------------------------------------------------- two engines, one answer


def _normal(term):
    """A term by its value: 15, 15.0 and "15"^^xsd:decimal are one number; "x" and "x"^^xsd:string one string."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, Literal):
        if term.datatype in (namespace.XSD.decimal, namespace.XSD.integer, namespace.XSD.double, namespace.XSD.float, namespace.XSD.nonNegativeInteger, namespace.XSD.int):
            return ("number", Decimal(str(term)).normalize())
        return ("literal", str(term), term.language, None if term.datatype == namespace.XSD.string else term.datatype)
    return ("iri", str(term))


@pytest.mark.parametrize("name", sorted(set(questions()) - CORPUS_QUESTIONS))
def test_rdflib_and_oxigraph_give_the_same_answer(name, bundled_graph, store):
    a = ask(bundled_graph, name, params=PARAMS.get(name))
    b = ask(store, name, params=PARAMS.get(name))
    assert a.variables == b.variables
    assert len(a.rows) > 0, f"{name} has no answer on the bundled article"
    assert Counter(tuple(map(_normal, r)) for r in a.rows) == Counter(tuple(map(_normal, r)) for r in b.rows)


def test_both_engines_agree_on_ask_and_construct(bundled_graph, store):
    for g in (bundled_graph, store):
        assert query(g, "ASK { id:vicuna kg:isBasedOn id:llama }").boolean is True
        assert query(g, "ASK { id:llama kg:isBasedOn id:vicuna }").boolean is False
    text = "CONSTRUCT { ?m kg:isBasedOn ?b } WHERE { ?m kg:isBasedOn ?b }"
    assert set(query(bundled_graph, text).triples) == set(query(store, text).triples)
    assert (ID.alpaca, KG.isBasedOn, ID.llama) in set(query(store, text).triples)


def test_max_rows_cuts_and_says_so(bundled_graph, store):
    for g in (bundled_graph, store):
        answer = query(g, "SELECT ?s WHERE { ?s a nif:Sentence }", max_rows=3)
        assert len(answer.rows) == 3 and answer.truncated
        assert not query(g, "SELECT ?s WHERE { ?s a kg:Layoff }", max_rows=3).truncated


# ---------------------------------------------------------------- parameters are bound, never pasted


@pytest.mark.parametrize("hostile", ['Meta" } UNION { ?s ?p ?o', "Meta> } #", "'; DROP ALL"])
def test_a_hostile_entity_label_is_only_a_label(hostile, bundled_graph):
    with pytest.raises(EntityError, match="no entity is labelled"):
        ask(bundled_graph, "evidence", params={"entity": hostile})


def test_parameters_are_typed_and_checked(bundled_graph):
    with pytest.raises(QueryError, match="not a date"):
        ask(bundled_graph, "events-between", params={"from": "2023-13-01", "to": "2023-12-31"})
    with pytest.raises(QueryError, match="not a date"):
        ask(bundled_graph, "events-between", params={"from": "2023-01-01) || true || (", "to": "2023"})
    with pytest.raises(QueryError, match="needs --param to="):
        ask(bundled_graph, "events-between", params={"from": "2023"})
    with pytest.raises(QueryError, match="takes no parameter 'who'"):
        ask(bundled_graph, "claims", params={"who": "Meta"})
    with pytest.raises(QueryError, match="no ready question"):
        ask(bundled_graph, "nonexistent")


def test_entities_resolve_by_label_alias_or_iri(bundled_graph, store):
    for g in (bundled_graph, store):
        assert resolve_entity(g, "扎克伯格") == ID["mark-zuckerberg"]           # an alias (skos:altLabel)
        assert resolve_entity(g, "MARK ZUCKERBERG") == ID["mark-zuckerberg"]
        assert resolve_entity(g, str(ID.meta)) == ID.meta
        assert resolve_entity(g, "  id:meta ") == ID.meta
        with pytest.raises(EntityError, match="no entity <"):
            resolve_entity(g, "https://example.org/nothing")


AMBIGUOUS = """
@prefix kg: <https://w3id.org/cnkg/ontology#> . @prefix id: <https://w3id.org/cnkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
id:apple-inc rdfs:label "Apple"@en ; skos:altLabel "苹果"@zh ; kg:mentionedIn id:doc ; kg:mentionCount 1 .
id:apple-fruit rdfs:label "苹果"@zh ; kg:mentionedIn id:doc ; kg:mentionCount 1 .
id:mercury-planet rdfs:label "Mercury"@en ; kg:mentionedIn id:doc ; kg:mentionCount 1 .
id:mercury-element rdfs:label "mercury"@en ; kg:mentionedIn id:doc ; kg:mentionCount 1 .
"""


def test_the_resolver_prefers_labels_to_aliases_and_refuses_ambiguous_names():
    g = Graph().parse(data=AMBIGUOUS, format="turtle")
    for engine in (g, to_store(g)):
        assert resolve_entity(engine, "苹果") == ID["apple-fruit"]        # its label beats Apple's alias
        assert resolve_entity(engine, "apple") == ID["apple-inc"]
        with pytest.raises(EntityError, match=r"'MERCURY' names 2 entities \(.*mercury-element, .*mercury-planet\)"):
            resolve_entity(engine, "MERCURY")


def test_syntax_errors_name_the_position(bundled_graph, store):
    for g in (bundled_graph, store):
        with pytest.raises(QueryError, match=r"syntax error at line 2, column \d+") as info:
            query(g, "SELECT ?s WHERE {\n  ?s kg:worksFor }")
        assert "\n" not in str(info.value)


# ---------------------------------------------------------------- output


def test_table_columns_line_up_with_chinese_text():
    from graph.query.results import to_table
    from graph.query.sparql import Answer

    answer = Answer("SELECT", ("who", "said", "n"), (
        (Literal("林俊杰", lang="zh"), Literal("亏损90%"), Literal("1", datatype=namespace.XSD.integer)),
        (Literal("Jim Fan", lang="en"), Literal("CV界的“GPT-3时刻”,可见这模型的含金量。"), None),
    ))
    assert to_table(answer, max_width=20).splitlines() == [
        "who      said                 n",
        "-------  -------------------  -",
        "林俊杰   亏损90%              1",
        "Jim Fan  CV界的“GPT-3时刻”,…",
        "(2 rows)",
    ]
    assert {display_width(line) for line in to_table(answer, max_width=20).splitlines()[:3]} == {31}


# ---------------------------------------------------------------- the command line


def test_kg_query_prints_a_table_csv_tsv_and_json(run_kg, trig):
    text = "SELECT ?model ?base WHERE { ?m kg:isBasedOn ?b ; rdfs:label ?model . ?b rdfs:label ?base } ORDER BY ?model"
    table = run_kg("query", trig, text)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == ["model", "base"] and "Alpaca" in table.stdout
    out = run_kg("query", trig, text, "--format", "csv")
    assert ["Alpaca", "LLaMA"] in list(csv.reader(io.StringIO(out.stdout)))
    out = run_kg("query", trig, text, "--format", "json", "--engine", "oxigraph")
    data = json.loads(out.stdout)
    assert data["head"]["vars"] == ["model", "base"]
    assert {"model": {"type": "literal", "value": "Alpaca", "xml:lang": "en"},
            "base": {"type": "literal", "value": "LLaMA", "xml:lang": "en"}} in data["results"]["bindings"]
    out = run_kg("query", trig.parent, text, "--format", "tsv")          # a folder of RDF files
    assert out.stdout.splitlines()[0] == "?model\t?base" and '"Alpaca"@en\t"LLaMA"@en' in out.stdout


def test_kg_query_construct_prints_turtle_and_reads_a_file(run_kg, trig, tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("CONSTRUCT { ?m kg:isBasedOn ?b } WHERE { ?m kg:isBasedOn ?b }", encoding="utf-8")
    out = run_kg("query", trig, "--file", q)
    assert out.returncode == 0, out.stderr
    g = Graph().parse(data=out.stdout, format="turtle")
    assert (ID.vicuna, KG.isBasedOn, ID.llama) in g


def test_kg_query_syntax_error_is_one_line_and_exit_2(run_kg, trig):
    out = run_kg("query", trig, "SELECT ?s WHERE { ?s kg:worksFor ")
    assert out.returncode == 2
    assert re.fullmatch(r"kg: error: SPARQL syntax error at line 1, column \d+: .+\n", out.stderr)
    assert out.stdout == ""


def test_kg_ask_lists_and_answers(run_kg, trig):
    out = run_kg("ask", "--list")
    assert out.returncode == 0
    for name in questions():
        assert re.search(rf"^{re.escape(name)}\b", out.stdout, re.M)
    assert "events-between --param from=… --param to=…" in out.stdout
    out = run_kg("ask", "events-between", trig, "--param", "from=2023-01-01", "--param", "to=2023-06-30")
    assert out.returncode == 0, out.stderr
    assert "2023-04-05" in out.stdout and "2023-09" not in out.stdout
    out = run_kg("ask", "layoffs", trig, "--format", "csv")
    assert "11000" in out.stdout and "10000" in out.stdout
    out = run_kg("ask", "events-between", trig, "--param", "from=2023")
    assert out.returncode == 2 and out.stderr.startswith("kg: error: events-between needs --param to=")


# ---------------------------------------------------------------- hostile queries


BASE = "https://w3id.org/cnkg/id/"


def _article(g) -> str:
    """The IRI of the article's named graph in the bundled graph (beside it: the entities graph)."""
    return next(str(c.identifier) for c in g.graphs() if len(c) and "/doc/" in str(c.identifier))


@pytest.mark.parametrize("text, services", [
    ("SELECT * WHERE { SERVICE <http://a.example/sparql> { ?s ?p ?o } }", ("http://a.example/sparql",)),
    ("select * where { service silent <http://a.example/> { ?s ?p ?o } }", ("http://a.example/",)),
    ("PREFIX e: <http://a.example/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }", ("http://a.example/sparql",)),
    ("BASE <http://a.example/x/> SELECT * WHERE { SERVICE <../sparql> { ?s ?p ?o } }", ("http://a.example/sparql",)),
    ("SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", (BASE + "sparql",)),
    ("SELECT * WHERE { ?s ?p ?o.SERVICE <http://a.example/> { ?s ?p ?o } }", ("http://a.example/",)),
    ("SELECT * WHERE { VALUES ?e { <http://a.example/> } SERVICE ?e { ?s ?p ?o } }", (None,)),
    ("SELECT * WHERE { SERVICE u:x { ?s ?p ?o } }", (None,)),                      # an unknown prefix
    ("SELECT * WHERE { FILTER(?a<?b)SERVICE?e#>\n{ ?s ?p ?o } }", (None,)),        # hidden in an "IRI"
    ("SELECT * WHERE { ?s ex:a.SERVICE ?o }", ()),                                 # a local name, not a keyword
    ('SELECT * WHERE { ?s ?p "SERVICE <http://a.example/>" } # SERVICE <http://b.example/>', ()),
    ("SELECT ?service WHERE { ?service a kg:Service }", ()),
])
def test_the_guard_finds_every_service_call(text, services):
    from graph.query.guard import scan

    assert scan(text, base_iri=BASE, prefixes={"ex": "http://ex.example/"}).services == services


def test_the_guard_refuses_deep_or_huge_queries_before_parsing():
    from graph.query.guard import MAX_DEPTH, MAX_TOKENS, scan

    ok = scan("SELECT * WHERE " + "{" * MAX_DEPTH + "}" * MAX_DEPTH, base_iri=BASE, prefixes={})
    assert ok.depth == MAX_DEPTH
    for text in ("SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1),
                 "ASK { FILTER(" + "[" * 3000 + "1" + "]" * 3000 + ") }"):
        with pytest.raises(QueryError, match="nests more than"):
            scan(text, base_iri=BASE, prefixes={})
    with pytest.raises(QueryError, match="tokens; at most"):
        scan("ASK { FILTER(" + "!" * MAX_TOKENS + "true) }", base_iri=BASE, prefixes={})
    assert scan('ASK { ?s ?p "((((((((((((((((((((((((((((((((((((" }', base_iri=BASE, prefixes={}).depth == 1


def test_service_is_refused_unless_its_host_is_allowed(bundled_graph, store):
    from graph.errors import QueryRefused

    text = "SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }"
    for g in (bundled_graph, store):
        with pytest.raises(QueryRefused, match=r"^SERVICE <http://10\.0\.0\.1/sparql>: queries may not call"):
            query(g, text)
        with pytest.raises(QueryRefused, match="on example.org only"):
            query(g, text, allow_service=["example.org"])
    with pytest.raises(QueryRefused, match="SERVICE"):     # rdflib reads \u escapes before parsing
        query(bundled_graph, r"SELECT * WHERE { \u0053ERVICE <http://10.0.0.1/> { ?s ?p ?o } }")


def test_from_names_the_dataset_on_both_engines(bundled_graph, store):
    article = _article(bundled_graph)
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    for g in (bundled_graph, store):
        assert int(query(g, count.format("")).rows[0][0]) == len(bundled_graph)
        assert int(query(g, count.format(f"FROM <{article}>")).rows[0][0]) == \
            len(bundled_graph.graph(URIRef(article)))
        assert int(query(g, count.format(f"FROM NAMED <{article}>")).rows[0][0]) == 0
    assert int(query(store, count.format("FROM <http://nothing.example/g>")).rows[0][0]) == 0
    with pytest.raises(QueryError, match="rdflib would download it"):
        query(bundled_graph, count.format("FROM <http://nothing.example/g>"))


def test_the_protocol_dataset_replaces_the_query_dataset(bundled_graph, store):
    article = _article(bundled_graph)
    text = "SELECT (COUNT(*) AS ?n) FROM <http://nothing.example/g> WHERE { ?s ?p ?o }"
    assert int(query(store, text, default_graph_uris=[article]).rows[0][0]) == len(bundled_graph.graph(URIRef(article)))
    assert int(query(store, text, named_graph_uris=[article]).rows[0][0]) == 0
    with pytest.raises(QueryError, match="need the Oxigraph engine"):
        query(bundled_graph, text, default_graph_uris=[article])


def test_relative_iris_resolve_against_the_entity_namespace(bundled_graph, store):
    for g in (bundled_graph, store):
        assert query(g, "ASK { <yann-lecun> kg:worksFor <meta> }").boolean is True


def test_a_time_limit_stops_waiting(store):
    started = time.monotonic()
    with pytest.raises(QueryError, match="ran past the time limit of 0.5 s"):
        query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", timeout=0.5)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_kg_query_refuses_deep_nesting_without_crashing(engine, run_kg, trig):
    for text in ("SELECT * WHERE " + "{" * 3000 + "}" * 3000, "ASK { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"):
        out = run_kg("query", trig, text, "--engine", engine)
        assert out.returncode == 2, f"exit {out.returncode}: {out.stderr[-300:]}"
        assert out.stderr == "kg: error: the query nests more than 32 brackets deep; at most 32 are allowed\n"
    out = run_kg("query", trig, "ASK { FILTER(" + "!" * 20000 + "true) }", "--engine", "oxigraph")
    assert out.returncode == 0 and out.stdout == "true\n"      # 20,000 operators deep: answered, no crash


def test_kg_query_stops_at_its_time_limit(run_kg, trig):
    started = time.monotonic()
    out = run_kg("query", trig, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                 "--engine", "oxigraph", "--timeout", "1")
    assert out.returncode == 2 and out.stderr == "kg: error: the query ran past the time limit of 1 s (--timeout)\n"
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("option", [("--timeout", "nan"), ("--timeout", "inf"), ("--timeout", "0"),
                                    ("--timeout", "1e300"), ("--allow-service", "http://example.org/x")])
def test_kg_query_options_are_checked(option, run_kg, trig):
    out = run_kg("query", trig, "ASK {}", *option)
    assert out.returncode == 2
    assert re.fullmatch(rf"kg: error: {re.escape(option[0])} .+\n", out.stderr), out.stderr


def test_kg_query_file_that_is_not_utf8_is_one_line(run_kg, trig, tmp_path):
    q = tmp_path / "q.rq"
    q.write_bytes("SELECT * WHERE { ?s rdfs:label \"扎克伯格\" }".encode("gb18030"))
    out = run_kg("query", trig, "--file", q)
    assert out.returncode == 2
    assert re.fullmatch(r"kg: error: .*q\.rq: not UTF-8 text \(byte \d+ cannot be decoded\)\n", out.stderr)


HOSTILE_LABEL = "Meta\x1b]0;pwned\x07\x9b2J\u202egnp.exe"


@pytest.fixture(scope="module")
def hostile_trig(bundled_graph, tmp_path_factory):
    """The bundled graph with Meta's English label full of terminal controls."""
    from rdflib import Dataset

    from graph.rdf.io import serialize

    hostile = Dataset()
    for s, p, o, c in bundled_graph.quads((None, None, None, None)):
        if not (s == ID.meta and p == namespace.RDFS.label and getattr(o, "language", None) == "en"):
            hostile.add((s, p, o, c))
    hostile.add((ID.meta, namespace.RDFS.label, Literal(HOSTILE_LABEL, lang="en"), URIRef(_article(bundled_graph))))
    path = tmp_path_factory.mktemp("hostile") / "hostile.trig"
    path.write_bytes(serialize(hostile, "trig"))
    return path


def test_tables_escape_terminal_controls_from_the_graph(run_kg, hostile_trig):
    for out in (run_kg("query", hostile_trig, "SELECT ?l WHERE { id:meta rdfs:label ?l FILTER(LANG(?l) = 'en') }"),
                run_kg("ask", "layoffs", hostile_trig)):
        assert out.returncode == 0, out.stderr
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out.stdout), repr(out.stdout)
        assert r"Meta\x1b]0;pwned\x07\x9b2J\u202egnp.exe" in out.stdout
    data = json.loads(run_kg("query", hostile_trig, "SELECT ?l WHERE { id:meta rdfs:label ?l FILTER(LANG(?l) = 'en') }",
                             "--format", "json").stdout)
    assert data["results"]["bindings"][0]["l"]["value"] == HOSTILE_LABEL     # data formats keep the text exactly
