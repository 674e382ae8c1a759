"""Normalize an article for extraction while keeping every offset tied to the original.

Two steps, each recorded in `Document.to_original`:

1. Spin repair. Content farms "spin" copied news by swapping words for near-synonyms
   (大家 -> 巨大家, 技术 -> 手艺). A reverse lexicon (data/lexicon/spin.toml) proposes
   restorations; one is applied only where the restored reading is more plausible than
   the spun one under jieba's unigram word model, so that clean text is left alone.
2. Character folding for matching: NFKC (full-width -> half-width) and Traditional ->
   Simplified (OpenCC's character table), and the middle dots that foreign names are
   written with (・ ‧ • ･) to the one middle dot "·". Only one-to-one folds are applied, so
   this step never moves an offset.
"""
from __future__ import annotations

import logging
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

import ahocorasick

from graph.datafiles import bundled, read_toml
from graph.errors import DataError
from graph.model import Document

__all__ = ["Change", "Repair", "Substitution", "apply_repairs", "find_spin", "fold_characters", "load_spin_lexicon",
           "normalize", "restore_text"]

# How much more probable (natural log) the restored window must be than the spun one.
MARGIN = 0.0
# A spun form that is also an ordinary word ("common" in the lexicon: 眼下, 开头, 手艺) is
# restored only inside spun text: where at least SPUN_NEIGHBOURS unambiguous spins were
# restored within SPUN_RADIUS characters. Clean text has none, so it is left alone.
COMMON_MARGIN = -2.0
SPUN_NEIGHBOURS = 2
SPUN_RADIUS = 400
CONTEXT = 3          # characters of context on each side of a candidate


@dataclass(frozen=True)
class Substitution:
    spun: str
    original: str
    common: bool


@dataclass(frozen=True)
class Repair:
    start: int            # in the text before repair
    end: int
    original: str         # the restored form
    spun: str


def normalize(doc: Document, repair_spin: bool = True) -> Document:
    """Restore spun words (unless `repair_spin` is False) and fold characters for matching.

    Reads ``original``; writes ``text`` (restored and folded) and ``to_original`` (for each
    character of ``text`` and its end, the offset in ``original`` it comes from).

    >>> from graph.text import read_text
    >>> doc = normalize(read_text("巨大家都在用ＡＩ"))
    >>> doc.text, doc.original_text(0, 2)
    ('大家都在用AI', '巨大家')
    """
    text, to_original = doc.original, list(range(len(doc.original) + 1))
    if repair_spin:
        repairs = find_spin(text)
        text, to_original = apply_repairs(text, to_original, repairs)
    text = fold_characters(text)
    return replace(doc, text=text, to_original=tuple(to_original))


@dataclass(frozen=True)
class Change:
    """One change `restore_text` made: characters start..end of the text as written, before and after."""
    start: int
    end: int
    before: str
    after: str
    why: str              # "spin" (a spun word restored) or "fold" (NFKC, Traditional -> Simplified)


def restore_text(original: str, *, fold: bool = False) -> tuple[str, list[Change]]:
    """The text as written with only the spin repairs applied (and, with `fold`, characters folded
    as extraction reads them), and the changes made, in order, with offsets into `original`.

    >>> restore_text("巨大家都在用ＡＩ")
    ('大家都在用ＡＩ', [Change(start=0, end=3, before='巨大家', after='大家', why='spin')])
    >>> restore_text("巨大家都在用ＡＩ", fold=True)[1][1]
    Change(start=6, end=8, before='ＡＩ', after='AI', why='fold')
    """
    repairs = find_spin(original)
    text, to_original = apply_repairs(original, list(range(len(original) + 1)), repairs)
    changes = [Change(r.start, r.end, r.spun, r.original, "spin") for r in repairs]
    if not fold:
        return text, changes
    folded = fold_characters(text)
    runs, i = [], 0
    while i < len(text):
        if text[i] == folded[i]:
            i += 1
            continue
        j = i
        while j < len(text) and text[j] != folded[j] and to_original[j] == to_original[i] + (j - i):
            j += 1
        start, end = to_original[i], to_original[j - 1] + 1
        runs.append(Change(start, end, original[start:end], folded[i:j], "fold"))
        i = j
    return folded, sorted(changes + runs, key=lambda c: (c.start, c.why))


