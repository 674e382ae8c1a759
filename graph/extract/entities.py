"""Turn mention candidates into one entity per real-world thing in the document.

Entry point: `resolve_entities(doc, candidates, kb)`.
- A weak alias (扎哥, SAM) counts only when the document also names its entity otherwise.
- A reference (这家公司, 这位歌手) joins the nearest entity named before it whose type fits.
- A knowledge-base entity carries the KB's labels, type and Wikidata id; a discovered one
  carries its name as written and the type most of its cues gave it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from graph.extract.kb import KnowledgeBase
from graph.extract.candidates import Candidate
from graph.extract.mentions import to_mentions
from graph.model import Document, Entity, Label
from graph.text.normalize import fold_characters

ORGANIZATION_TYPES = frozenset({"Company", "Organization", "OrganizationUnit", "University",
                                "ResearchInstitute", "GovernmentAgency"})
REFERENCE_TYPES = {"organization": ORGANIZATION_TYPES, "person": frozenset({"Person"})}


def resolve_entities(doc: Document, candidates: tuple[Candidate, ...], kb: KnowledgeBase) -> Document:
    """Return `doc` with `mentions` and `entities` set."""
    strong = {c.key for c in candidates if c.source != "kb-weak" and c.key}
    kept = [c for c in candidates if c.source != "kb-weak" or c.key in strong]
    types = _types(kept, kb)
    kept = _resolve_references(kept, types)
    mentions = to_mentions(doc, tuple(kept))
    entities = []
    for key in sorted({c.key for c in kept}):
        if key in kb.entries:
            entities.append(kb_entity(key, kb))
        else:
            entities.append(Entity(key=key, type=types[key], labels=_written_labels(doc, key, kept)))
    return replace(doc, mentions=mentions, entities=tuple(entities))


def kb_entity(entry_id: str, kb: KnowledgeBase) -> Entity:
    """An entity with every label of its knowledge-base entry."""
    entry = kb.entries[entry_id]
    labels = [Label(entry.en, "en", True)]
    if entry.zh:
        labels.append(Label(entry.zh, "zh", True))
    seen = {(entry.en, "en"), (entry.zh, "zh")}
    for name in entry.aliases + entry.weak_aliases:
        if (name, language_of(name)) not in seen:
            seen.add((name, language_of(name)))
            labels.append(Label(name, language_of(name)))
    return Entity(key=entry_id, type=entry.type, labels=tuple(labels), wikidata=entry.wikidata)


def _written_labels(doc: Document, key: str, candidates: list[Candidate]) -> tuple[Label, ...]:
    """A discovered entity's names as written (阿萨夫·拉帕波特, Assaf Rappaport, 拉帕波特).

    The first name in each language is preferred. A name as written in Traditional or
    full-width characters stays preferred, with its folded form beside it; a spun name's
    restored reading (3D重建 for 3D沉建) is preferred over the spun one.
    """
    labels: list[Label] = []
    for c in candidates:
        if c.key != key or c.source == "reference":
            continue
        written, restored = doc.original_text(c.start, c.end), doc.text[c.start:c.end]
        spun = fold_characters(written) != restored
        for text in dict.fromkeys((restored, written) if spun else (written, restored)):
            lang = language_of(text)
            if all(label.text != text for label in labels):
                labels.append(Label(text, lang, preferred=all(not (l.preferred and l.lang == lang) for l in labels)))
    return tuple(labels)


def language_of(name: str) -> str:
    """"zh" for a name with Chinese characters, "en" otherwise."""
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in name) else "en"


def _types(candidates: list[Candidate], kb: KnowledgeBase) -> dict[str, str]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in candidates:
        if c.key in kb.entries:
            votes[c.key][kb.entries[c.key].type] += 1
        elif c.key:
            votes[c.key][c.type or "Thing"] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def _resolve_references(candidates: list[Candidate], types: dict[str, str]) -> list[Candidate]:
    out: list[Candidate] = []
    for c in candidates:
        if not c.source.startswith("reference:"):
            out.append(c)
            continue
        wanted = REFERENCE_TYPES[c.source.split(":", 1)[1]]
        antecedent = next((p for p in reversed(out) if p.key and types.get(p.key) in wanted), None)
        if antecedent is not None:
            out.append(replace(c, key=antecedent.key, source="reference"))
    return out
