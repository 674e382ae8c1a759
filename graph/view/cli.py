"""The `kg` subcommands of this stage (registered by graph/cli.py).

    kg view GRAPH ... -o FILE.html [--lang zh|en] [--events edges|nodes] [--focus NAME [--depth N]]
"""
from __future__ import annotations

import argparse
from pathlib import Path

from graph.errors import OutputError

__all__ = ["add_commands"]


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add this stage's subcommands to the `kg` parser."""
    p = subparsers.add_parser(
        "view", help="write the graph as one self-contained HTML page",
        description="Write an interactive HTML view of RDF graphs: one file that works offline "
                    "(search, type filters, events as nodes or edges, evidence for every fact).")
    p.add_argument("graphs", nargs="+", metavar="GRAPH", help="RDF files or folders")
    p.add_argument("-o", "--output", required=True, metavar="FILE.html", help="the page to write")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="label language (default: %(default)s)")
    p.add_argument("--events", choices=("edges", "nodes"), default="edges",
                   help="draw events as labelled edges between their participants or as small nodes of their own "
                        "(the page has a toggle; default: %(default)s)")
    p.add_argument("--focus", metavar="NAME", help="draw only the neighbourhood of the entity with this name")
    p.add_argument("--depth", type=int, default=1, metavar="N", help="steps from --focus (default: %(default)s)")
    p.set_defaults(run=_view)


def _view(args: argparse.Namespace) -> int:
    from graph.rdf.io import open_entity_layer
    from graph.view import view

    if Path(args.output).suffix.lower() not in (".html", ".htm"):
        raise OutputError(f"{args.output}: the page must be an .html file")
    net = view(open_entity_layer(*args.graphs), lang=args.lang, fold_events=args.events == "edges", focus=args.focus,
               depth=args.depth)
    net.write_html(args.output)
    print(f"wrote {args.output} ({len(net.nodes)} nodes, {len(net.edges)} edges)")
    return 0
