"""What a viewer says about each fact from the corpus graph: conflicts, confirmations, sources.

    >>> import graph
    >>> from graph.corpus import add_corpus_graph
    >>> from graph.rdf.namespaces import DOC
    >>> g = add_corpus_graph(graph.build())
    >>> words = {"conflict": "conflict", "confirmed": "confirmed", "copies": "copy", "independent": "independent",
    ...          "sources": "{stories} stories, {articles} articles"}
    >>> fact_marks(g, words)[DOC["0c5fc54fa0f2c0fe/OpenSourcing/1"]]
    [('conflict', 'conflict: pytorch releaseDate 2016-09/2017-01 (http://www.wikidata.org/entity/Q47509047)')]
"""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.query.sparql import query

__all__ = ["fact_marks"]


def fact_marks(g: Graph | ox.Store, words: dict[str, str]) -> dict[URIRef, list[tuple[str, str]]]:
    """For each fact the corpus graph of `g` speaks about, its marks as (kind, text): kind is
    "conflict", "confirmed" or "sources"; `words` gives the words for "conflict", "confirmed",
    "copies", "independent" and "sources" (with {stories} and {articles}). The sources of each
    fact are given only when the corpus holds more than one story. Empty when `g` has no corpus
    graph."""
    marks: dict[URIRef, list[tuple[str, str]]] = defaultdict(list)
    for fact, other_sentence, independent, label, source in query(g, """
        SELECT ?fact ?otherSentence ?independent ?label ?source WHERE {
          ?conflict a kg:Conflict ; kg:conflictingFact ?fact, ?other .
          ?fact kg:evidence ?s .
          FILTER(?fact != ?other)
          OPTIONAL { ?conflict kg:independentSources ?independent }
          OPTIONAL { ?other kg:evidence ?os . ?os nif:anchorOf ?otherSentence }
          OPTIONAL { ?other rdfs:label ?label ; prov:wasDerivedFrom ?source }
        } ORDER BY ?fact ?otherSentence ?label""").rows:
        if other_sentence is not None:
            between = words["independent"] if independent is not None and independent.toPython() else words["copies"]
            marks[fact].append(("conflict", f"{words['conflict']}: “{other_sentence}” ({between})"))
        elif label is not None:
            marks[fact].append(("conflict", f"{words['conflict']}: {label} ({source})"))
    for fact, label, source in query(g, """
        SELECT ?fact ?label ?source WHERE { ?fact kg:confirmedBy ?r . ?r rdfs:label ?label ; prov:wasDerivedFrom ?source }
        ORDER BY ?fact ?label""").rows:
        marks[fact].append(("confirmed", f"{words['confirmed']}: {label} ({source})"))
    if len(query(g, "SELECT ?story WHERE { ?story a kg:Story } LIMIT 2").rows) < 2:
        return dict(marks)          # one story: every fact has that one source
    for fact, stories, articles in query(g, """
        SELECT ?fact ?stories ?articles WHERE { ?fact kg:supportingStories ?stories ; kg:supportingArticles ?articles }
        """).rows:
        marks[fact].append(("sources", words["sources"].format(stories=int(stories), articles=int(articles))))
    return dict(marks)
