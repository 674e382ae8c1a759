"""What a query asks of the machine, read from its tokens before an engine parses it.

Two dangers come with a query text from someone else:

- depth: both engines recurse as deep as a query nests. Oxigraph's parser overflows its stack
  and the whole process dies (a segmentation fault, not an error) at about 2,000 nested
  braces or 10,000 nested operators on a thread's usual 8 MiB stack; rdflib's parser hits
  Python's recursion limit at about 30 levels. `scan` counts bracket depth and tokens and
  refuses more than `MAX_DEPTH` and `MAX_TOKENS`; `graph.query.sparql` runs Oxigraph on a
  thread whose stack holds `MAX_TOKENS` nested operators with room to spare.
- requests to other machines: ``SERVICE <iri>`` makes either engine call the endpoint the
  query names, anywhere the machine can reach (a server-side request forgery); rdflib also
  downloads and parses ``FROM <iri>`` graphs it does not hold, ``file:`` IRIs included.
  `scan` lists the endpoints a query calls; `refusal` says why one may not be called.

    >>> seen = scan("PREFIX e: <http://example.org/> SELECT * FROM <g> { SERVICE e:sparql { ?s ?p ?o } }",
    ...                base_iri="https://w3id.org/cnkg/id/", prefixes={})
    >>> seen.depth, seen.services, seen.names_dataset
    (2, ('http://example.org/sparql',), True)
    >>> refusal("http://example.org/sparql", allowed_hosts=())
    'SERVICE <http://example.org/sparql>: queries may not call other endpoints (allow a host with --allow-service HOST)'
    >>> refusal("http://example.org/sparql", allowed_hosts=("example.org",)) is None
    True

The lexer follows SPARQL's terminals where a keyword could hide (strings, comments, IRIs,
prefixed names, variables), so a word is a keyword exactly when an engine reads it as one.
One ambiguity remains: ``?a<?b)SERVICE?x#>`` is an IRI to the lexer but a comparison followed
by SERVICE to Oxigraph, so an IRI that holds ``)SERVICE?`` counts as a call to an unknown
endpoint.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from graph.errors import QueryError

__all__ = ["MAX_DEPTH", "MAX_TOKENS", "Seen", "group_start", "on_allowed_host", "query_form", "refusal", "scan"]

MAX_DEPTH = 32          # brackets ( { [ inside one another; the ready questions use 11
MAX_TOKENS = 50_000     # words, terms and operators; a chain of this many operators is as deep

_ESCAPE = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_LEXICON = re.compile(rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>(?:[^\W\d_](?:[\w.\-]*[\w\-])?)?:(?:(?:[\w:]|{_ESCAPE})(?:(?:[\w.:\-]|{_ESCAPE})*(?:[\w:\-]|{_ESCAPE}))?)?)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>.)
""", re.X | re.S)
_HIDDEN_SERVICE = re.compile(r"[)\].]SERVICE[?$]", re.I)
_OPEN, _CLOSE = "({[", ")}]"


@dataclass(frozen=True)
class Seen:
    """What `scan` read: how deep the query nests, how many tokens it has, the endpoints its
    SERVICE clauses call (None where the lexer cannot tell: a variable, an unknown prefix), and
    whether it names its own dataset (FROM or FROM NAMED)."""
    depth: int
    tokens: int
    services: tuple[str | None, ...]
    names_dataset: bool


def scan(text: str, *, base_iri: str, prefixes: Mapping[str, str]) -> Seen:
    """Read the query `text`; raise QueryError when it nests deeper than `MAX_DEPTH` or has more
    than `MAX_TOKENS` tokens. Relative IRIs resolve against `base_iri` (or the query's BASE),
    prefixed names through the query's PREFIX lines, then `prefixes`.

    Cost: one regular-expression pass over the text.
    """
    tokens = _tokens(text)
    if len(tokens) > MAX_TOKENS:
        raise QueryError(f"the query has {len(tokens):,} tokens; at most {MAX_TOKENS:,} are allowed")
    depth = _depth(tokens)
    return Seen(depth, len(tokens), _services(tokens, base_iri, dict(prefixes)),
                any(kind == "word" and value.upper() == "FROM" for kind, value in tokens))


