"""Every write is one transaction: SIGKILL the store process mid-write, reopen the store, and find
each graph as it was before or after a write (never empty, never partial) and every
acknowledged write there.

Before the fix a Graph Store PUT cleared the graph, created it and added the new triples as three
transactions: in 3 of 30 kills an acknowledged 1000-triple graph came back empty (this test, run
on that code, found an emptied graph within 14 trials for each of three seeds). Now every write
(upload, DELETE, SPARQL update) is one SPARQL update, which pyoxigraph commits as one transaction.

Each trial starts a real store process (``workers.supervise``: it owns the on-disk store and
applies every write in its writer thread) on the same store directory, and plays the web process:
several writers keep one write each in flight (PUTs replacing a named graph and the default graph
with 1000 triples, a graph PUT and DELETEd in turn, POSTs and SPARQL INSERT DATA adding batches)
and note each acknowledgement. At a random moment the store process is SIGKILLed (it has no
processes of its own here: no query workers are asked for), the store is reopened, and every
graph is checked against what was acknowledged and what was still in flight.

Uploads are sent already parsed, as the store process queues them when their parse process
answers (``mcfkg.sparql.upload``): parsing touches no store, and a parse process's fork server,
started afresh by every trial's store process, would cost half a second per trial.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from mcfkg.sparql.execute import Limits
from mcfkg.sparql.jobs import StoreSource
from mcfkg.sparql.workers import PoolConfig, supervise

TRIALS = 50
GRAPH_SIZE = 1000  # triples of each PUT
BATCH = 50  # triples of each POST or INSERT DATA
KILL_AFTER_S = (0.02, 0.3)  # the kill comes this long (uniformly) after the store process is ready
CONFIG = PoolConfig(workers=0, timeout_s=30, limits=Limits(max_result_rows=10**6))
EX = "http://example.org/durability/"
State = dict[int, int] | None  # triples per write number in a graph; None: the named graph does not exist


def _upload_job(triples: str, graph: str | None, replace: bool) -> tuple:
    """A parsed upload, as the store process queues it for its writer."""
    return ("load", triples.encode(), graph, replace)


def _triples(number: int, count: int) -> str:
    """``count`` triples, each tagged with the write's number; every tenth has a blank node subject."""
    return "".join(f'{"_:b%d" % i if i % 10 == 0 else "<%ss%d>" % (EX, i)} <{EX}p> "{number}|{i}" .\n'
                   for i in range(count))


@dataclass
class Writer:
    """One client writing to one graph, a write at a time: ``kind`` is put, put-delete, post or insert."""

    kind: str
    graph: str | None
    sent: int = 0  # writes sent so far; write n carries tag n
    acked: int = 0  # the last acknowledged write (put, put-delete)
    batches: set[int] = field(default_factory=set)  # the batches known to be stored (post, insert)
    in_flight: int | None = None

    def next_job(self) -> tuple:
        self.sent += 1
        self.in_flight = n = self.sent
        if self.kind == "put" or (self.kind == "put-delete" and n % 2):
            return _upload_job(_triples(n, GRAPH_SIZE), self.graph, True)
        if self.kind == "put-delete":
            return ("drop", self.graph)
        if self.kind == "post":
            return _upload_job(_triples(n, BATCH), self.graph, False)
        return ("update", f"INSERT DATA {{ GRAPH <{self.graph}> {{ {_triples(n, BATCH)} }} }}", (), (), None)

    def acknowledged(self) -> None:
        assert self.in_flight is not None
        self.acked, self.in_flight = self.in_flight, None
        self.batches.add(self.acked)

    def possible(self) -> list[State]:
        """The states the graph may be in: before the write in flight, or after it."""
        if self.kind in ("post", "insert"):
            stored = {n: BATCH for n in self.batches} or None
            return [stored] + ([{**(stored or {}), self.in_flight: BATCH}] if self.in_flight else [])
        return [self._after(self.acked)] + ([self._after(self.in_flight)] if self.in_flight else [])

    def settle(self, seen: State) -> None:
        """After the check: the write in flight happened if its tag is there."""
        if self.in_flight is not None and seen is not None and self.in_flight in seen:
            self.acknowledged()
        elif self.in_flight is not None and self.kind == "put-delete" and seen == self._after(self.in_flight):
            self.acknowledged()  # a DELETE that happened
        self.in_flight = None

    def _after(self, n: int) -> State:
        if n == 0 or (self.kind == "put-delete" and n % 2 == 0):
            return {} if self.graph is None else None
        return {n: GRAPH_SIZE}


