"""Numbers, money, percentages, dates and durations as they are written in Chinese news.

The stage is `find_quantities_and_dates(doc)`; `find_quantities(text)` and
`find_dates(text, reference_year, today)` do the work on a text, both returning spans in text
order. Values are in base units (7000亿美元 -> 7e11 USD, 1.1万人 -> 11000); Chinese numerals
are read with cn2an. Dates are ISO prefixes as precise as the text gives them ("2023",
"2023-04", "2023-04-05"); relative dates (去年, 昨日, 上月, a bare 3月5日) are resolved against
the article's "today" (`graph.extract.dates`), 同年 against the year last named. Without a
"today", only the year the story opens with resolves 去年 and a bare date; the rest is an
unknown date, never one borrowed from another year the text names.

Values are checked where they are made: a date that no calendar has (2023年2月31日) dates
nothing, and a figure that is not finite or beyond any real one (309 nines) is no quantity.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import lru_cache
from importlib.abc import Traversable
from pathlib import Path

from graph.datafiles import bundled, read_toml
from graph.errors import DataError
from graph.extract.dates import month_of, reference_date, shifted, year_of
from graph.model import DateSpan, Document, QuantitySpan, iso_date
from graph.text.dateline import lede_year

__all__ = ["QUANTITY_ROLES", "article_year", "find_dates", "find_quantities", "find_quantities_and_dates",
           "load_quantity_rules"]

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
YEAR_REACH = 150     # characters over which a named year still dates a bare 7月30日 (any distance without a "today")
PLAN_REACH = 12      # characters before a date in which a plan word (将于) makes it a plan
# Larger than any sum, count or size news states (a thousand times the world's yearly output
# in its smallest currency units): a larger figure is a typing accident, not a quantity.
MAX_VALUE = 1e18
CONSENSUS_REACH = 16   # characters before a figure in which an estimate cue (分析师预期) makes it one
# A Chinese numeral longer than this is a run of characters, not a number (and cn2an's cost grows with it).
MAX_NUMERAL_CHARS = 24
# The event property each kind of quantity fills (names of ontology/kg.ttl).
QUANTITY_ROLES = {"PCT": "percentage", "MONEY": "amount", "COUNT": "count", "NUM": "quantity"}


def find_quantities_and_dates(doc: Document) -> Document:
    """The quantities and the dates of `doc`.

    Reads ``text`` (its dateline too) and ``published``; writes ``quantities`` (numbers with
    their unit and qualifier, in base units) and ``dates`` (dates, durations, and dates the text
    names that cannot be known, with value None). 昨日, 上月 and a bare 3月3日 count from the day
    the article speaks from: its dateline's day, else its publication date
    (`graph.extract.dates.reference_date`); an article that states neither dates them only
    from the year its story opens with, never from another year it names.

    >>> from graph.model import Document
    >>> doc = find_quantities_and_dates(Document(original="", text="2023年4月,Meta裁员1万人。"))
    >>> [(q.kind, q.value) for q in doc.quantities], [d.value for d in doc.dates]
    ([('COUNT', 10000.0)], ['2023-04'])
    >>> text = "标题\\n本报上海6月18日电 公司昨日裁员约1万人。"
    >>> doc = find_quantities_and_dates(Document(original=text, text=text, published="2025-06-19"))
    >>> [(q.value, q.qualifier) for q in doc.quantities], [d.value for d in doc.dates]
    ([(10000.0, 'about')], ['2025-06-18', '2025-06-17'])
    """
    today = reference_date(doc)
    return replace(doc, quantities=tuple(find_quantities(doc.text)), dates=tuple(find_dates(doc.text, today=today)))


@lru_cache(maxsize=1)
def rules() -> dict:
    """The tables of data/patterns/quantities.toml (loaded once)."""
    return load_quantity_rules(bundled("patterns", "quantities.toml"))


def load_quantity_rules(path: Traversable | Path | str) -> dict:
    """The tables of a quantities.toml file; every unit's kind checked when the file loads."""
    data = read_toml(path, "quantity patterns")
    for unit, (kind, *_name_and_scale) in data.get("units", {}).items():
        if kind not in QUANTITY_ROLES or kind == "MONEY":
            raise DataError(f"quantity patterns {path}: units {unit!r}: unknown kind {kind!r} "
                            f"(use PCT, COUNT or NUM; money is a currency)")
    return data


