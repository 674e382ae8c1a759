"""HTTP to remote SPARQL endpoints and graph stores: credentials, retries, one-line errors.

The standard library's `urllib` does all of it (HTTP Basic and Digest authentication, which
Virtuoso's ``/sparql-graph-crud-auth`` asks for): a handful of requests a second to a store the
user runs needs no other HTTP client, and the package gains no dependency.

Credentials never come from the command line, where other users of the machine can read them:
``KG_ENDPOINT_USER`` and ``KG_ENDPOINT_PASSWORD`` in the environment, else the entry of the
endpoint's host in the netrc file (``$NETRC``, else ``~/.netrc``).

    >>> credentials("http://127.0.0.1:1/sparql", environ={"KG_ENDPOINT_USER": "dba", "KG_ENDPOINT_PASSWORD": "s"})
    ('dba', 's')
    >>> retry_delays(4, first=0.5)
    [0.5, 1.0, 2.0, 4.0]
"""
from __future__ import annotations

import netrc
import os
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from graph.errors import RemoteError

__all__ = ["Client", "Reply", "credentials", "retry_delays"]

USER_VARIABLE, PASSWORD_VARIABLE = "KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Reply:
    """What a server answered: status, content type (without parameters) and body."""
    status: int
    content_type: str
    body: bytes


def credentials(url: str, environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(user, password) for `url`: from the environment, else from the netrc file, else None."""
    environ = os.environ if environ is None else environ
    if environ.get(USER_VARIABLE):
        return environ[USER_VARIABLE], environ.get(PASSWORD_VARIABLE, "")
    path = environ.get("NETRC") or os.path.expanduser("~/.netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError) as exc:
        raise RemoteError(f"{path}: cannot read the netrc file ({exc})") from None
    return (entry[0], entry[2] or "") if entry else None


def retry_delays(retries: int, first: float = 0.5) -> list[float]:
    """Seconds to wait before each retry: doubling from `first`, at most 30."""
    return [min(first * 2 ** i, 30.0) for i in range(retries)]


class Client:
    """Requests to one server, with its credentials, a time limit and retries.

    A connection error, a time-out or a 429/5xx answer is retried after each of
    `retry_delays(retries)`; any other error answer raises RemoteError at once. `retried`
    counts the retries made so far.
    """

    def __init__(self, url: str, *, timeout: float = 30.0, retries: int = 4, first_delay: float = 0.5) -> None:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise RemoteError(f"{url}: give an http:// or https:// URL")
        self.timeout, self.delays, self.retried = timeout, retry_delays(retries, first_delay), 0
        self._lock = threading.Lock()        # requests may come from several threads (kg push)
        handlers: list[urllib.request.BaseHandler] = []
        login = credentials(url)
        if login:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, *login)
            handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    def send(self, method: str, url: str, *, data: bytes | None = None, headers: Mapping[str, str] | None = None) -> Reply:
        """Send one request, retrying as the class says; the server's answer, or RemoteError."""
        for delay in [*self.delays, None]:
            try:
                return self._once(method, url, data, headers or {})
            except _Retryable as exc:
                if delay is None:
                    raise RemoteError(f"{method} {_short(url)}: {exc} (tried {len(self.delays) + 1} times)") from None
                with self._lock:
                    self.retried += 1
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _once(self, method: str, url: str, data: bytes | None, headers: Mapping[str, str]) -> Reply:
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers))
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                return Reply(answer.status, _media_type(answer.headers.get("Content-Type", "")), answer.read())
        except urllib.error.HTTPError as exc:
            body = exc.read()
            if exc.code in _RETRY_STATUSES:
                raise _Retryable(f"HTTP {exc.code}") from None
            raise RemoteError(f"{method} {_short(url)}: HTTP {exc.code} {exc.reason}{_first_line(body)}") from None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise _Retryable(str(getattr(exc, "reason", exc))) from None


class _Retryable(Exception):
    """A failure worth another try: no connection, a time-out, a busy or failing server."""


def _media_type(header: str) -> str:
    return header.split(";")[0].strip().lower()


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:119] + "…"


def _first_line(body: bytes) -> str:
    """The first line of text of an error answer (HTML tags dropped), for a one-line message."""
    text = re.sub(r"<[^>]*>", " ", body[:2000].decode("utf-8", "replace"))
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return f": {lines[0][:200]}" if lines else ""
