"""Numbers, money, percentages, dates and durations as Chinese news writes them."""
from __future__ import annotations

import pytest

from graph.extract.quantities import _date_matches, _date_regex, find_dates, find_quantities


@pytest.mark.parametrize("text, kind, value, unit", [
    ("市值蒸发超过7000亿美元", "MONEY", 700_000_000_000, "USD"),
    ("宣布裁员1.1万人", "COUNT", 11_000, "person"),
    ("模型有130亿参数", "NUM", 13_000_000_000, "parameter"),
    ("股价下跌75%", "PCT", 75, "percent"),
    ("股价下跌７５％", "PCT", 75, "percent"),          # full-width forms
    ("营收达到3.5亿元", "MONEY", 350_000_000, "CNY"),
    ("累计近两万员工离开", "COUNT", 20_000, "person"),
    ("股价跌去四分之三", "PCT", 75, "percent"),
    ("投入1,200万欧元", "MONEY", 12_000_000, "EUR"),
    ("延迟只有320毫秒", "NUM", 0.32, "second"),         # base units: seconds
    ("最多集成128核", "NUM", 128, "core"),
    ("削减了约3000个职位", "COUNT", 3000, "position"),
])
def test_quantities_in_base_units(text, kind, value, unit):
    from graph.text.normalize import fold_characters

    found = find_quantities(fold_characters(text))
    assert [(q.kind, q.value, q.unit) for q in found] == [(kind, pytest.approx(value), unit)]