@lru_cache(maxsize=1)
def _quantity_regex() -> re.Pattern:
    r = rules()
    mult = "".join(r["multipliers"])
    units = "|".join(sorted(map(re.escape, list(r["currencies"]) + list(r["units"])), key=len, reverse=True))
    fractions = "|".join(map(re.escape, r["fractions"]))
    prefixes = "|".join(map(re.escape, r["percent_prefixes"]))
    inside = "|".join(map(re.escape, r["qualifiers_inside"]))
    numeral = _CN_DIGITS + "".join(r["numeral_variants"])
    chinese = rf"[{numeral}]+(?:点[零一二三四五六七八九]+)?"
    number = rf"\d+(?:,\d{{3}})*(?:\.\d+)?|{chinese}"
    return re.compile(
        rf"(?P<fraction>{fractions})"
        rf"|(?P<prefix>{prefixes})(?P<share>{chinese})"
        rf"|(?<![\d.A-Za-z])(?P<number>{number})\s*(?P<inside>{inside})?(?P<mult>[{mult}]*)(?P<inside2>{inside})?"
        rf"\s*(?P<unit>{units})?")


def find_quantities(text: str) -> list[QuantitySpan]:
    """Numbers with their unit or currency, in base units, and what the text says of them.

    A figure the text qualifies (逾1万人, 近两成, 3000多人, 30%左右) keeps its value and the
    qualifier; a range (30-40万, 4000至6000名员工, 三到五成) keeps both ends; a figure with no
    currency stays without one; a figure no news states (309 nines) is none; a count is whole
    (3.5人 is a figure of people, not a count).

    >>> [(q.kind, q.value, q.unit) for q in find_quantities("市值蒸发7000亿美元,裁员1.1万人,跌幅75%")]
    [('MONEY', 700000000000.0, 'USD'), ('COUNT', 11000.0, 'person'), ('PCT', 75.0, 'percent')]
    >>> [(q.value, q.unit, q.qualifier) for q in find_quantities("逾两成用户,裁减4000至6000名员工")]
    [(20.0, 'percent', 'more than'), (4000.0, 'person', 'at least'), (6000.0, 'person', 'at most')]
    >>> [(q.kind, q.value) for q in find_quantities("每户平均3.5人")]
    [('NUM', 3.5)]
    """
    r = rules()
    found: list[QuantitySpan] = []
    bare = None         # the bare number just before, the first end of a range (30-40万)
    for m in _quantity_regex().finditer(text):
        if m.group("fraction") or m.group("prefix"):
            found += _share(text, m)        # 四分之三, 百分之廿五
            continue
        number, mult, unit = m.group("number"), m.group("mult"), m.group("unit")
        following = text[m.end():m.end() + 1]
        if unit and following and following in r["unit_not_before"].get(unit, ""):
            unit = None     # 三成员: a word, not 30%
        if not (mult or unit):
            bare = m        # a bare number (GPT-3, 三步) states no quantity, unless a range starts here
            continue
        value = _number(number)
        in_range = bare is not None and text[bare.end():m.start()] in r["range_marks"]
        if value is None or (value == 1 and not number[0].isdigit() and not mult and not in_range):
            continue        # 一位分析师, 一名员工: an article, not a figure
        if unit in r["digit_only_units"] and not number[0].isdigit():
            continue        # 两次: a word
        kind, unit_name, scale = _unit(unit)
        value = _scaled(value, mult, scale)
        if value is None:
            continue        # 309 nines: no real figure
        end = m.end() if unit else m.start("mult") + len(mult) + len(m.group("inside2") or "")
        inside = m.group("inside") or m.group("inside2")
        qualifier = (r["qualifiers_inside"][inside] if inside else None) or _qualifier_after(text, end) \
            or _qualifier_before(text, m.start())
        qualifier = _consensus(text, m.start(), qualifier)
        if in_range or (found and text[found[-1].end:m.start()] in r["range_marks"]
                        and found[-1].unit in (None, unit_name)):
            qualifier = _range_start(found, bare if in_range else None, mult, kind, unit_name, scale) or qualifier
        bare = None
        found.append(QuantitySpan(m.start(), end, kind, value, unit_name, qualifier))
    # a count is whole: 3.5人 (an average, a typing slip) is a figure of people, not a count
    return [replace(q, kind="NUM") if q.kind == "COUNT" and not q.value.is_integer() else q for q in found]


