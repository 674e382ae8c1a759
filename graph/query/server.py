"""A read-only SPARQL 1.1 Protocol endpoint: Oxigraph behind the waitress WSGI server.

    kg serve out/ --port 7878        # then: http://127.0.0.1:7878/sparql?query=...

The graph is loaded once into an on-disk Oxigraph store in a temporary folder. Queries run in a
pool of worker processes, each with the store opened read-only; a query still running at the
time limit has its worker killed (Oxigraph cannot cancel a query) and a fresh worker takes its
place, so a runaway query never holds the endpoint. Results are cut at a row limit.

Protocol: GET, HEAD or POST at ``/sparql`` (or ``/``) with ``query=`` (URL-encoded form) or a
POST body of type ``application/sparql-query``, in UTF-8; ``default-graph-uri`` and
``named-graph-uri`` set the query's dataset (and override its FROM); without them, and without
FROM, the default graph is the union of all graphs. The answer's type follows the Accept header
(``Vary: Accept``): SELECT and ASK as ``application/sparql-results+json`` (default),
``application/sparql-results+xml``, ``text/csv`` or ``text/tab-separated-values``; CONSTRUCT and
DESCRIBE as ``text/turtle`` (default), ``application/n-triples``, ``application/rdf+xml`` or
``application/ld+json``. Status codes: 400 malformed query or request, 403 an update (the
endpoint is read-only), a SERVICE call to a host not allowed, or a Host header that is not this
server, 406 no acceptable format, 413 a body over 1 MiB, 415 a body that is not a query or not
UTF-8, 503 the time limit, or busy (with ``Retry-After``).

Hostile clients: waitress reads requests in one thread without blocking and hands complete
ones to a bounded set of threads, so slow or half-open connections hold no thread; a client
silent for `Limits.client_timeout` seconds in the middle of a request is disconnected, at most
`Limits.connections` connections are open at once (more wait in the listen backlog of 1024),
and a malformed ``Content-Length`` gets 400. At most `workers` queries run and `Limits.queue`
more wait; beyond that a request gets 503 at once. CORS headers are sent only to the origins
given (``kg serve --cors ORIGIN``), with a preflight answer for ``OPTIONS``.
"""
from __future__ import annotations

import logging
import multiprocessing
import queue
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from graph.errors import InputError, KGError

__all__ = ["Limits", "WorkerPool", "make_app", "negotiate", "serve"]

# Canonical types first: a wildcard in Accept picks the first one not refused.
SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "application/json": "json", "application/xml": "xml", "text/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
    "application/ld+json": "json-ld", "application/x-turtle": "turtle", "text/plain": "nt",
}
_DEFAULT = {"SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
            "CONSTRUCT": "text/turtle"}
PATHS = ("/", "/sparql", "/sparql/")
METHODS = "GET, HEAD, POST, OPTIONS"
MAX_BODY = 1 << 20              # bytes of a POSTed query
BACKLOG = 1024                  # connections the kernel holds while every connection slot is taken
RETRY_AFTER = "1"               # seconds, when every worker is busy and the queue is full
_SPARE_THREADS = 4              # HTTP threads beyond workers + queue: they answer 503 at once
_WAITRESS_OWN_SOCKETS = 2       # waitress counts its listening socket and its wake-up pipe as connections
_CORS_MAX_AGE = "600"


@dataclass(frozen=True)
class Limits:
    """What the endpoint allows.

    timeout: seconds a query may run; max_results: rows (or triples) returned at most;
    queue: requests that may wait for a busy worker (more get 503 at once); connections: open
    connections at most; client_timeout: seconds a client may stay silent mid-request.
    """
    timeout: float = 10.0
    max_results: int = 10000
    queue: int = 16
    connections: int = 100
    client_timeout: int = 10

    def __post_init__(self) -> None:
        from graph.query.sparql import check_timeout

        check_timeout(self.timeout)
        _check_count("--max-results", self.max_results, 1, 10**9)
        _check_count("--queue", self.queue, 0, 10_000)
        _check_count("--max-connections", self.connections, 1, 10_000)
        _check_count("--client-timeout", self.client_timeout, 1, 3600)


