"""How corpus builds scale: folders of articles into a store, next to plain jieba on the same text.

    python tests/bench_corpus.py [--sizes 1000 5000 10000] [--jobs 2]      (`make bench`)

One run measures, for each corpus size N (articles of 2-6 KB made from real paragraphs: the
bundled article's and the held-out articles', shuffled with a fixed seed, each article after a
numbered headline so no two are alike):

- `kg build DIR --store S --jobs J` in a fresh process: wall time, CPU time (the writer and its
  workers: on a busy 2-core machine the wall time cannot fall below half of it), and peak memory
  of the whole process tree (summed, sampled every 0.2 s);
- `jieba.lcut` of the concatenation of the same articles, in a fresh process (dictionary load
  included, as it is for `kg build`): the yardstick, so the ratio holds on a busy machine;
- the re-run of `kg build` on the unchanged folder;

then the CPU time of each part of the work per article, in one process (extraction, mapping to
N-Quads and the entity index's rows, the store's write, and jieba on the same text): CPU time is what a shared machine's load
changes least, so this says where the time goes when the wall clock is noisy; then, on the
largest store, every ready question's median time (Oxigraph, the store opened read-only, in this
process; 5 runs, 1 for a question slower than a second), as built, again after
`kg build --compact`, and as `kg ask` answers (kept answers, the entity index), and one 1 MB article (the bundled article repeated) built whole-process
to N-Quads next to `jieba.lcut` of it.
"""
from __future__ import annotations

import argparse
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from graph.ingest import WRITE_BATCH
from graph.pipeline import bundled_path

_SOURCES = ("tests/data/heldout", "tests/data/heldout2", "tests/data/heldout3")
_JIEBA = "import sys, jieba, logging; jieba.setLogLevel(logging.WARNING); jieba.lcut(open(sys.argv[1], encoding='utf-8').read())"


def paragraphs() -> list[str]:
    """Real paragraphs of the genre: the bundled article's and the held-out articles' (text only)."""
    from graph.text import read_document

    repo = Path(__file__).resolve().parents[1]
    files = [bundled_path()] + sorted(p for d in _SOURCES if (repo / d).is_dir()
                                      for p in (repo / d).iterdir() if p.suffix in (".txt", ".html"))
    found = []
    for f in files:
        text = read_document(f).original
        found += [line.strip() for line in text.split("\n") if len(line.strip()) >= 30]
    return found


