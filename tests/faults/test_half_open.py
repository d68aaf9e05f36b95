"""Half-open requests are let go, and a client that hangs up mid-body is no server error.

Before the fix 400 half-open requests (headers never finished, or a body that never came) were
all still held after 40 s: uvicorn times out only idle kept-alive connections. And a client that
hung up mid-body was logged as a 500 with a traceback. Now headers and body each have a deadline
(``request_header_timeout_s``, ``request_body_timeout_s``) that ends in a 408 and a closed
connection, and a hang-up is one info line in the request log.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from faultkit import numbers_file, start_live_server

LIMIT_S = 1.0
HALF_OPEN = 100
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
UNFINISHED_HEADERS = b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/csv\r\n"
UNFINISHED_BODY = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                   b"Content-Length: 100\r\n\r\nASK {")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    live = start_live_server([(numbers_file(tmp_path_factory.mktemp("data"), 100), None)],
                             request_header_timeout_s=LIMIT_S, request_body_timeout_s=LIMIT_S, query_timeout_s=3.0)
    live.port = int(live.url.rsplit(":", 1)[1])
    yield live
    live.stop()


def _send(port: int, data: bytes) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(data)
    return client


def _answer(client: socket.socket, seconds: float) -> bytes:
    """Everything the server sends until it closes the connection (AssertionError if it does not in time)."""
    client.settimeout(seconds)
    received = b""
    try:
        while chunk := client.recv(65536):
            received += chunk
    except TimeoutError:
        raise AssertionError(f"the connection was still open after {seconds} s; got {received[:200]!r}") from None
    finally:
        client.close()
    return received


def test_half_open_requests_get_a_408_and_are_let_go(server: Any) -> None:
    started = time.monotonic()
    held = [_send(server.port, UNFINISHED_HEADERS if i % 2 else UNFINISHED_BODY) for i in range(HALF_OPEN)]
    with httpx.Client(base_url=server.url, timeout=5) as c:  # the server still answers meanwhile
        assert c.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"}).status_code == 200
    answers = [_answer(client, 10.0) for client in held]
    assert time.monotonic() - started < 10.0  # before: all held after 40 s
    assert all(answer.startswith(b"HTTP/1.1 408 ") for answer in answers)
    assert b"request_header_timeout_s" in answers[1] and b"request_body_timeout_s" in answers[0]


def test_a_slow_but_steady_request_and_a_long_answer_are_not_cut(server: Any) -> None:
    client = _send(server.port, UNFINISHED_HEADERS)
    time.sleep(LIMIT_S / 2)
    client.sendall(b"Connection: close\r\n\r\n")
    assert _answer(client, 10.0).startswith(b"HTTP/1.1 200 ")
    started = time.monotonic()  # the headers' deadline does not run while a query does
    with httpx.Client(base_url=server.url, timeout=30) as c:
        assert c.get("/sparql", params={"query": RUNAWAY}, headers={"Accept": "text/csv"}).status_code == 503
        assert time.monotonic() - started > 2 * LIMIT_S
        assert c.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"}).status_code == 200


def test_a_client_that_hangs_up_mid_body_is_one_info_line(server: Any, caplog: pytest.LogCaptureFixture) -> None:
    def logged() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "mcfkg.web" and r.getMessage().startswith("POST /sparql ")]

    with caplog.at_level(logging.INFO):
        client = _send(server.port, UNFINISHED_BODY)
        time.sleep(0.2)
        client.close()
        deadline = time.monotonic() + 5
        while not logged() and time.monotonic() < deadline:
            time.sleep(0.02)
    line = logged()[-1]
    assert line.levelno == logging.INFO and " 499 " in line.getMessage()
    assert "client disconnected" in line.getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]  # before: a 500 and a traceback
