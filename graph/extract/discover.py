"""Names the knowledge base does not know, found from the cues in data/patterns/names.toml.

Entry point: `discover_names(text, rules)`; `publisher_mentions(doc)` and
`acronym_organizations(text, rules, kb)` find the names whose form leaves no doubt. Each
candidate carries the type its cue gives it:

    organization suffixes       深蓝智能科技公司, 深圳引望智能技术有限公司, 彭博社
    a title or a listing        华登国际创始人…, 文远知行在纳斯达克上市
    a list called organizations 赛力斯、奇瑞、北汽等车企
    a full name and acronym     美国商务部工业和安全局（BIS）
    foreign names               阿萨夫·拉帕波特（Assaf Rappaport）
    Latin names by descriptor   云安全初创公司Wiz, Wedbush证券
    people                      首席执行官张伟, 李明辉认为
    Latin names by cue word     Orca-X模型, Nova Lens眼镜, Zen 6架构, GameChat功能
    lists of Latin names        Orca-X、Nova 2和Lumen Pro等主流模型
    titles and quoted names     《人工智能发展白皮书》, “3D重建”工具
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from graph.extract.candidates import (
    HAN, Candidate, compiled, continues_latin, latin_boundary, name_key, non_overlapping, occurrences)
from graph.extract.kb import KnowledgeBase, match_key
from graph.model import Document
from graph.text.normalize import fold_characters

__all__ = ["acronym_organizations", "discover_names", "given_name_start", "organization_units", "publisher_mentions",
           "titles"]

_FIGURE = re.compile(r"[\d.,]+[万亿千百]?[辆台个件名位家款只部]?$")
_DOT = "·"     # normalize folds the other name dots (・ ‧ •) to this one


def discover_names(text: str, rules: dict) -> list[Candidate]:
    """Names found from cues, each typed by its cue; overlaps are settled by the caller."""
    found: list[Candidate] = []
    found += _quoted(text, rules["quoted"])
    found += _foreign_people(text, rules)
    found += _latin_names(text, rules["latin"])
    found += _organizations(text, rules["organization"])
    found += _organizations_by_context(text, rules["organization"])
    found += _organization_lists(text, rules["organization"])
    found += _people(text, rules["person"])
    found += _latin_products(text, rules["product"])
    found += _latin_lists(text, rules["product"])
    return sorted(found, key=lambda c: (c.start, -(c.end - c.start)))


def publisher_mentions(doc: Document) -> list[Candidate]:
    """The publisher named in the article's source line is an organization."""
    if not doc.publisher:
        return []
    start = doc.text.rfind(fold_characters(doc.publisher))
    if start < 0:
        return []
    end = start + len(doc.publisher)
    return [Candidate(start, end, name_key(doc.publisher), "discovered:publisher", "Organization")]


def organization_units(text: str, rules: dict, organizations: list[Candidate]) -> list[Candidate]:
    """百度智能云, 字节跳动豆包大模型团队, 任天堂美国分公司: a known organization's name, a few
    words and a cue of data/patterns/names.toml [unit] name a part or a subsidiary of it.

    A cue that says nothing on its own (团队, 子公司) needs words in between (苹果子公司 is any
    subsidiary of Apple); a function word, a determiner or a verb in between makes no name
    (苹果的团队, Meta裁掉硬件团队).
    """
    cues = "|".join(sorted(map(re.escape, rules["cues"]), key=len, reverse=True))
    word = rf"(?![{re.escape(rules['stops'])}])[{HAN}A-Za-z0-9 ]"
    regex = compiled(rf"(?:{word}){{0,{rules['max_chars']}}}?({cues})")
    found = []
    for org in organizations:
        m = regex.match(text, org.end)
        if m is None:
            continue
        cue, words = m.group(1), text[org.end:m.start(1)].strip()
        if (not words and cue in rules["needs_words"]) or any(w in words for w in rules["stop_words"]) \
                or text[m.end():m.end() + 1] in rules["continuations"].get(cue, "-"):
            continue
        found.append(Candidate(org.start, m.end(), name_key(text[org.start:m.end()]), "discovered:unit",
                               rules["cues"][cue], org.key))
    return found


