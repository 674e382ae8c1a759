"""Measure story grouping on spun copies: precision and recall at each spin rate.

    python tests/stories_report.py [--rates 0.2 0.4 ...] [--copies N] [--no-originals] [--heavy]

For every spin rate the corpus holds the held-out articles (the bundled article,
tests/data/heldout/ and heldout2/), the unrelated articles of tests/data/stories/ (other
stories about the same companies: Meta, NVIDIA, OpenAI, Tesla) and `copies` spun copies of each
held-out article made by `graph.corpus.spinner` at that rate, each also reordered and shortened
(the edit levels of `EDITS`, in turn). Every article goes through the pipeline into one graph, and
`stories` groups it. Scores are over pairs of articles: a pair is right when it is grouped
together exactly when both come from the same article. Different stories grouped together are
listed by name.
"""
from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

_ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ("graph/data/meta-2023.txt", "tests/data/heldout", "tests/data/heldout2")
UNRELATED = ("tests/data/stories",)
# (share of sentences moved, share deleted, republishing note) of the copies, in turn.
EDITS = ((0.1, 0.1, False), (0.2, 0.25, True), (0.3, 0.4, False))
# --heavy: copies that keep only 40 % and 30 % of the sentences.
HEAVY_EDITS = ((0.5, 0.6, True), (0.5, 0.7, False))
RATES = (0.2, 0.4, 0.6, 0.8, 1.0)


@dataclass(frozen=True)
class Score:
    """Pairwise scores of one grouping against the truth."""
    rate: float
    articles: int
    true_pairs: int
    found_pairs: int
    right_pairs: int
    merged: tuple[tuple[str, str], ...]        # pairs of different stories grouped together

    @property
    def precision(self) -> float:
        return self.right_pairs / self.found_pairs if self.found_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.right_pairs / self.true_pairs if self.true_pairs else 1.0


def article_files(folders: tuple[str, ...]) -> list[Path]:
    """The articles under `folders` (files or folders, relative to the repository): .txt and .html."""
    found: list[Path] = []
    for name in folders:
        path = _ROOT / name
        found += sorted(p for p in path.iterdir() if p.suffix in (".txt", ".html")) if path.is_dir() else [path]
    return found


def measure(rate: float, *, copies: int = 3, originals: bool = True, edits: tuple = EDITS, seed: int = 0,
            **options) -> Score:
    """Build the spun-copy corpus for `rate` and score `stories` on it (options go to `group_articles`)."""
    from graph.corpus.spinner import spin_copy
    from graph.corpus.stories import stories
    from graph.extract.kb import load_kb
    from graph.pipeline import process
    from graph.rdf.store import CorpusStore, stored_article
    from graph.text import read_document
    from graph.text.read import read_text

    kb, store = load_kb(), CorpusStore()
    truth: dict[URIRef, str] = {}

    def add(text: str, name: str, story: str) -> None:
        article = stored_article(process(read_text(text, source=name), kb))
        store.add([article])
        truth[URIRef(article.article)] = story

    for n, path in enumerate(article_files(HELDOUT)):
        text = read_document(path).original
        if originals:
            add(text, path.name, path.name)
        for c in range(copies):
            reorder, delete, footer = edits[c % len(edits)]
            copy = spin_copy(text, rate=rate, reorder=reorder, delete=delete, footer=footer,
                             seed=seed * 10007 + n * 101 + c)
            add(copy, f"{path.name}#{c}", path.name)
    for path in article_files(UNRELATED):
        add(read_document(path).original, path.name, path.name)

    story_of = {a.iri: s.iri for s in stories(store.oxigraph, **options) for a in s.articles}
    true_pairs = found_pairs = right_pairs = 0
    merged = set()
    for x, y in itertools.combinations(sorted(truth), 2):
        same, together = truth[x] == truth[y], story_of[x] == story_of[y]
        true_pairs += same
        found_pairs += together
        right_pairs += same and together
        if together and not same:
            merged.add(tuple(sorted((truth[x], truth[y]))))
    return Score(rate, len(truth), true_pairs, found_pairs, right_pairs, tuple(sorted(merged)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tests/stories_report.py", description=__doc__.split("\n")[0])
    parser.add_argument("--rates", type=float, nargs="+", default=list(RATES), help="spin rates (default: %(default)s)")
    parser.add_argument("--copies", type=int, default=3, help="spun copies per held-out article (default: %(default)s)")
    parser.add_argument("--no-originals", action="store_true", help="leave the held-out articles themselves out")
    parser.add_argument("--heavy", action="store_true", help="copies keep only 40 %% or 30 %% of the sentences")
    parser.add_argument("--min-shared", type=float, default=None, help="try another verification threshold")
    parser.add_argument("--lsh-threshold", type=float, default=None, help="try another LSH threshold")
    args = parser.parse_args(argv)
    options = {k: v for k, v in (("min_shared", args.min_shared), ("lsh_threshold", args.lsh_threshold))
               if v is not None}
    print("rate  articles  same-story pairs  grouped pairs  precision  recall")
    for rate in args.rates:
        s = measure(rate, copies=args.copies, originals=not args.no_originals,
                    edits=HEAVY_EDITS if args.heavy else EDITS, **options)
        print(f"{rate:4.2f}  {s.articles:8}  {s.true_pairs:16}  {s.found_pairs:13}  {s.precision:9.3f}  {s.recall:6.3f}")
        for a, b in s.merged:
            print(f"      merged different stories: {a} + {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
