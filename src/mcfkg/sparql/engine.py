"""The web process's handle on the store: reads go straight to a query process, writes to the store process.

A read used to travel web → store process → worker and back the same way; each hop wakes a
process (about 0.1 ms here). Now the store process hands each worker's pipe over
(see ``mcfkg.sparql.workers``) and this module talks to the workers itself:

- a caller's thread (or the event loop) sends the job to an idle worker directly, or queues it;
  a read's deadline counts from its submission, so time spent queued counts against the limit;
- when jobs have waited ``SPARE_WORKER_AFTER_S`` (every worker is busy with something slow:
  a burst of short queries is served faster by the workers there are, with 2 cores) and
  fewer than ``max_workers`` processes run, the store process is asked for one more worker
  per such job (a fork of an in-memory store takes milliseconds), so a few runaway queries
  cannot make a short one wait for their time limit; extras idle for
  ``SPARE_WORKER_IDLE_S`` are retired again;
- one dispatcher thread waits (epoll) on every worker's pipe and on the store process's
  pipe, resolves Futures with the replies, hands queued jobs to freed workers, and enforces
  the deadlines: past one it asks the store process to kill the worker and tells the client
  (QueryTimeout) once that is done, so the CPU is free when the client hears about it
  (a job still queued at its deadline just fails);
- after a write, workers of older generations are retired, and the write's Future resolves
  only after the newer ones were handed over: a client reads its own writes.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.reduction
import select
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any

from mcfkg.sparql.model import ERRORS, QueryTimeout, StoreUnavailable, out_of_memory
from mcfkg.sparql.jobs import StoreSource
from mcfkg.sparql.workers import PoolConfig, supervise

# The dispatcher wakes at least this often, so a deadline is enforced at most this late
# (a submitting thread never has to wake it; a reply or a new worker wakes it anyway).
MAX_DEADLINE_LAG_S = 0.25
# A job queued this long gets a worker of its own (up to max_workers); extras idle this long are retired.
SPARE_WORKER_AFTER_S = 0.2
SPARE_WORKER_IDLE_S = 30.0
# A store process that died is restarted after this long, doubling up to the maximum while it keeps failing.
RESTART_DELAY_S, MAX_RESTART_DELAY_S = 0.5, 10.0

log = logging.getLogger("mcfkg.store")


@dataclass(eq=False)
class _Worker:
    pid: int
    conn: multiprocessing.connection.Connection
    generation: int
    future: Future | None = None  # None: idle
    deadline: float = 0.0
    started: float = 0.0  # when its current job was handed to it
    idle_since: float = 0.0


@dataclass(eq=False)
class _Queued:
    future: Future
    job: tuple
    deadline: float


_NOT_RUNNING = "the store process is not running (it is being restarted); try again in a few seconds"


def _fail(future: Future, error: Exception) -> None:
    """Fail ``future`` unless its caller gave up on it (a cancelled asyncio task cancels it)."""
    if future.set_running_or_notify_cancel():
        future.set_exception(error)


def _resolve(future: Future, ok: bool, value: Any) -> None:
    if not ok:
        name, message = value
        _fail(future, ERRORS.get(name, StoreUnavailable)(message))
    elif future.set_running_or_notify_cancel():
        future.set_result(value)


class Engine:
    """Runs store jobs in the store's processes. Thread-safe; every call returns a Future."""

    def __init__(self, source: StoreSource, config: PoolConfig, start_timeout_s: float = 3600) -> None:
        self._source, self._config, self._start_timeout_s = source, config, start_timeout_s
        self._timeout_s = config.timeout_s
        self._base_size, self._max_size = config.workers, config.most_workers
        self._size = config.workers  # current-generation workers the store process keeps
        self._lock = threading.Lock()  # guards the state below
        self._send_lock = threading.Lock()  # sends to the store process (taken after _lock, never before)
        self._workers: dict[int, _Worker] = {}  # by file descriptor: idle and busy
        self._idle: list[_Worker] = []
        self._queue: deque[_Queued] = deque()
        self._requests: dict[int, Future] = {}  # writes and federated queries, by request number
        self._dying: dict[int, tuple[Future | None, Exception | None]] = {}  # pid -> what to tell its client
        self._generation = 0
        self._ids = itertools.count()
        self._closed = False  # no more jobs are accepted (the store process is down or restarting)
        self._stopping = False  # close() was called
        self._start_store()
        threading.Thread(target=self._dispatch, name="mcfkg-store-replies", daemon=True).start()
        atexit.register(self.close)

    def _start_store(self) -> None:
        """Start the store process and wait until its store is loaded; StoreUnavailable if it is not."""
        context = multiprocessing.get_context("spawn")
        conn, child = context.Pipe()
        process = context.Process(target=supervise, args=(child, self._source, self._config), name="mcfkg-store")
        process.start()
        child.close()
        if not conn.poll(self._start_timeout_s):
            process.kill()
            raise StoreUnavailable("the store did not start in time")
        status, detail = conn.recv()
        if status != "ready":
            process.join()
            raise StoreUnavailable(f"the store could not be loaded: {detail}")
        if not detail["network_isolated"] and not self._config.limits.service_allowlist:
            log.warning("the store's processes could not be moved into a network namespace of their own "
                        "(no root, no unprivileged user namespaces): SERVICE and LOAD are refused by the "
                        "query check alone")
        if detail.get("build"):
            log.info("the store took the build %s: %s", self._source.build, detail["build"])
        epoll = select.epoll()
        epoll.register(conn.fileno(), select.EPOLLIN)
        epoll.register(process.sentinel, select.EPOLLIN)  # readable once the process has ended
        with self._lock:
            self._conn, self._process, self._epoll = conn, process, epoll
            self._generation, self._size = 0, self._base_size
            self._closed = self._stopping

    # -- callers' side ------------------------------------------------------------------

    def submit(self, kind: str, job: tuple) -> Future:
        """Queue a ``"read"``, ``"write"`` or ``"federated"`` job; the Future holds its value or its error.

        Reads go to a query process; writes and federated queries (the only ones that may use
        the network) to the store process, which answers them itself.
        """
        future: Future = Future()
        deadline = time.monotonic() + self._timeout_s
        with self._lock:
            if self._closed:
                raise StoreUnavailable(_NOT_RUNNING)
            if kind == "read":
                worker = self._take_idle()
                if worker is None:
                    self._queue.append(_Queued(future, job, deadline))
                    return future
                self._start(worker, future, deadline)
            else:
                request = next(self._ids)
                self._requests[request] = future
                worker = None
        if worker is not None:
            self._send_job(worker, job)
            return future
        try:
            self._tell_store(("write" if kind == "write" else "federate", request, job))
        except OSError as exc:
            with self._lock:
                self._requests.pop(request, None)
            raise StoreUnavailable(_NOT_RUNNING) from exc
        return future

    def take_build(self, build: str) -> str:
        """Bring the store in step with the build file ``build`` (one write); a restarted store
        process takes this build too. Returns what changed."""
        report = self.call("write", ("sync", build))
        with self._lock:
            self._source = replace(self._source, build=build)
        return report

    def call(self, kind: str, job: tuple) -> Any:
        return self.submit(kind, job).result()

    def close(self) -> None:
        """Stop the store process and its workers (idempotent)."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = self._closed = True
        try:
            self._tell_store(("close",))  # the store process kills its workers and exits
        except OSError:
            pass  # it is gone already
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()

    # -- worker bookkeeping (called with _lock held) ----------------------------------------

    def _tell_store(self, message: tuple) -> None:
        with self._send_lock:
            self._conn.send(message)

    def _take_idle(self) -> _Worker | None:
        while self._idle:
            worker = self._idle.pop()
            if worker.generation >= self._generation:
                return worker
            self._retire(worker, None, None)
        return None

    def _start(self, worker: _Worker, future: Future, deadline: float) -> None:
        worker.future, worker.deadline, worker.started = future, deadline, time.monotonic()

    def _grow(self, now: float) -> None:
        """Ask for more workers while jobs queued for ``SPARE_WORKER_AFTER_S`` outnumber those on their way."""
        waited = self._timeout_s - SPARE_WORKER_AFTER_S  # a job's deadline minus this: it has waited long enough
        stuck = sum(1 for queued in self._queue if queued.deadline - waited <= now)
        current = sum(1 for w in self._workers.values() if w.generation >= self._generation)
        wanted = min(self._max_size, current + stuck)
        if wanted > self._size:
            self._size = wanted
            try:
                self._tell_store(("size", self._size))
            except OSError:
                pass  # the store process is gone; _shut fails what is left

    def _shrink(self) -> None:
        """Retire the longest-idle worker beyond the base size once it has idled long enough."""
        if self._size <= self._base_size or not self._idle:
            return
        oldest = self._idle[0]  # _idle is a stack: the bottom idled longest
        if time.monotonic() - oldest.idle_since < SPARE_WORKER_IDLE_S:
            return
        self._idle.pop(0)
        self._size -= 1
        try:
            self._tell_store(("size", self._size))  # first, so the kill below is not refilled
        except OSError:
            return
        self._retire(oldest, None, None)

    def _retire(self, worker: _Worker, future: Future | None, error: Exception | None) -> None:
        """Forget a worker and ask the store process to kill it; ``future`` fails with ``error`` once it is dead."""
        fd = worker.conn.fileno()
        self._epoll.unregister(fd)
        del self._workers[fd]
        worker.conn.close()
        self._dying[worker.pid] = (future, error)
        try:
            self._tell_store(("kill", worker.pid))
        except OSError:
            pass  # the store process is gone; _shut fails what is left

    def _next_job(self, worker: _Worker) -> tuple | None:
        """Give a free worker the next queued job, or park it (or retire it if it is stale)."""
        if worker.generation < self._generation:
            self._retire(worker, None, None)
        elif self._pending():
            queued = self._queue.popleft()
            self._start(worker, queued.future, queued.deadline)
            return queued.job
        else:
            worker.idle_since = time.monotonic()
            self._idle.append(worker)
        return None

    def _pending(self) -> bool:
        """Whether a queued job waits, after dropping those whose callers gave up."""
        while self._queue and self._queue[0].future.cancelled():
            self._queue.popleft()
        return bool(self._queue)

    @staticmethod
    def _send_job(worker: _Worker, job: tuple) -> None:
        try:
            worker.conn.send(job)
        except OSError:
            pass  # the worker died: the dispatcher sees its pipe close and answers the Future

    # -- the dispatcher thread ----------------------------------------------------------------

    def _dispatch(self) -> None:
        """The dispatcher thread: serves the store process until it is gone, fails whatever waits
        (also if this thread itself fails: callers get StoreUnavailable instead of hanging), and
        restarts the store process unless the engine is closing."""
        delay = RESTART_DELAY_S
        while True:
            try:
                self._serve()
            except Exception:
                log.exception("the store dispatcher failed")
            finally:
                self._shut()
            while not self._stopping:
                log.error("the store process stopped (exit code %s); restarting it in %g s",
                          self._process.exitcode, delay)
                time.sleep(delay)
                try:
                    self._start_store()
                    break
                except Exception as exc:  # a store that cannot be reopened: keep trying, every 10 s at most
                    log.error("the store process could not be restarted: %s", exc)
                    delay = min(delay * 2, MAX_RESTART_DELAY_S)
            if self._stopping:
                if self._process.is_alive():  # close() came while the new store process started
                    self._process.kill()
                    self._process.join()
                return
            delay = RESTART_DELAY_S
            log.info("the store process is running again")

    def _serve(self) -> None:
        """Dispatch replies and enforce deadlines until the store process ends."""
        control, ended = self._conn.fileno(), self._process.sentinel
        while True:
            now = time.monotonic()
            with self._lock:
                deadlines = [w.deadline for w in self._workers.values() if w.future is not None]
                if self._queue:  # FIFO: the head expires first and is the first to need a spare worker
                    head = self._queue[0].deadline
                    spare_at = head - self._timeout_s + SPARE_WORKER_AFTER_S
                    deadlines += [head] + ([spare_at] if spare_at > now else [])
            timeout = min([MAX_DEADLINE_LAG_S, *(d - now for d in deadlines)])
            for fd, _ in self._epoll.poll(max(timeout, 0)):
                if fd == ended:
                    return
                if fd != control:
                    self._on_reply(fd)
                elif not self._on_store_message():
                    return
            self._expire()

    def _on_reply(self, fd: int) -> None:
        worker = self._workers.get(fd)
        if worker is None:
            return
        try:
            reply = worker.conn.recv()  # outside the lock: a large answer takes a while to copy
        except (EOFError, OSError):
            reply = None
        with self._lock:
            future, worker.future = worker.future, None
            if reply is None:
                if worker in self._idle:
                    self._idle.remove(worker)
                self._retire(worker, future, StoreUnavailable(
                    out_of_memory("the query process died", self._config.limits.process_memory_mb)))
                return
            if len(reply) > 2:  # it has grown (REPLACE_ME) and exits: a fresh fork takes its place
                self._retire(worker, None, None)
                job = None
            else:
                job = self._next_job(worker)
        if job is not None:
            self._send_job(worker, job)
        if future is not None:
            _resolve(future, *reply[:2])

    def _on_store_message(self) -> bool:
        try:
            kind, *args = self._conn.recv()
        except (EOFError, OSError):
            return False
        if kind == "worker":
            pid, generation = args
            fd = multiprocessing.reduction.recv_handle(self._conn)
            worker = _Worker(pid, multiprocessing.connection.Connection(fd), generation)
            with self._lock:
                self._workers[fd] = worker
                self._epoll.register(fd, select.EPOLLIN)
                job = self._next_job(worker)
            if job is not None:
                self._send_job(worker, job)
        elif kind == "killed":
            with self._lock:
                future, error = self._dying.pop(args[0], (None, None))
            if future is not None and error is not None:
                _fail(future, error)
        elif kind == "done":
            request, ok, value, generation = args
            with self._lock:
                future = self._requests.pop(request)
                self._generation = generation
                stale = [w for w in self._idle if w.generation < generation]
                for worker in stale:
                    self._idle.remove(worker)
                    self._retire(worker, None, None)
            _resolve(future, ok, value)
        return True

    def _expire(self) -> None:
        now = time.monotonic()
        late: list[Future] = []
        with self._lock:
            for worker in [w for w in self._workers.values() if w.future is not None and w.deadline <= now]:
                future, worker.future = worker.future, None
                self._retire(worker, future, QueryTimeout(
                    f"the query was stopped after {self._timeout_s:g} s, this endpoint's time limit; "
                    "narrow it (LIMIT, more specific patterns) and try again"))
            self._stop_long_queries_past_their_share(now)
            while self._queue and self._queue[0].deadline <= now:
                late.append(self._queue.popleft().future)
            self._grow(now)
            self._shrink()
        for future in late:
            _fail(future, QueryTimeout(
                f"the query waited {self._timeout_s:g} s, this endpoint's time limit, for a free query "
                "process and was not run: the server is busy with other queries; try again later"))

    def _stop_long_queries_past_their_share(self, now: float) -> None:
        """Stop the youngest long-running queries beyond ``max_long_queries`` (called with _lock held).

        Runaway queries would otherwise occupy every worker the pool may grow to, and a short
        query would wait for their time limit: long ones get a share, the rest stay for short ones.
        """
        share, long_after = self._config.max_long_queries, self._config.long_query_s
        if share <= 0:
            return
        running = sorted((w for w in self._workers.values() if w.future is not None and now - w.started >= long_after),
                         key=lambda w: w.started)
        for worker in running[share:]:
            future, worker.future = worker.future, None
            self._retire(worker, future, QueryTimeout(
                f"the query was stopped after {now - worker.started:.1f} s: this endpoint already runs "
                f"{share} queries longer than {long_after:g} s, its share for long queries, and keeps its "
                "other query processes for short ones; try again later, or narrow it (LIMIT, more "
                "specific patterns)"))

    def _shut(self) -> None:
        """The store process is gone: fail everything still waiting (its workers die with it)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        with self._lock:
            self._closed = True
            waiting = [w.future for w in self._workers.values() if w.future is not None]
            waiting += [q.future for q in self._queue] + list(self._requests.values())
            waiting += [f for f, _ in self._dying.values() if f is not None]
            for worker in self._workers.values():
                worker.conn.close()
            for pending in (self._workers, self._idle, self._queue, self._requests, self._dying):
                pending.clear()
            self._epoll.close()
            self._conn.close()
        for future in waiting:
            if not future.done():
                _fail(future, StoreUnavailable("the store process stopped"))
