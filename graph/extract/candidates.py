"""What the name finders share: a mention candidate, the name rules, and text helpers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.datafiles import bundled, read_toml
from graph.extract.kb import match_key

HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff"   # with the rare-character extensions (郭明錤 -> 𫓹)
ORGANIZATION_TYPES = frozenset({"Company", "Organization", "OrganizationUnit", "University",
                                "ResearchInstitute", "GovernmentAgency"})
PLACE_TYPES = frozenset({"Place", "Country", "City"})
GENERIC_TYPES = PLACE_TYPES | {"Concept"}
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Candidate:
    """A mention before entity resolution, with the type its cue gives it."""
    start: int
    end: int
    key: str            # KB id, "name/<label>" for a discovered name, "" for a reference
    source: str
    type: str | None = None


@lru_cache(maxsize=1)
def name_rules() -> dict:
    """The cues of data/patterns/names.toml."""
    return read_toml(bundled("patterns", "names.toml"), "name patterns")


def name_key(label: str) -> str:
    """The key of a discovered name: the same name gives the same entity in every article."""
    return "name/" + re.sub(r"\s+", "_", match_key(label).strip())


@lru_cache(maxsize=64)
def compiled(pattern: str) -> re.Pattern:
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


def overlaps(c: Candidate, others: list[Candidate]) -> bool:
    return any(c.start < o.end and o.start < c.end for o in others)
