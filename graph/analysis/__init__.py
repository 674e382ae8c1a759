"""networkx analysis of the entity graph: conversion, rankings, communities, paths, export.

    >>> import graph
    >>> from graph.analysis import shortest_chain, to_networkx
    >>> vicuna, alpaca = "https://w3id.org/cnkg/id/vicuna", "https://w3id.org/cnkg/id/alpaca"
    >>> [str(s) for s in shortest_chain(to_networkx(graph.build()), vicuna, alpaca)]
    ['Vicuna —based on→ LLaMA', 'LLaMA ←based on— Alpaca']
"""
import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.analysis.convert import to_networkx
    from graph.analysis.export import export, for_gephi
    from graph.analysis.measures import Analysis, Ranked, analyze, communities, pagerank, rank, weighted
    from graph.analysis.paths import AnalysisError, Step, entity_node, shortest_chain

# Each name's module, imported on first use: networkx takes ~0.5 s to import, which every `kg`
# command (a build too) would pay at start, and only the analysis commands need it.
_HOMES = {"to_networkx": "convert", "export": "export", "for_gephi": "export", "Analysis": "measures",
          "Ranked": "measures", "analyze": "measures", "communities": "measures", "pagerank": "measures",
          "rank": "measures", "weighted": "measures", "AnalysisError": "paths", "Step": "paths",
          "entity_node": "paths", "shortest_chain": "paths"}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'graph.analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"graph.analysis.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Analysis",
    "AnalysisError",
    "Ranked",
    "Step",
    "analyze",
    "communities",
    "entity_node",
    "export",
    "for_gephi",
    "pagerank",
    "rank",
    "shortest_chain",
    "to_networkx",
    "weighted",
]
