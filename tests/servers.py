"""Servers the tests start on 127.0.0.1 (`kg serve`, an Oxigraph server, Virtuoso): a free port,
and a process run until the test is done."""
from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(command: list[str], ready_url: str, log: Path, *, cwd: Path, env: Mapping[str, str] | None = None,
            startup: float = 60.0, pipe_stdout: bool = False) -> Iterator[subprocess.Popen]:
    """Run `command` until the test is done, its output in `log` (stdout piped instead when
    `pipe_stdout`); yield the process once `ready_url` answers 200. Stopped with SIGTERM, then
    killed if it lingers."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE if pipe_stdout else out,
                                stderr=out if pipe_stdout else subprocess.STDOUT)
    try:
        deadline = time.monotonic() + startup
        while True:
            assert proc.poll() is None, f"{command[0]} exited {proc.returncode}: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, \
                f"{command[0]} did not answer in {startup:.0f} s: {log.read_text()[-2000:]}"
            try:
                with urllib.request.urlopen(ready_url, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:              # refused, reset, or still loading (a timeout)
                time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
