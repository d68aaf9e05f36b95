"""The HTML results page (format=html) shows at most ``html_max_rows`` rows and says when it cut the answer."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

COUNT = 300
ALL = "SELECT ?n ?v WHERE { ?n <http://example.org/value> ?v }"


@pytest.fixture(scope="module")
def numbers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "numbers.ttl"
    path.write_text("".join(f"<http://example.org/n{i}> <http://example.org/value> {i} .\n" for i in range(COUNT)))
    return path


def _rows(page: httpx.Response) -> int:
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), page.text[:300]
    return page.text.count("<tr>") - 1  # the header row


def test_a_long_answer_is_cut_at_the_cap_and_the_page_says_how_to_get_it_all(live_server_factory, numbers) -> None:
    server = live_server_factory(data=[(numbers, None)], html_max_rows=50)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        page = client.get("/sparql", params={"query": ALL, "format": "html"})
        assert _rows(page) == 50
        assert "The first 50 rows of a longer answer" in page.text and "LIMIT and OFFSET" in page.text
        assert "format=csv" in page.text and "format=json" in page.text
        graph = client.post("/sparql", data={"query": "CONSTRUCT WHERE { ?n ?p ?v }", "format": "html"})
        assert _rows(graph) == 50 and "of a longer answer" in graph.text
        short = client.post("/sparql", data={"query": ALL + " LIMIT 50", "format": "html"})
        assert _rows(short) == 50 and "50 rows." in short.text and "longer answer" not in short.text


def test_the_page_never_shows_more_than_the_result_cap(live_server_factory, numbers) -> None:
    server = live_server_factory(data=[(numbers, None)], html_max_rows=1000, max_result_rows=20)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        page = client.get("/sparql", params={"query": ALL, "format": "html"})
    assert _rows(page) == 20 and "The first 20 rows of a longer answer" in page.text
    assert "up to 20 rows" in page.text
