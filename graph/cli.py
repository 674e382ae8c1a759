"""The `kg` command: a thin layer over the Python API.

    kg build [INPUT ...] [-o OUT]     article(s) -> RDF (format from OUT's extension)
    kg build DIR ... --store PATH     a corpus into a persistent store, incrementally, on all cores
    kg remove STORE ARTICLE ...       take articles out of a store
    kg validate GRAPH ...             SHACL report; exit 1 when the graph does not conform
    kg stats GRAPH ...                triples, entities by type, facts by kind
    kg normalize FILE [--fold] [--diff]  print the article as written, spun words restored

Errors print one line on stderr and exit with status 2.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import logging
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from graph.errors import InputError, KGError
from graph.query.results import printable, write_output
from graph.rdf.io import format_for, open_graph, serialize_nquads, write_atomic
from graph.rdf.namespaces import KG
from graph.text.read import MAX_SIZE


# Modules with an `add_commands(subparsers)` function that adds their subcommands.
_COMMAND_MODULES = ("graph.query.cli", "graph.analysis.cli", "graph.view.cli", "graph.corpus.cli")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # rdflib logs a traceback for every literal that does not fit its datatype ("abc" as an
    # xsd:integer); `kg validate` lists those, and a command that needs such a value says so in one line.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    try:
        return args.run(args)
    except KGError as exc:
        print(f"kg: error: {printable(str(exc))}", file=sys.stderr)   # a message may quote the graph's text
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from Chinese tech and business news.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(sub, "build", _build, "extract a knowledge graph from articles")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="article files or folders (default: the bundled article)")
    p.add_argument("--from-list", metavar="FILE", help="read more input paths from FILE, one a line (- for stdin)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output",
                       help="output file; format from its extension: .trig .ttl .nt .nq .jsonld "
                            "(default: out/<first input's name>.trig, out/meta-2023.trig for the bundled article)")
    where.add_argument("--store", metavar="PATH",
                       help="a corpus store (an Oxigraph folder): created when new; a re-run builds only new or "
                            "changed files")
    p.add_argument("--compact", action="store_true",
                   help="with --store: compact the store at the end, so that questions run faster (a re-run with "
                        "no new file only compacts)")
    p.add_argument("-j", "--jobs", type=_positive_int, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--dask", metavar="ADDRESS", help="run the extraction on a Dask cluster (tcp://host:8786)")
    p.add_argument("--kb", action="append", default=[], metavar="TOML", help="extra knowledge-base file (repeatable)")
    p.add_argument("--no-spin-repair", action="store_true", help="extract from the text as written")
    p.add_argument("--max-size", type=_positive_int, default=MAX_SIZE, metavar="BYTES",
                   help="refuse article files larger than this (default: %(default)s, 20 MiB)")
    p.add_argument("-q", "--quiet", action="store_true", help="print no summary and no progress")

    p = _command(sub, "remove", _remove, "remove articles from a corpus store")
    p.add_argument("store", metavar="STORE")
    p.add_argument("articles", nargs="+", metavar="ARTICLE",
                   help="an article's file path (as built), its IRI, or its doc: name or hash")
    for name, run, summary in (("validate", _validate, "check a graph against the SHACL shapes"),
                               ("stats", _stats, "count triples, entities by type and facts by kind")):
        _command(sub, name, run, summary).add_argument("graphs", nargs="+", metavar="GRAPH", help="RDF files or folders")
    p = _command(sub, "normalize", _normalize, "print an article with spun words restored")
    p.add_argument("input", metavar="FILE")
    p.add_argument("--fold", action="store_true",
                   help="also fold characters as extraction reads them (NFKC: ，-> ,; Traditional -> Simplified)")
    p.add_argument("--diff", action="store_true",
                   help="print what changed instead of the text: offsets in the text as written, before -> after")

    # Commands of later stages register themselves: each module owns its subcommands.
    for module in _COMMAND_MODULES:
        importlib.import_module(module).add_commands(sub)
    return parser


def _command(sub: argparse._SubParsersAction, name: str, run, summary: str) -> argparse.ArgumentParser:
    """A subcommand: `summary` is its line in `kg --help`, the docstring of `run` its description."""
    p = sub.add_parser(name, help=summary, description=inspect.getdoc(run))
    p.set_defaults(run=run)
    return p


def _build(args: argparse.Namespace) -> int:
    """Extract a knowledge graph from articles (UTF-8, GB18030, Big5 or HTML): into one RDF file, or
    with --store into a corpus store that later runs extend. Folders are read recursively (.txt,
    .html, .htm). With no INPUT, builds the bundled article."""
    from graph.ingest import build_corpus, list_inputs
    from graph.pipeline import bundled_path
    from graph.rdf.store import CorpusStore, open_store

    if args.compact and args.store is None:
        raise InputError("--compact compacts a corpus store: give --store PATH")
    paths = list_inputs(args.inputs, args.from_list) if args.inputs or args.from_list else [str(bundled_path())]
    if args.store is None:
        args.output = args.output or f"out/{Path(args.inputs[0]).stem if args.inputs else 'meta-2023'}.trig"
        fmt = format_for(args.output)
    store = open_store(args.store, create=True) if args.store else CorpusStore()

    def report_failure(failure) -> None:
        print(f"kg: error: {printable(failure.message)}", file=sys.stderr)

    report = build_corpus(paths, store, jobs=args.jobs, dask=args.dask, kb_files=tuple(args.kb),
                          repair_spin=not args.no_spin_repair, max_size=args.max_size, on_failure=report_failure,
                          progress=False if args.quiet else None)
    if report.failures and not report.built and not report.unchanged:
        return 2
    if args.compact:
        store.compact()
    if args.store is None:
        write_atomic(args.output, serialize_nquads(store.nquads(), fmt))
    if not args.quiet:
        print(f"wrote {args.store or args.output}")
        print(report.summary() if args.store or len(paths) > 1 else _summary(store.oxigraph))
    return 1 if report.failures else 0


def _remove(args: argparse.Namespace) -> int:
    """Remove articles from a corpus store: their graphs, their files' records, and entities no
    other article names."""
    from graph.query.kept import keep_answers
    from graph.rdf.store import open_store

    store = open_store(args.store)
    for name in args.articles:
        removed = store.remove(store.find_article(name))
        print(f"removed {name}" + (f" (built from {', '.join(removed)})" if removed else ""))
    store.flush()
    keep_answers(store)
    return 0


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _validate(args: argparse.Namespace) -> int:
    """Validate RDF files against ontology/shapes.ttl; exit 1 when they do not conform."""
    from graph.rdf.validate import validate

    conforms, report = validate(open_graph(*args.graphs))
    write_output(report.strip() if not conforms else "conforms: the graph passes every SHACL shape", report=True)
    return 0 if conforms else 1


def _stats(args: argparse.Namespace) -> int:
    """Print triples, entities by type and facts by kind."""
    print(_summary(open_graph(*args.graphs)))
    return 0


def _normalize(args: argparse.Namespace) -> int:
    """Print the article's text as written, with only spun words restored (--fold: also the
    character folding extraction applies; --diff: the changes, with their offsets)."""
    from graph.text import read_document
    from graph.text.normalize import restore_text

    text, changes = restore_text(read_document(Path(args.input)).original, fold=args.fold)
    if args.diff:
        for change in changes:
            print(f"{change.start}-{change.end}\t{change.why}\t{change.before!r} -> {change.after!r}")
        print(f"{len(changes)} change{'s' if len(changes) != 1 else ''}")
        return 0
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _summary(g: Dataset | ox.Store) -> str:
    """Triples, entities by type, facts by kind (the classes as the ontology sorts them).

    Counted by SPARQL, so that a corpus store is counted where it lies.
    """
    from graph.query.sparql import query
    from graph.rdf.ontology import vocabulary

    entity_classes, fact_classes = vocabulary().entity_classes, vocabulary().fact_classes
    entity_types, fact_kinds = Counter(), Counter()
    rows = query(g, "SELECT ?type (COUNT(DISTINCT ?node) AS ?n) WHERE { ?node a ?type "
                    "FILTER(STRSTARTS(STR(?type), STR(kg:))) } GROUP BY ?type").rows
    for type_, n in rows:
        name = str(type_)[len(str(KG._NS)):]
        if type_ in fact_classes:
            fact_kinds[name] += int(n)
        elif type_ in entity_classes:
            entity_types[name] += int(n)
    triples = len(g) if isinstance(g, ox.Store) else sum(1 for _ in g.quads((None, None, None, None)))
    lines = [f"triples   {triples}", f"entities  {sum(entity_types.values())}"]
    lines += [f"  {name:<18} {n}" for name, n in sorted(entity_types.items(), key=lambda kv: (-kv[1], kv[0]))]
    if fact_kinds:
        lines.append(f"facts     {sum(fact_kinds.values())}")
        lines += [f"  {name:<18} {n}" for name, n in sorted(fact_kinds.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