def _check_count(option: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise InputError(f"{option} {value}: give a whole number from {low} to {high}")


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status line, media type, body, extra headers."""
    status: str
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def negotiate(accept: str | None, form: str) -> str | None:
    """The media type to answer a `form` query (SELECT, ASK, CONSTRUCT) with, or None (406).

    A type or range with ``q=0`` is never chosen, even when ``*/*`` would match it.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT")
    'application/sparql-results+xml'
    >>> negotiate("*/*", "CONSTRUCT"), negotiate(None, "ASK")
    ('text/turtle', 'application/sparql-results+json')
    >>> negotiate("application/sparql-results+json;q=0, */*", "SELECT")
    'application/sparql-results+xml'
    >>> negotiate("image/png", "SELECT") is None
    True
    """
    supported = GRAPH_TYPES if form == "CONSTRUCT" else SELECT_TYPES
    if not accept or not accept.strip():
        return _DEFAULT[form]
    ranked, refused = [], set()
    for i, item in enumerate(accept.split(",")):
        media, q = _media_range(item)
        if q > 0:
            ranked.append((-q, i, media))
        else:
            refused.add(media)
    for _, _, media in sorted(ranked):
        if media in supported:
            return media
        for candidate in _wildcard_matches(media, supported, _DEFAULT[form]):
            if candidate not in refused and candidate.split("/")[0] + "/*" not in refused:
                return candidate
    return None


def _media_range(item: str) -> tuple[str, float]:
    """A media range of an Accept header and its q value (a malformed q counts as 0)."""
    media, *params = [part.strip().lower() for part in item.split(";")]
    q = 1.0
    for param in params:
        key, _, value = param.partition("=")
        if key.strip() == "q":
            try:
                q = float(value)
            except ValueError:
                q = 0.0
    return media, q


def _wildcard_matches(media: str, supported: dict[str, str], default: str) -> list[str]:
    """The supported types a range like ``*/*`` or ``text/*`` covers, the default first."""
    if not media.endswith("/*"):
        return []
    major = "" if media == "*/*" else media[:-1]
    return [c for c in dict.fromkeys([default, *supported]) if c.startswith(major)]


# ---------------------------------------------------------------- worker processes


def _work(store_path: str, conn, max_results: int, allow_service: tuple[str, ...]) -> None:
    """A worker: open the store read-only, then answer query jobs until the pipe closes."""
    import pyoxigraph as ox

    from graph.query.sparql import on_large_stack

    store = ox.Store.read_only(store_path)
    conn.send("ready")

    def answer_jobs() -> None:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return
            conn.send(_execute(store, *job, max_results=max_results, allow_service=allow_service))
    on_large_stack(answer_jobs)


def _execute(store, text: str, accept: str | None, default_graphs: tuple[str, ...] | None,
             named_graphs: tuple[str, ...] | None, *, max_results: int, allow_service: tuple[str, ...]) -> Response:
    from graph.errors import QueryError, QueryRefused
    from graph.query.results import to_csv, to_json, to_rdf, to_tsv, to_xml
    from graph.query.sparql import query

    try:
        answer = query(store, text, max_rows=max_results, allow_service=allow_service,
                       default_graph_uris=default_graphs, named_graph_uris=named_graphs)
    except QueryRefused as exc:
        return _error("403 Forbidden", str(exc))
    except QueryError as exc:
        if str(exc).startswith("SPARQL syntax error") and _is_update(text):
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


def _error(status: str, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), headers)


def _busy(why: str) -> Response:
    return _error("503 Service Unavailable", why, (("Retry-After", RETRY_AFTER),))


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object


class WorkerPool:
    """Worker processes sharing a read-only store; a query past the time limit costs its worker.

    At most `size` queries run and `limits.queue` more wait for a worker; `run` answers any
    further request with 503 at once.
    """

    def __init__(self, store_path: str, size: int, limits: Limits, log: Callable[[str], None],
                 allow_service: Collection[str] = ()):
        self._path, self._limits, self._log = store_path, limits, log
        self._allow_service = tuple(allow_service)
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._admitted = threading.BoundedSemaphore(size + limits.queue)
        starting = [self._spawn() for _ in range(max(1, size))]
        for worker in starting:
            self._idle.put(self._ready(worker))

    def run(self, text: str, accept: str | None, *, default_graphs: tuple[str, ...] | None = None,
            named_graphs: tuple[str, ...] | None = None) -> Response:
        """The response to one query: its answer, or 503 when the endpoint is full or the query too slow."""
        if not self._admitted.acquire(blocking=False):
            return _busy("the endpoint is busy: every worker is running a query and the queue is full")
        try:
            return self._dispatch((text, accept, default_graphs, named_graphs))
        finally:
            self._admitted.release()

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            worker.process.kill()
            worker.process.join()

    def _dispatch(self, job: tuple) -> Response:
        try:
            worker = self._idle.get(timeout=self._limits.timeout)
        except queue.Empty:
            return _busy("the endpoint is busy: every worker is running a query")
        started = time.monotonic()
        worker.conn.send(job)
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

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_work, daemon=True, name="kg-serve-worker",
                                        args=(self._path, child, self._limits.max_results, self._allow_service))
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


class _Refused(Exception):
    """A request answered before it reaches a worker."""

    def __init__(self, response: Response):
        super().__init__(response.status)
        self.response = response


