"""Corpus builds: folders and lists into a persistent store, incrementally, in parallel, on Dask.

Real articles (the bundled one and held-out ones, which share entities such as Meta and Google),
real `kg` processes, real Oxigraph stores on disk.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.ingest import build_corpus, extract_article, list_inputs
from graph.query import kept
from graph.query.kept import answer_on_store, dated_between, kept_answer
from graph.query.questions import ask, questions
from graph.query.sparql import to_store
from graph.rdf.entity_index import INDEX_FILE
from graph.rdf.io import load_graph, open_graph
from graph.rdf.store import CorpusStore, open_store

REPO = Path(__file__).resolve().parents[1]
ARTICLES = [REPO / "graph" / "data" / "meta-2023.txt", REPO / "tests" / "data" / "heldout" / "a-chips.txt",
            REPO / "tests" / "data" / "heldout2" / "e-apple-spun.txt"]
# parameters for the questions that need one
PARAMS = {"entity-figures": {"entity": "Meta"}, "evidence": {"entity": "Meta"},
          "events-between": {"from": "2023-01-01", "to": "2023-12-31"}}


def _corpus(folder: Path, articles=ARTICLES) -> Path:
    """A folder of articles, one in a subfolder (folders are read recursively)."""
    for i, article in enumerate(articles):
        target = folder / ("nested" if i == 0 else "") / article.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(article, target)
    return folder


def _dump(store_path: Path) -> list[bytes]:
    """Every quad of a store as sorted N-Quads lines, then its entity index's rows (for comparing stores)."""
    store = open_store(store_path, read_only=True).oxigraph
    with closing(sqlite3.connect(store_path / INDEX_FILE)) as index:
        rows = sorted(json.dumps(row, ensure_ascii=False).encode() for row in index.execute("SELECT * FROM facts"))
    assert rows, "the entity index is empty"
    return sorted(ox.serialize(store, format=ox.RdfFormat.N_QUADS).split(b"\n")) + rows


@pytest.fixture(scope="module")
def built(tmp_path_factory, run_kg) -> dict[str, Path]:
    """The three articles built by `kg build` into a store (two jobs) and into one TriG file."""
    tmp = tmp_path_factory.mktemp("corpus")
    folder = _corpus(tmp / "articles")
    store, trig = tmp / "store", tmp / "corpus.trig"
    proc = run_kg("build", folder, "--store", store, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert "articles 3 (built 3, unchanged 0, failed 0)" in proc.stdout, proc.stdout
    proc = run_kg("build", folder, "-o", trig, "--quiet")
    assert proc.returncode == 0, proc.stderr
    return {"folder": folder, "store": store, "trig": trig}


# conflicts and support read the corpus graph (`kg corpus`): tests/test_corpus_questions.py runs them
@pytest.mark.parametrize("name", sorted(set(questions()) - {"conflicts", "support"}))
def test_every_ready_question_gives_the_same_rows_on_a_store_and_on_files(name, built):
    files = load_graph(built["trig"])
    store = open_graph(built["store"])
    assert isinstance(store, ox.Store)
    params = PARAMS.get(name)
    expected = ask(files, name, params=params).rows
    assert expected, f"{name} answers nothing on three articles"
    assert ask(store, name, params=params).rows == expected, "Oxigraph on the store differs from rdflib on the file"
    assert ask(to_store(files), name, params=params).rows == expected, "Oxigraph on the file differs from rdflib"
    assert answer_on_store(built["store"], name, params=params).rows == expected, "kg ask's answer (kept) differs"


def test_events_between_on_a_store_are_the_kept_timeline_rows_that_the_query_would_give(built):
    store = open_graph(built["store"])      # the query asked of the store itself
    timeline = kept_answer(built["store"], "timeline")
    answered = set()
    # days, months and years as bounds; a leap day; ranges that cut a month or a year in two
    for first, last in [("2023-01-01", "2023-06-30"), ("2023", "2023"), ("2022-02", "2023-02"), ("2015", "2030"),
                        ("2023-03-01", "2023-03-31"), ("2023-02-15", "2023-12"), ("2024-02-29", "2024-03")]:
        expected = ask(store, "events-between", params={"from": first, "to": last}).rows
        assert dated_between(timeline, first, last).rows == expected, (first, last)
        answered.add(len(expected))
    assert len(answered) >= 4, "the ranges should select different rows"


ENTITY_QUESTIONS = ("entity-figures", "evidence")


def _entities(store: ox.Store) -> list[str]:
    return sorted({q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None,
        ox.NamedNode("https://w3id.org/cnkg/graph/entities"))})


