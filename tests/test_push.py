"""`kg push` to real stores started here on 127.0.0.1 (the Oxigraph server, Virtuoso 7), and the
ready questions asked of them (`kg ask --endpoint`): after a push every question gives the same
rows, in the same order, as `kg ask` on the files. Also: pushing twice replaces, credentials come
from the environment or a netrc file, and a failing server is retried."""
from __future__ import annotations

import http.server
import os
import shutil
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from servers import free_port, running

import graph
from graph.corpus import add_corpus_graph
from graph.query.push import push
from graph.query.questions import ask, questions
from graph.query.remote import Endpoint
from graph.query.results import display
from graph.query.sparql import query
from graph.rdf.io import load_graph, serialize, write_atomic

REPO = Path(__file__).resolve().parents[1]
PARAMS = {"entity-figures": {"entity": "Meta"}, "evidence": {"entity": "Yann LeCun"},
          "events-between": {"from": "2023-01-01", "to": "2023-06-30"}, "support": {"entity": "Meta"},
          "releases": {"org": "Meta"}}
VIRTUOSO = shutil.which("virtuoso-t")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/cnkg/')) }"


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory) -> Path:
    """Two articles and their corpus graph, as one TriG file."""
    g = add_corpus_graph(graph.build(REPO / "graph/data/meta-2023.txt", REPO / "tests/data/stories/meta-layoffs.txt"))
    path = tmp_path_factory.mktemp("push") / "corpus.trig"
    write_atomic(path, serialize(g, "trig"))
    return path


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve` (the oxigraph package's binary) on a free port: {"store", "query"} URLs."""
    folder, port = tmp_path_factory.mktemp("oxigraph"), free_port()
    binary = Path(sys.executable).with_name("oxigraph")
    assert binary.exists(), "the oxigraph server is missing: pip install -e '.[test]'"
    base = f"http://127.0.0.1:{port}"
    with running([str(binary), "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
                 f"{base}/query?query=" + urllib.parse.quote("ASK {}"), folder / "server.log", cwd=folder, startup=120):
        yield {"store": f"{base}/store", "query": f"{base}/query"}


_VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory):
    """A Virtuoso 7 of its own (a fresh database, account dba/dba) on free ports: {"store", "query"} URLs.
    Its Graph Store endpoint /sparql-graph-crud-auth asks for HTTP Digest credentials."""
    if VIRTUOSO is None:
        message = "Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(message + "; under CI these tests must run", pytrace=False)
        pytest.skip(message)
    folder, port = tmp_path_factory.mktemp("virtuoso"), free_port()
    (folder / "virtuoso.ini").write_text(_VIRTUOSO_INI.format(d=folder, sql=free_port(), http=port))
    base = f"http://127.0.0.1:{port}"
    with running([VIRTUOSO, "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
                 f"{base}/sparql?query=" + urllib.parse.quote("ASK {}"), folder / "server.log",
                 cwd=folder, startup=120):
        yield {"store": f"{base}/sparql-graph-crud-auth", "query": f"{base}/sparql"}


@pytest.fixture
def dba(monkeypatch):
    """Virtuoso's credentials, from the environment as a user gives them."""
    monkeypatch.setenv("KG_ENDPOINT_USER", "dba")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "dba")


def _rows(answer) -> list[list[str]]:
    return [[display(term) for term in row] for row in answer.rows]


@pytest.mark.parametrize("server", ["oxigraph_server", "virtuoso_server"])
def test_after_a_push_every_ready_question_gives_the_same_rows(server, corpus_file, request, monkeypatch):
    urls = request.getfixturevalue(server)
    if server == "virtuoso_server":
        request.getfixturevalue("dba")
    local = load_graph(corpus_file)
    summary = push(local, urls["store"], progress=False)
    assert (summary.graphs, summary.triples) == (len(list(local.graphs())) - 1, len(local))
    remote = Endpoint(urls["query"])
    assert int(query(remote, COUNT).rows[0][0]) == len(local)
    for name in questions():
        expected = _rows(ask(local, name, params=PARAMS.get(name)))
        assert expected, f"{name} has no answer on the corpus"
        assert _rows(ask(remote, name, params=PARAMS.get(name))) == expected, name


def test_pushing_again_replaces_every_graph(corpus_file, oxigraph_server):
    local = load_graph(corpus_file)
    for _ in range(2):
        push(local, oxigraph_server["store"], progress=False)
    assert int(query(Endpoint(oxigraph_server["query"]), COUNT).rows[0][0]) == len(local)


def test_kg_push_and_kg_ask_endpoint_from_the_command_line(corpus_file, oxigraph_server, run_kg):
    pushed = run_kg("push", corpus_file, "--to", oxigraph_server["store"], "--batch", "2")
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout.startswith(f"pushed 4 graphs ({len(load_graph(corpus_file)):,} triples) to ")
    on_file = run_kg("ask", "layoffs", corpus_file)
    remote = run_kg("ask", "layoffs", "--endpoint", oxigraph_server["query"])
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == on_file.stdout and "11000" in remote.stdout
    counted = run_kg("query", "--endpoint", oxigraph_server["query"], COUNT, "--format", "csv")
    assert counted.stdout.split() == ["n", str(len(load_graph(corpus_file)))]


def test_credentials_come_from_the_environment_or_a_netrc_file(corpus_file, virtuoso_server, run_kg, tmp_path):
    refused = run_kg("push", corpus_file, "--to", virtuoso_server["store"], env={"HOME": str(tmp_path)})
    assert refused.returncode == 2 and "HTTP 401" in refused.stderr and len(refused.stderr.splitlines()) == 1
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login dba password dba\n")
    netrc.chmod(0o600)
    pushed = run_kg("push", corpus_file, "--to", virtuoso_server["store"], env={"NETRC": str(netrc)})
    assert pushed.returncode == 0 and pushed.stdout.startswith("pushed 4 graphs"), pushed.stderr


class _FlakyStore(http.server.BaseHTTPRequestHandler):
    """Answers every PUT with 503 twice, then 201; counts the requests."""
    seen: list[str] = []

    def do_PUT(self):  # noqa: N802 (the name http.server calls)
        self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(self.path)
        self.send_response(503 if self.seen.count(self.path) <= 2 else 201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_failing_server_is_retried_then_a_dead_one_is_one_line(corpus_file, run_kg):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FlakyStore)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/store"
        summary = push(load_graph(corpus_file), url, retries=2, progress=False)
        assert (summary.graphs, summary.retries) == (4, 8) and len(_FlakyStore.seen) == 12
    finally:
        server.shutdown()
        server.server_close()
    dead = run_kg("push", corpus_file, "--to", url, "--retries", "1")
    assert dead.returncode == 2 and "tried 2 times" in dead.stderr and len(dead.stderr.splitlines()) == 1
