"""The `kg` subcommands of this stage (registered by graph/cli.py).

    kg analyze GRAPH ... [--format text|json]     counts, top entities by degree and PageRank, communities
    kg path GRAPH ... A B                          the shortest chain between two entities, with evidence
    kg export GRAPH ... -o FILE.graphml|.gexf      the entity graph for Gephi
"""
from __future__ import annotations

import argparse
import json

from graph.errors import InputError


__all__ = ["add_commands"]


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add this stage's subcommands to the `kg` parser."""
    p = _command(subparsers, "analyze", _analyze, "rank entities, find communities, count",
                 "The entity graph (events folded into edges between their participants, concepts left out): "
                 "counts, the top entities by degree and by PageRank, and communities (Louvain, fixed seed).",
                 concepts="keep kg:Concept nodes (元宇宙, 开源 …)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: %(default)s)")
    p.add_argument("--top", type=int, default=10, help="entities per ranking (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="seed of the community detection (default: %(default)s)")

    _command(subparsers, "path", _path, "the shortest chain between two entities",
             "The shortest chain of relations and events between two entities (by label, alias or IRI), "
             "with the evidence sentence of each step.", concepts="let the chain pass through concepts",
             graphs=("args", "GRAPH ... A B", "RDF files or folders, then the two entities"))

    p = _command(subparsers, "export", _export, "write the entity graph as GraphML or GEXF (Gephi)",
                 "Write the entity graph with labels, types and edge weights (parallel edges merged) "
                 "as GraphML or GEXF.", concepts="keep kg:Concept nodes")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.graphml or FILE.gexf")


def _command(subparsers: argparse._SubParsersAction, name: str, run, summary: str, description: str, *,
             concepts: str, graphs: tuple[str, str, str] = ("graphs", "GRAPH", "RDF files or folders")
             ) -> argparse.ArgumentParser:
    """A subcommand over the entity graph of RDF files: the files, --include-concepts, and what runs it."""
    p = subparsers.add_parser(name, help=summary, description=description)
    dest, metavar, help_text = graphs
    p.add_argument(dest, nargs="+", metavar=metavar, help=help_text)
    p.add_argument("--include-concepts", action="store_true", help=concepts)
    p.set_defaults(run=run)
    return p


def _entity_graph(paths: list[str], include_concepts: bool):
    from graph.analysis.convert import to_networkx
    from graph.rdf.io import open_entity_layer

    dataset = open_entity_layer(*paths)
    return dataset, to_networkx(dataset, include_concepts=include_concepts)


def _analyze(args: argparse.Namespace) -> int:
    from graph.analysis.measures import analyze
    from graph.query.results import write_output

    _, G = _entity_graph(args.graphs, args.include_concepts)
    result = analyze(G, top=args.top, seed=args.seed)
    if args.format == "json":
        write_output(json.dumps(result.to_dict(), ensure_ascii=False, indent=1), report=False)
        return 0
    c = result.counts
    kinds = ", ".join(f"{k} {n}" for k, n in c["edges_by_kind"].items())
    lines = [f"entities    {c['entities']}  ({', '.join(f'{t} {n}' for t, n in c['entities_by_type'].items())})",
             f"edges       {c['edges']}  ({kinds})",
             f"components  {c['components']}  ({c['isolated']} isolated entities)"]
    for title, ranking, fmt in (("by degree", result.degree, "{:.0f}"), ("by PageRank", result.pagerank, "{:.4f}")):
        lines += ["", f"top {len(ranking)} {title}"]
        lines += [f"  {i:>2}  {fmt.format(r.score):>6}  {r.label} ({r.type})" for i, r in enumerate(ranking, 1)]
    lines += ["", f"communities (Louvain, seed {args.seed})"]
    lines += [f"  {i:>2}  {', '.join(G.nodes[n]['label'] for n in group)}" for i, group in enumerate(result.communities, 1)]
    write_output("\n".join(lines), report=True)
    return 0


def _path(args: argparse.Namespace) -> int:
    from graph.analysis.paths import shortest_chain
    from graph.query.questions import resolve_entity
    from graph.query.results import write_output

    if len(args.args) < 3:
        raise InputError("give GRAPH ... and two entities: kg path GRAPH A B")
    dataset, G = _entity_graph(args.args[:-2], args.include_concepts)
    a, b = (str(resolve_entity(dataset, name)) for name in args.args[-2:])
    steps = shortest_chain(G, a, b)
    lines = [f"{G.nodes[a]['label']} … {G.nodes[b]['label']}: {len(steps)} step{'' if len(steps) == 1 else 's'}"]
    for step in steps:
        lines.append(f"  {step}" + (f" ({step.date})" if step.date else ""))
        lines += [f"      “{sentence}”" for sentence in step.evidence]
    write_output("\n".join(lines), report=True)
    return 0


def _export(args: argparse.Namespace) -> int:
    from graph.analysis.export import export

    _, G = _entity_graph(args.graphs, args.include_concepts)
    written = export(G, args.output)
    print(f"wrote {args.output} ({written.number_of_nodes()} entities, {written.number_of_edges()} edges)")
    return 0
