"""Shared fixtures: the bundled article's graph (built once a session) and the real `kg` command.

    bundled_graph   graph.build() of the bundled article, built once and shared; tests must not change it
    run_kg          run_kg(*args, cwd=..., env=...) -> CompletedProcess: the `kg` console script in a subprocess
    cli_builds      the bundled article built once by `kg build` into every output format
    built_file      built_file(".trig") -> that build's file, or a failure showing kg's stderr
    trig            the bundled graph written once as a TriG file
    kg_serve        kg_serve(graph_file, *options) -> context manager: `kg serve` running on a free port of 127.0.0.1
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from servers import free_port, running

REPO = Path(__file__).resolve().parents[1]
FORMAT_EXTENSIONS = (".trig", ".ttl", ".nt", ".nq", ".jsonld")


def kg_command(*args: str | os.PathLike, cwd: str | os.PathLike | None = None,
               env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `kg ARGS` as a user would (a fresh interpreter, the package's console entry point)."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "graph.cli", *map(str, args)],
                          cwd=cwd if cwd is not None else REPO, env=full_env, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=timeout)


@pytest.fixture(scope="session")
def run_kg():
    """The `kg` command as a function: run_kg("build", "-o", out, cwd=tmp_path)."""
    return kg_command


@pytest.fixture(scope="session")
def bundled_graph():
    """The bundled article's graph, built once through the Python API (read-only for tests)."""
    import graph

    return graph.build()


@pytest.fixture(scope="session")
def trig(bundled_graph, tmp_path_factory) -> Path:
    """The bundled article's graph as a TriG file, for commands that read one."""
    from graph.rdf.io import serialize

    path = tmp_path_factory.mktemp("graph") / "meta-2023.trig"
    path.write_bytes(serialize(bundled_graph, "trig"))
    return path


@pytest.fixture(scope="session")
def heldout_texts() -> dict[str, str]:
    """Each held-out article (tests/data/heldout*/) as `read_text` reads it, by file name."""
    from graph.text import read_text

    paths = sorted(p for p in (REPO / "tests" / "data").glob("heldout*/*.*") if p.suffix in (".txt", ".html"))
    return {p.name: read_text(p.read_bytes(), source=p.name).text for p in paths}


@pytest.fixture(scope="session")
def cli_builds(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """`kg build -o meta-2023<ext>` of the bundled article, once per output format."""
    out_dir = tmp_path_factory.mktemp("cli-build")
    outs = {ext: out_dir / f"meta-2023{ext}" for ext in FORMAT_EXTENSIONS}
    # side by side, a core each: each build is a fresh process that spends seconds starting up
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        runs = {ext: pool.submit(kg_command, "build", "-o", out, cwd=out_dir) for ext, out in outs.items()}
    return {ext: (outs[ext], run.result()) for ext, run in runs.items()}


@pytest.fixture(scope="session")
def built_file(cli_builds):
    """built_file(".trig") -> the file `kg build` wrote; fails the test with kg's stderr when it did not."""
    def get(ext: str) -> Path:
        out, proc = cli_builds[ext]
        assert proc.returncode == 0, f"kg build -o {out.name} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
        assert out.is_file(), f"kg build exited 0 but did not write {out}"
        return out
    return get


@pytest.fixture(scope="session")
def kg_serve():
    """`kg serve` as a context manager: with kg_serve(graph_file, "--timeout", "1") as server: ..."""
    return running_server


@contextmanager
def running_server(graph_file: Path, *options: str):
    """`kg serve graph_file OPTIONS` on a free port of 127.0.0.1: yields {"url", "port", "log", "process"}
    once it answers; stopped (SIGTERM) afterwards."""
    log = graph_file.parent / f"stderr-{time.monotonic_ns()}.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    command = [sys.executable, "-m", "graph.cli", "serve", str(graph_file), "--port", str(port), *options]
    with running(command, url + "?query=" + urllib.parse.quote("ASK {}"), log, cwd=REPO, pipe_stdout=True,
                 env={**os.environ, "PYTHONIOENCODING": "utf-8"}) as proc:
        yield {"url": url, "port": port, "log": log, "process": proc}