def _range_start(found: list[QuantitySpan], bare: re.Match | None, mult: str, kind: str, unit_name: str | None,
                 scale: float) -> str | None:
    """Adds (or rewrites) the first end of a range to `found`; "at most", the qualifier of the
    second end, when there is a first end.

    After a bare number (30-40万) the first end takes the second's magnitude and unit; after a
    figure of its own (100万到200万人, 5%-10%) it keeps its magnitude and takes the unit.
    """
    if bare is not None:
        low = _number(bare.group("number"))
        low = _scaled(low, mult, scale) if low is not None else None
        if low is None:
            return None
        found.append(QuantitySpan(bare.start(), bare.end(), kind, low, unit_name, "at least"))
        return "at most"
    low = found.pop()
    value_low = low.value * scale if low.unit is None else low.value
    found.append(replace(low, kind=kind, value=round(value_low, 6), unit=unit_name, qualifier="at least"))
    return "at most"


def _share(text: str, m: re.Match) -> list[QuantitySpan]:
    """A share written in words (四分之三, 百分之廿五) as a percentage, with its qualifier (近四分之三)."""
    r = rules()
    if m.group("fraction"):
        value = float(r["fractions"][m.group("fraction")])
    else:
        share = _number(m.group("share"))
        if share is None:
            return []
        value = round(share * r["percent_prefixes"][m.group("prefix")], 6)
    if not _real(value):
        return []
    return [QuantitySpan(m.start(), m.end(), "PCT", value, "percent", _qualifier_before(text, m.start()))]


def _real(value: float) -> bool:
    """Whether a figure can be a real one: finite and no larger than MAX_VALUE."""
    return math.isfinite(value) and value <= MAX_VALUE


def _unit(unit: str | None) -> tuple[str, str | None, float]:
    """(kind, unit name, scale) of a unit or currency word; a figure without one is a NUM."""
    r = rules()
    if unit in r["currencies"]:
        return "MONEY", r["currencies"][unit], 1
    if unit:
        kind, name, *scale = r["units"][unit]
        return kind, name, scale[0] if scale else 1
    return "NUM", None, 1


def _scaled(value: float, mult: str, scale: float) -> float | None:
    """The figure times its magnitude words (万, 亿) and its unit's scale (成); None when that is
    no real figure (not finite, or beyond MAX_VALUE)."""
    for ch in mult:
        value *= rules()["multipliers"][ch]
    value *= scale
    if not _real(value):
        return None
    return round(value, 6)      # 300.4亿 is 30040000000, not 30039999999.999996


def _qualifier_before(text: str, start: int) -> str | None:
    """The qualifier written right before a figure (逾, 将近, 约合), the longest first."""
    words = rules()["qualifiers_before"]
    return next((words[w] for w in _longest_first(tuple(words)) if text.endswith(w, 0, start)), None)


@lru_cache(maxsize=4)
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _consensus(text: str, start: int, qualifier: str | None) -> str | None:
    """The qualifier of a figure that others expect (高于分析师预期的287亿美元): "estimated", before
    any qualifier it has; the figure is no one's result, only what its clause's `estimate_cues`
    say was expected."""
    clause = text[max(0, start - CONSENSUS_REACH):start]
    clause = clause[max(clause.rfind(mark) for mark in "，,。；;\n") + 1:]
    if not any(cue in clause for cue in rules()["estimate_cues"]):
        return qualifier
    return f"estimated {qualifier}" if qualifier else "estimated"


def _qualifier_after(text: str, end: int) -> str | None:
    """The qualifier written right after a figure (左右, 以上)."""
    words = rules()["qualifiers_after"]
    return next((words[w] for w in words if text.startswith(w, end)), None)


