"""When two facts state the same thing, and when their values agree (data/corpus/compare.toml).

A rule says which facts state the same property of the same thing (`identity`) and what must
then agree (`disagreement`). Values agree within the file's tolerances: figures within a relative
margin or a rounding (近7000亿 and 6900亿), dates when the spans they name overlap (2023 and
2023-02).

    >>> rules = load_rules()
    >>> tol = rules.tolerance
    >>> figures_agree(Decimal("7e11"), Decimal("6.9e11"), tol), figures_agree(Decimal(11000), Decimal(12000), tol)
    (True, False)
    >>> dates_agree("2023", "2023-02", tol), dates_agree("2015", "2016-09/2017-01", tol)
    (True, False)
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from importlib.abc import Traversable
from pathlib import Path

from rdflib import URIRef

from graph.corpus.read import ROLES, Fact
from graph.datafiles import bundled, read_toml
from graph.errors import DataError
from graph.rdf.namespaces import KG

__all__ = ["FIGURES", "ReferenceProperty", "Rule", "Rules", "Tolerance", "date_span", "dates_agree", "disagreement",
           "figures_agree", "identity", "load_rules", "rule_for", "says"]

FIGURES = ("count", "amount", "percentage", "quantity")
_PRECISIONS = {"year": 4, "month": 7, "day": 10}
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_NOISE = Context(prec=12)        # float noise in extracted figures (71.9亿 -> 7190000000.000001)


@dataclass(frozen=True)
class Tolerance:
    """How far apart values may be and still agree (see data/corpus/compare.toml)."""
    relative: Decimal
    round_relative: Decimal
    date_slack_days: int
    identity_precision: int          # characters of an ISO date: 4 year, 7 month, 10 day


@dataclass(frozen=True)
class Rule:
    """Facts of `kind` (and `predicate`, `unit`, `object_types`) with equal `same` state one thing."""
    kind: str
    same: tuple[str, ...]
    compare: tuple[str, ...]
    conflicts: bool = False
    predicate: str | None = None
    unit: str | None = None
    object_types: frozenset[str] = frozenset()

    def matches(self, fact: Fact, types: dict[URIRef, frozenset[str]]) -> bool:
        if fact.kind != self.kind or fact.predicate != self.predicate:
            return False
        if self.unit is not None and fact.unit != self.unit:
            return False
        return not self.object_types or any(types.get(e, frozenset()) & self.object_types
                                            for e in fact.entities("object"))


@dataclass(frozen=True)
class ReferenceProperty:
    """Which facts of the articles a reference property speaks about, and which value it checks."""
    name: str
    kinds: frozenset[str]
    entity: str
    value: str                       # "date", a figure ("quantity" …) or "object"
    predicate: str | None = None
    unit: str | None = None

    def applies(self, fact: Fact) -> bool:
        return (fact.kind in self.kinds and fact.predicate == self.predicate
                and (self.unit is None or fact.unit == self.unit))


@dataclass(frozen=True)
class Rules:
    tolerance: Tolerance
    rules: tuple[Rule, ...]
    references: dict[str, ReferenceProperty]


def load_rules(path: str | Path | Traversable | None = None) -> Rules:
    """The comparison rules of `path` (default: the bundled data/corpus/compare.toml).

    Every class, role and property name is checked against the ontology; a wrong one raises
    DataError naming it.
    """
    return _load(path if path is not None else bundled("corpus", "compare.toml"))


def rule_for(fact: Fact, rules: Rules, types: dict[URIRef, frozenset[str]]) -> Rule | None:
    """The first rule that matches `fact` (None: compare it by class, predicate and every role)."""
    return next((r for r in rules.rules if r.matches(fact, types)), None)


def identity(fact: Fact, rule: Rule | None, tolerance: Tolerance) -> tuple | None:
    """What makes two facts state the same thing under `rule`; None when the fact lacks a part.

    Without a rule (or when a `same` role is missing) the identity is the class, the predicate
    and every role, and the fact is compared with no other rule's facts.
    """
    if rule is not None:
        parts = []
        for name in rule.same:
            if name == "date":
                if fact.date is None or len(fact.date) < tolerance.identity_precision:
                    break
                parts.append(fact.date[:tolerance.identity_precision])
            elif fact.entities(name):
                parts.append(fact.entities(name))
            else:
                break
        else:
            return (rule, *parts)
    return (fact.kind, fact.predicate, fact.roles)


def disagreement(a: Fact, b: Fact, what: str, tolerance: Tolerance) -> str | None:
    """How `a` and `b` disagree on `what` ("date", a figure, "object", "text"): "DifferentDate",
    "DifferentUnit", "DifferentValue", or None when they agree or one of them does not say."""
    if what == "date":
        if a.date and b.date and not dates_agree(a.date, b.date, tolerance):
            return "DifferentDate"
        return None
    if what in FIGURES:
        x, y = a.figure(what), b.figure(what)
        if x is None or y is None:
            return None
        if x.unit and y.unit and x.unit != y.unit:
            return "DifferentUnit"
        return None if figures_agree(x.value, y.value, tolerance) else "DifferentValue"
    if what == "text":
        return None if not a.text or not b.text or _words(a.text) == _words(b.text) else "DifferentValue"
    x, y = a.entities(what), b.entities(what)
    return "DifferentValue" if x and y and x != y else None


def says(fact: Fact, what: str) -> bool:
    """Whether `fact` states a value for `what`."""
    if what == "date":
        return fact.date is not None
    if what in FIGURES:
        return fact.figure(what) is not None
    if what == "text":
        return bool(fact.text)
    return bool(fact.entities(what))


def figures_agree(a: Decimal, b: Decimal, tolerance: Tolerance) -> bool:
    """Whether two figures agree: within `relative`, or the finer one rounds to the rounder one
    (fewer significant digits) and they are within `round_relative`.

    >>> tol = load_rules().tolerance
    >>> [figures_agree(Decimal(x), Decimal(y), tol) for x, y in [(130e8, 13e9), (1e4, 1.1e4), (1e4, 1.04e4)]]
    [True, False, True]
    """
    a, b = _NOISE.plus(a), _NOISE.plus(b)
    if a == b:
        return True
    largest = max(abs(a), abs(b))
    if abs(a - b) <= tolerance.relative * largest:
        return True
    digits_a, digits_b = _digits(a), _digits(b)
    if digits_a == digits_b:
        return False
    rounder, finer, digits = (a, b, digits_a) if digits_a < digits_b else (b, a, digits_b)
    rounded = Context(prec=digits, rounding=ROUND_HALF_UP).plus(finer)
    return rounded == rounder and abs(a - b) <= tolerance.round_relative * largest


def dates_agree(a: str, b: str, tolerance: Tolerance) -> bool:
    """Whether two ISO dates (or intervals ``start/end``) name overlapping spans, widened by the slack.

    >>> tol = load_rules().tolerance
    >>> dates_agree("2023-04-05", "2023-04", tol), dates_agree("2023-05", "2023-04", tol)
    (True, False)
    """
    span_a, span_b = date_span(a), date_span(b)
    if span_a is None or span_b is None:
        return True                  # a date this module cannot read contradicts nothing
    slack = timedelta(days=tolerance.date_slack_days)
    return span_a[0] - slack <= span_b[1] + slack and span_b[0] - slack <= span_a[1] + slack


def date_span(iso: str) -> tuple[date, date] | None:
    """The first and last day an ISO date (2023, 2023-02, 2023-02-24) or interval (2016-09/2017-01) names.

    >>> date_span("2023-02"), date_span("2016-09/2017-01")[1]
    ((datetime.date(2023, 2, 1), datetime.date(2023, 2, 28)), datetime.date(2017, 1, 31))
    """
    first, _, last = iso.partition("/")
    start, end = _bounds(first), _bounds(last or first)
    if start is None or end is None:
        return None
    return start[0], end[1]


def _bounds(iso: str) -> tuple[date, date] | None:
    match = _ISO.fullmatch(iso.strip()[:10])
    if not match:
        return None
    year, month, day = int(match[1]), match[2] and int(match[2]), match[3] and int(match[3])
    try:
        if day:
            return date(year, month, day), date(year, month, day)
        if month:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def _digits(value: Decimal) -> int:
    return len(value.normalize().as_tuple().digits)


def _words(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


@lru_cache(maxsize=4)
def _load(path) -> Rules:
    data = read_toml(path, "comparison rules")
    try:
        tol = data["tolerance"]
        precision = _PRECISIONS.get(tol["identity_precision"])
        if precision is None:
            raise DataError(f"comparison rules {path}: identity_precision must be one of {', '.join(_PRECISIONS)}")
        tolerance = Tolerance(Decimal(str(tol["relative"])), Decimal(str(tol["round_relative"])),
                              int(tol["date_slack_days"]), precision)
        rules = tuple(Rule(kind=r["class"], same=tuple(r["same"]), compare=tuple(r["compare"]),
                           conflicts=bool(r.get("conflicts", False)), predicate=r.get("predicate"),
                           unit=r.get("unit"), object_types=frozenset(r.get("object_types", ())))
                      for r in data.get("rule", []))
        references = {name: ReferenceProperty(name=name, kinds=frozenset(r["classes"]), entity=r["entity"],
                                              value=r["value"], predicate=r.get("predicate"), unit=r.get("unit"))
                      for name, r in data.get("reference", {}).items()}
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise DataError(f"comparison rules {path}: missing or malformed {exc}") from None
    _check(path, rules, references)
    return Rules(tolerance, rules, references)


def _check(path, rules: tuple[Rule, ...], references: dict[str, ReferenceProperty]) -> None:
    """Every name in the rules is the ontology's: classes, roles, properties, compared values."""
    from rdflib.namespace import OWL, RDF

    from graph.rdf.ontology import ontology_graph

    onto = ontology_graph()
    ns = str(KG._NS)
    classes = {str(c)[len(ns):] for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(ns)}
    properties = {str(p)[len(ns):] for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
                  for p in onto.subjects(RDF.type, kind) if str(p).startswith(ns)}
    values = set(ROLES.values()) | {"date", "text", *FIGURES}
    for rule in rules:
        names = [("class", rule.kind, classes), ("predicate", rule.predicate, properties)]
        names += [("type", t, classes) for t in rule.object_types]
        names += [("value", v, values) for v in (*rule.same, *rule.compare)]
        _unknown(path, f"rule for {rule.kind}", names)
        if not set(rule.same) & set(ROLES.values()):
            raise DataError(f"comparison rules {path}: rule for {rule.kind}: `same` must name a role (agent, object …)")
    for ref in references.values():
        names = [("reference property", ref.name, properties), ("predicate", ref.predicate, properties),
                 ("role", ref.entity, set(ROLES.values())), ("value", ref.value, values)]
        names += [("class", k, classes) for k in ref.kinds]
        _unknown(path, f"reference.{ref.name}", names)


def _unknown(path, where: str, names: list[tuple[str, str | None, set[str]]]) -> None:
    for what, name, known in names:
        if name is not None and name not in known:
            raise DataError(f"comparison rules {path}: {where}: unknown {what} {name!r}")