def _observe(store: ox.Store, graph: str | None) -> State:
    """The triples per write number in ``graph`` (counted by the store: a Python loop would be slower)."""
    node = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
    if isinstance(node, ox.NamedNode) and not store.contains_named_graph(node):
        return None
    counts = store.query('SELECT ?tag (COUNT(*) AS ?n) { ?s ?p ?o BIND(STRBEFORE(?o, "|") AS ?tag) } GROUP BY ?tag',
                         default_graph=node)
    assert isinstance(counts, ox.QuerySolutions)
    return {int(row["tag"].value): int(row["n"].value) for row in counts}


def _trial(context: multiprocessing.context.BaseContext, path: Path, writers: list[Writer],
           rng: random.Random) -> int:
    """Write until a random moment, SIGKILL the store process; returns how many writes were acknowledged."""
    conn, child = context.Pipe()
    process = context.Process(target=supervise, args=(child, StoreSource(path=str(path)), CONFIG), daemon=True)
    process.start()
    child.close()
    try:
        assert conn.poll(30), "the store process did not start"
        status, detail = conn.recv()
        assert status == "ready", detail
        requests = itertools.count()
        pending: dict[int, Writer] = {}

        def send(writer: Writer) -> None:
            request = next(requests)
            pending[request] = writer
            conn.send(("write", request, writer.next_job()))

        for writer in writers:
            send(writer)
        acknowledged = 0
        kill_at = time.monotonic() + rng.uniform(*KILL_AFTER_S)
        while (left := kill_at - time.monotonic()) > 0:
            if not conn.poll(left):
                break
            kind, request, ok, value, _ = conn.recv()
            assert kind == "done" and ok, value
            writer = pending.pop(request)
            writer.acknowledged()
            acknowledged += 1
            send(writer)
    finally:
        process.kill()
        process.join()
        conn.close()
    return acknowledged


def _check(path: Path, writers: list[Writer], trial: int) -> None:
    store = ox.Store.read_only(str(path))  # replays the write-ahead log, as a read-write open does, 10x faster
    for writer in writers:
        seen = _observe(store, writer.graph)
        assert seen in writer.possible(), (f"trial {trial}: {writer.kind} graph {writer.graph} is {seen}, "
                                           f"expected one of {writer.possible()}")
        writer.settle(seen)
    del store
    gc.collect()  # closes RocksDB now, not whenever the collector runs


def test_no_write_is_lost_or_torn_by_a_sigkill(tmp_path: Path) -> None:
    context = multiprocessing.get_context("forkserver")  # a clean process, unlike pytest after RocksDB ran here
    context.set_forkserver_preload(["mcfkg.sparql.workers"])
    writers = [Writer("put", EX + "put"), Writer("put", None), Writer("put-delete", EX + "put-delete"),
               Writer("post", EX + "post"), Writer("insert", EX + "insert")]
    rng = random.Random(8)
    acknowledged = 0
    try:
        for trial in range(TRIALS):
            acknowledged += _trial(context, tmp_path / "store", writers, rng)
            _check(tmp_path / "store", writers, trial)
    finally:
        shutil.rmtree(tmp_path / "store", ignore_errors=True)
    assert acknowledged >= TRIALS, "too few writes were acknowledged before the kills to test anything"