def find_spin(text: str, lexicon: dict[str, Substitution] | None = None) -> list[Repair]:
    """The spun words in `text` whose restoration reads better, in text order.

    >>> [(r.spun, r.original) for r in find_spin("巨大家都在用深厚度学手艺")]
    [('巨大家', '大家'), ('深厚度学', '深度学习'), ('手艺', '技术')]
    """
    lexicon = lexicon if lexicon is not None else load_spin_lexicon()
    candidates = _leftmost_longest(_automaton(tuple(sorted(lexicon))), text)
    # First pass: unambiguous spins only; they tell where the text is spun.
    sure = _select(text, candidates, lexicon, lambda sub, start: not sub.common)
    anchors = [r.start for r in sure]

    def allowed(sub: Substitution, start: int) -> bool:
        if not sub.common:
            return True
        lo, hi = bisect_left(anchors, start - SPUN_RADIUS), bisect_right(anchors, start + SPUN_RADIUS)
        return hi - lo >= SPUN_NEIGHBOURS

    return _select(text, candidates, lexicon, allowed)


def _select(text: str, candidates: list[tuple[int, int]], lexicon: dict[str, Substitution],
            allowed) -> list[Repair]:
    """Leftmost-longest candidates that `allowed` admits and that read better restored."""
    repairs: list[Repair] = []
    tail, pos = "", 0       # the restored text's last characters, up to text[pos]
    for start, end in candidates:
        if start < pos:
            continue
        sub = lexicon[text[start:end]]
        if not allowed(sub, start):
            continue
        # Left context as restored so far, so that neighbouring spins (轻巧松容易用) are judged
        # against a clean left side.
        tail, pos = (tail + text[pos:start])[-CONTEXT:], start
        right = text[end:end + CONTEXT]
        gain = _logprob(tail + sub.original + right) - _logprob(tail + sub.spun + right)
        if gain > (COMMON_MARGIN if sub.common else MARGIN):
            repairs.append(Repair(start, end, sub.original, sub.spun))
            tail, pos = (tail + sub.original)[-CONTEXT:], end
    return repairs


def apply_repairs(text: str, to_original: list[int], repairs: list[Repair]) -> tuple[str, list[int]]:
    """Apply non-overlapping repairs; a repaired span's characters map to the span's start."""
    parts, mapping, cursor = [], [], 0
    for r in repairs:
        parts.append(text[cursor:r.start])
        mapping.extend(to_original[cursor:r.start])
        parts.append(r.original)
        mapping.extend([to_original[r.start]] * len(r.original))
        cursor = r.end
    parts.append(text[cursor:])
    mapping.extend(to_original[cursor:])     # includes the end position
    return "".join(parts), mapping


def fold_characters(text: str) -> str:
    """NFKC and Traditional -> Simplified, one character for one character.

    >>> fold_characters("人工智慧ＡＩ")
    '人工智慧AI'
    >>> fold_characters("臉書與谷歌")
    '脸书与谷歌'
    >>> fold_characters("萨姆・奥尔特曼")
    '萨姆·奥尔特曼'
    """
    return text.translate(_FOLDS)


class _FoldTable(dict):
    """Code point -> its folded character, each worked out the first time `str.translate` asks
    for it (OpenCC is slow per call; a text has few distinct characters)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) != 1:
            folded = ch
        simplified = _t2s().convert(folded) if ord(folded) > 0x2E80 else folded
        self[code] = simplified if len(simplified) == 1 else ch
        return self[code]


# Name dots: katakana middle dot, hyphenation point, bullet and half-width katakana dot.
_NAME_DOTS = "\u30fb\u2027\u2022\uff65"
_FOLDS = _FoldTable({ord(dot): "·" for dot in _NAME_DOTS})


def load_spin_lexicon() -> dict[str, Substitution]:
    """The reverse lexicon of data/lexicon/spin.toml: spun form -> its substitution (loaded once)."""
    return _load_lexicon(bundled("lexicon", "spin.toml"))


@lru_cache(maxsize=4)
def _load_lexicon(path) -> dict[str, Substitution]:
    data = read_toml(path, "spin lexicon")
    lexicon = {}
    for row in data.get("substitution", []):
        try:
            lexicon[row["spun"]] = Substitution(row["spun"], row["original"], bool(row.get("common", False)))
        except KeyError as exc:
            raise DataError(f"spin lexicon {path}: entry without {exc}: {row}") from None
    return lexicon


@lru_cache(maxsize=4)
def _automaton(words: tuple[str, ...]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


def _leftmost_longest(automaton: ahocorasick.Automaton, text: str) -> list[tuple[int, int]]:
    if not len(automaton):
        return []
    found = [(end + 1 - length, end + 1) for end, length in automaton.iter(text)]
    return sorted(found, key=lambda span: (span[0], -span[1]))


@lru_cache(maxsize=65536)
def _logprob(window: str) -> float:
    import jieba  # imported here: the dictionary loads once, on the first spun candidate

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.dt
    tokenizer.check_initialized()
    route: dict[int, tuple[float, int]] = {}
    tokenizer.calc(window, tokenizer.get_DAG(window), route)
    return route[0][0] if window else 0.0


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


