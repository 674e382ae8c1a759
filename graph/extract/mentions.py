"""Find the names an article mentions: knowledge-base names, names found from cues, references.

The stage is `find_mentions(doc, kb)`. Knowledge-base names are matched with one
Aho-Corasick automaton (pyahocorasick) over the folded, lower-cased text, leftmost-longest;
a known model or product name with a variant (Llama 4, Qwen2.5-Max) names a new entity.
Names the knowledge base does not know come from `graph.extract.discover`; once found, a
name is found wherever else it stands, with its short forms (V3, 拉帕波特). References
(这家公司, 这位歌手) are kept as mentions with no entity yet: `resolve_entities` points them
at the entity they refer to.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache

import ahocorasick

from graph.extract.candidates import (
    CONCEPT_TYPES, GENERIC_TYPES, ORGANIZATION_TYPES, PERSON_TYPES, PLACE_TYPES, Candidate, Occupancy, compiled,
    continues_latin, latin_boundary, name_key, name_rules, non_overlapping, occurrences)
from graph.extract.discover import (
    acronym_organizations, discover_names, given_name_start, organization_units, publisher_mentions, titles)
from graph.extract.kb import KnowledgeBase, is_case_sensitive
from graph.model import Document, Mention

__all__ = ["extend_versions", "find_mentions", "find_references", "match_kb"]

_MODEL_CODE = re.compile(r"[A-Za-z]{1,2}\d")


def find_mentions(doc: Document, kb: KnowledgeBase) -> Document:
    """The names `doc` mentions, in text order, without overlaps.

    Reads ``text``, ``sentences`` and ``publisher``; writes ``mentions``, each with its
    sentence, the entity key it names (a KB id, or ``name/<label>`` for a name found from a
    cue) and the class the KB or the cue gives it. A reference (这家公司) is a mention with no
    entity yet (``entity=""``, ``source="reference:<class>"``); weak aliases are kept for
    `resolve_entities` to judge.

    Priority, highest first: names whose form leaves no doubt (the publisher of the source
    line, a full name with its acronym in brackets, a 《title》 over the generic words inside
    it); knowledge-base names and their variants (Qwen2.5-Max); names found from cues; short
    forms of names already found (V3 for DeepSeek-V3, 拉帕波特 for 阿萨夫·拉帕波特); references.

    >>> from graph.extract.kb import load_kb
    >>> from graph.text import read_text, normalize, split_sentences
    >>> doc = find_mentions(split_sentences(normalize(read_text("Meta开源了LLaMA。这家公司很忙。"))), load_kb())
    >>> [(doc.text[m.start:m.end], m.entity, m.type) for m in doc.mentions]
    [('Meta', 'meta', 'Company'), ('开源', 'open-source', 'Concept'), ('LLaMA', 'llama', 'AIModel'), ('这家公司', '', None)]
    """
    found = _without_lower_priority(doc, kb)
    return replace(doc, mentions=_to_mentions(doc, found, kb))


def _without_lower_priority(doc: Document, kb: KnowledgeBase) -> list[Candidate]:
    """Every candidate that no candidate of a higher priority overlaps (see `find_mentions`)."""
    text, rules = doc.text, name_rules()
    certain = publisher_mentions(doc) + acronym_organizations(text, rules["organization"], kb)
    by_certain, by_titles = Occupancy(len(text), certain), Occupancy(len(text), titles(text, rules["quoted"]))
    known = [c for c in _without_overlaps(extend_versions(text, match_kb(text, kb), kb))
             if by_certain.is_free(c.start, c.end)
             and not (_kind(c, kb) in CONCEPT_TYPES and not by_titles.is_free(c.start, c.end))]
    known = _with_given_names(text, known, kb, rules)
    discovered = discover_names(text, rules)
    longer = _without_overlaps(_longer_names(text, known, discovered, kb)
                               + organization_units(text, rules["unit"], _organizations_named(known, kb)))
    by_longer = Occupancy(len(text), longer)
    known = _supported_by_cues([c for c in known if by_longer.is_free(c.start, c.end)], discovered) + longer
    # A generic knowledge-base word (AI, 深圳) gives way to a name found around it
    # (Inflection AI, 深圳引望智能技术有限公司); a named entity of the KB does not.
    found = [c for c in known if _kind(c, kb) not in GENERIC_TYPES] + certain
    generic = [c for c in known if _kind(c, kb) in GENERIC_TYPES]
    taken = Occupancy(len(text), found)
    # …but a cue that types the generic word itself (Transformer架构, MoE模型) makes no name of it
    in_generic = bytearray(len(text))
    for c in generic:
        in_generic[c.start:c.end] = b"\x01" * (c.end - c.start)
    for candidate in discovered:
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
    found = _short_forms_joined(text, _drop_places_after_organizations(found, kb), kb)
    return _with_abbreviations(text, _without_glossed_bases(text, found), rules["abbreviation"])


def _without_glossed_bases(text: str, found: list[Candidate]) -> list[Candidate]:
    """美国数学邀请赛AIME 2024 names one thing: a known name right before a name built on it goes."""
    based = {(c.start, c.base) for c in found if c.base}
    return [c for c in found if (c.end + (text[c.end:c.end + 1] == " "), c.key) not in based]


def _with_abbreviations(text: str, found: list[Candidate], rules: dict) -> list[Candidate]:
    """深圳某某科技有限公司（以下简称某某）, 某机构（Some Agency，简称SA）: the short form names the
    entity before the brackets wherever it stands, over what it would name otherwise."""
    ends = {c.end: c for c in found if c.key}
    short: dict[str, Candidate] = {}
    for m in compiled(rules["regex"]).finditer(text):
        named = ends.get(m.start())
        if named and m.group(1) not in rules["generic"]:
            short.setdefault(m.group(1), named)
    if not short:
        return found
    where = occurrences(text, short)
    spans = {(s, s + len(name)): c for name, c in short.items() for s in where.get(name, [])
             if latin_boundary(text, s, s + len(name))}
    out = [replace(c, key=spans[(c.start, c.end)].key, type=spans[(c.start, c.end)].type, source="discovered:abbreviation")
           if (c.start, c.end) in spans else c for c in found]
    taken = Occupancy(len(text), out)
    for (start, end), c in sorted(spans.items()):
        if taken.is_free(start, end):
            out.append(Candidate(start, end, c.key, "discovered:abbreviation", c.type))
    return out


def _supported_by_cues(known: list[Candidate], discovered: list[Candidate]) -> list[Candidate]:
    """A weak alias that a cue names as well (芯片设计公司Arm, 荣耀等手机厂商) counts as a strong name."""
    cued = {(c.start, c.end) for c in discovered}
    return [replace(c, source="kb") if c.source == "kb-weak" and (c.start, c.end) in cued else c for c in known]


def _longer_names(text: str, known: list[Candidate], discovered: list[Candidate],
                  kb: KnowledgeBase) -> list[Candidate]:
    """Names a cue finds that start with a known name and go on (旗舰模型Mistral Large 2, 合资公司SB
    OpenAI Japan, Intel 18A工艺): the longer name, not the known one inside it.

    The part beyond the known names must hold a word that is no generic one (OpenAI CEO is no name).
    """
    rules = name_rules()["product"]
    generic, sources = set(rules["generic"]), set(rules["longer_sources"])
    by_start = sorted(known, key=lambda k: k.start)
    starts = [k.start for k in by_start]
    out = []
    for c in discovered:
        # only the known names that start inside c (bisect: linear in the text, not names x names)
        inside = [k for k in by_start[bisect_left(starts, c.start):bisect_left(starts, c.end)]
                  if k.end <= c.end and _kind(k, kb) not in GENERIC_TYPES]
        if c.source not in sources or not inside or all(k.end - k.start == c.end - c.start for k in inside):
            continue
        rest = list(text[c.start:c.end])
        for k in inside:
            rest[k.start - c.start:k.end - c.start] = " " * (k.end - k.start)
        if any(word not in generic for word in "".join(rest).split()):
            out.append(replace(c, base=next((k.key for k in inside if k.start == c.start and k.key in kb.entries), "")))
    return out


def _organizations_named(known: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    return [c for c in known if _kind(c, kb) in ORGANIZATION_TYPES and c.source == "kb"]


def _with_given_names(text: str, known: list[Candidate], kb: KnowledgeBase, rules: dict) -> list[Candidate]:
    """A known person named by surname only, written with the given name before a dot
    (埃马纽埃尔·马克龙 when the KB knows 马克龙): the whole name, the known person's."""
    out = []
    for c in known:
        start = c.start
        if _kind(c, kb) in PERSON_TYPES and start > 1 and text[start - 1] == "·":
            given = given_name_start(text, start - 1, rules)
            start = given if given < start - 1 else start
        out.append(c if start == c.start else replace(c, start=start))
    return out


