"""Turn the mentions of a document into one entity per real-world thing.

The stage is `resolve_entities(doc, kb)`.
- A weak alias (扎哥, SAM) counts only when the document also names its entity otherwise.
- A reference (这家公司, 这位歌手) joins the nearest entity named before it whose class fits.
- A knowledge-base entity carries the KB's labels, type and Wikidata id; a discovered one
  carries its name as written and the type most of its cues gave it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from graph.extract.kb import KnowledgeBase
from graph.model import Document, Entity, Label, Mention
from graph.rdf.namespaces import KG
from graph.rdf.ontology import vocabulary
from graph.text.normalize import fold_characters

__all__ = ["kb_entity", "language_of", "resolve_entities"]


def resolve_entities(doc: Document, kb: KnowledgeBase) -> Document:
    """One entity per thing `doc` names, and every kept mention pointing at its entity.

    Reads ``mentions`` (and ``text``, ``original``, ``to_original`` for names as written);
    writes ``entities``, sorted by key (a known organization a name is built on, 百度 of 百度智能云,
    among them; a model family only where the article names it), and ``mentions``: weak aliases of entities named no other way are dropped, references point at their entity (``source="reference"``) or are
    dropped when nothing before them fits.

    >>> from graph.extract import find_mentions, load_kb
    >>> from graph.text import read_text, normalize, split_sentences
    >>> doc = split_sentences(normalize(read_text("Meta开源了LLaMA。这家公司很忙。")))
    >>> doc = resolve_entities(find_mentions(doc, load_kb()), load_kb())
    >>> [(e.key, e.type) for e in doc.entities], [m.entity for m in doc.mentions]
    ([('llama', 'AIModel'), ('meta', 'Company'), ('open-source', 'Concept')], ['meta', 'open-source', 'llama', 'meta'])
    """
    strong = {m.entity for m in doc.mentions if m.source != "kb-weak" and m.entity}
    strong |= _owned_by_named(doc.mentions, strong, kb)
    kept = [m for m in doc.mentions if m.source != "kb-weak" or m.entity in strong]
    types = _types(kept)
    kept = _resolve_references(kept, types)
    written: dict[str, list[Mention]] = defaultdict(list)
    for m in kept:
        if m.source != "reference":
            written[m.entity].append(m)
    organizations = vocabulary().types_under(KG.Organization)
    named = {m.entity for m in kept} | {m.base for m in kept
                                        if m.base in kb.entries and kb.entries[m.base].type in organizations}
    entities = [kb_entity(key, kb) if key in kb.entries else
                Entity(key=key, type=types[key], labels=_written_labels(doc, written[key]))
                for key in sorted(named)]
    return replace(doc, mentions=tuple(kept), entities=tuple(entities))


def _owned_by_named(mentions: tuple[Mention, ...], strong: set[str], kb: KnowledgeBase) -> set[str]:
    """Weak aliases whose full name is an organization's the article names and the alias
    (Copilot when 微软 is named: Microsoft Copilot; o3 when OpenAI is: OpenAI o3)."""
    owners = {kb.entries[key].en + " " for key in strong
              if key in kb.entries and kb.entries[key].type in vocabulary().types_under(KG.Organization)}
    return {m.entity for m in mentions if m.source == "kb-weak"
            and any(kb.entries[m.entity].en.startswith(owner) for owner in owners)}


def kb_entity(entry_id: str, kb: KnowledgeBase) -> Entity:
    """An entity with every label of its knowledge-base entry.

    >>> from graph.extract import load_kb
    >>> [(label.text, label.lang, label.preferred) for label in kb_entity("yann-lecun", load_kb()).labels][:3]
    [('Yann LeCun', 'en', True), ('杨立昆', 'zh', True), ('LeCun', 'en', False)]
    """
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


def _written_labels(doc: Document, mentions: list[Mention]) -> tuple[Label, ...]:
    """A discovered entity's names as written (阿萨夫·拉帕波特, Assaf Rappaport, 拉帕波特).

    The first name in each language is preferred. A name as written in Traditional or
    full-width characters stays preferred, with its folded form beside it; a spun name's
    restored reading (3D重建 for 3D沉建) is preferred over the spun one.
    """
    labels: list[Label] = []
    for m in mentions:
        written, restored = doc.original_text(m.start, m.end), doc.text[m.start:m.end]
        spun = fold_characters(written) != restored
        for text in dict.fromkeys((restored, written) if spun else (written, restored)):
            lang = language_of(text)
            if all(label.text != text for label in labels):
                labels.append(Label(text, lang, preferred=all(not (l.preferred and l.lang == lang) for l in labels)))
    return tuple(labels)


def language_of(name: str) -> str:
    """"zh" for a name with Chinese characters, "en" otherwise.

    >>> language_of("杨立昆"), language_of("Yann LeCun")
    ('zh', 'en')
    """
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in name) else "en"


def _types(mentions: list[Mention]) -> dict[str, str]:
    """Each entity's type: the class most of its mentions give it (the first given on a tie)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        if m.entity:
            votes[m.entity][m.type] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def _resolve_references(mentions: list[Mention], types: dict[str, str]) -> list[Mention]:
    """References pointed at the entity of their class (or one under it) named last before them.

    One pass: for each class that references name, the entity of that class named last so far.
    """
    wanted = {cls: vocabulary().types_under(KG[cls])
              for cls in {m.source.split(":", 1)[1] for m in mentions if m.source.startswith("reference:")}}
    last: dict[str, str] = {}
    out: list[Mention] = []
    for m in mentions:
        if m.source.startswith("reference:"):
            key = last.get(m.source.split(":", 1)[1])
            if key is None:
                continue
            m = replace(m, entity=key, source="reference")
        out.append(m)
        for cls, classes in wanted.items():
            if types.get(m.entity) in classes:
                last[cls] = m.entity
    return out
