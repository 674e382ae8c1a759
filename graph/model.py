"""The data that passes between pipeline stages: small frozen dataclasses.

A `Document` holds the original text and, after each stage, what that stage found:

    read_document      -> Document(original, text=original)
    normalize          -> text (restored, folded for matching) + offset map back to original
    split_sentences    -> sentences
    find_mentions      -> mentions
    resolve_entities   -> entities (mentions point at them by key)
    extract_facts      -> facts

Offsets in `Sentence`, `Mention` and `Evidence` index the *normalized* text; `Document.span`
maps them back into the original text, which is what the graph records.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int          # in the normalized text
    end: int


@dataclass(frozen=True)
class Mention:
    start: int          # in the normalized text
    end: int
    sentence: int       # Sentence.index
    entity: str         # Entity.key (a KB id, or a key minted for a discovered name)
    source: str         # "kb", "kb-weak", "discovered:<rule>", "reference"


@dataclass(frozen=True)
class Label:
    text: str
    lang: str           # "zh" or "en"
    preferred: bool = False


@dataclass(frozen=True)
class Entity:
    key: str            # stable across documents: "kb/<id>" or "<type>/<label>"
    type: str           # ontology class local name (Company, Person, AIModel …)
    labels: tuple[Label, ...]
    wikidata: str | None = None


@dataclass(frozen=True)
class Evidence:
    sentence: int       # Sentence.index
    start: int          # the clause or sentence span, in the normalized text
    end: int
    pattern: str        # which pattern or rule produced the fact


@dataclass(frozen=True)
class Quantity:
    value: float        # in base units (7000亿美元 -> 7e11)
    unit: str | None    # "USD", "CNY", "percent", "person", "parameter" … or None
    role: str = "amount"  # which property of the event it fills (amount, percent, count …)
    qualifier: str | None = None  # what the text says of the figure: "about", "more than", "at least" …


@dataclass(frozen=True)
class Relation:
    subject: str        # Entity.key
    predicate: str      # ontology property local name (developer, worksFor, isBasedOn …)
    object: str         # Entity.key
    evidence: Evidence
    role: str | None = None   # the job title a text gives with an employment (首席AI科学家)


@dataclass(frozen=True)
class Event:
    kind: str                                  # ontology class local name (Release, Layoff …)
    roles: tuple[tuple[str, str], ...]          # (property local name, Entity.key)
    evidence: Evidence
    date: str | None = None                    # ISO prefix: "2023", "2023-04", "2023-04-05"
    quantities: tuple[Quantity, ...] = ()
    text: str | None = None                    # quoted text of a claim
    period: str | None = None                  # part of a year the text names: "2023-Q3", "2023-H2"
    duration: str | None = None                # ISO 8601 duration the text gives (一个月 -> P1M)


@dataclass(frozen=True)
class Document:
    original: str                              # the text as decoded from the input
    source: str = "<text>"                     # file name or "<text>"
    title: str | None = None
    publisher: str | None = None
    published: str | None = None               # ISO date when the input states one
    text: str = ""                             # normalized text that extraction reads
    to_original: tuple[int, ...] = ()          # to_original[i]: original offset of text[i]; len(text)+1 entries
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    facts: tuple[Relation | Event, ...] = ()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalized text onto the original text."""
        if not self.to_original:
            return start, end
        return self.to_original[start], self.to_original[end]

    def original_text(self, start: int, end: int) -> str:
        """The original characters behind a span of the normalized text."""
        s, e = self.span(start, end)
        return self.original[s:e]