def test_the_entity_questions_on_a_store_are_made_from_its_entity_index_as_their_queries_give_them(built, tmp_path):
    # a copy, where one entity gets a second English label, and another one has a Chinese one only:
    # the relations naming them must show one row per English label, or the Chinese one
    copy = tmp_path / "store"
    shutil.copytree(built["store"], copy)
    writer = open_store(copy)
    db, label = writer.oxigraph, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    entities_graph = ox.NamedNode("https://w3id.org/cnkg/graph/entities")
    adobe, pytorch = ox.NamedNode("https://w3id.org/cnkg/id/adobe"), ox.NamedNode("https://w3id.org/cnkg/id/pytorch")
    db.add(ox.Quad(adobe, label, ox.Literal("Adobe Inc.", language="en"), entities_graph))
    for q in list(db.quads_for_pattern(pytorch, label, None, entities_graph)):
        db.remove(q)
    db.add(ox.Quad(pytorch, label, ox.Literal("火炬", language="zh"), entities_graph))
    writer.flush()
    del writer, db

    store = open_graph(copy)
    rows = {name: 0 for name in ENTITY_QUESTIONS}
    for entity in _entities(store):
        for name in ENTITY_QUESTIONS:
            expected = ask(store, name, params={"entity": entity})
            answer = answer_on_store(copy, name, params={"entity": entity})
            assert (answer.variables, answer.rows) == (expected.variables, expected.rows), (name, entity)
            rows[name] += len(expected.rows)
    assert rows["entity-figures"] > 20 and rows["evidence"] > 200
    whats = {str(row[1]) for row in answer_on_store(copy, "evidence", params={"entity": "Meta"}).rows}
    assert {"developer ← 火炬", "partner → Adobe", "partner → Adobe Inc."} <= whats, whats


def test_kg_ask_reads_the_entity_index_made_for_the_text_of_the_question(built, tmp_path, run_kg, monkeypatch):
    copy = tmp_path / "store"
    shutil.copytree(built["store"], copy)
    # a row changed in the index shows in kg ask's answer
    with closing(sqlite3.connect(copy / INDEX_FILE)) as index, index:
        (figures,) = index.execute("SELECT figures FROM facts WHERE entity = ? AND figures != '[]' LIMIT 1",
                                   ("https://w3id.org/cnkg/id/meta",)).fetchone()
        changed = json.loads(figures)
        changed[0][7] = "改过的句子"
        index.execute("UPDATE facts SET figures = ? WHERE figures = ?", (json.dumps(changed), figures))
    proc = run_kg("ask", "entity-figures", copy, "--param", "entity=Meta", "--format", "csv")
    assert proc.returncode == 0 and "改过的句子" in proc.stdout, proc.stdout + proc.stderr
    # the index answers the texts its rules were written for, and those are the questions' texts
    assert all(kept._INDEXED[name] == kept._question_hash(name) for name in ENTITY_QUESTIONS), \
        "a question's text changed: make its answer from the index by the new text's rules, then update _INDEXED"
    monkeypatch.setitem(kept._INDEXED, "entity-figures", "another text")
    asked = answer_on_store(copy, "entity-figures", params={"entity": "Meta"})
    assert asked.rows == ask(open_graph(built["store"]), "entity-figures", params={"entity": "Meta"}).rows
    assert "改过的句子" not in {str(v) for row in asked.rows for v in row}


def test_a_store_made_without_an_entity_index_is_asked_and_never_gets_a_partial_one(built, tmp_path, run_kg):
    copy = tmp_path / "store"
    shutil.copytree(built["store"], copy)
    (copy / INDEX_FILE).unlink()
    expected = ask(open_graph(built["store"]), "evidence", params={"entity": "Meta"}).rows
    assert answer_on_store(copy, "evidence", params={"entity": "Meta"}).rows == expected
    (built["folder"] / "extra").mkdir(exist_ok=True)
    shutil.copy(REPO / "tests" / "data" / "heldout" / "b-ailab-spun.txt", built["folder"] / "extra" / "b.txt")
    try:
        proc = run_kg("build", built["folder"], "--store", copy, "--quiet")
    finally:
        shutil.rmtree(built["folder"] / "extra")
    assert proc.returncode == 0, proc.stderr
    assert not (copy / INDEX_FILE).exists(), "an index of the new article alone would give partial answers"


