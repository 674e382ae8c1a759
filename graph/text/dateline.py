"""When a news page says it was published, and the day its story was filed.

Entry points: `published_date(text)`, the date a header line under the title states
(发布时间：2025-11-20 09:12, 2025年11月20日 10:05 来源：…, 记者 周宇 2024-08-22 09:30);
`dateline_day(text)`, the day the dateline opening the story gives (新华社北京11月20日电,
本报上海12月5日电（记者…）, 【游戏产业观察】11月5日消息), often without a year; and
`lede_year(text)`, the year of a date that opens the story (2024年8月28日美股盘后，…). The
cues (labels, byline words, dateline endings) are data: data/patterns/dateline.toml.

Lines are folded (full-width, Traditional) before they are read, so 發布時間 and ２０２５ count.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from graph.datafiles import bundled, read_toml
from graph.text.normalize import fold_characters

__all__ = ["dateline_day", "dateline_rules", "lede_year", "published_date"]

_FULL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|[-/.])\s*(1[0-2]|0?[1-9])\s*(?:月|[-/.])\s*"
                        r"(3[01]|[12]\d|0?[1-9])(?!\d)\s*日?")
_MONTH = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:1[0-2]|0?[1-9])\s*月")
_CLOCK = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])\s*[:：]\s*[0-5]\d(?!\d)")


@lru_cache(maxsize=1)
def dateline_rules() -> dict:
    """The cues of data/patterns/dateline.toml."""
    return read_toml(bundled("patterns", "dateline.toml"), "dateline patterns")


@lru_cache(maxsize=1)
def _dateline_regex() -> re.Pattern:
    r = dateline_rules()
    ends = "|".join(sorted(map(re.escape, r["dateline_ends"]), key=len, reverse=True))
    return re.compile(rf"^[^。！？!?\n]{{0,{r['dateline_reach']}}}?(?:((?:19|20)\d{{2}})年)?"
                      rf"(1[0-2]|0?[1-9])月(3[01]|[12]\d|0?[1-9])日(?:{ends})")


def published_date(text: str) -> str | None:
    """The publication date that a header line under the title states, as an ISO date.

    A header line is one of the few short lines after the title, with no sentence punctuation,
    that holds a full date and says what the date is: a label before it (发布时间：), a clock
    time after it (10:05) or a byline word (来源, 记者). A body sentence is no header line.

    >>> published_date("标题\\n发布时间：2025-11-20 09:12　来源：财经观察网\\n国家市场监督管理总局昨日公布……")
    '2025-11-20'
    >>> published_date("标题\\n2025年11月20日 10:05　来源：新智财经\\n正文")
    '2025-11-20'
    >>> published_date("标题\\n2024年8月28日美股盘后，英伟达公布了截至7月28日的第二季度财报，营收同比增长122%。") is None
    True
    """
    r = dateline_rules()
    for line in _lines(text)[1:1 + r["header_lines"]]:
        day = _header_date(line)
        if day is not None:
            return day.isoformat()
    return None


def dateline_day(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of the dateline that opens the story, or None.

    >>> dateline_day("标题\\n2025年12月5日 16:42\\n本报上海12月5日电（记者 陈思远）摩尔线程今日在科创板上市。")
    (None, 12, 5)
    >>> dateline_day("标题\\n【游戏产业观察】11月5日消息，任天堂昨日公布业绩。")
    (None, 11, 5)
    >>> dateline_day("标题\\n11月5日，任天堂公布业绩。") is None      # a date, not a dateline
    True
    """
    r = dateline_rules()
    for line in _lines(text)[1:2 + r["header_lines"]]:
        m = _dateline_regex().match(line)
        if m:
            year = int(m[1]) if m[1] else None
            if _valid(year or 2000, int(m[2]), int(m[3])):     # 2000 is a leap year: 2月29日 stands
                return year, int(m[2]), int(m[3])
    return None


def lede_year(text: str) -> int | None:
    """The year of the date, to the month at least, that opens the story's first paragraph.

    An article that gives no publication date is still set in a time: the one its lede opens
    with (2024年8月28日美股盘后，英伟达公布了…). A year alone (2015年，Meta开源了PyTorch) is
    background, not the story's time, and gives none.

    >>> lede_year("标题\\n2024年8月28日美股盘后，英伟达公布了截至7月28日的第二季度财报，营收同比增长122%，高于预期。")
    2024
    >>> lede_year("标题\\n2015年，Meta开源了PyTorch。如今它已是最流行的深度学习框架之一，被无数团队使用。") is None
    True
    """
    r = dateline_rules()
    for line in _lines(text)[1:2 + r["header_lines"]]:
        if _header_date(line) is None:         # the first paragraph
            m = _MONTH.search(line)
            return int(m[1]) if m and m.start() <= r["lede_reach"] else None
    return None


def _header_date(line: str) -> date | None:
    """The date of a header line (a short line, no sentence, whose date a label, a clock time
    or a byline word marks as the page's), or None for any other line."""
    r = dateline_rules()
    if len(line) > r["header_max_chars"] or any(mark in line for mark in r["sentence_marks"]):
        return None
    for m in _FULL_DATE.finditer(line):
        day = _valid(int(m[1]), int(m[2]), int(m[3]))
        labelled = line[:m.start()].rstrip(" \t:：").endswith(tuple(r["labels"]))
        timed = _CLOCK.match(line[m.end():].lstrip()) is not None
        if day and (labelled or timed or any(word in line for word in r["byline"])):
            return day
    return None


def _lines(text: str) -> list[str]:
    return [fold_characters(line.strip()) for line in text.split("\n", 8)[:8] if line.strip()]


def _valid(year: int, month: int, day: int) -> date | None:
    """The date, or None when the calendar has no such day (2月31日)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None