def _short_forms_joined(text: str, found: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A name a cue found that is the short form of another name found is that name's: 马克龙称
    beside 埃马纽埃尔·马克龙, R1模型 beside DeepSeek-R1."""
    forms = _short_form_keys(text, found, kb)
    out = []
    for c in found:
        key, kind = forms.get(text[c.start:c.end], (c.key, c.type))
        out.append(replace(c, key=key, type=kind) if c.source.startswith("discovered:") and key != c.key else c)
    return out


def _to_mentions(doc: Document, candidates: list[Candidate], kb: KnowledgeBase) -> tuple[Mention, ...]:
    """The candidates in text order as mentions: each with its sentence and its class."""
    starts = [s.start for s in doc.sentences]
    mentions = []
    for c in sorted(candidates, key=lambda c: (c.start, c.end)):
        index = max(0, bisect_right(starts, c.start) - 1)
        mentions.append(Mention(c.start, c.end, doc.sentences[index].index if doc.sentences else 0,
                                c.key, c.source, _kind(c, kb), c.base))
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
    """特斯拉Model Y names its maker too: a product name led by an organization's name is two
    mentions, when the product goes by the rest of the name alone (Model Y; not Mistral Large)."""
    if kb.entries[c.key].type in ORGANIZATION_TYPES | GENERIC_TYPES:
        return [c]
    for cut in range(min(c.end - c.start - 1, 8), 1, -1):
        head, rest = haystack[c.start:c.start + cut], haystack[c.start + cut]
        if not ((not head[-1].isascii() and rest.isascii()) or rest == " "):
            continue        # 小米|SU7, Tesla| Model Y; not DeepSeek|-R1
        maker = kb.surface.get(head)
        model_start = c.start + cut + (1 if rest == " " else 0)     # Tesla| Model Y
        if kb.surface.get(haystack[model_start:c.end], ("",))[0] != c.key:
            continue        # Mistral Large is not named Large: the brand is part of the name
        if maker and not maker[1] and kb.entries[maker[0]].type in ORGANIZATION_TYPES:
            return [Candidate(c.start, c.start + cut, maker[0], "kb"), replace(c, start=model_start)]
    return [c]


def extend_versions(text: str, found: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A known model or product name with a variant names a new entity of the same type.

    Llama 4, Gemini 3, Kimi k1.5, DeepSeek-R1-Zero, Qwen2.5-Max, 问界M9. A name directly followed by
    "-" or "." and more Latin characters that make no variant is no match at all.
    """
    rules = name_rules()["product"]
    version = compiled(rules["version"])
    out = []
    for c in found:
        entry = kb.entries[c.key]
        latin_end = text[c.end - 1].isascii() and text[c.end - 1].isalnum()
        # 问界M9: a Chinese name takes a model code of letters and digits written right after it
        match = version.match(text, c.end) if latin_end or _MODEL_CODE.match(text, c.end) else None
        if match and entry.type in rules["variant_types"]:
            label = text[c.start:match.end()]
            out.append(Candidate(c.start, match.end(), name_key(label), "discovered:variant", entry.type, c.key))
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
    for cls, patterns in rules["reference"].items():
        for m in compiled("|".join(patterns)).finditer(text):
            found.append(Candidate(m.start(), m.end(), "", f"reference:{cls}"))
    return found


def _other_occurrences(text: str, found: list[Candidate]) -> list[Candidate]:
    """A name found once from a cue (初创公司Wiz) is the same name wherever else it stands."""
    names: dict[str, Candidate] = {}
    for c in found:
        if c.source.startswith("discovered:") and c.key:
            names.setdefault(text[c.start:c.end], c)
    out = []
    names = {name: c for name, c in names.items() if len(name) >= 2}
    where = occurrences(text, names)
    for name, c in sorted(names.items()):
        for start in non_overlapping(where.get(name, []), len(name)):
            end = start + len(name)
            if start != c.start and latin_boundary(text, start, end) and not continues_latin(text, end):
                out.append(Candidate(start, end, c.key, "discovered:again", c.type))
    return out


def _short_forms(text: str, found: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """Short forms of names already found: V3 for DeepSeek-V3, 拉帕波特 for 阿萨夫·拉帕波特."""
    forms = _short_form_keys(text, found, kb)
    out = []
    where = occurrences(text, forms)
    for short, (key, kind) in sorted(forms.items()):
        for start in non_overlapping(where.get(short, []), len(short)):
            end = start + len(short)
            if latin_boundary(text, start, end) and not continues_latin(text, end):
                out.append(Candidate(start, end, key, "discovered:short-form", kind))
    return out


def _short_form_keys(text: str, found: list[Candidate], kb: KnowledgeBase) -> dict[str, tuple[str, str | None]]:
    """Each short form of the names found (the surname of 阿萨夫·拉帕波特, R1 of DeepSeek-R1) ->
    the key and class of the name it is short for, the first such name where several share it."""
    forms: dict[str, tuple[str, str | None]] = {}
    for c in found:
        if not c.key:
            continue
        name, kind = text[c.start:c.end], _kind(c, kb)
        if kind in PERSON_TYPES and "·" in name:
            short = name.rsplit("·", 1)[1]
        elif "-" in name and name.isascii():
            short = name.split("-", 1)[1]
            if not re.fullmatch(r"[A-Za-z]{1,3}\d[\w.]{0,4}", short):    # R1, V3, M9; not 32B
                continue
        else:
            continue
        if len(short) >= 2 and short not in kb.surface:
            forms.setdefault(short, (c.key, kind))
    return forms


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
