"""Who may write: a request with ``Authorization: Bearer <Settings.update_token>``, nobody else."""

from __future__ import annotations

import hmac

from fastapi import Request

from mcfkg.web.errors import forbidden, the_server_is_read_only


def require_write_access(request: Request) -> None:
    """Raise 403 unless updates are enabled and the request carries the token (compared in constant time)."""
    token = request.app.state.settings.update_token
    if not token:
        raise the_server_is_read_only()
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(credentials.strip().encode(), token.encode()):
        raise forbidden("writing needs the header 'Authorization: Bearer <token>' with the server's update token")
