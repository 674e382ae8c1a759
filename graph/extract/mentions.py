"""Find the names an article mentions: knowledge-base names, then names found from cues.

Entry point: `find_mentions(doc, kb)`. Knowledge-base names are matched with one
Aho-Corasick automaton (pyahocorasick) over the folded, lower-cased text, leftmost-longest.
Names the knowledge base does not know are found from the cues in data/patterns/names.toml:
organization suffixes (…公司, …大学), role words before a person (首席执行官X), verbs of
saying after one (X表示), cue words after a Latin-script name (X模型, X芯片), a known name
with a new version number (Llama 4), and titles in 《》 or quotes followed by a cue word.
References (这家公司, 这位歌手) are kept as mentions with no entity yet: `resolve_entities`
points them at the entity they refer to.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from graph.datafiles import bundled, read_toml
from graph.extract.kb import KnowledgeBase, is_case_sensitive, match_key
from graph.model import Document, Mention
from graph.text.normalize import fold_characters

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_HAN = "\u4e00-\u9fff"


@dataclass(frozen=True)
class Candidate:
    """A mention before entity resolution, with the type its cue gives it."""
    start: int
    end: int
    key: str            # KB id, "name/<label>" for a discovered name, "" for a reference
    source: str
    type: str | None = None


def find_mentions(doc: Document, kb: KnowledgeBase) -> tuple[Candidate, ...]:
    """All name mentions in `doc.text`, in text order, without overlaps (KB names win)."""
    text = doc.text
    # The publisher the source line names is an organization, whatever words it contains.
    rules = name_rules()
    publisher = _publisher(doc)
    titles = _titles(text, rules["quoted"])
    found = [c for c in extend_versions(text, match_kb(text, kb), kb)
             if not _overlaps(c, publisher)
             and not (c.key in kb.entries and kb.entries[c.key].type == "Concept" and _overlaps(c, titles))]
    found += publisher
    taken = _Occupancy(len(text), found)
    for candidate in discover_names(text, rules):
        if taken.is_free(candidate.start, candidate.end):
            taken.add(candidate)
            found.append(candidate)
    for candidate in find_references(text, rules):
        if taken.is_free(candidate.start, candidate.end):
            taken.add(candidate)
            found.append(candidate)
    return tuple(sorted(found, key=lambda c: (c.start, c.end)))


def to_mentions(doc: Document, candidates: tuple[Candidate, ...]) -> tuple[Mention, ...]:
    """Attach each candidate to its sentence."""
    starts = [s.start for s in doc.sentences]
    mentions = []
    for c in candidates:
        index = max(0, bisect_right(starts, c.start) - 1)
        mentions.append(Mention(c.start, c.end, doc.sentences[index].index if doc.sentences else 0,
                                c.key, c.source))
    return tuple(mentions)


# ----------------------------------------------------------------------- knowledge base

def match_kb(text: str, kb: KnowledgeBase) -> list[Candidate]:
    """Leftmost-longest matches of knowledge-base names, respecting Latin word boundaries."""
    automaton, case_forms = _kb_automaton(kb)
    if not len(automaton):
        return []
    haystack = text.lower()
    if len(haystack) != len(text):   # a rare character whose lower case is longer
        haystack = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    spans = sorted(((end + 1 - len(key), end + 1, key) for end, key in automaton.iter(haystack)),
                   key=lambda s: (s[0], -s[1]))
    found, last_end = [], 0
    for start, end, key in spans:
        if start < last_end or not _latin_boundary(text, start, end):
            continue
        forms = case_forms.get(key)
        if forms is not None and text[start:end] not in forms:
            continue
        entry_id, weak = kb.surface[key]
        found.append(Candidate(start, end, entry_id, "kb-weak" if weak else "kb"))
        last_end = end
    return found


def extend_versions(text: str, found: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A known Latin name followed by a version number names a new entity: Llama 4, Gemini 3."""
    version = re.compile(name_rules()["product"]["version"])
    out = []
    for c in found:
        match = version.match(text, c.end)
        if match and text[c.end - 1].isascii() and text[c.end - 1].isalnum():
            label = text[c.start:match.end()]
            out.append(Candidate(c.start, match.end(), _name_key(label), "discovered:version",
                                 kb.entries[c.key].type))
        else:
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


def _latin_boundary(text: str, start: int, end: int) -> bool:
    if _ASCII_ALNUM.match(text[start]) and start > 0 and _ASCII_ALNUM.match(text[start - 1]):
        return False
    if _ASCII_ALNUM.match(text[end - 1]) and end < len(text):
        nxt = text[end]
        if _ASCII_ALNUM.match(nxt):
            return False
        if nxt in ".-" and end + 1 < len(text) and text[end + 1].isdigit():
            return False   # GPT-3 inside GPT-3.5
    return True


# ----------------------------------------------------------------------- discovery

@lru_cache(maxsize=1)
def name_rules() -> dict:
    return read_toml(bundled("patterns", "names.toml"), "name patterns")


def discover_names(text: str, rules: dict) -> list[Candidate]:
    """Names found from cues, each typed by its cue; overlaps are settled by the caller."""
    found: list[Candidate] = []
    found += _organizations(text, rules["organization"])
    found += _people(text, rules["person"])
    found += _latin_products(text, rules["product"])
    found += _quoted(text, rules["quoted"])
    return sorted(found, key=lambda c: (c.start, -(c.end - c.start)))