def _organizations(text: str, rules: dict) -> list[Candidate]:
    suffixes = "|".join(sorted(rules["suffixes"], key=len, reverse=True))
    found = []
    for run_start, m in _runs_before(text, suffixes, rf"[{HAN}A-Za-z0-9·]", rules["max_chars"] + 4):
        if m.end() < len(text) and text[m.end()].isascii() and text[m.end()].isalpha():
            continue        # 云安全公司Adallom: the suffix describes the Latin name after it
        if m.end() < len(text) and text[m.end()] in rules["suffix_continuations"].get(m.group(), ""):
            continue        # 开源社区 is no 开源社
        core_start = _name_start(text, run_start, m.start(), rules)
        if core_start is None:
            continue
        label = text[core_start:m.end()]
        found.append(Candidate(core_start, m.end(), name_key(label), "discovered:organization",
                               rules["suffixes"][m.group()]))
    return found


def _runs_before(text: str, cue: str, allowed: str, longest: int):
    """Each match of `cue` with where the run of `allowed` characters before it starts.

    Finding the cue first and reading back is what a regex with a leading run would do,
    without trying the run at every position of the text.
    """
    allowed_char = compiled(allowed)
    last_end = 0
    for m in compiled(cue).finditer(text):
        start = m.start()
        while start > max(last_end, m.start() - longest) and allowed_char.match(text, start - 1):
            start -= 1
        if start < m.start():
            yield start, m
            last_end = m.end()


def acronym_organizations(text: str, rules: dict, kb: KnowledgeBase) -> list[Candidate]:
    """美国商务部工业和安全局（BIS）: the full name, its acronym, and the acronym used alone later."""
    suffixes = "|".join(sorted(rules["acronym_suffixes"], key=len, reverse=True))
    regex = compiled(rf"([{HAN}]{{2,24}}?)({suffixes})\s*[（(]\s*([A-Z][A-Za-z&]{{1,7}})\s*[）)]")
    found, uses = [], []
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
        key = name_key(text[start:m.end(2)])
        found.append(Candidate(start, m.end(2), key, "discovered:acronym", kind))
        uses.append((m.group(3), m.start(3), key, kind))
    return found + _acronym_uses(text, uses)


def _acronym_uses(text: str, uses: list[tuple[str, int, str, str]]) -> list[Candidate]:
    """Each (acronym, where it is defined, key, type): the acronym there and wherever it stands later.

    A full name defined again with the same acronym adds nothing: its uses are those of the first.
    """
    where = occurrences(text, {acronym for acronym, *_ in uses})
    found, seen = [], set()
    for acronym, defined_at, key, kind in uses:
        if (acronym, key) in seen:
            continue
        seen.add((acronym, key))
        for begin in non_overlapping(where.get(acronym, []), len(acronym), defined_at):
            end = begin + len(acronym)
            if latin_boundary(text, begin, end) and not continues_latin(text, end):
                found.append(Candidate(begin, end, key, "discovered:acronym", kind))
    return found


def _name_start(text: str, run_start: int, end: int, rules: dict) -> int | None:
    """Where the name that ends at `end` starts, or None when the words there make no name.

    Read leftwards up to a function word (的, 与) and past a verb (成立深圳引望… -> 深圳引望…);
    a determiner (这家, 一家), a figure (443956辆) or generic words only (AI创业) make no name.
    """
    start = end
    while start > run_start and (text[start - 1] not in rules["stops"] or _inside_word(text, start - 1, rules)):
        start -= 1
    start = _after_verb(text, start, end, rules["left_verbs"])
    core = text[start:end]
    if any(ch in rules["determiners"] for ch in core) or _FIGURE.match(core):
        return None
    if _is_generic(core, rules) or len(core) > rules["max_chars"]:
        return None
    return start


def _inside_word(text: str, at: int, rules: dict) -> bool:
    """True when the function word at `at` is part of a word that holds one (就业, 以色列)."""
    return any(text.startswith(word, at - word.index(text[at]))
               for word in rules["words_with_stops"] if text[at] in word)


@lru_cache(maxsize=8)
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _after_verb(text: str, start: int, end: int, verbs: list[str]) -> int:
    """Where a name starts once a verb before it is cut off: 成立深圳引望… -> 深圳引望…."""
    return max((text.rfind(v, start, end) + len(v) for v in verbs if text.rfind(v, start, end) >= 0), default=start)


