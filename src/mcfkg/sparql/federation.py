"""Queries that call allow-listed SERVICE endpoints: the only processes of the store that have a network.

The store process and everything it starts live in an empty network namespace
(``sandbox.isolate_network``): query workers, update trials and the writes the store process
applies itself cannot connect anywhere. A query that the safety check finds calling
allow-listed endpoints is sent to the store process instead, which starts a process for it
that re-enters the host's network, under the same time and memory limits. So an operation that
hides a SERVICE call or a LOAD from the check (the parser differential of issue 8) runs where
it cannot connect; only a query whose calls the check has seen and allowed can go out.
"""

from __future__ import annotations

import multiprocessing.connection
import time
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from mcfkg.sparql import children, execute, sandbox
from mcfkg.sparql.children import Child
from mcfkg.sparql.model import QueryTimeout, ServiceFailed, StoreUnavailable, out_of_memory, outcome


def _federated_main(conn: multiprocessing.connection.Connection, store: ox.Store | str, job: tuple,
                    limits: execute.Limits, host_network: sandbox.NetworkHandle | None) -> None:
    """Run one federated query on the forked parent's store (or an on-disk one opened read-only)."""
    sandbox.confine(limits.process_memory_mb)
    if host_network is not None and not sandbox.enter_network(host_network):
        conn.send((False, (ServiceFailed.__name__, "federated queries cannot reach the network from this "
                                                   "server's sandbox; ask its operator to run it as root")))
        return
    if isinstance(store, str):
        store = ox.Store.read_only(store)
    _, text, formats, dataset = job
    conn.send(outcome(lambda: execute.run_query(store, text, formats, dataset, limits), limits.process_memory_mb))


@dataclass(eq=False)
class FederatedQueries:
    """The federated queries the store process runs: started on request, stopped at their deadline."""

    context: Any  # the store process's multiprocessing context (fork, or the fork server's)
    store: ox.Store | str  # what the next child gets: the store to fork, or an on-disk checkpoint's path
    limits: execute.Limits
    timeout_s: float
    host_network: sandbox.NetworkHandle | None  # None: the store process kept the network
    calls: list[Child] = field(default_factory=list)

    def start(self, request: int, job: tuple, deadline: float) -> None:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_federated_main, name="mcfkg-federated-query",
                                       args=(child, self.store, job, self.limits, self.host_network), daemon=True)
        process.start()
        child.close()
        self.calls.append(Child(request, deadline, process, parent))

    @property
    def pipes(self) -> list[multiprocessing.connection.Connection]:
        return children.pipes(self.calls)

    def next_deadline(self) -> float | None:
        return children.next_deadline(self.calls)

    def finished(self, ready: list[Any]) -> list[tuple[int, tuple[bool, Any]]]:
        """``(request, reply)`` for each call that answered or ran out of time; their processes are gone."""
        done = []
        for call in children.due(self.calls, ready, time.monotonic()):
            done.append((call.request, self._reply(call)))
            call.end()
        return done

    def _reply(self, call: Child) -> tuple[bool, Any]:
        if not call.conn.poll():
            return False, (QueryTimeout.__name__, f"the query was stopped after {self.timeout_s:g} s, this "
                                                  "endpoint's time limit (its SERVICE calls included); narrow it "
                                                  "and try again")
        try:
            return call.conn.recv()
        except (EOFError, OSError):
            return False, (StoreUnavailable.__name__,
                           out_of_memory("the federated query's process died", self.limits.process_memory_mb))

    def stop_all(self) -> None:
        children.stop_all(self.calls)
