"""Large answers leave memory before they are sent: a slow reader holds a file, not the bytes.

An answer arrives from a query process whole (up to the row cap: tens of MB). Handed to the
server as one body, it stays in the web process until the client has read the last byte, so
twenty slow readers of a large answer held 1.47 GB. Past :data:`SPOOL_ABOVE_BYTES` the answer is
written to an unnamed temporary file (off the event loop) and streamed from it in
:data:`CHUNK_BYTES` pieces, each sent only when the client has taken the previous one.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Mapping
from typing import IO

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

SPOOL_ABOVE_BYTES = 1 << 20
CHUNK_BYTES = 64 << 10


def _spool(body: bytes) -> IO[bytes]:
    spooled = tempfile.TemporaryFile(prefix="mcfkg-answer-")  # unnamed: gone when closed, or at a crash
    spooled.write(body)
    spooled.seek(0)
    return spooled


async def _chunks(spooled: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := await run_in_threadpool(spooled.read, CHUNK_BYTES):
            yield chunk
    finally:
        spooled.close()


async def answer(body: bytes, media_type: str, headers: Mapping[str, str] | None = None) -> Response:
    """A response carrying ``body``: in memory when small, else spooled to disk and streamed."""
    if len(body) <= SPOOL_ABOVE_BYTES:
        return Response(body, media_type=media_type, headers=headers)
    spooled = await run_in_threadpool(_spool, body)
    return StreamingResponse(_chunks(spooled), media_type=media_type,
                             headers={**(headers or {}), "Content-Length": str(len(body))})
