"""How the server treats connections: uvicorn's configuration, with a deadline for request headers.

uvicorn bounds only the idle time between requests (``timeout_keep_alive``, armed once an answer
is sent). A client that opens a connection and sends part of a request's headers, or nothing,
held it for ever: 400 such half-open requests were all still held after 40 s. uvicorn has no
option for this, so :class:`HeaderDeadline` adds one to its httptools protocol: a request's
headers must be complete ``Settings.request_header_timeout_s`` after the server starts waiting
for them. The body's deadline is kept by ``middleware.BodyLimit``, where a 408 can still be sent.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mcfkg.config import Settings

log = logging.getLogger("mcfkg.web")


class HeaderDeadline(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing a connection whose request headers take longer than
    :attr:`header_timeout_s` (after a 408 that says so), counted from the connection opening or
    the previous answer being sent: the times the server waits for a new request."""

    header_timeout_s: float = Settings.request_header_timeout_s
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]  # as uvicorn
        super().connection_made(transport)
        self._await_headers()

    def on_headers_complete(self) -> None:
        self._stop_waiting()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.cycle.response_complete:  # no pipelined request started
            self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        self._stop_waiting()
        self._header_timer = self.loop.call_later(self.header_timeout_s, self._headers_too_slow)

    def _stop_waiting(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        client = "%s:%d" % self.client if self.client else "a client"
        log.info("closed the connection of %s: no complete request headers within %g s", client, self.header_timeout_s)
        message = (f"the request headers did not arrive within {self.header_timeout_s:g} s, this server's limit "
                   "(request_header_timeout_s); send the whole request at once\n").encode()
        self.transport.write(b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                             b"connection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(message), message))
        self.transport.close()


def server_config(app: Any, settings: Settings, host: str, port: int, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for serving ``app`` under ``settings``' connection limits (``options``: uvicorn's own)."""
    protocol = type("HeaderDeadlineProtocol", (HeaderDeadline,), {"header_timeout_s": settings.request_header_timeout_s})
    return uvicorn.Config(app, host=host, port=port, http=protocol, timeout_keep_alive=settings.keep_alive_timeout_s,
                          access_log=False, **options)
