"""Queries whose answers or working sets are huge: refused by a named limit, never by the OOM killer.

Before the fix ``SELECT * { ?a ?b ?c . ?d ?e ?f }`` grew a query process to 2.8 GB in 22 s, the
row cap was applied only after the whole answer was serialised, and CSV answered a 400 with an
empty message. Now rows are counted while they stream, and every query process may allocate only
``process_memory_mb`` beyond the store it shares.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from faultkit import numbers_file, start_live_server

CROSS = "SELECT * { ?a ?b ?c . ?d ?e ?f }"  # 9 million rows over 3000 triples
SORTED_CROSS = CROSS + " ORDER BY ?c ?f"  # must materialise them all before the first row
FORMATS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    numbers = numbers_file(tmp_path_factory.mktemp("numbers"), count=3000)
    live = start_live_server([(numbers, None)], max_result_rows=10_000, process_memory_mb=256,
                             query_timeout_s=20)
    yield live
    live.stop()


@pytest.mark.parametrize("media_type", FORMATS)
def test_a_huge_answer_stops_at_the_row_cap_while_it_streams(server: Any, media_type: str) -> None:
    started = time.monotonic()
    response = httpx.get(server.sparql, params={"query": CROSS}, headers={"Accept": media_type}, timeout=30)
    assert response.status_code == 413
    assert "more than 10000 rows" in response.text
    assert time.monotonic() - started < 10  # far below the time limit: the cap, not the clock, stopped it


@pytest.mark.parametrize("query", [SORTED_CROSS, "SELECT (COUNT(DISTINCT *) AS ?n) { ?a ?b ?c . ?d ?e ?f }"])
def test_a_query_past_the_memory_limit_is_refused_by_name_and_the_server_lives_on(server: Any, query: str) -> None:
    response = httpx.get(server.sparql, params={"query": query}, headers={"Accept": "text/csv"}, timeout=30)
    assert response.status_code == 503
    assert "256 MB" in response.text and "process_memory_mb" in response.text
    ask = httpx.get(server.sparql, params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert ask.status_code == 200 and ask.json()["boolean"] is True


def test_an_answer_within_the_cap_is_whole(server: Any) -> None:
    response = httpx.get(server.sparql, params={"query": "SELECT * { ?s ?p ?o } LIMIT 3000"},
                         headers={"Accept": "text/csv"}, timeout=30)
    assert response.status_code == 200
    assert len(response.text.strip().splitlines()) == 3001


def test_literals_that_look_like_row_boundaries_do_not_count_as_rows(tmp_path: Path) -> None:
    """JSON and CSV row counts are upper bounds while streaming; an answer within the cap is still served."""
    tricky = tmp_path / "tricky.nt"
    tricky.write_text("".join(f'<http://example.org/s{i}> <http://example.org/p> "a}},{{b\\r\\nc\\r\\nd" .\n'
                              for i in range(40)))
    live = start_live_server([(tricky, None)], max_result_rows=50)
    try:
        for media_type in ("application/sparql-results+json", "text/csv"):
            response = httpx.get(live.sparql, params={"query": "SELECT * { ?s ?p ?o }"},
                                 headers={"Accept": media_type}, timeout=30)
            assert response.status_code == 200, response.text
    finally:
        live.stop()
