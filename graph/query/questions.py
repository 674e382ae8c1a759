"""Ready questions: the SPARQL files of graph/data/queries/, with typed parameters bound safely.

A question file opens with comment lines: the question in English, the question in Chinese,
then one line per parameter, ``# @param NAME TYPE [optional]: what it is``, where TYPE is
``entity`` (a label or an IRI), ``date`` (2023, 2023-06 or 2023-06-30), ``text`` or ``integer``.
A parameter is a variable the query projects (Oxigraph substitutes only those); `ask` binds it
with the engine's own mechanism (never by editing the text) and leaves its column out of the
answer, since every row holds the value given.

    >>> import graph
    >>> g = graph.build()
    >>> answer = ask(g, "based-on")
    >>> sorted((str(row[0]), str(row[1])) for row in answer.rows)
    [('3D重建', 'Segment Anything Model'), ('Alpaca', 'LLaMA'), ('Vicuna', 'LLaMA')]
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import resources

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.errors import EntityError
from graph.query.remote import Endpoint
from graph.query.sparql import PREFIXES, Answer, QueryError, query
from graph.rdf.mapping import date_literal

__all__ = ["PARAMETER_TYPES", "Parameter", "Question", "ask", "get_question", "parameter_terms", "questions",
           "resolve_entity"]

PARAMETER_TYPES = ("entity", "date", "text", "integer")
_PARAM_LINE = re.compile(r"#\s*@param\s+(\w+)\s+(\w+)(\s+optional)?\s*:\s*(.*)")


@dataclass(frozen=True)
class Parameter:
    """A value a question takes: ``kg ask NAME GRAPH --param NAME=VALUE``."""
    name: str
    type: str
    optional: bool
    help: str


@dataclass(frozen=True)
class Question:
    """A ready question: its name (the file's stem), the question in English and Chinese, the SPARQL."""
    name: str
    en: str
    zh: str
    text: str
    parameters: tuple[Parameter, ...] = ()


@lru_cache(maxsize=1)
def questions() -> dict[str, Question]:
    """The ready questions by name, sorted.

    >>> len(questions()) >= 12, questions()["layoffs"].zh
    (True, '哪些公司裁员？裁了多少人？何时？')
    """
    folder = resources.files("graph") / "data" / "queries"
    found = {}
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if item.name.endswith(".rq"):
            question = _parse(item.name[:-3], item.read_text(encoding="utf-8"))
            found[question.name] = question
    return found


def get_question(name: str) -> Question:
    """The ready question `name`; a QueryError names the way to list them when there is none."""
    if name not in questions():
        raise QueryError(f"no ready question {name!r} (kg ask --list shows them)")
    return questions()[name]


def _parse(name: str, text: str) -> Question:
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    titles = [line.lstrip("# ").strip() for line in header if not _PARAM_LINE.match(line)]
    if len(titles) < 2:
        raise QueryError(f"{name}.rq: the first two comment lines must state the question in English and Chinese")
    parameters = []
    for line in header:
        match = _PARAM_LINE.match(line)
        if match:
            pname, ptype, optional, help_text = match.groups()
            if ptype not in PARAMETER_TYPES:
                raise QueryError(f"{name}.rq: parameter {pname} has unknown type {ptype!r} "
                                 f"(use one of {', '.join(PARAMETER_TYPES)})")
            parameters.append(Parameter(pname, ptype, bool(optional), help_text.strip()))
    return Question(name, titles[0], titles[1], text, tuple(parameters))


def ask(g: Graph | ox.Store | Endpoint, name: str, *, params: Mapping[str, str] | None = None,
        max_rows: int | None = None) -> Answer:
    """Answer the ready question `name` on `g` (an rdflib graph, a pyoxigraph Store or a remote `Endpoint`).

    Parameters
    ----------
    params : mapping of parameter name to text, optional
        Values as a user types them: an entity's label or IRI, a date such as 2023-06-30.
        Each becomes a typed term (an IRI, an xsd:date / gYearMonth / gYear literal …) bound by
        the engine.

    Raises
    ------
    QueryError
        For an unknown question, or a missing, unknown or malformed parameter.
    EntityError
        For an entity parameter that names no entity or several (see `resolve_entity`).

    Examples
    --------
    >>> import graph
    >>> g = graph.build()
    >>> answer = ask(g, "events-between", params={"from": "2023-03-01", "to": "2023-03-31"})
    >>> "from" in answer.variables
    False
    >>> sorted({(str(r[1]), str(r[0])) for r in answer.rows})
    [('Layoff', '2023-03'), ('Measurement', '2023-03')]
    >>> ask(g, "layoffs", params={"org": "Meta"})
    Traceback (most recent call last):
    graph.errors.QueryError: layoffs takes no parameter 'org' (it takes none)
    """
    question = get_question(name)
    bindings = parameter_terms(g, name, params or {})
    answer = query(g, question.text, bindings=bindings, max_rows=max_rows)
    if answer.form != "SELECT" or not bindings:
        return answer
    keep = [i for i, v in enumerate(answer.variables) if v not in bindings]
    return replace(answer, variables=tuple(answer.variables[i] for i in keep),
                   rows=tuple(tuple(row[i] for i in keep) for row in answer.rows))


def parameter_terms(g: Graph | ox.Store | Endpoint | None, name: str, params: Mapping[str, str]) -> dict[str, Node]:
    """The terms that the parameters of question `name`, as a user types them, bind (see `ask`).

    `g` resolves entity names; a question without an entity parameter needs none.

    >>> parameter_terms(None, "events-between", {"from": "2023-03", "to": "2023-03-31"})["from"]
    rdflib.term.Literal('2023-03', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth'))
    >>> parameter_terms(None, "events-between", {"from": "2023-03"})
    Traceback (most recent call last):
    graph.errors.QueryError: events-between needs --param to=… (the last day (2023-06-30; 2023-06 or 2023 mean the end of that month or year))
    """
    known = {p.name: p for p in get_question(name).parameters}
    for key in params:
        if key not in known:
            raise QueryError(f"{name} takes no parameter {key!r} (it takes {', '.join(known) or 'none'})")
    bindings: dict[str, Node] = {}
    for p in known.values():
        if p.name in params:
            bindings[p.name] = _term(g, p, params[p.name])
        elif not p.optional:
            raise QueryError(f"{name} needs --param {p.name}=… ({p.help})")
    return bindings


def _term(g: Graph | ox.Store | Endpoint | None, p: Parameter, value: str) -> Node:
    value = value.strip()
    if p.type == "entity":
        return resolve_entity(g, value)
    if p.type == "date":
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value) or not _valid_date(value):
            raise QueryError(f"--param {p.name}={value}: not a date (use 2023, 2023-06 or 2023-06-30)")
        return date_literal(value)
    if p.type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise QueryError(f"--param {p.name}={value}: not an integer")
        return Literal(int(value), datatype=XSD.integer)
    return Literal(value)


