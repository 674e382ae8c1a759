"""Split the normalized text into sentences: at 。！？!? (with any closing quotes) and line ends.

A terminator inside quotation marks (“…。…。”) ends no sentence: a quoted passage stays in the
sentence that quotes it, so a claim keeps its whole quotation. A sentence longer than
`MAX_SENTENCE_CHARS` (a text with no full stops, an unclosed quotation mark) is cut after the
last clause mark (，；：) that keeps each piece within the limit, or at the limit where there is
none: what later stages do within a sentence then costs a bounded amount, so extraction stays
linear in the length of the text.
"""
from __future__ import annotations

import re
from dataclasses import replace

from graph.model import Document, Sentence

__all__ = ["MAX_SENTENCE_CHARS", "split_sentences"]

# News sentences run to 150 characters or so; twice that is a text that has stopped using full stops.
MAX_SENTENCE_CHARS = 300
_BOUNDARY = re.compile(r"[。！？!?]+[”’」』\"')）]*|\n+")
_CLAUSE_MARKS = "，,；;：:"


def split_sentences(doc: Document) -> Document:
    """The sentences of `doc`; blank stretches between sentences are skipped.

    Reads ``text``; writes ``sentences``, in text order, numbered from 0.

    >>> from graph.model import Document
    >>> d = split_sentences(Document(original="", text="Meta开源了PyTorch。它很快！\\n第二段"))
    >>> [d.text[s.start:s.end] for s in d.sentences]
    ['Meta开源了PyTorch。', '它很快！', '第二段']
    >>> d = split_sentences(Document(original="", text="营收1亿美元，" * 100))
    >>> len(d.sentences), max(s.end - s.start for s in d.sentences) <= MAX_SENTENCE_CHARS
    (3, True)
    """
    text = doc.text
    sentences, start = [], 0
    depth, scanned = 0, 0
    for match in _BOUNDARY.finditer(text):
        is_line_end = not match.group().strip()
        depth = max(0, depth + _quote_balance(text, scanned, match.end()))
        scanned = match.end()
        if depth and not is_line_end:
            continue        # inside a quotation
        depth = 0
        end = match.end() if not is_line_end else match.start()
        _add(sentences, text, start, end)
        start = match.end()
    _add(sentences, text, start, len(text))
    return replace(doc, sentences=tuple(sentences))


def _quote_balance(text: str, start: int, end: int) -> int:
    """Opening minus closing Chinese quotation marks in text[start:end]."""
    chunk = text[start:end]
    return chunk.count("“") + chunk.count("「") - chunk.count("”") - chunk.count("」")


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    """Add text[start:end] without its surrounding blanks, in pieces of at most MAX_SENTENCE_CHARS."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(mark, start, limit) for mark in _CLAUSE_MARKS) + 1
        cut = cut if cut > start else limit
        sentences.append(Sentence(index=len(sentences), start=start, end=cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        sentences.append(Sentence(index=len(sentences), start=start, end=end))