@pytest.mark.parametrize("text", ["GPT-3发布", "三步走战略", "第2代产品", "Quest 3头显", "2023年", "第3核查组"])
def test_bare_numbers_are_no_quantities(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("text, value, period", [
    ("2023年4月5日发布", "2023-04-05", None),
    ("2023年9月上市", "2023-09", None),
    ("2015年开源", "2015", None),
    ("2023年第三季度营收", "2023", "2023-Q3"),
    ("2023年下半年股价反弹", "2023", "2023-H2"),
])
def test_dates_as_precise_as_written(text, value, period):
    [date] = find_dates(text)
    assert (date.value, date.period, date.duration) == (value, period, None)


def test_relative_years_resolve_from_context():
    text = "2021年公司上市。同年完成融资,去年又裁员。"
    dates = find_dates(text, reference_year=2023)
    assert [d.value for d in dates] == ["2021", "2021", "2022"]


def test_durations_are_not_dates():
    [duration] = find_dates("上线一个月,用户增长了三倍", reference_year=2023)
    assert duration.value is None and duration.duration == "P1M"


def test_month_without_year_is_a_date_not_a_duration():
    dates = find_dates("2023年初发布。同年4月5日开源,5月20日更新,上线3个月", reference_year=2023)
    assert [(d.value, d.duration) for d in dates] == [
        ("2023", None), ("2023-04-05", None), ("2023-05-20", None), (None, "P3M")]


def test_month_alone_is_a_month_of_the_year_in_context():
    dates = find_dates("2024年业绩平稳,4月份裁员,用了3个月恢复。", reference_year=2024)
    assert [(d.value, d.duration) for d in dates] == [("2024", None), ("2024-04", None), (None, "P3M")]


@pytest.mark.parametrize("text, value, unit", [
    ("海外收入占五成", 50, "percent"),
    ("员工中两成来自海外", 20, "percent"),
    ("持股比例达到百分之廿五", 25, "percent"),
    ("不良率为千分之五", 0.5, "percent"),
    ("公司共有廿五人", 25, "person"),
    ("公司去年卖出超千万台", 10_000_000, "unit"),
])
def test_shares_and_numerals_as_the_genre_writes_them(text, value, unit):
    [q] = find_quantities(text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize("text, qualifier", [
    ("裁员逾1万人", "more than"),
    ("累计近两万员工离开", "nearly"),
    ("交易额约合20亿美元", "about"),
    ("公司有3000多名员工", "more than"),
    ("公司有1万余人", "more than"),
    ("市场份额在30%左右", "about"),
    ("投资50万元以上", "at least"),
    ("裁员1万人", None),
])
def test_qualifiers_are_kept_and_the_value_stays_as_written(text, qualifier):
    [q] = find_quantities(text)
    assert q.qualifier == qualifier and q.value in (10_000, 20_000, 2e9, 3000, 30, 500_000)


@pytest.mark.parametrize("text, ends", [
    ("计划裁减4000至6000名员工", [(4000, "person"), (6000, "person")]),
    ("单价在30-40万之间", [(300_000, None), (400_000, None)]),
    ("毛利率下滑三到五成", [(30, "percent"), (50, "percent")]),
    ("用户增长100万到200万人", [(1_000_000, "person"), (2_000_000, "person")]),
    ("营收增长5%-10%", [(5, "percent"), (10, "percent")]),
])
def test_ranges_keep_both_ends(text, ends):
    found = find_quantities(text)
    assert [(q.value, q.unit) for q in found] == [(pytest.approx(v), u) for v, u in ends]
    assert [q.qualifier for q in found] == ["at least", "at most"]


def test_amounts_without_a_currency_stay_without_one():
    [first, second] = find_quantities("营收为889亿元,净利润为61.8亿")
    assert (first.kind, first.unit) == ("MONEY", "CNY") and (second.kind, second.unit) == ("NUM", None)


@pytest.mark.parametrize("text", ["公司成员三成员工", "规则一成不变", "GPT-4发布", "2023-2024年", "千万不要放弃",
                                  "九成新的二手手机"])
def test_words_that_hold_numerals_are_no_quantities(text):
    assert [q.text for q in find_quantities(text)] == []


# ------------------------------------------------------------------ values checked where they are made

@pytest.mark.parametrize("text, values", [("2023年2月31日发布", []), ("2023年4月31日发布", []), ("2022年2月29日发布", []),
                                          ("2023年3月发布,2月30日更新", ["2023-03"]), ("去年2月30日", [])])
def test_a_day_no_calendar_has_dates_nothing(text, values):
    assert [d.value for d in find_dates(text, reference_year=2023)] == values


def test_leap_days_are_real_days():
    assert [d.value for d in find_dates("2024年2月29日发布")] == ["2024-02-29"]


@pytest.mark.parametrize("text", ["营收" + "9" * 309 + "美元", "营收" + "9" * 20 + "亿美元", "估值1" + "亿" * 3 + "美元"])
def test_an_absurd_figure_is_no_quantity(text):
    assert find_quantities(text) == []


def test_the_largest_real_figures_are_kept():
    [q] = find_quantities("三星营收300万亿韩元")
    assert (q.value, q.unit) == (3e14, "KRW")


def test_a_document_stores_its_quantities_and_dates():
    from graph.extract.quantities import find_quantities_and_dates
    from graph.text import read_text

    doc = find_quantities_and_dates(read_text("2023年2月31日,Meta裁员1万人。"))
    assert [(q.kind, q.value) for q in doc.quantities] == [("COUNT", 10000.0)] and doc.dates == ()


@pytest.mark.parametrize("text, qualifiers", [
    ("营收为300亿美元,高于分析师预期的287亿美元", [None, "estimated"]),
    ("营收增长约5%,分析师预期约为3%", ["about", "estimated about"]),
    ("营收为300亿美元,分析师认为增长强劲,市值达到3万亿美元", [None, None]),    # no cue: a result
])
def test_a_figure_others_expect_is_marked_as_an_estimate(text, qualifiers):
    assert [q.qualifier for q in find_quantities(text)] == qualifiers


@pytest.mark.parametrize("text", [
    "２０２３年３月５日发布,去年三季度增长,近三年来,本月5日,上半年,12月份,过去六个月,三年前,当日",
    "GPT-4于3月14日发布,5日后开源;Q3营收、第四季度利润,同期、次年、前年都有。",
])
def test_dates_tried_where_one_can_start_are_the_ones_every_start_finds(text):
    regex, _ = _date_regex()
    everywhere = [m.span() for m in regex.finditer(text)]
    assert len(everywhere) >= 4 and [m.span() for m in _date_matches(text)] == everywhere


def test_dates_of_real_articles_are_the_ones_every_start_finds(heldout_texts):
    regex, _ = _date_regex()
    found = 0
    for name, text in heldout_texts.items():
        everywhere = [m.span() for m in regex.finditer(text)]
        assert [m.span() for m in _date_matches(text)] == everywhere, name
        found += len(everywhere)
    assert found >= 100
