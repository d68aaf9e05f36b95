"""A store process killed with SIGKILL: its workers die with it, the server says so, then recovers.

Before the fix the query workers lived on as orphans: ``/health`` answered 200, cheap queries were
served from stale data, INSERT DATA hung and runaway queries were never stopped.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from faultkit import TOKEN, start_live_server

ASK = {"query": "ASK {}"}
JSON = {"Accept": "application/sparql-results+json"}
WRITE = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
MARK = "INSERT DATA { GRAPH <http://example.org/written> { <http://example.org/a> <http://example.org/b> 1 } }"


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid``; a thread or process that ends while it is read is skipped."""
    found: set[int] = set()
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except FileNotFoundError:
            continue
        for child in children:
            found |= {int(child)} | _descendants(int(child))
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie (a dead child waits for its reaper in state Z)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def _wait_for(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture(params=["in-memory", "on-disk"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    on_disk = request.param == "on-disk"
    live = start_live_server(update_token=TOKEN, store_path=tmp_path / "store" if on_disk else None)
    live.on_disk = on_disk
    yield live
    live.stop()


def test_a_killed_store_takes_its_workers_along_and_comes_back(server: Any) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.post("/sparql", content=MARK, headers=WRITE).status_code == 204
        assert client.get("/health").status_code == 200
        store = server.store._engine._process.pid
        workers = _descendants(store)
        assert workers, "the store process runs its query processes"

        os.kill(store, signal.SIGKILL)
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 5.0), "orphaned query processes"

        # Until the store is back, every request fails at once with a 503 that says so.
        statuses = []
        while True:
            started = time.monotonic()
            response = client.get("/sparql", params=ASK, headers=JSON)
            statuses.append(response.status_code)
            assert time.monotonic() - started < 5.0, "a request waited on a dead store"
            if response.status_code == 200:
                break
            assert response.status_code == 503 and "restart" in response.text
            assert client.get("/health").status_code in (200, 503)
            assert len(statuses) < 600, "the store did not come back within 30 s"
            time.sleep(0.05)
        assert 503 in statuses, "the dead store was not noticed"

        assert client.get("/health").status_code == 200
        assert server.store._engine._process.pid != store
        written = client.get("/sparql", params={"query": "ASK { GRAPH <http://example.org/written> { ?s ?p 1 } }"},
                             headers=JSON).json()["boolean"]
        assert written is server.on_disk  # on disk, acknowledged writes survive; in memory, the files are reloaded
        assert client.post("/sparql", content=MARK, headers=WRITE).status_code == 204  # writes work again
