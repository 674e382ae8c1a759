"""Relative dates, resolved against the day the article speaks from, or left undated."""
from __future__ import annotations

from datetime import date

import pytest

from graph.extract.dates import month_of, reference_date, shifted, year_of
from graph.extract.quantities import find_dates
from graph.model import Document
from graph.text import read_text

TODAY = date(2025, 6, 18)       # a Wednesday


def values(text: str, today: date | None = TODAY, reference_year: int | None = None) -> list[str | None]:
    return [d.value for d in find_dates(text, reference_year, today=today) if not d.duration]


def test_reference_date_is_the_datelines_day_in_the_year_of_publication():
    page = "摩尔线程上市\n2025年12月6日 08:00 来源：财讯日报\n本报上海12月5日电 摩尔线程今日上市。"
    assert reference_date(read_text(page)) == date(2025, 12, 5)
    new_year = "新年献词\n2026年1月1日 08:00 来源：财讯日报\n本报北京12月31日电 某公司今日发布了新年献词。"
    assert reference_date(read_text(new_year)) == date(2025, 12, 31)        # filed the year before
    assert reference_date(read_text("芯片发布\n发布时间：2025-06-18 10:05\n某公司今日发布新款芯片。")) == TODAY
    assert reference_date(read_text("芯片发布\n某公司今日发布新款芯片。")) is None
    # a dateline with no publication date to give its year sets no day
    assert reference_date(Document(original="标题\n本报上海12月5日电 某公司今日上市。",
                                   text="标题\n本报上海12月5日电 某公司今日上市。")) is None


@pytest.mark.parametrize("unit, offset, today, expected", [
    ("day", 0, TODAY, ("2025-06-18", None)),
    ("day", -1, date(2025, 3, 1), ("2025-02-28", None)),
    ("week", 0, TODAY, ("2025-06", None)),
    ("week", -1, date(2025, 7, 9), ("2025", None)),           # Monday 30 June to Sunday 6 July
    ("week", 0, date(2025, 12, 31), (None, None)),            # a week across two years
    ("month", -1, date(2025, 1, 15), ("2024-12", None)),
    ("month", 1, date(2025, 12, 15), ("2026-01", None)),
    ("quarter", -1, TODAY, ("2025", "2025-Q1")),
    ("quarter", -1, date(2025, 1, 5), ("2024", "2024-Q4")),
    ("year", -1, TODAY, ("2024", None)),
])
def test_shifted_dates_are_as_precise_as_the_unit(unit, offset, today, expected):
    assert shifted(today, unit, offset) == expected


def test_a_bare_date_ahead_of_today_is_last_years_unless_planned_or_near():
    assert year_of(12, 20, date(2025, 1, 5)) == 2024
    assert year_of(12, 20, date(2025, 1, 5), planned=True) == 2025
    assert year_of(1, 9, date(2025, 1, 5)) == 2025          # a few days ahead: a time zone, next week
    assert year_of(6, 1, TODAY) == 2025
    assert month_of(25, date(2025, 11, 27)) == (2025, 11)
    assert month_of(28, date(2025, 1, 2)) == (2024, 12)


@pytest.mark.parametrize("text, expected", [
    ("今日,公司发布新品。", ["2025-06-18"]),
    ("昨天晚间公司发布新品。", ["2025-06-17"]),
    ("公司本周发布新品。", ["2025-06"]),
    ("公司上月发布新品。", ["2025-05"]),
    ("公司上季度营收增长。", ["2025"]),
    ("公司去年营收增长,今年继续增长。", ["2024", "2025"]),
    ("3月5日,公司发布新品。", ["2025-03-05"]),
    ("12月20日,公司发布新品。", ["2024-12-20"]),             # half a year ahead: last December
    ("公司将于12月20日发布新品。", ["2025-12-20"]),           # a plan
    ("公司周二(17日)发布新品。", ["2025-06-17"]),
    ("2024年3月28日发布,4月3日开始交付。", ["2024-03-28", "2024-04-03"]),      # a timeline
    ("2024年12月发布A。1月5日又发布了B。", ["2024-12", "2025-01-05"]),          # not its continuation
    ("2015年成立的公司,3月5日发布新品。", ["2015", "2025-03-05"]),              # a year alone
])
def test_relative_dates_count_from_today(text, expected):
    assert values(text) == expected


def test_past_years_are_a_span_that_ends_today():
    [span] = find_dates("过去六年,公司营收增长了十倍。", today=TODAY)
    assert (span.value, span.duration) == ("2025", "P6Y")
    [span] = find_dates("近五年来,公司营收增长了十倍。", today=TODAY)
    assert (span.value, span.duration) == ("2025", "P5Y")
    [span] = find_dates("项目历时近三年才完成。", today=TODAY)       # nearly three years: a duration only
    assert (span.value, span.duration) == (None, "P3Y")


@pytest.mark.parametrize("text", [
    "今日头条的用户增长放缓。",          # a name
    "门票售价为3000日元。",              # yen
    "股价跌破30日均线。",
    "公司第25日完成交付。",
    "增长25日以来最大。",
])
def test_words_that_are_no_relative_dates(text):
    assert values(text) == []


def test_without_today_relative_dates_are_unknown_not_borrowed():
    # 2015 is the only year the text names: it dates nothing the text places elsewhere in time
    text = "2015年,公司开源了框架。今天,公司发布了新模型,去年的营收增长了,3月5日还发布了芯片。"
    assert values(text, today=None) == ["2015", None, None, None]


def test_without_today_a_bare_date_continuing_a_timeline_keeps_its_year():
    assert values("2023年2月,公司发布了A。4月5日,公司开源了B。", today=None) == ["2023-02", "2023-04-05"]
    assert values("公司在4月裁减了员工。", today=None, reference_year=2024) == ["2024-04"]


def test_without_today_a_timeline_keeps_its_year_over_paragraphs():
    # no publication date: a bare date later in the story continues the year last named
    text = ("公司十年\n2024年,公司迎来了十周年。\n2022年9月8日,董事会宣布了决定。" + "会议持续了很久,各方都没有表态。\n" * 12
            + "9月12日,公司公布了结果。")
    assert values(text, today=None) == ["2024", "2022-09-08", "2022-09-12"]


def test_with_today_a_distant_bare_date_is_not_the_historical_years():
    # a historical year in one sentence does not date a later event with the article's today
    text = "公司成立于2015年3月。" + "此后公司经历了多次调整,业务范围逐步扩大。" * 8 + "5月20日,公司发布了新模型。"
    assert values(text) == ["2015-03", "2025-05-20"]


def test_same_day_repeats_a_day_not_a_year_named_alone():
    text = "6月9日,工信部发布通知。文件编号2025年第8号列出了要求。同日,工信部还召开了会议。"
    assert values(text) == ["2025-06-09", "2025", "2025-06-09"]


def test_a_year_named_in_background_does_not_become_the_storys_year():
    text = "2023年5月,亚马逊任命了新主管。她此前是一家初创公司的创始人,那家公司在2016年被收购。同年9月,苹果发布了新品。"
    assert values(text) == ["2023-05", "2016", "2023-09"]


def test_a_year_named_in_the_story_is_continued_by_tong_nian():
    text = "2023年5月,亚马逊任命了新主管。那家公司在2016年被收购。同年9月,苹果发布了新品。"
    assert values(text) == ["2023-05", "2016", "2016-09"]
