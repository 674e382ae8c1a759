"""Knowledge graphs from Chinese tech and business news.

    >>> import graph
    >>> g = graph.build()                     # the bundled article
    >>> conforms, _ = graph.validate(g)
    >>> conforms
    True
"""
from graph.errors import AnalysisError, DataError, EntityError, InputError, KGError, OutputError, QueryError
from graph.pipeline import build, bundled_article, process
from graph.query import ask
from graph.query import query as sparql
from graph.rdf import load_graph, validate
from graph.text import read_document
from graph.view import view


def __getattr__(name: str):
    # to_networkx is imported on first use: networkx is slow to import, and a build needs none of it
    if name == "to_networkx":
        from graph.analysis import to_networkx

        return to_networkx
    raise AttributeError(f"module 'graph' has no attribute {name!r}")


__all__ = [
    "AnalysisError",
    "DataError",
    "EntityError",
    "InputError",
    "KGError",
    "OutputError",
    "QueryError",
    "ask",
    "build",
    "bundled_article",
    "load_graph",
    "process",
    "read_document",
    "sparql",
    "to_networkx",
    "validate",
    "view",
]
