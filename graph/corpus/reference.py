"""Reference facts: what the knowledge base knows for certain, and how an article's facts meet it.

The files of data/reference/ give a few certain, stable facts per knowledge-base entity (a release
or founding date, the developers, the founders, a model's parameter counts), each with its
source. `check` sets a fact of an article against them: it agrees (confirmed), contradicts them
(a conflict: a different date, a different value) or meets none.

    >>> from graph.rdf.namespaces import ID
    >>> ref = load_reference()[ID.pytorch, "releaseDate"]
    >>> ref.values, str(ref.source), ref.wikidata_property
    (('2016-09/2017-01',), 'http://www.wikidata.org/entity/Q47509047', 'P577')
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from rdflib import URIRef

from graph.corpus.compare import FIGURES, Rules, dates_agree, date_span, figures_agree, load_rules
from graph.corpus.read import Fact, is_kb_entity
from graph.datafiles import bundled, read_toml
from graph.errors import DataError
from graph.rdf.namespaces import ID, WD

__all__ = ["ReferenceFact", "check", "load_reference"]

_WIKIDATA_PROPERTY = re.compile(r"P[1-9]\d*")


@dataclass(frozen=True)
class ReferenceFact:
    """A reference fact: `entity`'s `property` takes one of `values` (ISO dates or intervals,
    Decimals, or entity IRIs). `complete` says the values are the whole truth; `source` is the
    entity's Wikidata item or the document that states it; `wikidata_property` the Wikidata
    property (P577 …) that holds it."""
    entity: URIRef
    property: str
    values: tuple[str | Decimal | URIRef, ...]
    complete: bool
    source: URIRef
    wikidata_property: str | None = None


def load_reference(*paths: str | Path) -> dict[tuple[URIRef, str], ReferenceFact]:
    """The reference facts of `paths` (default: every file of data/reference/), by (entity, property).

    Entity ids and entity values must be knowledge-base ids and properties must be those of
    the comparison rules' [reference.*] tables; a fact needs a source. Anything else raises
    DataError naming the file and the entry.
    """
    if not paths:
        paths = tuple(sorted(str(f) for f in bundled("reference").iterdir() if f.name.endswith(".toml")))
    return _load(tuple(str(p) for p in paths))


def check(fact: Fact, reference: dict[tuple[URIRef, str], ReferenceFact],
          rules: Rules | None = None) -> Iterator[tuple[ReferenceFact, str | None, str, object]]:
    """The reference facts `fact` meets: (reference, disagreement or None when it agrees, the
    property of `fact` compared — "date", a figure, or a statement's predicate — and the
    reference value it agrees with, or None).

    >>> from graph.corpus.read import Fact
    >>> from graph.rdf.namespaces import ID
    >>> fact = Fact(ID["x/1"], "OpenSourcing", ID.x, "2015年,Meta开源了PyTorch。", 0, 19,
    ...             roles=(("agent", ID.meta), ("object", ID.pytorch)), date="2015")
    >>> [(ref.property, kind, prop) for ref, kind, prop, _ in check(fact, load_reference())]
    [('releaseDate', 'DifferentDate', 'date')]
    """
    rules = rules or load_rules()
    for prop in rules.references.values():
        if not prop.applies(fact):
            continue
        for entity in sorted(fact.entities(prop.entity)):
            ref = reference.get((entity, prop.name))
            if ref is None:
                continue
            if prop.value == "date":
                if fact.date is not None:
                    match = next((v for v in ref.values if dates_agree(fact.date, v, rules.tolerance)), None)
                    yield ref, None if match else "DifferentDate", "date", match
            elif prop.value in FIGURES:
                figure = fact.figure(prop.value)
                if figure is not None:
                    match = next((v for v in ref.values if figures_agree(figure.value, v, rules.tolerance)), None)
                    yield ref, None if match is not None else "DifferentValue", prop.value, match
            else:
                for value in sorted(fact.entities(prop.value)):
                    if value in ref.values:
                        yield ref, None, fact.predicate or prop.value, value
                    elif ref.complete and is_kb_entity(value):
                        yield ref, "DifferentValue", fact.predicate or prop.value, None


@lru_cache(maxsize=4)
def _load(paths: tuple[str, ...]) -> dict[tuple[URIRef, str], ReferenceFact]:
    from graph.extract.kb import load_kb

    kb = load_kb().entries
    references = load_rules().references
    found: dict[tuple[URIRef, str], ReferenceFact] = {}
    for path in paths:
        for key, entry in read_toml(path, "reference facts").items():
            where = f"reference facts {path}: [{key}]"
            if key not in kb:
                raise DataError(f"{where}: no knowledge-base entity has this id")
            if not isinstance(entry, dict):
                raise DataError(f"{where}: write one table per entity")
            for name, spec in entry.items():
                if name not in references:
                    raise DataError(f"{where}: unknown property {name!r} (use one of {', '.join(sorted(references))})")
                fact = _fact(f"{where} {name}", ID[key], name, spec, references[name].value, kb)
                found[fact.entity, name] = fact
    return found


def _fact(where: str, entity: URIRef, name: str, spec: dict, kind: str, kb: dict) -> ReferenceFact:
    if not isinstance(spec, dict) or ("value" in spec) == ("values" in spec):
        raise DataError(f"{where}: give either value or values")
    raw = [spec["value"]] if "value" in spec else list(spec["values"])
    if not raw:
        raise DataError(f"{where}: no values")
    if kind == "date":
        if any(not isinstance(v, str) or date_span(v) is None for v in raw):
            raise DataError(f"{where}: a date is ISO (2023, 2023-02, 2023-02-24) or an interval 2016-09/2017-01")
        values: tuple = tuple(raw)
    elif kind in FIGURES:
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in raw):
            raise DataError(f"{where}: values must be numbers")
        values = tuple(Decimal(str(v)) for v in raw)
    else:
        unknown = [v for v in raw if v not in kb]
        if unknown:
            raise DataError(f"{where}: {', '.join(map(repr, unknown))} is not a knowledge-base id")
        values = tuple(ID[v] for v in raw)
    prop = spec.get("wikidata")
    if prop is not None and not _WIKIDATA_PROPERTY.fullmatch(str(prop)):
        raise DataError(f"{where}: wikidata must be a property id such as P577")
    qid = kb[str(entity)[len(str(ID)):]].wikidata
    if "source" in spec:
        source = URIRef(str(spec["source"]))
    elif qid and prop:
        source = WD[qid]
    else:
        raise DataError(f"{where}: give a source (the entity has no Wikidata id, or no wikidata property is named)")
    return ReferenceFact(entity, name, values, bool(spec.get("complete", kind in ("date", *FIGURES))), source, prop)
