"""Errors raised by the pipeline.

    KGError                 base: every error the `kg` command turns into a one-line message
    ├── InputError          the input cannot be read as an article (missing, binary, undecodable…)
    ├── DataError           a bundled or user-supplied data file (KB, lexicon, patterns) is broken
    └── OutputError         the output cannot be written (unknown format, unwritable path)
"""
from __future__ import annotations

__all__ = ["DataError", "InputError", "KGError", "OutputError"]


class KGError(Exception):
    """Base of the errors this package raises on bad input or bad data."""


class InputError(KGError):
    """The input is not a readable article."""


class DataError(KGError):
    """A data file (knowledge base, lexicon, patterns) is malformed."""


class OutputError(KGError):
    """The output cannot be written."""