def refusal(service: str | None, allowed_hosts: Collection[str]) -> str | None:
    """Why the query may not call the endpoint `service` (an IRI, or None when unknown), or None
    when it may: only http(s) endpoints on `allowed_hosts` (names, compared without case)."""
    if service is None:
        return ("SERVICE: a query may call only an endpoint named by an IRI on a host allowed with "
                "--allow-service HOST (not a variable or an unknown prefix)")
    if on_allowed_host(service, allowed_hosts):
        return None
    if allowed_hosts:
        hosts = ", ".join(sorted({host.lower() for host in allowed_hosts}))
        return f"SERVICE <{service}>: queries may call endpoints on {hosts} only"
    return f"SERVICE <{service}>: queries may not call other endpoints (allow a host with --allow-service HOST)"


def on_allowed_host(iri: str, allowed_hosts: Collection[str]) -> bool:
    """Whether `iri` is an http(s) IRI whose host is one of `allowed_hosts` (compared without case)."""
    parts = urlsplit(iri)
    return parts.scheme in ("http", "https") and parts.hostname in {host.lower() for host in allowed_hosts}


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of the query `text` ("" when it has none).

    >>> query_form("PREFIX s: <http://e.org/select#> ASK { ?s a s:x }")
    'ASK'
    """
    forms = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    return next((value.upper() for kind, value in _tokens(text) if kind == "word" and value.upper() in forms), "")


def group_start(text: str) -> int | None:
    """The offset just after the first ``{`` of the query (outside strings, comments and IRIs):
    inside the WHERE group of a SELECT or ASK query, where inline data binds its variables first.

    >>> text = "SELECT ?x FROM <g> WHERE { ?x ?p '{' }"
    >>> text[:group_start(text)]
    'SELECT ?x FROM <g> WHERE {'
    """
    return next((m.end() for m in _LEXICON.finditer(text) if m.lastgroup == "other" and m.group() == "{"), None)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) of every token but spaces and comments."""
    return [(m.lastgroup, m.group()) for m in _LEXICON.finditer(text) if m.lastgroup not in ("space", "comment")]


def _depth(tokens: list[tuple[str, str]]) -> int:
    """The deepest bracket nesting; QueryError past `MAX_DEPTH` (before any engine recurses into it)."""
    depth = deepest = 0
    for kind, value in tokens:
        if kind != "other":
            continue
        if value in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryError(f"the query nests more than {MAX_DEPTH} brackets deep; at most {MAX_DEPTH} are allowed")
            deepest = max(deepest, depth)
        elif value in _CLOSE:
            depth = max(0, depth - 1)
    return deepest


def _services(tokens: list[tuple[str, str]], base: str, prefixes: dict[str, str]) -> tuple[str | None, ...]:
    """The endpoints of the SERVICE clauses, following BASE and PREFIX declarations in order."""
    found: list[str | None] = []
    for i, (kind, value) in enumerate(tokens):
        if kind == "iri" and _HIDDEN_SERVICE.search(value):
            found.append(None)
        if kind != "word":
            continue
        keyword = value.upper()
        following = tokens[i + 1:i + 3]
        if keyword == "BASE" and following[:1] and following[0][0] == "iri":
            base = _resolve(following[0][1], base)
        elif keyword == "PREFIX" and len(following) == 2 and following[0][0] == "pname" and following[1][0] == "iri":
            prefixes[following[0][1][:-1]] = _resolve(following[1][1], base)
        elif keyword == "SERVICE":
            if following and following[0][0] == "word" and following[0][1].upper() == "SILENT":
                following = following[1:]
            found.append(_target(following[0] if following else ("other", ""), base, prefixes))
    return tuple(found)


def _target(token: tuple[str, str], base: str, prefixes: Mapping[str, str]) -> str | None:
    """The IRI a SERVICE's target token names, or None (a variable, an unknown prefix, no IRI)."""
    kind, value = token
    if kind == "iri":
        return _resolve(value, base)
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def _resolve(iri_token: str, base: str) -> str:
    """An IRI token (with its angle brackets, maybe relative) made absolute against `base`."""
    return urljoin(base, iri_token[1:-1])
