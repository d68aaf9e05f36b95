"""The SPARQL 1.1 Protocol over httpx: the only way mcfkg talks to a remote store.

Every request is bounded on this side whatever the store does: each wait (for a pooled connection,
to connect, for the next bytes) by the time limit, and the whole answer by a deadline checked as
its bytes arrive (so a store trickling bytes cannot hold a thread for long); a cap on the bytes of
an answer (read as it streams and cut off there); and a connection pool of fixed size. Failures become the
store errors the web layer already maps to status codes.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from mcfkg.sparql.model import QueryError, QueryTimeout, ResultTooLarge, StoreUnavailable

SCHEMES = {"sparql+http": "http", "sparql+https": "https"}
# How much of a store's error body reaches the client: enough for a parser's message.
ERROR_EXCERPT_CHARS = 600
# Virtuoso answers a query stopped at its ``timeout`` with what it found so far, status 200 and this
# SQL state: a partial answer is refused as a timeout, never served as the answer.
PARTIAL_ANSWER = "S1TAT"


@dataclass(frozen=True)
class Endpoint:
    """Where a remote store answers (``query_url``) and takes updates (``update_url``; None: it takes none,
    a read replica such as QLever, whose index is built offline), and how to log in."""

    query_url: str
    update_url: str | None
    user: str | None = None
    password: str | None = None
    auth_scheme: str = "basic"  # or "digest" (Virtuoso's /sparql-auth)

    @classmethod
    def parse(cls, value: str, user: str | None = None, password: str | None = None,
              auth_scheme: str = "basic") -> Endpoint:
        """``sparql+http(s)://QUERY[,UPDATE]``, without UPDATE a read-only store (a store that takes both on
        one URL is named twice); ValueError saying what a valid value looks like."""
        query, _, update = value.partition(",")
        if auth_scheme not in ("basic", "digest"):
            raise ValueError(f"store authentication {auth_scheme!r}: use basic or digest (MCFKG_STORE_AUTH)")
        return cls(_http_url(query.strip()), _http_url(update.strip()) if update.strip() else None,
                   user, password, auth_scheme)

    def auth(self) -> httpx.Auth | None:
        if not self.user:
            return None
        if self.auth_scheme == "digest":
            return httpx.DigestAuth(self.user, self.password or "")
        return httpx.BasicAuth(self.user, self.password or "")


def is_remote(value: str) -> bool:
    """Whether a ``--store`` value names a remote store rather than a directory."""
    return urlsplit(value).scheme in SCHEMES


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    scheme = SCHEMES.get(parts.scheme, parts.scheme if parts.scheme in ("http", "https") else None)
    if scheme is None or not parts.netloc:
        raise ValueError(f"{value!r} is not a remote store: give sparql+http://HOST:PORT/QUERY_PATH"
                         "[,sparql+http://HOST:PORT/UPDATE_PATH] (or sparql+https://...)")
    return parts._replace(scheme=scheme).geturl()


@dataclass(frozen=True)
class Answer:
    """A store's answer: its bytes and media type (parameters dropped)."""

    body: bytes
    media_type: str


@dataclass(frozen=True)
class ClientLimits:
    """The bounds of every request (see the module docstring); ``timeout_parameter``, when set, also
    passes the query time limit on to the store (Virtuoso's ``timeout``, in milliseconds)."""

    timeout_s: float
    max_response_bytes: int
    pool_size: int
    timeout_parameter: str = ""


