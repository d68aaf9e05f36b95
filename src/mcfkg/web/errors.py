"""Error answers: small named constructors for routes, and the handlers that turn errors into responses.

Errors are plain text with a status that says whose fault it is: a 4xx for anything the
client sent (never a 5xx for bad input), 503 when the store gives up (time limit, worker
lost), 500 only for a bug. They say ``Vary: Accept``: the same URL answers differently
with another Accept header, so caches must keep them apart. Routing errors (no such page,
wrong method) are negotiated: the HTML "not found" page for browsers, else plain text or JSON.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from mcfkg.sparql.negotiation import GRAPH, HTML, negotiate
from mcfkg.sparql.protocol import ProtocolError
from mcfkg.store import (
    InvalidRdf,
    NotAcceptable,
    ProtectedGraph,
    QueryError,
    QueryTimeout,
    ResultTooLarge,
    ServiceFailed,
    StoreUnavailable,
    UnsafeOperation,
    UpdateDatasetConflict,
)
from mcfkg.web.templating import render


class HttpError(Exception):
    """An error answer: status, a message that tells the client what to do, extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def bad_request(message: str) -> HttpError:
    return HttpError(400, message)


def unsupported_media_type(message: str) -> HttpError:
    return HttpError(415, message)


def not_acceptable(message: str) -> HttpError:
    return HttpError(406, message)


def the_server_is_read_only() -> HttpError:
    return HttpError(403, "this endpoint is read-only: updates are disabled. An operator enables them by "
                          "starting the server with --update-token (or MCFKG_UPDATE_TOKEN).")


def forbidden(message: str) -> HttpError:
    return HttpError(403, message, {"WWW-Authenticate": 'Bearer realm="mcfkg"'})


def payload_too_large(limit: int) -> HttpError:
    return HttpError(413, f"the request body is larger than this endpoint's limit of {limit} bytes")


def request_timeout(seconds: float) -> HttpError:
    return HttpError(408, f"the request body did not arrive within {seconds:g} s of its headers, this endpoint's "
                          "limit (request_body_timeout_s); send it at once, or a large upload in parts",
                     {"Connection": "close"})


# Store and protocol errors -> HTTP status. Order matters only for subclasses (none here).
ERROR_STATUS: dict[type[Exception], int] = {
    QueryError: 400,
    UnsafeOperation: 400,
    UpdateDatasetConflict: 400,
    InvalidRdf: 400,
    NotAcceptable: 406,
    ResultTooLarge: 413,
    ServiceFailed: 502,
    QueryTimeout: 503,
    StoreUnavailable: 503,
    ProtectedGraph: 403,
}


def _error_response(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers={**(headers or {}), "Vary": "Accept"})


ROUTING_ERROR_OFFERS = ("text/plain", "application/json", HTML)


def routing_error(request: Request, exc: StarletteHTTPException, iri: str | None = None) -> Response:
    """A 404 (or 405, ...) from routing or the static files, in the representation the client prefers.

    ``iri``: the IRI a linked-data 404 is about; the HTML page then shows it with ``exc.detail``.
    """
    try:
        media_type = negotiate(request.headers.get("accept"), None, GRAPH, ROUTING_ERROR_OFFERS)
    except NotAcceptable:
        media_type = "text/plain"
    headers = {**(exc.headers or {}), "Vary": "Accept"}
    allowed = [m.strip() for m in headers.get("Allow", "").split(",") if m.strip()]
    if "GET" in allowed:  # HEAD is answered wherever GET is (middleware.HeadAsGet); one order for every route
        headers["Allow"] = ", ".join(sorted({*allowed, "HEAD"}))
    if media_type == HTML and exc.status_code == 404:
        message = exc.detail if iri else f"There is nothing at {request.url.path}."
        response = render(request, "not_found.html", status_code=404, iri=iri or str(request.url), message=message)
        response.headers.update(headers)
        return response
    if media_type == "application/json":
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
    return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_exception(request: Request, exc: StarletteHTTPException) -> Response:
        return routing_error(request, exc)
    @app.exception_handler(HttpError)
    async def http_error(request: Request, exc: HttpError) -> Response:
        request.state.outcome = f"error {exc.status}"
        return _error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(ProtocolError)
    async def protocol_error(request: Request, exc: ProtocolError) -> Response:
        request.state.outcome = f"protocol error {exc.status}"
        return _error_response(exc.status, str(exc))

    @app.exception_handler(ClientDisconnect)
    async def client_disconnected(request: Request, exc: ClientDisconnect) -> Response:
        """The client hung up before its request body was complete: nobody to answer, nothing to fix here.
        The request log says so (status 499, as nginx logs it); no error, no traceback."""
        request.state.outcome = "client disconnected before sending its whole request"
        return Response(status_code=499)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(400, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))

    async def store_error(request: Request, exc: Exception) -> Response:
        status = ERROR_STATUS[type(exc)]
        request.state.outcome = f"{type(exc).__name__}"
        return _error_response(status, str(exc))

    for error_class in ERROR_STATUS:
        app.add_exception_handler(error_class, store_error)


