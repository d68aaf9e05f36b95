"""The store process: it owns the store, runs writes and forks the killable query processes.

pyoxigraph cannot cancel a running query, and a thread cannot be killed. So:

- the web process starts one *store process* with the ``spawn`` context (a clean process:
  no threads inherited from uvicorn or pytest). It loads the store and owns it;
- the store process forks *query processes* from itself while it is single-threaded: as
  many as the web process asks for (``("size", n)``: between ``workers`` and
  ``max_workers``; it grows the pool while runaway queries hold workers, and shrinks it
  when extras sit idle). An in-memory store is shared copy-on-write, so a fork is instant;
  an on-disk store is opened read-only by each worker (started by a fork server: RocksDB's
  threads make forking the store process unsafe). Each worker's end of its pipe is handed to the web process
  (``send_handle``), which sends reads straight to the workers: one hop per query, not two
  (see ``mcfkg.sparql.engine``, which also enforces the deadlines);
- past a deadline the web process asks for the worker to be killed: SIGKILL frees its CPU
  at once, a fresh worker is forked, and only then is the client told (QueryTimeout);
- writes (updates, uploads) run in the store process itself, one at a time, in a side
  thread so queries keep flowing; afterwards workers of the updated store are forked and
  handed over *before* the write is acknowledged, so a client reads its own writes;
- an update with a WHERE (which can run as long as any query) is first tried on a copy of the store
  in a *trial process* (a fork of an in-memory store; a RocksDB checkpoint, which is hard
  links, of an on-disk one): past the time limit the trial is killed and the update is
  refused with nothing changed; only an update whose trial finished in time is applied.
  The time counts from the update's arrival, so a queue of writes cannot wait forever.
- a graph of the build (``mcfkg.sparql.build_graphs``) changes only by a ``("sync", path)`` write;
  an upload or drop naming one is refused, and every update is tried first (above) and refused if
  the trial changed one;
- an upload is first parsed in a *parse process* (``mcfkg.sparql.upload``), bounded in time and
  memory, beside the other writes; only its parsed triples are written, in one transaction.

Every process started here dies with the store process and may allocate only so much memory
(``sandbox``); without a SERVICE allow-list none of them has a network (the store process leaves
the host's network before it loads the store).

Messages from the web process: ``("write", request, job)``, ``("federate", request, job)``, ``("size", n)``, ``("kill", pid)``, ``("close",)``.
To it: ``("worker", pid, generation)`` followed by the pipe's descriptor, ``("killed", pid)``
and ``("done", request, ok, value, generation)``.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import multiprocessing.context
import multiprocessing.reduction
import os
import shutil
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from mcfkg.leftovers import SNAPSHOT_PREFIX, TRIAL_PREFIX, owned_prefix
from mcfkg.sparql import build_graphs, execute, sandbox, upload
from mcfkg.sparql.federation import FederatedQueries
from mcfkg.sparql.lexical import matches_patterns
from mcfkg.sparql.model import ProtectedGraph, QueryTimeout, out_of_memory, outcome
from mcfkg.sparql.jobs import StoreSource, open_store, run_read, run_write
from mcfkg.sparql.stack import on_large_stack


@dataclass(frozen=True)
class PoolConfig:
    """``workers`` query processes always run; up to ``max_workers`` while queries wait for one."""

    workers: int
    timeout_s: float
    limits: execute.Limits
    max_workers: int = 0  # 0: ``workers``
    # At most this many queries may run longer than ``long_query_s`` at once (0: no share): the
    # other workers stay free for short queries, however many runaway ones arrive.
    max_long_queries: int = 0
    long_query_s: float = 0.5
    # A worker whose own (unshared) memory passes this after a query asks to be replaced (0: never): see _grown.
    recycle_mb: int = 0

    @property
    def most_workers(self) -> int:
        return max(self.workers, self.max_workers)



def _worker_main(conn: multiprocessing.connection.Connection, store: ox.Store | str,
                 limits: execute.Limits, recycle_mb: int = 0) -> None:
    """Serve reads from ``store``: the forked parent's store, or the path of an on-disk one to open read-only."""
    sandbox.confine(limits.process_memory_mb)
    if isinstance(store, str):
        store = ox.Store.read_only(store)
    # The whole loop runs on the large stack (room for deep queries): no hand-off between threads per query.
    on_large_stack(_serve_reads, conn, store, limits, recycle_mb)