def find_references(text: str, rules: dict) -> list[Candidate]:
    """Expressions that refer back to a named organization or person."""
    found = []
    for category, patterns in rules["reference"].items():
        regex = _compiled("|".join(patterns if category != "organization" else map(re.escape, patterns)))
        for m in regex.finditer(text):
            found.append(Candidate(m.start(), m.end(), "", f"reference:{category}"))
    return found


def _publisher(doc: Document) -> list[Candidate]:
    """The publisher named in the article's source line is an organization."""
    if not doc.publisher:
        return []
    start = doc.text.rfind(fold_characters(doc.publisher))
    if start < 0:
        return []
    end = start + len(doc.publisher)
    return [Candidate(start, end, _name_key(doc.publisher), "discovered:publisher", "Organization")]


def _organizations(text: str, rules: dict) -> list[Candidate]:
    suffixes = sorted(rules["suffixes"], key=len, reverse=True)
    regex = _compiled(rf"([{_HAN}A-Za-z0-9·]{{1,{rules['max_chars'] + 4}}}?)({'|'.join(suffixes)})")
    stops, determiners = rules["stops"], rules["determiners"]
    generic = sorted(rules["generic"], key=len, reverse=True)
    found = []
    for m in regex.finditer(text):
        run_start = m.start(1)
        # read leftwards from the suffix up to a function word
        core_start = m.end(1)
        while core_start > run_start and text[core_start - 1] not in stops:
            core_start -= 1
        core = text[core_start:m.end(1)]
        if any(ch in determiners for ch in core):
            continue
        rest = core
        for word in generic:
            rest = rest.replace(word, "")
        if len(rest) < rules["min_chars"] or len(core) > rules["max_chars"]:
            continue
        label = text[core_start:m.end()]
        found.append(Candidate(core_start, m.end(), _name_key(label), "discovered:organization",
                               rules["suffixes"][m.group(2)]))
    return found


def _people(text: str, rules: dict) -> list[Candidate]:
    surnames = "|".join(rules["compound_surnames"] + list(rules["surnames"]))
    not_given = "|".join(sorted(rules["not_given_names"], key=len, reverse=True))
    after = "|".join(rules["speech"])
    han_name = (rf"(?:{surnames})(?!{not_given})[{_HAN}]{{1,2}}"
                rf"(?=(?:{after})|[，,。、；;：:（(“\"\s]|在|的|和|与|也|就|曾|将|已|对|于|等|则|还|$)")
    latin_name = r"[A-Z][a-z]+(?:[ \-][A-Z][a-zA-Z]+){1,2}(?![A-Za-z])"
    roles = "|".join(sorted(rules["roles"], key=len, reverse=True))
    by_role = _compiled(rf"(?:{roles})[:：]?\s*({latin_name}|{han_name})")
    not_name = set(rules["not_name_chars"])
    by_speech = _compiled(rf"(?<![{_HAN}A-Za-z])({latin_name}|{han_name})\s*(?:{after})")
    found = []
    for regex, rule in ((by_role, "role"), (by_speech, "speech")):
        for m in regex.finditer(text):
            name = m.group(1)
            if any(ch in not_name for ch in name[1:]):
                continue
            found.append(Candidate(m.start(1), m.end(1), _name_key(name), f"discovered:person-{rule}", "Person"))
    return found


def _latin_products(text: str, rules: dict) -> list[Candidate]:
    han_cues = [c for c in rules["cues"] if not c.isascii()]
    latin_cues = [c for c in rules["cues"] if c.isascii()]
    # A Latin cue must stand apart (WhatsApp is no "Whats" + "App").
    cue = (rf"\s*({'|'.join(sorted(map(re.escape, han_cues), key=len, reverse=True))})"
           rf"|\s+({'|'.join(sorted(map(re.escape, latin_cues), key=len, reverse=True))})(?![A-Za-z])")
    regex = _compiled(rf"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9]*(?:[-. ][A-Za-z0-9]+){{0,3}})(?:{cue})")
    generic = set(rules["generic"])
    found = []
    for m in regex.finditer(text):
        parts = re.split(r"([-. ])", m.group(1))
        while parts and parts[-1] in generic:       # Quest 3 VR头显 -> Quest 3
            parts = parts[:-2]
        name = "".join(parts)
        if not name or all(part in generic for part in parts[::2]):
            continue
        found.append(Candidate(m.start(1), m.start(1) + len(name), _name_key(name), "discovered:product",
                               rules["cues"][m.group(2) or m.group(3)]))
    return found


def _quoted(text: str, rules: dict) -> list[Candidate]:
    cues = "|".join(sorted(map(re.escape, rules["cues"]), key=len, reverse=True))
    n = rules["max_chars"]
    quoted = _compiled(rf"[“\"]([^“”\"\n]{{2,{n}}})[”\"]({cues})")
    return [Candidate(m.start(1), m.end(1), _name_key(m.group(1)), "discovered:quoted", rules["cues"][m.group(2)])
            for m in quoted.finditer(text)] + _titles(text, rules)


def _titles(text: str, rules: dict) -> list[Candidate]:
    """Titles in 《》 are works; a generic word inside one (人工智能) is part of the title."""
    titled = _compiled(rf"《([^《》\n]{{1,{rules['max_chars'] * 2}}})》")
    return [Candidate(m.start(1), m.end(1), _name_key(m.group(1)), "discovered:title", "CreativeWork")
            for m in titled.finditer(text)]


def _overlaps(c: Candidate, others: list[Candidate]) -> bool:
    return any(c.start < o.end and o.start < c.end for o in others)


def _name_key(label: str) -> str:
    return "name/" + re.sub(r"\s+", "_", match_key(label).strip())


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


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
