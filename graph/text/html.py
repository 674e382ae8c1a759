"""Reduce a saved web page to its article: title, body text, publisher, publish date.

A careful parser on the standard library's `html.parser` rather than an extractor such as
trafilatura: news pages here are simple, the stdlib parser never fetches anything, and it
keeps the install small. Scripts, styles, navigation, headers, footers, asides, forms and
comments never reach the text; when the page has an <article>, only its text is kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from graph.model import iso_date

__all__ = ["Page", "extract_article", "looks_like_html"]

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
         "svg", "template", "button", "select", "textarea", "head"}
_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section",
          "article", "blockquote", "pre", "figcaption", "dd", "dt", "table", "ul", "ol"}
_VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "area", "base", "col"}
_TITLE_META = ("og:title", "twitter:title", "title")
_PUBLISHER_META = ("og:site_name", "publisher", "application-name", "source")
_DATE_META = ("article:published_time", "pubdate", "publishdate", "publish_date",
              "datepublished", "date", "dc.date", "og:published_time")
_ISO_DATE = re.compile(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})")


@dataclass(frozen=True)
class Page:
    """What a web page gives: the article's text, its title, publisher and publish date (ISO, a real day)."""
    text: str
    title: str | None
    publisher: str | None
    published: str | None


def looks_like_html(text: str, source: str = "") -> bool:
    """True for a saved web page (by extension or by its first tag)."""
    if source.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:2000].lower()


def extract_article(html: str) -> Page:
    """Parse `html` and return the article's text and metadata."""
    parser = _ArticleParser()
    parser.feed(html)
    parser.close()
    chunks = parser.article_chunks if parser.article_chunks else parser.body_chunks
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(chunks).split("\n")]
    body = "\n".join(line for line in lines if line)
    title = next((parser.meta[k] for k in _TITLE_META if parser.meta.get(k)), None) \
        or parser.h1 or parser.title
    if title and body and not body.startswith(title):
        body = title + "\n" + body
    published = next((parser.meta[k] for k in _DATE_META if parser.meta.get(k)), None) \
        or parser.time
    match = _ISO_DATE.search(published or "")
    published = iso_date(match[1], match[2], match[3]) if match else None     # None for 2023-13-45
    publisher = next((parser.meta[k] for k in _PUBLISHER_META if parser.meta.get(k)), None)
    return Page(text=body, title=title, publisher=publisher, published=published)


class _ArticleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self.h1: str | None = None
        self.time: str | None = None
        self.body_chunks: list[str] = []
        self.article_chunks: list[str] = []
        self._skip_depth = 0
        self._article_depth = 0
        self._in_title = self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (attr.get("property") or attr.get("name") or attr.get("itemprop") or "").lower()
            if key and attr.get("content"):
                self.meta.setdefault(key, attr["content"].strip())
            return
        if tag == "time" and attr.get("datetime") and self.time is None:
            self.time = attr["datetime"]
        if tag in _VOID:
            if tag == "br":
                self._emit("\n")
            return
        if tag == "title":
            self._in_title = True
        if tag in _SKIP:
            self._skip_depth += 1
        if tag == "article":
            self._article_depth += 1
        if tag == "h1":
            self._in_h1 = True
        if tag in _BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP and self._skip_depth:
            self._skip_depth -= 1
        if tag == "article" and self._article_depth:
            self._article_depth -= 1
        if tag == "h1":
            self._in_h1 = False
        if tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title and self.title is None:
            self.title = data.strip() or None
        if self._skip_depth:
            return
        if self._in_h1 and self.h1 is None and data.strip():
            self.h1 = data.strip()
        self._emit(data)

    def _emit(self, data: str) -> None:
        if self._skip_depth:
            return
        self.body_chunks.append(data)
        if self._article_depth:
            self.article_chunks.append(data)
