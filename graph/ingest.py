"""Corpus builds: many files -> extraction in worker processes (or on a Dask cluster) -> one writer.

    kg build DIR|FILES… [--store PATH] [--jobs N] [--dask ADDRESS] [--from-list FILE]

Workers run the whole per-article pipeline (`graph.pipeline.process`, then the article's quads,
serialized as N-Quads by pyoxigraph) and send back bytes; the one writer loads them into an
Oxigraph store in transactions of a few articles (`graph.rdf.store.CorpusStore`). With
`--store`, the store persists: a re-run reads only files that are new or changed. Without it,
the store lives in memory and is written to one file at the end.

The store's contents do not depend on the number of workers or on the order results arrive:
every graph is a set of quads and entity descriptions merge with order-free rules.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError, KGError
from graph.rdf.store import CorpusStore, StoredArticle, stored_article
from graph.text.read import MAX_SIZE

__all__ = ["ARTICLE_SUFFIXES", "BuildReport", "Failure", "build_corpus", "extract_article", "list_inputs"]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
WRITE_BATCH = 128           # articles per bulk load: bigger loads cost less a quad (CPU: 23 ms an article at 32, 16 at 128)
WRITE_EVERY = 5.0           # seconds at most between writes, so that a slow build keeps what it did
_PROGRESS_EVERY = 10.0      # seconds between progress lines when stderr is not a terminal


@dataclass(frozen=True)
class Failure:
    """A file that could not be built, and why (one line)."""
    source: str
    message: str


@dataclass(frozen=True)
class BuildReport:
    """What a corpus build did."""
    inputs: int                 # files given (after expanding folders)
    built: int                  # articles extracted and written
    unchanged: int              # files the store already held as they are
    failures: tuple[Failure, ...]
    articles: int               # articles in the store afterwards
    quads: int
    entities: int
    seconds: float

    def summary(self) -> str:
        return (f"articles {self.articles} (built {self.built}, unchanged {self.unchanged}, "
                f"failed {len(self.failures)}), triples {self.quads}, entities {self.entities}, "
                f"{self.seconds:.1f} s")


# ---------------------------------------------------------------- inputs


def list_inputs(inputs: Iterable[str | Path], from_list: str | None = None) -> list[str]:
    """The article files named by `inputs` (folders read recursively) and by a list file (`-`: stdin).

    Paths are absolute and sorted, each once. A missing path is an InputError; a folder with no
    article in it is one too.
    """
    named = [str(p) for p in inputs]
    if from_list is not None:
        try:
            text = sys.stdin.read() if from_list == "-" else Path(from_list).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{from_list}: cannot read the list of files ({exc})") from None
        named += [line.strip() for line in text.splitlines() if line.strip()]
    found: set[str] = set()
    for name in named:
        path = Path(name)
        if path.is_dir():
            articles = [p for p in path.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file()]
            if not articles:
                raise InputError(f"{path}: no article files (.txt, .html, .htm) in this folder")
            found.update(str(p.resolve()) for p in articles)
        elif path.exists():
            found.add(str(path.resolve()))
        else:
            raise InputError(f"{path}: no such file")
    return sorted(found)


# ---------------------------------------------------------------- the worker's job


def extract_article(source: str, data: bytes | None = None, kb_files: tuple[str, ...] = (),
                    repair_spin: bool = True, max_size: int = MAX_SIZE) -> StoredArticle | Failure:
    """Read, extract and map one article; a bad file is a Failure, not an exception.

    `data` is the file's bytes when the caller read them (a Dask client sends bytes, since a
    cluster's workers may not see its files); otherwise the file is read here.
    """
    from graph.extract import load_kb
    from graph.pipeline import process
    from graph.text import read_text
    from graph.text.read import read_bytes

    try:
        if data is None:
            data = read_bytes(source, max_size)
        doc = process(read_text(data, source=Path(source).name), load_kb(kb_files), repair_spin=repair_spin)
        return stored_article(doc, source, hashlib.sha256(data).hexdigest())
    except KGError as exc:
        return Failure(source, str(exc))


def _file_hash(path: str) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


# ---------------------------------------------------------------- the build


def build_corpus(paths: list[str], store: CorpusStore, *, jobs: int | None = None, dask: str | None = None,
                 kb_files: tuple[str, ...] = (), repair_spin: bool = True, max_size: int = MAX_SIZE,
                 on_failure: Callable[[Failure], None] | None = None, progress: bool | None = None) -> BuildReport:
    """Extract `paths` into `store`, skipping files it already holds unchanged.

    Parameters
    ----------
    jobs : int, optional
        Worker processes (default: all cores). 1 runs in this process.
    dask : str, optional
        The address of a Dask scheduler (tcp://host:8786): extraction runs as tasks there.
    on_failure : callable, optional
        Called with each Failure as it happens (the CLI prints one line).
    progress : bool, optional
        A progress bar (on a terminal) or periodic lines on stderr; default: when stderr is a terminal
        or the build has more than one file.

    Examples
    --------
    >>> import graph, tempfile
    >>> from graph.rdf.store import CorpusStore
    >>> path = str(graph.pipeline.bundled_path())
    >>> report = build_corpus([path], CorpusStore(), jobs=1, progress=False)
    >>> report.built, report.failures, report.articles
    (1, (), 1)
    """
    started = time.perf_counter()
    recorded = store.sources()
    todo, unchanged = [], 0
    for path in paths:
        if path in recorded and recorded[path][0] == _file_hash(path):
            unchanged += 1
        else:
            todo.append(path)
    failures: list[Failure] = []
    built = 0
    show = _Progress(len(todo), enabled=progress if progress is not None else len(todo) > 1)
    batch: list[StoredArticle] = []
    written = time.perf_counter()
    try:
        for result in _results(todo, jobs=jobs, dask=dask, kb_files=kb_files, repair_spin=repair_spin,
                               max_size=max_size):
            if isinstance(result, Failure):
                failures.append(result)
                if on_failure:
                    on_failure(result)
            else:
                batch.append(result)
                built += 1
            if len(batch) >= WRITE_BATCH or (batch and time.perf_counter() - written >= WRITE_EVERY):
                store.add(batch)
                batch, written = [], time.perf_counter()
            show.update(len(failures))
        if batch:
            store.add(batch)
    finally:
        show.close()
        store.flush()
    if store.path is not None:
        from graph.query.kept import keep_answers

        keep_answers(store)
    articles, quads, entities = store.counts()
    return BuildReport(len(paths), built, unchanged, tuple(failures), articles, quads, entities,
                       time.perf_counter() - started)


def _results(paths: list[str], *, jobs: int | None, dask: str | None, kb_files: tuple[str, ...],
             repair_spin: bool, max_size: int) -> Iterator[StoredArticle | Failure]:
    """Extraction results in the order of `paths`, from this process, worker processes or Dask."""
    if dask:
        yield from _dask_results(paths, dask, kb_files, repair_spin, max_size)
        return
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(paths) <= 1:
        from graph.extract import load_kb

        load_kb(kb_files)       # a bad KB file fails here, once, not per article
        for path in paths:
            yield extract_article(path, kb_files=kb_files, repair_spin=repair_spin, max_size=max_size)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm_worker, initargs=(kb_files,)) as pool:
        submitted = (pool.submit(_extract_in_worker, path, kb_files, repair_spin, max_size) for path in paths)
        try:
            # room for two batches, so that the workers go on while the writer loads one
            yield from _in_order(submitted, 2 * WRITE_BATCH + 8 * jobs)
        except BrokenProcessPool:
            raise KGError("a worker process died (out of memory?); what was written is kept, "
                          "re-run the same command to finish") from None


def _warm_worker(kb_files: tuple[str, ...]) -> None:
    from graph.extract import load_kb

    load_kb(kb_files)


def _extract_in_worker(path: str, kb_files: tuple[str, ...], repair_spin: bool,
                       max_size: int) -> StoredArticle | Failure:
    return extract_article(path, kb_files=kb_files, repair_spin=repair_spin, max_size=max_size)


def _dask_results(paths: list[str], address: str, kb_files: tuple[str, ...], repair_spin: bool,
                  max_size: int) -> Iterator[StoredArticle | Failure]:
    """Extraction as Dask tasks: the client reads each file and sends its bytes; a window of
    tasks in flight bounds memory; results come back in order."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise KGError("--dask needs dask.distributed: pip install 'cn-news-kg[dask]'") from None
    from graph.text.read import read_bytes

    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise KGError(f"cannot reach the Dask scheduler at {address} ({' '.join(str(exc).split())[:200]})") from None

    def submitted() -> Iterator:
        for path in paths:
            try:
                yield client.submit(extract_article, path, read_bytes(path, max_size), kb_files, repair_spin,
                                    pure=False)
            except KGError as exc:
                yield Failure(path, str(exc))

    with client:
        yield from _in_order(submitted(), max(8, 4 * sum(client.nthreads().values())))


def _in_order(submitted: Iterator, window: int) -> Iterator[StoredArticle | Failure]:
    """The results of tasks (futures, or Failures known before submitting) in the order they were
    submitted, with at most `window` in flight: when the writer falls behind, the workers wait
    instead of piling results up in memory, so a build's memory does not grow with its length."""
    in_flight: deque = deque()
    try:
        for task in submitted:
            in_flight.append(task)
            if len(in_flight) >= window:
                yield _outcome(in_flight.popleft())
        while in_flight:
            yield _outcome(in_flight.popleft())
    finally:
        for task in in_flight:      # a build that stops early (an error, Ctrl-C) leaves no work queued
            if not isinstance(task, Failure):
                task.cancel()


def _outcome(item) -> StoredArticle | Failure:
    return item if isinstance(item, Failure) else item.result()


class _Progress:
    """A bar on a terminal (tqdm), plain lines every few seconds otherwise, nothing when disabled."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.enabled = total, 0, enabled and total > 0
        self.started = self.last = time.perf_counter()
        self.bar = None
        if self.enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="article", file=sys.stderr, smoothing=0.1)

    def update(self, failures: int) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.set_postfix(failed=failures, refresh=False)
            self.bar.update(1)
            return
        now = time.perf_counter()
        if now - self.last >= _PROGRESS_EVERY or self.done == self.total:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            eta = (self.total - self.done) / rate if rate else 0
            print(f"kg build: {self.done}/{self.total} articles, {rate:.1f}/s, {failures} failed, "
                  f"eta {eta:.0f} s", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
