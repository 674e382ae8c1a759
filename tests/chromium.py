"""Debian's chromium for the viewer's browser tests and benchmark, driven by Playwright.

Playwright never downloads a browser here: it launches /usr/bin/chromium (apt-get install
chromium), headless, offline, with no GPU and no sandbox (tests run as root in containers).
"""
from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync"]


def launch(playwright):
    """A headless chromium browser from a running `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=_FLAGS)
