"""Facts the article states: relations, events with their quantities and dates, and claims.

Entry point: `extract_facts(doc)`. Each sentence is *masked*: every mention becomes a typed
token (⟦AIModel#3⟧) and every quantity a token of its kind (〔PCT#5〕). The patterns in
data/patterns/facts.toml are regular expressions over that masked sentence, so a pattern
reads like the construction it captures — '{a:ORG}…开源了…{b:WORK}' — and never names an
entity. A matched pattern yields direct edges (with evidence) and/or an n-ary event whose
date is the one written before it in the sentence, or that of a sentence just before.
Quantities no pattern used become `Measurement` events of the entities nearest to them.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from graph.datafiles import bundled, read_toml
from graph.errors import DataError
from graph.extract.dates import reference_date
from graph.extract.quantities import DateSpan, QuantitySpan, find_dates, find_quantities
from graph.extract.quantities import rules as quantity_rules
from graph.model import Document, Event, Evidence, Quantity, Relation

MAX_CLAIM_SUBJECTS = 1
INHERIT_SENTENCES = 3      # how far back a sentence with no date of its own looks for one
AS_OF = ("截至", "截止", "截止到", "到")   # 截至7月28日: a cut-off, not when something happened
_QUANTITY_ROLES = {"PCT": "percentage", "MONEY": "amount", "COUNT": "count", "NUM": "quantity"}
_SLOT = re.compile(r"\{(?:(\w+):)?([A-Z]+)\}|\{~([A-Z]+)(?::(\d+))?\}|\{=([A-Z]+)\}")
_GAPS = {"GAP": r"(?:[^,，。;；⟦]{0,16}?)"}
_CLAIM_END = re.compile(r"[；;]|有人(?:说|认为|称)")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


@dataclass(frozen=True)
class Token:
    start: int                  # in the normalized text
    end: int
    kind: str                   # an entity type, or PCT / MONEY / COUNT / NUM
    key: str | None = None      # the entity, for entity tokens
    quantity: QuantitySpan | None = None


@dataclass(frozen=True)
class Pattern:
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


def extract_facts(doc: Document) -> Document:
    """Return `doc` with `facts` set: relations and events, each with its evidence."""
    slots, pronouns, patterns = fact_patterns()
    types = {e.key: e.type for e in doc.entities}
    entity_tokens = _merge_glosses(doc.text, sorted(
        [Token(m.start, m.end, types[m.entity], m.entity) for m in doc.mentions if types[m.entity] != "Concept"]
        + _pronoun_tokens(doc, types, pronouns, slots), key=lambda t: t.start))
    covered = bytearray(len(doc.text))
    for t in entity_tokens:
        covered[t.start:t.end] = b"\x01" * (t.end - t.start)
    quantity_tokens = [Token(q.start, q.end, q.kind, quantity=q) for q in find_quantities(doc.text)
                       if not any(covered[q.start:q.end])]
    # 昨日, 上月, a bare 3月3日 count from the day the article speaks from (its dateline, else its
    # publication date); an article that states neither lends them no year.
    spans = find_dates(doc.text, today=reference_date(doc))
    dates = [d for d in spans if not d.duration or d.value]     # with the unknown ones: they date nothing
    durations = [d for d in spans if d.duration]
    tokens = sorted(entity_tokens + quantity_tokens, key=lambda t: t.start)
    starts = [t.start for t in tokens]

    # Every sentence masked into one string, so that each pattern runs once over the document;
    # the sentences are joined by 。, which no pattern crosses.
    locals_ = []
    for sentence in doc.sentences:
        lo, hi = bisect_right(starts, sentence.start - 1), bisect_right(starts, sentence.end - 1)
        locals_.append([i for i in range(lo, hi) if tokens[i].end <= sentence.end])
    masked, positions, bounds = _mask(doc, tokens, locals_)
    matches: dict[int, list[tuple[int, int, Pattern, re.Match]]] = {}
    for order, pattern in enumerate(patterns):
        for match in pattern.regex.finditer(masked):
            index = bisect_right(bounds, match.start()) - 1
            matches.setdefault(index, []).append((order, match.start(), pattern, match))

    facts: list[Relation | Event] = []
    seen: set = set()
    history = _History(entity_tokens)
    date_starts = [d.start for d in dates]
    duration_starts = [d.start for d in durations]
    for sentence, local in zip(doc.sentences, locals_):
        history.advance(sentence.start)
        here = durations[bisect_right(duration_starts, sentence.start - 1):bisect_right(duration_starts, sentence.end - 1)]
        context = _Context(doc, sentence, [tokens[i] for i in local], tokens, positions, dates, date_starts,
                           history, slots, here)
        used: set[int] = set()
        for _order, _start, pattern, match in sorted(matches.get(sentence.index, []), key=lambda m: m[:2]):
            for fact in _facts_from(match, pattern, context, used):
                signature = (fact.subject, fact.predicate, fact.object, sentence.index) \
                    if isinstance(fact, Relation) else (fact.kind, frozenset(fact.roles), fact.quantities, sentence.index)
                if signature not in seen:
                    seen.add(signature)
                    facts.append(fact)
        facts += _measurements(context, used)
    return replace(doc, facts=tuple(facts))


class _History:
    """How often each entity was named before the current sentence (for omitted subjects)."""

    def __init__(self, entity_tokens: list[Token]) -> None:
        self.tokens, self.next = entity_tokens, 0
        self.counts: dict[str, tuple[int, int]] = {}     # key -> (mentions so far, last position)
        self.kinds: dict[str, str] = {}

    def advance(self, offset: int) -> None:
        """Count every entity token that starts before `offset`."""
        while self.next < len(self.tokens) and self.tokens[self.next].start < offset:
            t = self.tokens[self.next]
            self.counts[t.key] = (self.counts.get(t.key, (0, 0))[0] + 1, self.next)
            self.kinds[t.key] = t.kind
            self.next += 1

    def most_named(self, kinds: list[str], since: int = 0) -> str | None:
        """The entity of these kinds named most often so far (from offset `since`), the most
        recent on a tie."""
        if since:
            counts: dict[str, tuple[int, int]] = {}
            for i in range(self.next - 1, -1, -1):
                t = self.tokens[i]
                if t.start < since:
                    break
                if t.kind in kinds:
                    counts[t.key] = (counts.get(t.key, (0, i))[0] + 1, max(i, counts.get(t.key, (0, i))[1]))
            best = [(n, last, key) for key, (n, last) in counts.items()]
        else:
            best = [(n, last, key) for key, (n, last) in self.counts.items() if self.kinds[key] in kinds]
        return max(best)[2] if best else None


class _Context:
    """What a pattern match needs to become facts: the sentence's tokens, dates, topics."""

    def __init__(self, doc, sentence, tokens, all_tokens, positions, dates, date_starts, history, slots, durations):
        self.doc, self.sentence, self.tokens, self.positions = doc, sentence, tokens, positions
        self.all_tokens = all_tokens    # what a token mark's number indexes
        self.dates, self.date_starts, self.history, self.slots = dates, date_starts, history, slots
        self.durations = durations      # durations written in this sentence
        self.present_words = quantity_rules()["dates"]["present"]

    def duration_before(self, offset: int) -> str | None:
        """The duration written last before `offset` in the sentence (上线一个月, …增长300%)."""
        before = [d.duration for d in self.durations if d.start < offset]
        return before[-1] if before else None

    def at(self, masked_index: int) -> int:
        """Text offset of an offset in the masked document."""
        return self.positions[min(masked_index, len(self.positions) - 1)]

    def topic(self, before: int, family: str) -> str | None:
        """The entity of `family` a clause that leaves it out is about.

        The one last named earlier in the same clause (up to a semicolon); else the one named
        most often in the paragraph before this sentence (the paragraph's subject); else the
        one the text has named most often so far (the article's subject); else the first one
        named later in the clause (a headline: 股价跌去四分之三的Meta).
        """
        wanted = self.slots[family]
        clause_start = max(self.sentence.start, *(self.doc.text.rfind(mark, 0, before) + 1 for mark in "；;"))
        in_clause = [t for t in self.tokens if t.key and t.start >= clause_start and t.kind in wanted]
        earlier = [t for t in in_clause if t.start < before]
        if earlier:
            return earlier[-1].key
        paragraph_start = self.doc.text.rfind("\n", 0, self.sentence.start) + 1
        return (self.history.most_named(wanted, since=paragraph_start) or self.history.most_named(wanted)
                or next((t.key for t in in_clause), None))

    def date_of(self, start: int, end: int, later: bool = False) -> DateSpan | None:
        """The date of a fact stated at text[start:end].

        The nearest date written in the sentence before the fact ends (Meta在2023年5月开源的…,
        英特尔宣布…已于12月1日退休), leaving out dates that only say "as of" (截至7月28日); with
        `later` (an appointment that takes effect later: 3月18日生效), one written after it
        first; else the first date of the nearest dated sentence among the few before, unless
        this one speaks of the present (眼下, 目前).
        """
        date = ((later and self._date_after(end)) or self._date_in_sentence(end)
                or self._inherited_date())
        period = self._date_in_sentence(end)
        if date is not None and period is not None and period.period:
            date = replace(date, period=period.period)      # …公布了第二财季财报
        return date

    def _date_in_sentence(self, offset: int) -> DateSpan | None:
        s = self.sentence
        i = bisect_right(self.date_starts, offset - 1)
        written = [d for d in self.dates[max(0, i - 8):i] if d.start >= s.start]
        before = [d for d in written if not self._as_of(d)]
        if not before:
            return None
        # …公布了截至7月28日的第二财季财报: the event's date is the exact one; a quarter is its period
        exact = [d for d in before if d.period is None]
        periods = [d.period for d in written if d.period]
        date = exact[-1] if exact else before[-1]
        return replace(date, period=periods[-1] if periods else None)

    def _date_after(self, offset: int) -> DateSpan | None:
        i = bisect_right(self.date_starts, offset - 1)
        after = [d for d in self.dates[i:i + 4] if d.start < self.sentence.end and d.period is None]
        return after[0] if after else None

    def _as_of(self, date: DateSpan) -> bool:
        return self.doc.text[max(0, date.start - 3):date.start].endswith(AS_OF)

    def _inherited_date(self) -> DateSpan | None:
        s = self.sentence
        if any(word in self.doc.text[s.start:s.end] for word in self.present_words):
            return None
        j = bisect_right(self.date_starts, s.start - 1)
        if not j or self.dates[j - 1].start < self.doc.sentences[max(0, s.index - INHERIT_SENTENCES)].start:
            return None
        # the first date of that sentence: later ones are often plans or references (计划在2025年…)
        last = self.dates[j - 1]
        home = next(x for x in reversed(self.doc.sentences[:s.index]) if x.start <= last.start)
        first = next((d for d in self.dates[:j] if d.start >= home.start and not self._as_of(d)), None)
        return replace(first, period=None) if first else None

    def evidence(self, pattern: str) -> Evidence:
        return Evidence(self.sentence.index, self.sentence.start, self.sentence.end, pattern)


