"""A content-farm spinner, to measure story grouping: spun, reordered and shortened copies.

It runs the restoration lexicon (data/lexicon/spin.toml) backwards: each word the lexicon can
restore (大家, 技术, 现在) is replaced by one of its spun forms (巨大家, 手艺, 眼下) with
probability `rate`; then a share of the sentences is moved within its paragraph and a share is
deleted, and the copy may end with a farm's republishing note. The same seed gives the same copy.

    >>> spin_copy("大家都说技术很重要。现在开始。", rate=1.0, seed=0)
    '年夜家都说手艺很关键。眼下开头。'
"""
from __future__ import annotations

import random
import re
from collections import defaultdict
from functools import lru_cache

from graph.datafiles import bundled, read_toml

__all__ = ["FOOTERS", "spin_copy", "spin_words"]

# Notes that farms append to what they republish; a copy may end with one of them.
FOOTERS = ("欢迎分享,转载请注明来源:{site}", "本文来源于网络,如有侵权请联系删除。", "来源:{site} 编辑:小编")
_SITES = ("科技快报网", "互联网资讯站", "热点头条", "每日财经观察")
_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』\"')）]*)?")


def spin_copy(text: str, *, rate: float, reorder: float = 0.0, delete: float = 0.0, footer: bool = False,
              seed: int = 0) -> str:
    """A spun copy of `text`.

    Parameters
    ----------
    text : str
        The article, paragraphs separated by line breaks (the first line is its title).
    rate : float
        The share of the lexicon's words that are spun, 0 to 1.
    reorder : float
        The share of sentences moved to another place in their paragraph.
    delete : float
        The share of sentences dropped (never a whole paragraph, never the title).
    footer : bool
        End the copy with a republishing note (see `FOOTERS`).
    seed : int
        The random seed: the same arguments give the same copy.

    Examples
    --------
    >>> text = "标题\\n第一句。第二句。第三句。第四句。"
    >>> spin_copy(text, rate=0.0, reorder=0.5, seed=1)
    '标题\\n第三句。第二句。第一句。第四句。'
    >>> spin_copy(text, rate=0.0, delete=0.5, seed=1)
    '标题\\n第一句。第四句。'
    """
    rng = random.Random(seed)
    paragraphs = text.split("\n")
    out = []
    for i, paragraph in enumerate(paragraphs):
        sentences = _SENTENCE.findall(paragraph)
        if i > 0 and len(sentences) > 1:
            sentences = _shuffle_some(sentences, reorder, rng)
            keep = max(1, len(sentences) - round(delete * len(sentences)))
            dropped = set(rng.sample(range(len(sentences)), len(sentences) - keep))
            sentences = [s for j, s in enumerate(sentences) if j not in dropped]
        out.append("".join(sentences) if sentences else paragraph)
    copy = spin_words("\n".join(out), rate=rate, rng=rng)
    if footer:
        copy = copy.rstrip("\n") + "\n" + rng.choice(FOOTERS).format(site=rng.choice(_SITES))
    return copy


def spin_words(text: str, *, rate: float, rng: random.Random) -> str:
    """Replace each word of the lexicon (leftmost, longest first) by a spun form with probability `rate`."""
    table, pattern = _reverse_lexicon()
    return pattern.sub(lambda m: rng.choice(table[m.group()]) if rng.random() < rate else m.group(), text)


def _shuffle_some(sentences: list[str], share: float, rng: random.Random) -> list[str]:
    moved = list(sentences)
    for _ in range(round(share * len(sentences))):
        sentence = moved.pop(rng.randrange(len(moved)))
        moved.insert(rng.randrange(len(moved) + 1), sentence)
    return moved


@lru_cache(maxsize=1)
def _reverse_lexicon() -> tuple[dict[str, list[str]], re.Pattern]:
    """original -> its spun forms, and one regex that finds any original, longest first."""
    table: dict[str, list[str]] = defaultdict(list)
    for row in read_toml(bundled("lexicon", "spin.toml"), "spin lexicon").get("substitution", []):
        table[row["original"]].append(row["spun"])
    alternatives = sorted(table, key=lambda w: (-len(w), w))
    return dict(table), re.compile("|".join(map(re.escape, alternatives)))
