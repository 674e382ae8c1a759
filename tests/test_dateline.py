"""When a page says it was published: header lines, datelines and the date a story opens with."""
from __future__ import annotations

import pytest

from graph.text import read_text
from graph.text.dateline import dateline_day, lede_year, published_date

BODY = "科技公司周三发布了新款芯片，性能较上一代提升一倍，售价与上一代持平，将于下月开始供货。"


@pytest.mark.parametrize("header, iso", [
    ("发布时间：2025-11-20 09:12　来源：财经观察网　作者：王敏", "2025-11-20"),
    ("2025年11月20日 10:05　来源：新智财经", "2025-11-20"),
    ("2025年11月20日 10:12　記者林雅婷／綜合報導", "2025-11-20"),       # Traditional
    ("新出行科技 记者 周宇 2024-08-22 09:30", "2024-08-22"),
    ("發布時間：2025/3/7", "2025-03-07"),
    ("日期：２０２５年３月７日", "2025-03-07"),                            # full-width digits
    ("2025-03-07 18:30", "2025-03-07"),
])
def test_header_lines_state_the_publication_date(header, iso):
    assert published_date(f"芯片新品发布\n{header}\n{BODY}") == iso


@pytest.mark.parametrize("text", [
    f"芯片新品发布\n2024年8月28日美股盘后，英伟达公布了第二季度财报。\n{BODY}",   # a body sentence
    f"2025年11月20日 10:05 芯片新品发布\n{BODY}",                                 # a date in the title
    f"芯片新品发布\n发布时间：2023-02-31 09:12\n{BODY}",                         # no such day
    f"芯片新品发布\n{BODY}\n{BODY}\n{BODY}\n发布时间：2025-11-20 09:12",           # not under the title
    f"芯片新品发布\n据记者了解，2025年11月20日该公司将召开发布会，届时公布新品的售价和供货时间表。\n{BODY}",
])
def test_other_lines_state_no_publication_date(text):
    assert published_date(text) is None


def test_read_text_keeps_the_header_date_and_html_metadata_comes_first():
    assert read_text(f"芯片新品发布\n发布时间：2025-11-20 09:12\n{BODY}").published == "2025-11-20"
    assert read_text(f"芯片新品发布\n{BODY}").published is None
    page = ("<html><head><meta property=\"article:published_time\" content=\"2024-03-16T09:30:00+08:00\">"
            "</head><body><article><h1>芯片新品发布</h1><p>发布时间：2024-03-17 10:00</p>"
            f"<p>{BODY}</p></article></body></html>")
    assert read_text(page, source="page.html").published == "2024-03-16"


@pytest.mark.parametrize("line, day", [
    ("新华社北京11月20日电（记者 李华）国务院常务会议今日召开。", (None, 11, 20)),
    ("本报上海12月5日电（记者 陈思远）摩尔线程今日在科创板上市。", (None, 12, 5)),
    ("【游戏产业观察】11月5日消息，任天堂昨日公布业绩。", (None, 11, 5)),
    ("中新网2025年3月2日电 某公司发布了新款芯片。", (2025, 3, 2)),
])
def test_datelines_give_the_day_the_story_was_filed(line, day):
    assert dateline_day(f"标题\n{line}") == day


@pytest.mark.parametrize("line", [
    "11月5日，任天堂公布了上半财年业绩。",                  # a date that opens the story, no dateline
    "任天堂表示，新主机自6月5日发售以来累计销量已超过一千万台，公司对此感到满意，并收到11月5日电。",
    "本报上海2月30日电 某公司发布了新款芯片。",              # no such day
])
def test_other_openings_are_no_datelines(line):
    assert dateline_day(f"标题\n{line}") is None


def test_lede_year_is_the_year_the_story_opens_with():
    assert lede_year(f"标题\n2024年8月28日美股盘后，英伟达公布了第二季度财报。{BODY}") == 2024
    assert lede_year(f"标题\n当地时间2024年7月，{BODY}") == 2024
    assert lede_year(f"标题\n2015年，Meta开源了PyTorch。{BODY}") is None        # a year alone is background
    assert lede_year(f"标题\n{BODY}2024年8月28日") is None                        # not at the opening
    assert lede_year(f"标题\n发布时间：2025-11-20 09:12\n{BODY}") is None        # the header is no lede
