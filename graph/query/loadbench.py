"""How `kg serve` holds up under many clients: a bounded load test on 127.0.0.1 only.

    python -m graph.query.loadbench [--clients 200] [--requests 20]        (`make bench`)

Starts `kg serve` on the bundled article (a free port on 127.0.0.1, default limits), sends a
few requests to warm it, takes the resident memory of the server and its worker processes,
then runs CLIENTS concurrent clients that each send REQUESTS queries one after another, each
on a new connection as SPARQLWrapper and urllib do (four small queries in turn: SELECT, ASK, a
join, CONSTRUCT). It reports the latency of every answer (median, p99, max), the status codes,
the errors (anything but 200 and an explicit 503 with Retry-After: refused or reset
connections, timeouts, other codes) and the memory again after the run.

Targets: p99 under 1 s; no errors (503s are the endpoint saying "busy, retry after 1 s", the
answer it owes a client when its queue is full); memory after within 10 % of before.

Bounded: CLIENTS x REQUESTS requests (4,000 by default), each given up to 30 s, the whole run
at most 10 minutes; the clients run in one asyncio loop. Memory is read from /proc (Linux).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

CLIENTS, REQUESTS = 200, 20
REQUEST_TIMEOUT = 30.0          # seconds for one request
RUN_TIMEOUT = 600.0             # seconds for the whole run
TARGET_P99 = 1.0                # seconds
TARGET_MEMORY = 0.10            # growth, as a fraction of the memory before
QUERIES = (
    ("application/sparql-results+json", "SELECT ?org WHERE { id:yann-lecun kg:worksFor ?org } ORDER BY ?org"),
    ("application/sparql-results+json", "ASK { id:llama kg:developer id:meta }"),
    ("text/csv", "SELECT ?model ?label WHERE { ?model kg:isBasedOn id:llama ; rdfs:label ?label }"),
    ("text/turtle", "CONSTRUCT { ?m kg:isBasedOn ?b } WHERE { ?m kg:isBasedOn ?b }"),
)


@dataclass
class Tally:
    """What the clients saw: latencies of answers (seconds) by status, status codes, errors by kind."""
    latencies: dict[int, list[float]] = field(default_factory=lambda: {200: [], 503: []})
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.query.loadbench", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent clients (default: %(default)s)")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per client (default: %(default)s)")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 1000 and 1 <= args.requests <= 1000):
        parser.error("--clients and --requests: from 1 to 1000")
    with tempfile.TemporaryDirectory(prefix="kg-loadbench-") as folder, _Endpoint(Path(folder)) as (proc, port):
        asyncio.run(_run(port, clients=5, requests=4, tally=Tally()))      # warm every worker
        before = resident_memory(proc.pid)
        tally = Tally()
        started = time.monotonic()
        asyncio.run(asyncio.wait_for(_run(port, args.clients, args.requests, tally), RUN_TIMEOUT))
        elapsed = time.monotonic() - started
        after = resident_memory(proc.pid)
    print(report(tally, args.clients, args.requests, elapsed, before, after))
    return 0


def report(tally: Tally, clients: int, requests: int, elapsed: float, before: int, after: int) -> str:
    """The run in a few lines, each target marked met or MISSED."""
    answered = sorted(tally.latencies[200] + tally.latencies[503])
    p99 = _percentile(answered, 0.99)
    errors = sum(tally.errors.values())
    growth = (after - before) / before
    statuses = "   ".join(f"{code}: {n:,}" for code, n in sorted(tally.statuses.items()))
    return "\n".join([
        f"kg serve load test: {clients} clients x {requests} requests on 127.0.0.1, a new connection each",
        f"  answered  {len(answered):,}/{clients * requests:,} in {elapsed:.1f} s ({len(answered) / elapsed:,.0f} requests/s)",
        f"  latency   {_spread(answered)}   (p99 < {TARGET_P99:g} s: {_mark(p99 < TARGET_P99)})",
        f"    200s    {_spread(sorted(tally.latencies[200]))}",
        f"  statuses  {statuses or 'none'}   (503 = busy, with Retry-After)",
        f"  errors    {errors}{' (' + ', '.join(f'{k}: {n}' for k, n in tally.errors.items()) + ')' if errors else ''}"
        f"   (0: {_mark(errors == 0)})",
        f"  memory    before {before / 2**20:.1f} MiB   after {after / 2**20:.1f} MiB   ({100 * growth:+.1f} %; "
        f"within {100 * TARGET_MEMORY:g} %: {_mark(growth <= TARGET_MEMORY)})",
    ])


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("inf")


def _spread(ordered: list[float]) -> str:
    """Median, p99 and max of sorted latencies, in milliseconds."""
    if not ordered:
        return "none"
    return (f"median {1000 * statistics.median(ordered):.0f} ms   p99 {1000 * _percentile(ordered, 0.99):.0f} ms   "
            f"max {1000 * ordered[-1]:.0f} ms")


def _mark(met: bool) -> str:
    return "met" if met else "MISSED"


def resident_memory(pid: int) -> int:
    """Bytes resident in memory for process `pid` and its children (the endpoint's workers)."""
    return sum(_rss(p) for p in (pid, *_children(pid)))


class _Endpoint:
    """`kg serve` of the bundled article on a free port of 127.0.0.1: (process, port); stopped on exit."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self) -> tuple[subprocess.Popen, int]:
        import graph
        from graph.rdf.io import serialize

        trig = self.folder / "meta-2023.trig"
        trig.write_bytes(serialize(graph.build(), "trig"))
        self.log = open(self.folder / "serve.log", "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "graph.cli", "serve", str(trig), "--port", "0"],
                                     stdout=subprocess.PIPE, stderr=self.log)
        banner = self.proc.stdout.readline().decode("utf-8")
        if "/sparql" not in banner:
            self.__exit__()
            raise SystemExit(f"loadbench: kg serve did not start: {(self.folder / 'serve.log').read_text()[-2000:]}")
        return self.proc, int(banner.split("/sparql")[0].rsplit(":", 1)[1])

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.log.close()


async def _run(port: int, clients: int, requests: int, tally: Tally) -> None:
    await asyncio.gather(*(_client(port, c, requests, tally) for c in range(clients)))


async def _client(port: int, number: int, requests: int, tally: Tally) -> None:
    """One client: `requests` queries in turn, each on a new connection."""
    for i in range(requests):
        accept, text = QUERIES[(number + i) % len(QUERIES)]
        started = time.monotonic()
        try:
            status, headers = await asyncio.wait_for(_get(port, text, accept), REQUEST_TIMEOUT)
        except asyncio.TimeoutError:
            tally.errors["timeout"] += 1
            continue
        except OSError as exc:
            tally.errors[type(exc).__name__] += 1
            continue
        tally.statuses[status] += 1
        if status == 200 or (status == 503 and "retry-after" in headers):
            tally.latencies[status].append(time.monotonic() - started)
        else:
            tally.errors[f"HTTP {status}"] += 1


async def _get(port: int, text: str, accept: str) -> tuple[int, dict[str, str]]:
    """GET one query on a new connection: the status and the headers (the body is read, then dropped)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write((f"GET /sparql?query={quote(text)} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                      f"Accept: {accept}\r\nConnection: close\r\n\r\n").encode("ascii"))
        await writer.drain()
        response = await reader.read()
    finally:
        writer.close()
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    if not head[0].startswith("HTTP/1.1 "):
        raise ConnectionResetError("no HTTP response")
    headers = dict(line.lower().split(": ", 1) for line in head[1:] if ": " in line)
    return int(head[0].split()[1]), headers


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1]) * 1024


if __name__ == "__main__":
    sys.exit(main())
