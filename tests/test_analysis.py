"""networkx analysis of the bundled article: the entity graph, rankings, communities, chains, export."""
from __future__ import annotations

import inspect
import json

import networkx as nx
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import XSD

import graph
from graph.analysis import (AnalysisError, analyze, communities, entity_node, export, rank, shortest_chain,
                            to_networkx)
from graph.analysis.convert import literal_number
from graph.analysis.measures import pagerank
from graph.cli import main
from graph.errors import InputError, OutputError
from graph.rdf.namespaces import ID, KG, NIF

META, LLAMA, LECUN = str(ID.meta), str(ID.llama), str(ID["yann-lecun"])


@pytest.fixture(scope="module")
def G(bundled_graph):
    return to_networkx(bundled_graph)


def test_to_networkx_is_public_with_a_stable_signature():
    assert graph.to_networkx is to_networkx
    assert "to_networkx" in graph.__all__
    params = inspect.signature(to_networkx).parameters
    assert list(params) == ["g", "fold_events", "include_concepts"]
    assert params["fold_events"].default is True and params["include_concepts"].default is False


def test_nodes_are_entity_iris_with_labels_type_and_wikidata(G):
    assert all(isinstance(n, str) and n.startswith(str(ID)) for n in G)
    assert G.nodes[LECUN] == {"label": "Yann LeCun", "label_zh": "杨立昆", "label_en": "Yann LeCun",
                              "type": "Person", "wikidata": "Q3571662", "kind": "entity"}
    assert G.nodes[LLAMA]["type"] == "AIModel" and G.nodes[LLAMA]["wikidata"] is None
    # Names only the article gives have a Chinese label only.
    assert any(d["label_en"] is None and d["label"] == d["label_zh"] for _, d in G.nodes(data=True))


def test_edges_carry_property_label_evidence_and_offsets(G, bundled_graph):
    text = str(next(bundled_graph.objects(None, NIF.isString)))
    works = G.get_edge_data(LECUN, META)["worksFor"]
    assert (works["property"], works["label"], works["kind"], works["event"]) == ("worksFor", "works for", "relation", None)
    assert works["evidence"] and "Yann LeCun" in works["evidence"][0]
    for _, _, data in G.edges(data=True):
        assert data["evidence"], "every edge has its evidence"
        for sentence, (begin, end) in zip(data["evidence"], data["offsets"]):
            assert text[begin:end] == sentence


def test_events_fold_into_labelled_edges_between_participants(G):
    released = [d for d in G.get_edge_data(META, str(ID.pytorch)).values() if d["kind"] == "event"]
    assert [(d["property"], d["label"], d["date"]) for d in released] == [("OpenSourcing", "open-sourcing", "2015")]
    assert released[0]["event"].startswith("https://w3id.org/cnkg/doc/")
    claims = [d for _, _, d in G.out_edges(str(ID["jj-lin"]), data=True) if d["kind"] == "claim"]
    assert claims and claims[0]["label"] == "claim"


def test_unfolded_events_are_nodes_with_role_edges(bundled_graph):
    H = to_networkx(bundled_graph, fold_events=False)
    layoffs = [n for n, d in H.nodes(data=True) if d["type"] == "Layoff"]
    assert len(layoffs) == 2 and all(H.nodes[n]["kind"] == "event" for n in layoffs)
    assert {H.get_edge_data(n, META)["agent"]["label"] for n in layoffs} == {"agent"}


def test_concepts_are_left_out_unless_asked_for(G, bundled_graph):
    metaverse = str(ID.metaverse)
    assert metaverse not in G
    with_concepts = to_networkx(bundled_graph, include_concepts=True)
    assert with_concepts.nodes[metaverse]["type"] == "Concept"
    assert len(with_concepts) > len(G)


def test_rankings_put_meta_first(G):
    assert rank(G, by="degree")[0].label == "Meta"
    ranked = rank(G, by="pagerank")
    assert ranked[0].label == "Meta"
    assert abs(sum(r.score for r in ranked) - 1) < 1e-4
    assert rank(G, by="pagerank") == ranked, "the ranking repeats"
    with pytest.raises(ValueError):
        rank(G, by="fame")