def test_removing_an_article_drops_its_rows_from_the_entity_index(built, tmp_path, run_kg):
    copy = tmp_path / "store"
    shutil.copytree(built["store"], copy)
    article = open_store(copy, read_only=True).find_article(str(built["folder"] / ARTICLES[1].name))
    count = "SELECT COUNT(*) FROM facts WHERE article = ?"
    with closing(sqlite3.connect(copy / INDEX_FILE)) as index:
        assert index.execute(count, (article,)).fetchone()[0] > 10
    assert run_kg("remove", copy, built["folder"] / ARTICLES[1].name).returncode == 0
    with closing(sqlite3.connect(copy / INDEX_FILE)) as index:
        assert index.execute(count, (article,)).fetchone()[0] == 0
    for name in ENTITY_QUESTIONS:
        assert answer_on_store(copy, name, params={"entity": "Meta"}).rows == \
            ask(open_graph(copy), name, params={"entity": "Meta"}).rows


def test_an_entity_is_described_once_however_many_articles_name_it(built):
    store = open_graph(built["store"])
    meta = ox.NamedNode("https://w3id.org/cnkg/id/meta")
    types = list(store.quads_for_pattern(meta, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None))
    articles = list(store.quads_for_pattern(meta, ox.NamedNode("https://w3id.org/cnkg/ontology#mentionedIn"), None))
    assert len(types) == 1 and types[0].graph_name.value == "https://w3id.org/cnkg/graph/entities"
    # said by each article that names Meta (two of the three), each in its own graph
    assert len(articles) == 2 and all(q.graph_name == q.object for q in articles)


def test_a_rerun_on_an_unchanged_folder_builds_nothing(built, run_kg):
    before = _dump(built["store"])
    proc = run_kg("build", built["folder"], "--store", built["store"])
    assert proc.returncode == 0, proc.stderr
    assert "built 0, unchanged 3, failed 0" in proc.stdout
    assert _dump(built["store"]) == before


