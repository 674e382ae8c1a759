"""A read-only SPARQL 1.1 Protocol endpoint: Oxigraph behind the standard library's WSGI server.

    kg serve out/ --port 7878        # then: http://127.0.0.1:7878/sparql?query=...

The graph is loaded once into an on-disk Oxigraph store in a temporary folder. Queries run in a
pool of worker processes, each with the store opened read-only; a query still running at the
time limit has its worker killed (Oxigraph cannot cancel a query) and a fresh worker takes its
place, so a runaway query never holds the endpoint. Results are cut at a row limit.

Protocol: GET or POST with ``query=`` (URL-encoded form) or a POST body of type
``application/sparql-query``. The answer's type follows the Accept header: SELECT and ASK as
``application/sparql-results+json`` (default), ``application/sparql-results+xml``, ``text/csv``
or ``text/tab-separated-values``; CONSTRUCT and DESCRIBE as ``text/turtle`` (default),
``application/n-triples`` or ``application/rdf+xml``. Status codes: 400 malformed query,
403 an update (the endpoint is read-only), 406 no acceptable format, 503 time limit or busy.
"""
from __future__ import annotations

import multiprocessing
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Callable
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from graph.errors import KGError

__all__ = ["Limits", "WorkerPool", "make_app", "negotiate", "serve"]

SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "nt",
    "text/plain": "nt", "application/rdf+xml": "xml",
}
_DEFAULT = {"SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
            "CONSTRUCT": "text/turtle"}


@dataclass(frozen=True)
class Limits:
    """How long a query may run (seconds) and how many rows or triples it may return."""
    timeout: float = 10.0
    max_results: int = 10000


@dataclass(frozen=True)
class Response:
    status: str
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def negotiate(accept: str | None, form: str) -> str | None:
    """The media type to answer a `form` query (SELECT, ASK, CONSTRUCT) with, or None (406).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT")
    'application/sparql-results+xml'
    >>> negotiate("*/*", "CONSTRUCT"), negotiate(None, "ASK")
    ('text/turtle', 'application/sparql-results+json')
    >>> negotiate("image/png", "SELECT") is None
    True
    """
    supported = GRAPH_TYPES if form == "CONSTRUCT" else SELECT_TYPES
    if not accept or not accept.strip():
        return _DEFAULT[form]
    ranked = []
    for i, item in enumerate(accept.split(",")):
        media, *params = [part.strip().lower() for part in item.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, media))
    for _, _, media in sorted(ranked):
        if media in supported:
            return media
        if media == "*/*":
            return _DEFAULT[form]
        if media.endswith("/*"):
            major = media[:-1]
            if _DEFAULT[form].startswith(major):
                return _DEFAULT[form]
            for candidate in supported:
                if candidate.startswith(major):
                    return candidate
    return None


# ---------------------------------------------------------------- worker processes


def _work(store_path: str, conn, max_results: int) -> None:
    """A worker: open the store read-only, then answer (query, accept) jobs until the pipe closes."""
    import pyoxigraph as ox

    store = ox.Store.read_only(store_path)
    conn.send("ready")
    while True:
        try:
            text, accept = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_execute(store, text, accept, max_results))


def _execute(store, text: str, accept: str | None, max_results: int) -> Response:
    from graph.query.results import to_csv, to_json, to_rdf, to_tsv, to_xml
    from graph.query.sparql import QueryError, query

    try:
        answer = query(store, text, max_rows=max_results)
    except QueryError as exc:
        if _is_update(text):
            return _error("403 Forbidden", "this endpoint is read-only: SPARQL updates are refused")
        return _error("400 Bad Request", str(exc))
    media = negotiate(accept, answer.form)
    if media is None:
        offered = ", ".join(GRAPH_TYPES if answer.form == "CONSTRUCT" else SELECT_TYPES)
        return _error("406 Not Acceptable", f"cannot answer a {answer.form} query as {accept}; offered: {offered}")
    if answer.form == "CONSTRUCT":
        body = to_rdf(answer, GRAPH_TYPES[media])
    else:
        body = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}[SELECT_TYPES[media]](answer)
    headers = (("X-SPARQL-MaxRows", str(max_results)),) if answer.truncated else ()
    return Response("200 OK", f"{media}; charset=utf-8", body.encode("utf-8"), headers)


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # not an update either: the query's own syntax error stands
        return False
    return True


