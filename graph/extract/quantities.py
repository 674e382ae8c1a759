"""Numbers, money, percentages, dates and durations as they are written in Chinese news.

Entry points: `find_quantities(text)` and `find_dates(text, reference_year)`, both returning
spans in text order. Values are in base units (7000亿美元 -> 7e11 USD, 1.1万人 -> 11000);
Chinese numerals are read with cn2an. Dates are ISO prefixes as precise as the text gives
them ("2023", "2023-04", "2023-04-05"); relative years (去年, 同年) are resolved from the
article's own year and the year last named.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from graph.datafiles import bundled, read_toml

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
YEAR_REACH = 150     # characters over which a named year still dates a bare 7月30日


@dataclass(frozen=True)
class QuantitySpan:
    start: int
    end: int
    kind: str           # PCT, MONEY, COUNT, NUM
    value: float        # base units
    unit: str | None    # percent, USD, person, parameter …
    text: str


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    value: str | None   # ISO prefix, or None for a bare duration
    period: str | None  # "2023-Q3", "2023-H2" when the text names a part of a year
    duration: str | None = None   # ISO 8601 duration (P1Y) for 一年, 一个月


@lru_cache(maxsize=1)
def rules() -> dict:
    return read_toml(bundled("patterns", "quantities.toml"), "quantity patterns")


@lru_cache(maxsize=1)
def _quantity_regex() -> re.Pattern:
    r = rules()
    mult = "".join(r["multipliers"])
    units = "|".join(sorted(map(re.escape, list(r["currencies"]) + list(r["units"])), key=len, reverse=True))
    fractions = "|".join(map(re.escape, r["fractions"]))
    number = rf"\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_DIGITS}]+(?:点[零一二三四五六七八九]+)?"
    return re.compile(
        rf"(?P<fraction>{fractions})"
        rf"|(?<![\d.A-Za-z])(?P<number>{number})\s*(?P<mult>[{mult}]*)\s*(?P<unit>{units})?")


def find_quantities(text: str) -> list[QuantitySpan]:
    """Numbers with their unit or currency, in base units.

    >>> [(q.kind, q.value, q.unit) for q in find_quantities("市值蒸发7000亿美元,裁员1.1万人,跌幅75%")]
    [('MONEY', 700000000000.0, 'USD'), ('COUNT', 11000.0, 'person'), ('PCT', 75.0, 'percent')]
    """
    r = rules()
    found = []
    for m in _quantity_regex().finditer(text):
        if m.group("fraction"):
            found.append(QuantitySpan(m.start(), m.end(), "PCT", float(r["fractions"][m.group("fraction")]),
                                      "percent", m.group()))
            continue
        number, mult, unit = m.group("number"), m.group("mult"), m.group("unit")
        if not (mult or unit):
            continue        # a bare number (GPT-3, 三步) states no quantity
        value = _number(number)
        if value is None or (value == 1 and not number[0].isdigit() and not mult):
            continue        # 一位分析师, 一名员工: an article, not a figure
        if unit in r["digit_only_units"] and not number[0].isdigit():
            continue        # 两次: a word
        for ch in mult:
            value *= r["multipliers"][ch]
        value = round(value, 6)     # 300.4亿 is 30040000000, not 30039999999.999996
        end = m.end() if unit else m.start("mult") + len(mult)
        if unit in r["currencies"]:
            kind, unit_name = "MONEY", r["currencies"][unit]
        elif unit:
            kind, unit_name = r["units"][unit]
        else:
            kind, unit_name = "NUM", None
        found.append(QuantitySpan(m.start(), end, kind, value, unit_name, text[m.start():end]))
    return found


def _number(text: str) -> float | None:
    if text[0].isdigit():
        return float(text.replace(",", ""))
    import cn2an  # loaded on first use: importing it costs ~0.3 s

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError):
        return None


@lru_cache(maxsize=1)
def _date_regex() -> re.Pattern:
    d = rules()["dates"]
    quarters = "|".join(sorted(map(re.escape, d["quarters"]), key=len, reverse=True))
    relative = "|".join(map(re.escape, list(d["relative_years"]) + d["same_year"]))
    durations = "|".join(sorted(map(re.escape, d["durations"]), key=len, reverse=True))
    same_day = "|".join(map(re.escape, d["same_day"]))
    bare_quarters = "|".join(sorted((re.escape(q) for q in d["quarters"] if d["quarters"][q]), key=len, reverse=True))
    return re.compile(
        rf"(?P<year>(?:19|20)\d{{2}})\s*年(?:\s*(?P<month>1[0-2]|0?[1-9])\s*月(?:\s*(?P<day>3[01]|[12]\d|0?[1-9])\s*[日号])?)?"
        rf"(?:的)?(?P<quarter>{quarters})?"
        rf"|(?P<relative>{relative})(?:(?P<rmonth>1[0-2]|0?[1-9])月(?:(?P<rday>3[01]|[12]\d|0?[1-9])[日号])?)?"
        rf"(?P<rquarter>{quarters})?"
        rf"|(?<![\d年])(?P<dmonth>1[0-2]|0?[1-9])月(?P<dday>3[01]|[12]\d|0?[1-9])[日号]"
        rf"|(?<![\d年个])(?P<mmonth>1[0-2]|0?[1-9])月份?(?![\d日号])"
        rf"|(?P<sameday>{same_day})"
        rf"|(?<![\d年今去明前后同当该])(?P<squarter>{bare_quarters})"
        rf"|(?<![\d{_CN_DIGITS}])(?P<dnum>[一两三四五六七八九十]|\d{{1,2}})(?P<dunit>{durations})(?![前后来内底初末])")


def find_dates(text: str, reference_year: int | None = None) -> list[DateSpan]:
    """Dates (ISO prefixes) and durations, relative expressions resolved.

    >>> [(d.value, d.period) for d in find_dates("2023年第三季度营收增长,同年4月5日发布", 2023)]
    [('2023', '2023-Q3'), ('2023-04-05', None)]
    """
    d = rules()["dates"]
    reference_year = reference_year or article_year(text)
    found, last_year, last_date, last_year_at = [], reference_year, None, -10**9
    for m in _date_regex().finditer(text):
        if m.group("year"):
            year = int(m.group("year"))
            value = _iso(year, m.group("month"), m.group("day"))
            quarter = d["quarters"].get(m.group("quarter") or "", "")
            found.append(DateSpan(m.start(), m.end(), value, f"{year}-{quarter}" if quarter else None))
            last_year, last_date, last_year_at = year, value, m.end()
        elif m.group("relative"):
            word = m.group("relative")
            year = last_year if word in d["same_year"] else (
                reference_year + d["relative_years"][word] if reference_year else None)
            if year is None:
                continue
            value = _iso(year, m.group("rmonth"), m.group("rday"))
            quarter = d["quarters"].get(m.group("rquarter") or "", "")
            found.append(DateSpan(m.start(), m.end(), value, f"{year}-{quarter}" if quarter else None))
            last_date = value if m.group("rmonth") else last_date
        elif m.group("dmonth"):
            # 7月30日, 在4月裁减了…: in the year just named, else in the article's own year
            year = last_year if m.start() - last_year_at < YEAR_REACH or reference_year is None else reference_year
            if year is None:
                continue
            last_date = _iso(year, m.group("dmonth"), m.group("dday"))
            found.append(DateSpan(m.start(), m.end(), last_date, None))
        elif m.group("mmonth"):
            year = last_year if m.start() - last_year_at < YEAR_REACH or reference_year is None else reference_year
            if year is not None:
                found.append(DateSpan(m.start(), m.end(), _iso(year, m.group("mmonth")), None))
        elif m.group("sameday"):
            if last_date:
                found.append(DateSpan(m.start(), m.end(), last_date, None))
        elif m.group("squarter"):
            if last_year is not None:       # 第二季度 with no year: the year last named
                quarter = d["quarters"][m.group("squarter")]
                found.append(DateSpan(m.start(), m.end(), str(last_year), f"{last_year}-{quarter}"))
        else:
            n = m.group("dnum")
            count = int(n) if n.isdigit() else int(_number(n) or 0)
            if count:
                found.append(DateSpan(m.start(), m.end(), None, None, f"P{count}{d['durations'][m.group('dunit')]}"))
    return found


def _iso(year: int, month: str | None = None, day: str | None = None) -> str:
    """An ISO date prefix as precise as the text: 2023, 2023-04, 2023-04-05."""
    value = str(year)
    if month:
        value += f"-{int(month):02d}"
        if day:
            value += f"-{int(day):02d}"
    return value


def article_year(text: str) -> int | None:
    """The article's own year: the year it names most often."""
    years = Counter(int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", text))
    return years.most_common(1)[0][0] if years else None
