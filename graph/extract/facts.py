"""Facts the article states: relations, events with their quantities and dates, and claims.

The stage is `extract_facts(doc)`. Each sentence is *masked*: every mention becomes a typed
token (⟦AIModel#3⟧) and every quantity a token of its kind (〔PCT#5〕). The patterns in
data/patterns/facts.toml are regular expressions over that masked sentence, so a pattern
reads like the construction it captures — '{a:ORG}…开源了…{b:WORK}' — and never names an
entity. A matched pattern yields direct edges (with evidence) and/or an n-ary event whose
date is the one written before it in the sentence, or that of a sentence just before.
Quantities no pattern used become `Measurement` events of the entities nearest to them.

Notes
-----
Linear in the length of the text: patterns run once over the masked document; what a fact
looks up around it (dates, the entities named so far) is found by bisection or kept as
running tallies; work inside one sentence is bounded, since sentences are (see
`graph.text.sentences.MAX_SENTENCE_CHARS`).
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import product, repeat
from importlib.abc import Traversable
from pathlib import Path

from graph.datafiles import bundled, read_toml
from graph.errors import DataError
from graph.extract.quantities import QUANTITY_ROLES
from graph.extract.quantities import rules as quantity_rules
from graph.model import DateSpan, Document, Event, Evidence, Quantity, QuantitySpan, Relation, Sentence
from graph.rdf.namespaces import KG
from graph.rdf.ontology import Vocabulary, vocabulary

__all__ = ["Pattern", "extract_facts", "fact_patterns", "load_fact_patterns"]

MAX_CLAIM_SUBJECTS = 1
INHERIT_SENTENCES = 3      # how far back a sentence with no date of its own looks for one
AS_OF = ("截至", "截止", "截止到", "到")   # 截至7月28日: a cut-off, not when something happened
CLAUSE_MARKS = "，,"        # between the clauses of a sentence part
CLAUSE_PARTS = "；;"        # between the parts of a sentence
MEASURED_NOUN_GAP = 10     # characters of description between 的 and the name a figure measures
_PHRASE_BREAK = re.compile(r"[，,。；;：:、“”\"（）()]|的")
_YEAR_RANGE = re.compile(r"(?P<first>(?:19|20)\d{2})\s*年?\s*(?P<mark>\S)\s*(?P<last>(?:19|20)\d{2})\s*年")
_FIGURE_JOINER = re.compile(r"\s*(?:、|和|及|与|以及|，|,)\s*")
_CLAUSE_END = re.compile(r"[，,。；;]")
TIME_PHRASE_EXTRA = 4      # characters besides the date a time phrase may hold (当地时间, 北京时间, 晚间)
# Slot types the code itself relies on (measurements, claims, omitted subjects).
REQUIRED_SLOTS = ("NAMED", "AGENT", "ORG", "WORK")
_SLOT = re.compile(r"\{(?:(\w+):)?([A-Z]+)\}|\{~([A-Z]+)(?::(\d+))?(?:\^([^{}]+))?\}|\{=([A-Z]+)\}|\{\+([A-Z]+)\}")
_LIST_TAIL = r"(?:\s*(?:、|和|与|及|以及)\s*⟦(?:{types})#\d+⟧)*"
_GAPS = {"GAP": r"(?:[^,，。;；⟦]{0,16}?)"}
_CLAIM_END = re.compile(r"[；;]|有人(?:说|认为|称)")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_CLAUSE_VERB = re.compile(r"[\u4e00-\u9fff]{2}")
_CLAUSE_MARKS = ",，;；"


@dataclass(frozen=True)
class Token:
    start: int                  # in the normalized text
    end: int
    kind: str                   # an entity type, or PCT / MONEY / COUNT / NUM
    key: str | None = None      # the entity, for entity tokens
    quantity: QuantitySpan | None = None


@dataclass(frozen=True)
class Pattern:
    """A fact pattern of data/patterns/facts.toml, compiled (the file's header documents each key)."""
    name: str
    regex: re.Pattern
    event: str | None
    roles: tuple[tuple[str, str], ...]
    edges: tuple[tuple[str, str, str], ...]
    fallback: tuple[tuple[str, str], ...]
    subject: tuple[tuple[str, str], ...]  # slot -> family: when empty, the sentence's first such entity
    repeat: tuple[str, str] | None     # (slot, slot family)
    repeat_within: bool                # repeat only inside the match, not to the sentence's end
    skip_after: re.Pattern | None
    collect: tuple[tuple[str, str], ...]  # (event role, slot family): every such entity after the match
    context: tuple[tuple[str, str], ...]  # (event role, family): the nearest such entity before the match
    span_quantities: bool                 # the event takes every figure inside the match
    date_after: bool                      # a date written after the match dates it first (3月18日生效)
    claim: bool
    slot_types: tuple[tuple[str, str], ...] = ()  # captured slot -> its slot family
    joiner: re.Pattern | None = None      # what may stand between two items of a list ([coordination])
    respectively: re.Pattern | None = None  # a sentence that pairs two lists item by item (分别)
    joins: bool = False                   # the event completes the sentence's earlier one of its kind


def extract_facts(doc: Document) -> Document:
    """The relations, events and claims `doc` states, each with its evidence.

    Reads ``text``, ``sentences``, ``mentions``, ``entities``, ``quantities`` and ``dates``
    (and ``original``, ``to_original`` for the text of a claim); writes ``facts``: direct
    relations (`Relation`) and n-ary events and claims (`Event`), in sentence order.

    >>> from graph.pipeline import process
    >>> from graph.text import read_text
    >>> [(f.subject, f.predicate, f.object) for f in process(read_text("OpenAI的GPT-4很强。")).facts]
    [('gpt-4', 'developer', 'openai')]
    """
    slots, pronouns, patterns = fact_patterns()
    entity_tokens, tokens = _tokens(doc, slots, pronouns)
    starts = [t.start for t in tokens]
    locals_ = []        # per sentence, the indexes of the tokens inside it
    for sentence in doc.sentences:
        lo, hi = bisect_right(starts, sentence.start - 1), bisect_right(starts, sentence.end - 1)
        locals_.append([i for i in range(lo, hi) if tokens[i].end <= sentence.end])
    masked, positions, bounds = _mask(doc, tokens, locals_)
    matches = _matches(patterns, masked, bounds)

    facts: list[Relation | Event] = []
    seen: set = set()
    history = _History(entity_tokens)
    calendar = _Calendar(doc)
    paragraphs = _Paragraphs(doc.text)
    for sentence, local in zip(doc.sentences, locals_):
        history.advance(sentence.start, paragraphs.start_of(sentence.start))
        context = _Context(doc, sentence, [tokens[i] for i in local], tokens, positions, history, slots, calendar)
        used: set[int] = set()
        first = len(facts)      # this sentence's facts start here
        origins: dict[int, int] = {}    # index in facts -> where the match stating it starts (masked)
        for _order, start, pattern, match in sorted(matches.get(sentence.index, []), key=lambda m: m[:2]):
            for fact in _facts_from(match, pattern, context, used):
                if pattern.joins and isinstance(fact, Event) and _join(facts, first, fact, start, origins):
                    continue
                origins[len(facts)] = start
                signature = (fact.subject, fact.predicate, fact.object, sentence.index) \
                    if isinstance(fact, Relation) else (fact.kind, frozenset(fact.roles), fact.quantities, sentence.index)
                if signature not in seen:
                    seen.add(signature)
                    facts.append(fact)
        facts += _measurements(context, used)
        facts += _redated(facts, first, context)
    return replace(doc, facts=tuple(_name_links(doc) + facts))


def _name_links(doc: Document) -> list[Relation]:
    """What a name built on another entity's says by its form: 百度智能云 is part of Baidu
    (parentOrganization), Intel 18A is Intel's (developer), Qwen2.5-Max is based on Qwen2.5
    (isBasedOn). One relation per name, with its first mention as evidence."""
    organizations = vocabulary().types_under(KG.Organization)
    types = {e.key: e.type for e in doc.entities}
    links, seen = [], set()
    for m in doc.mentions:
        if not m.base or m.base == m.entity or (m.entity, m.base) in seen or m.base not in types:
            continue
        seen.add((m.entity, m.base))
        own, base = types.get(m.entity) in organizations, types[m.base] in organizations
        predicate = "parentOrganization" if own and base else "developer" if base else "isBasedOn"
        if own and not base:
            continue        # an organization is built on no product
        links.append(Relation(m.entity, predicate, m.base, Evidence(m.sentence, m.start, m.end, f"name:{m.source}")))
    return links


def _redated(facts: list[Relation | Event], first: int, ctx: _Context) -> list[Event]:
    """The deal a sentence names again with a date of its own (该交易于2020年10月首次公布): the
    last such event before it, once more with that date. Only for a sentence that states no
    event itself; the words and event kinds are `event_references` in quantities.toml."""
    if any(isinstance(f, Event) and f.kind != "Measurement" for f in facts[first:]):
        return []
    text, (words, kinds) = ctx.doc.text, _event_references()
    at = next((i for i in (text.find(w, ctx.sentence.start, ctx.sentence.end) for w in words) if i >= 0), -1)
    if at < 0:
        return []
    date = ctx.calendar.clause_date(ctx.sentence, at, at + 1)
    earlier = next((f for f in reversed(facts[:first]) if isinstance(f, Event) and f.kind in kinds), None)
    if date is None or earlier is None or earlier.date == date.value:
        return []
    return [replace(earlier, evidence=ctx.evidence("event.named-again"), date=date.value, quantities=(),
                    period=date.period, duration=None)]


@lru_cache(maxsize=1)
def _event_references() -> tuple[tuple[str, ...], frozenset[str]]:
    """The words that name a deal again, and the event kinds they can name (checked against the ontology)."""
    table = quantity_rules()["dates"]["event_references"]
    vocab = vocabulary()
    kinds = frozenset(vocab.check(k, vocab.event_types, "event class", "quantity patterns: event_references")
                      for k in table["kinds"])
    return tuple(table["words"]), kinds


def _join(facts: list[Relation | Event], first: int, event: Event, at: int, origins: dict[int, int]) -> bool:
    """Merges `event` into the sentence's event of its kind about the same object (the round that
    由X领投 and 估值… complete), the nearest one stated before `at` when there are several (two
    rounds in one sentence: each valuation completes its own); False when the sentence has none,
    or when the merged node would link more than two entities (each further investor is a node
    of its own)."""
    objects = {key for role, key in event.roles if role == "object"}
    fitting = [i for i in range(first, len(facts))
               if isinstance(facts[i], Event) and facts[i].kind == event.kind
               and objects & {key for role, key in facts[i].roles if role == "object"}
               and len({key for _, key in facts[i].roles + event.roles}) <= 2]
    if not fitting:
        return False
    before = [j for j in fitting if origins.get(j, at + 1) <= at]
    i = max(before, key=origins.__getitem__) if before else fitting[0]
    earlier = facts[i]
    facts[i] = replace(earlier, roles=tuple(dict.fromkeys(earlier.roles + event.roles)),
                       quantities=earlier.quantities + tuple(q for q in event.quantities if q not in earlier.quantities))
    return True


def _tokens(doc: Document, slots: dict[str, frozenset[str]], pronouns: list[dict]) -> tuple[list[Token], list[Token]]:
    """The entity tokens (mentions, brackets merged, and pronouns), and those with the quantity
    tokens that no entity covers, all in text order."""
    types = {e.key: e.type for e in doc.entities}
    concepts = vocabulary().types_under(KG.Concept)
    entity_tokens = _merge_glosses(doc.text, sorted(
        [Token(m.start, m.end, types[m.entity], m.entity) for m in doc.mentions if types[m.entity] not in concepts]
        + _pronoun_tokens(doc, types, pronouns, slots), key=lambda t: t.start))
    covered = bytearray(len(doc.text))
    for t in entity_tokens:
        covered[t.start:t.end] = b"\x01" * (t.end - t.start)
    quantity_tokens = [Token(q.start, q.end, q.kind, quantity=q) for q in doc.quantities
                       if not any(covered[q.start:q.end])]
    return entity_tokens, sorted(entity_tokens + quantity_tokens, key=lambda t: t.start)


def _matches(patterns: tuple[Pattern, ...], masked: str,
             bounds: list[int]) -> dict[int, list[tuple[int, int, Pattern, re.Match]]]:
    """Every pattern's matches over the masked document, by sentence index."""
    matches: dict[int, list[tuple[int, int, Pattern, re.Match]]] = {}
    for order, pattern in enumerate(patterns):
        for match in pattern.regex.finditer(masked):
            index = bisect_right(bounds, match.start()) - 1
            matches.setdefault(index, []).append((order, match.start(), pattern, match))
    return matches


class _Tally:
    """Mentions counted per entity, and for each type the entity named most (most recently on a tie)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.best: dict[str, tuple[int, int, str]] = {}     # type -> (mentions, last token index, key)

    def add(self, index: int, token: Token) -> None:
        # An entity's count and last index only grow, so each type's best stays a running maximum.
        n = self.counts[token.key] = self.counts.get(token.key, 0) + 1
        self.best[token.kind] = max(self.best.get(token.kind, (0, -1, "")), (n, index, token.key))

    def most_named(self, kinds: frozenset[str]) -> str | None:
        found = [self.best[kind] for kind in kinds if kind in self.best]
        return max(found)[2] if found else None


class _History:
    """How often each entity was named before the current sentence (for omitted subjects): in
    the whole text so far and in the current paragraph."""

    def __init__(self, entity_tokens: list[Token]) -> None:
        self.tokens, self.next = entity_tokens, 0
        self.starts = [t.start for t in entity_tokens]
        self.text, self.paragraph, self.paragraph_start = _Tally(), _Tally(), 0

    def advance(self, offset: int, paragraph_start: int) -> None:
        """Count every entity token that starts before `offset`, in the paragraph from `paragraph_start`."""
        if paragraph_start != self.paragraph_start:
            self.paragraph, self.paragraph_start = _Tally(), paragraph_start
            for i in range(bisect_left(self.starts, paragraph_start), self.next):
                self.paragraph.add(i, self.tokens[i])
        while self.next < len(self.tokens) and self.tokens[self.next].start < offset:
            t = self.tokens[self.next]
            self.text.add(self.next, t)
            if t.start >= paragraph_start:
                self.paragraph.add(self.next, t)
            self.next += 1


class _Paragraphs:
    """Where the paragraph around an offset starts (after the last line break before it)."""

    def __init__(self, text: str) -> None:
        self.breaks = [m.start() for m in re.finditer("\n", text)]

    def start_of(self, offset: int) -> int:
        i = bisect_left(self.breaks, offset)
        return self.breaks[i - 1] + 1 if i else 0


class _Calendar:
    """The dates of a document, and which of them dates a fact."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        # the unknown dates (今日 in an article with no date of its own) too: they date nothing
        self.dates = [d for d in doc.dates if not d.duration or d.value]
        self.starts = [d.start for d in self.dates]
        self.durations = [d for d in doc.dates if d.duration]
        self.duration_starts = [d.start for d in self.durations]
        self.sentence_starts = [s.start for s in doc.sentences]
        self.present_words = quantity_rules()["dates"]["present"]
        self._inherited: dict[int, DateSpan | None] = {}    # sentence index -> the date it inherits
        self.figure_starts = [q.start for q in doc.quantities]
        self._paired: dict[int, dict[int, str]] = {}        # sentence index -> figure offset -> year

    def date_of(self, sentence: Sentence, start: int, end: int, later: bool = False,
                figures: tuple[int, ...] = ()) -> DateSpan | None:
        """The date of a fact stated at text[start:end] in `sentence`.

        The nearest date written in the sentence before the fact ends (Meta在2023年5月开源的…,
        英特尔宣布…已于12月1日退休), leaving out dates that only say "as of" (截至7月28日); with
        `later` (an appointment that takes effect later: 3月18日生效), one written after it
        first; else the first date of the nearest dated sentence among the few before, unless
        this one speaks of the present (眼下, 目前). A fact stating figures (`figures`, their
        offsets) takes the year a list pairs them with (2022年至2024年…分别为A、B和C), and
        holds as of a cut-off written before it (截至去年底，注册用户已达…).
        """
        paired = {self._paired_year(sentence, offset) for offset in figures}
        if len(paired) == 1 and None not in paired:
            return DateSpan(start, end, paired.pop(), None)
        written = self._date_in_sentence(sentence, end, as_of=bool(figures))
        date = (later and self._date_after(sentence, end)) or written or self._inherited_date(sentence)
        if date is not None and written is not None and written.period:
            date = replace(date, period=written.period)      # …公布了第二财季财报
        return date

    def clause_date(self, sentence: Sentence, start: int, end: int) -> DateSpan | None:
        """The date the clause of text[start:end] gives, for a relation it states; None when it gives none.

        A date inside the clause (between commas: 张伟上月在论坛上表示), the one nearest the relation
        first; else a time phrase that is a clause of its own (2023年6月1日，… ; 今年3月，…)
        opening the sentence or its part after a semicolon before the relation. No date of another
        clause or sentence dates a relation: it may be another fact's.
        """
        text = self.doc.text
        part = max(sentence.start, *(text.rfind(mark, sentence.start, start) + 1 for mark in CLAUSE_PARTS))
        lo = max(part, *(text.rfind(mark, part, start) + 1 for mark in CLAUSE_MARKS))
        hi = min([i for i in (text.find(mark, end, sentence.end) for mark in CLAUSE_MARKS + CLAUSE_PARTS) if i >= 0]
                 or [sentence.end])
        dates = [d for d in self.dates[bisect_left(self.starts, part):bisect_left(self.starts, hi)]
                 if d.value and not d.duration and not self._as_of(d)]
        inside = sorted((d for d in dates if d.start >= lo), key=lambda d: (d.start >= end, abs(d.start - end)))
        if inside:
            return inside[0]
        phrases = [d for d in dates if d.end <= lo and self._time_phrase(d, part)]
        return phrases[-1] if phrases else None

    def _time_phrase(self, date: DateSpan, part: int) -> bool:
        """Whether `date` is a clause of its own (当地时间周二，), one that dates what follows it."""
        text = self.doc.text
        lo = max(part, *(text.rfind(mark, part, date.start) + 1 for mark in CLAUSE_MARKS))
        hi = min([i for i in (text.find(mark, date.end, date.end + TIME_PHRASE_EXTRA + 1) for mark in CLAUSE_MARKS)
                  if i >= 0] or [-1])
        return hi >= 0 and (date.start - lo) + (hi - date.end) <= TIME_PHRASE_EXTRA

    def duration_before(self, sentence: Sentence, offset: int) -> str | None:
        """The duration written last before `offset` in the sentence (上线一个月, …增长300%)."""
        i = bisect_right(self.duration_starts, offset - 1)
        return self.durations[i - 1].duration if i and self.durations[i - 1].start >= sentence.start else None

    def _date_in_sentence(self, sentence: Sentence, offset: int, as_of: bool = False) -> DateSpan | None:
        i = bisect_right(self.starts, offset - 1)
        written = [d for d in self.dates[max(0, i - 8):i] if d.start >= sentence.start]
        before = written if as_of else [d for d in written if not self._as_of(d)]
        if not before:
            return None
        # …公布了截至7月28日的第二财季财报: the event's date is the exact one; a quarter is its period
        exact = [d for d in before if d.period is None]
        periods = [d.period for d in written if d.period]
        date = exact[-1] if exact else before[-1]
        return replace(date, period=periods[-1] if periods else None)

    def _paired_year(self, sentence: Sentence, figure: int) -> str | None:
        """The year a list of figures pairs with `figure` (2022年至2024年…分别为A、B和C: B is 2023's)."""
        if sentence.index not in self._paired:
            self._paired[sentence.index] = self._pair_years(sentence)
        return self._paired[sentence.index].get(figure)

    def _pair_years(self, sentence: Sentence) -> dict[int, str]:
        """Figure offset -> year, for each list after 分别 whose length is that of a range of years
        named before it in the sentence (2022年至2024年 and three figures)."""
        text, words = self.doc.text, quantity_rules()
        years = _YEAR_RANGE.search(text, sentence.start, sentence.end)
        if years is None or years.group("mark") not in words["range_marks"]:
            return {}
        first, last = int(years.group("first")), int(years.group("last"))
        paired: dict[int, str] = {}
        for word in words["dates"]["respectively"]:
            at = text.find(word, years.end(), sentence.end)
            while at >= 0:
                run = self._figure_run(at + len(word), sentence.end)
                if len(run) == last - first + 1:
                    paired.update((q.start, str(first + i)) for i, q in enumerate(run))
                at = text.find(word, at + len(word), sentence.end)
        return paired

    def _figure_run(self, start: int, end: int) -> list[QuantitySpan]:
        """The figures listed from `start` (A、B和C), up to the first that a joiner does not follow."""
        i = bisect_left(self.figure_starts, start)
        run: list[QuantitySpan] = []
        for q in self.doc.quantities[i:]:
            gap = self.doc.text[run[-1].end if run else start:q.start]
            if q.start >= end or (run and not _FIGURE_JOINER.fullmatch(gap)) or (not run and _CLAUSE_END.search(gap)):
                break
            run.append(q)
        return run

    def _date_after(self, sentence: Sentence, offset: int) -> DateSpan | None:
        i = bisect_right(self.starts, offset - 1)
        after = [d for d in self.dates[i:i + 4] if d.start < sentence.end and d.period is None]
        return after[0] if after else None

    def _as_of(self, date: DateSpan) -> bool:
        return self.doc.text[max(0, date.start - 3):date.start].endswith(AS_OF)

    def _inherited_date(self, sentence: Sentence) -> DateSpan | None:
        if sentence.index not in self._inherited:
            self._inherited[sentence.index] = self._date_of_sentences_before(sentence)
        return self._inherited[sentence.index]

    def _date_of_sentences_before(self, s: Sentence) -> DateSpan | None:
        if any(word in self.doc.text[s.start:s.end] for word in self.present_words):
            return None
        j = bisect_right(self.starts, s.start - 1)
        if not j or self.dates[j - 1].start < self.doc.sentences[max(0, s.index - INHERIT_SENTENCES)].start:
            return None
        # the first date of that sentence: later ones are often plans or references (计划在2025年…)
        home = self.doc.sentences[bisect_right(self.sentence_starts, self.dates[j - 1].start) - 1]
        first = next((d for d in self.dates[bisect_left(self.starts, home.start):j] if not self._as_of(d)), None)
        return replace(first, period=None) if first else None


class _Context:
    """What a pattern match needs to become facts: the sentence's tokens, its dates, the topics so far."""

    def __init__(self, doc: Document, sentence: Sentence, tokens: list[Token], all_tokens: list[Token],
                 positions: array, history: _History, slots: dict[str, frozenset[str]], calendar: _Calendar) -> None:
        self.doc, self.sentence, self.tokens, self.positions = doc, sentence, tokens, positions
        self.starts = [t.start for t in tokens]
        self.all_tokens = all_tokens    # what a token mark's number indexes
        self.history, self.slots, self.calendar = history, slots, calendar

    def at(self, masked_index: int) -> int:
        """Text offset of an offset in the masked document."""
        return self.positions[min(masked_index, len(self.positions) - 1)]

    def between(self, lo: int, hi: int | None = None) -> list[Token]:
        """The sentence's tokens that start at `lo` or after, and before `hi` (when given)."""
        return self.tokens[bisect_left(self.starts, lo):None if hi is None else bisect_left(self.starts, hi)]

    def topic(self, before: int, family: str) -> str | None:
        """The entity of `family` a clause that leaves it out is about.

        The one last named earlier in the same clause (up to a semicolon); else the one named
        most often in the paragraph before this sentence (the paragraph's subject); else the
        one the text has named most often so far (the article's subject); else the first one
        named later in the clause (a headline: 股价跌去四分之三的Meta).
        """
        wanted = self.slots[family]
        clause_start = max(self.sentence.start, *(self.doc.text.rfind(mark, self.sentence.start, before) + 1
                                                  for mark in "；;"))
        earlier = next((t for t in reversed(self.between(clause_start, before)) if t.key and t.kind in wanted), None)
        if earlier is not None:
            return earlier.key
        return (self.history.paragraph.most_named(wanted) or self.history.text.most_named(wanted)
                or next((t.key for t in self.between(clause_start) if t.key and t.kind in wanted), None))

    def date_of(self, start: int, end: int, later: bool = False, figures: tuple[int, ...] = ()) -> DateSpan | None:
        """The date of a fact stated at text[start:end] (see `_Calendar.date_of`)."""
        return self.calendar.date_of(self.sentence, start, end, later, figures)

    def duration_before(self, offset: int) -> str | None:
        return self.calendar.duration_before(self.sentence, offset)

    def evidence(self, pattern: str) -> Evidence:
        return Evidence(self.sentence.index, self.sentence.start, self.sentence.end, pattern)


def _facts_from(match: re.Match, pattern: Pattern, ctx: _Context, used: set[int]) -> list[Relation | Event]:
    """The facts one match of `pattern` states: its direct edges, then its event or claim.

    `used` collects the quantity tokens the event takes, so that they become no measurement.
    """
    values, title = _slot_values(match, pattern, ctx)
    evidence = ctx.evidence(pattern.name)
    stated = ctx.calendar.clause_date(ctx.sentence, ctx.at(match.start()), ctx.at(match.end())) if pattern.edges else None
    facts: list[Relation | Event] = [
        Relation(s.key, prop, o.key, evidence, title, stated.value if stated else None)
        for subject, prop, obj in pattern.edges for s in values.get(subject, []) for o in values.get(obj, [])
        if s.key and o.key and s.key != o.key]
    if not pattern.event:
        return facts
    # one event per item of a list, and per entity collected after the match (合作，将A整合进B、C):
    # an event never links the items of one list with each other
    end = ctx.at(match.end())
    for role, family in pattern.collect:
        values[f"collected:{role}"] = [t for t in ctx.between(end) if t.key and t.kind in ctx.slots[family]]
    slots = [slot for _, slot in pattern.roles] + [f"collected:{role}" for role, _ in pattern.collect]
    lists = [slot for slot in dict.fromkeys(slots) if len(values.get(slot, ())) > 1]
    for choice in product(*(values[slot] for slot in lists)):
        event = _event(match, pattern, ctx, {**values, **{slot: [t] for slot, t in zip(lists, choice)}}, evidence, used)
        facts += [event] if event else []
    return facts


def _slot_values(match: re.Match, pattern: Pattern, ctx: _Context) -> tuple[dict[str, list[Token]], str | None]:
    """The tokens each slot of the match holds, and the job title it captures (text, not a token).

    A slot the match leaves empty takes the sentence's subject (`subject`), else the topic of
    the clause (`fallback`); a repeated slot also takes the further entities of its family.
    """
    values: dict[str, list[Token]] = {}
    title = None
    for name, index in match.groupdict().items():
        if index is None:
            continue
        if name == "title":     # text, not a token: the job title, as restored from spin
            title = ctx.doc.text[ctx.at(match.start(name)):ctx.at(match.end(name))].strip()
        else:
            values[name] = [ctx.all_tokens[int(index)]]
    start = ctx.at(match.start())
    listed = dict(values)       # 甲、乙和丙跟投: no item of a list the match holds is the subject
    span = (ctx.at(match.start()), ctx.at(match.end()))
    _add_coordinated(listed, pattern, ctx, span)
    held = {t.key for ts in listed.values() for t in ts if t.key}
    for name, family in pattern.subject:        # 小马智行登陆纳斯达克，首次公开发行募资…
        if name not in values:
            first = next((t for t in ctx.between(ctx.sentence.start, start)
                          if t.key and t.kind in ctx.slots[family] and t.key not in held), None)
            if first is not None:
                values[name] = [first]
    for name, family in pattern.fallback:
        if name not in values:
            key = ctx.topic(start, family)
            if key in held:
                key = ctx.history.paragraph.most_named(ctx.slots[family]) or ctx.history.text.most_named(ctx.slots[family])
            if key and key not in held:
                values[name] = [Token(start, start, family, key)]
    if pattern.repeat and pattern.repeat[0] in values:
        slot = pattern.repeat[0]
        values[slot] = [t for t in values[slot] if not _skipped(t, pattern, ctx)] + _repeated(match, pattern, ctx)
    _add_coordinated(values, pattern, ctx, span)
    return values, title


def _add_coordinated(values: dict[str, list[Token]], pattern: Pattern, ctx: _Context, span: tuple[int, int]) -> None:
    """Every item of a list a slot's entity stands in (研究员A、B和C; 与X、Y合作) joins the slot.

    The list's items are entities of the slot's family with only a joiner between them
    ([coordination] in facts.toml); the walk stops at an entity another slot holds. Clauses
    that pair two lists item by item (A和B分别发布了X和Y) add nothing; a 分别 in another clause
    of the sentence does not stop the match's lists.
    """
    if pattern.joiner is None:
        return
    text, (start, end) = ctx.doc.text, span
    clause_start = max([ctx.sentence.start] + [text.rfind(mark, ctx.sentence.start, start) + 1 for mark in _CLAUSE_MARKS])
    clause_end = min([ctx.sentence.end] + [i for i in (text.find(mark, end, ctx.sentence.end) for mark in _CLAUSE_MARKS)
                                           if i >= 0])
    if pattern.respectively.search(text, clause_start, clause_end):
        return
    held = {id(t) for ts in values.values() for t in ts}
    for slot, family in pattern.slot_types:
        wanted = ctx.slots.get(family)
        if wanted is None or slot not in values:
            continue
        added = [t for first in values[slot] for t in _list_items(first, wanted, pattern.joiner, ctx, span, held)]
        held.update(id(t) for t in added)
        values[slot] = values[slot] + list({t.key: t for t in added if t.key}.values())


def _list_items(first: Token, wanted: frozenset[str], joiner: re.Pattern, ctx: _Context,
                span: tuple[int, int], held: set[int]) -> list[Token]:
    """The entities listed with `first` in its sentence, before and after it, nearest first; the
    walk stops at a token of `held` (one another slot holds: A与B、C成立D, where A's list is not B's).

    A list ends before an item that has the slot's own verb on its far side: in 甲收购乙、丙收购丁
    the match 甲收购乙 does not take 丙 (followed by 收购), nor 丙收购丁 take 乙 (preceded by it);
    those are two clauses, not one list. `span` is the match, in text offsets: the slot's verb is
    the two characters beside it inside the match.
    """
    try:
        at = next(i for i, t in enumerate(ctx.tokens) if t.start == first.start and t.key == first.key)
    except StopIteration:
        return []
    items = []
    for step in (-1, 1):
        verb = _clause_verb(_beside(ctx, at, -step, span), -step)
        i, current = at + step, first
        while 0 <= i < len(ctx.tokens):
            t = ctx.tokens[i]
            lo, hi = (t.end, current.start) if step < 0 else (current.end, t.start)
            if not t.key or t.kind not in wanted or id(t) in held or not joiner.fullmatch(ctx.doc.text, lo, hi) \
                    or (verb and _clause_verb(_beside(ctx, i, step), step) == verb):
                break
            items.append(t)
            i, current = i + step, t
    return items


def _beside(ctx: _Context, index: int, side: int, span: tuple[int, int] | None = None) -> str:
    """The text between the sentence's token `index` and its neighbour on `side` (-1: before it,
    1: after it), cut to `span` when given."""
    lo, hi = span or (ctx.sentence.start, ctx.sentence.end)
    if side < 0:
        start = ctx.tokens[index - 1].end if index else ctx.sentence.start
        return ctx.doc.text[max(start, lo):ctx.tokens[index].start]
    end = ctx.tokens[index + 1].start if index + 1 < len(ctx.tokens) else ctx.sentence.end
    return ctx.doc.text[ctx.tokens[index].end:min(end, hi)]


def _clause_verb(gap: str, side: int) -> str:
    """The two Chinese characters of `gap` next to the entity it stands beside (on `side`), 了 and
    spaces left out; "" when those are not two Chinese characters."""
    verb = gap.rstrip(" 了")[-2:] if side < 0 else gap.lstrip()[:2]
    return verb if _CLAUSE_VERB.fullmatch(verb) else ""


def _event(match: re.Match, pattern: Pattern, ctx: _Context, values: dict[str, list[Token]], evidence: Evidence,
           used: set[int]) -> Event | None:
    """The event (or claim) of a match: its roles, figures, date and duration; None when it has no
    participant, or is a claim with nothing said."""
    roles = _roles(match, pattern, ctx, values)
    figures = [t for ts in values.values() for t in ts if t.quantity]
    if pattern.span_quantities:     # 以320亿美元收购: figures inside the construction, in its part of the sentence
        lo = ctx.at(match.start())
        hi = min([ctx.at(match.end())] + [i for i in (ctx.doc.text.find(mark, lo, ctx.sentence.end)
                                                       for mark in CLAUSE_PARTS) if i >= 0])
        figures += [t for t in ctx.between(lo, hi) if t.quantity and t not in figures]
    text = None
    if pattern.claim:
        claim = _claim(match, ctx, roles)
        if claim is None:
            return None
        text, about, stated = claim
        roles += about
        figures += stated
    roles = tuple(dict.fromkeys(roles))
    if not roles:
        return None
    used.update(id(t) for t in figures)
    quantities = tuple(Quantity(t.quantity.value, t.quantity.unit, QUANTITY_ROLES[t.kind], t.quantity.qualifier)
                       for t in figures)
    date = ctx.date_of(ctx.at(match.start()), ctx.at(match.end()), later=pattern.date_after,
                       figures=tuple(t.start for t in figures))
    return Event(pattern.event, roles, evidence, date.value if date else None, quantities, text,
                 date.period if date else None, ctx.duration_before(ctx.at(match.end())))


def _roles(match: re.Match, pattern: Pattern, ctx: _Context, values: dict[str, list[Token]]) -> tuple[tuple[str, str], ...]:
    """(role, entity key) pairs: the slots' entities, then `context` and `collect` roles."""
    roles = tuple((role, t.key) for role, slot in pattern.roles for t in values.get(slot, []) if t.key)
    start, end = ctx.at(match.start()), ctx.at(match.end())
    for role, family in pattern.context:     # 在C-Eval上则达到91.8%: the model named before
        if role not in dict(roles):
            earlier = next((t for t in reversed(ctx.between(ctx.sentence.start, start))
                            if t.key and t.kind in ctx.slots[family] and not _skipped(t, pattern, ctx)), None)
            roles += ((role, earlier.key),) if earlier else ()
    for role, _family in pattern.collect:    # gathered by _facts_from
        roles += tuple((role, t.key) for t in values.get(f"collected:{role}", []) if t.key)
    return roles


def _claim(match: re.Match, ctx: _Context,
           roles: tuple[tuple[str, str], ...]) -> tuple[str, tuple[tuple[str, str], ...], list[Token]] | None:
    """A claim's text, the entity it is about and the figures it states; None when the speaker
    says nothing (张伟表示 at the end of the text).

    The first entity the claim names is what it is about, the rest is context; a claim that
    names none is about the organization the speaker's clause names (or, unattributed, the
    organization the text is about).
    """
    text, about, end = _claim_text(match, ctx)
    if not text:
        return None
    claimants = {key for role, key in roles if role == "claimant"}
    about = [k for k in about if k not in claimants][:MAX_CLAIM_SUBJECTS]
    if not about:
        topic = ctx.topic(ctx.at(match.start()), "ORG")
        about = [topic] if topic and topic not in claimants else []
    stated = [t for t in ctx.between(ctx.at(match.end()), end) if t.quantity]
    return text, tuple(("about", key) for key in about), stated


def _repeated(match: re.Match, pattern: Pattern, ctx: _Context) -> list[Token]:
    """Further entities of the repeated slot's type after its first one, in the same sentence."""
    wanted = ctx.slots[pattern.repeat[1]]
    first = ctx.all_tokens[int(match.group(pattern.repeat[0]))]
    end = ctx.at(match.end()) if pattern.repeat_within else ctx.sentence.end
    return [t for t in ctx.between(first.start + 1, end)
            if t.key and t.key != first.key and t.kind in wanted and not _skipped(t, pattern, ctx)]


def _skipped(token: Token, pattern: Pattern, ctx: _Context) -> bool:
    """A repeated entity right after `skip_after` (比肩GPT-3.5) is not one of the slot's."""
    before = ctx.doc.text[max(ctx.sentence.start, token.start - 12):token.start]
    return pattern.skip_after is not None and bool(pattern.skip_after.search(before))


def _claim_text(match: re.Match, ctx: _Context) -> tuple[str, list[str], int]:
    """The claim's text (the rest of the sentence), the entities it is about, and where it ends.

    The claim is about the entities named after the claimant, outside quotation marks (a
    quoted phrase is the claim's wording, not its subject).
    """
    start, end = ctx.at(match.end()), ctx.sentence.end
    stop = _CLAIM_END.search(ctx.doc.text, start, end)
    end = stop.start() if stop and stop.start() > start else end
    text = ctx.doc.original_text(start, end).strip(" ，,：:")
    claimant_end = ctx.at(match.end("c")) if match.groupdict().get("c") else start
    quoted = [(m.start() + start, m.end() + start) for m in _QUOTED.finditer(ctx.doc.text[start:end])]
    about = []
    for t in ctx.between(claimant_end, end):
        if t.key and not any(a <= t.start < b for a, b in quoted):
            if t.kind in ctx.slots["NAMED"] and t.key not in about:
                about.append(t.key)
    return text, about, end


def _measurements(ctx: _Context, used: set[int]) -> list[Event]:
    """A quantity no pattern used: a figure stated about the entities nearest to it.

    Its object is the last named entity before it (else the sentence's first), its agent the
    first organization or person before it; one pass over the sentence's tokens.
    """
    named, agents = ctx.slots["NAMED"], ctx.slots["AGENT"]
    entities = [x for x in ctx.tokens if x.key]
    first_named = next((x for x in entities if x.kind in named), None)
    last_named = first_agent = None
    seen = 0
    out = []
    for t in ctx.tokens:
        if t.quantity is None or id(t) in used:
            continue
        while seen < len(entities) and entities[seen].start < t.start:
            x, seen = entities[seen], seen + 1
            last_named = x if x.kind in named else last_named
            first_agent = first_agent or (x if x.kind in agents else None)
        about = _measured(t, entities[seen:], ctx) or last_named or first_named
        roles = tuple((role, x.key) for role, x in (("agent", first_agent), ("object", about)) if x is not None)
        if not roles:       # 其中，数据中心业务营收为263亿美元: a figure of the article's subject
            roles = _topic_roles(t.quantity, ctx)
        roles = tuple(dict.fromkeys(roles))
        if len({key for _, key in roles}) < len(roles):
            roles = roles[:1]
        if not roles:
            continue
        date = ctx.date_of(t.start, t.start, figures=(t.start,))
        q = t.quantity
        out.append(Event("Measurement", roles, ctx.evidence("measurement.nearest-entity"),
                         date.value if date else None,
                         (Quantity(q.value, q.unit, QUANTITY_ROLES[q.kind], q.qualifier),), None,
                         date.period if date else None, ctx.duration_before(t.start)))
    return out


def _topic_roles(figure: QuantitySpan, ctx: _Context) -> tuple[tuple[str, str], ...]:
    """The roles of a figure whose sentence names nobody: the organization the text is about, or
    for a product's specification (720亿个参数, 500马力: `spec_units` in quantities.toml) the product."""
    if figure.unit in quantity_rules()["spec_units"]:
        product = ctx.topic(figure.start, "WORK")
        if product:
            return (("object", product),)
    topic = ctx.topic(figure.start, "ORG")
    return (("agent", topic),) if topic else ()


def _measured(figure: Token, later: list[Token], ctx: _Context) -> Token | None:
    """The entity a figure modifies when it stands before 的 and that entity's name (起售价5999元的
    iPhone 16, 持有约30%股份的合资公司X): the noun phrase the figure measures."""
    following = next((x for x in later if x.kind in ctx.slots["NAMED"]), None)
    if following is None or not ctx.doc.text.startswith("的", figure.end):
        return None
    between = ctx.doc.text[figure.end + 1:following.start]
    return following if len(between) <= MEASURED_NOUN_GAP and not _PHRASE_BREAK.search(between) else None


def _mask(doc: Document, tokens: list[Token], locals_: list[list[int]]) -> tuple[str, array, list[int]]:
    """The sentences with tokens in place of mentions and quantities, joined by 。.

    Returns the masked string, the text offset of each of its characters (and of its end),
    and where each sentence starts in it.
    """
    text = doc.text
    parts: list[str] = []
    positions = array("q")      # a machine integer per character: a few times smaller than a list of ints
    bounds: list[int] = []
    for sentence, local in zip(doc.sentences, locals_):
        bounds.append(len(positions))
        cursor = sentence.start
        for i in local:
            t = tokens[i]
            parts.append(text[cursor:t.start])
            positions.extend(range(cursor, t.start))
            mark = f"⟦{t.kind}#{i}⟧" if t.key else f"〔{t.kind}#{i}〕"
            parts.append(mark)
            positions.extend(repeat(t.start, len(mark)))
            cursor = max(cursor, t.end)
        parts.append(text[cursor:sentence.end] + "。")
        positions.extend(range(cursor, sentence.end))
        positions.append(sentence.end)
    positions.append(len(text))
    return "".join(parts), positions, bounds


def _merge_glosses(text: str, tokens: list[Token]) -> list[Token]:
    """帕特·基辛格（Pat Gelsinger）is one name given twice: one token, brackets included (and
    the closing quotation mark of “星际之门”(Stargate))."""
    out: list[Token] = []
    for t in tokens:
        if out and out[-1].key == t.key and text[out[-1].end:t.start].strip().lstrip("”」』\"") in ("(", "（") \
                and text[t.end:t.end + 1] in (")", "）"):
            out[-1] = replace(out[-1], end=t.end + 1)
        else:
            out.append(t)
    return out


def _pronoun_tokens(doc: Document, types: dict[str, str], pronouns: list[dict],
                    slots: dict[str, frozenset[str]]) -> list[Token]:
    """Pronouns ([pronoun] in facts.toml) as tokens of the entity they refer back to."""
    mentions = sorted(doc.mentions, key=lambda m: m.end)
    sentence_starts = [sentence.start for sentence in doc.sentences]
    taken = bytearray(len(doc.text))
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    out = []
    for rule in pronouns:
        family = {kind for name in rule["refers_to"] for kind in slots[name]}
        candidates = [m for m in mentions if types[m.entity] in family]
        ends = [m.end for m in candidates]
        as_object = re.compile(f"(?:{rule['outside_clause_after']})$") if rule.get("outside_clause_after") else None
        source = re.compile(f"(?:{rule['source_after']})$") if rule.get("source_after") else None
        for match in re.finditer(rule["regex"], doc.text):
            limit = match.start()
            if as_object and as_object.search(doc.text, max(0, limit - 4), limit):
                limit = max(doc.text.rfind(mark, 0, limit) for mark in ",，;；。\n")   # 百度和小米也是其投资方
            i = bisect_right(ends, limit)
            if taken[match.start()] or not i:
                continue
            if limit != match.start():     # an object refers to the subject of the sentence before it
                home = doc.sentences[bisect_right(sentence_starts, candidates[i - 1].start) - 1]
                i = bisect_right(ends, home.start) + 1
                while source and i < len(candidates) and candidates[i].end <= limit \
                        and source.search(doc.text, home.start, candidates[i - 1].start):
                    i += 1      # 据《X》报道，A计划…，B将成为其客户: X is the source, not the subject
            antecedent = candidates[i - 1]
            out.append(Token(match.start(), match.end(), types[antecedent.entity], antecedent.entity))
    return out


@lru_cache(maxsize=1)
def fact_patterns() -> tuple[dict[str, frozenset[str]], list[dict], tuple[Pattern, ...]]:
    """The slot types, pronoun rules and compiled patterns of data/patterns/facts.toml (loaded once).

    >>> slots, pronouns, patterns = fact_patterns()
    >>> sorted(slots["AGENT"])[:3], patterns[0].name
    (['Company', 'GovernmentAgency', 'Organization'], 'release.open-source')
    """
    return load_fact_patterns(bundled("patterns", "facts.toml"))


def load_fact_patterns(path: Traversable | Path | str) -> tuple[dict[str, frozenset[str]], list[dict],
                                                                tuple[Pattern, ...]]:
    """The slot types, pronoun rules and compiled patterns of a facts.toml file.

    Every class, event, role and relation the file names is checked against the ontology, and
    every slot a pattern refers to against the slots it defines: a mistake is a one-line
    DataError naming the file, the pattern and the name.
    """
    where = f"fact patterns {path}"
    data = read_toml(path, "fact patterns")
    vocab = vocabulary()
    try:
        slots = {family: vocab.types_under(*(KG[vocab.check(c, vocab.entity_types, "entity type",
                                                             f"{where}: [slots] {family}")] for c in classes))
                 for family, classes in data["slots"].items()}
        for family in REQUIRED_SLOTS:
            _check_family(family, slots, f"{where}: [slots]")
        for rule in data["pronoun"]:
            for family in rule["refers_to"]:
                _check_family(family, slots, f"{where}: [[pronoun]] {rule['regex']!r}")
        words = {name: "|".join(sorted(items, key=len, reverse=True)) for name, items in data["words"].items()}
        lists = _coordination(data.get("coordination", {}), where)
        return slots, data["pronoun"], tuple(_compile(row, slots, words, vocab, where, lists)
                                             for row in data["pattern"])
    except KeyError as exc:
        raise DataError(f"{where}: missing {exc}") from None


def _coordination(table: dict, where: str) -> tuple[re.Pattern, re.Pattern] | None:
    """The [coordination] table as (joiner, respectively) expressions; None when the file has none."""
    if not table:
        return None
    try:
        words = "|".join(sorted(map(re.escape, table["joiners"]), key=len, reverse=True))
        joiner = re.compile(rf"\s*(?:{words})\s*(?:{table['descriptor']})?\s*")
        respectively = re.compile("|".join(map(re.escape, table["respectively"])))
    except re.error as exc:
        raise DataError(f"{where}: [coordination]: {exc}") from None
    return joiner, respectively


def _check_family(family: str, slots: dict[str, frozenset[str]], where: str) -> None:
    if family not in slots:
        raise DataError(f"{where}: unknown slot type {family!r} (the slot types are {', '.join(sorted(slots))})")


def _compile(row: dict, slots: dict[str, frozenset[str]], words: dict[str, str], vocab: Vocabulary,
             where: str, lists: tuple[re.Pattern, re.Pattern] | None = None) -> Pattern:
    """One [[pattern]] table as a `Pattern`, its names checked (see `fact_patterns`)."""
    where = f"{where}: pattern {row.get('name')!r}"
    slot_types: dict[str, str] = {}
    try:
        regex = re.compile(_SLOT.sub(lambda m: _expand(m, slots, words, slot_types, where), row["regex"]))
        skip_after = re.compile(row["skip_after"]) if row.get("skip_after") else None
    except re.error as exc:
        raise DataError(f"{where}: {exc}") from None
    except KeyError as exc:
        raise DataError(f"{where}: missing {exc}") from None
    pattern = Pattern(
        name=row["name"], regex=regex, event=row.get("event"),
        roles=tuple(row.get("roles", {}).items()),
        edges=tuple(tuple(edge) for edge in row.get("edges", ())),
        fallback=tuple(row.get("fallback", {}).items()),
        subject=tuple(row.get("subject", {}).items()),
        repeat=(row["repeat"], slot_types.get(row["repeat"], "")) if row.get("repeat") else None,
        repeat_within=bool(row.get("repeat_within", False)), skip_after=skip_after,
        collect=tuple(row.get("collect", {}).items()),
        context=tuple(row.get("context", {}).items()),
        span_quantities=bool(row.get("span_quantities", False)),
        date_after=bool(row.get("date_after", False)),
        claim=bool(row.get("claim", False)),
        slot_types=tuple(sorted((slot, kind) for slot, kind in slot_types.items() if kind in slots)),
        joiner=lists[0] if lists and row.get("coordinate", True) else None,
        respectively=lists[1] if lists else None,
        joins=bool(row.get("joins", False)))
    _check_names(pattern, set(slot_types), slots, vocab, where)
    return pattern


def _expand(m: re.Match, slots: dict[str, frozenset[str]], words: dict[str, str], slot_types: dict[str, str],
            where: str) -> str:
    """The regex a {slot}, {~FAMILY}, {+FAMILY}, {=WORDS} or {GAP} of a pattern stands for."""
    if m.group(6):          # {=ROLE}: one of the words listed under [words]
        if m.group(6) not in words:
            raise DataError(f"{where}: no word list {m.group(6)!r} under [words]")
        return f"(?:{words[m.group(6)]})"
    if m.group(7):          # {+ORG}: the further items of a list of that family (、B和C)
        _check_family(m.group(7), slots, where)
        return _LIST_TAIL.format(types="|".join(sorted(slots[m.group(7)])))
    if m.group(3):          # {~WORK} / {~WORK:24} / {~WORK:24^被”}: characters holding no entity of that family
        _check_family(m.group(3), slots, where)
        stops = re.escape(m.group(5) or "")
        return rf"(?:(?!⟦(?:{'|'.join(sorted(slots[m.group(3)]))})#)[^。{stops}]){{0,{m.group(4) or 60}}}?"
    name, kind = m.group(1), m.group(2)
    if kind in _GAPS and name is None:
        return _GAPS[kind]
    group = f"(?P<{name}>\\d+)" if name else r"\d+"
    if name:
        slot_types[name] = kind
    # a group, so that a quantifier after the slot ({o:ORG}?) applies to the whole token
    if kind in QUANTITY_ROLES:
        return f"(?:〔{kind}#{group}〕)"
    _check_family(kind, slots, where)
    return f"(?:⟦(?:{'|'.join(sorted(slots[kind]))})#{group}⟧)"


def _check_names(pattern: Pattern, captured: set[str], slots: dict[str, frozenset[str]], vocab: Vocabulary,
                 where: str) -> None:
    """The pattern's event, roles and relations are ontology terms; its slots and families are defined."""
    roles, relations = vocab.names(vocab.roles), vocab.names(vocab.relations)
    if pattern.event is not None:
        vocab.check(pattern.event, vocab.event_types, "event class", where)
    if any(len(edge) != 3 for edge in pattern.edges):
        raise DataError(f"{where}: an edge is [subject-slot, relation, object-slot]")
    filled = captured | {name for name, _ in pattern.fallback + pattern.subject}
    referenced = [slot for _, slot in pattern.roles] + [slot for edge in pattern.edges for slot in (edge[0], edge[2])]
    for slot in referenced:
        if slot not in filled:
            raise DataError(f"{where}: slot {slot!r} is neither captured by the regex nor filled by fallback or subject")
    if pattern.repeat and pattern.repeat[0] not in captured:
        raise DataError(f"{where}: the repeated slot {pattern.repeat[0]!r} is not captured by the regex")
    for role, _ in pattern.roles + pattern.collect + pattern.context:
        vocab.check(role, roles, "event role", where)
    for edge in pattern.edges:
        vocab.check(edge[1], relations, "relation", where)
    for _, family in pattern.fallback + pattern.subject + pattern.collect + pattern.context:
        _check_family(family, slots, where)
