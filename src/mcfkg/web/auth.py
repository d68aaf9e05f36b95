"""Who may write: a request with ``Authorization: Bearer <Settings.update_token>``, nobody else.

The browser's review forms, whose pages are plain GETs, may send the same token as a form field
instead (:func:`require_token`); it is never taken from a URL or a cookie.
"""

from __future__ import annotations

import hmac

from fastapi import Request

from mcfkg.web.errors import forbidden, the_server_is_read_only


def _server_token(request: Request) -> str:
    token: str | None = request.app.state.settings.update_token
    if not token:
        raise the_server_is_read_only()
    return token


def _bearer(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def _matches(given: str | None, token: str) -> bool:
    """Compared in constant time, so the answer's timing tells nothing about the token."""
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())  # type: ignore[union-attr]


def require_write_access(request: Request) -> None:
    """Raise 403 unless updates are enabled and the request carries the token."""
    if not _matches(_bearer(request), _server_token(request)):
        raise forbidden("writing needs the header 'Authorization: Bearer <token>' with the server's update token")


def require_token(request: Request, form_token: str | None, what: str) -> None:
    """Raise 403 unless the token comes as ``Authorization: Bearer`` or, from a page's form, as ``form_token``."""
    bearer = _bearer(request)
    given = bearer if bearer is not None else (form_token or "").strip()
    if not _matches(given, _server_token(request)):
        raise forbidden(f"{what} needs the server's update token: the form's token field, or the header "
                        "'Authorization: Bearer <token>'")
