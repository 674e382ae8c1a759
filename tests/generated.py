"""Generated articles for property tests (Hypothesis strategies), and the graph of one.

    odd_articles    texts of any characters: Chinese, Latin, digits, full-width forms, line and
                    paragraph separators, form feeds, NEL, zero-width and right-to-left marks,
                    quotes, backslashes, emoji
    fact_articles   sentences the fact patterns read (releases, layoffs, revenue, roles, claims),
                    filled with impossible dates (2023年2月31日, 2023年13月), figures no news
                    states (309 nines, 1e999, 100亿亿亿), a claim verb at the very end (张伟表示),
                    odd characters between them; half of them as HTML pages whose
                    published_time may be no date (2023-13-45)
    article_quads_of(text) -> the quads `kg build` writes for one article, or None when the text is
                    refused as input (empty, binary-looking)
"""
from __future__ import annotations

import pyoxigraph as ox
from hypothesis import strategies as st

from graph.errors import InputError
from graph.extract import load_kb
from graph.pipeline import process
from graph.rdf.mapping import article_quads, entity_quads
from graph.text import read_text

_PIECES = ["Meta", "谷歌", "发布了", "LLaMA", "2023年4月", "裁员1.1万人", "，", "。", "\n", "“", "”", '"', "\\",
           "\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\u200b", "\u200f", "\ufeff", "ＡＢＣ", "１２", "<b>", "&amp;",
           "表示", "杨立昆", "开源", " ", "\t", "'", "#", "%", "\U0001F600"]
# any characters but C0/C1 controls and surrogates (a text with those is refused as binary input)
_ANY = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=3)
odd_articles = st.lists(st.one_of(st.sampled_from(_PIECES), _ANY), min_size=1, max_size=40).map("".join)

_SLOTS = {
    "org": ["Meta", "谷歌", "微软", "OpenAI", "百度", "腾讯", "苹果", "英伟达", "Decentraland", "某公司"],
    "person": ["扎克伯格", "杨立昆", "张伟", "李彦宏", "马斯克", "Yann LeCun"],
    "product": ["LLaMA", "ChatGPT", "Gemini", "文心一言", "GPT-4", "Segment Anything"],
    "date": ["2023年2月31日", "2023年13月", "2023年4月5日", "2023年2月29日", "2024年2月29日", "1900年2月29日",
             "２０２３年２月３１日", "2023年4月31日", "2023年0月", "3月32日", "2月30日", "0年1月1日", "10000年",
             "二〇二三年二月三十日", "去年", "今年3月", "昨日", "上月", "同年"],
    "num": ["9" * 309, "1e999", "100亿亿亿", "一百亿亿亿亿亿", "99999999999999999999", "NaN", "∞", "1.2.3",
            "0", "-5", "3.5", "0.000001", "1,000", "１２３", "三千", "十万八千", "1.1万", "7000亿"],
}
_TEMPLATES = ["{org}于{date}发布了{product}", "{date}，{org}开源了{product}", "{org}将于{date}发布{product}",
              "{org}在{date}上线了{product}，用户达{num}人", "{org}裁员{num}人", "{org}{date}宣布裁员{num}%",
              "{org}营收{num}亿美元", "{org}投资{num}美元", "{org}股价上涨{num}%", "{product}参数量为{num}亿",
              "据{org}{date}披露，营收增长{num}%", "{org}成立于{date}", "{person}是{org}的首席执行官",
              "{org}收购了{org}", "{product}基于{product}", "{person}表示", "{person}表示：", "{person}称",
              "{person}表示，{org}亏损{num}亿美元", "{person}说：“{org}注定输了”"]
_BETWEEN = ["。", "，", "！", "；", "？", "…", "", "\n", "\n\n", "\u2028", "\u200b", "\u202e", "\ufeff", "<b>",
            "&amp;", "\\", '"', "\U0001F600", "\t"]
_PUBLISHED = ["2023-13-45", "2023-02-31", "0000-00-00", "yesterday", "", "2023-02-29", "2024-02-29",
              "2023-04-05", "2023-04-05T10:00:00+08:00"]


@st.composite
def _fact_sentence(draw) -> str:
    slots = {name: draw(st.sampled_from(values)) for name, values in _SLOTS.items()}
    return draw(st.sampled_from(_TEMPLATES)).format(**slots) + draw(st.sampled_from(_BETWEEN))


@st.composite
def _fact_article(draw) -> str:
    body = "".join(draw(st.lists(_fact_sentence(), min_size=1, max_size=8)))
    if draw(st.booleans()):
        return body
    published, title = draw(st.sampled_from(_PUBLISHED)), draw(st.sampled_from(["Meta裁员", "张伟表示", ""]))
    return (f'<html><head><meta property="article:published_time" content="{published}"><title>{title}</title>'
            f'</head><body><article><p>{body}</p></article></body></html>')


fact_articles = _fact_article()


def article_quads_of(text: str) -> list[ox.Quad] | None:
    """The quads of one article's graph and of the entities it names; None when the text is refused."""
    source = "generated.html" if text.startswith("<html") else "generated.txt"
    try:
        doc = process(read_text(text, source=source), load_kb())
    except InputError:          # empty, binary-looking: refused as input, nothing to write
        return None
    result = article_quads(doc)
    return list(result.quads) + [q for e in result.entities for q in entity_quads(e)]