def _number(text: str) -> float | None:
    """The value of a number written in digits or Chinese numerals (两万, 廿五, 千万); None for
    characters that are no number, or a numeral too long to be one (MAX_NUMERAL_CHARS)."""
    if text[0].isdigit():
        return float(text.replace(",", ""))
    if len(text) > MAX_NUMERAL_CHARS:
        return None
    r = rules()
    for variant, tens in r["numeral_variants"].items():
        text = text.replace(variant, tens)
    if len(text) > 1 and all(ch in r["multipliers"] for ch in text):
        value = 1.0             # 千万台, 百万用户: magnitudes alone
        for ch in text:
            value *= r["multipliers"][ch]
        return value
    import cn2an  # loaded on first use: importing it costs ~0.3 s

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError):
        return None


_SMALL_NUMBERS = "一两三四五六七八九十"     # 三年, 过去六年: a count of years, months, days


@lru_cache(maxsize=1)
def _date_regex() -> tuple[re.Pattern, re.Pattern]:
    """The date pattern, and the characters that a match of it can start with (`_date_matches`).

    Each alternative of the pattern starts with a digit, a small number or one of the words
    listed in the rules, so the second pattern is made of those.
    """
    d = rules()["dates"]
    quarters = "|".join(sorted(map(re.escape, d["quarters"]), key=len, reverse=True))
    relative = "|".join(map(re.escape, list(d["relative_years"]) + d["same_year"]))
    durations = "|".join(sorted(map(re.escape, d["durations"]), key=len, reverse=True))
    same_day = "|".join(map(re.escape, d["same_day"]))
    bare_quarters = "|".join(sorted((re.escape(q) for q in d["quarters"] if d["quarters"][q]), key=len, reverse=True))
    today_words = "|".join(sorted(map(re.escape, d["relative_to_today"]), key=len, reverse=True))
    not_name = "|".join(map(re.escape, d["relative_not_before"]))
    recent = "|".join(sorted(map(re.escape, d["recent"] + d["recent_with_since"]), key=len, reverse=True))
    since = "|".join(sorted(map(re.escape, d["since"]), key=len, reverse=True))
    words = [*d["quarters"], *d["relative_years"], *d["same_year"], *d["same_day"], *d["relative_to_today"],
             *d["recent"], *d["recent_with_since"]]
    starts = re.compile(rf"[\d{_SMALL_NUMBERS}{''.join(sorted({re.escape(w[0]) for w in words}))}]")
    return re.compile(
        rf"(?P<year>(?:19|20)\d{{2}})\s*年(?:\s*(?P<month>1[0-2]|0?[1-9])\s*月(?:\s*(?P<day>3[01]|[12]\d|0?[1-9])\s*[日号])?)?"
        rf"(?:的)?(?P<quarter>{quarters})?"
        rf"|(?P<relative>{relative})(?:(?P<rmonth>1[0-2]|0?[1-9])月(?:(?P<rday>3[01]|[12]\d|0?[1-9])[日号])?)?"
        rf"(?P<rquarter>{quarters})?"
        rf"|(?<![\d年])(?P<dmonth>1[0-2]|0?[1-9])月(?P<dday>3[01]|[12]\d|0?[1-9])[日号]"
        rf"|(?<![\d年个])(?P<mmonth>1[0-2]|0?[1-9])月份?(?![\d日号])"
        rf"|(?P<sameday>{same_day})"
        rf"|(?<![\d年今去明前后同当该])(?P<squarter>{bare_quarters})"
        rf"|(?P<today>{today_words})(?!{not_name})"
        rf"|(?<![\d月年第个余多几])(?P<bday>3[01]|[12]\d|0?[1-9])日(?![元内均线前后间])"
        rf"|(?P<recent>{recent})(?P<rnum>[{_SMALL_NUMBERS}]{{1,3}}|\d{{1,2}})(?P<runit>{durations})(?P<since>{since})?"
        rf"|(?<![\d{_CN_DIGITS}])(?P<dnum>[{_SMALL_NUMBERS}]|\d{{1,2}})(?P<dunit>{durations})(?![前后来内底初末])"), starts


def _date_matches(text: str) -> Iterator[re.Match]:
    """What `finditer` of the date pattern gives, trying the pattern only where a match can start:
    at a digit or at the first character of a date word, not at every character (which took
    four fifths of `find_dates`). Like finditer, it goes on from the end of each match."""
    regex, starts = _date_regex()
    at = 0
    while (start := starts.search(text, at)) is not None:
        match = regex.match(text, start.start())
        if match:
            yield match
        at = match.end() if match else start.start() + 1


