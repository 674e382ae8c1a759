"""Split the normalized text into sentences: at 。！？!? (with any closing quotes) and line ends.

A terminator inside quotation marks (“…。…。”) ends no sentence: a quoted passage stays in the
sentence that quotes it, so a claim keeps its whole quotation.
"""
from __future__ import annotations

import re
from dataclasses import replace

from graph.model import Document, Sentence

_BOUNDARY = re.compile(r"[。！？!?]+[”’」』\"')）]*|\n+")


def split_sentences(doc: Document) -> Document:
    """Return `doc` with `sentences` set; blank stretches between sentences are skipped.

    >>> from graph.model import Document
    >>> d = split_sentences(Document(original="", text="Meta开源了PyTorch。它很快！\\n第二段"))
    >>> [d.text[s.start:s.end] for s in d.sentences]
    ['Meta开源了PyTorch。', '它很快！', '第二段']
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
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(index=len(sentences), start=start, end=end))
