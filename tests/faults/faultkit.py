"""Shared helpers of the fault and abuse suite: live servers, a recording listener, small counters.

Named ``faultkit`` (not ``conftest``) so that it never collides with another conftest.py and
can be imported by name: pytest puts this folder on ``sys.path`` for the test modules in it.

- :func:`start_live_server` starts the real app on a free port of 127.0.0.1, exactly as the HTTP
  tests do (it reuses ``tests/http/conftest.py``'s ``start_server``), so a fault found here is a
  fault of the served product, store processes included.
- :class:`Listener` is the "internal service" a server-side request forgery would reach: a tiny
  threaded server on 127.0.0.1 that records every TCP connection it accepts (at the socket
  level, before any byte is read, so even a connection that never sends a request counts), and
  answers whatever arrives with SPARQL JSON results (or RDF, for LOAD) carrying a secret marker.
"""

from __future__ import annotations

import importlib.util
import json
import secrets
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

TESTS = Path(__file__).resolve().parents[1]
LIBRARY = TESTS / "data" / "http" / "library.trig"
TOKEN = "faults-token"


def _http_live_servers() -> Any:
    """``tests/http/conftest.py`` loaded as a plain module (its fixtures stay unregistered here)."""
    name = "_mcfkg_http_live_servers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TESTS / "http" / "conftest.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def start_live_server(data: Sequence[tuple[Path, str | None]] = ((LIBRARY, None),), **overrides: object) -> Any:
    """The real app over ``data`` on a free port (``.url``, ``.sparql``, ``.stop()``); Settings from ``overrides``."""
    from mcfkg.config import Settings

    live = _http_live_servers()
    return live.start_server(Settings(**overrides), data)


def numbers_file(directory: Path, count: int = 300) -> Path:
    """``count`` triples ``<n{i}> <value> i``: instant to load, but a 4-way cross join over them never ends."""
    path = directory / "numbers.ttl"
    path.write_text("".join(f"<http://example.org/n{i}> <http://example.org/value> {i} .\n" for i in range(count)))
    return path


# -- the listener -------------------------------------------------------------------------------

@dataclass
class Connection:
    """One TCP connection the listener accepted: when, from where, and the start of what it sent."""

    at: float
    peer: tuple[str, int]
    request: bytes = b""

    def __str__(self) -> str:
        first = self.request.split(b"\r\n", 1)[0].decode("latin-1") or "(nothing sent)"
        return f"{self.peer[0]}:{self.peer[1]} {first}"


@dataclass
class Listener:
    """A recording "internal service" on 127.0.0.1.

    ``mode``: ``"results"`` answers 200 with SPARQL JSON results (N-Triples to a request that
    asks for RDF, as LOAD does) whose literal is :attr:`marker`; ``"error"`` answers 500 with the
    marker in a plain-text body; ``"redirect"`` answers 302 to :attr:`location`.
    """

    mode: str = "results"
    location: str = ""
    marker: str = field(default_factory=lambda: f"SSRF-MARKER-{secrets.token_hex(8)}")
    connections: list[Connection] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._socket.settimeout(0.1)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.port: int = self._socket.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, name=f"listener-{self.port}", daemon=True)
        self._thread.start()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        """The IRI a forged SERVICE would name."""
        return f"{self.root}/internal"

    def count(self) -> int:
        with self._lock:
            return len(self.connections)

    def since(self, mark: int) -> list[Connection]:
        with self._lock:
            return list(self.connections[mark:])

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._socket.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            record = Connection(time.monotonic(), peer)
            with self._lock:
                self.connections.append(record)  # recorded before a single byte is read
            threading.Thread(target=self._serve, args=(conn, record), daemon=True).start()

    def _serve(self, conn: socket.socket, record: Connection) -> None:
        try:
            conn.settimeout(3)
            request = _read_request(conn)
            record.request = request[:2000]
            conn.sendall(self._answer(request))
        except OSError:
            pass
        finally:
            conn.close()

    def _answer(self, request: bytes) -> bytes:
        if self.mode == "redirect":
            return _http(302, "text/plain", b"moved\n", {"Location": self.location})
        if self.mode == "error":
            return _http(500, "text/plain", f"internal failure, {self.marker}, stack trace follows\n".encode())
        head = request.split(b"\r\n\r\n", 1)[0].lower()
        if b"application/sparql-results" not in head and (b"turtle" in head or b"n-triples" in head
                                                          or b"rdf+xml" in head):
            body = f'<http://example.org/leak> <http://example.org/says> "{self.marker}" .\n'.encode()
            return _http(200, "application/n-triples", body)
        results = {"head": {"vars": ["s", "p", "o", "leak"]}, "results": {"bindings": [{
            "s": {"type": "uri", "value": "http://example.org/leak"},
            "p": {"type": "uri", "value": "http://example.org/says"},
            "o": {"type": "literal", "value": self.marker},
            "leak": {"type": "literal", "value": self.marker},
        }]}}
        return _http(200, "application/sparql-results+json", json.dumps(results).encode())


def _read_request(conn: socket.socket) -> bytes:
    """Headers and (Content-Length) body of one request; whatever arrived if it stops early."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 1_000_000:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = min(int(value.strip()), 1_000_000)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _http(status: int, media_type: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    reason = {200: "OK", 302: "Found", 500: "Internal Server Error"}[status]
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {media_type}", f"Content-Length: {len(body)}",
             "Connection: close", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