def make_app(pool: WorkerPool, *, hosts: Collection[str] | None = None, cors: Collection[str] = (),
             log: Callable[[str], None] | None = None) -> Callable:
    """The WSGI application: the SPARQL 1.1 Protocol's query operation at /sparql (and /).

    `hosts`: the names the Host header may give (None: any); `cors`: the origins that get CORS
    headers (``*`` for every origin; none by default); `log`: called with one line per request.
    """
    from graph.query.results import printable      # the log goes to a terminal: no raw controls from a path

    allowed_hosts = None if hosts is None else frozenset(h.lower() for h in hosts)
    origins = frozenset(cors)

    def app(environ, start_response):
        started = time.monotonic()
        try:
            response = _handle(environ, pool, allowed_hosts)
        except _Refused as refused:
            response = refused.response
        headers = _headers(response, environ, origins)
        start_response(response.status, headers)
        if log is not None:
            path = printable(environ.get("PATH_INFO", ""))
            log(f"{environ.get('REMOTE_ADDR', '-')} {environ['REQUEST_METHOD']} {path} {response.status[:3]} "
                f"{1000 * (time.monotonic() - started):.0f} ms")
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else response.body]
    return app


def _handle(environ, pool: WorkerPool, hosts: frozenset[str] | None) -> Response:
    _check_host(environ.get("HTTP_HOST"), hosts)
    if environ.get("PATH_INFO", "/") not in PATHS:
        return _error("404 Not Found", "the SPARQL endpoint is at /sparql")
    method = environ["REQUEST_METHOD"]
    if method == "OPTIONS":
        return Response("204 No Content", "text/plain; charset=utf-8", b"")
    if method not in ("GET", "HEAD", "POST"):
        return _error("405 Method Not Allowed", "use GET or POST")
    params = _params(environ)
    if "update" in params:
        return _error("403 Forbidden", "this endpoint is read-only: SPARQL updates are refused")
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        return _error("400 Bad Request", "give exactly one query: ?query=... (GET or form POST) "
                                         "or an application/sparql-query body")
    return pool.run(queries[0], environ.get("HTTP_ACCEPT"),
                    default_graphs=_graph_iris(params, "default-graph-uri"),
                    named_graphs=_graph_iris(params, "named-graph-uri"))


def _check_host(host_header: str | None, hosts: frozenset[str] | None) -> None:
    """Refuse a Host header that names another server (DNS rebinding: a page of evil.example
    whose name now resolves to 127.0.0.1 must not read this endpoint)."""
    if hosts is None or host_header is None:
        return
    try:
        name = urlsplit("//" + host_header).hostname
    except ValueError:
        name = None
    if name not in hosts:
        raise _Refused(_error("403 Forbidden", f"Host {host_header!r} is not this server's address"))


def _params(environ) -> dict[str, list[str]]:
    """The request's parameters: the URL's, then a form body's, or a query body's as ``query``."""
    params = _form(environ.get("QUERY_STRING", "").encode("latin-1"))
    if environ["REQUEST_METHOD"] != "POST":
        return params
    media, _, rest = environ.get("CONTENT_TYPE", "").partition(";")
    media = media.strip().lower()
    charset = next((value.strip().strip('"').lower() for key, _, value in
                    (p.partition("=") for p in rest.split(";")) if key.strip().lower() == "charset"), "utf-8")
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if media == "application/sparql-update":
        raise _Refused(_error("403 Forbidden", "this endpoint is read-only: SPARQL updates are refused"))
    if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise _Refused(_error("415 Unsupported Media Type",
                              "POST a form (query=...) or an application/sparql-query body"))
    if charset not in ("utf-8", "utf8"):
        raise _Refused(_error("415 Unsupported Media Type", f"send the query in UTF-8, not {charset}"))
    if media == "application/sparql-query":
        params.setdefault("query", []).append(_utf8(body))
        return params
    for key, values in _form(body).items():
        params.setdefault(key, []).extend(values)
    return params


def _form(data: bytes) -> dict[str, list[str]]:
    """URL-encoded parameters; 400 when they are not UTF-8."""
    try:
        return parse_qs(_utf8(data), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise _Refused(_error("400 Bad Request", "the parameters are not UTF-8")) from None


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(_error("400 Bad Request", "the request is not UTF-8")) from None


def _graph_iris(params: dict[str, list[str]], name: str) -> tuple[str, ...] | None:
    """The IRIs of a dataset parameter, None when absent; 400 for one that is not an absolute IRI."""
    if name not in params:
        return None
    for iri in params[name]:
        scheme = urlsplit(iri).scheme
        if not scheme or any(c in iri for c in ' <>"{}|\\^`') or any(ord(c) < 0x21 for c in iri):
            raise _Refused(_error("400 Bad Request", f"{name} {iri!r} is not an absolute IRI"))
    return tuple(params[name])


def _headers(response: Response, environ, origins: frozenset[str]) -> list[tuple[str, str]]:
    """The response's headers: type, length, Vary, Allow, CORS (only for an allowed Origin)."""
    headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body))),
               ("Vary", "Accept, Origin" if origins else "Accept"), *response.headers]
    if response.status[:3] in ("204", "405"):
        headers.append(("Allow", METHODS))
    origin = environ.get("HTTP_ORIGIN")
    if origin is None or not ({origin, "*"} & origins):
        return headers
    headers += [("Access-Control-Allow-Origin", "*" if "*" in origins else origin),
                ("Access-Control-Expose-Headers", "X-SPARQL-MaxRows, Retry-After")]
    if environ["REQUEST_METHOD"] == "OPTIONS":
        headers += [("Access-Control-Allow-Methods", "GET, HEAD, POST"),
                    ("Access-Control-Allow-Headers", "Accept, Content-Type"),
                    ("Access-Control-Max-Age", _CORS_MAX_AGE)]
    return headers


