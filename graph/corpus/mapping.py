"""The corpus graph: stories, conflicts, confirmations and support counts as triples.

IRIs of what the corpus functions find are minted here and only here.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef

__all__ = ["CORPUS", "CORPUS_GRAPH", "story_iri"]

CORPUS = Namespace("https://w3id.org/cnkg/corpus/")              # stories, conflicts, reference facts
CORPUS_GRAPH = URIRef("https://w3id.org/cnkg/graph/corpus")      # the named graph that holds them


def story_iri(first: URIRef) -> URIRef:
    """A story's IRI, named after its first article (``…/doc/0c5f…`` -> ``…/corpus/story/0c5f…``)."""
    return CORPUS["story/" + str(first).rstrip("/").rsplit("/", 1)[-1]]
