"""Across the articles of a corpus: stories, conflicts, reference facts, independent support.

    >>> import graph
    >>> from graph.corpus import corpus_graph, examine
    >>> found = examine(graph.build())
    >>> [(str(c.entity).rsplit("/", 1)[-1], c.fact.date, str(c.other.source)) for c in found.conflicts]
    [('dinov2', '2023-05', 'https://arxiv.org/abs/2304.07193'), ('pytorch', '2015', 'http://www.wikidata.org/entity/Q47509047')]

Everything is read from the graph through SPARQL (`graph.query.sparql.query`), so an rdflib
Dataset (files) and a pyoxigraph Store give the same answers. `corpus_graph(g)` returns the
triples a store keeps in the named graph `CORPUS_GRAPH`.
"""
from graph.corpus.compare import load_rules
from graph.corpus.conflicts import Conflict, Findings, Support, conflicts, examine
from graph.corpus.mapping import CORPUS, CORPUS_GRAPH, add_corpus_graph, corpus_dataset, corpus_graph
from graph.corpus.read import Article, Fact, Figure, open_corpus
from graph.corpus.reference import ReferenceFact, load_reference
from graph.corpus.stories import Story, group_articles, stories

__all__ = [
    "Article",
    "CORPUS",
    "CORPUS_GRAPH",
    "Conflict",
    "Fact",
    "Figure",
    "Findings",
    "ReferenceFact",
    "Story",
    "Support",
    "add_corpus_graph",
    "conflicts",
    "corpus_dataset",
    "corpus_graph",
    "examine",
    "group_articles",
    "load_reference",
    "load_rules",
    "open_corpus",
    "stories",
]
