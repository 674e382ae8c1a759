"""The `kg` subcommands of this stage (registered by graph/cli.py).

    kg analyze GRAPH ... [--format text|json]     counts, top entities by degree and PageRank, communities
    kg path GRAPH ... A B                          the shortest chain between two entities, with evidence
    kg export GRAPH ... -o FILE.graphml|.gexf      the entity graph for Gephi
"""
from __future__ import annotations

import argparse
import json

from graph.errors import InputError


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add this stage's subcommands to the `kg` parser."""
    p = subparsers.add_parser("analyze", help="rank entities, find communities, count",
                              description="The entity graph (events folded into edges between their participants, "
                                          "concepts left out): counts, the top entities by degree and by PageRank, "
                                          "and communities (Louvain, fixed seed).")
    p.add_argument("graphs", nargs="+", metavar="GRAPH", help="RDF files or folders")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: %(default)s)")
    p.add_argument("--top", type=int, default=10, help="entities per ranking (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="seed of the community detection (default: %(default)s)")
    p.add_argument("--include-concepts", action="store_true", help="keep kg:Concept nodes (元宇宙, 开源 …)")
    p.set_defaults(run=_analyze)

    p = subparsers.add_parser("path", help="the shortest chain between two entities",
                              description="The shortest chain of relations and events between two entities "
                                          "(by label, alias or IRI), with the evidence sentence of each step.")
    p.add_argument("args", nargs="+", metavar="GRAPH ... A B", help="RDF files or folders, then the two entities")
    p.add_argument("--include-concepts", action="store_true", help="let the chain pass through concepts")
    p.set_defaults(run=_path)

    p = subparsers.add_parser("export", help="write the entity graph as GraphML or GEXF (Gephi)",
                              description="Write the entity graph with labels, types and edge weights "
                                          "(parallel edges merged) as GraphML or GEXF.")
    p.add_argument("graphs", nargs="+", metavar="GRAPH", help="RDF files or folders")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.graphml or FILE.gexf")
    p.add_argument("--include-concepts", action="store_true", help="keep kg:Concept nodes")
    p.set_defaults(run=_export)


def _entity_graph(paths: list[str], include_concepts: bool):
    from graph.analysis.convert import to_networkx
    from graph.rdf.io import open_entity_layer

    dataset = open_entity_layer(*paths)
    return dataset, to_networkx(dataset, include_concepts=include_concepts)


def _analyze(args: argparse.Namespace) -> int:
    from graph.analysis.measures import analyze

    _, G = _entity_graph(args.graphs, args.include_concepts)
    result = analyze(G, top=args.top, seed=args.seed)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return 0
    c = result.counts
    kinds = ", ".join(f"{k} {n}" for k, n in c["edges_by_kind"].items())
    print(f"entities    {c['entities']}  ({', '.join(f'{t} {n}' for t, n in c['entities_by_type'].items())})")
    print(f"edges       {c['edges']}  ({kinds})")
    print(f"components  {c['components']}  ({c['isolated']} isolated entities)")
    for title, ranking, fmt in (("by degree", result.degree, "{:.0f}"), ("by PageRank", result.pagerank, "{:.4f}")):
        print(f"\ntop {len(ranking)} {title}")
        for i, r in enumerate(ranking, 1):
            print(f"  {i:>2}  {fmt.format(r.score):>6}  {r.label} ({r.type})")
    print(f"\ncommunities (Louvain, seed {args.seed})")
    for i, group in enumerate(result.communities, 1):
        print(f"  {i:>2}  {', '.join(G.nodes[n]['label'] for n in group)}")
    return 0


def _path(args: argparse.Namespace) -> int:
    from graph.analysis.paths import shortest_chain
    from graph.query.questions import resolve_entity

    if len(args.args) < 3:
        raise InputError("give GRAPH ... and two entities: kg path GRAPH A B")
    dataset, G = _entity_graph(args.args[:-2], args.include_concepts)
    a, b = (str(resolve_entity(dataset, name)) for name in args.args[-2:])
    steps = shortest_chain(G, a, b)
    print(f"{G.nodes[a]['label']} … {G.nodes[b]['label']}: {len(steps)} step{'' if len(steps) == 1 else 's'}")
    for step in steps:
        when = f" ({step.date})" if step.date else ""
        print(f"  {step}{when}")
        for sentence in step.evidence:
            print(f"      “{sentence}”")
    return 0


def _export(args: argparse.Namespace) -> int:
    from graph.analysis.export import export

    _, G = _entity_graph(args.graphs, args.include_concepts)
    export(G, args.output)
    print(f"wrote {args.output} ({G.number_of_nodes()} entities, {G.number_of_edges()} edges)")
    return 0
