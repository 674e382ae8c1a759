"""Errors raised by the pipeline.

    KGError                 base: every error the `kg` command turns into a one-line message
    ├── InputError          the input cannot be read as an article (missing, binary, undecodable…)
    ├── DataError           a bundled or user-supplied data file (KB, lexicon, patterns) is broken
    ├── OutputError         the output cannot be written (unknown format, unwritable path)
    ├── QueryError          a SPARQL query is malformed or cannot run; a ready question is misused
    │   └── QueryRefused    the query asks for what is not allowed: calling other endpoints, fetching graphs
    └── AnalysisError       an entity is not in the entity graph, or two entities are not linked
"""
from __future__ import annotations

__all__ = ["AnalysisError", "DataError", "InputError", "KGError", "OutputError", "QueryError", "QueryRefused"]


class KGError(Exception):
    """Base of the errors this package raises on bad input or bad data."""


class InputError(KGError):
    """The input is not a readable article."""


class DataError(KGError):
    """A data file (knowledge base, lexicon, patterns) is malformed."""


class OutputError(KGError):
    """The output cannot be written."""


class QueryError(KGError):
    """A SPARQL query is malformed, or cannot run on the graph."""


class QueryRefused(QueryError):
    """A query asks for what is not allowed: a SERVICE call or a FROM download to a host not allowed."""


class AnalysisError(KGError):
    """An entity is not in the entity graph, or two entities are not linked."""
