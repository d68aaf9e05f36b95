"""Live servers for the HTTP tests: the real app on uvicorn, on a free port of 127.0.0.1.

Each server runs in a thread of the test process; its store runs in its own processes, as
in production. ``live_server_factory(**settings)`` starts one with any Settings overrides
and data files; servers stop when the test module ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import uvicorn

from mcfkg.config import Settings
from mcfkg.store import OxigraphStore
from mcfkg.web.app import create_app
from mcfkg.web.connections import server_config

DATA = Path(__file__).resolve().parents[1] / "data" / "http"
LIBRARY = DATA / "library.trig"


@dataclass
class LiveServer:
    """A running server: ``url`` is its root (``http://127.0.0.1:<port>``), ``sparql`` its endpoint."""

    settings: Settings
    store: OxigraphStore
    server: uvicorn.Server
    thread: threading.Thread
    url: str = ""

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.store.close()


def start_server(settings: Settings, data: Sequence[tuple[Path, str | None]]) -> LiveServer:
    store = OxigraphStore(settings, data)
    config = server_config(create_app(settings, store), settings, "127.0.0.1", 0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            store.close()
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return LiveServer(settings, store, server, thread, f"http://127.0.0.1:{port}")


@pytest.fixture(scope="module")
def live_server_factory() -> Iterator[Callable[..., LiveServer]]:
    """Start servers: ``factory(data=[(file, graph or None)], **settings_overrides)``; default data: library.trig."""
    servers: list[LiveServer] = []

    def factory(data: Sequence[tuple[Path, str | None]] = ((LIBRARY, None),), **overrides: object) -> LiveServer:
        server = start_server(Settings(**overrides), data)
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def live_server(live_server_factory: Callable[..., LiveServer]) -> LiveServer:
    """A read-only server over library.trig with the default settings."""
    return live_server_factory()


@pytest.fixture(scope="session")
def library_trig() -> Path:
    """The small dataset most HTTP tests query (two books, two people, three named graphs)."""
    return LIBRARY