def _organizations_by_context(text: str, rules: dict) -> list[Candidate]:
    """A name right before a job title (华登国际创始人) or listed on an exchange (文远知行在纳斯达克上市)."""
    titles = "|".join(sorted(map(re.escape, rules["before_roles"]), key=len, reverse=True))
    found = []
    spans = [(run_start, m.start(), "title") for run_start, m in _runs_before(text, titles, rf"[{HAN}A-Za-z0-9·.&]", 12)
             if m.start() - run_start >= 2]
    spans += [(m.start(1), m.end(1), "listing") for m in compiled(rules["listing"]).finditer(text)]
    for run_start, end, rule in spans:
        start = _name_start(text, run_start, end, rules)
        if start is None:
            continue
        name = text[start:end]
        if name[:1].isascii():  # Wedbush证券分析师: the Latin name is the name
            name = re.match(r"[A-Za-z0-9·.& ]*", name).group().strip()
        if len(name) < rules["min_chars"]:
            continue
        found.append(Candidate(start, start + len(name), name_key(name), f"discovered:organization-{rule}",
                               "Company"))
    return found


def _organization_lists(text: str, rules: dict) -> list[Candidate]:
    """与赛力斯、奇瑞、北汽等车企, 小米、vivo和荣耀等中国手机厂商: every item of a list called organizations.

    Items are Chinese or Latin names joined by 、 (和 与 及 before the last); a few words (中国) may stand between
    等 and the noun. An item of generic words only (研究、开发等公司业务) is no name.
    """
    nouns = "|".join(sorted(rules["list_nouns"], key=len, reverse=True))
    item = rf"(?:(?:(?![和与及、])[{HAN}]){{2,6}}|[A-Za-z][A-Za-z0-9&.-]{{1,15}})"
    # A、B、C和D: 和 与 及 join only the last item (与赛力斯、奇瑞等车企: 与 is a preposition there)
    items = rf"{item}(?:(?:、{item}){{1,8}}(?:(?:和|与|及|以及){item})?|(?:和|与|及|以及){item})"
    regex = compiled(rf"({items})等[^，。；、的\n]{{0,4}}?(?:{nouns})")
    found = []
    for m in regex.finditer(text):
        for part in compiled(item).finditer(text, m.start(1), m.end(1)):
            # 华为与赛力斯 -> 赛力斯: the first item starts after the last function word in it
            start = part.start() + max((part.group().rfind(ch) + 1 for ch in rules["stops"]
                                        if part.group().rfind(ch) < len(part.group()) - 2), default=0)
            start = _after_verb(text, start, part.end(), rules["left_verbs"])    # 人来自英伟达 -> 英伟达
            name = text[start:part.end()]
            if any(ch in rules["determiners"] for ch in name) or _is_generic(name, rules):
                continue
            found.append(Candidate(start, part.end(), name_key(name), "discovered:list", "Company"))
    return found


def _is_generic(name: str, rules: dict) -> bool:
    """True for a name of generic words only (科技, 人工智能研究)."""
    rest = name
    for word in _longest_first(tuple(rules["generic"])):
        rest = rest.replace(word, "")
    return len(rest) < rules["min_chars"]


def given_name_start(text: str, dot: int, rules: dict, floor: int = 0) -> int:
    """Where the given name before the name dot at `dot` starts (`dot` itself: there is none).

    It is the Han characters before the dot, at most `max_given` of them and none before `floor`,
    after the last left stop (a role word's last character, a function word) and after a role
    word of the person rules (总经理理查德: 理 is also a transliteration's, so no left stop).
    `rules` are the name rules (`name_rules()`).

    >>> from graph.extract.candidates import name_rules
    >>> text = "总经理理查德·布兰森"
    >>> text[given_name_start(text, text.index("·"), name_rules()):]
    '理查德·布兰森'
    """
    foreign, roles = rules["foreign_person"], rules["person"]["roles"]
    start = dot
    while start > max(floor, dot - foreign["max_given"]) and _HAN_CHAR.match(text, start - 1) \
            and text[start - 1] not in foreign["left_stops"]:
        start -= 1
    reach = max(0, start - max(map(len, roles)))
    ends = [i + len(role) for role in roles if (i := text.rfind(role, reach, dot)) >= 0]
    return max([end for end in ends if start < end < dot], default=start)


_HAN_CHAR = re.compile(f"[{HAN}]")


