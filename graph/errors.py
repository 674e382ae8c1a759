"""Errors raised by the pipeline.

    KGError                 base: every error the `kg` command turns into a one-line message
    ├── InputError          an input cannot be read: an article (missing, too large, not a regular
    │                       file, binary, undecodable…) or a graph (a malformed literal…)
    ├── DataError           a bundled or user-supplied data file (KB, lexicon, patterns) is broken,
    │                       or names a class or property the ontology does not have
    ├── OutputError         the output cannot be written (unknown format, unwritable path)
    ├── QueryError          a SPARQL query is malformed or cannot run; a ready question is misused
    │   └── QueryRefused    the query asks for what is not allowed: calling other endpoints, fetching graphs
    ├── EntityError         a name names no entity of the graph, or several
    ├── RemoteError         a remote endpoint or graph store cannot be reached, or refuses a request
    └── AnalysisError       an entity is not in the entity graph, or two entities are not linked

Every message is one line that says what went wrong and, where it can, how to fix it.
"""
from __future__ import annotations

__all__ = ["AnalysisError", "DataError", "EntityError", "InputError", "KGError", "OutputError", "QueryError",
           "QueryRefused", "RemoteError"]


class KGError(Exception):
    """Base of the errors this package raises on bad input or bad data."""


class InputError(KGError):
    """An input is not a readable article, or not a well-formed graph."""


class DataError(KGError):
    """A data file (knowledge base, lexicon, patterns) is malformed or names an unknown term."""


class OutputError(KGError):
    """The output cannot be written."""


class QueryError(KGError):
    """A SPARQL query is malformed, or cannot run on the graph."""


class QueryRefused(QueryError):
    """A query asks for what is not allowed: a SERVICE call or a FROM download to a host not allowed."""


class EntityError(KGError):
    """A name (a label, an alias, an IRI) names no entity of the graph, or names several."""


class RemoteError(KGError):
    """A remote SPARQL endpoint or graph store cannot be reached, or answers with an error."""


class AnalysisError(KGError):
    """An entity is not in the entity graph, or two entities are not linked."""
