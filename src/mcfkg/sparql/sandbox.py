"""Hardening of the store's processes that does not depend on reading the query.

The SERVICE and LOAD policy in ``safety.py`` reads a query with a parser other than the
engine's, so it can only ever be a courtesy (it explains a refusal). The guarantees are here,
in what the operating system lets a process do:

- ``isolate_network``: the store process (and every query, trial and parse process it starts)
  runs in a network namespace of its own with no interface but a downed loopback, so no query
  or update can open a connection to anything, whatever its text. When an operator allow-lists
  SERVICE endpoints, only the process started for one federated query re-enters the host's
  network (``host_network`` before isolating, ``enter_network`` in that process).
- ``limit_memory``: a process may allocate only so much beyond what it inherited, so a query
  that materialises too much fails in its own process (MemoryError, or an aborted worker),
  never by the machine's OOM killer.
- ``die_with_parent``: a process is killed as soon as the one that started it dies, so a dead
  store process leaves no orphaned workers serving stale data.
"""

from __future__ import annotations

import ctypes
import errno
import multiprocessing.reduction
import os
import resource
import signal
import socket
from typing import Any

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1

_libc = ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> bool:
    return _libc.unshare(flags) == 0


def isolate_network() -> bool:
    """Move this process into a new, empty network namespace; False if the kernel refuses.

    As root, a plain network namespace; otherwise inside a new user namespace (unprivileged
    user namespaces). Must run while the process has a single thread.
    """
    if _unshare(_CLONE_NEWNET):
        return True
    uid, gid = os.getuid(), os.getgid()
    if not _unshare(_CLONE_NEWUSER | _CLONE_NEWNET):
        return False
    try:  # keep our own uid/gid inside the new user namespace, so files stay ours
        with open("/proc/self/setgroups", "w") as setgroups:
            setgroups.write("deny")
        with open("/proc/self/uid_map", "w") as uid_map:
            uid_map.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as gid_map:
            gid_map.write(f"{gid} {gid} 1")
    except OSError:
        pass  # still isolated; ids show as the overflow id
    return True


class NetworkHandle:
    """An open descriptor of a network namespace, which a child process receives as its own copy
    however it is started (fork, fork server, spawn: multiprocessing passes the descriptor)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self) -> tuple[Any, tuple[Any]]:
        return _received, (multiprocessing.reduction.DupFd(self.fd),)


def _received(duplicate: Any) -> NetworkHandle:
    return NetworkHandle(duplicate.detach())


def host_network() -> NetworkHandle | None:
    """A handle on this process's network namespace, to re-enter it later (None: not on this system)."""
    try:
        return NetworkHandle(os.open("/proc/self/ns/net", os.O_RDONLY))
    except OSError:
        return None


def enter_network(handle: NetworkHandle) -> bool:
    """Move this process into the network namespace ``handle`` refers to; False if not permitted
    (re-entering the host's network takes CAP_SYS_ADMIN there: root, not a user namespace)."""
    return _libc.setns(handle.fd, _CLONE_NEWNET) == 0


def network_isolated() -> bool:
    """Whether this process can reach no network at all, not even its own loopback."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.connect(("127.0.0.1", 9))
    except OSError as exc:
        return exc.errno == errno.ENETUNREACH
    finally:
        probe.close()
    return False


def allocated_bytes() -> int:
    """This process's data segment now (VmData): what RLIMIT_DATA counts, inherited heap included."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(extra_bytes: int) -> None:
    """Let this process allocate at most ``extra_bytes`` more than it holds now (0: no limit).

    RLIMIT_DATA counts heap and private anonymous mappings, which is where Oxigraph and Python
    allocate, and not shared file mappings: it works for forked copies of an in-memory store
    (their inherited heap counts, hence "more than now") and for RocksDB alike.
    """
    if extra_bytes <= 0:
        return
    limit = allocated_bytes() + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when the process that started it exits."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the parent died before the request took effect
        os.kill(os.getpid(), signal.SIGKILL)


def confine(memory_mb: int) -> None:
    """What every process the store (or ``mcfkg query``) starts does first: die with its parent, and
    allocate at most ``memory_mb`` beyond what it inherited."""
    die_with_parent()
    limit_memory(memory_mb * 2**20)
