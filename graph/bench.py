"""How fast extraction is, measured against the cost of plain word segmentation.

    python -m graph.bench [--min-bytes N]        (`make bench`)

Every extraction stage here is linear-time matching over the text (Aho-Corasick automata, regular
expressions, a unigram score only where a spun word is suspected), so reading an article should cost
about as much as segmenting it once with jieba, the tool a Chinese NLP pipeline would run anyway.
That is the yardstick: extraction time over `jieba.lcut` time on the same text, target <= 1.5.

One run measures, with `time.perf_counter` ((a) and (b) are taken in turn three times and the best
of each kept, so that a moment of load on a shared machine does not decide the ratio):

(a) `jieba.lcut` over a corpus of at least 1 MB (UTF-8) made of copies of the bundled article, each
    copy preceded by a counter line so no two copies are identical; a warm-up call first, so
    loading jieba's dictionary is not counted;
(b) our extraction, `graph.pipeline.process(read_text(corpus))`: normalization, sentences,
    mentions, entities, facts; no RDF. Warm: the knowledge base is loaded and one small text is
    processed first, so one-off loading (KB, lexicons, patterns, jieba) is not counted;
(c) a full warm build of the bundled article alone: `graph.build()` (reading, extraction and RDF
    mapping) plus TriG serialization, the best of three runs after (b);
(d) a cold `kg build` of the bundled article in a subprocess: wall time including interpreter
    start-up, imports and data loading, and the child's peak resident memory (ru_maxrss of
    RUSAGE_CHILDREN), i.e. what a user waits for and what it costs a small machine.

Caveat on (b): the corpus repeats one article, so caches keyed by text (the spin scorer's
per-window log-probabilities) are hit from the second copy on; new text with many spun words
runs somewhat slower than this. jieba has no such cache, so (a) is unaffected. The warm-up text
is not from the article, so the first copy is read with cold caches.
"""
from __future__ import annotations

import argparse
import logging
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Dataset

    from graph.model import Document

MIN_BYTES = 1 << 20          # 1 MiB of UTF-8
TARGET_RATIO = 1.5
# Not from the bundled article, but with numbers, dates and names in it, so that every stage loads
# what it loads lazily (cn2an, compiled patterns) before the clock starts.
_WARM_UP_TEXT = ("预热：某手艺公司2023年3月宣布裁员1.1万人，股价一年跌去四分之三，"
                 "市值蒸发超出七千亿美元，并表示将与斯坦福大学合作。\n")

ROUNDS = 3

def make_corpus(article: str, min_bytes: int = MIN_BYTES) -> tuple[str, int]:
    """Copies of `article`, each after a counter line, until the UTF-8 size reaches `min_bytes`."""
    parts, size, copies = [], 0, 0
    while size < min_bytes:
        copies += 1
        part = f"副本 {copies}\n{article.rstrip()}\n"
        parts.append(part)
        size += len(part.encode("utf-8"))
    return "".join(parts), copies


def cold_build() -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of `kg build` of the bundled article in a fresh process."""
    script = Path(sys.executable).with_name("kg")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "graph.cli"]
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        start = time.perf_counter()
        proc = subprocess.run([*command, "build", "-o", str(Path(tmp) / "meta-2023.trig"), "--quiet"],
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench: `kg build` failed ({proc.returncode}):\n{proc.stderr.strip()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, peak if sys.platform == "darwin" else peak * 1024   # Linux reports KiB


def _timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def segment_and_extract(corpus: str) -> tuple[float, list[str], float, Document]:
    """(a) and (b): the best seconds of `jieba.lcut` and of extraction over `corpus` in ROUNDS
    rounds taken in turn (the run the shared machine disturbed least), after a warm-up of
    dictionary, knowledge base, lexicons, patterns and automata; with the words and the document."""
    import jieba

    from graph.extract import load_kb
    from graph.pipeline import process
    from graph.text import read_text

    jieba.setLogLevel(logging.WARNING)
    jieba.lcut(_WARM_UP_TEXT)
    kb = load_kb()
    process(read_text(_WARM_UP_TEXT), kb)
    t_jieba = t_extract = float("inf")
    for _ in range(ROUNDS):
        elapsed, words = _timed(jieba.lcut, corpus)
        t_jieba = min(t_jieba, elapsed)
        elapsed, doc = _timed(lambda text: process(read_text(text), kb), corpus)
        t_extract = min(t_extract, elapsed)
    return t_jieba, words, t_extract, doc


def warm_build() -> tuple[float, float, float, Dataset, bytes]:
    """(c): the best of three warm builds of the bundled article with TriG serialization:
    (total, build, serialization seconds, the dataset, the TriG bytes)."""
    from graph.pipeline import build
    from graph.rdf.io import serialize

    runs = []
    for _ in range(3):
        t_build, dataset = _timed(build)
        t_serialize, data = _timed(serialize, dataset, "trig")
        runs.append((t_build + t_serialize, t_build, t_serialize, dataset, data))
    return min(runs, key=lambda run: run[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--min-bytes", type=int, default=MIN_BYTES,
                        help="corpus size in UTF-8 bytes (default: %(default)s)")
    args = parser.parse_args(argv)

    # (d) first, so RUSAGE_CHILDREN holds that one child only.
    cold_wall, cold_peak = cold_build()

    from graph.pipeline import bundled_article

    corpus, copies = make_corpus(bundled_article().original, args.min_bytes)
    print(f"corpus: {len(corpus.encode('utf-8')):,} bytes UTF-8, {len(corpus):,} characters "
          f"({copies} copies of the bundled article)")
    t_jieba, words, t_extract, doc = segment_and_extract(corpus)
    full, t_build, t_serialize, dataset, data = warm_build()

    n = len(corpus)
    print(f"(a) jieba.lcut                {t_jieba:7.2f} s  {n / t_jieba:12,.0f} chars/s  ({len(words):,} words)")
    print(f"(b) extraction (no RDF)       {t_extract:7.2f} s  {n / t_extract:12,.0f} chars/s  "
          f"({len(doc.mentions):,} mentions, {len(doc.facts):,} facts)")
    print(f"    extraction / jieba.lcut = {t_extract / t_jieba:.2f} (target <= {TARGET_RATIO})")
    print(f"(c) full build, bundled article, warm, best of 3: {full * 1000:.0f} ms "
          f"(build {t_build * 1000:.0f} ms + TriG serialization {t_serialize * 1000:.0f} ms; "
          f"{sum(1 for _ in dataset.quads()):,} triples, {len(data):,} bytes)")
    print(f"(d) cold `kg build`, bundled article: {cold_wall:.2f} s wall, "
          f"peak memory {cold_peak / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
