"""The entity knowledge base: TOML files of world knowledge (names, aliases, type, Wikidata id).

Every `[[entity]]` in data/kb/*.toml (and in any file a user passes) becomes a `KBEntry`.
See data/kb/organizations.toml for the format. Nothing but an entry's labels, type and
Wikidata id ever enters a graph, and only for entities the article mentions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.datafiles import bundled, read_toml
from graph.errors import DataError
from graph.rdf.ontology import vocabulary
from graph.text.normalize import fold_characters

__all__ = ["KBEntry", "KnowledgeBase", "is_case_sensitive", "load_kb", "match_key"]

_QID = re.compile(r"Q[1-9]\d*")
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass(frozen=True)
class KBEntry:
    """One `[[entity]]` of a knowledge-base file: its id, class, names and Wikidata id."""
    id: str                     # a lowercase slug, unique across the files
    type: str                   # an entity class of ontology/kg.ttl
    en: str                     # preferred English label
    zh: str | None = None       # preferred Chinese label
    aliases: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()      # matched only where the article names the entity otherwise
    wikidata: str | None = None             # Q-id, only where certain

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the entry, preferred labels first."""
        first = (self.en,) + ((self.zh,) if self.zh and self.zh != self.en else ())
        return first + self.aliases + self.weak_aliases


@dataclass(frozen=True, eq=False)   # hashed by identity: loaded once, cached by the matcher
class KnowledgeBase:
    entries: dict[str, KBEntry]
    surface: dict[str, tuple[str, bool]]    # match key -> (entry id, weak)

    def __len__(self) -> int:
        return len(self.entries)


def match_key(name: str) -> str:
    """How a name is compared: folded (NFKC, Simplified) and lower-cased."""
    return fold_characters(name).lower()


def is_case_sensitive(name: str) -> bool:
    """Short all-caps Latin names (SAM, FAIR, AWS) only match as written."""
    return name.isascii() and name.isupper() and len(name) <= 4


def load_kb(extra: tuple[str | Path, ...] = ()) -> KnowledgeBase:
    """Load the bundled knowledge base plus any extra TOML files a user supplies."""
    files = sorted((f for f in bundled("kb").iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    return _load(tuple(str(f) for f in files) + tuple(str(p) for p in extra))


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> KnowledgeBase:
    entries: dict[str, KBEntry] = {}
    surface: dict[str, tuple[str, bool]] = {}
    for path in paths:
        data = read_toml(path, "knowledge base")
        for row in data.get("entity", []):
            entry = _entry(row, path)
            if entry.id in entries:
                raise DataError(f"knowledge base {path}: duplicate id {entry.id!r}")
            entries[entry.id] = entry
            weak = set(entry.weak_aliases)
            for name in entry.names:
                key = match_key(name)
                # First entry wins a shared name; a strong name beats a weak one.
                if key not in surface or (surface[key][1] and name not in weak):
                    surface[key] = (entry.id, name in weak)
    return KnowledgeBase(entries=entries, surface=surface)


def _entry(row: dict, path: str) -> KBEntry:
    try:
        entry = KBEntry(
            id=row["id"], type=row["type"], en=row["en"], zh=row.get("zh"),
            aliases=tuple(row.get("aliases", ())), weak_aliases=tuple(row.get("weak_aliases", ())),
            wikidata=row.get("wikidata"))
    except KeyError as exc:
        raise DataError(f"knowledge base {path}: entity without {exc}: {row}") from None
    if not _SLUG.fullmatch(entry.id):
        raise DataError(f"knowledge base {path}: id {entry.id!r} must be a lowercase slug")
    vocabulary().check(entry.type, vocabulary().entity_types, "entity type", f"knowledge base {path}: {entry.id}")
    if entry.wikidata is not None and not _QID.fullmatch(entry.wikidata):
        raise DataError(f"knowledge base {path}: {entry.id}: bad Wikidata id {entry.wikidata!r}")
    return entry