def _foreign_people(text: str, rules: dict) -> list[Candidate]:
    """阿萨夫·拉帕波特（Assaf Rappaport）: a transliterated name, and its original when given.

    The name regex runs only around the middle dots that such names contain (rare in text),
    not at every position.
    """
    foreign = rules["foreign_person"]
    regex, right_stop = compiled(foreign["regex"]), compiled(foreign["right_stop"])
    found, covered = [], 0
    for dot in compiled(_DOT).finditer(text):
        if dot.start() < covered:
            continue
        m = regex.search(text, max(covered, dot.start() - 13), dot.end() + 80)
        if m is None or m.start(1) > dot.start():
            continue
        covered = m.end()
        first_dot = m.start(1) + m.group(1).index(_DOT)
        # 首席财务官科莱特·克雷斯: the given name starts after a role word or a function word
        start = given_name_start(text, first_dot, rules, m.start(1))
        # …·纳德拉表示: without brackets, the surname ends before a verb of saying or a function word
        end = m.end(1)
        if not m.group(2):
            cut = right_stop.search(text, text.rfind("·", start, end) + 1, end)
            end = cut.start() if cut else end
        if end - start < 3 or text[end - 1] == _DOT:
            continue
        key = name_key(text[start:end])
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
    for m in compiled(rf"({before})\s*({name})(?![A-Za-z0-9])").finditer(text):
        found.append(Candidate(m.start(2), m.end(2), name_key(m.group(2)), "discovered:latin-descriptor",
                               rules["descriptors"][m.group(1)]))
    for m in compiled(rf"(?<![A-Za-z0-9])({name})\s*({after})").finditer(text):
        found.append(Candidate(m.start(1), m.end(1), name_key(m.group(1)), "discovered:latin-suffix",
                               rules["suffixes"][m.group(2)]))
    return found


def _people(text: str, rules: dict) -> list[Candidate]:
    """People by a role word before (首席执行官张伟), a verb of saying after (李明辉认为) or their
    name in Latin letters in brackets (温彼得（Peter Wennink）), which names them too."""
    by_role, by_speech, by_gloss, longest = _person_patterns(rules)
    not_name, not_person = set(rules["not_name_chars"]), set(rules["not_person_words"])
    found = []
    for matches, rule in ((by_role.finditer(text), "role"), (by_speech.finditer(text), "speech"),
                          (_glosses(by_gloss, text, longest), "gloss")):
        for m in matches:
            name = m.group(1)
            if rule == "gloss":
                # 彼得 may hold what a Chinese given name would not; 凯雷集团（Carlyle Group）names no person
                if not_person & set(re.split(r"[ -]", m.group(2))) or name[0] in rules["not_name_chars"]:
                    continue
                found.append(Candidate(m.start(2), m.end(2), name_key(name), "discovered:person-gloss", "Person"))
            elif any(ch in not_name for ch in name[1:]):
                continue
            found.append(Candidate(m.start(1), m.end(1), name_key(name), f"discovered:person-{rule}", "Person"))
    return found


def _person_patterns(rules: dict) -> tuple[re.Pattern, re.Pattern, re.Pattern, int]:
    """`_people`'s patterns: a name after a role word, before a verb of saying, glossed in Latin
    letters; and the most characters a Han name has (`_glosses`)."""
    (han_name, longest), latin_name = _han_person_name(rules), r"[A-Z][a-z]+(?:[ \-][A-Z][a-zA-Z]+){1,2}(?![A-Za-z])"
    after = "|".join(rules["speech"])
    roles = "|".join(sorted(rules["roles"], key=len, reverse=True))
    return (compiled(rf"(?:{roles})的?[:：]?\s*({latin_name}|{han_name})"),
            compiled(rf"(?<![{HAN}A-Za-z])({latin_name}|{han_name})\s*(?:{after})"),
            compiled(rf"({han_name})\s*[（(]\s*({latin_name})\s*[）)]"), longest)


def _han_person_name(rules: dict) -> tuple[str, int]:
    """A Chinese name (surname and one or two characters) or a Japanese one (surname and two or
    three), followed by what may follow a name: a verb of saying, punctuation, a function word.

    Returns the regex and the most characters a name it matches can have.
    """
    surnames = rules["compound_surnames"] + list(rules["surnames"])
    japanese = sorted(rules["japanese_surnames"], key=len, reverse=True)
    not_given = "|".join(sorted(rules["not_given_names"], key=len, reverse=True))
    after = "|".join(rules["speech"])
    longest = max(max(map(len, japanese)) + 3, max(map(len, surnames)) + 2)
    return (rf"(?:(?:{'|'.join(japanese)})[{HAN}]{{2,3}}|(?:{'|'.join(surnames)})(?!{not_given})[{HAN}]{{1,2}})"
            rf"(?=(?:{after})|[，,。、；;：:（(“\"\s]|在|的|和|与|也|就|曾|将|已|对|于|等|则|还|$)"), longest


_GLOSS_BRACKET = re.compile(r"[（(]\s*[A-Z]")


