"""Short queries never wait behind runaway ones: the product's promise, measured under a flood.

Eight clients each send a runaway query (a triple cross product over 1,000 triples: 10^9 rows,
minutes of work, counted so that it needs no memory) to a server with the default worker
settings and a 10 s time limit. While all eight run, ``ASK {}`` is asked 20 times, one after
the other; each answer's latency is recorded. The promise: the median stays under 1 s and the
worst under 3 s, instead of waiting for the time limit to free a worker. The runaways must still
be stopped (503: by the time limit, or shed as long queries past their share of the pool) and the
server must answer normally afterwards.

The figures (median, max, every latency) are printed at the end of the run.
"""

from __future__ import annotations

import contextlib
import statistics
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from faultkit import LIBRARY, numbers_file, start_live_server

from mcfkg.config import Settings

TIME_LIMIT_S = 10.0
RUNAWAYS = 8
PROBES = 20
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PROBE = "ASK {}"
JSON = {"Accept": "application/sparql-results+json"}
MEDIAN_BOUND_S, MAX_BOUND_S = 1.0, 3.0


def report(request: pytest.FixtureRequest, line: str) -> None:
    """Write ``line`` to the terminal even while pytest captures output."""
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        if reporter is not None:
            reporter.write_line(line)
        else:
            print(line)


class Runaways:
    """``count`` runaway queries sent at once, each from its own client; records (status, seconds)."""

    def __init__(self, url: str, count: int) -> None:
        self.answers: list[tuple[int | str, float]] = []
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(url,), daemon=True) for _ in range(count)]
        for thread in self._threads:
            thread.start()

    def _run(self, url: str) -> None:
        started = time.monotonic()
        try:
            with httpx.Client(base_url=url, timeout=TIME_LIMIT_S + 20) as client:
                response = client.get("/sparql", params={"query": RUNAWAY}, headers=JSON)
            status: int | str = response.status_code
            if "share for long queries" in response.text:
                status = f"{status} (shed)"
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        with self._lock:
            self.answers.append((status, time.monotonic() - started))

    def finished(self) -> int:
        with self._lock:
            return len(self.answers)

    def join(self) -> None:
        for thread in self._threads:
            thread.join(TIME_LIMIT_S + 30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    numbers = numbers_file(tmp_path_factory.mktemp("numbers"), count=1000)
    live = start_live_server([(LIBRARY, None), (numbers, None)], query_timeout_s=TIME_LIMIT_S,
                             process_memory_mb=256)  # worker counts: the defaults
    yield live
    live.stop()


def test_short_queries_do_not_wait_behind_runaway_ones(server: Any, request: pytest.FixtureRequest) -> None:
    with httpx.Client(base_url=server.url, timeout=5) as warm:  # the server answers before the flood
        assert warm.get("/sparql", params={"query": PROBE}, headers=JSON).json()["boolean"] is True

    runaways = Runaways(server.url, RUNAWAYS)
    time.sleep(1.0)  # every runaway has reached a worker and is known to be long
    latencies: list[float] = []
    failures: list[str] = []
    with httpx.Client(base_url=server.url, timeout=TIME_LIMIT_S + 5) as client:
        for _ in range(PROBES):
            started = time.monotonic()
            try:
                response = client.get("/sparql", params={"query": PROBE}, headers=JSON)
                if response.status_code != 200 or response.json().get("boolean") is not True:
                    failures.append(f"{response.status_code} {response.text[:200]!r}")
            except httpx.HTTPError as exc:
                failures.append(repr(exc))
            latencies.append(time.monotonic() - started)
            time.sleep(0.1)
    still_running = RUNAWAYS - runaways.finished()  # the probes must all have run during the flood
    runaways.join()

    median, worst = statistics.median(latencies), max(latencies)
    report(request, f"starvation: {RUNAWAYS} runaways, {PROBES} x {PROBE!r}: median {median * 1000:.0f} ms, "
                    f"max {worst * 1000:.0f} ms; latencies (ms) {[round(s * 1000) for s in latencies]}; "
                    f"runaways {sorted((str(status), round(seconds, 1)) for status, seconds in runaways.answers)}")

    assert not failures, f"probes failed: {failures}"
    assert median < MEDIAN_BOUND_S and worst < MAX_BOUND_S, (
        f"ASK {{}} waited behind the runaways: median {median:.2f} s (bound {MEDIAN_BOUND_S} s), "
        f"max {worst:.2f} s (bound {MAX_BOUND_S} s)")
    # A pass means something only if the runaways outnumbered the base pool all along.
    assert still_running > Settings().query_workers, f"only {still_running} runaways still ran at the last probe"
    # The runaways themselves were stopped (by the time limit, or shed as long queries past their share).
    assert all(str(status).startswith("503") for status, _ in runaways.answers), runaways.answers
    assert max(seconds for _, seconds in runaways.answers) < TIME_LIMIT_S + 3


def test_the_server_answers_normally_after_the_flood(server: Any) -> None:
    with httpx.Client(base_url=server.url, timeout=5) as client:
        response = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}, headers=JSON)
    assert response.status_code == 200
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 1000  # numbers and library
