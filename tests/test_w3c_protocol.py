"""The W3C SPARQL 1.1 Protocol tests (tests/data/w3c-protocol/) against a real `kg serve` on 127.0.0.1.

The manifest is read with rdflib and every applicable test runs as it is written: its requests
are sent byte for byte (method, path, headers, body in its character encoding; Host is the
server's own address), and each answer must have the expected status class and, where the test
names a format, a body of that kind (boolean, tabular, RDF) with the expected boolean. The
server holds the data the tests describe (`ut:graphData`): each dataN.nt in a named graph
called http://kasei.us/2009/09/sparql/data/dataN.rdf. The update_* tests expect SPARQL updates
to succeed; they do not apply to a read-only endpoint (`NOT_APPLICABLE`).
"""
from __future__ import annotations

import csv
import io
import json
import socket
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS

DATA = Path(__file__).parent / "data" / "w3c-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RESULTS = "{http://www.w3.org/2005/sparql-results#}"
RDF_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld"}
NOT_APPLICABLE_REASON = "an update: kg serve is read-only and refuses every update with 403"


@dataclass(frozen=True)
class Exchange:
    """One request of a test, and what its answer must be."""
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    status_classes: frozenset[int]          # 2 for 2xx, 4 for 4xx ...
    format: str | None                      # "boolean", "tabular", "RDF" or None
    boolean: bool | None


@lru_cache(maxsize=1)
def manifest() -> Graph:
    return Graph().parse(DATA / "manifest.ttl", format="turtle")


def manifest_tests() -> list[str]:
    """The manifest's tests, in its order, by local name."""
    g = manifest()
    entries = Collection(g, g.value(URIRef((DATA / "manifest.ttl").as_uri()), MF.entries))
    return [str(entry).rsplit("#", 1)[1] for entry in entries]


APPLICABLE = [name for name in manifest_tests() if not name.startswith("update_")]
NOT_APPLICABLE = {name: NOT_APPLICABLE_REASON for name in manifest_tests() if name.startswith("update_")}


def exchanges(name: str) -> list[Exchange]:
    """The requests of the test `name`, in order."""
    g = manifest()
    test = next(t for t in g.subjects(MF.action, None) if str(t).endswith("#" + name))
    requests = Collection(g, g.value(g.value(test, MF.action), HT.requests))
    return [_exchange(g, request) for request in requests]


def _exchange(g: Graph, request) -> Exchange:
    body_node = g.value(request, HT.body)
    body = b""
    if body_node is not None:
        encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(g.value(body_node, CNT.chars)).encode(encoding)
    headers_node = g.value(request, HT.headers)
    headers = tuple((str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue)))
                    for h in (Collection(g, headers_node) if headers_node is not None else ()))
    response = g.value(request, HT.resp)
    classes = frozenset(int(str(code)[-3]) for code in g.objects(response, MF.expectedStatus))
    fmt, boolean = g.value(response, MF.expectedFormat), g.value(response, MF.expectedBoolean)
    return Exchange(str(g.value(request, HT.methodName)), str(g.value(request, HT.absolutePath)), headers, body,
                    classes, None if fmt is None else str(fmt), None if boolean is None else boolean.toPython())


@pytest.fixture(scope="module")
def w3c_server(kg_serve, tmp_path_factory):
    """`kg serve` holding every graph the tests describe, named as they say."""
    g = manifest()
    dataset = Dataset()
    for data in set(g.objects(None, UT.graphData)):
        name = URIRef(str(g.value(data, RDFS.label)))
        source = DATA / Path(str(g.value(data, UT.graph))).name
        graph = dataset.graph(name)
        for triple in Graph().parse(source, format="nt"):
            graph.add(triple)
    path = tmp_path_factory.mktemp("w3c") / "w3c-protocol.trig"
    path.write_text(dataset.serialize(format="trig"), encoding="utf-8")
    with kg_serve(path, "--timeout", "10") as server:
        yield server


def test_the_manifest_has_27_applicable_tests_and_7_updates():
    assert len(APPLICABLE) == 27 and len(NOT_APPLICABLE) == 7
    assert all(name.startswith(("query_", "bad_")) for name in APPLICABLE)


@pytest.mark.parametrize("name", APPLICABLE)
def test_w3c_protocol(name, w3c_server):
    for exchange in exchanges(name):
        status, headers, body = send(w3c_server["port"], exchange)
        assert status // 100 in exchange.status_classes, f"{name}: {status} {body[:300]!r}"
        if exchange.format is not None:
            check_format(exchange, headers.get("content-type", ""), body)


def send(port: int, exchange: Exchange) -> tuple[int, dict[str, str], bytes]:
    """Send the request on a new connection to 127.0.0.1:`port`; (status, headers, body)."""
    fields = [("Host", f"127.0.0.1:{port}"), *exchange.headers, ("Connection", "close")]
    if exchange.body:
        fields.append(("Content-Length", str(len(exchange.body))))
    head = f"{exchange.method} {exchange.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(head.encode("latin-1") + exchange.body)
        answer = b"".join(iter(lambda: s.recv(65536), b""))
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v for k, _, v in (line.partition(": ") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def check_format(exchange: Exchange, content_type: str, body: bytes) -> None:
    """The body is a boolean, tabular or RDF answer, as the test expects."""
    media = content_type.split(";")[0].strip()
    text = body.decode("utf-8")
    if exchange.format == "RDF":
        assert media in RDF_FORMATS, media
        Graph().parse(data=text, format=RDF_FORMATS[media])
        return
    if media in ("application/sparql-results+json", "application/json"):
        data = json.loads(text)
        boolean = data.get("boolean")
        assert ("results" in data) == (exchange.format == "tabular")
    elif media in ("application/sparql-results+xml", "application/xml", "text/xml"):
        root = ET.fromstring(text)
        node = root.find(f"{RESULTS}boolean")
        boolean = None if node is None else node.text == "true"
        assert (root.find(f"{RESULTS}results") is not None) == (exchange.format == "tabular")
    else:
        assert exchange.format == "tabular" and media in ("text/csv", "text/tab-separated-values"), media
        boolean = None
        assert next(csv.reader(io.StringIO(text), delimiter="," if media == "text/csv" else "\t"))
    if exchange.boolean is not None:
        assert boolean is exchange.boolean