def _error(status: str, message: str) -> Response:
    return Response(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object


class WorkerPool:
    """Worker processes sharing a read-only store; a query past the time limit costs its worker."""

    def __init__(self, store_path: str, size: int, limits: Limits, log: Callable[[str], None]):
        self._path, self._limits, self._log = store_path, limits, log
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        starting = [self._spawn() for _ in range(max(1, size))]
        for worker in starting:
            self._idle.put(self._ready(worker))

    def run(self, text: str, accept: str | None) -> Response:
        try:
            worker = self._idle.get(timeout=self._limits.timeout)
        except queue.Empty:
            return _error("503 Service Unavailable", "the endpoint is busy: every worker is running a query")
        started = time.monotonic()
        worker.conn.send((text, accept))
        if worker.conn.poll(self._limits.timeout):
            try:
                response = worker.conn.recv()
            except (EOFError, OSError):
                self._replace(worker, f"worker pid {worker.process.pid} died")
                return _error("500 Internal Server Error", "the query's worker process died")
            self._idle.put(worker)
            return response
        self._replace(worker, f"stopped a query at the time limit ({time.monotonic() - started:.1f} s): "
                              f"killed worker pid {worker.process.pid}")
        return _error("503 Service Unavailable",
                      f"the query exceeded the time limit of {self._limits.timeout:g} s and was stopped")

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            worker.process.kill()
            worker.process.join()

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_work, args=(self._path, child, self._limits.max_results),
                                        daemon=True, name="kg-serve-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _ready(self, worker: _Worker) -> _Worker:
        if not worker.conn.poll(120) or worker.conn.recv() != "ready":
            raise KGError("a query worker did not start (is pyoxigraph installed?)")
        return worker

    def _replace(self, worker: _Worker, why: str) -> None:
        worker.process.kill()
        worker.process.join()
        with self._lock:
            self._all.discard(worker)
        self._log(why)

        def restart() -> None:
            try:
                self._idle.put(self._ready(self._spawn()))
            except (KGError, OSError, EOFError) as exc:
                self._log(f"could not start a new worker: {exc}")

        threading.Thread(target=restart, daemon=True).start()


# ---------------------------------------------------------------- HTTP


def make_app(pool: WorkerPool) -> Callable:
    """The WSGI application: the SPARQL 1.1 Protocol's query operation at / and /sparql."""
    def app(environ, start_response):
        response = _handle(environ, pool)
        headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body))),
                   ("Access-Control-Allow-Origin", "*"), *response.headers]
        if response.status.startswith("405"):
            headers.append(("Allow", "GET, POST"))
        start_response(response.status, headers)
        return [response.body]
    return app


def _handle(environ, pool: WorkerPool) -> Response:
    if environ.get("PATH_INFO", "/") not in ("/", "/sparql"):
        return _error("404 Not Found", "the SPARQL endpoint is at /sparql")
    method = environ["REQUEST_METHOD"]
    params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if method == "POST":
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        if content_type == "application/sparql-update":
            return _error("403 Forbidden", "this endpoint is read-only: SPARQL updates are refused")
        if content_type == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif content_type == "application/sparql-query":
            params.setdefault("query", []).append(body.decode("utf-8", "replace"))
        else:
            return _error("415 Unsupported Media Type", "POST a form (query=...) or an application/sparql-query body")
    elif method not in ("GET", "HEAD"):
        return _error("405 Method Not Allowed", "use GET or POST")
    if "update" in params:
        return _error("403 Forbidden", "this endpoint is read-only: SPARQL updates are refused")
    if "default-graph-uri" in params or "named-graph-uri" in params:
        return _error("400 Bad Request", "default-graph-uri and named-graph-uri are not supported: "
                                         "the default graph is the union of all graphs; use GRAPH in the query")
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        return _error("400 Bad Request", "give exactly one query: ?query=... (GET or form POST) "
                                         "or an application/sparql-query body")
    return pool.run(queries[0], environ.get("HTTP_ACCEPT"))


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    def log_message(self, format: str, *args) -> None:  # one line per request on stderr
        sys.stderr.write(f"kg serve: {self.address_string()} {format % args}\n")


def serve(*paths: str, host: str = "127.0.0.1", port: int = 7878, limits: Limits = Limits(),
          workers: int = 2) -> None:
    """Serve the RDF files (or folders) `paths` at http://host:port/sparql until interrupted.

    Loads the graph (`graph.rdf.io.load_graph`) into an on-disk Oxigraph store in a temporary
    folder, starts `workers` query processes, then serves; Ctrl-C or SIGTERM stops the server,
    its workers, and removes the folder.
    """
    from graph.query.sparql import to_store
    from graph.rdf.io import load_graph

    if limits.timeout <= 0 or limits.max_results < 1 or workers < 1:
        raise KGError("--timeout must be positive, --max-results and --workers at least 1")
    dataset = load_graph(*paths)
    folder = tempfile.mkdtemp(prefix="kg-serve-")
    pool = None
    previous = signal.signal(signal.SIGTERM, _stop)

    def log(message: str) -> None:
        sys.stderr.write(f"kg serve: {message}\n")
        sys.stderr.flush()

    try:
        store = to_store(dataset, folder)
        triples = len(store)
        store.flush()
        del store, dataset             # close the store: the workers open it read-only
        pool = WorkerPool(folder, workers, limits, log)
        try:
            server = make_server(host, port, make_app(pool), server_class=_ThreadingServer,
                                 handler_class=_Handler)
        except OSError as exc:
            raise KGError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        with server:
            print(f"kg serve: {triples} quads at http://{host}:{server.server_port}/sparql "
                  f"(time limit {limits.timeout:g} s, at most {limits.max_results} results; Ctrl-C stops)",
                  flush=True)
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if pool is not None:
            pool.close()
        shutil.rmtree(folder, ignore_errors=True)


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt
