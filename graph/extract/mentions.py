"""Find the names an article mentions: knowledge-base names, names found from cues, references.

Entry point: `find_mentions(doc, kb)`. Knowledge-base names are matched with one
Aho-Corasick automaton (pyahocorasick) over the folded, lower-cased text, leftmost-longest;
a known model or product name with a variant (Llama 4, Qwen2.5-Max) names a new entity.
Names the knowledge base does not know come from `graph.extract.discover`; once found, a
name is found wherever else it stands, with its short forms (V3, 拉帕波特). References
(这家公司, 这位歌手) are kept as mentions with no entity yet: `resolve_entities` points them
at the entity they refer to.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache

import ahocorasick

from graph.extract.candidates import (
    GENERIC_TYPES, ORGANIZATION_TYPES, PLACE_TYPES, Candidate, compiled, continues_latin, latin_boundary,
    name_key, name_rules, overlaps)
from graph.extract.discover import acronym_organizations, discover_names, publisher_mentions, titles
from graph.extract.kb import KnowledgeBase, is_case_sensitive
from graph.model import Document, Mention


def find_mentions(doc: Document, kb: KnowledgeBase) -> tuple[Candidate, ...]:
    """All name mentions in `doc.text`, in text order, without overlaps.

    Priority, highest first: names whose form leaves no doubt (the publisher of the source
    line, a full name with its acronym in brackets, a 《title》 over the generic words inside
    it); knowledge-base names and their variants (Qwen2.5-Max); names found from cues; short
    forms of names already found (V3 for DeepSeek-V3, 拉帕波特 for 阿萨夫·拉帕波特); references.
    """
    text, rules = doc.text, name_rules()
    certain = publisher_mentions(doc) + acronym_organizations(text, rules["organization"], kb)
    book_titles = titles(text, rules["quoted"])
    known = [c for c in _without_overlaps(extend_versions(text, match_kb(text, kb), kb))
             if not overlaps(c, certain)
             and not (_kind(c, kb) == "Concept" and overlaps(c, book_titles))]
    # A generic knowledge-base word (AI, 深圳) gives way to a name found around it
    # (Inflection AI, 深圳引望智能技术有限公司); a named entity of the KB does not.
    found = [c for c in known if _kind(c, kb) not in GENERIC_TYPES] + certain
    generic = [c for c in known if _kind(c, kb) in GENERIC_TYPES]
    taken = _Occupancy(len(text), found)
    # …but a cue that types the generic word itself (Transformer架构, MoE模型) makes no name of it
    in_generic = bytearray(len(text))
    for c in generic:
        in_generic[c.start:c.end] = b"\x01" * (c.end - c.start)
    for candidate in discover_names(text, rules):
        if all(in_generic[candidate.start:candidate.end]):
            continue
        if taken.is_free(candidate.start, candidate.end):
            taken.add(candidate)
            found.append(candidate)
    for candidate in (_other_occurrences(text, found) + _short_forms(text, found, kb) + generic
                      + find_references(text, rules)):
        if taken.is_free(candidate.start, candidate.end):
            taken.add(candidate)
            found.append(candidate)
    return tuple(sorted(_drop_places_after_organizations(found, kb), key=lambda c: (c.start, c.end)))


def to_mentions(doc: Document, candidates: tuple[Candidate, ...]) -> tuple[Mention, ...]:
    """Attach each candidate to its sentence."""
    starts = [s.start for s in doc.sentences]
    mentions = []
    for c in candidates:
        index = max(0, bisect_right(starts, c.start) - 1)
        mentions.append(Mention(c.start, c.end, doc.sentences[index].index if doc.sentences else 0,
                                c.key, c.source))
    return tuple(mentions)


def match_kb(text: str, kb: KnowledgeBase) -> list[Candidate]:
    """Leftmost-longest matches of knowledge-base names, respecting Latin word boundaries."""
    automaton, case_forms = _kb_automaton(kb)
    if not len(automaton):
        return []
    not_before = compiled(r"\s*(?:" + "|".join(map(re.escape, name_rules()["product"]["not_before"])) + ")")
    haystack = text.lower()
    if len(haystack) != len(text):   # a rare character whose lower case is longer
        haystack = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    found = []
    # pyahocorasick's own leftmost-longest scan: no Python-side sort of every overlapping match
    for last, key in automaton.iter_long(haystack):
        start, end = last + 1 - len(key), last + 1
        if not latin_boundary(text, start, end):
            continue
        forms = case_forms.get(key)
        if forms is not None and text[start:end] not in forms:
            continue
        if not_before.match(text, end):
            continue        # MIT协议 names a license, not the university
        entry_id, weak = kb.surface[key]
        found += _split_brand(haystack, Candidate(start, end, entry_id, "kb-weak" if weak else "kb"), kb)
    return found


def _split_brand(haystack: str, c: Candidate, kb: KnowledgeBase) -> list[Candidate]:
    """特斯拉Model Y names its maker too: a product name led by an organization's name is two mentions."""
    if kb.entries[c.key].type in ORGANIZATION_TYPES | GENERIC_TYPES:
        return [c]
    for cut in range(min(c.end - c.start - 1, 8), 1, -1):
        head, rest = haystack[c.start:c.start + cut], haystack[c.start + cut]
        if not ((not head[-1].isascii() and rest.isascii()) or rest == " "):
            continue        # 小米|SU7, Tesla| Model Y; not DeepSeek|-R1
        maker = kb.surface.get(head)
        if maker and not maker[1] and kb.entries[maker[0]].type in ORGANIZATION_TYPES:
            model_start = c.start + cut + (1 if rest == " " else 0)     # Tesla| Model Y
            return [Candidate(c.start, c.start + cut, maker[0], "kb"), replace(c, start=model_start)]
    return [c]


