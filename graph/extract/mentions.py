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
from dataclasses import dataclass, replace
from functools import lru_cache

import ahocorasick

from graph.datafiles import bundled, read_toml
from graph.extract.kb import KnowledgeBase, is_case_sensitive, match_key
from graph.model import Document, Mention
from graph.text.normalize import fold_characters

_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_FIGURE = re.compile(r"[\d.,]+[万亿千百]?[辆台个件名位家款只部]?$")
_ORGANIZATION_TYPES = frozenset({"Company", "Organization", "OrganizationUnit", "University",
                                 "ResearchInstitute", "GovernmentAgency"})
_PLACE_TYPES = frozenset({"Place", "Country", "City"})
_GENERIC_TYPES = _PLACE_TYPES | {"Concept"}
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff"   # with the rare-character extensions (郭明錤 -> 𫓹)


@dataclass(frozen=True)
class Candidate:
    """A mention before entity resolution, with the type its cue gives it."""
    start: int
    end: int
    key: str            # KB id, "name/<label>" for a discovered name, "" for a reference
    source: str
    type: str | None = None


def find_mentions(doc: Document, kb: KnowledgeBase) -> tuple[Candidate, ...]:
    """All name mentions in `doc.text`, in text order, without overlaps.

    Priority, highest first: names whose form leaves no doubt (the publisher of the source
    line, a full name with its acronym in brackets, a 《title》 over the generic words inside
    it); knowledge-base names and their variants (Qwen2.5-Max); names found from cues; short
    forms of names already found (V3 for DeepSeek-V3, 拉帕波特 for 阿萨夫·拉帕波特); references.
    """
    text, rules = doc.text, name_rules()
    certain = _publisher(doc) + _acronym_organizations(text, rules["organization"], kb)
    titles = _titles(text, rules["quoted"])
    known = [c for c in _without_overlaps(extend_versions(text, match_kb(text, kb), kb))
             if not _overlaps(c, certain)
             and not (_kind(c, kb) == "Concept" and _overlaps(c, titles))]
    # A generic knowledge-base word (AI, 深圳) gives way to a name found around it
    # (Inflection AI, 深圳引望智能技术有限公司); a named entity of the KB does not.
    found = [c for c in known if _kind(c, kb) not in _GENERIC_TYPES] + certain
    generic = [c for c in known if _kind(c, kb) in _GENERIC_TYPES]
    taken = _Occupancy(len(text), found)
    for candidate in discover_names(text, rules):
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


# ----------------------------------------------------------------------- knowledge base

def match_kb(text: str, kb: KnowledgeBase) -> list[Candidate]:
    """Leftmost-longest matches of knowledge-base names, respecting Latin word boundaries."""
    automaton, case_forms = _kb_automaton(kb)
    if not len(automaton):
        return []
    not_before = _compiled(r"\s*(?:" + "|".join(map(re.escape, name_rules()["product"]["not_before"])) + ")")
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
        if not_before.match(text, end):
            continue        # MIT协议 names a license, not the university
        entry_id, weak = kb.surface[key]
        found += _split_brand(haystack, Candidate(start, end, entry_id, "kb-weak" if weak else "kb"), kb)
        last_end = end
    return found


def _split_brand(haystack: str, c: Candidate, kb: KnowledgeBase) -> list[Candidate]:
    """特斯拉Model Y names its maker too: a product name led by an organization's name is two mentions."""
    if kb.entries[c.key].type in _ORGANIZATION_TYPES | _GENERIC_TYPES:
        return [c]
    for cut in range(min(c.end - c.start - 1, 8), 1, -1):
        head, rest = haystack[c.start:c.start + cut], haystack[c.start + cut]
        if not ((not head[-1].isascii() and rest.isascii()) or rest == " "):
            continue        # 小米|SU7, Tesla| Model Y; not DeepSeek|-R1
        maker = kb.surface.get(head)
        if maker and not maker[1] and kb.entries[maker[0]].type in _ORGANIZATION_TYPES:
            return [Candidate(c.start, c.start + cut, maker[0], "kb"), replace(c, start=c.start + cut)]
    return [c]