def _glosses(regex: re.Pattern, text: str, longest_name: int) -> Iterator[re.Match]:
    """What `regex.finditer(text)` gives for the gloss pattern (温彼得（Peter Wennink）), trying it
    only just before each bracket that opens a Latin name instead of at every character (which
    was three quarters of `_people`'s time).

    Each match holds one such bracket, after a Han name of at most `longest_name` characters
    and blanks, so it starts within that reach of its bracket; trying those starts in order, and
    going on from each match's end, finds the matches finditer finds.
    """
    end = 0
    for bracket in (m.start() for m in _GLOSS_BRACKET.finditer(text)):
        if bracket < end:
            continue
        blanks = bracket
        while blanks > 0 and text[blanks - 1].isspace():
            blanks -= 1
        for start in range(max(end, blanks - longest_name), bracket):
            match = regex.match(text, start)
            if match:
                yield match
                end = match.end()
                break


def _latin_products(text: str, rules: dict) -> list[Candidate]:
    han_cues = [c for c in rules["cues"] if not c.isascii()]
    latin_cues = [c for c in rules["cues"] if c.isascii()]
    # A Latin cue must stand apart (WhatsApp is no "Whats" + "App").
    cue = (rf"\s*({'|'.join(sorted(map(re.escape, han_cues), key=len, reverse=True))})"
           rf"|\s+({'|'.join(sorted(map(re.escape, latin_cues), key=len, reverse=True))})(?![A-Za-z])")
    regex = compiled(rf"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9]*(?:[-. ][A-Za-z0-9]+){{0,3}})(?:{cue})")
    generic = set(rules["generic"])
    found = []
    for m in regex.finditer(text):
        parts = re.split(r"([-. ])", m.group(1))
        while parts and parts[-1] in generic:       # Quest 3 VR头显 -> Quest 3
            parts = parts[:-2]
        name = "".join(parts)
        if not name or all(part in generic for part in parts[::2]):
            continue
        found.append(Candidate(m.start(1), m.start(1) + len(name), name_key(name), "discovered:product",
                               rules["cues"][m.group(2) or m.group(3)]))
    return found


def _latin_lists(text: str, rules: dict) -> list[Candidate]:
    """Orca-X、Nova 2和Lumen Pro等主流模型: every Latin name of a list the noun after 等 types.

    The noun follows 等 within a few characters; 的 in between makes it another thing's noun
    (OpenAI和Anthropic等公司的模型 names no models). Generic words (AI, GPU) are no names.
    """
    item = r"(?:[A-Z][A-Za-z0-9]*|[a-z]+\d[A-Za-z0-9]*)(?:[-. ][A-Za-z0-9]+){0,4}"
    separator = "|".join(sorted(map(re.escape, rules["list_separators"]), key=len, reverse=True))
    nouns = "|".join(sorted(map(re.escape, rules["list_nouns"]), key=len, reverse=True))
    regex = compiled(rf"(?<![A-Za-z0-9.-])({item}(?:\s*(?:{separator})\s*{item})+)\s*等"
                     rf"[^，。；、的\n]{{0,{rules['list_gap']}}}?({nouns})")
    generic = set(rules["generic"])
    found = []
    for m in regex.finditer(text):
        kind = rules["list_nouns"][m.group(2)]
        for name in compiled(item).finditer(text, m.start(1), m.end(1)):
            if not all(part in generic for part in re.split(r"[-. ]", name.group())):
                found.append(Candidate(name.start(), name.end(), name_key(name.group()), "discovered:list", kind))
    return found


def _quoted(text: str, rules: dict) -> list[Candidate]:
    cues = "|".join(sorted(map(re.escape, rules["cues"]), key=len, reverse=True))
    n = rules["max_chars"]
    quoted = compiled(rf"[“\"]([^“”\"\n]{{2,{n}}})[”\"]({cues})")
    return titles(text, rules) + [
        Candidate(m.start(1), m.end(1), name_key(m.group(1)), "discovered:quoted", rules["cues"][m.group(2)])
        for m in quoted.finditer(text)]


def titles(text: str, rules: dict) -> list[Candidate]:
    """Titles in 《》 are works; a generic word inside one (人工智能) is part of the title."""
    titled = compiled(rf"《([^《》\n]{{1,{rules['max_chars'] * 2}}})》")
    return [Candidate(m.start(1), m.end(1), name_key(m.group(1)), "discovered:title", "CreativeWork")
            for m in titled.finditer(text)]