def extend_versions(text: str, found: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A known model or product name with a variant names a new entity of the same type.

    Llama 4, Gemini 3, Kimi k1.5, DeepSeek-R1-Zero, Qwen2.5-Max. A name directly followed by
    "-" or "." and more Latin characters that make no variant is no match at all.
    """
    rules = name_rules()["product"]
    version = compiled(rules["version"])
    out = []
    for c in found:
        entry = kb.entries[c.key]
        match = version.match(text, c.end) if text[c.end - 1].isascii() and text[c.end - 1].isalnum() else None
        if match and entry.type in rules["variant_types"]:
            label = text[c.start:match.end()]
            out.append(Candidate(c.start, match.end(), name_key(label), "discovered:variant", entry.type))
        elif not continues_latin(text, c.end):
            out.append(c)
    return out


@lru_cache(maxsize=8)
def _kb_automaton(kb: KnowledgeBase) -> tuple[ahocorasick.Automaton, dict[str, frozenset[str]]]:
    automaton = ahocorasick.Automaton()
    case_forms: dict[str, set[str]] = {}
    for key in kb.surface:
        automaton.add_word(key, key)
    for entry in kb.entries.values():
        for name in entry.names:
            if is_case_sensitive(name):
                case_forms.setdefault(name.lower(), set()).add(name)
    if len(automaton):
        automaton.make_automaton()
    return automaton, {k: frozenset(v) for k, v in case_forms.items()}


def find_references(text: str, rules: dict) -> list[Candidate]:
    """Expressions that refer back to a named organization or person."""
    found = []
    for category, patterns in rules["reference"].items():
        regex = compiled("|".join(patterns if category != "organization" else map(re.escape, patterns)))
        for m in regex.finditer(text):
            found.append(Candidate(m.start(), m.end(), "", f"reference:{category}"))
    return found


def _other_occurrences(text: str, found: list[Candidate]) -> list[Candidate]:
    """A name found once from a cue (初创公司Wiz) is the same name wherever else it stands."""
    names: dict[str, Candidate] = {}
    for c in found:
        if c.source.startswith("discovered:") and c.key:
            names.setdefault(text[c.start:c.end], c)
    out = []
    for name, c in sorted(names.items()):
        if len(name) < 2:
            continue
        for m in re.finditer(re.escape(name), text):
            if m.start() != c.start and latin_boundary(text, m.start(), m.end()) \
                    and not continues_latin(text, m.end()):
                out.append(Candidate(m.start(), m.end(), c.key, "discovered:again", c.type))
    return out


def _short_forms(text: str, found: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """Short forms of names already found: V3 for DeepSeek-V3, 拉帕波特 for 阿萨夫·拉帕波特."""
    forms: dict[str, tuple[str, str | None]] = {}
    for c in found:
        if not c.key:
            continue
        name, kind = text[c.start:c.end], _kind(c, kb)
        if kind == "Person" and re.search("[·・•‧]", name):
            short = re.split("[·・•‧]", name)[-1]
        elif "-" in name and name.isascii():
            short = name.split("-", 1)[1]
            if not re.fullmatch(r"[A-Za-z]{1,3}\d[\w.]{0,4}", short):    # R1, V3, M9; not 32B
                continue
        else:
            continue
        if len(short) >= 2 and short not in kb.surface:
            forms.setdefault(short, (c.key, kind))
    out = []
    for short, (key, kind) in sorted(forms.items()):
        for m in re.finditer(re.escape(short), text):
            if latin_boundary(text, m.start(), m.end()) and not continues_latin(text, m.end()):
                out.append(Candidate(m.start(), m.end(), key, "discovered:short-form", kind))
    return out


def _drop_places_after_organizations(found: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """特斯拉中国 names Tesla's China arm, not China: a place right after an organization goes."""
    ends = {c.end for c in found if _kind(c, kb) in ORGANIZATION_TYPES}
    return [c for c in found if not (_kind(c, kb) in PLACE_TYPES and c.start in ends)]


def _kind(c: Candidate, kb: KnowledgeBase) -> str | None:
    return kb.entries[c.key].type if c.key in kb.entries else c.type


def _without_overlaps(found: list[Candidate]) -> list[Candidate]:
    """Leftmost first: a variant (DeepSeek-R1-Distill-Qwen-32B) swallows the names inside it."""
    out: list[Candidate] = []
    for c in sorted(found, key=lambda c: (c.start, -c.end)):
        if not out or c.start >= out[-1].end:
            out.append(c)
    return out


class _Occupancy:
    """Which characters already belong to a mention."""

    def __init__(self, length: int, found: list[Candidate]) -> None:
        self.used = bytearray(length)
        for c in found:
            self.add(c)

    def add(self, c: Candidate) -> None:
        self.used[c.start:c.end] = b"\x01" * (c.end - c.start)

    def is_free(self, start: int, end: int) -> bool:
        return not any(self.used[start:end])
