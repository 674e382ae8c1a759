"""SPARQL over the graph: queries on rdflib or Oxigraph, ready questions, a read-only endpoint.

    >>> import graph
    >>> from graph.query import ask, query
    >>> g = graph.build()
    >>> query(g, "ASK { id:alpaca kg:isBasedOn id:llama }").boolean
    True
    >>> sorted(str(row[1]) for row in ask(g, "layoffs").rows)
    ['10000', '11000']
"""
from graph.query.questions import Parameter, Question, ask, get_question, questions, resolve_entity
from graph.query.sparql import PREFIXES, Answer, QueryError, query, to_store

__all__ = [
    "Answer",
    "PREFIXES",
    "Parameter",
    "QueryError",
    "Question",
    "ask",
    "get_question",
    "query",
    "questions",
    "resolve_entity",
    "to_store",
]