def test_pagerank_matches_the_definition():
    cycle = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    assert all(abs(s - 1 / 3) < 1e-9 for s in pagerank(cycle).values())
    star = nx.DiGraph([("x", "hub"), ("y", "hub"), ("z", "hub")])
    scores = pagerank(star)
    assert max(scores, key=scores.get) == "hub" and abs(sum(scores.values()) - 1) < 1e-9


def test_communities_are_stable_and_meaningful(G):
    groups = communities(G, seed=0)
    assert groups == communities(G, seed=0)
    group_of = {node: frozenset(c) for c in groups for node in c}
    # a model falls in with the people who made it: 斯坦福 … Alpaca, 伯克利 … Vicuna, LeCun at FAIR
    assert str(ID.stanford) in group_of[str(ID.alpaca)] and str(ID["uc-berkeley"]) in group_of[str(ID.vicuna)]
    assert str(ID.fair) in group_of[str(ID["yann-lecun"])] and str(ID.meta) in group_of[LLAMA]
    assert sum(len(c) for c in groups) == len(G) - nx.number_of_isolates(G)


def test_analyze_counts(G):
    result = analyze(G, top=5)
    assert result.counts["entities"] == len(G) and result.counts["edges"] == G.number_of_edges()
    assert result.counts["entities_by_type"]["Person"] == 4
    assert set(result.counts["edges_by_kind"]) <= {"relation", "event", "claim"}
    assert len(result.degree) == len(result.pagerank) == 5
    json.dumps(result.to_dict())


def test_shortest_chain_with_evidence(G):
    steps = shortest_chain(G, LECUN, ID.vicuna)          # an rdflib IRI is as good as the str node
    assert [str(s) for s in steps] == ["Yann LeCun —works for→ Meta", "Meta ←developer— LLaMA",
                                       "LLaMA ←based on— Vicuna"]
    assert all(s.evidence for s in steps)
    assert "Vicuna" in steps[-1].evidence[0]
    assert entity_node(G, ID["yann-lecun"]) == LECUN
    with pytest.raises(AnalysisError, match="no chain links"):
        shortest_chain(G, ID["jj-lin"], META)          # 林俊杰 and Decentraland stand apart
    with pytest.raises(AnalysisError, match="concepts are left out"):
        shortest_chain(G, ID.metaverse, META)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_export_for_gephi(suffix, G, tmp_path):
    out = tmp_path / f"meta{suffix}"
    export(G, out)
    H = nx.read_graphml(out) if suffix == ".graphml" else nx.read_gexf(out)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.nodes[META]["label"] == "Meta"
    assert H.nodes[META]["type"] == "Company"
    edge = H.get_edge_data(LECUN, META)
    assert float(edge["weight"]) == 1 and "works for" in edge["label"]
    assert max(float(d["weight"]) for _, _, d in H.edges(data=True)) > 1, "parallel edges are merged into weights"


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_export_is_the_same_bytes_on_another_day_and_writes_no_empty_values(suffix, G, tmp_path, monkeypatch):
    import time

    outputs = []
    for day in ("2023-01-01", "2031-12-31"):
        monkeypatch.setattr(time, "strftime", lambda fmt, *args, day=day: day)
        out = tmp_path / day / f"meta{suffix}"
        export(G, out)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and b"2023-01-01" not in outputs[0]
    assert not [(n, k) for n, data in (nx.read_graphml if suffix == ".graphml" else nx.read_gexf)(out).nodes(data=True)
                for k, v in data.items() if v == ""]
    assert any(v is None for _, data in G.nodes(data=True) for v in data.values()), "the graph has a missing value"


def test_export_refuses_an_unknown_format_and_writes_nothing(G, tmp_path):
    with pytest.raises(OutputError, match="unknown graph format"):
        export(G, tmp_path / "meta.png")
    assert list(tmp_path.iterdir()) == []