def find_dates(text: str, reference_year: int | None = None, today: date | None = None) -> list[DateSpan]:
    """Dates (ISO prefixes) and durations, relative expressions resolved.

    `today` is the day the article speaks from (`graph.extract.dates.reference_date`): 今日,
    上月 and a bare 3月5日 count from it. `reference_year` (today's year; else the year the story
    opens with, `article_year`) resolves 去年 and 今年. A bare 3月5日 continuing a timeline just
    named (2023年2月发布…，4月5日开源) is in its year. Whatever cannot be resolved so is an
    unknown date (value None), never one borrowed from another year the text names; a date no
    calendar has (2023年2月31日) dates nothing.

    >>> [(d.value, d.period) for d in find_dates("2023年第三季度营收增长,同年4月5日发布", 2023)]
    [('2023', '2023-Q3'), ('2023-04-05', None)]
    >>> [(d.value, d.duration) for d in find_dates("昨日发布,过去六年营收增长,将于7月1日上线", today=date(2025, 6, 18))]
    [('2025-06-17', None), ('2025', 'P6Y'), ('2025-07-01', None)]
    >>> find_dates("2023年2月31日发布", 2023)     # no calendar has that day: it dates nothing
    []
    """
    reference_year = today.year if today else reference_year or article_year(text)
    reader = _DateReader(text, rules()["dates"], reference_year, today)
    return [span for span in map(reader.read, _date_matches(text)) if span is not None]


