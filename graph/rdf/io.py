"""Read and write graphs: format from the file extension, atomic writes, sorted output.

Writing goes through pyoxigraph's serializers (compiled, streaming, correct escaping); the
quads are sorted first, so the same graph always gives the same bytes. Reading gives an rdflib
`Dataset` for files, or a `pyoxigraph.Store` for a corpus store (`graph.rdf.store`), which
every reading command accepts as it is: nothing of a store is loaded into memory.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD

from graph.errors import InputError, OutputError
from graph.rdf.namespaces import PREFIXES

__all__ = ["FORMATS", "format_for", "from_oxigraph", "load_graph", "open_entity_layer", "open_graph", "serialize", "serialize_nquads", "serialize_quads",
           "to_oxigraph", "write_atomic"]

FORMATS = {".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld"}
_OX_FORMATS = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "nquads": ox.RdfFormat.N_QUADS, "json-ld": ox.RdfFormat.JSON_LD}
_QUAD_FORMATS = {"trig", "nquads", "json-ld"}


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f"{path}: unknown RDF format {suffix!r} (use one of {', '.join(FORMATS)})")
    return FORMATS[suffix]


def serialize_quads(quads: Iterable[ox.Quad], fmt: str) -> bytes:
    """Serialize pyoxigraph quads deterministically: same quads, same bytes (see `serialize_nquads`).

    >>> q = ox.Quad(ox.NamedNode("https://w3id.org/cnkg/id/a"), ox.NamedNode("https://w3id.org/cnkg/ontology#p"),
    ...             ox.Literal("x\\u2028y"), ox.NamedNode("https://w3id.org/cnkg/doc/1"))
    >>> print(serialize_quads([q, q], "nt").decode(), end="")
    <https://w3id.org/cnkg/id/a> <https://w3id.org/cnkg/ontology#p> "x\u2028y" .
    """
    return serialize_nquads(ox.serialize(quads, format=ox.RdfFormat.N_QUADS), fmt)


def serialize_nquads(nquads: bytes, fmt: str) -> bytes:
    """Serialize N-Quads text deterministically in format `fmt`: same quads, same bytes.

    Triple formats (Turtle, N-Triples) hold the union of the graphs; quad formats keep each
    named graph. Duplicate quads go; lines are sorted as N-Quads bytes.
    """
    keep_graphs = fmt in _QUAD_FORMATS
    if not keep_graphs:
        nquads = ox.serialize((q.triple for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)),
                              format=ox.RdfFormat.N_TRIPLES)
    # N-Quads is the sort key: one line a quad (a line break inside a literal is always escaped,
    # so splitting at b"\n" is exact), graph name last, compared as bytes.
    unique = sorted(set(nquads.split(b"\n")) - {b""})
    if fmt in ("nt", "nquads"):
        return b"\n".join(unique) + b"\n" if unique else b""
    parsed = list(ox.parse(b"\n".join(unique), format=ox.RdfFormat.N_QUADS if keep_graphs else ox.RdfFormat.N_TRIPLES))
    if keep_graphs:
        parsed.sort(key=lambda q: "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value)
    data = ox.serialize(parsed, format=_OX_FORMATS[fmt], prefixes=None if fmt == "json-ld" else PREFIXES)
    return _compact_json_ld(data) if fmt == "json-ld" else data


def serialize(g: Graph, fmt: str) -> bytes:
    """Serialize an rdflib Graph or Dataset deterministically (see `serialize_quads`)."""
    return serialize_quads(to_oxigraph(g), fmt)


def _compact_json_ld(data: bytes) -> bytes:
    """JSON-LD with an @context of our prefixes, compact IRIs, nodes and values sorted so the bytes
    repeat, and indentation for people. Named graphs stay graph objects (@id + @graph).

    >>> q = ox.Quad(ox.NamedNode("https://w3id.org/cnkg/id/a"), ox.NamedNode("https://w3id.org/cnkg/ontology#count"),
    ...             ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ...             ox.NamedNode("https://w3id.org/cnkg/doc/1"))
    >>> tree = json.loads(serialize_quads([q], "json-ld"))
    >>> tree["@graph"]
    [{'@graph': [{'@id': 'id:a', 'kg:count': [{'@type': 'xsd:integer', '@value': '3'}]}], '@id': 'doc:1'}]
    """
    namespaces = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

    def compact_iri(iri: str) -> str:
        for prefix, namespace in namespaces:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def compact(value, key: str | None = None):
        if isinstance(value, dict):
            return {compact_iri(k) if not k.startswith("@") else k: compact(v, k) for k, v in value.items()}
        if isinstance(value, list):
            items = [compact(v, key) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return compact_iri(value) if key in ("@id", "@type") and isinstance(value, str) else value

    tree = {"@context": dict(sorted(PREFIXES.items())), "@graph": compact(json.loads(data))}
    return json.dumps(tree, sort_keys=True, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written output."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o666 & ~_umask())     # mkstemp makes 0600; an output is a normal file
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------- reading


def open_graph(*paths: str | Path) -> Dataset | ox.Store:
    """A corpus store opened read-only (one folder made by `kg build --store`), else `load_graph(*paths)`."""
    from graph.rdf.store import is_store, open_store

    if len(paths) == 1 and is_store(paths[0]):
        return open_store(paths[0], read_only=True).oxigraph
    if any(is_store(p) for p in paths):
        raise InputError("a corpus store is read on its own: give the store alone, or files alone")
    return load_graph(*paths)


def open_entity_layer(*paths: str | Path) -> Dataset:
    """What analysis and the viewer read: files as `load_graph` reads them; from a corpus store,
    every quad but mentions and article texts, which they never read and which make up most of it."""
    g = open_graph(*paths)
    if not isinstance(g, ox.Store):
        return g
    from graph.rdf.namespaces import KG, NIF

    skipped = {str(NIF.isString), str(KG.restoredText)}
    return from_oxigraph(q for q in g.quads_for_pattern(None, None, None)
                         if q.predicate.value not in skipped and "#char=" not in q.subject.value)


def load_graph(*paths: str | Path) -> Dataset:
    """Load RDF files (or folders of them) into one Dataset."""
    dataset = Dataset(default_union=True)
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix.lower() in FORMATS)
        elif p.exists():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file")
    if not files:
        raise InputError(f"{', '.join(map(str, paths))}: no RDF files found")
    for f in files:
        fmt = FORMATS.get(f.suffix.lower(), "turtle")
        try:
            if fmt in _QUAD_FORMATS:
                dataset.parse(f, format=fmt)
            else:
                dataset.graph(f.resolve().as_uri()).parse(f, format=fmt)
        except Exception as exc:  # rdflib raises many parser-specific types
            raise InputError(f"{f}: not valid {fmt}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    return dataset


# ---------------------------------------------------------------- rdflib <-> pyoxigraph


def to_oxigraph(g: Graph) -> list[ox.Quad]:
    """The quads of an rdflib Graph or Dataset as pyoxigraph quads (a Graph's go to the default graph)."""
    if isinstance(g, Dataset):
        quads = ((s, p, o, None if c == DATASET_DEFAULT_GRAPH_ID else c) for s, p, o, c in g.quads())
    else:
        quads = ((s, p, o, None) for s, p, o in g)
    return [ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), ox.DefaultGraph() if c is None else to_ox_term(c))
            for s, p, o, c in quads]


def from_oxigraph(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib Dataset (default graph = union of the named graphs) holding pyoxigraph quads."""
    dataset = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        dataset.bind(prefix, ns)
    for q in quads:
        graph = dataset if isinstance(q.graph_name, ox.DefaultGraph) else dataset.graph(from_ox_term(q.graph_name))
        graph.add((from_ox_term(q.subject), from_ox_term(q.predicate), from_ox_term(q.object)))
    return dataset


def to_ox_term(term):
    """An rdflib term as a pyoxigraph term; an InputError for what rdflib read but RDF does not
    allow (an IRI with a control character, a malformed language tag)."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    except ValueError as exc:
        raise InputError(f"{term.n3()}: not valid RDF ({exc})") from None
    raise TypeError(f"not an RDF term: {term!r}")


@lru_cache(maxsize=1 << 16)
def from_ox_term(term):
    """A pyoxigraph term as an rdflib term (None stays None: an unbound variable).

    Each distinct term is made once: an answer repeats its names and sentences row after row,
    and an rdflib Literal costs ~10 µs to make (three quarters of the Python side of a ready
    question's 3,000 rows).
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    return Literal(str(term))   # an RDF-star triple term, shown as text