def extend_versions(text: str, found: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """A known model or product name with a variant names a new entity of the same type.

    Llama 4, Gemini 3, Kimi k1.5, DeepSeek-R1-Zero, Qwen2.5-Max. A name directly followed by
    "-" or "." and more Latin characters that make no variant is no match at all.
    """
    rules = name_rules()["product"]
    version = _compiled(rules["version"])
    out = []
    for c in found:
        entry = kb.entries[c.key]
        match = version.match(text, c.end) if text[c.end - 1].isascii() and text[c.end - 1].isalnum() else None
        if match and entry.type in rules["variant_types"]:
            label = text[c.start:match.end()]
            out.append(Candidate(c.start, match.end(), _name_key(label), "discovered:variant", entry.type))
        elif not _continues_latin(text, c.end):
            out.append(c)
    return out


def _continues_latin(text: str, end: int) -> bool:
    """True when a name ends in a Latin character and "-x" or ".x" follows (GPT-3 in GPT-3.5)."""
    return (end + 1 < len(text) and text[end] in ".-" and text[end - 1].isascii() and text[end - 1].isalnum()
            and _ASCII_ALNUM.match(text[end + 1]) is not None)


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
    """A Latin name is not part of a longer Latin word (no "AI" inside "OpenAI").

    A name followed by "-" or "." and more letters or digits is kept: `extend_versions`
    turns it into its variant (Qwen2.5-Max) or drops it.
    """
    if _ASCII_ALNUM.match(text[start]) and start > 0 and _ASCII_ALNUM.match(text[start - 1]):
        return False
    return not (_ASCII_ALNUM.match(text[end - 1]) and end < len(text) and _ASCII_ALNUM.match(text[end]))


# ----------------------------------------------------------------------- discovery

@lru_cache(maxsize=1)
def name_rules() -> dict:
    return read_toml(bundled("patterns", "names.toml"), "name patterns")


def discover_names(text: str, rules: dict) -> list[Candidate]:
    """Names found from cues, each typed by its cue; overlaps are settled by the caller."""
    found: list[Candidate] = []
    found += _quoted(text, rules["quoted"])
    found += _foreign_people(text, rules["foreign_person"])
    found += _latin_names(text, rules["latin"])
    found += _organizations(text, rules["organization"])
    found += _organizations_by_context(text, rules["organization"])
    found += _organization_lists(text, rules["organization"])
    found += _people(text, rules["person"])
    found += _latin_products(text, rules["product"])
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
        if m.end() < len(text) and text[m.end()].isascii() and text[m.end()].isalpha():
            continue        # 云安全公司Adallom: the suffix describes the Latin name after it
        if m.end() < len(text) and text[m.end()] in rules["suffix_continuations"].get(m.group(2), ""):
            continue        # 开源社区 is no 开源社
        run_start = m.start(1)
        # read leftwards from the suffix up to a function word
        core_start = m.end(1)
        while core_start > run_start and text[core_start - 1] not in stops:
            core_start -= 1
        core_start = _after_verb(text, core_start, m.end(1), rules["left_verbs"])
        core = text[core_start:m.end(1)]
        if any(ch in determiners for ch in core) or _FIGURE.match(core):
            continue        # 这家公司; 443956辆汽车
        rest = core
        for word in generic:
            rest = rest.replace(word, "")
        if len(rest) < rules["min_chars"] or len(core) > rules["max_chars"]:
            continue
        label = text[core_start:m.end()]
        found.append(Candidate(core_start, m.end(), _name_key(label), "discovered:organization",
                               rules["suffixes"][m.group(2)]))
    return found


def _acronym_organizations(text: str, rules: dict, kb: KnowledgeBase) -> list[Candidate]:
    """美国商务部工业和安全局（BIS）: the full name, its acronym, and the acronym used alone later."""
    suffixes = "|".join(sorted(rules["acronym_suffixes"], key=len, reverse=True))
    regex = _compiled(rf"([{_HAN}]{{2,24}}?)({suffixes})\s*[（(]\s*([A-Z][A-Za-z&]{{1,7}})\s*[）)]")
    found = []
    for m in regex.finditer(text):
        start = m.end(1)
        while start > m.start(1) and text[start - 1] not in rules["acronym_stops"]:
            start -= 1
        start = _after_verb(text, start, m.end(1), rules["left_verbs"])
        if m.end(2) - start < 4:
            continue
        kind = rules["acronym_suffixes"][m.group(2)]
        known = kb.surface.get(match_key(m.group(3)))
        if known and not known[1]:
            # 杭州深度求索…有限公司（DeepSeek）: the full name of an entity the KB knows
            found.append(Candidate(start, m.end(2), known[0], "discovered:acronym", kind))
            continue
        key = _name_key(text[start:m.end(2)])
        found.append(Candidate(start, m.end(2), key, "discovered:acronym", kind))
        for use in re.finditer(re.escape(m.group(3)), text[m.start(3):]):
            begin, end = m.start(3) + use.start(), m.start(3) + use.end()
            if _latin_boundary(text, begin, end) and not _continues_latin(text, end):
                found.append(Candidate(begin, end, key, "discovered:acronym", kind))
    return found


def _after_verb(text: str, start: int, end: int, verbs: list[str]) -> int:
    """Where a name starts once a verb before it is cut off: 成立深圳引望… -> 深圳引望…."""
    cut = max((text.rfind(v, start, end) + len(v) for v in verbs if text.rfind(v, start, end) >= 0), default=start)
    return cut


def _organizations_by_context(text: str, rules: dict) -> list[Candidate]:
    """A name right before a job title (华登国际创始人) or listed on an exchange (文远知行在纳斯达克上市)."""
    titles = "|".join(sorted(map(re.escape, rules["before_roles"]), key=len, reverse=True))
    found = []
    for regex, rule in ((_compiled(rf"([{_HAN}A-Za-z0-9·.&]{{2,12}}?)(?:{titles})"), "title"),
                        (_compiled(rules["listing"]), "listing")):
        for m in regex.finditer(text):
            start = m.end(1)
            while start > m.start(1) and text[start - 1] not in rules["stops"]:
                start -= 1
            start = _after_verb(text, start, m.end(1), rules["left_verbs"])
            name = text[start:m.end(1)]
            if name[:1].isascii():  # Wedbush证券分析师: the Latin name is the name
                name = re.match(r"[A-Za-z0-9·.& ]*", name).group().strip()
            rest = name
            for word in rules["generic"]:
                rest = rest.replace(word, "")
            if len(rest) < rules["min_chars"] or any(ch in rules["determiners"] for ch in name) \
                    or _FIGURE.match(name):
                continue
            found.append(Candidate(start, start + len(name), _name_key(name), f"discovered:organization-{rule}",
                                   "Company"))
    return found


def _organization_lists(text: str, rules: dict) -> list[Candidate]:
    """与赛力斯、奇瑞、北汽等车企: every item of a list called organizations."""
    nouns = "|".join(sorted(rules["list_nouns"], key=len, reverse=True))
    regex = _compiled(rf"((?:[{_HAN}]{{2,6}}、){{1,8}}[{_HAN}]{{2,6}})等(?:{nouns})")
    found = []
    for m in regex.finditer(text):
        offset = m.start(1)
        for item in m.group(1).split("、"):
            # 华为与赛力斯 -> 赛力斯: the first item starts after the last function word in it
            start = offset + max((item.rfind(ch) + 1 for ch in rules["stops"] if item.rfind(ch) < len(item) - 2),
                                 default=0)
            name = text[start:offset + len(item)]
            if not any(ch in rules["determiners"] for ch in name):
                found.append(Candidate(start, offset + len(item), _name_key(name), "discovered:list", "Company"))
            offset += len(item) + 1
    return found


def _foreign_people(text: str, rules: dict) -> list[Candidate]:
    """阿萨夫·拉帕波特（Assaf Rappaport）: a transliterated name, and its original when given."""
    found = []
    for m in _compiled(rules["regex"]).finditer(text):
        # 首席财务官科莱特·克雷斯: the given name starts after a role word or function word
        start = m.start(1) + m.group(1).index(next(ch for ch in m.group(1) if ch in "·・•‧"))
        while start > m.start(1) and start > m.start(1) + m.group(1).index(
                next(ch for ch in m.group(1) if ch in "·・•‧")) - rules["max_given"] \
                and text[start - 1] not in rules["left_stops"]:
            start -= 1
        # …·纳德拉表示: the surname ends before a verb of saying or a function word
        end = m.end(1)
        cut = _compiled(rules["right_stop"]).search(text, text.rfind("·", start, end) + 1, end) \
            if not m.group(2) else None
        end = cut.start() if cut else end
        if end - start < 3 or text[end - 1] in "·・•‧":
            continue
        key = _name_key(text[start:end])
        found.append(Candidate(start, end, key, "discovered:foreign-person", "Person"))
        if m.group(2):
            found.append(Candidate(m.start(2), m.end(2), key, "discovered:foreign-person", "Person"))
    return found


def _latin_names(text: str, rules: dict) -> list[Candidate]:
    """Latin names typed by the word before (初创公司Wiz) or after (Wedbush证券) them."""
    name = rules["name"]
    before = "|".join(sorted(map(re.escape, rules["descriptors"]), key=len, reverse=True))
    after = "|".join(sorted(map(re.escape, rules["suffixes"]), key=len, reverse=True))
    found = []
    for m in _compiled(rf"({before})\s*({name})(?![A-Za-z0-9])").finditer(text):
        found.append(Candidate(m.start(2), m.end(2), _name_key(m.group(2)), "discovered:latin-descriptor",
                               rules["descriptors"][m.group(1)]))
    for m in _compiled(rf"(?<![A-Za-z0-9])({name})\s*({after})").finditer(text):
        found.append(Candidate(m.start(1), m.end(1), _name_key(m.group(1)), "discovered:latin-suffix",
                               rules["suffixes"][m.group(2)]))
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
            if m.start() != c.start and _latin_boundary(text, m.start(), m.end()) \
                    and not _continues_latin(text, m.end()):
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
            if _latin_boundary(text, m.start(), m.end()) and not _continues_latin(text, m.end()):
                out.append(Candidate(m.start(), m.end(), key, "discovered:short-form", kind))
    return out


def _drop_places_after_organizations(found: list[Candidate], kb: KnowledgeBase) -> list[Candidate]:
    """特斯拉中国 names Tesla's China arm, not China: a place right after an organization goes."""
    ends = {c.end for c in found if _kind(c, kb) in _ORGANIZATION_TYPES}
    return [c for c in found if not (_kind(c, kb) in _PLACE_TYPES and c.start in ends)]


def _kind(c: Candidate, kb: KnowledgeBase) -> str | None:
    return kb.entries[c.key].type if c.key in kb.entries else c.type


def _without_overlaps(found: list[Candidate]) -> list[Candidate]:
    """Leftmost first: a variant (DeepSeek-R1-Distill-Qwen-32B) swallows the names inside it."""
    out: list[Candidate] = []
    for c in sorted(found, key=lambda c: (c.start, -c.end)):
        if not out or c.start >= out[-1].end:
            out.append(c)
    return out


def _people(text: str, rules: dict) -> list[Candidate]:
    surnames = "|".join(rules["compound_surnames"] + list(rules["surnames"]))
    not_given = "|".join(sorted(rules["not_given_names"], key=len, reverse=True))
    after = "|".join(rules["speech"])
    han_name = (rf"(?:{surnames})(?!{not_given})[{_HAN}]{{1,2}}"
                rf"(?=(?:{after})|[，,。、；;：:（(“\"\s]|在|的|和|与|也|就|曾|将|已|对|于|等|则|还|$)")
    latin_name = r"[A-Z][a-z]+(?:[ \-][A-Z][a-zA-Z]+){1,2}(?![A-Za-z])"
    roles = "|".join(sorted(rules["roles"], key=len, reverse=True))
    by_role = _compiled(rf"(?:{roles})的?[:：]?\s*({latin_name}|{han_name})")
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
    return _titles(text, rules) + [
        Candidate(m.start(1), m.end(1), _name_key(m.group(1)), "discovered:quoted", rules["cues"][m.group(2)])
        for m in quoted.finditer(text)]


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
