"""networkx analysis of the entity graph: conversion, rankings, communities, paths, export.

    >>> import graph
    >>> from graph.analysis import shortest_chain, to_networkx
    >>> vicuna, alpaca = "https://w3id.org/cnkg/id/vicuna", "https://w3id.org/cnkg/id/alpaca"
    >>> [str(s) for s in shortest_chain(to_networkx(graph.build()), vicuna, alpaca)]
    ['Vicuna —based on→ LLaMA', 'LLaMA ←based on— Alpaca']
"""
from graph.analysis.convert import to_networkx
from graph.analysis.export import export, for_gephi
from graph.analysis.measures import Analysis, Ranked, analyze, communities, pagerank, rank, weighted
from graph.analysis.paths import AnalysisError, Step, entity_node, shortest_chain

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
