"""Facts across a corpus: conflicts, confirmations by reference facts, independent support.

`examine(g)` reads the corpus once and finds:

- **stories** (`graph.corpus.stories`): the articles that are copies of one report;
- **support**: for each fact, how many stories and how many articles state it (a fact that
  three copies of one story state has one independent source);
- **conflicts**: two facts of different articles that state the same property of the same thing
  (data/corpus/compare.toml) with values that disagree beyond the tolerances, marked
  independent when the articles tell different stories; and facts that contradict a reference
  fact (data/reference/), with the reference's source;
- **confirmations**: facts that agree with a reference fact.

Nothing is dropped: every fact stays with its evidence; a conflict only links the two sides.

    >>> import graph
    >>> found = examine(graph.build())
    >>> sorted((c.property, c.fact.date, c.other.values[0]) for c in found.conflicts)
    [('date', '2015', '2016-09/2017-01'), ('date', '2023-05', '2023-04')]
    >>> len(found.confirmations) > 10, {s.stories for s in found.support.values()}
    (True, {1})
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.corpus.compare import FIGURES, Rule, Rules, disagreement, identity, load_rules, rule_for, says
from graph.corpus.read import Fact, as_store, entity_types, facts
from graph.corpus.reference import ReferenceFact, check, load_reference
from graph.corpus.stories import Story, stories

__all__ = ["Conflict", "Findings", "Support", "conflicts", "examine"]


@dataclass(frozen=True)
class Conflict:
    """Two statements of `property` of `entity` that disagree (`kind`: DifferentValue,
    DifferentDate or DifferentUnit). `other` is a fact of another article or a reference fact;
    `independent` says whether the two articles tell different stories (None against a reference)."""
    kind: str
    property: str
    entity: URIRef
    fact: Fact
    other: Fact | ReferenceFact
    independent: bool | None


@dataclass(frozen=True)
class Findings:
    """What `examine` finds in a corpus."""
    stories: tuple[Story, ...]
    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    confirmations: tuple[tuple[Fact, ReferenceFact], ...]
    support: dict[URIRef, Support]


@dataclass(frozen=True)
class Support:
    """How many stories (independent sources) and how many articles state a fact."""
    stories: int
    articles: int


def conflicts(g: Graph | ox.Store, **options) -> tuple[Conflict, ...]:
    """The conflicts of the corpus `g` (see `examine`).

    >>> import graph
    >>> [(str(c.entity).rsplit("/", 1)[-1], c.kind) for c in conflicts(graph.build())]
    [('dinov2', 'DifferentDate'), ('pytorch', 'DifferentDate')]
    """
    return examine(g, **options).conflicts


def examine(g: Graph | ox.Store, *, rules: Rules | None = None,
            reference: dict[tuple[URIRef, str], ReferenceFact] | None = None, **story_options) -> Findings:
    """Stories, support, conflicts and confirmations of the corpus `g`, read through SPARQL.

    Parameters
    ----------
    g : rdflib Dataset or Graph, or pyoxigraph Store
        The corpus.
    rules : Rules, optional
        The comparison rules (default: data/corpus/compare.toml).
    reference : dict, optional
        The reference facts (default: data/reference/*.toml); ``{}`` checks none.
    **story_options
        Passed to `graph.corpus.stories.group_articles`.

    Notes
    -----
    An rdflib graph is first copied into an in-memory Oxigraph store (`graph.corpus.read.as_store`).
    Facts are grouped by what they state; each group is compared pair by pair, so the cost is
    the sum of the squared group sizes (small: a group is one property of one thing).
    """
    rules = rules or load_rules()
    reference = load_reference() if reference is None else reference
    g = as_store(g)
    found_stories = stories(g, **story_options)
    story_of = {a.iri: s.iri for s in found_stories for a in s.articles}
    all_facts = facts(g)
    found, confirmations, agreed = _against_reference(all_facts, reference, rules)
    support, between = _across_articles(all_facts, rules, entity_types(g), story_of, agreed)
    found += between
    found.sort(key=lambda c: (str(c.entity), c.property, str(c.fact.iri), str(_iri(c.other))))
    confirmations.sort(key=lambda pair: (str(pair[0].iri), str(pair[1].entity), pair[1].property))
    return Findings(found_stories, all_facts, tuple(found), tuple(confirmations), support)


def _against_reference(all_facts: tuple[Fact, ...], reference: dict[tuple[URIRef, str], ReferenceFact], rules: Rules
                       ) -> tuple[list[Conflict], list[tuple[Fact, ReferenceFact]], dict[URIRef, dict[ReferenceFact, set]]]:
    """Each fact checked against the reference facts: the conflicts, the confirmations, and for
    each fact the values of each reference fact that accept it."""
    found: list[Conflict] = []
    confirmations: list[tuple[Fact, ReferenceFact]] = []
    agreed: dict[URIRef, dict[ReferenceFact, set]] = defaultdict(lambda: defaultdict(set))
    for fact in all_facts:
        for ref, kind, prop, value in check(fact, reference, rules):
            if kind is not None:
                found.append(Conflict(kind, prop, ref.entity, fact, ref, None))
                continue
            if ref not in agreed[fact.iri]:
                confirmations.append((fact, ref))
            agreed[fact.iri][ref].add(value)
    return found, confirmations, agreed


def _across_articles(all_facts: tuple[Fact, ...], rules: Rules, types: dict[URIRef, frozenset[str]],
                     story_of: dict[URIRef, URIRef],
                     agreed: dict[URIRef, dict[ReferenceFact, set]]) -> tuple[dict[URIRef, Support], list[Conflict]]:
    """Facts grouped by what they state: each fact's support (the stories and articles whose fact
    of the group agrees with it) and the conflicts between facts of different articles."""
    tolerance = rules.tolerance
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in all_facts:
        groups[identity(fact, rule_for(fact, rules, types), tolerance)].append(fact)
    support: dict[URIRef, Support] = {}
    found: list[Conflict] = []
    for key, members in groups.items():
        rule = key[0] if isinstance(key[0], Rule) else None
        compared = rule.compare if rule else ("date", *FIGURES)
        for fact in members:
            backers = [other for other in members
                       if all(not says(fact, w) or (says(other, w) and disagreement(fact, other, w, tolerance) is None)
                              for w in compared)]
            support[fact.iri] = Support(len({story_of.get(b.article, b.article) for b in backers}),
                                        len({b.article for b in backers}))
        if rule is None or not rule.conflicts:
            continue
        for a, b in combinations(members, 2):
            if a.article == b.article or _both_known(agreed[a.iri], agreed[b.iri]):
                continue
            for what in rule.compare:
                kind = disagreement(a, b, what, tolerance)
                if kind is not None:
                    entity = next(min(a.entities(r)) for r in rule.same if r != "date")
                    prop = a.predicate if what == "object" and a.predicate else what
                    independent = story_of.get(a.article, a.article) != story_of.get(b.article, b.article)
                    found.append(Conflict(kind, prop, entity, a, b, independent))
    return support, found


def _both_known(a: dict[ReferenceFact, set], b: dict[ReferenceFact, set]) -> bool:
    """Whether a reference fact accepts both facts' values as two of its values (two sizes of
    one model family): then they do not conflict. One value accepting both (an imprecise date)
    says nothing about their disagreement."""
    return any(a[ref] != b[ref] for ref in a.keys() & b.keys())


def _iri(side: Fact | ReferenceFact) -> URIRef:
    return side.iri if isinstance(side, Fact) else side.source
