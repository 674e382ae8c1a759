"""Articles that tell the same story: copies, spun copies and lightly edited copies of one report.

Two steps (`group_articles`):

1. Candidates. Each article's reading (its sentences as the pipeline restored them) is folded
   (NFKC, lower case, letters and digits only) and cut into character shingles of
   `shingle` characters; a MinHash of each set goes into datasketch's MinHashLSH, which
   proposes the pairs whose estimated Jaccard similarity is likely above `lsh_threshold`.
2. Verification, sentence by sentence. A candidate pair tells one story when at least
   `min_shared` of the shorter article's sentences have a near-copy in the other (character
   trigram Jaccard >= `sentence_similarity`). Sentence matching ignores order, survives
   spun words and measures deletions against the shorter copy, which whole-text
   similarity cannot.

Stories are the connected components of the verified pairs. The defaults were chosen on the
spun-copy corpus of `tests/stories_report.py` (README, "Stories and conflicts").

    >>> import graph
    >>> [(len(s.articles), s.original) for s in stories(graph.build())]
    [(1, None)]
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.corpus.read import Article, articles, as_store

__all__ = ["Story", "group_articles", "sentence_overlap", "stories"]

_SENTENCE = re.compile(r"[^。！？!?；;\n]+")
_MIN_SENTENCE = 8          # folded characters; shorter pieces (datelines, headings) are not compared


@dataclass(frozen=True)
class Story:
    """One story and the articles that tell it, earliest first (by publication date, then IRI).

    `original` is the earliest copy when the dates tell: the one article dated before every
    other dated copy; None when no date or a tie leaves it open. `derived` are the copies
    dated after it.
    """
    iri: URIRef
    articles: tuple[Article, ...]
    original: Article | None = None

    @property
    def derived(self) -> tuple[Article, ...]:
        if self.original is None:
            return ()
        return tuple(a for a in self.articles if a.published and a.published > self.original.published)


def stories(g: Graph | ox.Store, **options) -> tuple[Story, ...]:
    """The stories of the articles of `g`, largest first; every article is in exactly one.

    Parameters
    ----------
    g : rdflib Dataset or Graph, or pyoxigraph Store
        The corpus, read through SPARQL.
    **options
        Passed to `group_articles`.

    Notes
    -----
    Reads every sentence once; see `group_articles` for the cost of the grouping.
    """
    from graph.corpus.mapping import story_iri      # mapping reads what this module finds: import at call time

    found = []
    for group in group_articles(articles(as_store(g)), **options):
        ordered = tuple(sorted(group, key=lambda a: (a.published or "9999", str(a.iri))))
        found.append(Story(story_iri(ordered[0].iri), ordered, _original(ordered)))
    return tuple(sorted(found, key=lambda s: (-len(s.articles), str(s.iri))))


def group_articles(items: Sequence[Article], *, shingle: int = 5, num_perm: int = 256, lsh_threshold: float = 0.1,
                   sentence_similarity: float = 0.5, min_shared: float = 0.2) -> list[list[Article]]:
    """Group articles that tell the same story (each article in one group, singletons included).

    Parameters
    ----------
    items : sequence of Article
        The articles; only their `text` is read.
    shingle : int
        Characters per shingle for MinHash.
    num_perm : int
        MinHash permutations.
    lsh_threshold : float
        The Jaccard similarity MinHashLSH is tuned for: pairs above it are very likely proposed.
    sentence_similarity : float
        Character-trigram Jaccard at which two sentences count as copies of each other.
    min_shared : float
        The share of the shorter article's sentences that must have a copy in the other.

    Returns
    -------
    list of lists of Article
        Groups in the order of their first article in `items`.

    Examples
    --------
    >>> a = Article(URIRef("doc:a"), "", None, "Meta宣布裁员一万一千人。扎克伯格说今年是效率之年。股价随后上涨。")
    >>> b = Article(URIRef("doc:b"), "", None, "扎克伯格说今年是效率之年。Meta宣布裁员一万一千人。")
    >>> c = Article(URIRef("doc:c"), "", None, "英伟达市值突破一万亿美元。黄仁勋表示需求旺盛。")
    >>> [[x.iri for x in group] for group in group_articles([a, b, c])]
    [[rdflib.term.URIRef('doc:a'), rdflib.term.URIRef('doc:b')], [rdflib.term.URIRef('doc:c')]]

    Notes
    -----
    MinHash is linear in the text; LSH queries are close to constant per article; each proposed
    pair costs a sentence-by-sentence comparison (product of the two sentence counts).
    """
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=num_perm)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sentences = [_sentences(a.text) for a in items]
    for i, article in enumerate(items):
        shingles = _shingles(_fold(article.text), shingle)
        if not shingles:
            continue
        signature = MinHash(num_perm=num_perm)
        signature.update_batch([s.encode("utf-8") for s in sorted(shingles)])
        for j in sorted(lsh.query(signature)):
            if find(i) != find(j) and sentence_overlap(sentences[i], sentences[j], sentence_similarity) >= min_shared:
                parent[find(i)] = find(j)
        lsh.insert(i, signature)
    groups: dict[int, list[Article]] = {}
    for i, article in enumerate(items):
        groups.setdefault(find(i), []).append(article)
    return list(groups.values())


def sentence_overlap(a: Sequence[frozenset[str]], b: Sequence[frozenset[str]], similarity: float = 0.5) -> float:
    """The share of the shorter list's sentences (trigram sets) that have a copy in the other.

    >>> one = _sentences("Meta宣布裁员一万一千人。扎克伯格说今年是效率之年。")
    >>> two = _sentences("扎克伯格表示今年是效率之年。")
    >>> sentence_overlap(one, two), sentence_overlap(one, _sentences("英伟达市值突破一万亿美元。"))
    (1.0, 0.0)
    """
    if len(a) > len(b):
        a, b = b, a
    if not a:
        return 0.0
    copied = sum(1 for s in a if any(len(s & t) >= similarity * len(s | t) for t in b))
    return copied / len(a)


def _original(ordered: tuple[Article, ...]) -> Article | None:
    dated = [a for a in ordered if a.published]
    if len(dated) < 2 or dated[0].published == dated[1].published:
        return None
    return dated[0]


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if unicodedata.category(c)[0] in "LN")


def _shingles(text: str, k: int) -> set[str]:
    return {text[i:i + k] for i in range(len(text) - k + 1)}


def _sentences(text: str) -> list[frozenset[str]]:
    folded = (_fold(s) for s in _SENTENCE.findall(text))
    return [frozenset(_shingles(s, 3)) for s in folded if len(s) >= _MIN_SENTENCE]
