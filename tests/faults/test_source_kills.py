"""SIGKILL the server at random moments while sources are ingested and retracted over HTTP and clients
update and PUT graphs; after every restart each acknowledged write is there and nothing is partial.

A real `mcfkg serve --store` (as `make run` serves) over a copy of the project. Four loops run
against it, each with one request in flight: POST /sources and DELETE /sources/{id} of the test
fixture in turn (each a whole validated rebuild, several seconds: most kills land inside one), SPARQL
INSERT DATA of numbered batches, Graph Store PUTs of numbered graphs and DELETEs of earlier ones.
At a random moment the server process is SIGKILLed (its store process and any ingest under way die
with it), the server is started again on the same files, and:

- every acknowledged batch or PUT graph is there whole, every acknowledged DELETE is gone, and a
  write in flight at the kill is there whole or not at all;
- the source is there whole (all its quads, in data/ and in the store) or not at all, and as
  acknowledged when nothing was in flight;
- the store's build graphs are exactly dist/mcfkg.nq (no build half taken), and dist/ is not older
  than data/ (no change on disk that the server does not serve).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from mcfkg.sources.document import read_quads
from project_copy import ROOT, TOKEN, ProjectServer

TRIALS = int(os.environ.get("MCFKG_SOURCE_KILL_TRIALS", "50"))
# The kill comes uniformly within this share of the time one ingest takes beside the other loops
# (measured first, without a kill): about a quarter of the kills come after a source change is
# acknowledged, most while one runs (a whole rebuild: 10-35 s on this machine, by load).
KILL_SPREAD = 1.3
PAUSE_S = 0.2  # between two graph writes of a loop, so that the ingest gets its share of the CPU
BATCH = 20
EX = "http://example.org/kills/"
FIXTURE = ROOT / "tests" / "data" / "sources" / "test-fixture-qingshan-optics.trig"
SOURCE_ID = "test-fixture-qingshan-optics"
SOURCE_QUADS = len(read_quads(FIXTURE))


@dataclass
class Ledger:
    """What each loop sent and what was acknowledged."""

    acknowledged: set[str] = field(default_factory=set)  # graphs that must be there whole
    deleted: set[str] = field(default_factory=set)  # graphs whose DELETE was acknowledged
    in_flight: set[str] = field(default_factory=set)  # graphs whose write had no answer yet
    source: bool | None = None  # the last acknowledged state of the source (None: not changed yet)
    source_in_flight: bool = False
    source_changes: int = 0  # acknowledged ingests and retracts, over all trials
    failures: list[str] = field(default_factory=list)  # answers no loop expects: the test fails on them


def _triples(graph: str) -> str:
    return "".join(f"<{graph}/s{i}> <{EX}p> {i} .\n" for i in range(BATCH))


def _loop(server: ProjectServer, ledger: Ledger, lock: threading.Lock, stop: threading.Event, kind: str,
          numbers: Iterator[int]) -> None:
    client = httpx.Client(timeout=120, headers={"Authorization": f"Bearer {TOKEN}"})
    while not stop.is_set():
        try:
            if kind == "source":
                ingest = not ledger.source
                with lock:
                    ledger.source_in_flight = True
                if ingest:
                    answer = client.post(f"{server.root}/sources?distinct=mcfid:test-fixture-mianyang",
                                         content=FIXTURE.read_bytes(), headers={"Content-Type": "application/trig"})
                else:
                    answer = client.delete(f"{server.root}/sources/{SOURCE_ID}")
                with lock:
                    if answer.status_code in (200, 201):
                        ledger.source, ledger.source_in_flight = ingest, False
                        ledger.source_changes += 1
                    else:
                        ledger.failures.append(f"{answer.request.method} {answer.status_code}: {answer.text[:300]}")
                continue
            graph = f"{EX}{kind}{next(numbers)}"
            with lock:
                ledger.in_flight.add(graph)
            if kind == "update":
                answer = client.post(f"{server.root}/sparql",
                                     data={"update": f"INSERT DATA {{ GRAPH <{graph}> {{ {_triples(graph)} }} }}"})
            else:
                answer = client.put(f"{server.root}/rdf-graph-store", params={"graph": graph},
                                    content=_triples(graph).encode(), headers={"Content-Type": "text/turtle"})
            with lock:
                if answer.status_code in (200, 201, 204):
                    ledger.in_flight.discard(graph)
                    ledger.acknowledged.add(graph)
                else:
                    ledger.failures.append(f"{kind} {answer.status_code}: {answer.text[:300]}")
            if kind == "put" and ledger.acknowledged and random.random() < 0.3:
                with lock:
                    victim = random.choice(sorted(g for g in ledger.acknowledged if "/put" in g) or [graph])
                    ledger.in_flight.add(victim)
                if client.delete(f"{server.root}/rdf-graph-store", params={"graph": victim}).status_code in (200, 204):
                    with lock:
                        ledger.in_flight.discard(victim)
                        ledger.acknowledged.discard(victim)
                        ledger.deleted.add(victim)
            stop.wait(PAUSE_S)
        except httpx.HTTPError:
            return  # the server was killed
        except Exception as exc:  # a bug of the test itself must not pass as a quiet loop
            ledger.failures.append(f"{kind} loop: {exc!r}")
            return


def _graph_sizes(server: ProjectServer) -> dict[str, int]:
    answer = httpx.post(f"{server.root}/sparql", timeout=60, headers={"Accept": "application/sparql-results+json"},
                        data={"query": f'SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                                       f'FILTER (STRSTARTS(STR(?g), "{EX}")) }} GROUP BY ?g'})
    answer.raise_for_status()
    return {row["g"]["value"]: int(row["n"]["value"]) for row in answer.json()["results"]["bindings"]}


def _check(server: ProjectServer, ledger: Ledger, trial: int) -> None:
    assert not ledger.failures, f"trial {trial}: {ledger.failures[:3]}"
    sizes = _graph_sizes(server)
    for graph, size in sizes.items():
        assert size == BATCH, f"trial {trial}: {graph} holds {size} of {BATCH} triples (a torn write)"
    for graph in ledger.acknowledged - ledger.in_flight:
        assert graph in sizes, f"trial {trial}: acknowledged {graph} is lost"
    for graph in ledger.deleted - ledger.in_flight:
        assert graph not in sizes, f"trial {trial}: the acknowledged DELETE of {graph} is undone"
    # What the kill decided for writes in flight is now what is there.
    ledger.acknowledged = {g for g in ledger.acknowledged | ledger.in_flight if g in sizes}
    ledger.deleted = {g for g in ledger.deleted | ledger.in_flight if g not in sizes}
    ledger.in_flight.clear()

    source_file = server.data / "sources" / f"{SOURCE_ID}.trig"
    quads = server.count(f'GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "https://w3id.org/mcfkg/graph/{SOURCE_ID}"))')
    assert quads in (0, SOURCE_QUADS), f"trial {trial}: the source is partly there ({quads} quads)"
    assert (quads == SOURCE_QUADS) == source_file.exists(), f"trial {trial}: data/ and the store disagree"
    if not ledger.source_in_flight and ledger.source is not None:
        assert (quads == SOURCE_QUADS) == ledger.source, f"trial {trial}: the acknowledged source change is lost"
    ledger.source, ledger.source_in_flight = quads == SOURCE_QUADS, False

    build_lines = sum(1 for line in (server.dist / "mcfkg.nq").read_bytes().splitlines() if line.strip())
    served = server.count(f'GRAPH ?g {{ ?s ?p ?o }} FILTER (!STRSTARTS(STR(?g), "{EX}"))')
    assert served == build_lines, f"trial {trial}: the store's build graphs hold {served} quads, dist/ {build_lines}"


def _time_one_ingest(server: ProjectServer, ledger: Ledger, lock: threading.Lock, counter: Iterator[int]) -> float:
    """Seconds until the first source change is acknowledged with the graph loops running beside it."""
    stop = threading.Event()
    loops = [threading.Thread(target=_loop, args=(server, ledger, lock, stop, kind, counter), daemon=True)
             for kind in ("source", "update", "put")]
    start = time.monotonic()
    for loop in loops:
        loop.start()
    while ledger.source_changes == 0:
        assert not ledger.failures and time.monotonic() - start < 600, ledger.failures[:3]
        time.sleep(0.1)
    seconds = time.monotonic() - start
    stop.set()
    for loop in loops:
        loop.join(120)
    return seconds


@pytest.mark.timeout(3600)
def test_no_acknowledged_write_is_lost_and_no_source_is_partial(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("MCFKG_FAULT_SEED", "10")))
    server = ProjectServer(tmp_path)
    ledger, lock = Ledger(), threading.Lock()
    counter = iter(range(10**9))
    try:
        server.start()
        ingest_s = _time_one_ingest(server, ledger, lock, counter)
        _check(server, ledger, -1)
        for trial in range(TRIALS):
            stop = threading.Event()
            loops = [threading.Thread(target=_loop, args=(server, ledger, lock, stop, kind, counter), daemon=True)
                     for kind in ("source", "update", "put")]
            for loop in loops:
                loop.start()
            time.sleep(rng.uniform(0.1, KILL_SPREAD * ingest_s))
            server.kill()
            stop.set()
            for loop in loops:
                loop.join(60)
            server.start()
            _check(server, ledger, trial)
        # The kills landed while the loops wrote: the checks above were not vacuous.
        assert ledger.source_changes >= 1 + TRIALS // 10, f"only {ledger.source_changes} acknowledged ingests or retracts"
        assert len(ledger.acknowledged) + len(ledger.deleted) >= TRIALS, "too few acknowledged graph writes"
    finally:
        server.stop()