def test_a_grown_folder_builds_only_the_new_file_and_a_changed_file_replaces_its_article(tmp_path, run_kg):
    folder = _corpus(tmp_path / "articles", ARTICLES[:2])
    store = tmp_path / "store"
    assert run_kg("build", folder, "--store", store, "--jobs", "1").returncode == 0
    shutil.copy(ARTICLES[2], folder / ARTICLES[2].name)
    proc = run_kg("build", folder, "--store", store, "--jobs", "1")
    assert "articles 3 (built 1, unchanged 2, failed 0)" in proc.stdout, proc.stdout + proc.stderr

    changed = folder / ARTICLES[1].name
    old_article = open_store(store, read_only=True).sources()[str(changed.resolve())][1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n另据报道，英伟达宣布与台积电合作。\n", encoding="utf-8")
    proc = run_kg("build", folder, "--store", store, "--jobs", "1")
    assert "articles 3 (built 1, unchanged 2, failed 0)" in proc.stdout, proc.stdout + proc.stderr
    reopened = open_store(store, read_only=True)
    assert old_article not in reopened.articles()
    assert reopened.sources()[str(changed.resolve())][1] in reopened.articles()


def test_a_bad_file_is_reported_on_one_line_and_the_rest_is_built(tmp_path, run_kg):
    folder = _corpus(tmp_path / "articles", ARTICLES[:2])
    (folder / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    proc = run_kg("build", folder, "--store", tmp_path / "store", "--jobs", "2")
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1 and "broken.txt" in errors[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert "articles 2 (built 2, unchanged 0, failed 1)" in proc.stdout


def test_paths_come_from_a_list_file_or_stdin(tmp_path, run_kg):
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(str(p) for p in ARTICLES[:2]) + "\n", encoding="utf-8")
    proc = run_kg("build", "--from-list", listing, "--store", tmp_path / "a", "--jobs", "1")
    assert "articles 2 (built 2" in proc.stdout, proc.stdout + proc.stderr
    proc = subprocess.run([sys.executable, "-m", "graph.cli", "build", "--from-list", "-", "--store",
                           str(tmp_path / "b"), "--jobs", "1"], input=str(ARTICLES[2]) + "\n", capture_output=True,
                          text=True, cwd=REPO)
    assert "articles 1 (built 1" in proc.stdout, proc.stdout + proc.stderr


def test_inputs_are_listed_recursively_once_each(tmp_path):
    folder = _corpus(tmp_path / "articles")
    (folder / "notes.pdf").write_text("not an article")
    found = list_inputs([folder, folder / ARTICLES[1].name])
    assert found == sorted(found) and all(Path(p).is_absolute() for p in found)
    assert sorted(Path(p).name for p in found) == sorted(a.name for a in ARTICLES)


def test_removing_an_article_drops_its_graph_and_entities_only_it_named(tmp_path, run_kg):
    folder = _corpus(tmp_path / "articles", ARTICLES[:2])
    store = tmp_path / "store"
    assert run_kg("build", folder, "--store", store, "--jobs", "1").returncode == 0
    chips = folder / ARTICLES[1].name
    before = open_store(store, read_only=True)
    article = before.sources()[str(chips.resolve())][1]
    only_chips = [row["e"] for row in before.oxigraph.query(
        f"SELECT ?e WHERE {{ ?e kg:mentionedIn <{article}> FILTER NOT EXISTS {{ ?e kg:mentionedIn ?other "
        f"FILTER(?other != <{article}>) }} }}", prefixes={"kg": "https://w3id.org/cnkg/ontology#"},
        use_default_graph_as_union=True)]
    assert only_chips
    del before
    proc = run_kg("remove", store, chips)
    assert proc.returncode == 0, proc.stderr
    after = open_store(store, read_only=True)
    assert len(after.articles()) == 1 and str(chips.resolve()) not in after.sources()
    meta = ox.NamedNode("https://w3id.org/cnkg/id/meta")
    assert next(after.oxigraph.quads_for_pattern(meta, None, None), None) is not None, "Meta is named by the other"
    assert all(next(after.oxigraph.quads_for_pattern(e, None, None), None) is None for e in only_chips)
    proc = run_kg("remove", store, "doc:ffffffffffff")
    assert proc.returncode == 2 and proc.stderr.startswith("kg: error:")


def test_answers_kept_at_build_time_are_what_kg_ask_reads_and_follow_every_write(tmp_path, run_kg):
    folder = _corpus(tmp_path / "articles", ARTICLES[:2])
    store = tmp_path / "store"
    assert run_kg("build", folder, "--store", store, "--jobs", "1").returncode == 0
    assert sorted(p.stem for p in (store / "answers").glob("*.json")) == \
        sorted(q.name for q in questions().values() if all(p.optional for p in q.parameters))
    first = kept_answer(store, "timeline")
    assert first.rows and first.rows == ask(open_graph(store), "timeline").rows

    # kg ask reads the kept rows: a row changed in the file shows
    kept_file = store / "answers" / "timeline.json"
    data = json.loads(kept_file.read_text(encoding="utf-8"))
    data["terms"].append({"type": "literal", "value": "1999"})
    data["rows"][0][0] = len(data["terms"]) - 1
    kept_file.write_text(json.dumps(data), encoding="utf-8")
    assert "1999" in run_kg("ask", "timeline", store, "--format", "csv").stdout
    # …and events-between filters the kept timeline
    between = run_kg("ask", "events-between", store, "--param", "from=1999", "--param", "to=1999", "--format", "csv")
    assert between.stdout.splitlines()[1].startswith("1999,"), between.stdout + between.stderr
    # …unless the question's text has changed since it was kept
    data["question"] = "an older question"
    kept_file.write_text(json.dumps(data), encoding="utf-8")
    assert kept_answer(store, "timeline") is None
    assert "1999" not in run_kg("ask", "timeline", store, "--format", "csv").stdout
    assert run_kg("build", folder, "--store", store, "--quiet").returncode == 0
    assert kept_answer(store, "timeline").rows == first.rows, "a re-run keeps the answer to the question as it is"

    # a grown folder: the answers are dropped before the first write, and kept again at the end
    writer = open_store(store)
    writer.add([extract_article(str(ARTICLES[2]))])
    assert not (store / "answers").exists(), "answers that no longer hold are gone before the write"
    del writer
    shutil.copy(ARTICLES[2], folder / ARTICLES[2].name)
    assert run_kg("build", folder, "--store", store, "--jobs", "1").returncode == 0
    grown = kept_answer(store, "timeline")
    assert len(grown.rows) > len(first.rows) and grown.rows == ask(open_graph(store), "timeline").rows

    assert run_kg("remove", store, folder / ARTICLES[2].name).returncode == 0
    assert kept_answer(store, "timeline").rows == first.rows, "a removal keeps the answers again"


def test_the_number_of_jobs_does_not_change_the_store(built, tmp_path, run_kg):
    proc = run_kg("build", built["folder"], "--store", tmp_path / "one", "--jobs", "1", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert _dump(tmp_path / "one") == _dump(built["store"])


def test_compact_merges_the_store_files_and_keeps_every_quad(built, tmp_path, run_kg):
    copy = tmp_path / "store"
    shutil.copytree(built["store"], copy)
    files_before = len(list((copy / "oxigraph").glob("*.sst")))
    proc = run_kg("build", built["folder"], "--store", copy, "--compact")
    assert proc.returncode == 0, proc.stderr
    assert "built 0, unchanged 3" in proc.stdout
    assert len(list((copy / "oxigraph").glob("*.sst"))) < files_before
    assert _dump(copy) == _dump(built["store"])
    proc = run_kg("build", built["folder"], "--compact", "-o", tmp_path / "g.trig")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--store" in proc.stderr
    assert not (tmp_path / "g.trig").exists()


def test_a_dask_cluster_builds_the_same_store_as_one_job(built, tmp_path):
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        store = open_store(tmp_path / "dask", create=True)
        report = build_corpus(list_inputs([built["folder"]]), store, dask=cluster.scheduler_address, progress=False)
        assert report.built == 3 and not report.failures
        del store
    assert _dump(tmp_path / "dask") == _dump(built["store"])


# Many writes of a few articles each, so that the build is killed between two writes, long before its end.
COPIES, BATCH = 60, 4
_BUILD_IN_SMALL_WRITES = """
import sys
import graph.ingest
from graph.cli import main

graph.ingest.WRITE_BATCH = %d
sys.exit(main(sys.argv[1:]))
""" % BATCH


def test_an_interrupted_build_leaves_a_store_the_next_run_completes(tmp_path, run_kg):
    folder = tmp_path / "articles"
    folder.mkdir()
    text = ARTICLES[1].read_text(encoding="utf-8")
    for i in range(COPIES):     # distinct articles: each a numbered copy
        (folder / f"copy-{i:03d}.txt").write_text(f"第{i}号快讯\n{text}", encoding="utf-8")
    store = tmp_path / "store"
    proc = subprocess.Popen([sys.executable, "-c", _BUILD_IN_SMALL_WRITES, "build", str(folder), "--store", str(store),
                             "--jobs", "1", "--quiet"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # kill it once the first articles are in the store (read beside the writer), long before the end
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if (store / "kg-store.json").exists() and open_store(store, read_only=True).articles():
            break
        time.sleep(0.1)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    partial = open_store(store, read_only=True)
    kept = len(partial.articles())
    assert 0 < kept < COPIES and len(partial.sources()) == kept, "every article written is whole and recorded"
    del partial
    proc = run_kg("build", folder, "--store", store, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert f"articles {COPIES} (built {COPIES - kept}, unchanged {kept}, failed 0)" in proc.stdout, proc.stdout
    clean = tmp_path / "clean"
    assert run_kg("build", folder, "--store", clean, "--jobs", "2", "--quiet").returncode == 0
    assert _dump(store) == _dump(clean)


_DIES_AT_COMMIT = """
import os, sys
from graph.ingest import extract_article
from graph.rdf.store import open_store

class DiesAtCommit:
    # the store, but the process dies when a batch's commit (its edges and file records) begins
    def __init__(self, store):
        self.store = store
    def __getattr__(self, name):
        return getattr(self.store, name)
    def load(self, *args, **kwargs):
        os._exit(9)

store = open_store(sys.argv[1])
store._db = DiesAtCommit(store._db)
store.add([extract_article(sys.argv[2])])
"""


def test_an_article_whose_write_did_not_commit_is_not_counted_and_the_next_writer_removes_it(tmp_path):
    first, second = str(ARTICLES[0]), str(ARTICLES[1])
    clean, store_path = tmp_path / "clean", tmp_path / "store"
    for path in (clean, store_path):
        build_corpus([first], open_store(path, create=True), jobs=1, progress=False)
    proc = subprocess.run([sys.executable, "-c", _DIES_AT_COMMIT, str(store_path), second], cwd=REPO)
    assert proc.returncode == 9
    left = open_store(store_path, read_only=True)
    graphs = [g for g in left.oxigraph.named_graphs() if "/doc/" in g.value]
    assert len(graphs) == 2, "the second article's graph was bulk-loaded before the process died"
    assert len(left.articles()) == 1 and len(left.sources()) == 1, "…but it is not counted as written"
    del left
    open_store(store_path).flush()      # the next writer
    assert not (store_path / "pending-articles").exists()
    assert _dump(store_path) == _dump(clean)


@pytest.mark.parametrize("command", [
    ("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/cnkg/ontology#NewsArticle> }"),
    ("ask", "layoffs"), ("stats",), ("validate",), ("analyze",), ("path", "Meta", "Google"),
])
def test_every_reading_command_takes_a_store(command, built, run_kg, tmp_path):
    name, *rest = command
    args = [name, *(rest[:1] if name == "ask" else []), built["store"], *(rest if name != "ask" else rest[1:])]
    proc = run_kg(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout.strip()
    if name == "query":
        assert "3" in proc.stdout.split()


def test_export_and_view_take_a_store(built, run_kg, tmp_path):
    proc = run_kg("export", built["store"], "-o", tmp_path / "g.graphml")
    assert proc.returncode == 0 and (tmp_path / "g.graphml").stat().st_size > 0, proc.stderr
    proc = run_kg("view", built["store"], "-o", tmp_path / "g.html")
    assert proc.returncode == 0 and "Meta" in (tmp_path / "g.html").read_text(encoding="utf-8"), proc.stderr


def test_store_and_files_cannot_be_mixed_and_a_folder_is_not_a_store(built, run_kg, tmp_path):
    proc = run_kg("stats", built["store"], built["trig"])
    assert proc.returncode == 2 and "store" in proc.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    proc = run_kg("build", ARTICLES[0], "--store", tmp_path / "full")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr


def test_an_in_memory_build_records_no_local_paths():
    store = CorpusStore()
    build_corpus([str(ARTICLES[0])], store, jobs=1, progress=False)
    assert store.sources() == {}
    assert not any("/tmp" in q.object.value or str(REPO) in q.object.value
                   for q in store.oxigraph.quads_for_pattern(None, None, None) if isinstance(q.object, ox.Literal))


def test_an_in_memory_build_writes_out_what_the_store_holds_without_loading_the_articles(built):
    store = CorpusStore()
    report = build_corpus([str(a) for a in ARTICLES], store, jobs=1, progress=False)
    held = sorted(set(store.nquads().split(b"\n")) - {b""})
    counted = store.counts()
    assert not any("/doc/" in g.value for g in store._db.named_graphs()), "the articles are held as N-Quads"
    loaded = sorted(ox.serialize(store.oxigraph, format=ox.RdfFormat.N_QUADS).split(b"\n")[:-1])
    assert held == loaded, "the held N-Quads are the quads Oxigraph holds once they are loaded"
    assert counted == store.counts() == (3, len(loaded), report.entities)
    written = ox.serialize(ox.parse(path=built["trig"], format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS)
    assert held == sorted(written.split(b"\n")[:-1]), "kg build -o wrote the same quads"


def test_kg_serve_serves_a_store_where_it_lies(built, kg_serve):
    import json
    import urllib.parse
    import urllib.request

    query = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <https://w3id.org/cnkg/ontology#NewsArticle> }"
    with kg_serve(built["store"]) as server:
        request = urllib.request.Request(server["url"] + "?query=" + urllib.parse.quote(query),
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            rows = json.load(answer)["results"]["bindings"]
    assert rows[0]["n"]["value"] == "3"


def test_max_size_refuses_larger_files_in_one_line(tmp_path, run_kg):
    out = tmp_path / "x.trig"
    proc = run_kg("build", ARTICLES[0], "--max-size", "100", "-o", out)
    assert proc.returncode == 2 and not out.exists()
    assert proc.stderr.count("\n") == 1 and "--max-size" in proc.stderr, proc.stderr