def make_corpus(folder: Path, n: int, seed: int = 7) -> int:
    """Write `n` articles of 2-6 KB into `folder` (100 a subfolder); return their total bytes."""
    rng = random.Random(seed)
    pool = paragraphs()
    total = 0
    for i in range(n):
        target = rng.randint(2000, 6000)
        parts, size = [f"第{i}号快讯：科技公司动态汇总"], 0
        while size < target:
            parts.append(rng.choice(pool))
            size += len(parts[-1].encode("utf-8"))
        path = folder / f"{i // 100:03d}" / f"article-{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = "\n".join(parts).encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def run_measured(command: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (bytes, the process and its descendants summed) and CPU seconds
    (user + system, of the process and the descendants it waited for: a build's workers) of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command[:4])}… failed ({proc.returncode}):\n{err.strip()[-2000:]}")
    return wall, peak[0], (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _tree_rss(root: int) -> int:
    """Resident memory of `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


def _kg() -> list[str]:
    script = Path(sys.executable).with_name("kg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "graph.cli"]


def question_times(store_path: Path, runs: int = 5, kept: bool = False) -> Iterator[tuple[str, float, int]]:
    """Median seconds and row count of every ready question on the store, one question at a time
    in one process (a question slower than a second is run once): asked of the store (Oxigraph,
    read-only), or (`kept`) as `kg ask` answers, from the answers kept at build time."""
    from graph.query.kept import answer_on_store
    from graph.query.questions import ask, questions
    from graph.rdf.store import open_store

    store = open_store(store_path, read_only=True).oxigraph
    params = {"entity-figures": {"entity": "Meta"}, "evidence": {"entity": "Meta"},
              "events-between": {"from": "2023-01-01", "to": "2023-06-30"}}
    for name in questions():
        times, rows = [], 0
        while len(times) < runs and (not times or times[0] < 1.0):
            start = time.perf_counter()
            answer = answer_on_store(store_path, name, params=params.get(name)) if kept else \
                ask(store, name, params=params.get(name))
            rows = len(answer.rows)
            times.append(time.perf_counter() - start)
        yield name, statistics.median(times), rows


def cpu_per_article(folder: Path, count: int = 256) -> dict[str, float]:
    """CPU milliseconds per article of each part of a build, and of jieba.lcut, in this process."""
    import jieba

    from graph.extract import load_kb
    from graph.pipeline import process
    from graph.rdf.entity_index import entity_rows
    from graph.rdf.store import open_store, stored_article
    from graph.text import read_text

    files = sorted(folder.rglob("*.txt"))[:count]
    texts, kb = [f.read_bytes() for f in files], load_kb()
    process(read_text(texts[0], source="warm-up"), kb)         # lazy loads are no per-article cost
    jieba.setLogLevel(logging.WARNING)
    jieba.lcut("预热")
    spent = {}
    start = time.process_time()
    docs = [process(read_text(data, source=f.name), kb) for data, f in zip(texts, files)]
    spent["extraction"], start = time.process_time() - start, time.process_time()
    articles = [stored_article(doc, str(f), "0") for doc, f in zip(docs, files)]
    spent["mapping"], start = time.process_time() - start, time.process_time()
    for doc, a in zip(docs, articles):
        entity_rows(doc, a.article)
    spent["of which the entity index"] = time.process_time() - start
    with tempfile.TemporaryDirectory(prefix="kg-bench-cpu-") as tmp:
        store = open_store(Path(tmp) / "store", create=True)
        start = time.process_time()
        for i in range(0, len(articles), WRITE_BATCH):
            store.add(articles[i:i + WRITE_BATCH])
        store.flush()
        spent["store write"] = time.process_time() - start
        del store
    start = time.process_time()
    jieba.lcut("\n".join(data.decode("utf-8") for data in texts))
    spent["jieba.lcut"] = time.process_time() - start
    return {part: 1000 * seconds / len(files) for part, seconds in spent.items()}


def build_row(kg: list[str], tmp: Path, n: int, jobs: int) -> tuple[str, Path]:
    """One line of the build table for a corpus of `n` articles (made in `tmp`), and its folder."""
    folder = tmp / f"corpus-{n}"
    size = make_corpus(folder, n)
    joined = tmp / f"joined-{n}.txt"
    joined.write_bytes(b"\n".join(p.read_bytes() for p in sorted(folder.rglob("*.txt"))))
    store = tmp / f"store-{n}"
    wall, peak, cpu = run_measured([*kg, "build", str(folder), "--store", str(store), "--jobs", str(jobs), "--quiet"])
    t_jieba, _, _ = run_measured([sys.executable, "-c", _JIEBA, str(joined)])
    again, _, _ = run_measured([*kg, "build", str(folder), "--store", str(store), "--quiet"])
    joined.unlink()
    stats = subprocess.run([*kg, "stats", str(store)], capture_output=True, text=True).stdout.split("\n")[:2]
    return (f"{n:>8} {size / 1e6:>6.1f} {wall:>8.1f} {t_jieba:>8.1f} {wall / t_jieba:>6.2f} "
            f"{cpu:>7.0f} {1000 * cpu / n:>6.1f} "
            f"{peak / 2**20:>9.0f} {again:>8.1f} {100 * again / wall:>7.1f}%  "
            f"{' '.join(' '.join(line.split()) for line in stats)}"), folder


def one_megabyte_row(kg: list[str], tmp: Path) -> str:
    """The bundled article repeated to 1 MB, built whole-process, next to jieba.lcut of it."""
    one_mb = tmp / "one-mb.txt"
    article = bundled_path().read_text(encoding="utf-8")
    one_mb.write_text("\n".join(f"副本 {i}\n{article}" for i in range(1 + (1 << 20) // len(article.encode()))),
                      encoding="utf-8")
    wall, peak, cpu = run_measured([*kg, "build", str(one_mb), "-o", str(tmp / "one-mb.nq"), "--quiet"])
    t_jieba, _, _ = run_measured([sys.executable, "-c", _JIEBA, str(one_mb)])
    return (f"one 1 MB article, whole process: kg build {wall:.1f} s (CPU {cpu:.1f} s, peak {peak / 2**20:.0f} MiB), "
            f"jieba.lcut {t_jieba:.1f} s, ratio {wall / t_jieba:.2f} (target <= 2)")


def questions_table(kg: list[str], store: Path, folder: Path, n: int) -> None:
    """Every ready question's median time on the store: asked as built, asked after
    `kg build --compact`, and as `kg ask` answers it (kept answers, else asked)."""
    as_built = list(question_times(store))
    compacting, _, _ = run_measured([*kg, "build", str(folder), "--store", str(store), "--compact", "--quiet"])
    print(f"\nready questions on the {n}-article store (median of 5 in one process, 1 run when over 1 s): "
          f"asked as built, asked after --compact ({compacting:.1f} s), and by kg ask (kept answers):")
    for (name, seconds, rows), (_, compacted, _), (_, kept, _) in zip(
            as_built, question_times(store), question_times(store, kept=True)):
        print(f"  {name:16} {seconds * 1000:8.1f} ms {compacted * 1000:8.1f} ms {kept * 1000:8.1f} ms  {rows:6} rows",
              flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tests/bench_corpus.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    kg = _kg()
    with tempfile.TemporaryDirectory(prefix="kg-bench-corpus-") as tmp:
        tmp = Path(tmp)
        print(f"{'articles':>8} {'MB':>6} {'build s':>8} {'jieba s':>8} {'ratio':>6} {'CPU s':>7} {'ms/art':>6} "
              f"{'peak MiB':>9} "
              f"{'re-run s':>8} {'re-run %':>8}  store", flush=True)
        for n in args.sizes:
            row, folder = build_row(kg, tmp, n, args.jobs)
            print(row, flush=True)
        cpu = cpu_per_article(folder)
        ours = sum(ms for part, ms in cpu.items() if part not in ("jieba.lcut", "of which the entity index"))
        print("\nCPU ms per article, one process: " + ", ".join(f"{part} {ms:.1f}" for part, ms in cpu.items())
              + f"; ours / jieba {ours / cpu['jieba.lcut']:.2f}", flush=True)
        # the smallest store is the target's "1M-triple store"; the largest shows how times grow
        for n in sorted({args.sizes[0], args.sizes[-1]}):
            questions_table(kg, tmp / f"store-{n}", tmp / f"corpus-{n}", n)
        print("\n" + one_megabyte_row(kg, tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