def _serve_reads(conn: multiprocessing.connection.Connection, store: ox.Store, limits: execute.Limits,
                 recycle_mb: int = 0) -> None:
    """Answer read jobs one after the other until the web process hangs up, or until this process has
    grown past ``recycle_mb``: then its last reply says so (:data:`REPLACE_ME`) and it exits, and the
    web process has the store process fork a fresh one in its place."""
    since_measured = 0
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        started = time.monotonic()
        reply = outcome(lambda: run_read(store, job, limits), limits.process_memory_mb)
        since_measured += 1
        if recycle_mb and (time.monotonic() - started >= MEASURE_AFTER_S or since_measured >= MEASURE_EVERY):
            since_measured = 0
            if _own_memory_mb() > recycle_mb:
                conn.send((*reply, REPLACE_ME))
                return
        conn.send(reply)


# Measuring a process's own memory reads /proc/self/smaps_rollup, which costs milliseconds at a million
# triples: it is done after a query this long (a short one touches few of the store's pages) or this many.
MEASURE_AFTER_S, MEASURE_EVERY = 0.2, 1000
REPLACE_ME = "replace me"  # the third element of a worker's last reply


def _own_memory_mb() -> float:
    """Megabytes of this process's pages that no other process shares (0 where /proc cannot say)."""
    try:
        text = Path("/proc/self/smaps_rollup").read_text()
    except OSError:
        return 0.0
    return sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("Private_")) / 1024


def _trial_main(conn: multiprocessing.connection.Connection, store: ox.Store | str, job: tuple,
                limits: execute.Limits, protected: dict[str, str]) -> None:
    """Apply ``job`` to this process's own copy of the store (the forked parent's, or a checkpoint
    directory to open) and report how that went: ProtectedGraph if it changed a build graph
    (``protected``: graph -> digest before)."""
    sandbox.confine(limits.process_memory_mb)
    if isinstance(store, str):
        store = ox.Store(store)

    def attempt() -> Any:
        value = run_write(store, job, limits)
        graph = build_graphs.changed(store, protected) if protected else None
        if graph is not None:
            raise ProtectedGraph(build_graphs.protected_message(graph))
        return value

    conn.send(outcome(attempt, limits.process_memory_mb))


@dataclass(eq=False)
class _Trial:
    """An update being tried on a copy of the store (see the module docstring)."""

    request: int
    job: tuple
    deadline: float
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    checkpoint: str | None


