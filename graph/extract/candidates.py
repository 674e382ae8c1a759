"""What the name finders share: a mention candidate, the name rules, and text helpers."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.abc import Traversable
from pathlib import Path

import ahocorasick

from graph.datafiles import bundled, read_toml
from graph.errors import DataError
from graph.extract.kb import match_key
from graph.rdf.namespaces import KG
from graph.rdf.ontology import vocabulary

__all__ = ["CONCEPT_TYPES", "Candidate", "GENERIC_TYPES", "HAN", "ORGANIZATION_TYPES", "Occupancy",
           "PERSON_TYPES", "PLACE_TYPES", "compiled", "continues_latin", "latin_boundary", "load_name_rules",
           "name_key", "name_rules", "non_overlapping", "occurrences"]

HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff"   # with the rare-character extensions (郭明錤 -> 𫓹)
ORGANIZATION_TYPES = vocabulary().types_under(KG.Organization)
PERSON_TYPES = vocabulary().types_under(KG.Person)
PLACE_TYPES = vocabulary().types_under(KG.Place)
CONCEPT_TYPES = vocabulary().types_under(KG.Concept)
# Generic words of the knowledge base (AI, 深圳) give way to a name found around them.
GENERIC_TYPES = PLACE_TYPES | CONCEPT_TYPES
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
# Where names.toml names a class: [section] key, a table of cue -> class or a list of classes.
_CLASS_NAMES = (("organization", "suffixes"), ("organization", "acronym_suffixes"), ("latin", "descriptors"),
                ("latin", "suffixes"), ("product", "cues"), ("product", "variant_types"), ("quoted", "cues"),
                ("unit", "cues"))


@dataclass(frozen=True)
class Candidate:
    """A name the finders propose, before `find_mentions` settles overlaps and attaches it to its sentence."""
    start: int
    end: int
    key: str            # KB id, "name/<label>" for a discovered name, "" for a reference
    source: str
    type: str | None = None
    base: str = ""      # the known entity the name starts with (百度 in 百度智能云, Qwen2.5 in Qwen2.5-Max)


@lru_cache(maxsize=1)
def name_rules() -> dict:
    """The cues of data/patterns/names.toml (loaded once)."""
    return load_name_rules(bundled("patterns", "names.toml"))


def load_name_rules(path: Traversable | Path | str) -> dict:
    """The cues of a names.toml file, every class they name checked against the ontology.

    Raises DataError, naming the file, the entry and the name, for a table the finders need
    that is missing and for a type that is no entity class of ontology/kg.ttl.
    """
    rules = read_toml(path, "name cues")
    vocab = vocabulary()
    try:
        for section, key in _CLASS_NAMES:
            value = rules[section][key]
            for cue, name in value.items() if isinstance(value, dict) else ((None, v) for v in value):
                entry = f"[{section}] {key}" + (f" {cue!r}" if cue else "")
                vocab.check(name, vocab.entity_types, "entity type", f"name cues {path}: {entry}")
        for name in rules["reference"]:
            vocab.check(name, vocab.entity_types, "entity type", f"name cues {path}: [reference]")
    except KeyError as exc:
        raise DataError(f"name cues {path}: no {exc} table") from None
    return rules


def name_key(label: str) -> str:
    """The key of a discovered name: the same name gives the same entity in every article."""
    return "name/" + re.sub(r"\s+", "_", match_key(label).strip())


@lru_cache(maxsize=64)
def compiled(pattern: str) -> re.Pattern:
    """`re.compile`, kept for the patterns built from the rules at run time (re's own cache is small)."""
    return re.compile(pattern)


def latin_boundary(text: str, start: int, end: int) -> bool:
    """A Latin name is not part of a longer Latin word (no "AI" inside "OpenAI").

    A name followed by "-" or "." and more letters or digits is kept: `extend_versions`
    turns it into its variant (Qwen2.5-Max) or drops it.
    """
    if _ASCII_ALNUM.match(text[start]) and start > 0 and _ASCII_ALNUM.match(text[start - 1]):
        return False
    return not (_ASCII_ALNUM.match(text[end - 1]) and end < len(text) and _ASCII_ALNUM.match(text[end]))


def continues_latin(text: str, end: int) -> bool:
    """True when a name ends in a Latin character and "-x" or ".x" follows (GPT-3 in GPT-3.5)."""
    return (end + 1 < len(text) and text[end] in ".-" and text[end - 1].isascii() and text[end - 1].isalnum()
            and _ASCII_ALNUM.match(text[end + 1]) is not None)


def occurrences(text: str, words: Iterable[str]) -> dict[str, list[int]]:
    """Where each of `words` stands in `text`: the starts of its occurrences, overlapping ones
    included, in text order. One Aho-Corasick pass, however many words.

    >>> occurrences("Wiz与Wiz Cloud、WizWiz", ["Wiz", "Wiz Cloud"])
    {'Wiz': [0, 4, 14, 17], 'Wiz Cloud': [4]}
    """
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    if not len(automaton):
        return {}
    automaton.make_automaton()
    found: dict[str, list[int]] = defaultdict(list)
    for last, word in automaton.iter(text):
        found[word].append(last + 1 - len(word))
    return dict(found)


def non_overlapping(starts: list[int], length: int, start: int = 0) -> list[int]:
    """The occurrences (sorted `starts` of a word of `length`) that a left-to-right search from
    `start` finds, as `re.finditer` would: each begins after the one before ends.

    >>> non_overlapping([0, 1, 2, 5], 2), non_overlapping([0, 1, 2, 5], 2, start=1)
    ([0, 2, 5], [1, 5])
    """
    out: list[int] = []
    for s in starts[bisect_left(starts, start):]:
        if not out or s >= out[-1] + length:
            out.append(s)
    return out


class Occupancy:
    """Which characters of the text already belong to a mention.

    >>> taken = Occupancy(10, [Candidate(2, 4, "x", "kb")])
    >>> taken.is_free(0, 2), taken.is_free(3, 6)
    (True, False)
    """

    def __init__(self, length: int, found: Iterable[Candidate] = ()) -> None:
        self.used = bytearray(length)
        for c in found:
            self.add(c)

    def add(self, c: Candidate) -> None:
        self.used[c.start:c.end] = b"\x01" * (c.end - c.start)

    def is_free(self, start: int, end: int) -> bool:
        return self.used.find(1, start, end) < 0
