"""Dates relative to the day an article speaks from: 今日, 昨日, 本周, 上月, 上季度, a bare 3月5日.

Entry point: `reference_date(doc)`, the article's "today": the day of its dateline (本报上海
12月5日电) in the year it was published, else its publication date, else None. The other
functions resolve one expression against that day; `graph.extract.quantities.find_dates`
calls them for the words listed in data/patterns/quantities.toml. An article that states no
publication date has no "today": its relative dates stay undated rather than take a year
the text names for something else.

    today = 2025-06-18      今日 -> 2025-06-18        昨日 -> 2025-06-17
                            本周 -> 2025-06            上月 -> 2025-05
                            上季度 -> 2025 (2025-Q1)   12月20日 -> 2024-12-20
                            过去六年 -> 2025 (P6Y)     将于7月1日上线 -> 2025-07-01
"""
from __future__ import annotations

from datetime import date, timedelta

from graph.model import Document
from graph.text.dateline import dateline_day

__all__ = ["FUTURE_SLACK", "month_of", "reference_date", "shifted", "year_of"]

FUTURE_SLACK = 7     # days a bare date may lie after "today" and still be this year's without a plan word


def reference_date(doc: Document) -> date | None:
    """The day the article calls 今日: its dateline's day, else its publication date.

    A dateline without a year (12月5日电) is in the year of publication, or the year before
    when that would fall after the publication date (a story filed 12月31日, published 1月1日).

    >>> from graph.model import Document
    >>> text = "标题\\n2025年12月6日 08:00\\n本报上海12月5日电 摩尔线程今日上市。"
    >>> reference_date(Document(original=text, text=text, published="2025-12-06"))
    datetime.date(2025, 12, 5)
    >>> reference_date(Document(original="今日上市。", text="今日上市。")) is None
    True
    """
    published = _iso_date(doc.published) if doc.published else None
    day = dateline_day(doc.text or doc.original)
    if day is None:
        return published
    year, month, day_of_month = day
    if year is not None:
        return _day(year, month, day_of_month)
    if published is None:
        return None
    filed = _day(published.year, month, day_of_month)
    if filed is not None and filed > published:
        filed = _day(published.year - 1, month, day_of_month)
    return filed


def shifted(today: date, unit: str, offset: int) -> tuple[str | None, str | None]:
    """(ISO prefix, period) of the day, week, month, quarter or year `offset` units from today.

    A week is dated as precisely as its seven days allow: its month when they share one, else
    its year. A quarter is its year, with the quarter as the period.

    >>> today = date(2025, 6, 18)
    >>> shifted(today, "day", -1), shifted(today, "week", 0), shifted(today, "month", -1)
    (('2025-06-17', None), ('2025-06', None), ('2025-05', None))
    >>> shifted(today, "quarter", -1), shifted(date(2025, 2, 1), "quarter", -1)
    (('2025', '2025-Q1'), ('2024', '2024-Q4'))
    >>> shifted(date(2025, 7, 1), "week", 0)           # Monday 30 June to Sunday 6 July
    ('2025', None)
    """
    if unit == "day":
        return (today + timedelta(days=offset)).isoformat(), None
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
        sunday = monday + timedelta(days=6)
        if (monday.year, monday.month) == (sunday.year, sunday.month):
            return f"{monday.year}-{monday.month:02d}", None
        return (str(monday.year), None) if monday.year == sunday.year else (None, None)
    if unit == "month":
        index = today.year * 12 + today.month - 1 + offset
        return f"{index // 12}-{index % 12 + 1:02d}", None
    if unit == "quarter":
        index = today.year * 4 + (today.month - 1) // 3 + offset
        return str(index // 4), f"{index // 4}-Q{index % 4 + 1}"
    if unit == "year":
        return str(today.year + offset), None
    raise ValueError(f"unknown unit of a relative date: {unit!r}")


def year_of(month: int, day: int | None, today: date, planned: bool = False) -> int:
    """The year of a bare 3月5日 (or 3月): today's, or the year before when that would lie ahead.

    A date that lies ahead stays in this year when the text plans it (将于7月1日上线) or when it
    is only a few days ahead (a time zone, a date set for next week).

    >>> today = date(2025, 3, 20)
    >>> year_of(3, 3, today), year_of(12, 1, today), year_of(12, 1, today, planned=True)
    (2025, 2024, 2025)
    >>> year_of(3, None, today), year_of(3, 25, today)
    (2025, 2025)
    """
    first = _day(today.year, month, day or 1)
    if first is None or planned or first <= today + timedelta(days=FUTURE_SLACK):
        return today.year
    return today.year - 1


def month_of(day: int, today: date, planned: bool = False) -> tuple[int, int] | None:
    """(year, month) of a day given alone (周二（25日）, 25日晚间): today's month, or the month
    before when that day lies ahead; None when the month has no such day.

    >>> month_of(25, date(2025, 11, 27)), month_of(28, date(2025, 12, 2)), month_of(30, date(2025, 7, 2))
    ((2025, 11), (2025, 11), (2025, 6))
    >>> month_of(31, date(2025, 7, 2)) is None        # June has no 31st
    True
    """
    year, month = today.year, today.month
    if not planned and day > today.day + FUTURE_SLACK:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return (year, month) if _day(year, month, day) else None


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
