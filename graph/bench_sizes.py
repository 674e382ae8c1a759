"""How extraction scales with the size of one input: `python -m graph.bench_sizes [--sizes MB ...]`.

Times `graph.pipeline.process` (every extraction stage, no RDF) on texts of 1, 5 and 20 MB made
by repeating the bundled article, once with its line breaks and once with none (one paragraph,
as a scraped page can be). Each case runs in a fresh interpreter, after the data files and
jieba's dictionary are loaded, so that its peak memory is its own. CPU seconds are shown beside
wall-clock seconds: on a shared machine they are the steadier figure. Extraction is linear in the
length of the text: seconds per MB should stay about the same from row to row, and a 5 MB file
with no line breaks should take well under a minute.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from graph.pipeline import bundled_article, process
from graph.text import read_text

__all__ = ["SIZES", "generated_text", "measure"]

SIZES = (1.0, 5.0, 20.0)       # MB (10**6 bytes of UTF-8)
KINDS = ("lines", "flat")


def generated_text(megabytes: float, kind: str) -> str:
    """The bundled article repeated to `megabytes` of UTF-8: with its line breaks ("lines") or none ("flat").

    >>> text = generated_text(0.1, "flat")
    >>> "\\n" in text, 100_000 <= len(text.encode("utf-8")) < 140_000
    (False, True)
    """
    article = bundled_article().original
    unit = article if kind == "lines" else article.replace("\n", "")
    size = len(unit.encode("utf-8"))
    return unit * -(-int(megabytes * 1e6) // size)


def measure(megabytes: float, kind: str) -> dict:
    """Time the pipeline on one generated text; peak memory is this process's (ru_maxrss).

    Returns
    -------
    dict
        ``megabytes``, ``kind``, ``chars``, ``seconds`` (wall clock, one run: the input is
        large), ``cpu_seconds``, ``facts`` and ``peak_mib``.
    """
    process(bundled_article())          # data files, jieba's dictionary, compiled patterns
    text = generated_text(megabytes, kind)
    doc = read_text(text.encode("utf-8"))
    start, cpu = time.perf_counter(), time.process_time()
    doc = process(doc)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"megabytes": megabytes, "kind": kind, "chars": len(text), "seconds": seconds, "cpu_seconds": cpu,
            "facts": len(doc.facts), "peak_mib": peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.bench_sizes", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=list(SIZES), metavar="MB", help="input sizes")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS),
                        help="with line breaks (lines) or with none (flat)")
    parser.add_argument("--one", nargs=2, metavar=("MB", "KIND"), help=argparse.SUPPRESS)   # a child run
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(float(args.one[0]), args.one[1])))
        return 0
    print(f"{'MB':>5} {'kind':>5} {'chars':>11} {'seconds':>8} {'cpu s':>7} {'cpu s/MB':>8} {'facts':>7} {'peak MiB':>9}")
    for kind in args.kinds:
        for mb in args.sizes:
            child = subprocess.run([sys.executable, "-m", "graph.bench_sizes", "--one", str(mb), kind],
                                   capture_output=True, text=True, check=True)
            r = json.loads(child.stdout)
            print(f"{mb:>5g} {kind:>5} {r['chars']:>11,} {r['seconds']:>8.1f} {r['cpu_seconds']:>7.1f} "
                  f"{r['cpu_seconds'] / mb:>8.1f} {r['facts']:>7,} {r['peak_mib']:>9,.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
