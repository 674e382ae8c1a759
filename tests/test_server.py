"""`kg serve` over real HTTP on 127.0.0.1, with a real SPARQL client (SPARQLWrapper) and raw sockets.

The servers run as subprocesses on free ports (one with a 1 s time limit and a 50-row limit, one
with tight limits for the hostile-client tests); the tests poll each until it answers, and stop
it at the end. Nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from graph.rdf.io import serialize
from graph.rdf.namespaces import ID, KG

PREFIX = "PREFIX kg: <https://w3id.org/cnkg/ontology#>\nPREFIX id: <https://w3id.org/cnkg/id/>\n"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def trig_file(bundled_graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "meta-2023.trig"
    path.write_bytes(serialize(bundled_graph, "trig"))
    return path


@pytest.fixture(scope="module")
def server(trig_file, kg_serve):
    """A running `kg serve` with a 1 s time limit and a 50-row limit."""
    with kg_serve(trig_file, "--timeout", "1", "--max-results", "50", "--workers", "2") as running:
        yield running


@pytest.fixture(scope="module")
def strict_server(trig_file, kg_serve):
    """A `kg serve` with one worker, a queue of one, 20 connections, a 4 s client timeout, CORS for one origin."""
    with kg_serve(trig_file, "--timeout", "1", "--workers", "1", "--queue", "1", "--max-connections", "20",
                  "--client-timeout", "4", "--cors", "https://app.example") as running:
        yield running


def _client(server, query: str, fmt=JSON, method=None) -> SPARQLWrapper:
    client = SPARQLWrapper(server["url"])
    client.setQuery(PREFIX + query)
    client.setReturnFormat(fmt)
    client.setTimeout(30)
    if method:
        client.setMethod(method)
    return client


def _get(server, query: str, accept: str | None = None, method: str = "GET"):
    if method == "GET":
        request = urllib.request.Request(server["url"] + "?query=" + urllib.parse.quote(PREFIX + query))
    else:
        request = urllib.request.Request(server["url"], data=(PREFIX + query).encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/sparql-query"})
    if accept:
        request.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def test_the_server_listens_on_localhost_only(server):
    assert server["url"].startswith("http://127.0.0.1:")
    first = server["process"].stdout.readline().decode("utf-8")
    assert re.match(r"kg serve: \d+ quads at http://127\.0\.0\.1:\d+/sparql \(time limit 1 s, at most 50 results", first)


def test_select_with_sparqlwrapper(server):
    data = _client(server, "SELECT ?org WHERE { id:yann-lecun kg:worksFor ?org } ORDER BY ?org").query().convert()
    assert data["head"]["vars"] == ["org"]
    assert [b["org"]["value"] for b in data["results"]["bindings"]] == [str(ID.fair), str(ID.meta)]


def test_select_by_post_and_in_csv(server):
    text = "SELECT ?model WHERE { ?model kg:isBasedOn id:llama } ORDER BY ?model"
    body = _client(server, text, fmt=CSV, method=POST).query().convert().decode("utf-8")
    assert body.splitlines() == ["model", str(ID.alpaca), str(ID.vicuna)]


def test_construct_with_sparqlwrapper(server):
    body = _client(server, "CONSTRUCT { ?m kg:isBasedOn ?b } WHERE { ?m kg:isBasedOn ?b }", fmt=TURTLE).query().convert()
    g = Graph().parse(data=body, format="turtle")
    assert (ID.alpaca, KG.isBasedOn, ID.llama) in g and (ID.vicuna, KG.isBasedOn, ID.llama) in g


def test_ask_with_sparqlwrapper(server):
    assert _client(server, "ASK { id:llama kg:developer id:meta }").query().convert()["boolean"] is True
    assert _client(server, "ASK { id:meta kg:developer id:llama }").query().convert()["boolean"] is False


def test_an_update_is_refused(server):
    client = _client(server, "INSERT DATA { id:meta kg:owns id:llama }", method=POST)
    with pytest.raises(urllib.error.HTTPError) as info:
        client.query()
    assert info.value.code == 403
    assert "read-only" in info.value.read().decode("utf-8")
    # Sent as a query, or as an application/sparql-update body: refused the same way, and nothing changed.
    assert _get(server, "INSERT DATA { id:meta kg:owns id:llama }")[0] == 403
    request = urllib.request.Request(server["url"], data=b"CLEAR ALL", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=30)
    assert info.value.code == 403
    assert _client(server, "ASK { id:meta kg:owns id:llama }").query().convert()["boolean"] is False


def test_a_malformed_query_is_a_400_with_its_position(server):
    with pytest.raises(QueryBadFormed) as info:
        _client(server, "SELECT ?x WHERE { ?x kg:worksFor ").query()
    assert re.search(r"syntax error at line 3, column \d+", str(info.value))


def test_content_negotiation(server):
    text = "SELECT ?model ?base WHERE { ?model kg:isBasedOn ?base } ORDER BY ?model"
    status, headers, body = _get(server, text, "text/tab-separated-values")
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.splitlines()[0] == "?model\t?base" and f"<{ID.alpaca}>\t<{ID.llama}>" in body
    status, headers, body = _get(server, text, "application/sparql-results+xml")
    assert status == 200 and "<sparql" in body and str(ID.vicuna) in body
    status, headers, body = _get(server, text, "application/json;q=0.5, text/csv", method="POST")
    assert headers["Content-Type"].startswith("text/csv") and body.startswith("model,base")
    status, headers, body = _get(server, "CONSTRUCT WHERE { ?m kg:isBasedOn ?b }", "application/n-triples")
    assert status == 200 and f"<{ID.alpaca}> <{KG.isBasedOn}> <{ID.llama}> ." in body
    assert _get(server, text, "image/png")[0] == 406


def test_results_are_cut_at_the_row_limit(server):
    status, headers, body = _get(server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 50
    assert headers["X-SPARQL-MaxRows"] == "50"


def test_a_query_past_the_time_limit_is_stopped(server):
    started = time.monotonic()
    status, _, body = _get(server, HEAVY)
    elapsed = time.monotonic() - started
    assert status == 503 and "time limit" in body
    assert elapsed < 5, f"the time limit is 1 s, the answer took {elapsed:.1f} s"
    # The worker that ran it was killed: its process is gone, not still computing.
    deadline = time.monotonic() + 10
    while "killed worker pid" not in server["log"].read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    pids = [int(p) for p in re.findall(r"killed worker pid (\d+)", server["log"].read_text())]
    assert pids, server["log"].read_text()[-2000:]
    assert not Path(f"/proc/{pids[-1]}").exists(), "the worker of the stopped query still runs"
    # The endpoint goes on answering (a fresh worker takes the killed one's place).
    for _ in range(3):
        assert _client(server, "ASK { id:vicuna kg:isBasedOn id:llama }").query().convert()["boolean"] is True


# ---------------------------------------------------------------- raw HTTP helpers


def _raw(port: int, request: bytes, timeout: float = 30) -> bytes:
    """Send `request` as is on a new connection to 127.0.0.1:`port`; all it gets back before the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _parse(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names, body) of a raw HTTP/1.1 answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict((k.lower(), v) for k, _, v in (line.partition(": ") for line in lines[1:]))
    return int(lines[0].split()[1]), headers, body


