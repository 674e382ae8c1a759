"""The data that passes between pipeline stages: small frozen dataclasses.

A `Document` holds the original text and, after each stage, what that stage found (each stage
is a function `Document -> Document`, listed in `graph.pipeline.stages`):

    read_document              -> original, source, title, publisher, published (text = original)
    normalize                  -> text (restored, folded for matching), to_original (offset map)
    split_sentences            -> sentences
    find_mentions              -> mentions (references not yet pointed at an entity)
    resolve_entities           -> entities; mentions point at them by key
    find_quantities_and_dates  -> quantities, dates
    extract_facts              -> facts

Offsets in `Sentence`, `Mention`, `QuantitySpan`, `DateSpan` and `Evidence` index the
*normalized* text; `Document.span` maps them back into the original text, which is what the
graph records.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["DateSpan", "Document", "Entity", "Event", "Evidence", "Label", "Mention", "Quantity",
           "QuantitySpan", "Relation", "Sentence", "iso_date"]


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
    entity: str         # Entity.key (a KB id, or a key minted for a discovered name); "" for a
                        # reference that resolve_entities has not yet pointed at an entity
    source: str         # "kb", "kb-weak", "discovered:<rule>", "reference:<class>", "reference"
    type: str | None = None     # the class the KB or the name's cue gives it; None for a reference
    base: str = ""      # the entity the name is built on: 百度智能云 -> baidu, Qwen2.5-Max -> qwen2.5


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
class QuantitySpan:
    """A number with its unit or currency, as written at text[start:end]."""
    start: int          # in the normalized text
    end: int
    kind: str           # PCT, MONEY, COUNT, NUM
    value: float        # in base units (7000亿美元 -> 7e11), finite
    unit: str | None    # percent, USD, person, parameter …
    qualifier: str | None = None    # what the text says of the figure: "about", "more than", "at most" …


@dataclass(frozen=True)
class DateSpan:
    """A date or a duration, as written at text[start:end]."""
    start: int          # in the normalized text
    end: int
    value: str | None   # ISO prefix of a real date ("2023", "2023-04", "2023-04-05"); None for a bare
                        # duration, or for a date the text names that cannot be known (今日 in an
                        # article that states no date of its own)
    period: str | None  # "2023-Q3", "2023-H2" when the text names a part of a year
    duration: str | None = None   # ISO 8601 duration (P1Y) for 一年, 一个月


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
    date: str | None = None   # ISO prefix of the date its clause gives: the relation held then


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
    quantities: tuple[QuantitySpan, ...] = ()  # in text order
    dates: tuple[DateSpan, ...] = ()           # dates and durations, in text order
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


def iso_date(year: int | str, month: int | str | None = None, day: int | str | None = None) -> str | None:
    """The ISO prefix of a date as precise as it is given, or None when no calendar has that day.

    >>> iso_date(2023), iso_date("2023", "4"), iso_date(2023, 4, 5), iso_date(2023, 2, 31), iso_date(2023, 13)
    ('2023', '2023-04', '2023-04-05', None, None)
    """
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    value = f"{int(year):04d}"
    if month:
        value += f"-{int(month):02d}"
        if day:
            value += f"-{int(day):02d}"
    return value