def test_kg_analyze_path_and_export(run_kg, trig, tmp_path):
    out = run_kg("analyze", trig)
    assert out.returncode == 0, out.stderr
    assert "top 10 by PageRank" in out.stdout and "communities (Louvain, seed 0)" in out.stdout
    assert out.stdout.split("top 10 by degree\n")[1].splitlines()[0].split()[-2:] == ["Meta", "(Company)"]
    data = json.loads(run_kg("analyze", trig, "--format", "json", "--top", "3").stdout)
    assert data["degree"][0]["label"] == "Meta" and len(data["pagerank"]) == 3

    out = run_kg("path", trig, "扎克伯格", "Alpaca")                  # an alias and a label
    assert out.returncode == 0, out.stderr
    assert "Mark Zuckerberg ←founder— Meta" in out.stdout and "LLaMA ←based on— Alpaca" in out.stdout
    assert "斯坦福的Alpaca" in out.stdout                               # the evidence sentence of the step

    gexf = tmp_path / "meta.gexf"
    out = run_kg("export", trig, "-o", gexf)
    written = nx.read_gexf(gexf)
    assert out.returncode == 0 and written.number_of_nodes() > 30
    # the summary counts what the file holds (parallel edges merged)
    assert f"({written.number_of_nodes()} entities, {written.number_of_edges()} edges)" in out.stdout

    out = run_kg("path", trig, "Meta", "元宇宙")
    assert out.returncode == 2 and out.stderr.startswith("kg: error: ") and out.stderr.count("\n") == 1


# ------------------------------------------------------------------ graphs with malformed literals

def _malformed(bundled_graph, prop, tmp_path) -> tuple:
    """The bundled graph as N-Triples with a value of `prop` replaced by "abc" (datatype kept)."""
    g = Graph()
    for s, p, o, _ in bundled_graph.quads((None, None, None, None)):
        g.add((s, p, o))
    evidence = set(g.objects(None, KG.evidence))    # offsets matter where they point into a fact's sentence
    subject, value = next((s, o) for s, o in sorted(g.subject_objects(prop)) if prop not in NIF or s in evidence)
    g.remove((subject, prop, value))
    g.add((subject, prop, Literal("abc", datatype=value.datatype)))
    path = tmp_path / "malformed.nt"
    path.write_bytes(g.serialize(format="nt", encoding="utf-8"))
    return path, subject


@pytest.mark.parametrize("command, prop", [(command, NIF.beginIndex) for command in ("view", "analyze", "export", "path")]
                         + [("view", KG.amount), ("analyze", KG.amount), ("view", NIF.endIndex)])
def test_a_malformed_literal_is_a_one_line_error(command, prop, bundled_graph, tmp_path, capsys):
    path, subject = _malformed(bundled_graph, prop, tmp_path)
    args = {"view": ["view", path, "-o", tmp_path / "out.html"], "analyze": ["analyze", path],
            "export": ["export", path, "-o", tmp_path / "out.graphml"], "path": ["path", path, "Meta", "LLaMA"]}
    status = main([str(a) for a in args[command]])
    err = capsys.readouterr().err
    if prop in (NIF.beginIndex, NIF.endIndex) or (command == "view"):
        # every command reads evidence offsets; only the viewer shows an event's figures
        assert status == 2, err
        assert err.count("\n") == 1 and err.startswith("kg: error: ") and f"<{subject}>" in err and "'abc'" in err
    else:
        assert status == 0 and err == ""


def test_the_number_reader_refuses_what_is_not_a_finite_number():
    assert literal_number(Literal("11000.0", datatype=XSD.decimal), ID.x, KG.count) == 11000
    for value in (Literal("abc", datatype=XSD.decimal), Literal("Infinity", datatype=XSD.decimal), ID.x):
        with pytest.raises(InputError, match="not a number"):
            literal_number(value, ID.x, KG.count)