def _request(port: int, method: str = "GET", path: str = "/sparql", headers: dict[str, str] | None = None,
             body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """One request with exactly these headers (plus Host, Content-Length for a body, Connection: close)."""
    fields = {"Host": f"127.0.0.1:{port}", **(headers or {}), "Connection": "close"}
    if body and "Content-Length" not in fields:
        fields["Content-Length"] = str(len(body))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n"
    return _parse(_raw(port, head.encode("latin-1") + body))


def _query_path(text: str, **params: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": PREFIX + text, **params})


def _count(server, text: str, **params: str) -> int:
    status, _, body = _request(server["port"], path=_query_path(text, **params))
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


class Listener:
    """A TCP listener on a free port of 127.0.0.1 that records every connection made to it.

    With `answer`, each request gets it back; without, connections are held open in silence.
    """

    def __init__(self, answer: bytes | None = None):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.requests: list[bytes] = []
        self._answer, self._held = answer, []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.requests.append(b"")
            conn.settimeout(5)
            try:
                self.requests[-1] = conn.recv(65536)
            except OSError:
                pass
            if self._answer is None:
                self._held.append(conn)
            else:
                conn.sendall(self._answer)
                conn.close()

    def close(self) -> None:
        self.socket.close()
        for conn in self._held:
            conn.close()


@pytest.fixture
def silent_listener():
    listener = Listener()
    yield listener
    listener.close()


SPARQL_JSON = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "from afar"}}]}}'


