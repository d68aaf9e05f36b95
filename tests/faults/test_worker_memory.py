"""Query processes do not keep the memory a long query left them: one grown past its share is replaced.

A worker forked from the in-memory store shares its pages, but reading the store writes to them,
so after a query over much of the graph it held a private copy of that much: at a million
triples, five processes went from 495 MB (PSS) to 1,116 MB after four concurrent aggregates and
stayed there. Now a worker whose own memory passes ``worker_recycle_mb`` after a long query says
so in its reply and exits, and a fresh fork takes its place; no query fails on the way.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from faultkit import numbers_file, start_live_server

SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }"  # four million pairs over 2000 triples: well past 0.2 s
JSON = {"Accept": "application/sparql-results+json"}


def _workers(live: Any) -> set[int]:
    """The pids of the store process's children: the query processes (an in-memory store forks them)."""
    store_pid = live.store._engine._process.pid
    return {int(pid) for pid in Path(f"/proc/{store_pid}/task/{store_pid}/children").read_text().split()}


def _count(live: Any) -> int:
    response = httpx.get(live.sparql, params={"query": SLOW}, headers=JSON, timeout=60)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def _replaced(live: Any, before: set[int], within_s: float = 10) -> set[int]:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        now = _workers(live)
        if now and not now & before:
            return now
        time.sleep(0.05)
    raise AssertionError(f"the query process {before} was not replaced")


def test_a_worker_past_its_share_after_a_long_query_is_replaced_and_every_query_is_answered(tmp_path: Path) -> None:
    numbers = numbers_file(tmp_path, count=2000)
    live = start_live_server([(numbers, None)], worker_recycle_mb=1, query_workers=1, max_query_workers=1,
                             query_timeout_s=30)
    try:
        first = _workers(live)
        assert len(first) == 1
        assert _count(live) == 4_000_000
        second = _replaced(live, first)
        for _ in range(30):  # short queries are not measured: the fresh worker answers them all
            response = httpx.get(live.sparql, params={"query": "ASK { ?s ?p 7 }"}, headers=JSON, timeout=10)
            assert response.status_code == 200 and response.json()["boolean"] is True
        assert _workers(live) == second
        assert _count(live) == 4_000_000  # and the next long one is answered whole too
        _replaced(live, second)
    finally:
        live.stop()


def test_a_worker_within_its_share_is_kept(tmp_path: Path) -> None:
    numbers = numbers_file(tmp_path, count=2000)
    live = start_live_server([(numbers, None)], query_workers=1, max_query_workers=1, query_timeout_s=30)
    try:
        first = _workers(live)
        assert _count(live) == 4_000_000
        time.sleep(0.5)
        assert _workers(live) == first  # the default share (64 MB) is far above what this query leaves
    finally:
        live.stop()


def test_with_no_share_a_worker_is_never_replaced(tmp_path: Path) -> None:
    numbers = numbers_file(tmp_path, count=2000)
    live = start_live_server([(numbers, None)], worker_recycle_mb=0, query_workers=1, max_query_workers=1,
                             query_timeout_s=30)
    try:
        first = _workers(live)
        assert _count(live) == 4_000_000
        time.sleep(0.5)
        assert _workers(live) == first
    finally:
        live.stop()