class _DateReader:
    """Reads the date matches of one text in order, remembering the year, the month and the date
    last named.

    A date no calendar has (2023年2月31日) is read as if it were not written; a date the text
    names that cannot be known (今日 with no "today", 去年 with no year) is a DateSpan whose
    value is None.
    """

    def __init__(self, text: str, words: dict, reference_year: int | None, today: date | None) -> None:
        self.text, self.words, self.reference, self.today = text, words, reference_year, today
        self.year, self.date, self.year_end = reference_year, None, -10**9
        self.month: int | None = None       # the month of the year last named, when it was named with one
        # where sentences end, for `_aside`: searching the text for each mark would scan to its far
        # end wherever a mark (！, ？) is absent, per date: quadratic on a long text
        self.breaks = [m.start() for m in re.finditer("[。！？\n]", text)]

    def read(self, m: re.Match) -> DateSpan | None:
        """The span of one match of `_date_regex`, or None when it dates nothing."""
        if m.group("year"):
            return self._absolute(m)
        if m.group("relative"):
            return self._relative(m)
        if m.group("dmonth") or m.group("mmonth"):
            return self._month(m)
        if m.group("today"):
            return self._from_today(m)
        if m.group("bday"):
            return self._day_alone(m)
        if m.group("recent"):
            return self._recent(m)
        if m.group("sameday"):
            return DateSpan(m.start(), m.end(), self.date, None) if self.date else None
        if m.group("squarter"):
            if self.year is None:
                return None
            quarter = self.words["quarters"][m.group("squarter")]     # 第二季度 with no year: the year last named
            return DateSpan(m.start(), m.end(), str(self.year), f"{self.year}-{quarter}")
        n = m.group("dnum")
        count = int(n) if n.isdigit() else int(_number(n) or 0)
        unit = self.words["durations"][m.group("dunit")]
        return DateSpan(m.start(), m.end(), None, None, f"P{count}{unit}") if count else None

    def _absolute(self, m: re.Match) -> DateSpan | None:
        year = int(m.group("year"))
        value = iso_date(year, m.group("month"), m.group("day"))
        if value is None:
            return None
        quarter = self.words["quarters"].get(m.group("quarter") or "", "")
        if not self._aside(m.start()):
            self.year, self.year_end = year, m.end()
            self.month = int(m.group("month")) if m.group("month") else None
            if self.month:      # 同日 repeats a day or a month, never a year alone (文件编号2024年第8号)
                self.date = value
        return DateSpan(m.start(), m.end(), value, f"{year}-{quarter}" if quarter else None)

    def _aside(self, at: int) -> bool:
        """Whether the sentence around `at` is background (她此前是一家初创公司的创始人，
        那家公司在2016年被收购): a year it names dates its own facts but does not become the story's year,
        which 同年 and a bare 8月 continue."""
        k = bisect_left(self.breaks, at)
        start = self.breaks[k - 1] + 1 if k else 0
        sentence = self.text[start:self.breaks[k] if k < len(self.breaks) else len(self.text)]
        return any(cue in sentence for cue in self.words["aside"])

    def _relative(self, m: re.Match) -> DateSpan | None:
        word = m.group("relative")
        year = self.year if word in self.words["same_year"] else (
            self.reference + self.words["relative_years"][word] if self.reference else None)
        if year is None:        # 去年 in an article that gives no date of its own
            return DateSpan(m.start(), m.end(), None, None)
        value = iso_date(year, m.group("rmonth"), m.group("rday"))
        if value is None:
            return None
        quarter = self.words["quarters"].get(m.group("rquarter") or "", "")
        if m.group("rmonth"):
            self.date = value
        self.year, self.year_end = year, m.end()
        self.month = int(m.group("rmonth")) if m.group("rmonth") else None
        return DateSpan(m.start(), m.end(), value, f"{year}-{quarter}" if quarter else None)

    def _month(self, m: re.Match) -> DateSpan | None:
        # 7月30日, 在4月裁减了…: in the year of the timeline it continues, else in today's year
        # (or the year before), else in the article's own year
        month, day = m.group("dmonth") or m.group("mmonth"), m.group("dday")
        # with no "today", the timeline's year is a better reading than the lede's at any distance
        near = m.start() - self.year_end < YEAR_REACH or self.today is None
        continues = near and self.month and int(month) >= self.month
        year = self.year if continues else None
        if year is None and self.today is not None:
            year = year_of(int(month), int(day) if day else None, self.today, _planned(self.text, m.start()))
        elif year is None:
            year = self.reference
        value = iso_date(year, month, day) if year is not None else None
        if year is not None and value is None:
            return None         # 2月30日: no calendar has it
        if day:
            self.date = value
        return DateSpan(m.start(), m.end(), value, None)

    def _from_today(self, m: re.Match) -> DateSpan:
        # 今日, 上月, 上季度: counted from the article's today
        value, period = None, None
        if self.today is not None:
            unit, offset = self.words["relative_to_today"][m.group("today")]
            value, period = shifted(self.today, unit, offset)
            self.date = value if unit == "day" else self.date
        return DateSpan(m.start(), m.end(), value, period)

    def _day_alone(self, m: re.Match) -> DateSpan | None:
        # 周二（25日）, 已于25日: a day of the month the article speaks from
        if not self.text.endswith(tuple(self.words["day_alone_after"]), 0, m.start()):
            return None
        day = m.group("bday")
        month = month_of(int(day), self.today, _planned(self.text, m.start())) if self.today else None
        value = iso_date(month[0], month[1], day) if month else None
        self.date = value or self.date
        return DateSpan(m.start(), m.end(), value, None)

    def _recent(self, m: re.Match) -> DateSpan:
        # 过去六年, 近五年来: a span that ends today; 近三年 alone is only a duration
        n = m.group("rnum")
        count = int(n) if n.isdigit() else int(_number(n) or 0)
        counts_back = m.group("since") or m.group("recent") not in self.words["recent_with_since"]
        value = str(self.today.year) if self.today is not None and counts_back else None
        return DateSpan(m.start(), m.end(), value, None, f"P{count}{self.words['durations'][m.group('runit')]}")


def article_year(text: str) -> int | None:
    """The article's own year when it states no date: the year its story opens with
    (`graph.text.dateline.lede_year`), never the year it names most (a year named for the past
    is no year of the article's).

    >>> article_year("标题\\n2024年8月28日美股盘后，英伟达公布了财报。2023年营收增长，2023年利润增长。")
    2024
    >>> article_year("标题\\n2015年，Meta开源了PyTorch。2015年它发布了第一版。") is None
    True
    """
    return lede_year(text)


def _planned(text: str, at: int) -> bool:
    """Whether the words just before `at` make the date a plan (将于7月1日, 预计3月)."""
    before = text[max(0, at - PLAN_REACH):at]
    before = before[max(before.rfind(mark) for mark in "，,。；;\n") + 1:]
    return any(word in before for word in rules()["dates"]["planned"])
