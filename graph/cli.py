"""The `kg` command: a thin layer over the Python API.

    kg build [INPUT ...] [-o OUT]     article(s) -> RDF (format from OUT's extension)
    kg validate GRAPH ...             SHACL report; exit 1 when the graph does not conform
    kg stats GRAPH ...                triples, entities by type, facts by kind
    kg normalize FILE                 print the article with spun words restored

Errors print one line on stderr and exit with status 2.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections import Counter
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import RDF, RDFS

from graph.errors import KGError
from graph.rdf.io import format_for, load_graph, serialize, write_atomic
from graph.rdf.namespaces import KG


# Modules with an `add_commands(subparsers)` function that adds their subcommands.
_COMMAND_MODULES = ("graph.query.cli", "graph.analysis.cli", "graph.view.cli", "graph.corpus.cli")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KGError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from Chinese tech and business news.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="extract a knowledge graph from articles",
                       description="Extract a knowledge graph from articles (UTF-8, GB18030, Big5 or HTML). "
                                   "With no INPUT, builds the bundled article.")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="article files (default: the bundled article)")
    p.add_argument("-o", "--output",
                   help="output file; format from its extension: .trig .ttl .nt .nq .jsonld "
                        "(default: out/<first input's name>.trig, out/meta-2023.trig for the bundled article)")
    p.add_argument("--kb", action="append", default=[], metavar="TOML", help="extra knowledge-base file (repeatable)")
    p.add_argument("--no-spin-repair", action="store_true", help="extract from the text as written")
    p.add_argument("-q", "--quiet", action="store_true", help="print no summary")
    p.set_defaults(run=_build)

    p = sub.add_parser("validate", help="check a graph against the SHACL shapes",
                       description="Validate RDF files against ontology/shapes.ttl; exit 1 when they do not conform.")
    p.add_argument("graphs", nargs="+", metavar="GRAPH", help="RDF files or folders")
    p.set_defaults(run=_validate)

    p = sub.add_parser("stats", help="count triples, entities by type and facts by kind",
                       description="Print triples, entities by type and facts by kind.")
    p.add_argument("graphs", nargs="+", metavar="GRAPH", help="RDF files or folders")
    p.set_defaults(run=_stats)

    p = sub.add_parser("normalize", help="print an article with spun words restored",
                       description="Print the article's text with spun words restored (as `kg build` reads it).")
    p.add_argument("input", metavar="FILE")
    p.set_defaults(run=_normalize)

    # Commands of later stages register themselves: each module owns its subcommands.
    for module in _COMMAND_MODULES:
        importlib.import_module(module).add_commands(sub)
    return parser


def _build(args: argparse.Namespace) -> int:
    from graph.pipeline import build

    if args.output is None:
        args.output = f"out/{Path(args.inputs[0]).stem if args.inputs else 'meta-2023'}.trig"
    fmt = format_for(args.output)
    dataset = build(*args.inputs, kb_files=tuple(args.kb), repair_spin=not args.no_spin_repair)
    write_atomic(args.output, serialize(dataset, fmt))
    if not args.quiet:
        print(f"wrote {args.output}")
        print(_summary(dataset))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from graph.rdf.validate import validate

    conforms, report = validate(load_graph(*args.graphs))
    print(report.strip() if not conforms else "conforms: the graph passes every SHACL shape")
    return 0 if conforms else 1


def _stats(args: argparse.Namespace) -> int:
    print(_summary(load_graph(*args.graphs)))
    return 0


def _normalize(args: argparse.Namespace) -> int:
    from graph.text import normalize, read_document

    doc = normalize(read_document(Path(args.input)))
    sys.stdout.write(doc.text if doc.text.endswith("\n") else doc.text + "\n")
    return 0


def _summary(dataset: Dataset) -> str:
    """Triples, entities by type, facts by kind (the classes as the ontology sorts them)."""
    from graph.rdf.validate import ontology_graph

    onto = ontology_graph()
    entity_classes = set(onto.transitive_subjects(RDFS.subClassOf, KG.Entity))
    fact_classes = set(onto.transitive_subjects(RDFS.subClassOf, KG.Event)) \
        | set(onto.transitive_subjects(RDFS.subClassOf, RDF.Statement))
    entity_types, fact_kinds, triples = Counter(), Counter(), 0
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        triples += 1
        if p == RDF.type and o in fact_classes:
            fact_kinds[str(o)[len(str(KG._NS)):]] += 1
        elif p == RDF.type and o in entity_classes:
            entity_types[str(o)[len(str(KG._NS)):]] += 1
    lines = [f"triples   {triples}", f"entities  {sum(entity_types.values())}"]
    lines += [f"  {name:<18} {n}" for name, n in sorted(entity_types.items(), key=lambda kv: (-kv[1], kv[0]))]
    if fact_kinds:
        lines.append(f"facts     {sum(fact_kinds.values())}")
        lines += [f"  {name:<18} {n}" for name, n in sorted(fact_kinds.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
