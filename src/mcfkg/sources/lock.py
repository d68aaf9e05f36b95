"""One change to data/ at a time: ingests, retracts and builds take turns, across processes."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from mcfkg.config import Settings


@contextmanager
def one_writer(settings: Settings, wait: bool = True) -> Iterator[bool]:
    """Ingests, retracts, builds and a server taking a new build take turns (an exclusive lock on
    data/sources/): each ingest is checked against the graph as the previous one left it, and a
    server never pins a dist/ that a build is half-way through replacing. With ``wait`` False,
    yields False at once when another one holds the lock."""
    folder = settings.data_dir / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(handle)