@pytest.fixture
def sparql_listener():
    """A fake SPARQL endpoint: any request gets one row, x = "from afar"."""
    listener = Listener(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                        b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(SPARQL_JSON), SPARQL_JSON))
    yield listener
    listener.close()


# ---------------------------------------------------------------- protocol


def test_head_answers_carry_no_body(server):
    path = _query_path("SELECT ?org WHERE { id:yann-lecun kg:worksFor ?org }")
    status, headers, body = _request(server["port"], "GET", path)
    head_status, head_headers, head_body = _request(server["port"], "HEAD", path)
    assert status == head_status == 200 and body
    assert head_body == b""
    assert head_headers["content-length"] == str(len(body)) and head_headers["content-type"] == headers["content-type"]


def test_answers_vary_by_accept_and_carry_no_cors_by_default(server):
    status, headers, _ = _request(server["port"], path=_query_path("ASK {}"), headers={"Origin": "https://evil.example"})
    assert status == 200 and headers["vary"] == "Accept"
    assert not any(name.startswith("access-control-") for name in headers)
    status, headers, _ = _request(server["port"], "OPTIONS", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert status == 204 and "POST" in headers["allow"]
    assert not any(name.startswith("access-control-") for name in headers)


def test_the_endpoint_answers_at_sparql_with_a_trailing_slash(server):
    assert _request(server["port"], path="/sparql/?query=ASK%7B%7D")[0] == 200
    assert _request(server["port"], path="/other?query=ASK%7B%7D")[0] == 404
    assert _request(server["port"], "PUT", path="/sparql?query=ASK%7B%7D")[0] == 405


def test_q_zero_means_not_acceptable(server):
    path = _query_path("SELECT ?model WHERE { ?model kg:isBasedOn id:llama }")
    status, headers, body = _request(server["port"], path=path,
                                     headers={"Accept": "application/sparql-results+json;q=0, */*"})
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+xml")
    assert _request(server["port"], path=path, headers={"Accept": "application/sparql-results+json;q=0"})[0] == 406
    assert _request(server["port"], path=path, headers={"Accept": "text/csv, */*;q=0"})[1]["content-type"] \
        .startswith("text/csv")


def test_construct_and_describe_as_json_ld(server):
    for text in ("CONSTRUCT { ?m kg:isBasedOn ?b } WHERE { ?m kg:isBasedOn ?b }", "DESCRIBE id:alpaca"):
        status, headers, body = _request(server["port"], path=_query_path(text),
                                         headers={"Accept": "application/ld+json"})
        assert status == 200 and headers["content-type"].startswith("application/ld+json")
        g = Graph().parse(data=body.decode("utf-8"), format="json-ld")
        assert (ID.alpaca, KG.isBasedOn, ID.llama) in g


def test_from_sets_the_dataset(server, bundled_graph):
    every = _count(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    article = _article_graph(bundled_graph)
    assert every > 0
    assert _count(server, "SELECT (COUNT(*) AS ?n) FROM <http://nothing.example/g> WHERE { ?s ?p ?o }") == 0
    assert _count(server, f"SELECT (COUNT(*) AS ?n) FROM <{article}> WHERE {{ ?s ?p ?o }}") == \
        len(bundled_graph.graph(URIRef(article)))
    assert _count(server, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{article}> WHERE {{ ?s ?p ?o }}") == 0


def test_default_and_named_graph_uri_set_the_dataset(server, bundled_graph):
    article = _article_graph(bundled_graph)
    size = len(bundled_graph.graph(URIRef(article)))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    in_named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _count(server, count, **{"default-graph-uri": article}) == size
    assert _count(server, count, **{"default-graph-uri": "http://nothing.example/g"}) == 0
    assert _count(server, count, **{"named-graph-uri": article}) == 0          # no default graph given: empty
    assert _count(server, in_named, **{"named-graph-uri": article}) == size
    assert _count(server, in_named, **{"default-graph-uri": article}) == 0    # no named graph given: none
    # The protocol's dataset overrides the query's FROM.
    assert _count(server, "SELECT (COUNT(*) AS ?n) FROM <http://nothing.example/g> WHERE { ?s ?p ?o }",
                  **{"default-graph-uri": article}) == size
    status, _, body = _request(server["port"], path=_query_path(count, **{"default-graph-uri": "not an iri"}))
    assert status == 400 and b"not an absolute IRI" in body


def _article_graph(bundled_graph) -> str:
    """The article's named graph (beside it, the entities graph that every build has)."""
    graphs = [str(g.identifier) for g in bundled_graph.graphs() if len(g) and "/doc/" in str(g.identifier)]
    assert len(graphs) == 1, graphs
    return graphs[0]


def test_relative_iris_resolve_against_the_base(server):
    status, _, body = _request(server["port"], path=_query_path("ASK { <meta> ?p ?o }"))
    assert status == 200 and json.loads(body)["boolean"] is True                 # <meta> is id:meta
    status, headers, body = _request(server["port"], path=_query_path("CONSTRUCT { <s> <p> 1 } WHERE {}"),
                                     headers={"Accept": "application/n-triples"})
    assert status == 200 and f"<{ID.s}> <{ID.p}>" in body.decode("utf-8")


def test_a_non_utf8_query_is_refused(server):
    body = "ASK {}".encode("utf-16")
    assert _request(server["port"], "POST", headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
                    body=body)[0] == 415
    assert _request(server["port"], "POST", headers={"Content-Type": "application/sparql-query"}, body=body)[0] == 400
    assert _request(server["port"], path="/sparql?query=ASK%7B%FF%7D")[0] == 400


# ---------------------------------------------------------------- hostile queries and clients


def test_a_host_header_naming_another_server_is_refused(server):
    path = _query_path("ASK {}")
    status, _, body = _request(server["port"], path=path, headers={"Host": f"evil.example:{server['port']}"})
    assert status == 403 and b"not this server" in body
    assert _request(server["port"], path=path, headers={"Host": f"localhost:{server['port']}"})[0] == 200


def test_a_malformed_content_length_is_a_400_not_a_traceback(server):
    for length in ("abc", "-1", "1.5"):
        status, _, _ = _parse(_raw(server["port"], (
            f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: {length}\r\nConnection: close\r\n\r\nASK {{}}").encode("ascii")))
        assert status == 400, length
    status, _, _ = _parse(_raw(server["port"], (
        "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        "Content-Length: 1000000000000\r\nConnection: close\r\n\r\nASK {}").encode("ascii")))
    assert status == 413                                  # too large: refused before reading the body
    assert "Traceback" not in server["log"].read_text()


def test_half_open_connections_hold_no_thread(server):
    held = [socket.create_connection(("127.0.0.1", server["port"]), timeout=10) for _ in range(50)]
    try:
        for conn in held:
            conn.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")    # never finished
        started = time.monotonic()
        assert _request(server["port"], path=_query_path("ASK {}"))[0] == 200
        assert time.monotonic() - started < 5
    finally:
        for conn in held:
            conn.close()


def test_a_silent_client_is_disconnected(strict_server):
    with socket.create_connection(("127.0.0.1", strict_server["port"]), timeout=20) as conn:
        conn.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK")                                 # 97 bytes never come
        started = time.monotonic()
        assert conn.recv(65536) == b""                       # the server closed the connection
        assert 3.5 < time.monotonic() - started < 12         # after the 4 s client timeout


def test_connections_are_capped(strict_server):
    port = strict_server["port"]
    ask = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(20)]
    try:
        for conn in held:                                    # answered, so accepted; kept alive, so held
            conn.sendall(ask)
            assert conn.recv(65536).startswith(b"HTTP/1.1 200")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as waiting:
            waiting.sendall(ask)
            waiting.settimeout(0.7)
            with pytest.raises(TimeoutError):
                waiting.recv(65536)                          # the 21st waits for a free slot
            for conn in held:
                conn.close()
            waiting.settimeout(10)
            assert waiting.recv(65536).startswith(b"HTTP/1.1 200")
    finally:
        for conn in held:
            conn.close()


def test_a_full_queue_answers_503_with_retry_after(strict_server):
    """One worker, a queue of one: of four heavy queries at once, at least two are turned away at once."""
    answers = []

    def ask() -> None:
        started = time.monotonic()
        status, headers, body = _request(strict_server["port"], path=_query_path(HEAVY))
        answers.append((status, headers, body, time.monotonic() - started))
    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    turned_away = [a for a in answers if b"queue is full" in a[2]]
    assert len(answers) == 4 and len(turned_away) >= 2, [(a[0], a[2]) for a in answers]
    for status, headers, _, elapsed in turned_away:
        assert status == 503 and headers["retry-after"] == "1"
        assert elapsed < 1.0, "a full queue answers at once, not after the 1 s time limit"
    deadline = time.monotonic() + 60                         # the killed worker's replacement starts
    while _request(strict_server["port"], path=_query_path("ASK {}"))[0] != 200:
        assert time.monotonic() < deadline, "the endpoint did not recover"
        time.sleep(0.5)


def test_cors_only_for_the_origins_given_with_a_preflight(strict_server):
    port = strict_server["port"]
    status, headers, body = _request(port, "OPTIONS", headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204 and body == b""
    assert headers["access-control-allow-origin"] == "https://app.example"
    assert "POST" in headers["access-control-allow-methods"]
    assert "content-type" in headers["access-control-allow-headers"].lower()
    status, headers, _ = _request(port, path=_query_path("ASK {}"), headers={"Origin": "https://app.example"})
    assert status == 200 and headers["access-control-allow-origin"] == "https://app.example"
    assert "Origin" in headers["vary"]
    status, headers, _ = _request(port, path=_query_path("ASK {}"), headers={"Origin": "https://evil.example"})
    assert status == 200 and "access-control-allow-origin" not in headers


def test_deep_nesting_is_refused_and_no_worker_dies(server):
    for text in ("SELECT * WHERE " + "{" * 3000 + "}" * 3000,
                 "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"):
        status, _, body = _request(server["port"], "POST", headers={"Content-Type": "application/sparql-query"},
                                   body=text.encode("ascii"))
        assert status == 400 and b"nests more than" in body
    status, _, body = _request(server["port"], "POST", headers={"Content-Type": "application/sparql-query"},
                               body=("ASK { FILTER(" + "!" * 40000 + "true) }").encode("ascii"))
    assert status == 200 and json.loads(body)["boolean"] is True    # deep, but within the token limit: answered
    assert "died" not in server["log"].read_text()
    assert _request(server["port"], path=_query_path("ASK { id:llama kg:developer id:meta }"))[0] == 200


def test_service_is_refused_and_the_target_receives_nothing(server, silent_listener):
    target = f"http://127.0.0.1:{silent_listener.port}/sparql"
    for text in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
                 f"PREFIX t: <http://127.0.0.1:{silent_listener.port}/> SELECT * WHERE {{ ?s ?p ?o . SERVICE t:sparql {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ VALUES ?e {{ <{target}> }} SERVICE ?e {{ ?s ?p ?o }} }}"):
        status, _, body = _request(server["port"], path=_query_path(text))
        assert status == 403 and b"SERVICE" in body, body
    time.sleep(0.5)
    assert silent_listener.requests == []


# ---------------------------------------------------------------- kg query calls no one either


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_kg_query_refuses_service_and_remote_from(engine, run_kg, trig_file, tmp_path, silent_listener):
    local = tmp_path / "secret.ttl"
    local.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    target = f"http://127.0.0.1:{silent_listener.port}"
    refused = [f"SELECT * WHERE {{ SERVICE <{target}/sparql> {{ ?s ?p ?o }} }}",
               f"SELECT * WHERE {{ SERVICE SILENT <{target}/sparql> {{ ?s ?p ?o }} }}"]
    if engine == "rdflib":          # rdflib would download (or read) a FROM graph it does not hold
        refused += [f"SELECT * FROM <{target}/g> WHERE {{ ?s ?p ?o }}",
                    f"SELECT * FROM NAMED <{target}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                    f"SELECT * FROM <{local.as_uri()}> WHERE {{ ?s ?p ?o }}",
                    r"SELECT * WHERE { \u0053ERVICE <" + target + "/sparql> { ?s ?p ?o } }"]
    for text in refused:
        out = run_kg("query", trig_file, text, "--engine", engine)
        assert out.returncode == 2 and out.stdout == "", text
        assert re.fullmatch(r"kg: error: (SERVICE|FROM) <[^>]+>: .+\n", out.stderr), out.stderr
    if engine == "oxigraph":        # Oxigraph reads FROM as a graph of the store: none here, so no rows
        out = run_kg("query", trig_file, f"SELECT * FROM <{target}/g> WHERE {{ ?s ?p ?o }}", "--engine", engine)
        assert out.returncode == 0 and "(0 rows)" in out.stdout
    time.sleep(0.5)
    assert silent_listener.requests == []


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_kg_query_calls_a_service_on_an_allowed_host(engine, run_kg, trig_file, sparql_listener):
    text = f"SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{sparql_listener.port}/sparql> {{ ?s ?p ?x }} }}"
    out = run_kg("query", trig_file, text, "--engine", engine, "--allow-service", "127.0.0.1")
    assert out.returncode == 0, out.stderr
    assert "from afar" in out.stdout
    assert len(sparql_listener.requests) == 1 and b"/sparql" in sparql_listener.requests[0]
    other = run_kg("query", trig_file, text, "--engine", engine, "--allow-service", "example.org")
    assert other.returncode == 2 and "example.org only" in other.stderr
    assert len(sparql_listener.requests) == 1


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_kg_query_stops_waiting_for_a_silent_service(engine, run_kg, trig_file, silent_listener):
    text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{silent_listener.port}/sparql> {{ ?s ?p ?o }} }}"
    started = time.monotonic()
    out = run_kg("query", trig_file, text, "--engine", engine, "--allow-service", "127.0.0.1", "--timeout", "2")
    assert out.returncode == 2
    assert out.stderr == "kg: error: the query ran past the time limit of 2 s (--timeout)\n"
    assert time.monotonic() - started < 60
    assert len(silent_listener.requests) == 1


@pytest.mark.parametrize("option", [
    ("--timeout", "nan"), ("--timeout", "inf"), ("--timeout", "0"), ("--timeout", "-3"), ("--port", "99999"),
    ("--port", "-1"), ("--workers", "0"), ("--max-results", "0"), ("--queue", "-1"), ("--max-connections", "0"),
    ("--client-timeout", "0"), ("--cors", "ftp://files.example"), ("--allow-service", "http://example.org/"),
])
def test_kg_serve_options_are_checked(option, run_kg, trig_file):
    out = run_kg("serve", trig_file, *option, timeout=60)
    assert out.returncode == 2, out.stderr
    assert re.fullmatch(rf"kg: error: {re.escape(option[0])} .+\n", out.stderr), out.stderr


def test_the_log_shows_terminal_controls_of_a_path_as_escapes(server):
    assert _request(server["port"], path="/%1b]0;pwned%07%9b")[0] == 404
    log = server["log"].read_text(encoding="utf-8", errors="replace")
    assert r"/\x1b]0;pwned\x07" in log and "\x1b" not in log and "\x07" not in log
