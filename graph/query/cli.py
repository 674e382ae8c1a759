"""The `kg` subcommands of this stage (registered by graph/cli.py).

    kg query GRAPH ... 'SPARQL' | --file Q.rq     run a query (table, csv, tsv, json; CONSTRUCT prints Turtle)
    kg ask --list                                 the ready questions
    kg ask NAME GRAPH ... [--param K=V ...]       answer a ready question
    kg serve GRAPH ... [--host H] [--port P]      a read-only SPARQL 1.1 endpoint
    kg push GRAPH|STORE ... --to URL              write every named graph to a Graph Store Protocol endpoint
    kg query|ask ... --endpoint URL               the same, on a remote SPARQL endpoint

Option values are checked before any graph is loaded; a bad one is a one-line error (exit 2).
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pyoxigraph as ox

from graph.errors import InputError

# A host name or an IP address (IPv6 in brackets or bare), as --allow-service takes it.
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?|\[?[0-9A-Fa-f:.]+\]?")
_ORIGIN = re.compile(r"\*|https?://[^/\s]+")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add this stage's subcommands to the `kg` parser."""
    from graph.query.results import FORMATS

    p = subparsers.add_parser("query", help="run a SPARQL query on a graph",
                              description="Run a SPARQL query on RDF files or folders. The ontology's prefixes "
                                          "(kg, nif, itsrdf, schema, rdfs, rdf, owl, skos, xsd, wd, wdt, id, doc, prov) "
                                          "are declared. CONSTRUCT and DESCRIBE print Turtle.")
    p.add_argument("args", nargs="*", metavar="GRAPH ... [SPARQL]",
                   help="RDF files or folders (none with --endpoint), then the query (unless --file gives it)")
    p.add_argument("-f", "--file", metavar="Q.rq", help="read the query from this file")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: %(default)s)")
    p.add_argument("--engine", choices=("rdflib", "oxigraph"), default="rdflib",
                   help="rdflib (default) or Oxigraph, the engine of `kg serve`")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="seconds the query may run (default: %(default)s)")
    _add_allow_service(p)
    _add_endpoint(p)
    p.set_defaults(run=_query)

    p = subparsers.add_parser("ask", help="answer a ready question (kg ask --list)",
                              description="Answer one of the ready questions of graph/data/queries/.")
    p.add_argument("name", nargs="?", metavar="NAME", help="the question (see --list)")
    p.add_argument("graphs", nargs="*", metavar="GRAPH", help="RDF files or folders")
    p.add_argument("--list", action="store_true", help="list the questions and their parameters")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter: an entity's label or IRI, a date (repeatable)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: %(default)s)")
    p.add_argument("--engine", choices=("rdflib", "oxigraph"), default="rdflib", help="query engine")
    _add_endpoint(p)
    p.set_defaults(run=_ask)

    _add_serve(subparsers)
    _add_push(subparsers)


def _add_serve(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="serve a graph as a read-only SPARQL endpoint",
                              description="Serve RDF files as a read-only SPARQL 1.1 Protocol endpoint at "
                                          "http://HOST:PORT/sparql (Oxigraph engine; queries run in worker "
                                          "processes that are stopped at the time limit).")
    p.add_argument("graphs", nargs="+", metavar="GRAPH", help="RDF files or folders")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    p.add_argument("--port", type=int, default=7878, help="port (default: %(default)s; 0 picks a free one)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="seconds a query may run (default: %(default)s)")
    p.add_argument("--max-results", type=int, default=10000, metavar="N",
                   help="rows (or triples) returned at most; more are cut (default: %(default)s)")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="queries run at once (default: %(default)s)")
    p.add_argument("--queue", type=int, default=16, metavar="N",
                   help="requests that may wait for a busy worker; more get 503 (default: %(default)s)")
    p.add_argument("--max-connections", type=int, default=100, metavar="N",
                   help="open connections at most; more wait to be accepted (default: %(default)s)")
    p.add_argument("--client-timeout", type=int, default=10, metavar="SECONDS",
                   help="seconds a client may stay silent in the middle of a request (default: %(default)s)")
    p.add_argument("--cors", action="append", default=[], metavar="ORIGIN",
                   help="let pages from ORIGIN (https://host[:port], or * for any) read answers (repeatable; "
                        "default: none)")
    _add_allow_service(p)
    p.set_defaults(run=_serve)