def _facts_from(match: re.Match, pattern: Pattern, ctx: _Context, used: set[int]) -> list[Relation | Event]:
    tokens = ctx.tokens
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
    for name, family in pattern.subject:        # 小马智行登陆纳斯达克，首次公开发行募资…
        if name not in values:
            first = next((t for t in ctx.tokens if t.key and t.start < start and t.kind in ctx.slots[family]), None)
            if first is not None:
                values[name] = [first]
    for name, family in pattern.fallback:
        if name not in values:
            key = ctx.topic(start, family)
            if key:
                values[name] = [Token(start, start, family, key)]
    if pattern.repeat and pattern.repeat[0] in values:
        slot = pattern.repeat[0]
        values[slot] = [t for t in values[slot] if not _skipped(t, pattern, ctx)] + _repeated(match, pattern, ctx)
    evidence = ctx.evidence(pattern.name)
    facts: list[Relation | Event] = []
    for subject, prop, obj in pattern.edges:
        for s in values.get(subject, []):
            for o in values.get(obj, []):
                if s.key and o.key and s.key != o.key:
                    facts.append(Relation(s.key, prop, o.key, evidence, title))
    if pattern.event:
        roles = tuple((role, t.key) for role, slot in pattern.roles for t in values.get(slot, []) if t.key)
        for role, family in pattern.context:     # 在C-Eval上则达到91.8%: the model named before
            if role not in dict(roles):
                earlier = [t for t in tokens if t.key and t.start < ctx.at(match.start())
                           and t.kind in ctx.slots[family] and not _skipped(t, pattern, ctx)]
                roles += ((role, earlier[-1].key),) if earlier else ()
        for role, family in pattern.collect:
            end = ctx.at(match.end())
            roles += tuple((role, t.key) for t in tokens
                           if t.key and t.start >= end and t.kind in ctx.slots[family])
        quantity_tokens = [t for ts in values.values() for t in ts if t.quantity]
        if pattern.span_quantities:     # 以320亿美元收购: figures inside the construction
            lo, hi = ctx.at(match.start()), ctx.at(match.end())
            quantity_tokens += [t for t in tokens if t.quantity and lo <= t.start < hi and t not in quantity_tokens]
        text = None
        if pattern.claim:
            text, about, claim_end = _claim_text(match, ctx)
            claimants = {key for role, key in roles if role == "claimant"}
            # the first entity the claim names is what it is about; the rest is context; a claim
            # that names none is about the organization the speaker's clause names
            about = [k for k in about if k not in claimants][:MAX_CLAIM_SUBJECTS]
            if not about and claimants:
                topic = ctx.topic(start, "ORG")
                about = [topic] if topic and topic not in claimants else []
            roles += tuple(("about", key) for key in about)
            # a claim carries the figures it states
            quantity_tokens += [t for t in tokens if t.quantity and ctx.at(match.end()) <= t.start < claim_end]
        roles = tuple(dict.fromkeys(roles))
        if not roles:
            return facts
        used.update(id(t) for t in quantity_tokens)
        quantities = tuple(Quantity(t.quantity.value, t.quantity.unit, _QUANTITY_ROLES[t.kind],
                                    t.quantity.qualifier) for t in quantity_tokens)
        date = ctx.date_of(ctx.at(match.start()), ctx.at(match.end()), later=pattern.date_after)
        facts.append(Event(pattern.event, roles, evidence, date.value if date else None, quantities, text,
                           date.period if date else None, ctx.duration_before(ctx.at(match.end()))))
    return facts