# ---------------------------------------------------------------- the command


@contextmanager
def _store_folder(paths: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    """The folder of the on-disk Oxigraph store the workers open read-only, and its number of
    quads: a corpus store's own folder, or the RDF files (or folders) `paths` loaded into a
    temporary folder, removed on exit."""
    from graph.query.sparql import to_store
    from graph.rdf.io import load_graph
    from graph.rdf.store import is_store, open_store

    if len(paths) == 1 and is_store(paths[0]):
        # a corpus store is served where it lies: the workers open it read-only, nothing is copied
        corpus = open_store(paths[0], read_only=True)
        quads = len(corpus.oxigraph)
        del corpus
        yield str(Path(paths[0]) / "oxigraph"), quads
        return
    folder = tempfile.mkdtemp(prefix="kg-serve-")
    try:
        store = to_store(load_graph(*paths), folder)
        quads = len(store)
        store.flush()
        del store                      # closed: the workers open it read-only
        yield folder, quads
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def serve(*paths: str, host: str = "127.0.0.1", port: int = 7878, limits: Limits = Limits(),
          workers: int = 2, allow_service: Collection[str] = (), cors: Collection[str] = ()) -> None:
    """Serve the RDF files (or folders) `paths` at http://host:port/sparql until interrupted.

    Loads the graph into an on-disk Oxigraph store in a temporary folder, starts `workers` query
    processes, then serves with waitress; Ctrl-C or SIGTERM stops the server, its workers, and
    removes the folder. `allow_service`: hosts a query's SERVICE may call (none by default);
    `cors`: origins that may read answers in a browser (none by default; ``*`` for any).
    """
    _check_count("--port", port, 0, 65535)
    _check_count("--workers", workers, 1, 64)
    listener = _listen(host, port)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with _store_folder(paths) as (folder, quads):
            pool = WorkerPool(folder, workers, limits, _log, allow_service)
            try:
                server = _waitress(make_app(pool, hosts=_host_names(host), cors=cors, log=_log), listener,
                                   threads=workers + limits.queue + _SPARE_THREADS, limits=limits)
                print(f"kg serve: {quads} quads at http://{_url_host(host)}:{listener.getsockname()[1]}/sparql "
                      f"(time limit {limits.timeout:g} s, at most {limits.max_results} results; Ctrl-C stops)",
                      flush=True)
                server.run()
            finally:
                pool.close()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        listener.close()


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port with a deep backlog, or a one-line error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=BACKLOG)
    except OSError as exc:
        raise KGError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _waitress(app: Callable, listener: socket.socket, *, threads: int, limits: Limits):
    """A waitress server for `app` on `listener`, bounded as `limits` says."""
    from waitress.server import create_server

    logger = logging.getLogger("waitress")
    logger.handlers, logger.propagate = [_LogHandler()], False
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)   # the app's own queue answers 503
    return create_server(app, sockets=[listener], threads=threads, backlog=BACKLOG,
                         connection_limit=limits.connections + _WAITRESS_OWN_SOCKETS,
                         channel_timeout=limits.client_timeout,
                         cleanup_interval=1, max_request_body_size=MAX_BODY, asyncore_use_poll=True,
                         clear_untrusted_proxy_headers=True)


def _host_names(host: str) -> frozenset[str] | None:
    """The names a Host header may give for a server bound to `host` (None: a wildcard address,
    reachable under names it cannot know)."""
    if host in ("", "0.0.0.0", "::"):
        return None
    names = {host.lower().strip("[]")}
    if names & {"127.0.0.1", "localhost", "::1"}:
        names |= {"127.0.0.1", "localhost", "::1"}
    return frozenset(names)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class _LogHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _log(record.getMessage().splitlines()[0] if record.getMessage() else record.levelname)


def _log(message: str) -> None:
    sys.stderr.write(f"kg serve: {message}\n")
    sys.stderr.flush()


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt
