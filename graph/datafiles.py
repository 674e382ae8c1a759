"""Reading the data files that hold the project's knowledge (knowledge base, lexicon, patterns)."""
from __future__ import annotations

import tomllib
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from graph.errors import DataError

__all__ = ["bundled", "read_toml"]


def bundled(*parts: str) -> Traversable:
    """A file or folder under graph/data/."""
    return resources.files("graph").joinpath("data", *parts)


def read_toml(path: Traversable | Path | str, what: str) -> dict:
    """Parse a TOML data file; a missing or malformed file raises DataError naming `what`."""
    path = Path(path) if isinstance(path, str) else path
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{what} {path}: {exc}") from None
