"""ASGI middleware: the request-body cap and deadline, the mount path, HEAD as GET, one Accept header, one log line per request.

All are plain ASGI (not BaseHTTPMiddleware), so they add no task or copy per request.
"""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mcfkg.config import Settings
from mcfkg.web.errors import HttpError, payload_too_large, request_timeout

log = logging.getLogger("mcfkg.web")


def body_limit(settings: Settings, scope: Scope) -> int:
    """Bytes a request body may have: uploads to the graph store and sources get the larger limit."""
    path = scope["path"][len(scope.get("root_path", "")):]
    return settings.max_upload_bytes if path.startswith(("/rdf-graph-store", "/sources")) else settings.max_request_bytes


class BodyLimit:
    """ASGI middleware: 413 as soon as a body passes its limit (declared or while streaming), 408 when it
    is not all there ``request_body_timeout_s`` after the request's headers.

    Starlette reads bodies whole with no limit and waits for them for ever; this counts the bytes as
    they arrive, so an endless chunked upload is cut off at the limit instead of filling memory, and
    a client that stops sending (half-open) frees its connection. Once the body is complete, reads
    (which then only wait for a disconnect, during long answers) are no longer timed.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(self.settings, scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_error(payload_too_large(limit), send)
            return
        received = 0
        started = complete = False
        deadline = asyncio.get_running_loop().time() + self.settings.request_body_timeout_s

        async def counting_receive() -> Message:
            nonlocal received, complete
            if complete:
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise request_timeout(self.settings.request_body_timeout_s) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise payload_too_large(limit)
                complete = not message.get("more_body", False)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except HttpError as exc:
            if started:
                raise
            await _send_error(exc, send)


async def _send_error(error: HttpError, send: Send) -> None:
    body = (error.message + "\n").encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"vary", b"Accept"), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class CombinedAccept:
    """ASGI middleware: several ``Accept`` fields become one, as RFC 9110 says they mean.

    Starlette's ``headers.get`` returns only the first field, so every negotiation (which
    reads that) would ignore the rest; combining them here keeps negotiation in one place.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            accepts = [value for name, value in scope["headers"] if name == b"accept"]
            if len(accepts) > 1:
                others = [(name, value) for name, value in scope["headers"] if name != b"accept"]
                scope = {**scope, "headers": [*others, (b"accept", b", ".join(accepts))]}
        await self.app(scope, receive, send)


class MountPath:
    """ASGI middleware: the server answers under its base IRI's path (see :attr:`mcfkg.vocab.Vocab.mount`).

    Requests under ``mount`` get it as their ``root_path`` (routing strips it; links add it);
    the bare root redirects there; ``/health`` also answers at the root, where a container's
    liveness probe looks; anything else is not ours: 404.
    """

    def __init__(self, app: ASGIApp, mount: str) -> None:
        self.app, self.mount = app, mount

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.mount:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.startswith(self.mount + "/"):
            await self.app({**scope, "root_path": self.mount}, receive, send)
            return
        if path == "/health":
            await self.app(scope, receive, send)
            return
        response: Response
        if path in ("/", "", self.mount):
            response = RedirectResponse(self.mount + "/", status_code=308)
        else:
            response = PlainTextResponse(f"Not found: this server answers under {self.mount}/\n", status_code=404)
        await response(scope, receive, send)


class HeadAsGet:
    """ASGI middleware: a HEAD request is answered as the GET, whose headers it then gets exactly.

    FastAPI routes declared for GET do not answer HEAD (405); the server itself (uvicorn)
    leaves the body out because it still knows the request was a HEAD.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, send)


class RequestLog:
    """Logs ``METHOD path status duration outcome`` once per request.

    Routes describe the outcome (``ok boolean 120 bytes``, ``QueryTimeout``, ...) in
    ``request.state.outcome``; without one, or when an error status follows an ``ok`` (a body
    cut off at its limit), the outcome is the status's: ``ok`` or ``error 413``.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            took_ms = (time.perf_counter() - started) * 1000
            log.info("%s %s %d %.1fms %s", scope["method"], scope["path"], status, took_ms,
                     _outcome(status, state.get("outcome")))


def _outcome(status: int, described: str | None) -> str:
    """What the log says happened: the route's description unless it contradicts the status."""
    if status >= 400 and (described is None or described.startswith("ok")):
        return f"error {status}"
    return described or "ok"