class SparqlClient:
    """One pooled HTTP client for one remote store; thread-safe (httpx.Client is)."""

    def __init__(self, endpoint: Endpoint, limits: ClientLimits) -> None:
        self.endpoint = endpoint
        self.limits = limits
        pool = httpx.Limits(max_connections=limits.pool_size, max_keepalive_connections=limits.pool_size)
        self._http = httpx.Client(auth=endpoint.auth(), limits=pool, timeout=httpx.Timeout(limits.timeout_s),
                                  trust_env=False)

    def query(self, text: str, accept: str, default_graphs: Iterable[str] = (), named_graphs: Iterable[str] = (),
              timeout_s: float | None = None) -> Answer:
        """POST a query (form-encoded, so long queries and graph lists fit) and read its answer."""
        form: list[tuple[str, str]] = [("query", text)]
        form += [("default-graph-uri", graph) for graph in default_graphs]
        form += [("named-graph-uri", graph) for graph in named_graphs]
        timeout_s = timeout_s or self.limits.timeout_s
        if self.limits.timeout_parameter:
            form.append((self.limits.timeout_parameter, str(int(timeout_s * 1000))))
        return self._send(self.endpoint.query_url, form, accept, timeout_s)

    def update(self, text: str, timeout_s: float | None = None) -> None:
        """POST an update; the store applies it whole or not at all (one request, one transaction)."""
        assert self.endpoint.update_url, "a read-only store takes no update: RemoteStore refuses writes before this"
        self._send(self.endpoint.update_url, [("update", text)], "*/*", timeout_s or self.limits.timeout_s)

    def _send(self, url: str, form: list[tuple[str, str]], accept: str, timeout_s: float) -> Answer:
        deadline = time.monotonic() + timeout_s
        try:
            with self._http.stream("POST", url, data=_fields(form), headers={"Accept": accept},
                                   timeout=httpx.Timeout(timeout_s)) as response:
                body = self._read(response, deadline, timeout_s)
        except httpx.TimeoutException:
            raise QueryTimeout(_timed_out(timeout_s)) from None
        except httpx.TransportError as exc:
            raise StoreUnavailable(f"the remote store at {url} cannot be reached ({exc.__class__.__name__}: {exc}); "
                                   "check that it runs and that --store names it") from None
        if response.status_code >= 400:
            raise _refusal(url, response.status_code, body)
        if response.headers.get("x-sql-state") == PARTIAL_ANSWER:
            raise QueryTimeout(_timed_out(timeout_s))
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return Answer(body, media_type)

    def _read(self, response: httpx.Response, deadline: float, timeout_s: float) -> bytes:
        """The whole body, or QueryTimeout past the deadline, or ResultTooLarge past the byte cap."""
        parts, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.limits.max_response_bytes:
                raise ResultTooLarge(f"the remote store's answer is larger than {self.limits.max_response_bytes} bytes, "
                                     "this endpoint's limit (store_max_response_bytes); add LIMIT/OFFSET to page "
                                     "through it, or narrow the query")
            if time.monotonic() > deadline:
                raise QueryTimeout(_timed_out(timeout_s))
            parts.append(chunk)
        return b"".join(parts)

    def close(self) -> None:
        self._http.close()


def _fields(form: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Form fields for httpx, repeated names as lists (``default-graph-uri`` may repeat)."""
    fields: dict[str, str | list[str]] = {}
    for name, value in form:
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value
    return fields


def _timed_out(timeout_s: float) -> str:
    return (f"the remote store did not answer within {timeout_s:g} s, this endpoint's limit; "
            "narrow the query (LIMIT, more specific patterns) and try again")


def _refusal(url: str, status: int, body: bytes) -> Exception:
    """A store's error status as ours: its own words for a bad request, advice for the rest."""
    words = body.decode("utf-8", "replace").strip()[:ERROR_EXCERPT_CHARS]
    if status in (401, 403):
        return StoreUnavailable(f"the remote store at {url} refused mcfkg's credentials (HTTP {status}); set "
                                "MCFKG_STORE_USER and MCFKG_STORE_PASSWORD (and MCFKG_STORE_AUTH=digest for "
                                "Virtuoso's /sparql-auth) to an account that may run this operation")
    if status in (400, 422) or (status == 500 and "SPARQL" in words and "compiler" in words):
        return QueryError(f"the remote store refused the operation: {words}")
    if status in (408, 503, 504) or "timeout" in words.lower():
        return QueryTimeout(f"the remote store stopped the operation (HTTP {status}): {words}")
    return StoreUnavailable(f"the remote store at {url} failed (HTTP {status}): {words}")