def _fork_server() -> multiprocessing.context.ForkServerContext:
    """Where the processes of an on-disk store come from: RocksDB's threads make forking the store
    process unsafe, and spawning a fresh interpreter costs about a second per worker, so a fork
    server that has imported this module (and holds no store) forks them in milliseconds."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


@dataclass(eq=False)
class Supervisor:
    """The loop of the store process: forks and kills workers, runs writes one at a time."""

    web: multiprocessing.connection.Connection
    store: ox.Store
    source: StoreSource
    config: PoolConfig
    generation: int = 0
    workers: dict[int, tuple[multiprocessing.process.BaseProcess, int]] = field(default_factory=dict)
    writes: deque = field(default_factory=deque)  # (request, job, deadline)
    writer: threading.Thread | None = None
    trial: _Trial | None = None
    size: int = 0  # query processes of the current generation to keep (the web process decides)
    host_network: sandbox.NetworkHandle | None = None  # for federated queries (see supervise)
    snapshots: dict[int, str] = field(default_factory=dict)  # on disk: generation -> its checkpoint
    protected: dict[str, str] = field(default_factory=dict)  # the build's graphs -> their digests
    build_record: dict[str, str | None] = field(default_factory=dict)  # see build_graphs.sync

    def __post_init__(self) -> None:
        self.size = self.config.workers
        self.limits = self.config.limits  # and the build's graphs, once it has taken one
        self.write_done, self._write_signal = multiprocessing.Pipe(duplex=False)
        self.context: multiprocessing.context.ForkServerContext | multiprocessing.context.ForkContext = (
            _fork_server() if self.source.path else multiprocessing.get_context("fork"))
        self.federated = FederatedQueries(self.context, self.store, self.limits,
                                          self.config.timeout_s, self.host_network)
        self.federated_waiting: deque = deque()  # (request, job, deadline) held while a write runs
        self.parses = upload.Parses(_fork_server(), self.config.limits, self.config.timeout_s)

    def _readable(self) -> ox.Store | str:
        """What a reading process gets: the in-memory store to fork, or the current generation's checkpoint.

        RocksDB forbids opening a store read-only while another process writes it (compactions
        delete files under the reader's feet), so on disk every generation gets a checkpoint (hard
        links, milliseconds) that no one writes, removed once its last reader is gone.
        """
        if not self.source.path:
            return self.store
        if self.generation not in self.snapshots:
            snapshot = tempfile.mkdtemp(prefix=owned_prefix(SNAPSHOT_PREFIX))  # removed at start if left here
            shutil.rmtree(snapshot)  # backup() creates the directory itself
            self.store.backup(snapshot)
            self.snapshots[self.generation] = snapshot
        return self.snapshots[self.generation]

    def _release_snapshots(self) -> None:
        """Remove the checkpoints of older generations that no process reads any more."""
        read = {generation for _, generation in self.workers.values()}
        if self.federated.calls:
            return  # a federated query may still open files of the checkpoint it was given
        for generation in [g for g in self.snapshots if g < self.generation and g not in read]:
            shutil.rmtree(self.snapshots.pop(generation), ignore_errors=True)

    def _spawn(self) -> None:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker_main, name="mcfkg-query",
                                       args=(child, self._readable(), self.limits, self.config.recycle_mb), daemon=True)
        process.start()
        child.close()
        pid = process.pid
        assert pid is not None, "a started process has a pid"
        self.workers[pid] = (process, self.generation)
        self.web.send(("worker", pid, self.generation))
        multiprocessing.reduction.send_handle(self.web, parent.fileno(), 0)  # the pid is unused on POSIX
        parent.close()  # the web process holds its own copy now

    def _start_federated(self) -> None:
        """Start the federated queries that wait, unless a write runs (forking then is unsafe, as in _fill)."""
        while self.federated_waiting and self.writer is None:
            self.federated.store = self._readable()
            self.federated.start(*self.federated_waiting.popleft())

    def _fill(self) -> None:
        """Fork workers of the current generation up to ``size`` (never during a write:
        forking while the writer thread holds the store's locks could leave them locked in the child)."""
        if self.writer is not None:
            return
        current = sum(1 for _, generation in self.workers.values() if generation == self.generation)
        for _ in range(self.size - current):
            self._spawn()

    def _kill(self, pid: int) -> None:
        process, _ = self.workers.pop(pid)
        process.kill()
        process.join()
        self._release_snapshots()
        self._fill()
        self.web.send(("killed", pid))

    def _start_write(self) -> None:
        """Start the next write: an update's trial first, anything else (bounded by the body cap) at once."""
        if self.writer is not None or self.trial is not None or not self.writes:
            return
        request, job, deadline = self.writes.popleft()
        named = job[2] if job[0] == "load" else job[1] if job[0] == "drop" else None  # an upload's or drop's graph
        if named is not None and named in self.protected:
            self._refuse(request, build_graphs.protected_message(named), ProtectedGraph)
        elif job[0] != "update" or not (self.protected or matches_patterns(job[1])):  # bounded: no trial
            self._apply(request, job)
        elif time.monotonic() >= deadline:
            self._refuse(request, f"the update waited {self.config.timeout_s:g} s, this endpoint's time limit, "
                                  "behind other writes and was not run; try again later")
        else:
            self._start_trial(request, job, deadline)

    def _start_trial(self, request: int, job: tuple, deadline: float) -> None:
        parent, child = self.context.Pipe()
        checkpoint = None
        if self.source.path:  # RocksDB's threads make forking unsafe: a spawned process opens a checkpoint
            checkpoint = tempfile.mkdtemp(prefix=owned_prefix(TRIAL_PREFIX))  # removed at start if left here
            shutil.rmtree(checkpoint)  # backup() creates the directory itself
            self.store.backup(checkpoint)
        process = self.context.Process(target=_trial_main, name="mcfkg-update-trial",
                                       args=(child, checkpoint or self.store, job, self.limits,
                                             self.protected), daemon=True)
        process.start()
        child.close()
        self.trial = _Trial(request, job, deadline, process, parent, checkpoint)

    def _finish_trial(self, trial: _Trial) -> None:
        """The trial answered or ran out of time: apply the update, or refuse it with nothing changed."""
        self.trial = None
        reply = None
        if trial.conn.poll():
            try:
                reply = trial.conn.recv()
            except (EOFError, OSError):
                reply = (False, ("StoreUnavailable", out_of_memory("the update's trial process died",
                                                                       self.config.limits.process_memory_mb)))
        trial.process.kill()
        trial.process.join()
        trial.conn.close()
        if trial.checkpoint:
            shutil.rmtree(trial.checkpoint, ignore_errors=True)
        if reply is None:
            self._refuse(trial.request, f"the update was stopped after {self.config.timeout_s:g} s, this "
                                        "endpoint's time limit, and nothing was changed; narrow its WHERE "
                                        "clause and try again")
        elif reply[0]:
            self._apply(trial.request, trial.job)
        else:
            self.web.send(("done", trial.request, *reply, self.generation))
            self._start_write()

    def _queue_parsed(self, outcomes: list[tuple[int, upload.Outcome]]) -> None:
        """Queue each parsed upload's write (storing its triples); tell the refused ones why."""
        if not outcomes:
            return
        for request, (ok, value) in outcomes:
            if ok:
                self.writes.append((request, value, time.monotonic()))
            else:
                self.web.send(("done", request, False, value, self.generation))
        self._start_write()

    def _refuse(self, request: int, message: str, error: type[Exception] = QueryTimeout) -> None:
        self.web.send(("done", request, False, (error.__name__, message), self.generation))
        self._start_write()

    def _apply(self, request: int, job: tuple) -> None:
        """Run a write on the store itself, in a side thread so the loop keeps serving."""

        def run() -> None:
            write = (lambda: self.take_build(job[1])) if job[0] == "sync" else lambda: run_write(self.store, job,
                                                                                         self.limits)
            reply = outcome(write, self.limits.process_memory_mb)
            self._write_signal.send((request, reply))

        self.writer = threading.Thread(target=run, name="mcfkg-write")
        self.writer.start()

    def take_build(self, build: str | None = None) -> str:  # also called by supervise() before the loop
        """Bring the store in step with a build (``("sync", path)``, or the source's at start); what changed."""
        report, self.build_record = build_graphs.sync(self.store, build or str(self.source.build), self.build_record,
                                                      self.source.path, self.limits.union_graph,
                                                      self.limits.union_excludes)
        self.protected = build_graphs.digests(self.store, set(self.build_record))
        self.limits = self.federated.limits = replace(self.limits, build_graphs=frozenset(self.build_record))
        return str(report)

    def _finish_write(self) -> None:
        request, reply = self.write_done.recv()
        if self.writer is not None:  # always set here: only the writer thread signals write_done
            self.writer.join()
        self.writer = None
        if reply[0]:
            self.generation += 1
        self._fill()  # hands over the updated store's workers before the write is acknowledged
        self.web.send(("done", request, *reply, self.generation))
        self._start_federated()
        self._start_write()

    def run(self) -> None:
        self._fill()
        while True:
            waiting: list[Any] = [self.web, self.write_done, *self.federated.pipes, *self.parses.pipes]
            deadlines = [self.federated.next_deadline(), self.parses.next_deadline()]
            if self.trial is not None:
                waiting.append(self.trial.conn)
                deadlines.append(self.trial.deadline)
            soonest = min((d for d in deadlines if d is not None), default=None)
            timeout = None if soonest is None else max(soonest - time.monotonic(), 0)
            ready_list = multiprocessing.connection.wait(waiting, timeout)
            if self.trial is not None and (self.trial.conn in ready_list or time.monotonic() >= self.trial.deadline):
                self._finish_trial(self.trial)
            for request, reply in self.federated.finished(ready_list):
                self.web.send(("done", request, *reply, self.generation))
            self._queue_parsed(self.parses.finished(ready_list))
            for ready in ready_list:
                if ready is self.write_done:
                    self._finish_write()
                    continue
                if ready is not self.web:
                    continue  # a trial's, federated query's or parse's pipe, handled above
                try:
                    kind, *args = self.web.recv()
                except (EOFError, OSError):
                    return  # the web process is gone
                if kind == "close":
                    return
                if kind == "kill":
                    self._kill(*args)
                elif kind == "size":
                    self.size = min(max(args[0], self.config.workers), self.config.most_workers)
                    self._fill()
                elif kind == "federate":
                    request, job = args
                    self.federated_waiting.append((request, job, time.monotonic() + self.config.timeout_s))
                    self._start_federated()
                elif args[1][0] == "upload":  # parsed first, in a process of its own
                    request, job = args
                    self.parses.add(request, job, time.monotonic() + self.config.timeout_s)
                else:
                    request, job = args
                    self.writes.append((request, job, time.monotonic() + self.config.timeout_s))
                    self._start_write()


def supervise(web: multiprocessing.connection.Connection, source: StoreSource, config: PoolConfig) -> None:
    """The store process's main function: load the store, report, then serve until closed.

    The process first leaves the host's network (with every process it will start), so nothing it
    runs can open a connection, whatever the operation's text; with a SERVICE allow-list it keeps
    a handle on the host's network for federated queries (``mcfkg.sparql.federation``). Where
    that handle could not be used again (no root), it stays on the host's network instead and
    the SERVICE check alone guards it.
    """
    host = None
    if config.limits.service_allowlist:
        host = sandbox.host_network() if os.geteuid() == 0 else None
    isolated = (host is not None or not config.limits.service_allowlist) and sandbox.isolate_network()
    try:
        store = open_store(source)
    except Exception as exc:
        web.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    supervisor = Supervisor(web, store, source, config, host_network=host if isolated else None,
                            build_record=build_graphs.read_record(source.path) if source.path else {})
    synced = None
    if source.build:
        try:
            synced = supervisor.take_build()
        except Exception as exc:
            web.send(("failed", f"{type(exc).__name__} while taking the build {source.build}: {exc}"))
            return
    web.send(("ready", {"network_isolated": isolated, "build": synced}))
    try:
        supervisor.run()
    except (BrokenPipeError, ConnectionResetError):
        pass  # the web process is gone (killed): this process dies with it, quietly
    finally:
        for process, _ in supervisor.workers.values():
            process.kill()
        supervisor.federated.stop_all()
        for snapshot in supervisor.snapshots.values():
            shutil.rmtree(snapshot, ignore_errors=True)
        supervisor.parses.stop_all()
        if supervisor.trial is not None:
            supervisor.trial.process.kill()
            if supervisor.trial.checkpoint:
                shutil.rmtree(supervisor.trial.checkpoint, ignore_errors=True)
