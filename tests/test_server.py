"""`kg serve` over real HTTP on 127.0.0.1, with a real SPARQL client (SPARQLWrapper).

The server runs as a subprocess on a free port with a 1 s time limit and a 50-row limit; the
tests poll it until it answers, and stop it at the end.
"""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from graph.rdf.io import serialize
from graph.rdf.namespaces import ID, KG

REPO = Path(__file__).resolve().parents[1]
PREFIX = "PREFIX kg: <https://w3id.org/cnkg/ontology#>\nPREFIX id: <https://w3id.org/cnkg/id/>\n"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(bundled_graph, tmp_path_factory):
    """A running `kg serve`: yields {"url", "log" (its stderr file)}; stopped afterwards."""
    folder = tmp_path_factory.mktemp("serve")
    trig = folder / "meta-2023.trig"
    trig.write_bytes(serialize(bundled_graph, "trig"))
    log = folder / "stderr.log"
    port = _free_port()
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "serve", str(trig), "--port", str(port), "--timeout", "1",
             "--max-results", "50", "--workers", "2"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=err, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"kg serve exited {proc.returncode}: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, f"kg serve did not answer within 60 s: {log.read_text()[-2000:]}"
            try:
                with urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=5) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        yield {"url": url, "log": log, "process": proc}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


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
