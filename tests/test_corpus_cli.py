"""`kg stories`, `kg conflicts` and `kg corpus` on RDF files and on an Oxigraph store: the same answers."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import graph
from graph.query.sparql import to_store
from graph.rdf.io import serialize

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "graph" / "data" / "meta-2023.txt"
PYTORCH = REPO / "tests" / "data" / "stories" / "pytorch-2016.txt"
LAYOFFS = REPO / "tests" / "data" / "stories" / "meta-layoffs.txt"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """The bundled article, an independent PyTorch history (2016) and a layoffs report, as a TriG
    file and as an on-disk Oxigraph store."""
    folder = tmp_path_factory.mktemp("corpus")
    g = graph.build(BUNDLED, PYTORCH, LAYOFFS)
    trig = folder / "corpus.trig"
    trig.write_bytes(serialize(g, "trig"))
    store = to_store(g, str(folder / "store"))
    store.flush()
    del store                          # closed: `kg` opens it read-only in another process
    return trig, folder / "store"


def test_kg_conflicts_on_files_and_on_a_store(run_kg, corpus):
    trig, store = corpus
    on_file, on_store = run_kg("conflicts", trig), run_kg("conflicts", store)
    assert on_file.returncode == 0 and on_store.returncode == 0, on_file.stderr + on_store.stderr
    assert on_file.stdout == on_store.stdout
    lines = on_file.stdout.splitlines()
    assert lines[0] == "3 conflicts: 1 between independent stories, 0 between copies of one story, 2 with reference facts"
    assert "PyTorch · OpenSourcing · date · different date · independent stories" in lines
    assert "DINOv2 · OpenSourcing · date · different date · reference fact" in lines
    block = lines[lines.index("PyTorch · OpenSourcing · date · different date · independent stories"):][:5]
    assert block[1].split()[0] == "2015" and "“2015年,Meta开源了PyTorch这玩意儿深厚度学框架。”" in block[2]
    assert block[3].split()[0] == "2016" and "PyTorch走过的七年" in block[3]
    assert "“2016年，Facebook开源了PyTorch深度学习框架。”" in block[4]
    assert "  2016-09/2017-01   reference: http://www.wikidata.org/entity/Q47509047, Wikidata P577" in lines


def test_kg_conflicts_as_json(run_kg, corpus):
    trig, store = corpus
    data = json.loads(run_kg("conflicts", trig, "--format", "json").stdout)
    assert data == json.loads(run_kg("conflicts", store, "--format", "json").stdout)
    independent = [c for c in data if c["independent"]]
    assert len(data) == 3 and len(independent) == 1
    sides = independent[0]["sides"]
    assert [s["value"] for s in sides] == ["2015", "2016"]
    assert all(s["sentence"] and s["article"].startswith("https://w3id.org/cnkg/doc/") for s in sides)
    reference = [c["sides"][1] for c in data if c["independent"] is None]
    assert {r["source"] for r in reference} == {"http://www.wikidata.org/entity/Q47509047",
                                                 "https://arxiv.org/abs/2304.07193"}


def test_kg_stories_on_files_and_on_a_store(run_kg, corpus):
    trig, store = corpus
    on_file, on_store = run_kg("stories", trig), run_kg("stories", store)
    assert on_file.returncode == 0 and on_file.stdout == on_store.stdout
    assert on_file.stdout.splitlines()[0] == "3 stories, 3 articles"
    data = json.loads(run_kg("stories", store, "--format", "json").stdout)
    titles = sorted(a["title"] for s in data for a in s["articles"])
    assert [t[:6] for t in titles] == ["Meta两轮", "PyTorc", "去年股价跌去"]


def test_kg_corpus_writes_a_graph_that_validates_and_answers_the_ready_questions(run_kg, corpus, tmp_path):
    trig, store = corpus
    out = tmp_path / "corpus-graph.trig"
    proc = run_kg("corpus", store, "-o", out)
    assert proc.returncode == 0 and proc.stdout.startswith(f"wrote {out}"), proc.stderr
    assert "<https://w3id.org/cnkg/graph/corpus>" in out.read_text(encoding="utf-8")
    assert run_kg("validate", trig, out).returncode == 0
    conflicts = run_kg("ask", "conflicts", trig, out, "--format", "csv")
    assert conflicts.returncode == 0, conflicts.stderr
    rows = list(csv.reader(io.StringIO(conflicts.stdout)))[1:]
    assert {r[0] for r in rows} == {"DifferentDate", "confirmed"}
    assert sum(r[0] == "DifferentDate" for r in rows) == 3
    support = run_kg("ask", "support", trig, out, "--param", "entity=Meta", "--format", "csv")
    assert support.returncode == 0, support.stderr
    header, *rows = csv.reader(io.StringIO(support.stdout))
    assert header == ["name", "kind", "stories", "articles", "sentence", "fact"]
    assert ["Meta", "Layoff", "2", "2"] in [r[:4] for r in rows]


def test_a_missing_corpus_is_one_line_and_exit_2(run_kg, tmp_path):
    for command in ("stories", "conflicts"):
        proc = run_kg(command, tmp_path / "nothing.trig")
        assert proc.returncode == 2
        assert proc.stderr.strip().count("\n") == 0 and "no such file" in proc.stderr
    proc = run_kg("corpus", tmp_path / "nothing.trig", "-o", tmp_path / "out.trig")
    assert proc.returncode == 2 and not (tmp_path / "out.trig").exists()


@pytest.mark.parametrize("command", ["stories", "conflicts", "corpus"])
def test_corpus_commands_have_help(run_kg, command):
    proc = run_kg(command, "--help")
    assert proc.returncode == 0 and proc.stdout.startswith(f"usage: kg {command}") and proc.stderr == ""
    assert "GRAPH|STORE" in proc.stdout