def _repeated(match: re.Match, pattern: Pattern, ctx: _Context) -> list[Token]:
    """Further entities of the repeated slot's type after its first one, in the same sentence."""
    wanted = ctx.slots[pattern.repeat[1]]
    first = ctx.all_tokens[int(match.group(pattern.repeat[0]))]
    end = ctx.at(match.end()) if pattern.repeat_within else ctx.sentence.end
    return [t for t in ctx.tokens
            if first.start < t.start < end and t.key and t.key != first.key and t.kind in wanted
            and not _skipped(t, pattern, ctx)]


def _skipped(token: Token, pattern: Pattern, ctx: _Context) -> bool:
    """A repeated entity right after `skip_after` (比肩GPT-3.5) is not one of the slot's."""
    before = ctx.doc.text[max(ctx.sentence.start, token.start - 12):token.start]
    return pattern.skip_after is not None and bool(pattern.skip_after.search(before))


def _claim_text(match: re.Match, ctx: _Context) -> tuple[str, list[str], int]:
    """The claim's text (the rest of the sentence) and the entities it is about.

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
    for t in ctx.tokens:
        if t.key and claimant_end <= t.start < end and not any(a <= t.start < b for a, b in quoted):
            if t.kind in ctx.slots["NAMED"] and t.key not in about:
                about.append(t.key)
    return text, about, end


def _measurements(ctx: _Context, used: set[int]) -> list[Event]:
    """A quantity no pattern used: a figure stated about the entities nearest to it."""
    named = ctx.slots["NAMED"]
    agents = ctx.slots["AGENT"]
    out = []
    for t in ctx.tokens:
        if t.quantity is None or id(t) in used:
            continue
        before = [x for x in ctx.tokens if x.key and x.kind in named and x.start < t.start]
        about = before[-1] if before else next((x for x in ctx.tokens if x.key and x.kind in named), None)
        agent = next((x for x in ctx.tokens if x.key and x.kind in agents and x.start < t.start), None)
        roles = tuple((role, x.key) for role, x in (("agent", agent), ("object", about)) if x is not None)
        if not roles:       # 其中，数据中心业务营收为263亿美元: a figure of the article's subject
            topic = ctx.topic(t.start, "ORG")
            roles = (("agent", topic),) if topic else ()
        roles = tuple(dict.fromkeys(roles))
        if len({key for _, key in roles}) < len(roles):
            roles = roles[:1]
        if not roles:
            continue
        date = ctx.date_of(t.start, t.start)
        q = t.quantity
        out.append(Event("Measurement", roles, ctx.evidence("measurement.nearest-entity"),
                         date.value if date else None,
                         (Quantity(q.value, q.unit, _QUANTITY_ROLES[q.kind], q.qualifier),), None,
                         date.period if date else None, ctx.duration_before(t.start)))
    return out


def _mask(doc: Document, tokens: list[Token], locals_: list[list[int]]) -> tuple[str, list[int], list[int]]:
    """The sentences with tokens in place of mentions and quantities, joined by 。.

    Returns the masked string, the text offset of each of its characters (and of its end),
    and where each sentence starts in it.
    """
    text = doc.text
    parts: list[str] = []
    positions: list[int] = []
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
            positions.extend([t.start] * len(mark))
            cursor = max(cursor, t.end)
        parts.append(text[cursor:sentence.end] + "。")
        positions.extend(range(cursor, sentence.end))
        positions.append(sentence.end)
    positions.append(len(text))
    return "".join(parts), positions, bounds


def _merge_glosses(text: str, tokens: list[Token]) -> list[Token]:
    """帕特·基辛格（Pat Gelsinger）is one name given twice: one token, brackets included."""
    out: list[Token] = []
    for t in tokens:
        if out and out[-1].key == t.key and text[out[-1].end:t.start].strip() in ("(", "（") \
                and text[t.end:t.end + 1] in (")", "）"):
            out[-1] = replace(out[-1], end=t.end + 1)
        else:
            out.append(t)
    return out


def _pronoun_tokens(doc: Document, types: dict[str, str], pronouns: list[dict], slots: dict) -> list[Token]:
    """Pronouns ([pronoun] in facts.toml) as tokens of the entity they refer back to."""
    mentions = sorted(doc.mentions, key=lambda m: m.end)
    taken = bytearray(len(doc.text))
    for m in mentions:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    out = []
    for rule in pronouns:
        family = {kind for name in rule["refers_to"] for kind in slots[name]}
        candidates = [m for m in mentions if types[m.entity] in family]
        ends = [m.end for m in candidates]
        for match in re.finditer(rule["regex"], doc.text):
            i = bisect_right(ends, match.start())
            if taken[match.start()] or not i:
                continue
            antecedent = candidates[i - 1]
            out.append(Token(match.start(), match.end(), types[antecedent.entity], antecedent.entity))
    return out


@lru_cache(maxsize=1)
def fact_patterns() -> tuple[dict, list[dict], tuple[Pattern, ...]]:
    """The slots, pronoun rules and compiled patterns of data/patterns/facts.toml."""
    path = bundled("patterns", "facts.toml")
    data = read_toml(path, "fact patterns")
    try:
        slots = data["slots"]
        words = {name: "|".join(sorted(items, key=len, reverse=True)) for name, items in data["words"].items()}
        return slots, data["pronoun"], tuple(_compile(row, slots, words) for row in data["pattern"])
    except (KeyError, re.error) as exc:
        raise DataError(f"fact patterns {path}: {exc}") from None


def _compile(row: dict, slots: dict, words: dict) -> Pattern:
    slot_types: dict[str, str] = {}

    def expand(m: re.Match) -> str:
        if m.group(5):          # {=ROLE}: one of the words listed under [words]
            return f"(?:{words[m.group(5)]})"
        if m.group(3):          # {~WORK} / {~WORK:24}: characters holding no entity of that family
            return rf"(?:(?!⟦(?:{'|'.join(slots[m.group(3)])})#)[^。]){{0,{m.group(4) or 60}}}?"
        name, kind = m.group(1), m.group(2)
        if kind in _GAPS and name is None:
            return _GAPS[kind]
        group = f"(?P<{name}>\\d+)" if name else r"\d+"
        if name:
            slot_types[name] = kind
        # a group, so that a quantifier after the slot ({o:ORG}?) applies to the whole token
        if kind in _QUANTITY_ROLES:
            return f"(?:〔{kind}#{group}〕)"
        return f"(?:⟦(?:{'|'.join(slots[kind])})#{group}⟧)"

    regex = re.compile(_SLOT.sub(expand, row["regex"]))
    return Pattern(
        name=row["name"], regex=regex, event=row.get("event"),
        roles=tuple(row.get("roles", {}).items()),
        edges=tuple(tuple(edge) for edge in row.get("edges", ())),
        fallback=tuple(row.get("fallback", {}).items()),
        subject=tuple(row.get("subject", {}).items()),
        repeat=(row["repeat"], slot_types[row["repeat"]]) if row.get("repeat") else None,
        repeat_within=bool(row.get("repeat_within", False)),
        skip_after=re.compile(row["skip_after"]) if row.get("skip_after") else None,
        collect=tuple(row.get("collect", {}).items()),
        context=tuple(row.get("context", {}).items()),
        span_quantities=bool(row.get("span_quantities", False)),
        date_after=bool(row.get("date_after", False)),
        claim=bool(row.get("claim", False)))
