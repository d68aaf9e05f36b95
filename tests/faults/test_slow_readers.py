"""Clients that ask for a large answer and then read nothing: the web process must not hold it for them.

Before the fix, 20 slow readers of a large answer held 1.47 GB in the web process (1 GB after
they left) and a cheap query took 9.7 s meanwhile. Now answers past a megabyte are spooled to
an unnamed temporary file and streamed as the client reads.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from faultkit import numbers_file, start_live_server

READERS = 20
LARGE = "SELECT * { ?a ?b ?c . ?d ?e ?f } LIMIT 150000"  # about 20 MB of CSV


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _slow_reader(port: int) -> socket.socket:
    """A client that sends its request and then reads nothing (a tiny receive window)."""
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.connect(("127.0.0.1", port))
    client.sendall(f"GET /sparql?query={quote(LARGE)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/csv\r\n"
                   "Accept-Encoding: identity\r\n\r\n".encode())
    return client


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    numbers = numbers_file(tmp_path_factory.mktemp("numbers"), count=3000)
    live = start_live_server([(numbers, None)], max_result_rows=200_000)
    yield live
    live.stop()


def test_slow_readers_of_a_large_answer_hold_no_copies_and_block_no_one(server: Any) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    one = httpx.get(server.sparql, params={"query": LARGE}, headers={"Accept": "text/csv"}, timeout=60)
    assert one.status_code == 200 and len(one.content) > 10 << 20
    before = _rss_bytes()
    readers = [_slow_reader(port) for _ in range(READERS)]
    try:
        time.sleep(8)  # every answer computed and handed to the server by now
        grown = _rss_bytes() - before
        started = time.monotonic()
        cheap = httpx.get(server.sparql, params={"query": "ASK {}"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
        waited = time.monotonic() - started
    finally:
        for reader in readers:
            reader.close()
    print(f"{READERS} slow readers of {len(one.content) >> 20} MB answers: web process grew "
          f"{grown >> 20} MB; a cheap query meanwhile took {waited * 1000:.0f} ms")
    assert cheap.status_code == 200
    assert grown < 10 * len(one.content), "the web process keeps the slow readers' answers in memory"
    assert waited < 2.0