def _valid_date(text: str) -> bool:
    parts = [int(x) for x in text.split("-")] + [1, 1]
    try:
        date(*parts[:3])
    except ValueError:
        return False
    return True


# Both read named graphs (GRAPH ?g), so that they run on a remote store without a union default graph.
# A label's entity must have a mention count (a class of the ontology has labels too). The counts
# are checked per candidate, not joined: Oxigraph would look up every labelled entity's count before
# filtering the labels (60 ms instead of 5 on 1,000 articles).
_BY_LABEL = """
SELECT DISTINCT ?entity ?preferred ?name WHERE {
  GRAPH ?labels {
    { ?entity rdfs:label ?label BIND(true AS ?preferred) } UNION { ?entity skos:altLabel ?label BIND(false AS ?preferred) }
  }
  FILTER(LCASE(STR(?label)) = LCASE(STR(?name)))
}"""
# A SELECT, not an ASK: Virtuoso answers that ASK without a boolean.
_COUNTED = "SELECT ?entity WHERE { GRAPH ?counts { ?entity kg:mentionCount ?mentions } } LIMIT 1"
_IN_GRAPH = "ASK { GRAPH ?g { { ?iri ?p ?o } UNION { ?s ?p ?iri } } }"


def resolve_entity(g: Graph | ox.Store | Endpoint, name: str) -> URIRef:
    """The entity that `name` names: an IRI, a prefixed name (id:meta), or a label or alias in any language.

    The one way a name becomes an entity, for ready questions, `kg path` and the viewer's focus
    alike. Case is ignored; a preferred label (rdfs:label) wins over an alias (skos:altLabel).

    Raises
    ------
    EntityError
        When the name names no entity of the graph, or several (the message lists their IRIs).

    Examples
    --------
    >>> import graph
    >>> g = graph.build()
    >>> resolve_entity(g, "杨立昆") == resolve_entity(g, "yann lecun") == resolve_entity(g, "id:yann-lecun")
    True
    >>> resolve_entity(g, "Nokia")
    Traceback (most recent call last):
    graph.errors.EntityError: no entity is labelled 'Nokia' in the graph

    Notes
    -----
    One SPARQL query on the graph's labels (rdflib or Oxigraph, whichever holds the graph).
    """
    name = name.strip()
    prefixed = re.fullmatch(r"([A-Za-z][\w-]*):([^/].*)?", name)
    if "://" in name or name.startswith("urn:") or (prefixed and prefixed.group(1) in PREFIXES):
        iri = URIRef(name if "://" in name or name.startswith("urn:")
                     else PREFIXES[prefixed.group(1)] + (prefixed.group(2) or ""))
        if not query(g, _IN_GRAPH, bindings={"iri": iri}).boolean:
            raise EntityError(f"no entity <{iri}> in the graph")
        return iri
    rows = query(g, _BY_LABEL, bindings={"name": Literal(name)}).rows
    counted = {e for e in {r[0] for r in rows} if query(g, _COUNTED, bindings={"entity": e}).rows}
    rows = [r for r in rows if r[0] in counted]
    preferred = sorted({r[0] for r in rows if r[1].toPython() is True})
    found = preferred or sorted({r[0] for r in rows})
    if not found:
        raise EntityError(f"no entity is labelled {name!r} in the graph")
    if len(found) > 1:
        raise EntityError(f"{name!r} names {len(found)} entities ({', '.join(found)}): give an IRI")
    return found[0]
