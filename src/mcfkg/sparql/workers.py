"""Run every store operation in processes that can be killed, so a runaway query really stops.

pyoxigraph cannot cancel a running query, and a thread cannot be killed. So:

- the web process starts one *store process* with the ``spawn`` context (a clean process:
  no threads inherited from uvicorn or pytest). It loads the store and owns it;
- the store process forks ``workers`` *query processes* from itself while it is
  single-threaded. An in-memory store is shared copy-on-write, so a fork is instant;
  an on-disk store is opened read-only by each worker (spawned: RocksDB's threads make
  forking it unsafe);
- reads (queries, dumps) go to a free worker with a deadline; past it the worker is killed
  (SIGKILL frees its CPU at once), the client gets QueryTimeout and a fresh worker is forked;
- writes (updates, uploads) run in the store process itself, one at a time, in a side
  thread so queries keep flowing; afterwards the workers are replaced by forks of the
  updated store, and the write is acknowledged only then (a client reads its own writes).
  Writes are authorised by token and are not cut off by the time limit.

The web process talks to the store process over one pipe: ``(request id, "read"|"write",
job)`` out, ``(request id, ok, value)`` back; a reader thread resolves futures.
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import multiprocessing.connection
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from mcfkg.sparql import execute
from mcfkg.sparql.model import ERRORS, StoreUnavailable


@dataclass(frozen=True)
class StoreSource:
    """Where the store's data comes from: an on-disk store directory and/or RDF files to load.

    ``files`` pairs a file with the graph its triples go into (None: the default graph; quad
    formats keep their own graphs). An on-disk store is loaded from the files only when empty.
    """

    path: str | None = None
    files: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class PoolConfig:
    workers: int
    timeout_s: float
    limits: execute.Limits


def open_store(source: StoreSource) -> ox.Store:
    """The store described by ``source``, loaded. Raises OSError/SyntaxError with the file named."""
    store = ox.Store(source.path) if source.path else ox.Store()
    if source.path and len(store):
        return store  # a persistent store keeps what it has, including updates
    for file, graph in source.files:
        fmt = ox.RdfFormat.from_extension(Path(file).suffix.lstrip("."))
        if fmt is None:
            raise ValueError(f"{file}: unknown RDF file extension (use .nq, .trig, .ttl, .nt, .rdf, .jsonld)")
        try:  # load, not bulk_load: bulk loading leaves threads behind, and this process forks
            store.load(path=file, format=fmt, to_graph=execute.graph_node(graph))
        except SyntaxError as exc:
            raise SyntaxError(f"{file}: {exc}") from exc
    return store


def _run_read(store: ox.Store, job: tuple, limits: execute.Limits) -> Any:
    name, *args = job
    if name == "query":
        return execute.run_query(store, *args, limits=limits)
    if name == "graphs":
        return execute.graph_names(store)
    if name == "dump":
        return execute.dump(store, *args[:2], limits, *args[2:])
    raise ValueError(f"unknown read job {name}")


def _run_write(store: ox.Store, job: tuple, limits: execute.Limits) -> Any:
    name, *args = job
    if name == "update":
        return execute.run_update(store, *args, limits=limits)
    if name == "load":
        return execute.load(store, *args)
    if name == "drop":
        return execute.drop(store, *args)
    raise ValueError(f"unknown write job {name}")


def _failure(exc: BaseException) -> tuple[bool, tuple[str, str]]:
    name = type(exc).__name__ if type(exc).__name__ in ERRORS else "QueryError"
    return False, (name, str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc))


def _worker_main(conn: multiprocessing.connection.Connection, store: ox.Store | None,
                 source: StoreSource, limits: execute.Limits) -> None:
    if store is None:
        store = ox.Store.read_only(source.path)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = (True, _run_read(store, job, limits))
        except Exception as exc:  # every failure goes back to the client, the worker lives on
            reply = _failure(exc)
        conn.send(reply)


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    generation: int
    request: int | None = None
    deadline: float = 0.0


@dataclass(eq=False)
class _Supervisor:
    """The loop of the store process: hands reads to workers, runs writes, enforces deadlines."""

    web: multiprocessing.connection.Connection
    store: ox.Store
    source: StoreSource
    config: PoolConfig
    generation: int = 0
    idle: list[_Worker] = field(default_factory=list)
    busy: dict[multiprocessing.connection.Connection, _Worker] = field(default_factory=dict)
    reads: deque = field(default_factory=deque)
    writes: deque = field(default_factory=deque)
    writer: threading.Thread | None = None

    def __post_init__(self) -> None:
        self.write_done, self._write_signal = multiprocessing.Pipe(duplex=False)
        self.context = multiprocessing.get_context("spawn" if self.source.path else "fork")

    def _spawn(self) -> None:
        parent, child = self.context.Pipe()
        inherited = None if self.source.path else self.store
        process = self.context.Process(target=_worker_main, name="mcfkg-query",
                                       args=(child, inherited, self.source, self.config.limits), daemon=True)
        process.start()
        child.close()
        self.idle.append(_Worker(process, parent, self.generation))

    def _retire(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def _fill(self) -> None:
        """Fork workers of the current generation up to the configured number (never during a write)."""
        if self.writer is not None:
            return
        for stale in [w for w in self.idle if w.generation != self.generation]:
            self.idle.remove(stale)
            self._retire(stale)
        current = sum(1 for w in [*self.idle, *self.busy.values()] if w.generation == self.generation)
        for _ in range(self.config.workers - current):
            self._spawn()

    def _reply(self, request: int, reply: tuple) -> None:
        self.web.send((request, *reply))

    def _start_write(self) -> None:
        if self.writer is not None or not self.writes:
            return
        request, job = self.writes.popleft()

        def run() -> None:
            try:
                reply = (True, _run_write(self.store, job, self.config.limits))
            except Exception as exc:
                reply = _failure(exc)
            self._write_signal.send((request, reply))

        self.writer = threading.Thread(target=run, name="mcfkg-write")
        self.writer.start()

    def _finish_write(self) -> None:
        request, reply = self.write_done.recv()
        self.writer.join()
        self.writer = None
        if reply[0]:
            self.generation += 1
        self._fill()
        self._reply(request, reply)
        self._start_write()

    def _collect(self, conn: multiprocessing.connection.Connection) -> None:
        worker = self.busy.pop(conn)
        try:
            reply = conn.recv()
        except (EOFError, OSError):
            reply = (False, ("StoreUnavailable", f"the query process died (exit code {worker.process.exitcode}); "
                                                 "the query may need more memory than the server has"))
            self._retire(worker)
        else:
            self.idle.append(worker)
        self._reply(worker.request, reply)

    def _expire(self) -> None:
        now = time.monotonic()
        for conn, worker in list(self.busy.items()):
            if worker.deadline <= now:
                del self.busy[conn]
                self._retire(worker)
                self._reply(worker.request, (False, ("QueryTimeout", (
                    f"the query was stopped after {self.config.timeout_s:g} s, this endpoint's time limit; "
                    "narrow it (LIMIT, more specific patterns) and try again"))))

    def _dispatch(self) -> None:
        while self.reads and self.idle:
            worker = self.idle.pop()
            if worker.generation != self.generation:
                self._retire(worker)
                continue
            worker.request, job = self.reads.popleft()
            worker.deadline = time.monotonic() + self.config.timeout_s
            worker.conn.send(job)
            self.busy[worker.conn] = worker

    def run(self) -> None:
        self._fill()
        while True:
            waits = [self.web, self.write_done, *self.busy]
            deadline = min((w.deadline for w in self.busy.values()), default=None)
            timeout = None if deadline is None else max(deadline - time.monotonic(), 0)
            for ready in multiprocessing.connection.wait(waits, timeout):
                if ready is self.web:
                    try:
                        request, kind, job = self.web.recv()
                    except (EOFError, OSError):
                        return  # the web process is gone
                    if kind == "close":
                        return
                    (self.reads if kind == "read" else self.writes).append((request, job))
                    self._start_write()
                elif ready is self.write_done:
                    self._finish_write()
                else:
                    self._collect(ready)
            self._expire()
            self._fill()
            self._dispatch()


def _supervise(web: multiprocessing.connection.Connection, source: StoreSource, config: PoolConfig) -> None:
    try:
        store = open_store(source)
    except Exception as exc:
        web.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    supervisor = _Supervisor(web, store, source, config)
    web.send(("ready", None))
    try:
        supervisor.run()
    finally:
        for worker in [*supervisor.idle, *supervisor.busy.values()]:
            worker.process.kill()


class Engine:
    """The web process's handle on the store process. Thread-safe; every call returns a Future."""

    def __init__(self, source: StoreSource, config: PoolConfig, start_timeout_s: float = 3600) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_supervise, args=(child, source, config), name="mcfkg-store")
        self._process.start()
        child.close()
        if not self._conn.poll(start_timeout_s):
            self._process.kill()
            raise StoreUnavailable("the store did not start in time")
        status, detail = self._conn.recv()
        if status != "ready":
            self._process.join()
            raise StoreUnavailable(f"the store could not be loaded: {detail}")
        self._ids = itertools.count()
        self._pending: dict[int, Future] = {}
        # Two locks: the reply reader needs only _lock, so it keeps draining replies while a
        # large job is being sent (one lock for both could deadlock against a large reply).
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._closed = False  # no more jobs are accepted
        self._stopping = False  # close() was called
        threading.Thread(target=self._read_replies, name="mcfkg-store-replies", daemon=True).start()
        atexit.register(self.close)

    def _read_replies(self) -> None:
        while True:
            try:
                request, ok, value = self._conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._pending.pop(request)
            if ok:
                future.set_result(value)
            else:
                name, message = value
                future.set_exception(ERRORS.get(name, StoreUnavailable)(message))
        with self._lock:
            self._closed = True
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_exception(StoreUnavailable("the store process stopped"))

    def submit(self, kind: str, job: tuple) -> Future:
        """Queue a ``"read"`` or ``"write"`` job; the Future holds its value or its error."""
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise StoreUnavailable("the store process is not running")
            request = next(self._ids)
            self._pending[request] = future
        try:
            with self._send_lock:
                self._conn.send((request, kind, job))
        except OSError as exc:
            with self._lock:
                self._pending.pop(request, None)
            raise StoreUnavailable("the store process is not running") from exc
        return future

    def call(self, kind: str, job: tuple) -> Any:
        return self.submit(kind, job).result()

    def close(self) -> None:
        """Stop the store process and its workers (idempotent)."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = self._closed = True
        try:
            with self._send_lock:
                self._conn.send((None, "close", None))  # the store process kills its workers and exits
        except OSError:
            pass  # it is gone already
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