def _add_push(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("push", help="write the named graphs to a SPARQL Graph Store",
                              description="Write every named graph (each article's, the entities graph, a corpus "
                                          "graph) to a SPARQL 1.1 Graph Store Protocol endpoint, one HTTP PUT a "
                                          "graph: pushing again replaces, never duplicates. Credentials come from "
                                          "KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, else from the netrc file "
                                          "($NETRC or ~/.netrc).")
    p.add_argument("graphs", nargs="+", metavar="GRAPH|STORE", help="RDF files or folders, or a corpus store")
    p.add_argument("--to", required=True, metavar="URL",
                   help="the Graph Store endpoint: http://HOST:7878/store (Oxigraph), "
                        "http://HOST:8890/sparql-graph-crud-auth (Virtuoso), http://HOST:3030/DATASET/data (Fuseki)")
    p.add_argument("--batch", type=int, default=64, metavar="N", help="graphs sent together (default: %(default)s)")
    p.add_argument("--connections", type=int, default=4, metavar="N",
                   help="requests in flight at once (default: %(default)s)")
    p.add_argument("--retries", type=int, default=4, metavar="N",
                   help="tries after a connection error or a 5xx answer, with a doubling pause (default: %(default)s)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="seconds to wait for each answer (default: %(default)s)")
    p.set_defaults(run=_push)


def _add_endpoint(p: argparse.ArgumentParser) -> None:
    p.add_argument("--endpoint", metavar="URL",
                   help="ask a remote SPARQL 1.1 endpoint instead of files (http://HOST:7878/query for Oxigraph, "
                        "http://HOST:8890/sparql for Virtuoso); credentials as for kg push")


def _add_allow_service(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-service", action="append", default=[], metavar="HOST",
                   help="let queries call SPARQL endpoints on HOST with SERVICE (and let rdflib download "
                        "FROM graphs from it); repeatable; default: no other host is ever contacted")


def _load(paths: list[str], engine: str):
    """Files in the engine asked for; a corpus store is always read by Oxigraph, where it lies."""
    from graph.query.sparql import to_store
    from graph.rdf.io import open_graph

    g = open_graph(*paths)
    return to_store(g) if engine == "oxigraph" and not isinstance(g, ox.Store) else g


def _source(graphs: list[str], args: argparse.Namespace):
    """What to query: the remote endpoint of --endpoint (then no GRAPH), else the files loaded."""
    if not args.endpoint:
        return _load(graphs, args.engine)
    from graph.query.remote import Endpoint

    if graphs:
        raise InputError(f"--endpoint asks a remote store: give no GRAPH ({graphs[0]})")
    return Endpoint(args.endpoint)


def _push(args: argparse.Namespace) -> int:
    from graph.query.push import push
    from graph.rdf.io import open_graph

    for option in ("batch", "connections"):
        if getattr(args, option) < 1:
            raise InputError(f"--{option} {getattr(args, option)}: give a number of 1 or more")
    if args.retries < 0 or not 0 < args.timeout <= 86400:
        raise InputError("--retries must be 0 or more and --timeout more than 0 seconds")
    from graph.query.http import Client

    Client(args.to)         # a malformed URL fails before the graphs are read
    summary = push(open_graph(*args.graphs), args.to, batch=args.batch, connections=args.connections,
                   retries=args.retries, timeout=args.timeout)
    print(summary.line())
    return 0


def _query(args: argparse.Namespace) -> int:
    from graph.query.results import format_answer, write_output
    from graph.query.sparql import query

    from graph.query.sparql import check_timeout

    check_timeout(args.timeout)
    hosts = _hosts(args.allow_service)
    if args.file:
        graphs, text = args.args, _read_query(Path(args.file))
    elif len(args.args) < (1 if args.endpoint else 2):
        raise InputError("give a query (--endpoint URL 'SPARQL'), or --file Q.rq" if args.endpoint
                         else "give GRAPH ... and a query, or --file Q.rq")
    else:
        graphs, text = args.args[:-1], args.args[-1]
    answer = query(_source(graphs, args), text, allow_service=hosts, timeout=args.timeout)
    write_output(format_answer(answer, args.format), report=args.format == "table")
    return 0


def _read_query(path: Path) -> str:
    """The text of a query file, or a one-line error (missing, unreadable, not UTF-8)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _hosts(values: list[str]) -> tuple[str, ...]:
    """--allow-service values: host names or addresses, without scheme, port or path."""
    for value in values:
        if not _HOST.fullmatch(value):
            raise InputError(f"--allow-service {value}: give a host name or address, like example.org")
    return tuple(value.strip("[]").lower() for value in values)


def _ask(args: argparse.Namespace) -> int:
    from graph.query.kept import answer_on_store
    from graph.query.questions import ask, get_question, questions
    from graph.query.results import format_answer, write_output
    from graph.rdf.store import is_store

    if args.list:
        for q in questions().values():
            params = " ".join(f"[--param {p.name}=…]" if p.optional else f"--param {p.name}=…" for p in q.parameters)
            print(f"{q.name}{' ' + params if params else ''}\n    {q.en}\n    {q.zh}")
            for p in q.parameters:
                print(f"    {p.name} ({p.type}{', optional' if p.optional else ''}): {p.help}")
        return 0
    if not args.name or not (args.graphs or args.endpoint):
        raise InputError("give a question NAME and GRAPH ... or --endpoint URL (kg ask --list shows the questions)")
    params = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param {item}: write NAME=VALUE")
        params[key.strip()] = value
    get_question(args.name)      # a typo fails before the graph is loaded
    if not args.endpoint and len(args.graphs) == 1 and is_store(args.graphs[0]):
        answer = answer_on_store(args.graphs[0], args.name, params=params)     # kept at build time, or asked
    else:
        answer = ask(_source(args.graphs, args), args.name, params=params)
    write_output(format_answer(answer, args.format), report=args.format == "table")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from graph.query.server import Limits, serve

    for origin in args.cors:
        if not _ORIGIN.fullmatch(origin):
            raise InputError(f"--cors {origin}: give an origin like https://example.org:8080, or *")
    limits = Limits(timeout=args.timeout, max_results=args.max_results, queue=args.queue,
                    connections=args.max_connections, client_timeout=args.client_timeout)
    serve(*args.graphs, host=args.host, port=args.port, limits=limits, workers=args.workers,
          allow_service=_hosts(args.allow_service), cors=tuple(args.cors))
    return 0
