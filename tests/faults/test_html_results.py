"""format=html on a huge answer: the page is cut in the query process, so other requests go on meanwhile.

Before the fix the HTML results page fetched the whole answer into the web process and parsed it
on the event loop: with a 99 000-row answer every other request waited 5 s (9.7 s behind three
such pages) and the web process grew to 968 MB. Now only ``html_max_rows`` rows leave the query
process and the page is built in a worker thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from faultkit import numbers_file, start_live_server

HUGE = "SELECT * { ?a ?b ?c . ?d ?e ?f } LIMIT 99000"  # 315 x 315 numbers: 99 000 rows
PAGES = 3


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    live = start_live_server([(numbers_file(tmp_path_factory.mktemp("data"), 315), None)])
    yield live
    live.stop()


def test_huge_html_pages_do_not_hold_up_other_requests(server: Any) -> None:
    pages: list[httpx.Response] = []
    rss_before = _rss_bytes()

    def fetch() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            pages.append(c.get("/sparql", params={"query": HUGE, "format": "html"}))

    threads = [threading.Thread(target=fetch) for _ in range(PAGES)]
    for thread in threads:
        thread.start()
    slowest, peak = 0.0, rss_before
    with httpx.Client(base_url=server.url, timeout=30) as quick:
        while any(thread.is_alive() for thread in threads):
            started = time.monotonic()
            assert quick.get("/sparql", params={"query": "ASK {}"}).status_code == 200
            slowest, peak = max(slowest, time.monotonic() - started), max(peak, _rss_bytes())
    for thread in threads:
        thread.join()
    grown_mb = (max(peak, _rss_bytes()) - rss_before) / 2**20
    print(f"slowest ASK {slowest * 1000:.0f} ms while {PAGES} pages were built; web process peaked +{grown_mb:.0f} MB")
    assert [page.status_code for page in pages] == [200] * PAGES
    assert all("The first 1000 rows of a longer answer" in page.text for page in pages)
    assert slowest < 1.5  # before: 5 s, 9.7 s behind three pages
    assert grown_mb < 200  # before: 968 MB
