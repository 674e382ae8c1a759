"""Read an article from bytes: detect its encoding, reject what is not text, strip HTML.

Entry points: `read_document(path)` and `read_text(data, source)`. `read_document` reads only
regular files of at most `MAX_SIZE` bytes (a FIFO would block, /dev/zero never ends), and
checks both before it reads a byte.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from graph.errors import InputError
from graph.model import Document
from graph.text.dateline import published_date
from graph.text.html import extract_article, looks_like_html

# A text decoded from a legacy encoding must be mostly CJK, Latin and punctuation; a wrong
# guess yields rare symbols and private-use characters. Between GB18030 and Big5 (both of which
# decode most byte strings without error) the right one yields far more of the commonest
# characters, which Simplified and Traditional writing share.
_COMMON = frozenset(
    "的一是不了在人有我他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对"
    "可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同"
    "三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定"
    "女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化"
    "由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应"
    "路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许")
_PLAUSIBLE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u0020-\u007e\s\u2018-\u201d\u00b7\u2014\u2026]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SOURCE_LINE = re.compile(r"(?:来源|来自|出处|稿源|供稿)\s*[:：]\s*([^\s,，。:：]{2,20})\s*$")
# The largest article `read_document` reads by default: news articles are tens of kilobytes;
# extraction is linear, so this bounds its time (about a minute) and memory (a few GiB).
MAX_SIZE = 20 * 1024 * 1024

__all__ = ["MAX_SIZE", "decode", "read_bytes", "read_document", "read_text"]


def read_document(path: str | Path, max_size: int = MAX_SIZE) -> Document:
    """Read the article at `path` (UTF-8, GB18030 or Big5 text, or a saved HTML page).

    Parameters
    ----------
    path : str or Path
        A regular file.
    max_size : int
        The largest file, in bytes, to read (default `MAX_SIZE`, 20 MiB).

    Raises
    ------
    InputError
        With a one-line message for a missing path, a directory, anything but a regular file
        (a FIFO, a device such as /dev/zero, a socket), a file larger than `max_size`, an empty
        file, binary data or undecodable bytes. The type and the size are checked before
        anything is read.

    Examples
    --------
    >>> read_document("/dev/zero")
    Traceback (most recent call last):
    graph.errors.InputError: /dev/zero: not a regular file (a device, a FIFO or a socket), expected an article file
    """
    return read_text(read_bytes(path, max_size), source=Path(path).name)


def read_bytes(path: str | Path, max_size: int = MAX_SIZE) -> bytes:
    """The bytes of the article file at `path`, with the checks of `read_document`."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory, expected an article file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file (a device, a FIFO or a socket), expected an article file")
    if info.st_size > max_size:
        raise InputError(_too_large(path, info.st_size, max_size))
    try:
        # O_NONBLOCK: should the path have become a FIFO since stat, opening it does not wait.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
            data = f.read(max_size + 1)     # a file that grew since stat is read no further
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > max_size:
        raise InputError(_too_large(path, len(data), max_size))
    return data


def _too_large(path: Path, size: int, max_size: int) -> str:
    return f"{path}: {size:,} bytes, more than the {max_size:,} an article may have (raise the limit with --max-size)"


def read_text(data: bytes | str, source: str = "<text>") -> Document:
    """Decode `data` and return a Document with its title and, when stated, publisher and
    publication date (a page's metadata, else a header line under the title)."""
    text = data if isinstance(data, str) else decode(data, source)
    if _CONTROL.search(text):
        raise InputError(f"{source}: looks like binary data, not an article")
    title = publisher = published = None
    if looks_like_html(text, source):
        page = extract_article(text)
        text, title, publisher, published = page.text, page.title, page.publisher, page.published
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{source}: empty article (no text to read)")
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title = title or lines[0]
    if publisher is None:
        match = _SOURCE_LINE.search(lines[-1])
        publisher = match.group(1) if match else None
    published = published or published_date(text)
    return Document(original=text, source=source, title=title, publisher=publisher,
                    published=published, text=text,
                    to_original=tuple(range(len(text) + 1)))


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM), GB18030/GBK or Big5; refuse anything else."""
    if not data.strip():
        raise InputError(f"{source}: empty article (no text to read)")
    if b"\x00" in data:
        raise InputError(f"{source}: looks like binary data, not an article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best, best_score = None, -1.0
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        plausible = len(_PLAUSIBLE.findall(text)) / max(len(text), 1)
        if plausible < 0.95:
            continue
        score = sum(ch in _COMMON for ch in text) / max(len(text), 1)
        if score > best_score:
            best, best_score = text, score
    if best is None:
        raise InputError(f"{source}: cannot decode as UTF-8, GB18030 or Big5")
    return best
